//! Python's protocols on objects of user classes, each a call of the special method: `len(obj)`
//! (`__len__`), `obj[k]` (`__getitem__`), `obj[k] = v` (`__setitem__`), `x in obj`
//! (`__contains__`), `if obj:` (`__bool__`, else `__len__() != 0`, else true), `with obj:`
//! (`__enter__`/`__exit__`), `for x in obj` and `next(obj)` (`__iter__`/`__next__`).

use super::classes::MethodKind;
use super::ops::Fit;
use super::Checker;
use crate::diagnostic::Code;
use crate::ir::{Expr, ExprKind, Stmt};
use crate::span::Span;
use crate::types::Type;

impl Checker<'_> {
    /// `obj.method(args...)` for a special method the class (or a base) defines, with the
    /// arguments fitted to its parameters; `None` when the class has no such method.
    pub fn protocol_call(&mut self, object: Expr, method: &str, args: Vec<(Expr, Span)>, span: Span) -> Option<Expr> {
        let Type::Object(class) = &object.ty else { return None };
        let class = class.id;
        let (func, kind) = self.scope.method_target(class, method)?;
        if kind != MethodKind::Instance {
            return None;
        }
        let definer = self.scope.find_method(class, method).map(|(c, _)| c).unwrap_or(class);
        let name = self.scope.signatures[func.0 as usize].name.clone();
        if self.scope.signatures[func.0 as usize].params.len() != args.len() + 1 {
            self.error(
                Code::WrongArgumentCount,
                span,
                format!("`{name}` must take {} parameter(s) after `self` here", args.len()),
                "special method",
                "give the special method the parameters Python passes",
            );
            return Some(self.poisoned(span));
        }
        let mut values = vec![self.recast(object, definer)];
        for (i, (arg, arg_span)) in args.into_iter().enumerate() {
            let slot = self.inference.params[func.0 as usize][i + 1].clone();
            match self.fit(arg.clone(), &slot) {
                Fit::Ok(value) => values.push(value),
                _ => {
                    self.error(
                        Code::TypeMismatch,
                        arg_span,
                        format!("`{name}` takes {slot}, found {}", arg.ty),
                        format!("this is {}", arg.ty),
                        format!("pass a {slot}"),
                    );
                    return Some(self.poisoned(span));
                }
            }
        }
        let ret = self.inference.rets[func.0 as usize].clone();
        Some(Expr::new(ExprKind::Call { func, args: values }, ret, self.loc(span)))
    }

    /// Reports a protocol the class does not implement.
    fn missing_protocol(&mut self, ty: &Type, what: &str, method: &str, span: Span) -> Expr {
        self.error(
            Code::TypeMismatch,
            span,
            format!("'{ty}' object {what}"),
            format!("no `{method}`"),
            format!("define `{method}` in `{ty}`"),
        );
        self.poisoned(span)
    }

    /// `len(obj)`.
    pub fn object_len(&mut self, object: Expr, span: Span) -> Expr {
        let ty = object.ty.clone();
        match self.protocol_call(object, "__len__", Vec::new(), span) {
            Some(call) if call.ty == Type::Int || call.ty.has_unknown() => call,
            Some(call) => {
                self.error(
                    Code::TypeMismatch,
                    span,
                    format!("`__len__` of `{ty}` returns {}, not int", call.ty),
                    "not an int",
                    "return an int from `__len__`",
                );
                self.poisoned(span)
            }
            None => self.missing_protocol(&ty, "has no len()", "__len__", span),
        }
    }

    /// `obj[key]`.
    pub fn object_getitem(&mut self, object: Expr, key: Expr, key_span: Span, span: Span) -> Expr {
        let ty = object.ty.clone();
        match self.protocol_call(object, "__getitem__", vec![(key, key_span)], span) {
            Some(call) => call,
            None => self.missing_protocol(&ty, "is not subscriptable", "__getitem__", span),
        }
    }

    /// `obj[key] = value` (CPython evaluates the value first, then the object and the key).
    pub fn object_setitem(&mut self, object: Expr, key: Expr, value: Expr, spans: (Span, Span), out: &mut Vec<Stmt>) {
        let (key_span, span) = spans;
        let ty = object.ty.clone();
        let value_ty = value.ty.clone();
        let loc = self.loc(span);
        let temp = self.f.temp(value_ty.clone());
        self.f.mark_assigned(super::Var::Local(temp));
        out.push(Stmt::Assign { target: crate::ir::Target::Local(temp), value });
        let held = Expr::new(ExprKind::Local(temp), value_ty, loc);
        match self.protocol_call(object, "__setitem__", vec![(key, key_span), (held, span)], span) {
            Some(call) => out.push(Stmt::Expr(call)),
            None => {
                self.missing_protocol(&ty, "does not support item assignment", "__setitem__", span);
            }
        }
    }

    /// `item in obj` (`negated`: `not in`).
    pub fn object_contains(&mut self, item: Expr, item_span: Span, container: Expr, negated: bool, span: Span) -> Expr {
        let ty = container.ty.clone();
        let loc = self.loc(span);
        // CPython evaluates the item first.
        let item_ty = item.ty.clone();
        let temp = self.f.temp(item_ty.clone());
        self.f.mark_assigned(super::Var::Local(temp));
        let held = Expr::new(ExprKind::Local(temp), item_ty, loc);
        let Some(call) = self.protocol_call(container, "__contains__", vec![(held, item_span)], span) else {
            return self.missing_protocol(&ty, "does not support `in`", "__contains__", span);
        };
        let test = self.truthy(call);
        let test = if negated {
            Expr::new(ExprKind::Unary { op: crate::ir::UnaryOp::Not, operand: Box::new(test) }, Type::Bool, loc)
        } else {
            test
        };
        Expr::new(
            ExprKind::Block {
                stmts: vec![Stmt::Assign { target: crate::ir::Target::Local(temp), value: item }],
                value: Box::new(test),
            },
            Type::Bool,
            loc,
        )
    }

    /// The truth value of an object: `__bool__`, else `__len__() != 0`, else true.
    pub fn object_truthy(&mut self, object: Expr) -> Expr {
        let loc = object.loc;
        let span = self.lines.span_of(loc);
        let Type::Object(class) = &object.ty else { return object };
        let class = class.id;
        if self.scope.method_target(class, "__bool__").is_some() {
            if let Some(call) = self.protocol_call(object.clone(), "__bool__", Vec::new(), span) {
                return call;
            }
        }
        if self.scope.method_target(class, "__len__").is_some() {
            let len = self.object_len(object, span);
            let zero = Expr::new(ExprKind::Int(0), Type::Int, loc);
            return Expr::new(
                ExprKind::Compare { operands: vec![len, zero], ops: vec![crate::syntax::CmpOp::NotEq] },
                Type::Bool,
                loc,
            );
        }
        Expr::new(
            ExprKind::Block {
                stmts: vec![Stmt::Expr(object)],
                value: Box::new(Expr::new(ExprKind::Bool(true), Type::Bool, loc)),
            },
            Type::Bool,
            loc,
        )
    }
}

