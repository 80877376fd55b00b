//! The `prange` race analysis: decides how each parallel loop body uses the state around it
//! (the [`ParPlan`] code generation relies on) and rejects, at the offending line, every body
//! whose result could depend on how iterations are scheduled.
//!
//! A body may:
//! - assign variables used nowhere outside the loop: they are private to the iteration, and
//!   must be assigned before they are read in it (a read of the previous iteration's value
//!   would be a loop-carried dependence);
//! - update outer variables only as reductions (`s += e`, `-=`, `*=`, `|=`, `&=`, `^=`,
//!   `s = min(s, e)`, `s = max(s, e)`), never reading them otherwise;
//! - read shared lists of scalars or strings anywhere, and write a shared list only at one
//!   slot per iteration: an index `a*i + b` (literals `a >= 1`, `b`) of the loop variable over a
//!   range that keeps it non-negative, reading that list only at the same slot;
//! - read outer scalars and strings, and call functions that touch no shared state.
//!
//! Everything else — assigning an outer variable, `append` to a shared list, any use of a
//! shared dict or set, a write at a computed index, printing, `break`/`return` — is a
//! [`Code::Race`] or [`Code::Unsupported`] diagnostic saying how to write it instead.

use std::collections::{HashMap, HashSet};

use crate::builtins;
use crate::diagnostic::{Code, Diagnostic};
use crate::facts::calls::{fixpoint, CallGraph};
use crate::ir::{
    Expr, ExprKind, Function, GlobalStorage, LoopId, Module, ParLoop, ParPlan, ReduceOp, Stmt, Target, VarRef,
};
use crate::span::{LineIndex, Loc};
use crate::syntax::BinOp;
use crate::types::Type;
use crate::visit::{each_node, walk_block, walk_expr, walk_stmt, Visitor};

/// The plan of every `prange` loop of `module` (by loop), or why some loop would race.
/// `safe`: per module function, whether a prange body may call it.
pub fn analyze(module: &Module, safe: &[bool]) -> Result<HashMap<LoopId, ParPlan>, Vec<Diagnostic>> {
    let source = module.source.clone();
    let lines = LineIndex::new(&source);
    let mut ctx = Context { module, lines: &lines, safe, diagnostics: Vec::new() };
    let mut plans = HashMap::new();
    for f in module.functions.iter().chain(std::iter::once(&module.body)) {
        ctx.function_plans(f, &mut plans);
        ctx.check_pmaps(&f.body);
    }
    if ctx.diagnostics.is_empty() {
        Ok(plans)
    } else {
        Err(ctx.diagnostics)
    }
}

pub(crate) struct Context<'a> {
    pub module: &'a Module,
    lines: &'a LineIndex<'a>,
    /// Per module function: callable from a prange body.
    pub safe: &'a [bool],
    diagnostics: Vec<Diagnostic>,
}

pub(crate) fn var_of(e: &Expr) -> Option<VarRef> {
    match e.kind {
        ExprKind::Local(id) => Some(VarRef::Local(id)),
        ExprKind::Global(id) => Some(VarRef::Global(id)),
        _ => None,
    }
}

pub(crate) fn target_var(t: &Target) -> Option<VarRef> {
    match t {
        Target::Local(id) => Some(VarRef::Local(*id)),
        Target::Global(id) => Some(VarRef::Global(*id)),
        _ => None,
    }
}

/// Values of this type may be read by several threads at once.
pub(crate) fn shareable(ty: &Type) -> bool {
    match ty {
        Type::Int | Type::Float | Type::Num | Type::Bool | Type::None | Type::Str | Type::Range => true,
        Type::Tuple(items) => items.iter().all(shareable),
        _ => false,
    }
}

