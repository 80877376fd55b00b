//! Which containers a function may change in place: per parameter (an extension module's
//! exported function writes those back into the caller's objects), and any container it did
//! not create.
//!
//! A list, dict or set argument arrives as a copy (the runtime's own containers), so a change
//! the function makes must be written back into the caller's object after the call for Python
//! to see it. This analysis is conservative: a parameter counts as unchanged only if every use
//! of it reads (indexing, slicing, iterating, comparing, printing, `len` and the other
//! builtins whose table row changes no argument, or passing it to a function that itself leaves that parameter
//! unchanged — a fixpoint over the call graph). Any other use — a subscript assignment, a
//! mutating method, an alias in another variable or container, a capture by a nested function
//! — counts as a change.

use crate::builtins;
use crate::ir::{Expr, ExprKind, Function, LocalId, Module, Stmt, Target};
use crate::types::Type;
use crate::visit::each_own_node;

use super::calls::fixpoint;

/// Per function, per parameter: the function may change the container passed there.
pub fn mutated_params(module: &Module) -> Vec<Vec<bool>> {
    let start: Vec<Vec<bool>> = module.functions.iter().map(|f| vec![false; f.params.len()]).collect();
    fixpoint(start, |index, known| {
        let f = &module.functions[index];
        f.params
            .iter()
            .enumerate()
            .map(|(k, param)| {
                known[index][k] || (is_container(&f.local(*param).ty) && may_mutate(f, *param, known, false))
            })
            .collect()
    })
}

/// Containers whose changes the caller must see: lists, dicts and sets (written back), and
/// arrays (shared with the caller, so only whether the buffer must be writable matters).
pub fn is_container(ty: &Type) -> bool {
    matches!(ty, Type::List(_) | Type::Dict(..) | Type::Set(_) | Type::Array(..))
}

/// Whether the parameter is ever assigned a new value in `f` (then writing the final value
/// back would be wrong).
pub fn rebound(f: &Function, param: LocalId) -> bool {
    let mut found = false;
    each_own_node(
        &f.body,
        |stmt: &Stmt| {
            if let Stmt::Assign { target, .. } = stmt {
                found |= target.locals().contains(&param);
            }
        },
        |_: &Expr| {},
    );
    found
}

/// Whether `f` may change the container in `param`, given what `known` says about callees.
/// `return_is_read`: returning the parameter hands out a copy (true for the exported function
/// itself, whose result is converted; false for a helper, whose caller gets an alias).
pub fn may_mutate(f: &Function, param: LocalId, known: &[Vec<bool>], return_is_read: bool) -> bool {
    if f.local(param).captured {
        return true;
    }
    let is_param = |e: &Expr| matches!(e.kind, ExprKind::Local(id) if id == param);
    let mut total = 0usize;
    let mut reads = 0usize;
    let mut loop_reads = 0usize;
    // The checker's hidden aliases (`$t = xs`, what `zip(xs, ys)` loops over): a read when the
    // alias itself is only read.
    let mut aliases: Vec<LocalId> = Vec::new();
    each_own_node(
        &f.body,
        |stmt: &Stmt| {
            if let Stmt::ForList { iterable, .. } = stmt {
                loop_reads += is_param(iterable) as usize;
            }
            if let Stmt::Assign { target: Target::Local(alias), value } = stmt {
                if is_param(value) && f.local(*alias).name.starts_with('$') && *alias != param {
                    aliases.push(*alias);
                }
            }
        },
        |e: &Expr| {
            total += is_param(e) as usize;
            reads += match &e.kind {
                ExprKind::Index { base, .. }
                | ExprKind::Slice { base, .. }
                | ExprKind::Unpack { value: base, .. }
                | ExprKind::ArrayInfo { base, .. } => is_param(base) as usize,
                ExprKind::ArrayNew { like: Some(source), .. } => is_param(source) as usize,
                ExprKind::Compare { operands: items, .. } => items.iter().filter(|i| is_param(i)).count(),
                ExprKind::Binary { left, right, .. } => is_param(left) as usize + is_param(right) as usize,
                ExprKind::Print { args, .. } => args.iter().filter(|i| is_param(i)).count(),
                ExprKind::FString(_) | ExprKind::Convert { .. } => e.children().iter().filter(|i| is_param(i)).count(),
                ExprKind::Builtin { builtin, args } => {
                    let row = builtins::builtin(*builtin);
                    args.iter().enumerate().filter(|(k, a)| is_param(a) && !row.mutates_arg(*k)).count()
                }
                ExprKind::Call { func, args } => {
                    args.iter().enumerate().filter(|(k, a)| is_param(a) && !known[func.0 as usize][*k]).count()
                }
                _ => 0,
            };
        },
    );
    let alias_reads = aliases.iter().filter(|alias| !may_mutate(f, **alias, known, false)).count();
    let reads = reads + loop_reads + alias_reads;
    let mut returns = 0usize;
    if !return_is_read {
        return total > reads;
    }
    each_own_node(
        &f.body,
        |stmt: &Stmt| {
            if let Stmt::Return(Some(value)) = stmt {
                returns += is_param(value) as usize;
            }
        },
        |_: &Expr| {},
    );
    total > reads + returns
}

