//! Generators: functions with `yield`, annotated `-> Iterator[T]`. A generator runs as its
//! consumer pulls values, so it is compiled by *internal iteration*: the consuming loop's body
//! becomes a sink the generator calls at each `yield` (`Stmt::ForGen`), which interleaves the two
//! exactly as CPython does. Where a generator is consumed where it is created — `for x in
//! gen(...)`, a comprehension over it, `list`/`sum`/`min`/`max`/`sorted`/`any`/`all`/`str.join`
//! of it, `yield from gen(...)`, `next(gen(...))` — that is all it costs. A generator kept as a
//! value (`g = gen(...)`, an argument, a field: type `Iterator[T]`) is a runtime `Generator`
//! that runs the same function on a stack of its own, resumed by `next(g)`, `for x in g` and
//! `yield from g` (the same `Stmt::ForGen`/`Stmt::YieldFrom` over a value instead of a call).

use super::Checker;
use crate::builtins::Key;
use crate::diagnostic::Code;
use crate::ir::{Expr, ExprKind, Stmt, Target};
use crate::span::{Loc, Span};
use crate::syntax;
use crate::types::Type;

impl Checker<'_> {
    /// `yield value` / `yield` as a statement.
    pub(super) fn yield_stmt(&mut self, value: Option<&syntax::Expr>, span: Span, out: &mut Vec<Stmt>) {
        let loc = self.loc(span);
        let Some(ty) = self.yield_type(span) else { return };
        let value = match value {
            Some(v) => self.expr(v, Some(&ty)),
            None => Expr::new(ExprKind::None, Type::None, loc),
        };
        let value = match self.fit(value.clone(), &ty) {
            super::ops::Fit::Ok(value) => value,
            // An int (or a float that may still be one) yielded by an `Iterator[float]`:
            // CPython hands the int on, so the element type widens (as `-> float` does).
            super::ops::Fit::Widen(wider) if ty == Type::Float => {
                if let Some(owner) = self.f.owner {
                    self.inference.rets[owner.0 as usize] = Type::Iterator(Box::new(wider));
                }
                self.to_num(value)
            }
            _ if value.ty.has_unknown() => return,
            _ => {
                self.error(
                    Code::TypeMismatch,
                    span,
                    format!("this generator yields {ty}, but this is {}", value.ty),
                    format!("this is {}", value.ty),
                    format!("yield a {ty}, or change the annotation to `Iterator[{}]`", value.ty),
                );
                return;
            }
        };
        out.push(Stmt::Yield { value, loc });
    }

    /// What the generator being checked yields, when a `yield` may stand here.
    fn yield_type(&mut self, span: Span) -> Option<Type> {
        let Some(ty) = self.f.yield_ty.clone() else {
            // In a function, its annotation was reported already (a generator needs
            // `-> Iterator[T]`).
            if self.f.owner.is_none() {
                self.error(
                    Code::SyntaxError,
                    span,
                    "'yield' outside function",
                    "yield here",
                    "yield inside a function annotated `-> Iterator[T]`",
                );
            }
            return None;
        };
        self.generator_position_ok(span).then_some(ty)
    }

    /// Where `yield` may not stand: where the generator's close would be observable otherwise
    /// than through its `finally` blocks, and in a prange body.
    fn generator_position_ok(&mut self, span: Span) -> bool {
        if let Some(reason) = self.f.yield_forbidden.last() {
            self.error(
                Code::Unsupported,
                span,
                format!("`yield` {reason} is not supported by pyrsc yet"),
                "yield here",
                "compute the value inside the block, and yield it after it",
            );
            return false;
        }
        if self.prange_depth > 0 {
            self.error(
                Code::Race,
                span,
                "`yield` inside a prange body",
                "in prange",
                "collect the values in a list in the loop, then yield them after it",
            );
            return false;
        }
        true
    }

    /// `yield from iterable`: another generator's values, or a sequence's elements.
    pub(super) fn yield_from_stmt(&mut self, source: &syntax::Expr, span: Span, out: &mut Vec<Stmt>) {
        let loc = self.loc(span);
        let Some(ty) = self.yield_type(span) else { return };
        let (saved, pending) = (self.diagnostics.len(), self.pending_empty.len());
        let probe = self.expr(source, None);
        if let Type::Iterator(elem) = &probe.ty {
            if **elem != ty {
                self.error(
                    Code::TypeMismatch,
                    source.span,
                    format!("this generator yields {ty}, but `yield from` gives {elem}"),
                    format!("yields {elem}"),
                    "yield from a generator of the same element type",
                );
                return;
            }
            out.push(Stmt::YieldFrom { call: probe, loc });
            return;
        }
        self.diagnostics.truncate(saved);
        self.pending_empty.truncate(pending);
        // `yield from xs` is `for x in xs: yield x`.
        let name = format!("$yield{}", span.start);
        let hidden = syntax::Expr { kind: syntax::ExprKind::Name(name.clone()), span: source.span };
        self.f.add_local(&name, ty.clone(), false);
        let yielded = syntax::Stmt {
            kind: syntax::StmtKind::Expr(syntax::Expr {
                kind: syntax::ExprKind::Yield(Some(Box::new(hidden.clone()))),
                span,
            }),
            span,
        };
        let mut body = |this: &mut Self| {
            let mut stmts = Vec::new();
            this.stmt_checked(&yielded, &mut stmts);
            stmts
        };
        self.for_loop_with(&hidden, source, &mut body, &[], out);
    }

    /// `for target in gen(...)`: the body runs as the generator yields.
    pub(super) fn generator_loop(
        &mut self,
        target: &syntax::Expr,
        call: Expr,
        elem: Type,
        body: &mut dyn FnMut(&mut Self) -> Vec<Stmt>,
        orelse: &[syntax::Stmt],
        out: &mut Vec<Stmt>,
    ) {
        if self.prange_depth > 0 {
            let span = self.lines.span_of(call.loc);
            self.error(
                Code::Race,
                span,
                "iterating a generator inside a prange body is not supported",
                "generator in prange",
                "collect the generator's values into a list before the loop",
            );
            return;
        }
        let loc: Loc = self.loc(self.loop_span);
        self.lowered_loop(orelse, out, |this| {
            let element = this.f.temp(elem.clone());
            this.f.mark_assigned(super::Var::Local(element));
            let mut stmts = Vec::new();
            let read = Expr::new(ExprKind::Local(element), elem.clone(), this.loc(target.span));
            this.assign_to(target, read, &mut stmts);
            stmts.extend(body(this));
            Some(Stmt::ForGen { target: Target::Local(element), call, body: stmts, orelse: Vec::new(), loc })
        });
    }
}

