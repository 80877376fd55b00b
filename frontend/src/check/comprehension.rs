//! Comprehensions: `[elt for x in xs if c]` becomes loops that append to a hidden list, inside an
//! IR `Block` expression. Comprehension variables get hidden locals of their own, so they do not
//! leak into (or clobber) the enclosing function's variables, as in Python 3.
//!
//! Generator expressions consumed at once — `sum`, `min`, `max`, `sorted`, `list` and
//! `str.join` (materialised like a list comprehension, which is what consuming them does), and
//! `any`/`all`/`next`, which stop at the first deciding element — cost no generator object;
//! elsewhere they are kept as values (`lazy.rs`).

use super::{Checker, Var};
use crate::builtins::{Key, Receiver};
use crate::diagnostic::Code;
use crate::ir::{Expr, ExprKind, LocalId, Stmt, Target};
use crate::span::Span;
use crate::syntax::{self, Comprehension, ExprKind as S};
use crate::types::Type;

/// Names bound by a comprehension target (`x`, or `(i, x)`).
fn target_names(target: &syntax::Expr, out: &mut Vec<String>) {
    match &target.kind {
        S::Name(name) => out.push(name.clone()),
        S::Tuple(items) | S::List(items) => items.iter().for_each(|i| target_names(i, out)),
        _ => {}
    }
}

