//! Functions defined inside functions. A nested `def` creates a function value bound to its name
//! in the enclosing function; it may read the enclosing function's variables (and assign them
//! after `nonlocal`), which then live in shared cells, so that either side sees the other's
//! later assignments exactly as CPython's closures do. A nested function can call itself.
//!
//! Function values (a nested `def`, a lambda, a module function named without calling it) can be
//! stored, passed, returned and called; one level of nesting is supported.

use super::annotation::parse_annotation;
use super::state::FnState;
use super::{Checker, Var};
use crate::diagnostic::Code;
use crate::ir::{self, Expr, ExprKind, Stmt};
use crate::span::Span;
use crate::syntax;
use crate::types::Type;

impl Checker<'_> {
    /// The free variable `name` of the nested function being checked, if it is a variable of
    /// the enclosing function (adding it to the free list on first use).
    pub fn free_var(&mut self, name: &str) -> Option<usize> {
        if !self.f.nested || name.starts_with('$') {
            return None;
        }
        if let Some(index) = self.f.free.iter().position(|(n, _, _)| n == name) {
            return Some(index);
        }
        let parent = self.enclosing.last_mut()?;
        let local = *parent.by_name.get(name)?;
        parent.locals[local.0 as usize].captured = true;
        let ty = parent.locals[local.0 as usize].ty.clone();
        self.f.free.push((name.to_owned(), ty, local));
        Some(self.f.free.len() - 1)
    }

    /// A nested `def` statement.
    pub fn nested_def(&mut self, def: &syntax::FunctionDef, out: &mut Vec<Stmt>) {
        let mut rejected = Vec::new();
        let defined = |name: &str| self.scope.names.contains_key(name) || self.f.by_name.contains_key(name);
        super::scope::reject_function_decorators(def, &defined, &mut rejected);
        self.diagnostics.extend(rejected);
        if self.f.nested {
            self.error(
                Code::Unsupported,
                def.name_span,
                "functions nested more than one level deep are not supported yet",
                "nested def",
                "move it one level up",
            );
            return;
        }
        if crate::syntax::contains_yield(&def.body) {
            self.error(
                Code::Unsupported,
                def.name_span,
                "a generator defined inside a function is not supported by pyrsc yet",
                "nested generator",
                "define the generator at the top level of the file",
            );
            return;
        }
        let mut params = Vec::new();
        for param in &def.params {
            if let Some(default) = &param.default {
                self.error(
                    Code::Unsupported,
                    default.span,
                    "default values of nested functions are not supported yet",
                    "default",
                    "pass the value explicitly",
                );
            }
            let ty = match &param.annotation {
                Some(annotation) => parse_annotation(annotation, self.scope).unwrap_or_else(|d| {
                    self.diagnostics.push(d);
                    Type::Unknown
                }),
                None => {
                    self.error(
                        Code::MissingAnnotation,
                        param.span,
                        format!("parameter `{}` has no type annotation", param.name),
                        "annotation needed",
                        format!("annotate it, e.g. `{}: int`", param.name),
                    );
                    Type::Unknown
                }
            };
            params.push((param.name.clone(), ty));
        }
        let ret = match &def.returns {
            Some(annotation) => parse_annotation(annotation, self.scope).unwrap_or_else(|d| {
                self.diagnostics.push(d);
                Type::Unknown
            }),
            None => {
                self.error(
                    Code::MissingAnnotation,
                    def.name_span,
                    format!("function `{}` has no return annotation", def.name),
                    "return type needed",
                    "annotate the return type, e.g. `-> int`, or `-> None`",
                );
                Type::Unknown
            }
        };
        let fn_type = Type::Function(params.iter().map(|(_, t)| t.clone()).collect(), Box::new(ret.clone()));
        let Some(Var::Local(name_local)) = self.lookup_var(&def.name) else { return };
        self.f.locals[name_local.0 as usize].ty = fn_type;
        let (function, captures) = self.closure_body(&def.name, def.name_span, params, ret, &def.body);
        out.push(Stmt::Def { local: name_local, function: Box::new(function), captures });
        self.f.mark_assigned(Var::Local(name_local));
    }

    /// Checks the body of a nested function or lambda against the enclosing function: its
    /// IR function and the enclosing locals it captures.
    fn closure_body(
        &mut self,
        name: &str,
        name_span: Span,
        params: Vec<(String, Type)>,
        ret: Type,
        body: &[syntax::Stmt],
    ) -> (ir::Function, Vec<ir::LocalId>) {
        let mut inner = FnState::placeholder();
        inner.owner = self.f.owner;
        inner.name = name.to_owned();
        inner.nested = true;
        inner.key_prefix = format!("{}{}@{}.", self.f.key_prefix, name, name_span.start);
        inner.ret = ret;
        let mut param_ids = Vec::new();
        for (name, ty) in &params {
            // A missing or rejected annotation was reported above.
            if ty.has_unknown() {
                inner.rejected.insert(name.clone());
            }
            let id = inner.add_local(name, ty.clone(), true);
            inner.mark_assigned(Var::Local(id));
            param_ids.push(id);
        }
        self.declare_locals(body, &mut inner);

        let outer = std::mem::replace(&mut self.f, inner);
        self.enclosing.push(outer);
        // The enclosing function's unresolved empty containers name its own variables: they
        // wait for its end, and the nested body reports only its own.
        let outer_pending = (std::mem::take(&mut self.pending_empty), std::mem::take(&mut self.pending_vars));
        for name in self.f.nonlocals.clone() {
            let _ = self.free_var(&name);
        }
        let checked = self.block(body);
        self.flush_pending();
        (self.pending_empty, self.pending_vars) = outer_pending;
        self.check_return_at_end(name, name_span);
        let outer = self.enclosing.pop().unwrap_or_else(FnState::placeholder);
        let inner = std::mem::replace(&mut self.f, outer);
        let captures = inner.free.iter().map(|(_, _, local)| *local).collect();
        let function = ir::Function {
            name: name.to_owned(),
            params: param_ids,
            locals: inner.locals,
            ret: inner.ret,
            body: checked,
            free: inner.free.iter().map(|(name, ty, _)| ir::FreeVar { name: name.clone(), ty: ty.clone() }).collect(),
            loc: self.loc(name_span),
            method_of: None,
            dispatcher: false,
            setter: false,
            generator: false,
            source: ir::SourceSignature::default(),
        };
        (function, captures)
    }

    /// `lambda params: body` used as a value: a nested function whose parameter and return types
    /// come from the `Callable[[...], R]` slot it fills (a parameter, an annotated variable, a
    /// list element).
    pub fn lambda(&mut self, params: &[String], body: &syntax::Expr, span: Span, expected: Option<&Type>) -> Expr {
        let Some(Type::Function(param_types, ret)) = expected.filter(|t| !t.has_unknown()) else {
            self.error(
                Code::CannotInfer,
                span,
                "cannot infer the parameter types of this lambda",
                "lambda here",
                format!(
                    "give it a typed slot, e.g. `f: Callable[[{}], int] = lambda ...`, or define it with `def`",
                    vec!["int"; params.len()].join(", ")
                ),
            );
            return self.poisoned(span);
        };
        if param_types.len() != params.len() {
            self.error(
                Code::WrongArgumentCount,
                span,
                format!(
                    "this lambda takes {} parameter(s) but a {} is expected here",
                    params.len(),
                    expected.map(ToString::to_string).unwrap_or_default()
                ),
                "parameter count",
                format!("give it {} parameter(s)", param_types.len()),
            );
            return self.poisoned(span);
        }
        if self.f.nested {
            self.error(
                Code::Unsupported,
                span,
                "a lambda inside a nested function is not supported yet",
                "lambda here",
                "define it in the outer function, or at module level",
            );
            return self.poisoned(span);
        }
        let ty = Type::Function(param_types.clone(), ret.clone());
        let typed = params.iter().cloned().zip(param_types.iter().cloned()).collect();
        let returned = syntax::Stmt { kind: syntax::StmtKind::Return(Some(body.clone())), span: body.span };
        let (function, captures) =
            self.closure_body("<lambda>", span, typed, (**ret).clone(), std::slice::from_ref(&returned));
        let temp = self.f.temp(ty.clone());
        self.f.mark_assigned(Var::Local(temp));
        let loc = self.loc(span);
        let value = Expr::new(ExprKind::Local(temp), ty.clone(), loc);
        Expr::new(
            ExprKind::Block {
                stmts: vec![Stmt::Def { local: temp, function: Box::new(function), captures }],
                value: Box::new(value),
            },
            ty,
            loc,
        )
    }

    /// A module function used as a value (`key=square`, `apply(square, 3)`, `g = square`).
    pub fn function_ref(&mut self, id: ir::FuncId, span: Span) -> Expr {
        let params = self.inference.params[id.0 as usize].clone();
        let ret = self.inference.rets[id.0 as usize].clone();
        Expr::new(ExprKind::FunctionRef(id), Type::Function(params, Box::new(ret)), self.loc(span))
    }

    /// `f(args)` where `f` is a function value (a nested function).
    pub fn call_value(
        &mut self,
        callee: Expr,
        args: &[syntax::Expr],
        keywords: &[syntax::Keyword],
        span: Span,
    ) -> Expr {
        let Type::Function(params, ret) = callee.ty.clone() else { return self.poisoned(span) };
        if let Some(keyword) = keywords.first() {
            self.error(
                Code::Unsupported,
                keyword.span,
                "keyword arguments to nested functions are not supported yet",
                "keyword",
                "pass the arguments by position",
            );
            return self.poisoned(span);
        }
        if args.len() != params.len() {
            self.error(
                Code::WrongArgumentCount,
                span,
                format!("this function takes {} argument(s) but {} were given", params.len(), args.len()),
                "wrong number of arguments",
                format!("pass {} argument(s)", params.len()),
            );
            return self.poisoned(span);
        }
        let mut values = Vec::new();
        for (arg, param) in args.iter().zip(&params) {
            let value = self.expr(arg, Some(param));
            values.push(match self.fit(value.clone(), param) {
                super::ops::Fit::Ok(value) => value,
                _ => {
                    self.error(
                        Code::TypeMismatch,
                        arg.span,
                        format!("this argument should be {param}, not {}", value.ty),
                        format!("this is {}", value.ty),
                        format!("pass a {param}"),
                    );
                    self.poisoned(arg.span)
                }
            });
        }
        Expr::new(ExprKind::CallValue { callee: Box::new(callee), args: values }, *ret, self.loc(span))
    }
}
