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

use std::collections::HashSet;

use crate::builtins::BUILTINS;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Expr, ExprKind, Function, GlobalStorage, Module, ParLoop, ParPlan, ReduceOp, Stmt, Target, VarRef};
use crate::span::{LineIndex, Loc};
use crate::syntax::BinOp;
use crate::types::Type;

/// Fills the plan of every `prange` loop of `module`, or reports why a loop would race.
pub fn analyze(module: &mut Module) -> Result<(), Vec<Diagnostic>> {
    let source = module.source.clone();
    let lines = LineIndex::new(&source);
    let safe = thread_safe_functions(module);
    let mut ctx = Context { module, lines: &lines, safe: &safe, diagnostics: Vec::new() };
    let mut plans = Vec::new();
    for f in ctx.module.functions.iter().chain(std::iter::once(&ctx.module.body)) {
        plans.push(ctx.function_plans(f));
        ctx.check_pmaps(&f.body);
    }
    let diagnostics = std::mem::take(&mut ctx.diagnostics);
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut plans = plans.into_iter();
    for f in module.functions.iter_mut().chain(std::iter::once(&mut module.body)) {
        let mut mine = plans.next().unwrap_or_default().into_iter();
        apply(&mut f.body, &mut mine);
    }
    Ok(())
}

