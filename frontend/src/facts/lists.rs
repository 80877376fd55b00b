//! Loop views: which lists a loop may read and write through a `runtime::view::View` taken
//! before it (the buffer pointer and length loaded once, see `runtime/src/view.rs`), and which
//! functions keep every view valid when called.
//!
//! A loop qualifies when its body contains no structural list operation (a table row that
//! `resizes`, slice assignment, `del` of a slice) except on lists it creates itself (a
//! comprehension's hidden list), no call of a function value, no generator flow, and calls
//! only functions that never resize a list they did not create themselves ([`keeps_lists`]).
//! The viewed lists are those it indexes and never rebinds.

use std::collections::{HashMap, HashSet};

use super::calls::{callees_in, fixpoint};
use crate::builtins;
use crate::ir::{Expr, ExprKind, FuncId, Function, GlobalStorage, LocalId, LoopId, Module, Stmt, Target, VarRef};
use crate::types::Type;
use crate::visit::{walk_expr, walk_stmt, walk_target, Visitor};

/// The lists a loop reaches through views, and the checker's hidden aliases standing for them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoopViews {
    pub lists: Vec<VarRef>,
    /// `(temporary, list)`: `$t = xs` stands for `xs`.
    pub aliases: Vec<(VarRef, VarRef)>,
}

fn var_of(e: &Expr) -> Option<VarRef> {
    match e.kind {
        ExprKind::Local(id) => Some(VarRef::Local(id)),
        ExprKind::Global(id) => Some(VarRef::Global(id)),
        _ => None,
    }
}

/// What a body does to lists, gathered in one walk.
#[derive(Default)]
struct Scan {
    ok: bool,
    indexed: Vec<VarRef>,
    assigned: HashSet<VarRef>,
    /// Hidden locals assigned a new list in the body (a comprehension's accumulator).
    fresh: HashSet<VarRef>,
    /// Hidden locals holding another variable (`$t = xs` for `xs[i] += 1`).
    aliases: Vec<(VarRef, VarRef)>,
    /// The function's hidden locals (`$N`): the only ones that can be aliases.
    hidden: HashSet<VarRef>,
    /// The module functions the body calls.
    calls: Vec<FuncId>,
}

impl Scan {
    fn new(f: &Function, fresh: HashSet<VarRef>) -> Scan {
        let hidden = f
            .locals
            .iter()
            .enumerate()
            .filter(|(_, l)| l.name.starts_with('$'))
            .map(|(i, _)| VarRef::Local(LocalId(i as u32)))
            .collect();
        Scan { ok: true, hidden, fresh, ..Scan::default() }
    }

    fn base(&self, e: &Expr) -> Option<VarRef> {
        let var = var_of(e)?;
        Some(self.aliases.iter().find(|(t, _)| *t == var).map_or(var, |(_, held)| *held))
    }
}

impl<'ir> Visitor<'ir> for Scan {
    fn stmt(&mut self, stmt: &'ir Stmt) {
        match stmt {
            // A consumer's body runs at each `yield` (and a generator at each step of a `for`
            // over it): code outside the loop, which may resize any list.
            Stmt::Yield { .. } | Stmt::YieldFrom { .. } | Stmt::ForGen { .. } => self.ok = false,
            // A `try` runs its blocks as closures: no loop views across them.
            Stmt::ParFor(_) | Stmt::Def { .. } | Stmt::DeleteSlice { .. } | Stmt::Try(_) => self.ok = false,
            Stmt::Assign { target: Target::Local(id), value }
                if self.hidden.contains(&VarRef::Local(*id)) && matches!(value.kind, ExprKind::List(_)) =>
            {
                self.fresh.insert(VarRef::Local(*id));
                self.assigned.insert(VarRef::Local(*id));
                self.expr(value);
            }
            Stmt::Assign { target: Target::Local(id), value }
                if self.hidden.contains(&VarRef::Local(*id))
                    && var_of(value).is_some()
                    && matches!(value.ty, Type::List(_)) =>
            {
                let held = self.base(value).unwrap_or(VarRef::Local(*id));
                self.aliases.push((VarRef::Local(*id), held));
                self.assigned.insert(VarRef::Local(*id));
            }
            _ => walk_stmt(self, stmt),
        }
    }

    fn target(&mut self, target: &'ir Target) {
        match target {
            Target::Slice { .. } | Target::Free(_) => self.ok = false,
            Target::Index { base, .. } if matches!(base.ty, Type::List(_)) => {
                self.indexed.extend(self.base(base));
            }
            Target::Local(_) | Target::Global(_) => self.assigned.extend(target.vars()),
            Target::Index { .. } | Target::Tuple(_) | Target::Field { .. } => {}
        }
        walk_target(self, target);
    }

    fn expr(&mut self, e: &'ir Expr) {
        match &e.kind {
            ExprKind::Index { base, .. } if matches!(base.ty, Type::List(_)) => self.indexed.extend(self.base(base)),
            ExprKind::Builtin { builtin, args } => {
                let resizes = builtins::builtin(*builtin).effects.resizes;
                if resizes && !args.first().and_then(var_of).is_some_and(|v| self.fresh.contains(&v)) {
                    self.ok = false;
                }
            }
            ExprKind::CallValue { .. } | ExprKind::Free(_) => self.ok = false,
            _ => {}
        }
        self.calls.extend(e.kind.callee());
        walk_expr(self, e);
    }
}