impl Checker<'_> {
    /// `with manager as target: body` for an object whose class defines `__enter__` and
    /// `__exit__`: as CPython runs it, `__exit__` gets the exception that leaves the body (and
    /// a true result suppresses it), or `None`s when the body ends in any other way.
    pub(super) fn object_with(
        &mut self,
        manager: Expr,
        context_span: Span,
        target: Option<&crate::syntax::Expr>,
        inner_body: impl FnOnce(&mut Self, &mut Vec<Stmt>),
        out: &mut Vec<Stmt>,
    ) {
        use crate::ir::{Handler, RaiseCause, Target, TryStmt};
        let loc = manager.loc;
        let ty = manager.ty.clone();
        let held = self.f.temp(ty.clone());
        out.push(Stmt::Assign { target: Target::Local(held), value: manager });
        self.f.mark_assigned(super::Var::Local(held));
        let read = |this: &Self| Expr::new(ExprKind::Local(held), this.f.locals[held.0 as usize].ty.clone(), loc);
        let Some(entered) = self.protocol_call(read(self), "__enter__", Vec::new(), context_span) else {
            self.missing_protocol(&ty, "does not support the context manager protocol", "__enter__", context_span);
            return;
        };
        if self
            .scope
            .method_target(
                match &ty {
                    Type::Object(c) => c.id,
                    _ => 0,
                },
                "__exit__",
            )
            .is_none()
        {
            self.missing_protocol(
                &ty,
                "does not support the context manager protocol (no __exit__)",
                "__exit__",
                context_span,
            );
            return;
        }
        let mut body = Vec::new();
        match target {
            Some(target) => self.assign_to(target, entered, &mut body),
            None => body.push(Stmt::Expr(entered)),
        }
        let raised = self.f.temp(Type::Bool);
        out.push(Stmt::Assign {
            target: Target::Local(raised),
            value: Expr::new(ExprKind::Bool(false), Type::Bool, loc),
        });
        self.f.mark_assigned(super::Var::Local(raised));
        self.f.yield_forbidden.push("inside `with` over an object (its `__exit__` would see GeneratorExit)");
        inner_body(self, &mut body);
        self.f.yield_forbidden.pop();
        // The handler: `__exit__(type, value, traceback)` (pyrsc passes the exception for all
        // three), re-raising unless it returns a true value.
        let exc = self.f.temp(Type::Exception);
        self.f.mark_assigned(super::Var::Local(exc));
        let exc_read = Expr::new(ExprKind::Local(exc), Type::Exception, loc);
        let args = (0..3).map(|_| (exc_read.clone(), context_span)).collect();
        let mut handler = vec![Stmt::Assign {
            target: Target::Local(raised),
            value: Expr::new(ExprKind::Bool(true), Type::Bool, loc),
        }];
        let reraise = Stmt::Raise { value: None, cause: RaiseCause::Implicit, loc };
        if let Some(exit) = self.protocol_call(read(self), "__exit__", args, context_span) {
            if exit.ty == Type::None {
                handler.push(Stmt::Expr(exit));
                handler.push(reraise);
            } else {
                let suppress = self.truthy(exit);
                let keep = Expr::new(
                    ExprKind::Unary { op: crate::ir::UnaryOp::Not, operand: Box::new(suppress) },
                    Type::Bool,
                    loc,
                );
                handler.push(Stmt::If { cond: keep, then_body: vec![reraise], else_body: Vec::new() });
            }
        }
        let nones = (0..3).map(|_| (Expr::new(ExprKind::None, Type::None, loc), context_span)).collect();
        let mut finally = Vec::new();
        if let Some(exit) = self.protocol_call(read(self), "__exit__", nones, context_span) {
            let not_raised = Expr::new(
                ExprKind::Unary {
                    op: crate::ir::UnaryOp::Not,
                    operand: Box::new(Expr::new(ExprKind::Local(raised), Type::Bool, loc)),
                },
                Type::Bool,
                loc,
            );
            finally.push(Stmt::If { cond: not_raised, then_body: vec![Stmt::Expr(exit)], else_body: Vec::new() });
        }
        let handlers = vec![Handler {
            classes: vec!["BaseException"],
            user: Vec::new(),
            var: Some(exc),
            object_var: None,
            body: handler,
        }];
        out.push(Stmt::Try(Box::new(TryStmt { body, handlers, orelse: Vec::new(), finally })));
    }
}

