//! `try` / `except` / `else` / `finally`, `raise`, and `with` over files (a `try`/`finally` that
//! closes the file), with CPython's built-in exception classes and hierarchy (user exception
//! classes and context managers come with classes).
//!
//! An `except E as e:` name is bound for the handler body only (CPython deletes it when the
//! handler ends), so it must not also be an ordinary variable of the function. Definite
//! assignment: a handler starts from what was assigned before the `try` (any statement of the
//! body may have failed), `else` from the end of the body, `finally` from before the `try`.

use std::collections::HashSet;

use super::scope::{merge, ModuleName};
use super::{Checker, Var};
use crate::diagnostic::Code;
use crate::ir::{Expr, ExprKind, Handler, RaiseCause, Stmt, TryStmt};
use crate::span::Span;
use crate::syntax::{self, ExprKind as S};
use crate::types::Type;

/// The built-in exception classes a program can name (runtime `ExcKind` variants).
pub const EXCEPTION_CLASSES: &[&str] = &[
    "BaseException", "Exception", "ArithmeticError", "LookupError", "ZeroDivisionError", "OverflowError", "IndexError",
    "KeyError", "ValueError", "TypeError", "NameError", "UnboundLocalError", "RuntimeError", "RecursionError",
    "NotImplementedError", "AssertionError", "StopIteration", "EOFError", "OSError", "FileNotFoundError", "SystemExit",
    "AttributeError", "MemoryError", "ConnectionError", "BrokenPipeError",
];