/// A new list, created where it is evaluated (so no older list can be the same object).
fn makes_new_list(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::List(_) | ExprKind::Block { .. } | ExprKind::Binary { .. } | ExprKind::Slice { .. } => true,
        ExprKind::Builtin { builtin, .. } => {
            matches!(e.ty, Type::List(_)) && builtins::builtin(*builtin).returns_new_object()
        }
        _ => false,
    }
}

/// Per module function: it never changes the length or buffer of a list it did not create, so
/// calling it inside a viewed loop keeps the views valid. A local that is not a parameter and
/// is only ever assigned new lists holds a list created by this call, so resizing it is
/// harmless.
pub fn keeps_lists(module: &Module, special_methods: &[FuncId]) -> Vec<bool> {
    let scans: Vec<Scan> = module.functions.iter().map(scan_function).collect();
    fixpoint(vec![true; module.functions.len()], |index, keeps| {
        let scan = &scans[index];
        // Printing or comparing objects runs their special methods without a call in the IR.
        keeps[index] && scan.ok && scan.calls.iter().chain(special_methods).all(|g| keeps[g.0 as usize])
    })
}

fn scan_function(f: &Function) -> Scan {
    // Every binding of each local: a new list or not.
    let mut bindings: Vec<(LocalId, bool)> = Vec::new();
    crate::visit::each_own_node(
        &f.body,
        |stmt: &Stmt| match stmt {
            Stmt::Assign { target: Target::Local(id), value } => bindings.push((*id, makes_new_list(value))),
            other => bindings.extend(other.bound_target().into_iter().flat_map(Target::locals).map(|id| (id, false))),
        },
        |_: &Expr| {},
    );
    let fresh = (0..f.locals.len() as u32)
        .map(LocalId)
        .filter(|id| {
            let local = f.local(*id);
            !f.params.contains(id)
                && !local.captured
                && matches!(local.ty, Type::List(_))
                && bindings.iter().filter(|(b, _)| b == id).all(|(_, new)| *new)
        })
        .map(VarRef::Local)
        .collect();
    let mut scan = Scan::new(f, fresh);
    crate::visit::walk_block(&mut scan, &f.body);
    scan
}

/// The views of every viewable loop of the module (nested functions' loops included).
pub fn loop_views(module: &Module, keeps: &[bool], special_methods: &[FuncId]) -> HashMap<LoopId, LoopViews> {
    struct Loops<'a> {
        module: &'a Module,
        keeps: &'a [bool],
        specials_ok: bool,
        functions: Vec<&'a Function>,
        out: HashMap<LoopId, LoopViews>,
    }
    impl<'a> Loops<'a> {
        fn visit_function(&mut self, f: &'a Function) {
            self.functions.push(f);
            crate::visit::walk_block(self, &f.body);
            self.functions.pop();
        }
    }
    impl<'a> Visitor<'a> for Loops<'a> {
        fn stmt(&mut self, stmt: &'a Stmt) {
            let found = match stmt {
                Stmt::While { cond, body, id, .. } => Some((*id, vec![cond], vec![], body)),
                Stmt::ForRange { var, start, stop, step, body, id, .. } => {
                    Some((*id, vec![start, stop, step], vec![var], body))
                }
                Stmt::ForList { target, iterable, body, id, .. } => Some((*id, vec![iterable], vec![target], body)),
                _ => None,
            };
            if let (Some((id, extra, targets, body)), Some(f)) = (found, self.functions.last()) {
                let views = viewable(self.module, f, self.keeps, self.specials_ok, body, &extra, &targets);
                if views != LoopViews::default() {
                    self.out.insert(id, views);
                }
            }
            walk_stmt(self, stmt);
        }

        fn nested(&mut self, function: &'a Function) {
            self.visit_function(function);
        }
    }
    let specials_ok = special_methods.iter().all(|f| keeps[f.0 as usize]);
    let mut loops = Loops { module, keeps, specials_ok, functions: Vec::new(), out: HashMap::new() };
    for f in module.functions.iter().chain(std::iter::once(&module.body)) {
        loops.visit_function(f);
    }
    loops.out
}

/// The lists a loop with this body (and bounds, and loop target) may reach through views, with
/// the hidden aliases that stand for them; empty when the body does not qualify.
fn viewable(
    module: &Module,
    f: &Function,
    keeps: &[bool],
    specials_ok: bool,
    body: &[Stmt],
    extra: &[&Expr],
    targets: &[&Target],
) -> LoopViews {
    let mut scan = Scan::new(f, HashSet::new());
    extra.iter().for_each(|e| scan.expr(e));
    // The loop's own target is assigned every iteration (`for row in grid`: a new `row`).
    targets.iter().for_each(|t| scan.target(t));
    crate::visit::walk_block(&mut scan, body);
    let extra_calls = extra.iter().flat_map(|e| callees_in(e));
    let calls_ok = specials_ok && scan.calls.iter().copied().chain(extra_calls).all(|g| keeps[g.0 as usize]);
    if !scan.ok || !calls_ok {
        return LoopViews::default();
    }
    let mut lists = Vec::new();
    for var in scan.indexed {
        if lists.contains(&var) || scan.assigned.contains(&var) {
            continue;
        }
        let plain = match var {
            VarRef::Local(id) => {
                let local = f.local(id);
                !local.maybe_unbound && !local.captured && !local.name.starts_with('$')
            }
            VarRef::Global(id) => {
                let global = &module.globals[id.0 as usize];
                global.storage == GlobalStorage::ModuleLocal && !global.maybe_unbound
            }
        };
        if plain {
            lists.push(var);
        }
    }
    LoopViews { lists, aliases: scan.aliases }
}
