//! `for i in prange(...)`: checked like a `range` loop, then handed to the race analysis
//! (`parallel.rs`) as an IR `ParFor`. A prange nested in another one's body, or in a
//! comprehension, is an ordinary counted loop (the outer loop already has the parallelism).

use super::state::Var;
use super::Checker;
use crate::diagnostic::Code;
use crate::ir::{Expr, ParLoop, Stmt, VarRef};
use crate::syntax::{self, Keyword};
use crate::types::Type;

impl Checker<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn prange_loop(
        &mut self,
        target: &syntax::Expr,
        iter: &syntax::Expr,
        args: &[syntax::Expr],
        keywords: &[Keyword],
        body: &[syntax::Stmt],
        orelse: &[syntax::Stmt],
        out: &mut Vec<Stmt>,
    ) {
        let mut threads: Option<Expr> = None;
        for keyword in keywords {
            if keyword.name != "num_threads" {
                self.error(
                    Code::Unsupported,
                    keyword.span,
                    format!("prange() has no keyword argument `{}`", keyword.name),
                    "here",
                    "pass start, stop and step by position; `num_threads=k` picks the thread count",
                );
                continue;
            }
            let value = self.expr(&keyword.value, Some(&Type::Int));
            threads = match value.ty {
                Type::Int | Type::Unknown => Some(value),
                Type::Bool => Some(self.to_int(value)),
                other => {
                    self.error(
                        Code::TypeMismatch,
                        keyword.value.span,
                        format!("num_threads must be an int, not {other}"),
                        format!("this is {other}"),
                        "pass a thread count such as `num_threads=4`",
                    );
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
                self.error(
                    Code::Unsupported,
                    target.span,
                    "a `nonlocal` variable cannot be the variable of a prange loop",
                    "nonlocal",
                    "use a new name for the loop variable",
                );
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
            Some(Stmt::ParFor(Box::new(ParLoop {
                var,
                start,
                stop,
                step,
                threads,
                body,
                orelse: Vec::new(),
                loc,
                id: this.loop_id(),
            })))
        });
        self.prange_depth -= 1;
    }
}

impl Checker<'_> {
    /// `pmap(f, items)` with `f` a module function of one parameter and `items` a list.
    pub(super) fn pmap_call(&mut self, args: &[syntax::Expr], keywords: &[Keyword], span: crate::span::Span) -> Expr {
        let loc = self.loc(span);
        if let Some(keyword) = keywords.first() {
            self.error(
                Code::Unsupported,
                keyword.span,
                "pmap() takes no keyword arguments",
                "keyword",
                "call it as `pmap(f, items)`",
            );
            return self.poisoned(span);
        }
        let [func, items] = args else {
            self.error(
                Code::WrongArgumentCount,
                span,
                format!("pmap() takes 2 arguments (a function and a list) but {} were given", args.len()),
                "here",
                "call it as `pmap(f, items)`",
            );
            return self.poisoned(span);
        };
        let function = match &func.kind {
            syntax::ExprKind::Name(name) if !self.f.by_name.contains_key(name) => match self.scope.names.get(name) {
                Some(super::scope::ModuleName::Function(id)) => Some(*id),
                _ => None,
            },
            _ => None,
        };
        let Some(id) = function else {
            self.error(
                Code::Unsupported,
                func.span,
                "pmap() needs the name of a module-level function",
                "not a module function",
                "define the work as `def f(x: T) -> U:` at module level and pass `f`",
            );
            return self.poisoned(span);
        };
        let params = self.inference.params[id.0 as usize].clone();
        let ret = self.inference.rets[id.0 as usize].clone();
        if params.len() != 1 {
            self.error(
                Code::WrongArgumentCount,
                func.span,
                format!("pmap() calls its function with one argument, but this one takes {}", params.len()),
                "parameter count",
                "give the function exactly one parameter",
            );
            return self.poisoned(span);
        }
        let items_value = self.consumed_arg(items, Some(&Type::list(params[0].clone())));
        match &items_value.ty {
            Type::List(elem) if **elem == params[0] => {}
            Type::Unknown => return self.poisoned(span),
            other => {
                let other = other.clone();
                self.error(
                    Code::TypeMismatch,
                    items.span,
                    format!(
                        "pmap() applies a function of {} to the items of a list[{}], not to {other}",
                        params[0], params[0]
                    ),
                    format!("this is {other}"),
                    format!("pass a list[{}]", params[0]),
                );
                return self.poisoned(span);
            }
        }
        Expr::new(crate::ir::ExprKind::ParMap { func: id, items: Box::new(items_value) }, Type::list(ret), loc)
    }
}
