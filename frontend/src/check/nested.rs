//! Functions defined inside functions. A nested `def` creates a function value bound to its name
//! in the enclosing function; it may read the enclosing function's variables (and assign them
//! after `nonlocal`), which then live in shared cells, so that either side sees the other's
//! later assignments exactly as CPython's closures do. A nested function can call itself.
//!
//! For now a nested function is only called (directly, or as `key=`/`map`/`filter` function);
//! using it as a value otherwise is reported. One level of nesting is supported.

use super::annotation::parse_annotation;
use super::scope::FnState;
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
        if self.f.nested {
            self.error(Code::Unsupported, def.name_span, "functions nested more than one level deep are not supported yet", "nested def", "move it one level up");
            return;
        }
        let mut params = Vec::new();
        for param in &def.params {
            if let Some(default) = &param.default {
                self.error(Code::Unsupported, default.span, "default values of nested functions are not supported yet", "default", "pass the value explicitly");
            }
            let ty = match &param.annotation {
                Some(annotation) => parse_annotation(annotation, self.scope).unwrap_or_else(|d| {
                    self.diagnostics.push(d);
                    Type::Unknown
                }),
                None => {
                    self.error(Code::MissingAnnotation, param.span, format!("parameter `{}` has no type annotation", param.name), "annotation needed", format!("annotate it, e.g. `{}: int`", param.name));
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
                self.error(Code::MissingAnnotation, def.name_span, format!("function `{}` has no return annotation", def.name), "return type needed", "annotate the return type, e.g. `-> int`, or `-> None`");
                Type::Unknown
            }
        };
        let fn_type = Type::Function(params.iter().map(|(_, t)| t.clone()).collect(), Box::new(ret.clone()));
        let Some(Var::Local(name_local)) = self.lookup_var(&def.name) else { return };
        self.f.locals[name_local.0 as usize].ty = fn_type;

        let mut inner = FnState::placeholder();
        inner.owner = self.f.owner;
        inner.name = def.name.clone();
        inner.nested = true;
        inner.key_prefix = format!("{}{}.", self.f.key_prefix, def.name);
        inner.ret = ret.clone();
        let mut param_ids = Vec::new();
        for (name, ty) in &params {
            let id = inner.add_local(name, ty.clone(), true);
            inner.mark_assigned(Var::Local(id));
            param_ids.push(id);
        }
        self.declare_locals(&def.body, &mut inner);

        let outer = std::mem::replace(&mut self.f, inner);
        self.enclosing.push(outer);
        for name in self.f.nonlocals.clone() {
            let _ = self.free_var(&name);
        }
        let body = self.block(&def.body);
        self.flush_pending();
        self.check_return_at_end(def);
        let outer = self.enclosing.pop().unwrap_or_else(FnState::placeholder);
        let inner = std::mem::replace(&mut self.f, outer);
        let captures = inner.free.iter().map(|(_, _, local)| *local).collect();
        let function = ir::Function {
            name: def.name.clone(),
            params: param_ids,
            locals: inner.locals,
            ret: inner.ret,
            body,
            can_raise: true,
            recursive: true,
            free: inner.free.iter().map(|(name, ty, _)| ir::FreeVar { name: name.clone(), ty: ty.clone() }).collect(),
            loc: self.loc(def.name_span),
        };
        out.push(Stmt::Def { local: name_local, function: Box::new(function), captures });
        self.f.mark_assigned(Var::Local(name_local));
    }

    /// `f(args)` where `f` is a function value (a nested function).
    pub fn call_value(&mut self, callee: Expr, args: &[syntax::Expr], keywords: &[syntax::Keyword], span: Span) -> Expr {
        let Type::Function(params, ret) = callee.ty.clone() else { return self.poisoned(span) };
        if let Some(keyword) = keywords.first() {
            self.error(Code::Unsupported, keyword.span, "keyword arguments to nested functions are not supported yet", "keyword", "pass the arguments by position");
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

    /// A function value used other than by calling it.
    pub fn function_value_used(&mut self, name: &str, span: Span) -> Expr {
        self.error(
            Code::Unsupported,
            span,
            format!("the function `{name}` can only be called here (function values are not supported yet)"),
            "used as a value",
            format!("call it: `{name}(...)`, or pass it as `key={name}` / to map() and filter()"),
        );
        self.poisoned(span)
    }
}
