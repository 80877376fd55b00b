//! The last `prange` rule: a private variable must be assigned, in the same iteration, before
//! every read. Otherwise the read would see whatever another iteration left behind (a
//! loop-carried dependence), which sequential code defines and parallel code cannot.

use std::collections::HashSet;

use crate::diagnostic::Code;
use crate::ir::{Expr, Function, ParLoop, Stmt, Target, VarRef};
use crate::parallel::{var_of, Context};
use crate::span::Loc;

struct Walker<'a> {
    privates: &'a HashSet<VarRef>,
    /// The first read of a private variable that may come before its assignment.
    early: Option<(VarRef, Loc)>,
}

type Assigned = HashSet<VarRef>;

impl Walker<'_> {
    fn block(&mut self, stmts: &[Stmt], set: &mut Assigned) {
        for stmt in stmts {
            self.stmt(stmt, set);
        }
    }

    fn expr(&mut self, e: &Expr, set: &mut Assigned) {
        if let Some(var) = var_of(e) {
            if self.privates.contains(&var) && !set.contains(&var) && self.early.is_none() {
                self.early = Some((var, e.loc));
            }
        }
        for child in e.children() {
            self.expr(child, set);
        }
        self.block(e.inner_stmts(), set);
    }

    fn target_parts(&mut self, t: &Target, set: &mut Assigned) {
        match t {
            Target::Index { base, index, .. } => {
                self.expr(base, set);
                self.expr(index, set);
            }
            Target::Tuple(items) => items.iter().for_each(|i| self.target_parts(i, set)),
            Target::Slice { base, lower, upper, step, .. } => {
                self.expr(base, set);
                [lower, upper, step].into_iter().flatten().for_each(|e| self.expr(e, set));
            }
            _ => {}
        }
    }

    fn assign(t: &Target, set: &mut Assigned) {
        set.extend(t.vars());
    }

    /// A loop: its body sees the variables assigned so far plus its target; afterwards only
    /// what was assigned before is certain (the body may not run).
    fn looped(&mut self, target: Option<&Target>, body: &[Stmt], orelse: &[Stmt], set: &mut Assigned) {
        let mut inner = set.clone();
        if let Some(t) = target {
            Self::assign(t, &mut inner);
        }
        self.block(body, &mut inner);
        let mut after = set.clone();
        self.block(orelse, &mut after);
    }

    fn stmt(&mut self, stmt: &Stmt, set: &mut Assigned) {
        match stmt {
            Stmt::Assign { target, value } => {
                self.expr(value, set);
                self.target_parts(target, set);
                Self::assign(target, set);
            }
            Stmt::Expr(e) | Stmt::Return(Some(e)) | Stmt::Yield { value: e, .. } | Stmt::YieldFrom { call: e, .. } => {
                self.expr(e, set)
            }
            // (The checker keeps generators out of prange bodies.)
            Stmt::ForGen { call, .. } => self.expr(call, set),
            Stmt::If { cond, then_body, else_body } => {
                self.expr(cond, set);
                let (mut a, mut b) = (set.clone(), set.clone());
                self.block(then_body, &mut a);
                self.block(else_body, &mut b);
                *set = a.intersection(&b).copied().collect();
            }
            Stmt::While { cond, body, orelse, .. } => {
                self.expr(cond, set);
                self.looped(None, body, orelse, set);
            }
            Stmt::ForRange { var, start, stop, step, body, orelse, .. } => {
                [start, stop, step].into_iter().for_each(|e| self.expr(e, set));
                self.looped(Some(var), body, orelse, set);
            }
            Stmt::ForList { target, iterable, body, orelse, .. } => {
                self.expr(iterable, set);
                self.looped(Some(target), body, orelse, set);
            }
            Stmt::ForPieces { target, text, sep, body, orelse, .. } => {
                self.expr(text, set);
                sep.iter().for_each(|s| self.expr(s, set));
                self.looped(Some(target), body, orelse, set);
            }
            Stmt::Assert { test, msg, .. } => {
                self.expr(test, set);
                msg.iter().for_each(|m| self.expr(m, set));
            }
            Stmt::DeleteSlice { base, lower, upper, step, .. } => {
                self.expr(base, set);
                [lower, upper, step].into_iter().flatten().for_each(|e| self.expr(e, set));
            }
            Stmt::Raise { value, cause, .. } => value.iter().chain(cause.expr()).for_each(|e| self.expr(e, set)),
            Stmt::Try(t) => {
                // Any statement of the body may fail: a handler starts from what was assigned
                // before the `try` (plus its own name), `else` after the body, `finally` from
                // before; afterwards only what was certain before, plus what `finally` assigns.
                let before = set.clone();
                let mut body = before.clone();
                self.block(&t.body, &mut body);
                self.block(&t.orelse, &mut body);
                for handler in &t.handlers {
                    let mut inner = before.clone();
                    if let Some(var) = handler.var {
                        inner.insert(VarRef::Local(var));
                    }
                    self.block(&handler.body, &mut inner);
                }
                self.block(&t.finally, set);
            }
            Stmt::ParFor(_) | Stmt::Def { .. } | Stmt::Break | Stmt::Continue | Stmt::Return(None) => {}
        }
    }
}

/// Reports (and returns false for) a private variable read before this iteration assigns it.
pub(crate) fn check_private_reads(ctx: &mut Context, f: &Function, par: &ParLoop, privates: &[VarRef]) -> bool {
    let privates: HashSet<VarRef> = privates.iter().copied().collect();
    let mut walker = Walker { privates: &privates, early: None };
    let mut set = Assigned::new();
    walker.block(&par.body, &mut set);
    let Some((var, loc)) = walker.early else { return true };
    let name = ctx.var_name(f, var);
    ctx.error(
        Code::Race,
        loc,
        format!("`{name}` may be read before this iteration assigns it: in a prange loop its value cannot come from another iteration"),
        "read before assignment",
        format!("assign `{name}` at the top of the loop body, or keep a running value with a reduction"),
    );
    false
}
