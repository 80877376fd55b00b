//! `for i in prange(...)`: checked like a `range` loop, then handed to the race analysis
//! (`parallel.rs`) as an IR `ParFor`. A prange nested in another one's body, or in a
//! comprehension, is an ordinary counted loop (the outer loop already has the parallelism).

use super::scope::Var;
use super::Checker;
use crate::diagnostic::Code;
use crate::ir::{Expr, ParLoop, ParPlan, Stmt, VarRef};
use crate::syntax::{self, Keyword};
use crate::types::Type;

impl Checker<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn prange_loop(&mut self, target: &syntax::Expr, iter: &syntax::Expr, args: &[syntax::Expr], keywords: &[Keyword], body: &[syntax::Stmt], orelse: &[syntax::Stmt], out: &mut Vec<Stmt>) {
        let mut threads: Option<Expr> = None;
        for keyword in keywords {
            if keyword.name != "num_threads" {
                self.error(Code::Unsupported, keyword.span, format!("prange() has no keyword argument `{}`", keyword.name), "here", "pass start, stop and step by position; `num_threads=k` picks the thread count");
                continue;
            }
            let value = self.expr(&keyword.value, Some(&Type::Int));
            threads = match value.ty {
                Type::Int | Type::Unknown => Some(value),
                Type::Bool => Some(self.to_int(value)),
                other => {
                    self.error(Code::TypeMismatch, keyword.value.span, format!("num_threads must be an int, not {other}"), format!("this is {other}"), "pass a thread count such as `num_threads=4`");
                    None
                }
            };
        }
        let Some((start, stop, step)) = self.range_bounds(iter, args) else { return };
        let Some(var) = self.range_loop_var(target) else { return };
        let var = match var {
            Var::Local(id) => VarRef::Local(id),
            Var::Global(id) => VarRef::Global(id),
            Var::Free(_) => {
                self.error(Code::Unsupported, target.span, "a `nonlocal` variable cannot be the variable of a prange loop", "nonlocal", "use a new name for the loop variable");
                return;
            }
        };
        let loc = self.loc(iter.span);
        self.prange_depth += 1;
        self.lowered_loop(orelse, out, |this| {
            this.f.mark_assigned(match var {
                VarRef::Local(id) => Var::Local(id),
                VarRef::Global(id) => Var::Global(id),
            });
            let body = this.block(body);
            Some(Stmt::ParFor(Box::new(ParLoop { var, start, stop, step, threads, body, orelse: Vec::new(), loc, plan: ParPlan::default() })))
        });
        self.prange_depth -= 1;
    }
}