impl Checker<'_> {
    /// `name` as a built-in exception class (not shadowed by a variable or a function).
    pub(super) fn exception_class(&self, expr: &syntax::Expr) -> Option<&'static str> {
        let S::Name(name) = &expr.kind else { return None };
        if self.f.by_name.contains_key(name) || self.scope.names.contains_key(name) {
            return None;
        }
        EXCEPTION_CLASSES.iter().find(|c| **c == name).copied()
    }

    /// The classes of an `except` clause: one class or a tuple of them (built-in ones, and the
    /// program's exception classes).
    fn handler_classes(&mut self, types: &syntax::Expr) -> (Vec<&'static str>, Vec<u32>) {
        let items: Vec<&syntax::Expr> = match &types.kind {
            S::Tuple(items) => items.iter().collect(),
            _ => vec![types],
        };
        let mut classes = Vec::new();
        let mut user = Vec::new();
        for item in items {
            if let Some(class) = self.exception_class(item) {
                classes.push(class);
                continue;
            }
            match &item.kind {
                S::Name(name) if self.class_named(name).is_some_and(|c| self.scope.is_exception(c)) => user.extend(self.class_named(name)),
                _ => self.error(
                    Code::Unsupported,
                    item.span,
                    "`except` needs an exception class here",
                    "not an exception class",
                    "name a built-in exception such as ValueError or Exception, or a class of this file deriving from one",
                ),
            }
        }
        (classes, user)
    }

    /// The nearest class all of `classes` derive from.
    fn common_class(&self, classes: &[u32]) -> Option<u32> {
        let first = *classes.first()?;
        self.scope.ancestry(first).into_iter().find(|a| classes.iter().all(|c| self.scope.is_subclass(*c, *a)))
    }

    /// `except MyError as e`: `e` is the exception object (an instance of the classes' nearest
    /// common class); the hidden exception local stays for re-raising it.
    fn bind_handler_object(&mut self, name: &str, exc: crate::ir::LocalId, class: u32) -> crate::ir::LocalId {
        let object = self.f.temp(self.scope.class_type(class));
        self.f.by_name.insert(name.to_owned(), object);
        self.f.mark_assigned(Var::Local(object));
        self.f.handler_objects.push((object, exc));
        object
    }

    pub(super) fn try_stmt(
        &mut self,
        body: &[syntax::Stmt],
        handlers: &[syntax::Handler],
        orelse: &[syntax::Stmt],
        finalbody: &[syntax::Stmt],
        out: &mut Vec<Stmt>,
    ) {
        let before = self.f.assigned.clone();
        // A generator stopped by its consumer runs its `finally` blocks; CPython's bare
        // `except:` (or `except BaseException`) would see that as GeneratorExit.
        let catches_all = handlers
            .iter()
            .any(|h| h.types.as_ref().is_none_or(|t| matches!(&t.kind, S::Name(n) if n == "BaseException")));
        if catches_all {
            self.f.yield_forbidden.push("inside a `try` with a bare `except:` or `except BaseException`");
        }
        let body = self.block(body);
        if catches_all {
            self.f.yield_forbidden.pop();
        }
        // `else` continues from the end of the body.
        let orelse = self.block(orelse);
        let mut normal = self.f.assigned.take();
        let mut checked = Vec::new();
        for handler in handlers {
            let (classes, user) = match &handler.types {
                Some(types) => self.handler_classes(types),
                None => (vec!["BaseException"], Vec::new()),
            };
            self.f.assigned = before.clone();
            let var = handler.name.as_ref().and_then(|name| self.bind_handler_name(name, handler.span));
            if let Some(var) = var {
                self.f.handler_caught.push((var, classes.clone(), user.clone()));
            }
            let object_var = match (&handler.name, var, classes.is_empty(), self.common_class(&user)) {
                (Some(name), Some(exc), true, Some(class)) => Some((self.bind_handler_object(name, exc, class), class)),
                _ => None,
            };
            self.f.handling += 1;
            let handler_body = self.block(&handler.body);
            self.f.handling -= 1;
            if let (Some(name), Some(_)) = (&handler.name, var) {
                self.f.by_name.remove(name);
            }
            normal = merge(normal, self.f.assigned.take());
            checked.push(Handler { classes, user, var, object_var, body: handler_body });
        }
        // `finally` runs on every path, including an exception anywhere in the body.
        self.f.assigned = before.clone();
        self.f.yield_forbidden.push("inside `finally`");
        let finally = self.block(finalbody);
        self.f.yield_forbidden.pop();
        let after_finally = self.f.assigned.take();
        self.f.assigned = match (normal, after_finally) {
            (Some(normal), Some(fin)) => {
                let before: HashSet<Var> = before.unwrap_or_default();
                Some(normal.union(&fin.difference(&before).copied().collect()).copied().collect())
            }
            _ => None,
        };
        out.push(Stmt::Try(Box::new(TryStmt { body, handlers: checked, orelse, finally })));
    }

    /// `except E as name:`: a hidden local that `name` means inside the handler only.
    fn bind_handler_name(&mut self, name: &str, span: Span) -> Option<crate::ir::LocalId> {
        let shadows = self.f.by_name.contains_key(name)
            || (self.f.owner.is_none() && matches!(self.scope.names.get(name), Some(ModuleName::Global(_))));
        if shadows {
            self.error(
                Code::Unsupported,
                span,
                format!("`{name}` is also a variable here, but CPython deletes the `except ... as {name}` name when the handler ends"),
                "name reused",
                format!("give the exception its own name, e.g. `as err`, not used elsewhere in this {}", if self.f.owner.is_none() { "module" } else { "function" }),
            );
            return None;
        }
        let id = self.f.temp(Type::Exception);
        self.f.by_name.insert(name.to_owned(), id);
        self.f.mark_assigned(Var::Local(id));
        Some(id)
    }

    pub(super) fn raise_stmt(
        &mut self,
        exc: Option<&syntax::Expr>,
        cause: Option<&syntax::Expr>,
        span: Span,
        out: &mut Vec<Stmt>,
    ) {
        let loc = self.loc(span);
        let value = match exc {
            None => {
                if self.f.handling == 0 {
                    self.error(
                        Code::Unsupported,
                        span,
                        "a bare `raise` outside an `except` block",
                        "nothing to re-raise",
                        "raise a new exception, e.g. `raise ValueError(\"...\")`",
                    );
                }
                None
            }
            Some(e) => Some(self.exception_value(e)),
        };
        let cause = match cause {
            None => RaiseCause::Implicit,
            Some(c) if matches!(c.kind, S::None) => RaiseCause::Suppressed,
            Some(c) => RaiseCause::Cause(self.exception_value(c)),
        };
        out.push(Stmt::Raise { value, cause, loc });
        self.f.assigned = None;
    }

    /// `ValueError`, `ValueError("message")`, or an exception variable.
    fn exception_value(&mut self, e: &syntax::Expr) -> Expr {
        if let Some(class) = self.exception_class(e) {
            return self.new_exception(class, &[], e.span);
        }
        // `raise MyError`: the class is instantiated without arguments.
        if let S::Name(name) = &e.kind {
            if let Some(class) = self.class_named(name).filter(|c| self.scope.is_exception(*c)) {
                let object = self.construct(class, &[], &[], e.span);
                return self.exception_of(object, e.span);
            }
        }
        if let S::Call { func, args, keywords } = &e.kind {
            if let Some(class) = self.exception_class(func) {
                if !keywords.is_empty() {
                    self.error(
                        Code::Unsupported,
                        e.span,
                        "keyword arguments to an exception",
                        "keywords",
                        "pass the message as the only argument",
                    );
                    return self.poisoned(e.span);
                }
                return self.new_exception(class, args, e.span);
            }
        }
        let value = self.expr(e, None);
        // Re-raising the object of an `except MyError as e` handler raises that exception.
        if let ExprKind::Local(id) = value.kind {
            if let Some((_, exc)) = self.f.handler_objects.iter().find(|(o, _)| *o == id) {
                return Expr::new(ExprKind::Local(*exc), Type::Exception, value.loc);
            }
        }
        match value.ty {
            Type::Object(ref class) if self.scope.is_exception(class.id) => self.exception_of(value, e.span),
            Type::Exception | Type::Unknown => value,
            other => {
                self.error(
                    Code::TypeMismatch,
                    e.span,
                    format!("exceptions must derive from BaseException, not {other}"),
                    format!("this is {other}"),
                    "raise an exception: `raise ValueError(\"message\")`",
                );
                self.poisoned(e.span)
            }
        }
    }

    /// The exception that raising an object of a program's exception class raises.
    fn exception_of(&mut self, object: Expr, span: Span) -> Expr {
        let Type::Object(class) = &object.ty else { return self.poisoned(span) };
        let Some(field) = self.field_ref(class.id, super::classes::ARGS_FIELD) else { return self.poisoned(span) };
        let loc = self.loc(span);
        Expr::new(ExprKind::ExceptionOf { value: Box::new(object), args: field.slot }, Type::Exception, loc)
    }

    /// `str(e)` for an exception built with the one argument `value`: the argument's str (a
    /// KeyError shows its repr); `base` is the built-in class the exception derives from.
    pub(super) fn exception_message(&mut self, value: Expr, base: &str, span: Span) -> Expr {
        match (&value.ty, base) {
            (_, "KeyError") => self.builtin_call("repr", vec![value], span),
            (Type::Str, _) => value,
            _ => self.builtin_call("str", vec![value], span),
        }
    }

    pub(super) fn new_exception(&mut self, class: &'static str, args: &[syntax::Expr], span: Span) -> Expr {
        let loc = self.loc(span);
        if class == "SystemExit" {
            self.error(
                Code::Unsupported,
                span,
                "raising SystemExit directly",
                "SystemExit",
                "call sys.exit(...) instead",
            );
            return self.poisoned(span);
        }
        let mut prelude = Vec::new();
        let (message, arg_repr) = match args {
            [] => (None, None),
            [arg] => {
                let value = self.expr(arg, None);
                // `ValueError(5)`: `repr(e)` and `e.args` show the argument's repr.
                let (arg_repr, value) = match (&value.ty, class) {
                    (Type::Str, _) | (_, "KeyError") => (None, value),
                    _ => {
                        self.nonstr_exception_args.push(class);
                        let (assign, value) = self.evaluated_once(value);
                        prelude = assign;
                        (Some(Box::new(self.builtin_call("repr", vec![value.clone()], arg.span))), value)
                    }
                };
                // str(e) of a one-argument exception is str(arg) (a KeyError shows the key's repr).
                (Some(Box::new(self.exception_message(value, class, arg.span))), arg_repr)
            }
            _ => {
                self.error(
                    Code::Unsupported,
                    span,
                    "an exception with several arguments",
                    "several arguments",
                    "pass one message, e.g. an f-string",
                );
                return self.poisoned(span);
            }
        };
        let exc = Expr::new(ExprKind::NewException { class, message, arg_repr }, Type::Exception, loc);
        if prelude.is_empty() {
            return exc;
        }
        Expr::new(ExprKind::Block { stmts: prelude, value: Box::new(exc) }, Type::Exception, loc)
    }

    /// `with open(...) as f: body`: the file is closed when the body ends, however it ends.
    pub(super) fn with_stmt(
        &mut self,
        items: &[(syntax::Expr, Option<syntax::Expr>)],
        body: &[syntax::Stmt],
        out: &mut Vec<Stmt>,
    ) {
        let Some(((context, target), rest)) = items.split_first() else {
            out.extend(self.block(body));
            return;
        };
        let value = self.expr(context, None);
        if let Type::Object(_) = value.ty {
            let rest = rest.to_vec();
            let run_body = move |this: &mut Self, inner: &mut Vec<Stmt>| {
                if rest.is_empty() {
                    inner.extend(this.block(body));
                } else {
                    this.with_stmt(&rest, body, inner);
                }
            };
            self.object_with(value, context.span, target.as_ref(), run_body, out);
            return;
        }
        if !matches!(value.ty, Type::File | Type::Unknown) {
            self.error(
                Code::Unsupported,
                context.span,
                format!("`with` over a {} is not supported by pyrsc", value.ty),
                "not a file",
                "use `with open(...) as f:`, or an object whose class defines `__enter__` and `__exit__`",
            );
            return;
        }
        let loc = value.loc;
        let held = self.f.temp(Type::File);
        out.push(Stmt::Assign { target: crate::ir::Target::Local(held), value });
        self.f.mark_assigned(Var::Local(held));
        let mut inner = Vec::new();
        if let Some(target) = target {
            self.assign_to(target, Expr::new(ExprKind::Local(held), Type::File, loc), &mut inner);
        }
        if rest.is_empty() {
            inner.extend(self.block(body));
        } else {
            self.with_stmt(rest, body, &mut inner);
        }
        let close =
            self.builtin_call("file.close", vec![Expr::new(ExprKind::Local(held), Type::File, loc)], context.span);
        out.push(Stmt::Try(Box::new(TryStmt {
            body: inner,
            handlers: Vec::new(),
            orelse: Vec::new(),
            finally: vec![Stmt::Expr(close)],
        })));
    }
}
