//! Loop views: before a loop whose body cannot resize any pre-existing list nor rebind the lists
//! it indexes, take a `runtime::view::View` of each such list, so element reads and writes in
//! the loop load the buffer pointer and length once (see `runtime/src/view.rs` for the contract).
//!
//! The body qualifies when it contains no structural list operation (`append`, `pop`, `del`,
//! slice assignment...) except on lists it creates itself (a comprehension's hidden list), no
//! call of a function value, and calls only to functions that never resize a list they did not
//! create themselves ([`non_resizing_functions`]).

use std::collections::HashSet;

use proc_macro2::{Ident, Span, TokenStream};
use pyrsc_frontend::builtins;
use pyrsc_frontend::ir::{Expr, ExprKind, GlobalStorage, Stmt, Target, VarRef};
use pyrsc_frontend::types::Type;
use quote::quote;

use crate::FnGen;

fn var_of(e: &Expr) -> Option<VarRef> {
    match e.kind {
        ExprKind::Local(id) => Some(VarRef::Local(id)),
        ExprKind::Global(id) => Some(VarRef::Global(id)),
        _ => None,
    }
}

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
}

impl Scan {
    fn base(&self, e: &Expr) -> Option<VarRef> {
        let var = var_of(e)?;
        Some(self.aliases.iter().find(|(t, _)| *t == var).map_or(var, |(_, held)| *held))
    }

    fn target(&mut self, t: &Target) {
        match t {
            Target::Local(id) => {
                self.assigned.insert(VarRef::Local(*id));
            }
            Target::Global(id) => {
                self.assigned.insert(VarRef::Global(*id));
            }
            Target::Tuple(items) => items.iter().for_each(|i| self.target(i)),
            Target::Index { base, index, .. } => {
                if matches!(base.ty, Type::List(_)) {
                    if let Some(var) = self.base(base) {
                        self.indexed.push(var);
                    }
                }
                self.expr(base);
                self.expr(index);
            }
            Target::Field { base, .. } => self.expr(base),
            Target::Slice { .. } | Target::Free(_) => self.ok = false,
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Index { base, .. } if matches!(base.ty, Type::List(_)) => {
                if let Some(var) = self.base(base) {
                    self.indexed.push(var);
                }
            }
            ExprKind::Builtin { builtin, args } => {
                let resizes = builtins::builtin(*builtin).effects.resizes;
                if resizes && !args.first().and_then(var_of).is_some_and(|v| self.fresh.contains(&v)) {
                    self.ok = false;
                }
            }
            ExprKind::CallValue { .. } | ExprKind::Free(_) => self.ok = false,
            _ => {}
        }
        for child in e.children() {
            self.expr(child);
        }
        self.block(e.inner_stmts());
    }

    fn block(&mut self, stmts: &[Stmt]) {
        for stmt in stmts {
            match stmt {
                // A consumer's body runs at each `yield` (and a generator at each step of a
                // `for` over it): code outside the loop, which may resize any list.
                Stmt::Yield { .. } | Stmt::YieldFrom { .. } | Stmt::ForGen { .. } => self.ok = false,
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
                Stmt::Assign { target, value } => {
                    self.expr(value);
                    self.target(target);
                }
                Stmt::Expr(e) | Stmt::Return(Some(e)) => self.expr(e),
                Stmt::If { cond, then_body, else_body } => {
                    self.expr(cond);
                    self.block(then_body);
                    self.block(else_body);
                }
                Stmt::While { cond, body, orelse } => {
                    self.expr(cond);
                    self.block(body);
                    self.block(orelse);
                }
                Stmt::ForRange { var, start, stop, step, body, orelse } => {
                    [start, stop, step].into_iter().for_each(|b| self.expr(b));
                    self.target(var);
                    self.block(body);
                    self.block(orelse);
                }
                Stmt::ForList { target, iterable, body, orelse } => {
                    self.expr(iterable);
                    self.target(target);
                    self.block(body);
                    self.block(orelse);
                }
                Stmt::ForPieces { target, text, sep, body, orelse, .. } => {
                    self.expr(text);
                    sep.iter().for_each(|s| self.expr(s));
                    self.target(target);
                    self.block(body);
                    self.block(orelse);
                }
                Stmt::Assert { test, msg, .. } => {
                    self.expr(test);
                    msg.iter().for_each(|m| self.expr(m));
                }
                // A `try` runs its blocks as closures: no loop views across them.
                Stmt::ParFor(_) | Stmt::Def { .. } | Stmt::DeleteSlice { .. } | Stmt::Try(_) => self.ok = false,
                Stmt::Raise { value, cause, .. } => value.iter().chain(cause.expr()).for_each(|e| self.expr(e)),
                Stmt::Break | Stmt::Continue | Stmt::Return(None) => {}
            }
        }
    }
}