/// Per function: may change a container it did not create itself (a parameter's, a module
/// variable's, or one reached through either), directly or through a call. A parameter
/// holding lists of lists is written back whenever its function may do so, since an inner
/// list can be changed through any alias of it.
pub fn mutates_foreign(module: &Module, graph: &super::calls::CallGraph) -> Vec<bool> {
    let direct: Vec<bool> = module.functions.iter().map(has_foreign_mutation).collect();
    graph.spread(direct, false)
}

/// A local that only ever holds containers `f` built itself (displays, comprehensions).
fn fresh_locals(f: &Function) -> Vec<LocalId> {
    let mut assigned: Vec<(LocalId, bool)> = Vec::new();
    each_own_node(
        &f.body,
        |stmt: &Stmt| match stmt {
            Stmt::Assign { target: Target::Local(id), value } => {
                assigned.push((
                    *id,
                    matches!(
                        value.kind,
                        ExprKind::List(_) | ExprKind::Dict(_) | ExprKind::Set(_) | ExprKind::Block { .. }
                    ),
                ));
            }
            other => assigned.extend(other.bound_target().into_iter().flat_map(Target::locals).map(|id| (id, false))),
        },
        |_: &Expr| {},
    );
    (0..f.locals.len() as u32)
        .map(LocalId)
        .filter(|id| !f.params.contains(id) && !f.local(*id).captured)
        .filter(|id| {
            assigned.iter().any(|(a, _)| a == id) && assigned.iter().filter(|(a, _)| a == id).all(|(_, new)| *new)
        })
        .collect()
}

/// The variable a subscript chain starts from (`grid[i][j]` → `grid`).
fn root(e: &Expr) -> Option<LocalId> {
    match &e.kind {
        ExprKind::Local(id) => Some(*id),
        ExprKind::Index { base, .. } | ExprKind::Unwrap(base) => root(base),
        _ => None,
    }
}

fn has_foreign_mutation(f: &Function) -> bool {
    let fresh = fresh_locals(f);
    let foreign = |base: &Expr| root(base).is_none_or(|id| !fresh.contains(&id));
    let mut found = false;
    let mut found_in_stmt = false;
    each_own_node(
        &f.body,
        |stmt: &Stmt| match stmt {
            Stmt::Assign { target, .. } => found_in_stmt |= target_mutates(target, &foreign),
            Stmt::DeleteSlice { base, .. } => found_in_stmt |= foreign(base),
            _ => {}
        },
        |e: &Expr| {
            if let ExprKind::Builtin { builtin, args } = &e.kind {
                let row = builtins::builtin(*builtin);
                found |= args.iter().enumerate().any(|(k, a)| row.mutates_arg(k) && foreign(a));
            }
            found |= matches!(e.kind, ExprKind::CallValue { .. });
        },
    );
    found || found_in_stmt
}

fn target_mutates(target: &Target, foreign: &impl Fn(&Expr) -> bool) -> bool {
    match target {
        Target::Index { base, .. } | Target::Slice { base, .. } | Target::Field { base, .. } => foreign(base),
        Target::Tuple(items) => items.iter().any(|t| target_mutates(t, foreign)),
        _ => false,
    }
}