/// Plans in the order `apply` meets the loops (pre-order, nested functions included).
fn apply(stmts: &mut [Stmt], plans: &mut impl Iterator<Item = ParPlan>) {
    for stmt in stmts {
        match stmt {
            Stmt::ParFor(par) => {
                par.plan = plans.next().unwrap_or_default();
                apply(&mut par.orelse, plans);
            }
            Stmt::If { then_body, else_body, .. } => {
                apply(then_body, plans);
                apply(else_body, plans);
            }
            Stmt::While { body, orelse, .. }
            | Stmt::ForRange { body, orelse, .. }
            | Stmt::ForList { body, orelse, .. }
            | Stmt::ForPieces { body, orelse, .. } => {
                apply(body, plans);
                apply(orelse, plans);
            }
            Stmt::Def { function, .. } => apply(&mut function.body, plans),
            _ => {}
        }
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

/// Every variable a block reads or assigns, except inside `skip` (the loop being analysed).
fn uses(stmts: &[Stmt], skip: *const ParLoop, out: &mut HashSet<VarRef>) {
    fn expr(e: &Expr, out: &mut HashSet<VarRef>) {
        out.extend(var_of(e));
        e.children().into_iter().for_each(|c| expr(c, out));
        let mut assigned = HashSet::new();
        walk(e.inner_stmts(), None, false, &mut |s| assigned_vars(s, &mut assigned), &mut |inner| expr(inner, out));
        out.extend(assigned);
    }
    let mut assigned = HashSet::new();
    walk(stmts, Some(skip), false, &mut |s| assigned_vars(s, &mut assigned), &mut |e| expr(e, out));
    out.extend(assigned);
}

/// The variables a statement binds directly (not those of the blocks inside it).
fn assigned_vars(stmt: &Stmt, out: &mut HashSet<VarRef>) {
    fn target(t: &Target, out: &mut HashSet<VarRef>) {
        match t {
            Target::Tuple(items) => items.iter().for_each(|i| target(i, out)),
            _ => out.extend(target_var(t)),
        }
    }
    match stmt {
        Stmt::Assign { target: t, .. }
        | Stmt::ForRange { var: t, .. }
        | Stmt::ForList { target: t, .. }
        | Stmt::ForPieces { target: t, .. } => target(t, out),
        Stmt::ParFor(par) => {
            out.insert(par.var);
        }
        Stmt::Def { local, captures, .. } => {
            out.insert(VarRef::Local(*local));
            out.extend(captures.iter().map(|c| VarRef::Local(*c)));
        }
        _ => {}
    }
}

/// Functions a prange body may call: scalar or str parameters and result, and (transitively)
/// no printing, no global writes, no reads of globals other threads could not share.
pub fn thread_safe_functions(module: &Module) -> Vec<bool> {
    let mut safe: Vec<bool> = module
        .functions
        .iter()
        .map(|f| shareable(&f.ret) && f.params.iter().all(|p| shareable(&f.local(*p).ty)))
        .collect();
    loop {
        let mut changed = false;
        for (i, f) in module.functions.iter().enumerate() {
            if safe[i] && !body_is_thread_safe(module, &f.body, &safe) {
                safe[i] = false;
                changed = true;
            }
        }
        if !changed {
            return safe;
        }
    }
}

fn body_is_thread_safe(module: &Module, stmts: &[Stmt], safe: &[bool]) -> bool {
    fn expr_ok(module: &Module, e: &Expr, safe: &[bool]) -> bool {
        let here = match &e.kind {
            ExprKind::Print { .. } | ExprKind::Free(_) => false,
            ExprKind::Global(id) => {
                let global = &module.globals[id.0 as usize];
                global.storage == GlobalStorage::Static && shareable(&global.ty)
                    || matches!(global.storage, GlobalStorage::Const(_))
            }
            ExprKind::Call { func, .. } | ExprKind::New { init: func, .. } => safe[func.0 as usize],
            ExprKind::Builtin { builtin, .. } => BUILTINS[builtin.0 as usize].python != "sys.argv",
            _ => true,
        };
        here && e.children().iter().all(|c| expr_ok(module, c, safe))
            && body_is_thread_safe(module, e.inner_stmts(), safe)
    }
    let (mut stmts_ok, mut exprs_ok) = (true, true);
    visit_stmts(
        stmts,
        &mut |stmt| {
            let assigns_global = match stmt {
                Stmt::Assign { target, .. } => target_assigns_global(target),
                Stmt::ForRange { var, .. } => target_assigns_global(var),
                Stmt::ForList { target, .. } | Stmt::ForPieces { target, .. } => target_assigns_global(target),
                Stmt::ParFor(par) => matches!(par.var, VarRef::Global(_)),
                _ => false,
            };
            stmts_ok &= !assigns_global;
        },
        &mut |e| exprs_ok &= expr_ok(module, e, safe),
    );
    stmts_ok && exprs_ok
}

fn target_assigns_global(t: &Target) -> bool {
    match t {
        Target::Global(_) | Target::Free(_) => true,
        Target::Tuple(items) => items.iter().any(target_assigns_global),
        _ => false,
    }
}

/// Calls `on_stmt` on every statement and `on_expr` on every top-level expression of a block
/// (nested blocks included; `on_expr` walks into sub-expressions itself).
pub fn visit_stmts(stmts: &[Stmt], on_stmt: &mut dyn FnMut(&Stmt), on_expr: &mut dyn FnMut(&Expr)) {
    walk(stmts, None, true, on_stmt, on_expr)
}

/// Every statement and every expression (sub-expressions and comprehension bodies included)
/// of `stmts`, nested functions included.
pub fn visit_deep(stmts: &[Stmt], on_stmt: &mut dyn FnMut(&Stmt), on_expr: &mut dyn FnMut(&Expr)) {
    let on_stmt = std::cell::RefCell::new(on_stmt);
    let on_expr = std::cell::RefCell::new(on_expr);
    deep(stmts, &on_stmt, &on_expr);
}

type StmtVisitor<'a, 'b> = std::cell::RefCell<&'a mut dyn FnMut(&Stmt)>;
type ExprVisitor<'a, 'b> = std::cell::RefCell<&'a mut dyn FnMut(&Expr)>;

fn deep(stmts: &[Stmt], on_stmt: &StmtVisitor, on_expr: &ExprVisitor) {
    fn expr(e: &Expr, on_stmt: &StmtVisitor, on_expr: &ExprVisitor) {
        (on_expr.borrow_mut())(e);
        for child in e.children() {
            expr(child, on_stmt, on_expr);
        }
        deep(e.inner_stmts(), on_stmt, on_expr);
    }
    walk(stmts, None, true, &mut |s| (on_stmt.borrow_mut())(s), &mut |e| expr(e, on_stmt, on_expr));
}

/// [`visit_stmts`], not entering the body of the prange loop `skip`, and entering nested
/// functions only when `into_defs` (their locals are another function's).
fn walk(
    stmts: &[Stmt],
    skip: Option<*const ParLoop>,
    into_defs: bool,
    on_stmt: &mut dyn FnMut(&Stmt),
    on_expr: &mut dyn FnMut(&Expr),
) {
    fn target(t: &Target, on_expr: &mut dyn FnMut(&Expr)) {
        match t {
            Target::Index { base, index, .. } => {
                on_expr(base);
                on_expr(index);
            }
            Target::Tuple(items) => items.iter().for_each(|i| target(i, on_expr)),
            Target::Slice { base, lower, upper, step, .. } => {
                on_expr(base);
                [lower, upper, step].into_iter().flatten().for_each(|e| on_expr(e));
            }
            Target::Field { base, .. } => on_expr(base),
            Target::Local(_) | Target::Global(_) | Target::Free(_) => {}
        }
    }
    for stmt in stmts {
        on_stmt(stmt);
        match stmt {
            Stmt::Assign { target: t, value } => {
                target(t, on_expr);
                on_expr(value);
            }
            Stmt::Expr(e) | Stmt::Return(Some(e)) => on_expr(e),
            Stmt::If { cond, then_body, else_body } => {
                on_expr(cond);
                walk(then_body, skip, into_defs, on_stmt, on_expr);
                walk(else_body, skip, into_defs, on_stmt, on_expr);
            }
            Stmt::While { cond, body, orelse } => {
                on_expr(cond);
                walk(body, skip, into_defs, on_stmt, on_expr);
                walk(orelse, skip, into_defs, on_stmt, on_expr);
            }
            Stmt::ForRange { start, stop, step, body, orelse, .. } => {
                [start, stop, step].into_iter().for_each(&mut *on_expr);
                walk(body, skip, into_defs, on_stmt, on_expr);
                walk(orelse, skip, into_defs, on_stmt, on_expr);
            }
            Stmt::ForList { iterable, body, orelse, .. } => {
                on_expr(iterable);
                walk(body, skip, into_defs, on_stmt, on_expr);
                walk(orelse, skip, into_defs, on_stmt, on_expr);
            }
            Stmt::ForPieces { text, sep, body, orelse, .. } => {
                on_expr(text);
                sep.iter().for_each(&mut *on_expr);
                walk(body, skip, into_defs, on_stmt, on_expr);
                walk(orelse, skip, into_defs, on_stmt, on_expr);
            }
            Stmt::ParFor(par) => {
                [&par.start, &par.stop, &par.step].into_iter().chain(&par.threads).for_each(&mut *on_expr);
                if skip != Some(par.as_ref() as *const ParLoop) {
                    walk(&par.body, skip, into_defs, on_stmt, on_expr);
                }
                walk(&par.orelse, skip, into_defs, on_stmt, on_expr);
            }
            Stmt::Assert { test, msg, .. } => {
                on_expr(test);
                msg.iter().for_each(&mut *on_expr);
            }
            Stmt::Def { function, .. } if into_defs => walk(&function.body, skip, into_defs, on_stmt, on_expr),
            Stmt::Def { .. } => {}
            Stmt::DeleteSlice { base, lower, upper, step, .. } => {
                on_expr(base);
                [lower, upper, step].into_iter().flatten().for_each(&mut *on_expr);
            }
            Stmt::Try(t) => t.blocks().into_iter().for_each(|b| walk(b, skip, into_defs, on_stmt, on_expr)),
            Stmt::Raise { value, cause, .. } => value.iter().chain(cause.expr()).for_each(&mut *on_expr),
            Stmt::Yield { value: e, .. } | Stmt::YieldFrom { call: e, .. } => on_expr(e),
            Stmt::ForGen { target: t, call, body, orelse, .. } => {
                target(t, on_expr);
                on_expr(call);
                walk(body, skip, into_defs, on_stmt, on_expr);
                walk(orelse, skip, into_defs, on_stmt, on_expr);
            }
            Stmt::Break | Stmt::Continue | Stmt::Return(None) => {}
        }
    }
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
        fn find(e: &Expr, out: &mut Vec<(crate::ir::FuncId, Type, Loc)>) {
            if let ExprKind::ParMap { func, items } = &e.kind {
                out.push((*func, items.ty.clone(), e.loc));
            }
            e.children().into_iter().for_each(|c| find(c, out));
            visit_stmts(e.inner_stmts(), &mut |_| {}, &mut |inner| find(inner, out));
        }
        let mut found = Vec::new();
        visit_stmts(stmts, &mut |_| {}, &mut |e| find(e, &mut found));
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

    /// The plans of the prange loops of `f`, in `apply` order (nested functions included).
    fn function_plans(&mut self, f: &Function) -> Vec<ParPlan> {
        let mut plans = Vec::new();
        self.block_plans(f, &f.body, &mut plans);
        plans
    }

    fn block_plans(&mut self, f: &Function, stmts: &[Stmt], plans: &mut Vec<ParPlan>) {
        for stmt in stmts {
            match stmt {
                Stmt::ParFor(par) => {
                    let mut outside = HashSet::new();
                    uses(&f.body, par.as_ref(), &mut outside);
                    outside.extend(f.params.iter().map(|p| VarRef::Local(*p)));
                    plans.push(self.plan(f, par, &outside));
                    self.block_plans(f, &par.orelse, plans);
                }
                Stmt::If { then_body, else_body, .. } => {
                    self.block_plans(f, then_body, plans);
                    self.block_plans(f, else_body, plans);
                }
                Stmt::While { body, orelse, .. }
                | Stmt::ForRange { body, orelse, .. }
                | Stmt::ForList { body, orelse, .. }
                | Stmt::ForPieces { body, orelse, .. } => {
                    self.block_plans(f, body, plans);
                    self.block_plans(f, orelse, plans);
                }
                Stmt::Def { function, .. } => self.block_plans(function, &function.body, plans),
                _ => {}
            }
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

    fn plan(&mut self, f: &Function, par: &ParLoop, outside: &HashSet<VarRef>) -> ParPlan {
        crate::parallel_body::plan(self, f, par, outside).unwrap_or_default()
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