impl Checker<'_> {
    /// `next(gen(...))` / `next((e for x in xs if c), default)` on a fresh generator: its
    /// first value (the generator is dropped after it, as CPython closes it), the default when
    /// it yields nothing, else StopIteration.
    pub(super) fn first_of(
        &mut self,
        elt: &syntax::Expr,
        generators: &[syntax::Comprehension],
        default: Option<&syntax::Expr>,
        span: Span,
    ) -> Expr {
        let loc = self.loc(span);
        let default = default.map(|d| self.expr(d, None));
        let found = self.f.temp(Type::Bool);
        self.f.mark_assigned(super::Var::Local(found));
        let mut result: Option<(crate::ir::LocalId, Type)> = None;
        let mut loops = Vec::new();
        let wants_optional = default.as_ref().is_some_and(|d| d.ty == Type::None);
        self.in_comprehension_scope(generators, |this| {
            this.comprehension_loops(
                generators,
                0,
                &mut |this: &mut Self| {
                    let value = this.expr(elt, None);
                    let ty = if wants_optional { Type::optional(value.ty.clone()) } else { value.ty.clone() };
                    let value = if wants_optional { this.to_optional(value, &ty) } else { value };
                    let local = this.f.temp(ty.clone());
                    result = Some((local, ty));
                    vec![
                        Stmt::Assign { target: Target::Local(local), value },
                        Stmt::Assign {
                            target: Target::Local(found),
                            value: Expr::new(ExprKind::Bool(true), Type::Bool, loc),
                        },
                        Stmt::Break,
                    ]
                },
                &mut loops,
            );
        });
        let Some((local, ty)) = result else { return self.poisoned(span) };
        self.f.mark_assigned(super::Var::Local(local));
        let otherwise = match default {
            Some(default) => {
                let Some(default) = self.next_default(default, &ty, span) else { return self.poisoned(span) };
                Stmt::Assign { target: Target::Local(local), value: default }
            }
            None => {
                let exc = Expr::new(
                    ExprKind::NewException { class: "StopIteration", message: None, arg_repr: None },
                    Type::Exception,
                    loc,
                );
                Stmt::Raise { value: Some(exc), cause: crate::ir::RaiseCause::Implicit, loc }
            }
        };
        let not_found = Expr::new(
            ExprKind::Unary {
                op: crate::ir::UnaryOp::Not,
                operand: Box::new(Expr::new(ExprKind::Local(found), Type::Bool, loc)),
            },
            Type::Bool,
            loc,
        );
        let mut stmts = vec![Stmt::Assign {
            target: Target::Local(found),
            value: Expr::new(ExprKind::Bool(false), Type::Bool, loc),
        }];
        stmts.extend(loops);
        stmts.push(Stmt::If { cond: not_found, then_body: vec![otherwise], else_body: Vec::new() });
        Expr::new(
            ExprKind::Block { stmts, value: Box::new(Expr::new(ExprKind::Local(local), ty.clone(), loc)) },
            ty,
            loc,
        )
    }

    /// `next(g)` / `next(g, default)` of a generator held as a value: it is resumed.
    pub(super) fn generator_next(&mut self, iterator: Expr, default: Option<&syntax::Expr>, span: Span) -> Expr {
        let Type::Iterator(elem) = &iterator.ty else { return self.poisoned(span) };
        let elem = (**elem).clone();
        let mut call_args = vec![iterator];
        if let Some(default) = default {
            let value = self.expr(default, Some(&elem));
            let Some(value) = self.next_default(value, &elem, default.span) else { return self.poisoned(span) };
            call_args.push(value);
        }
        self.builtin_call(Key::Function("next"), call_args, span)
    }

    /// `default` as the element type `ty` of `next(it, default)`; `None` when it does not fit
    /// (reported at `span`, unless the default's type is already unknown).
    fn next_default(&mut self, default: Expr, ty: &Type, span: Span) -> Option<Expr> {
        match self.fit(default.clone(), ty) {
            super::ops::Fit::Ok(value) => Some(value),
            _ if default.ty.has_unknown() => None,
            _ => {
                self.error(
                    Code::TypeMismatch,
                    span,
                    format!("the default of next() must be {ty} here, not {}", default.ty),
                    "default",
                    format!("give a default of type {ty}"),
                );
                None
            }
        }
    }

    /// Whether `e` is a generator object: held in a variable, a field or an element, or returned
    /// by a function that is not itself a generator function.
    pub(super) fn holds_generator(&mut self, e: &syntax::Expr) -> bool {
        if let syntax::ExprKind::Call { func, .. } = &e.kind {
            // A function that returns a generator it did not make by `yield`.
            return matches!(&func.kind, syntax::ExprKind::Name(name) if !self.f.by_name.contains_key(name)
                && matches!(self.scope.names.get(name), Some(super::scope::ModuleName::Function(id)) if matches!(self.scope.signatures[id.0 as usize].ret, Type::Iterator(_))));
        }
        if !matches!(
            e.kind,
            syntax::ExprKind::Name(_) | syntax::ExprKind::Attribute { .. } | syntax::ExprKind::Subscript { .. }
        ) {
            return false;
        }
        matches!(self.probe_type(e), Type::Iterator(_))
    }
}