/// Every variable `f` reads or assigns outside the body of the prange loop `skip` (nested
/// functions count by the variables they capture and the name they bind).
fn uses_outside(f: &Function, skip: LoopId) -> HashSet<VarRef> {
    struct Uses {
        skip: LoopId,
        out: HashSet<VarRef>,
    }
    impl<'ir> Visitor<'ir> for Uses {
        fn stmt(&mut self, stmt: &'ir Stmt) {
            match stmt {
                Stmt::ParFor(par) => {
                    self.out.insert(par.var);
                }
                Stmt::Def { local, captures, .. } => {
                    self.out.insert(VarRef::Local(*local));
                    self.out.extend(captures.iter().map(|c| VarRef::Local(*c)));
                }
                other => self.out.extend(other.bound_target().into_iter().flat_map(Target::vars)),
            }
            walk_stmt(self, stmt);
        }
        fn expr(&mut self, e: &'ir Expr) {
            self.out.extend(var_of(e));
            walk_expr(self, e);
        }
        fn nested(&mut self, _: &'ir Function) {}
        fn par_body(&mut self, par: &'ir ParLoop) {
            if par.id != self.skip {
                walk_block(self, &par.body);
            }
        }
    }
    let mut uses = Uses { skip, out: HashSet::new() };
    walk_block(&mut uses, &f.body);
    uses.out
}

/// Functions a prange body may call: scalar or str parameters and result, and (transitively)
/// no printing, no global writes, no reads of globals other threads could not share.
pub fn thread_safe_functions(module: &Module, graph: &CallGraph) -> Vec<bool> {
    let direct: Vec<bool> = module
        .functions
        .iter()
        .map(|f| {
            shareable(&f.ret)
                && f.params.iter().all(|p| shareable(&f.local(*p).ty))
                && body_is_thread_safe(module, &f.body)
        })
        .collect();
    fixpoint(direct, |index, safe| safe[index] && graph.callees[index].iter().all(|g| safe[g.0 as usize]))
}

/// Whether a body, apart from the functions it calls, may run on several threads at once.
fn body_is_thread_safe(module: &Module, stmts: &[Stmt]) -> bool {
    let (mut stmts_ok, mut exprs_ok) = (true, true);
    each_node(
        stmts,
        |stmt: &Stmt| {
            stmts_ok &= !match stmt {
                Stmt::ParFor(par) => matches!(par.var, VarRef::Global(_)),
                other => other.bound_target().is_some_and(Target::assigns_outer),
            }
        },
        |e: &Expr| {
            exprs_ok &= match &e.kind {
                ExprKind::Print { .. } | ExprKind::Free(_) => false,
                ExprKind::Global(id) => {
                    let global = &module.globals[id.0 as usize];
                    global.storage == GlobalStorage::Static && shareable(&global.ty)
                        || matches!(global.storage, GlobalStorage::Const(_))
                }
                ExprKind::Builtin { builtin, .. } => builtins::builtin(*builtin).effects.parallel,
                _ => true,
            }
        },
    );
    stmts_ok && exprs_ok
}

impl Context<'_> {
    pub(crate) fn error(
        &mut self,
        code: Code,
        loc: Loc,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) {
        let span = self.lines.span_of(loc);
        self.diagnostics.push(Diagnostic::new(code, span, message).label(label).help(help));
    }

    /// Every `pmap(f, items)`: `f` must be thread-safe, and items and results shareable.
    fn check_pmaps(&mut self, stmts: &[Stmt]) {
        let mut found = Vec::new();
        each_node(
            stmts,
            |_: &Stmt| {},
            |e: &Expr| {
                if let ExprKind::ParMap { func, items } = &e.kind {
                    found.push((*func, items.ty.clone(), e.loc));
                }
            },
        );
        for (func, items, loc) in found {
            let function = &self.module.functions[func.0 as usize];
            let name = function.name.clone();
            let shared_types = matches!(&items, Type::List(elem) if shareable(elem)) && shareable(&function.ret);
            if !self.safe[func.0 as usize] || !shared_types {
                self.error(
                    Code::Race,
                    loc,
                    format!("`{name}` cannot run in parallel: it takes or returns a container, prints, or assigns module variables"),
                    "not thread-safe",
                    "give pmap a function of one number or string that returns a number or string, without printing or assigning globals",
                );
            }
        }
    }

    /// The plans of the prange loops of `f` (and of the functions nested in it).
    fn function_plans(&mut self, f: &Function, plans: &mut HashMap<LoopId, ParPlan>) {
        let mut loops: Vec<(&Function, &ParLoop)> = Vec::new();
        struct Finder<'ir, 'out> {
            function: &'ir Function,
            out: &'out mut Vec<(&'ir Function, &'ir ParLoop)>,
        }
        impl<'ir> Visitor<'ir> for Finder<'ir, '_> {
            fn stmt(&mut self, stmt: &'ir Stmt) {
                if let Stmt::ParFor(par) = stmt {
                    self.out.push((self.function, par));
                }
                walk_stmt(self, stmt);
            }
            fn nested(&mut self, function: &'ir Function) {
                let outer = std::mem::replace(&mut self.function, function);
                walk_block(self, &function.body);
                self.function = outer;
            }
        }
        walk_block(&mut Finder { function: f, out: &mut loops }, &f.body);
        for (function, par) in loops {
            let mut outside = uses_outside(function, par.id);
            outside.extend(function.params.iter().map(|p| VarRef::Local(*p)));
            let plan = crate::parallel_body::plan(self, function, par, &outside).unwrap_or_default();
            plans.insert(par.id, plan);
        }
    }

    pub(crate) fn var_name(&self, f: &Function, var: VarRef) -> String {
        match var {
            VarRef::Local(id) => f.local(id).name.clone(),
            VarRef::Global(id) => self.module.globals[id.0 as usize].name.clone(),
        }
    }

    pub(crate) fn var_type(&self, f: &Function, var: VarRef) -> Type {
        match var {
            VarRef::Local(id) => f.local(id).ty.clone(),
            VarRef::Global(id) => self.module.globals[id.0 as usize].ty.clone(),
        }
    }

    /// A variable a nested function uses lives in a cell, which threads cannot share: the loop
    /// variable (stored after the loop) and the scalars the body reads (`reads`) must not be
    /// such variables (those it assigns are judged as reductions or privates). Containers are
    /// shared through views taken from the cell before the loop, and reductions are stored
    /// into it after. True when it reported.
    pub(crate) fn reject_captured(
        &mut self,
        f: &Function,
        par: &ParLoop,
        reads: &[(VarRef, Loc)],
        assigned: &HashSet<VarRef>,
    ) -> bool {
        let captured = |var: &VarRef| matches!(var, VarRef::Local(id) if f.local(*id).captured);
        let mut failed = false;
        if captured(&par.var) {
            let name = self.var_name(f, par.var);
            self.error(
                Code::Unsupported,
                par.loc,
                format!("the prange variable `{name}` is also used by a nested function"),
                "loop variable shared with a nested function",
                format!("use another name for the loop variable, and pass the nested function what it needs instead of reading `{name}`"),
            );
            failed = true;
        }
        let mut reported = HashSet::new();
        for (var, loc) in reads {
            if *var == par.var
                || assigned.contains(var)
                || !captured(var)
                || !shareable(&self.var_type(f, *var))
                || !reported.insert(*var)
            {
                continue;
            }
            let name = self.var_name(f, *var);
            self.error(
                Code::Unsupported,
                *loc,
                format!("`{name}` is also used by a nested function, so prange iterations cannot share it"),
                "shared with a nested function",
                format!("copy it before the loop (`{name}_copy = {name}`) and read the copy in the loop body"),
            );
            failed = true;
        }
        failed
    }
}

/// `op` as a reduction, when it is one.
pub(crate) fn reduce_op(op: BinOp) -> Option<ReduceOp> {
    Some(match op {
        BinOp::Add => ReduceOp::Add,
        BinOp::Sub => ReduceOp::Sub,
        BinOp::Mul => ReduceOp::Mul,
        BinOp::BitOr => ReduceOp::BitOr,
        BinOp::BitAnd => ReduceOp::BitAnd,
        BinOp::BitXor => ReduceOp::BitXor,
        _ => return None,
    })
}

/// The operator of a reduction as written in `s op= e` (empty for `min`/`max`).
pub(crate) fn reduce_symbol(op: ReduceOp) -> &'static str {
    match op {
        ReduceOp::Add => "+",
        ReduceOp::Sub => "-",
        ReduceOp::Mul => "*",
        ReduceOp::BitOr => "|",
        ReduceOp::BitAnd => "&",
        ReduceOp::BitXor => "^",
        ReduceOp::Min | ReduceOp::Max => "",
    }
}