impl Checker<'_> {
    /// `for target in obj`: `obj.__iter__()` is a generator (a generator method), or an
    /// iterator object whose `__next__` is called until it raises StopIteration.
    pub(super) fn object_loop(
        &mut self,
        target: &crate::syntax::Expr,
        object: Expr,
        body: &mut dyn FnMut(&mut Self) -> Vec<Stmt>,
        orelse: &[crate::syntax::Stmt],
        out: &mut Vec<Stmt>,
    ) {
        use crate::ir::{Handler, Target, TryStmt};
        let span = self.lines.span_of(object.loc);
        let ty = object.ty.clone();
        let Some(iterator) = self.protocol_call(object, "__iter__", Vec::new(), span) else {
            self.missing_protocol(&ty, "is not iterable", "__iter__", span);
            return;
        };
        match iterator.ty.clone() {
            Type::Iterator(elem) => self.generator_loop(target, iterator, *elem, body, orelse, out),
            Type::Object(_) => {
                let loc = iterator.loc;
                let it_ty = iterator.ty.clone();
                let held = self.f.temp(it_ty.clone());
                self.f.mark_assigned(super::Var::Local(held));
                out.push(Stmt::Assign { target: Target::Local(held), value: iterator });
                let read = Expr::new(ExprKind::Local(held), it_ty.clone(), loc);
                let Some(next) = self.protocol_call(read, "__next__", Vec::new(), span) else {
                    self.missing_protocol(&it_ty, "is not an iterator", "__next__", span);
                    return;
                };
                // while not $stop: try: $x = it.__next__() except StopIteration: $stop = True
                //                  if not $stop: target = $x; body      (else: runs when exhausted)
                let elem = next.ty.clone();
                let stop = self.f.temp(Type::Bool);
                self.f.mark_assigned(super::Var::Local(stop));
                out.push(Stmt::Assign {
                    target: Target::Local(stop),
                    value: Expr::new(ExprKind::Bool(false), Type::Bool, loc),
                });
                let item = self.f.temp(elem.clone());
                self.f.mark_assigned(super::Var::Local(item));
                let read_stop = Expr::new(ExprKind::Local(stop), Type::Bool, loc);
                let not_stopped = Expr::new(
                    ExprKind::Unary { op: crate::ir::UnaryOp::Not, operand: Box::new(read_stop) },
                    Type::Bool,
                    loc,
                );
                let fetch = Stmt::Try(Box::new(TryStmt {
                    body: vec![Stmt::Assign { target: Target::Local(item), value: next }],
                    handlers: vec![Handler {
                        classes: vec!["StopIteration"],
                        user: Vec::new(),
                        var: None,
                        object_var: None,
                        body: vec![Stmt::Assign {
                            target: Target::Local(stop),
                            value: Expr::new(ExprKind::Bool(true), Type::Bool, loc),
                        }],
                    }],
                    orelse: Vec::new(),
                    finally: Vec::new(),
                }));
                self.lowered_loop(orelse, out, |this| {
                    let mut each = Vec::new();
                    this.assign_to(target, Expr::new(ExprKind::Local(item), elem.clone(), loc), &mut each);
                    each.extend(body(this));
                    let step = Stmt::If { cond: not_stopped.clone(), then_body: each, else_body: Vec::new() };
                    Some(Stmt::While {
                        cond: not_stopped,
                        body: vec![fetch, step],
                        orelse: Vec::new(),
                        id: this.loop_id(),
                    })
                });
            }
            _ => {
                self.error(
                    Code::TypeMismatch,
                    span,
                    format!("`__iter__` of `{ty}` must return an iterator object or be a generator"),
                    "not an iterator",
                    "return `self` (with a `__next__`), or `yield` the items",
                );
            }
        }
    }

    /// `next(it)` / `next(it, default)` on an iterator object.
    pub(super) fn object_next(&mut self, object: Expr, default: Option<Expr>, span: Span) -> Expr {
        use crate::ir::{Handler, Target, TryStmt};
        let ty = object.ty.clone();
        let Some(next) = self.protocol_call(object, "__next__", Vec::new(), span) else {
            return self.missing_protocol(&ty, "is not an iterator", "__next__", span);
        };
        let Some(default) = default else { return next };
        let loc = next.loc;
        let elem = next.ty.clone();
        let default = match self.fit(default.clone(), &elem) {
            super::ops::Fit::Ok(value) => value,
            _ => {
                self.error(
                    Code::TypeMismatch,
                    span,
                    format!("the default of next() must be {elem} here, not {}", default.ty),
                    "default",
                    format!("give a {elem} default"),
                );
                return self.poisoned(span);
            }
        };
        let result = self.f.temp(elem.clone());
        self.f.mark_assigned(super::Var::Local(result));
        let attempt = Stmt::Try(Box::new(TryStmt {
            body: vec![Stmt::Assign { target: Target::Local(result), value: next }],
            handlers: vec![Handler {
                classes: vec!["StopIteration"],
                user: Vec::new(),
                var: None,
                object_var: None,
                body: vec![Stmt::Assign { target: Target::Local(result), value: default }],
            }],
            orelse: Vec::new(),
            finally: Vec::new(),
        }));
        Expr::new(
            ExprKind::Block {
                stmts: vec![attempt],
                value: Box::new(Expr::new(ExprKind::Local(result), elem.clone(), loc)),
            },
            elem,
            loc,
        )
    }
}