impl FnGen<'_> {
    /// The lists a loop with this body (and loop target) may reach through views, with the
    /// hidden aliases that stand for them; empty when the body does not qualify.
    fn viewable(&self, body: &[Stmt], extra: &[&Expr], targets: &[&Target]) -> (Vec<VarRef>, Vec<(VarRef, VarRef)>) {
        let hidden = self
            .function
            .locals
            .iter()
            .enumerate()
            .filter(|(_, l)| l.name.starts_with('$'))
            .map(|(i, _)| VarRef::Local(pyrsc_frontend::ir::LocalId(i as u32)))
            .collect();
        let mut scan = Scan { ok: true, hidden, ..Scan::default() };
        extra.iter().for_each(|e| scan.expr(e));
        // The loop's own target is assigned every iteration (`for row in grid`: a new `row`).
        targets.iter().for_each(|t| scan.target(t));
        scan.block(body);
        // Printing or comparing objects runs their `__repr__`/`__str__`/`__eq__` without a call
        // in the IR: when one of those may resize a list, no loop gets views.
        let specials_ok = self.module.classes.iter().all(|c| c.specials.iter().all(|(_, f)| self.safe[f.0 as usize]));
        let calls_ok =
            specials_ok && calls_are_safe(body, self.safe) && extra.iter().all(|e| expr_calls_safe(e, self.safe));
        if !scan.ok || !calls_ok {
            return (Vec::new(), Vec::new());
        }
        let mut lists = Vec::new();
        for var in scan.indexed {
            if lists.contains(&var) || scan.assigned.contains(&var) {
                continue;
            }
            let plain = match var {
                VarRef::Local(id) => {
                    let local = self.function.local(id);
                    !local.maybe_unbound && !local.captured && !local.name.starts_with('$')
                }
                VarRef::Global(id) => {
                    let global = &self.module.globals[id.0 as usize];
                    global.storage == GlobalStorage::ModuleLocal && !global.maybe_unbound
                }
            };
            if plain {
                lists.push(var);
            }
        }
        (lists, scan.aliases)
    }

    /// Generates a loop (by `make`) with views of the lists its body indexes, when allowed. In a
    /// loop nested in a viewed one, lists the outer loop could not view (a row assigned in the
    /// outer body, say) get their views here.
    pub(crate) fn with_views(
        &mut self,
        body: &[Stmt],
        extra: &[&Expr],
        targets: &[&Target],
        make: impl FnOnce(&mut Self) -> TokenStream,
    ) -> TokenStream {
        if self.par.is_some() {
            return make(self);
        }
        let (lists, aliases) = self.viewable(body, extra, targets);
        let lists: Vec<VarRef> = lists.into_iter().filter(|var| !self.views.iter().any(|(v, _)| v == var)).collect();
        if lists.is_empty() && aliases.is_empty() {
            return make(self);
        }
        let (outer_views, outer_aliases) = (self.views.len(), self.view_aliases.len());
        let mut setup = Vec::new();
        let mut views = Vec::new();
        for (i, var) in lists.iter().enumerate() {
            let view = Ident::new(&format!("__view{}", outer_views + i), Span::call_site());
            let name = match var {
                VarRef::Local(id) => crate::names::local(&self.function.local(*id).name),
                VarRef::Global(id) => crate::names::local(&self.module.globals[id.0 as usize].name),
            };
            let list = match var {
                VarRef::Local(id) if self.is_borrowed(*id) => quote!(#name),
                _ => quote!(&#name),
            };
            setup.push(quote!(let #view = runtime::view::View::new(#list);));
            views.push((*var, view));
        }
        self.views.extend(views);
        self.view_aliases.extend(aliases);
        let looped = make(self);
        self.views.truncate(outer_views);
        self.view_aliases.truncate(outer_aliases);
        if setup.is_empty() {
            return looped;
        }
        quote!({ #(#setup)* #looped })
    }

    /// Whether `temp` is a hidden alias of a viewed list (its assignment is then not needed).
    pub(crate) fn is_view_alias(&self, temp: pyrsc_frontend::ir::LocalId) -> bool {
        let var = VarRef::Local(temp);
        self.view_aliases.iter().any(|(t, held)| *t == var && self.views.iter().any(|(v, _)| v == held))
    }

    /// The view a list expression is reached through in the current loop, if any.
    pub(crate) fn loop_view(&self, e: &Expr) -> Option<Ident> {
        if self.views.is_empty() {
            return None;
        }
        let var = var_of(e)?;
        let var = self.view_aliases.iter().find(|(t, _)| *t == var).map_or(var, |(_, held)| *held);
        self.views.iter().find(|(v, _)| *v == var).map(|(_, view)| view.clone())
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

/// Functions that never change the length or buffer of a list they did not create: calling one
/// inside a viewed loop keeps the views valid. A local that is not a parameter and is only ever
/// assigned new lists holds a list created by this call, so resizing it is harmless.
pub(crate) fn non_resizing_functions(module: &pyrsc_frontend::ir::Module) -> Vec<bool> {
    let mut keeps = vec![true; module.functions.len()];
    loop {
        let mut changed = false;
        for (i, f) in module.functions.iter().enumerate() {
            if keeps[i] && !keeps_lists(f, &keeps) {
                keeps[i] = false;
                changed = true;
            }
        }
        if !changed {
            return keeps;
        }
    }
}

fn keeps_lists(f: &pyrsc_frontend::ir::Function, keeps: &[bool]) -> bool {
    let mut assignments: Vec<(VarRef, bool)> = Vec::new();
    pyrsc_frontend::parallel::visit_stmts(
        &f.body,
        &mut |stmt| {
            if let Stmt::Assign { target: Target::Local(id), value } = stmt {
                assignments.push((VarRef::Local(*id), makes_new_list(value)));
            }
        },
        &mut |_| {},
    );
    let fresh: HashSet<VarRef> = (0..f.locals.len())
        .map(|i| VarRef::Local(pyrsc_frontend::ir::LocalId(i as u32)))
        .filter(|v| {
            let VarRef::Local(id) = v else { return false };
            let local = f.local(*id);
            !f.params.contains(id)
                && !local.captured
                && matches!(local.ty, Type::List(_))
                && assignments.iter().filter(|(a, _)| a == v).all(|(_, new)| *new)
        })
        .collect();
    let hidden = f
        .locals
        .iter()
        .enumerate()
        .filter(|(_, l)| l.name.starts_with('$'))
        .map(|(i, _)| VarRef::Local(pyrsc_frontend::ir::LocalId(i as u32)))
        .collect();
    let mut scan = Scan { ok: true, hidden, fresh, ..Scan::default() };
    scan.block(&f.body);
    scan.ok && calls_are_safe(&f.body, keeps)
}

fn expr_calls_safe(e: &Expr, safe: &[bool]) -> bool {
    let here = match &e.kind {
        ExprKind::Call { func, .. } | ExprKind::New { init: func, .. } => safe[func.0 as usize],
        _ => true,
    };
    here && e.children().iter().all(|c| expr_calls_safe(c, safe)) && calls_are_safe(e.inner_stmts(), safe)
}

fn calls_are_safe(stmts: &[Stmt], safe: &[bool]) -> bool {
    let mut ok = true;
    pyrsc_frontend::parallel::visit_stmts(stmts, &mut |_| {}, &mut |e| ok &= expr_calls_safe(e, safe));
    ok
}