impl Checker<'_> {
    /// Runs `check` with every comprehension target bound to a fresh hidden local.
    pub(super) fn in_comprehension_scope<R>(
        &mut self,
        generators: &[Comprehension],
        check: impl FnOnce(&mut Self) -> R,
    ) -> R {
        let mut names = Vec::new();
        for generator in generators {
            target_names(&generator.target, &mut names);
        }
        let saved: Vec<(String, Option<LocalId>)> =
            names.iter().map(|n| (n.clone(), self.f.by_name.get(n).copied())).collect();
        for name in &names {
            let hidden = self.f.temp(Type::Unknown);
            self.f.annotated[hidden.0 as usize] = false;
            self.f.by_name.insert(name.clone(), hidden);
        }
        let result = check(self);
        for (name, previous) in saved {
            match previous {
                Some(id) => self.f.by_name.insert(name, id),
                None => self.f.by_name.remove(&name),
            };
        }
        result
    }

    /// Emits the loops of `generators[level..]` around `innermost`.
    pub(super) fn comprehension_loops(
        &mut self,
        generators: &[Comprehension],
        level: usize,
        innermost: &mut dyn FnMut(&mut Self) -> Vec<Stmt>,
        out: &mut Vec<Stmt>,
    ) {
        let generator = &generators[level];
        self.for_loop_with(
            &generator.target,
            &generator.iter,
            &mut |this: &mut Self| {
                let conditions: Vec<Expr> = generator.ifs.iter().map(|c| this.condition(c)).collect();
                let mut inner = Vec::new();
                if level + 1 < generators.len() {
                    this.comprehension_loops(generators, level + 1, innermost, &mut inner);
                } else {
                    inner = innermost(this);
                }
                for cond in conditions.into_iter().rev() {
                    inner = vec![Stmt::If { cond, then_body: inner, else_body: Vec::new() }];
                }
                inner
            },
            &[],
            out,
        );
    }

    /// The comprehension `check` builds, in a frame named `name` (`<listcomp>`, ...): errors of
    /// its iteration point at `inner` (the comprehension) in that frame, then at `outer` (the
    /// comprehension, or the call consuming a generator expression) in the enclosing one.
    pub(super) fn framed(
        &mut self,
        name: &'static str,
        outer: Span,
        inner: Span,
        check: impl FnOnce(&mut Self) -> Expr,
    ) -> Expr {
        let value = self.with_loop_span(inner, check);
        if value.ty.has_unknown() {
            return value;
        }
        let (loc, ty) = (self.loc(outer), value.ty.clone());
        Expr::new(ExprKind::Frame { name, value: Box::new(value) }, ty, loc)
    }

    /// Runs `check` with errors of the loops it lowers pointing at `span`.
    pub(super) fn with_loop_span(&mut self, span: Span, check: impl FnOnce(&mut Self) -> Expr) -> Expr {
        let saved = std::mem::replace(&mut self.loop_span, span);
        let value = check(self);
        self.loop_span = saved;
        value
    }

    /// A generator expression's span as CPython reports it: with the parentheses of the call
    /// it is the only argument of.
    pub(super) fn genexp_span(&self, span: Span) -> Span {
        let bytes = self.source.as_bytes();
        let (start, end) = (span.start as usize, span.end as usize);
        if start > 0 && bytes.get(start - 1) == Some(&b'(') && bytes.get(end) == Some(&b')') {
            return Span::new(span.start - 1, span.end + 1);
        }
        span
    }

    /// `[elt for ...]`: a list built by the comprehension's loops.
    pub fn list_comprehension(&mut self, elt: &syntax::Expr, generators: &[Comprehension], span: Span) -> Expr {
        let loc = self.loc(span);
        let result = self.f.temp(Type::Unknown);
        let mut elem_ty = Type::Unknown;
        let mut loops = Vec::new();
        self.in_comprehension_scope(generators, |this| {
            this.comprehension_loops(
                generators,
                0,
                &mut |this: &mut Self| {
                    let value = this.expr(elt, None);
                    elem_ty = value.ty.clone();
                    let list = Expr::new(ExprKind::Local(result), Type::list(value.ty.clone()), loc);
                    vec![Stmt::Expr(this.builtin_call(Key::Method(Receiver::List, "append"), vec![list, value], span))]
                },
                &mut loops,
            );
        });
        let list_ty = Type::list(elem_ty);
        self.f.locals[result.0 as usize].ty = list_ty.clone();
        self.f.mark_assigned(Var::Local(result));
        let mut stmts = vec![Stmt::Assign {
            target: Target::Local(result),
            value: Expr::new(ExprKind::List(Vec::new()), list_ty.clone(), loc),
        }];
        stmts.extend(loops);
        Expr::new(
            ExprKind::Block { stmts, value: Box::new(Expr::new(ExprKind::Local(result), list_ty.clone(), loc)) },
            list_ty,
            loc,
        )
    }

    /// `any(elt for ...)` / `all(elt for ...)`: a loop that stops at the first deciding element.
    pub fn any_all(&mut self, is_any: bool, elt: &syntax::Expr, generators: &[Comprehension], span: Span) -> Expr {
        let loc = self.loc(span);
        if generators.len() != 1 {
            self.error(
                Code::Unsupported,
                span,
                format!(
                    "{}() over a generator with several `for` clauses is not supported",
                    if is_any { "any" } else { "all" }
                ),
                "several for clauses",
                "nest the loops explicitly, or build a list first",
            );
            return self.poisoned(span);
        }
        let result = self.f.temp(Type::Bool);
        let mut loops = Vec::new();
        self.in_comprehension_scope(generators, |this| {
            this.comprehension_loops(
                generators,
                0,
                &mut |this: &mut Self| {
                    let test = this.condition(elt);
                    let cond = if is_any {
                        test
                    } else {
                        Expr::new(
                            ExprKind::Unary { op: crate::ir::UnaryOp::Not, operand: Box::new(test) },
                            Type::Bool,
                            loc,
                        )
                    };
                    let decided = Expr::new(ExprKind::Bool(is_any), Type::Bool, loc);
                    vec![Stmt::If {
                        cond,
                        then_body: vec![Stmt::Assign { target: Target::Local(result), value: decided }, Stmt::Break],
                        else_body: Vec::new(),
                    }]
                },
                &mut loops,
            );
        });
        self.f.mark_assigned(Var::Local(result));
        let mut stmts = vec![Stmt::Assign {
            target: Target::Local(result),
            value: Expr::new(ExprKind::Bool(!is_any), Type::Bool, loc),
        }];
        stmts.extend(loops);
        Expr::new(
            ExprKind::Block { stmts, value: Box::new(Expr::new(ExprKind::Local(result), Type::Bool, loc)) },
            Type::Bool,
            loc,
        )
    }

    /// A generator expression kept as a value where pyrsc cannot keep one (a nested function).
    pub fn generator_not_consumed(&mut self, span: Span) -> Expr {
        self.error(
            Code::Unsupported,
            span,
            "a generator expression kept as a value inside a nested function is not supported by pyrsc yet",
            "not consumed here",
            "use a list comprehension `[...]`, or, for a lazy stream kept in a variable, a generator function (`def gen() -> Iterator[T]:` with `yield`)",
        );
        self.poisoned(span)
    }
}
