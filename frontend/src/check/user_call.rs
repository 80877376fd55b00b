//! Calls of the program's own functions: positional, keyword and default arguments bound to
//! parameters, each argument fitted to its parameter's type (an int reaching a float parameter
//! widens it to `Num`).

use super::ops::Fit;
use super::Checker;
use crate::diagnostic::Code;
use crate::ir::{Expr, ExprKind, FuncId};
use crate::span::Span;
use crate::syntax::{self, Keyword};
use crate::types::Type;

impl Checker<'_> {
    pub(crate) fn user_call(&mut self, id: FuncId, args: &[syntax::Expr], keywords: &[Keyword], span: Span) -> Expr {
        self.user_call_with(id, None, args, keywords, span)
    }

    /// A call of user function `id`; `first` is an already checked first argument (a method's
    /// receiver).
    pub(super) fn user_call_with(
        &mut self,
        id: FuncId,
        first: Option<Expr>,
        args: &[syntax::Expr],
        keywords: &[Keyword],
        span: Span,
    ) -> Expr {
        let signature = self.scope.signatures[id.0 as usize].clone();
        let name = signature.name.clone();
        let mut bound: Vec<Option<Expr>> = vec![None; signature.params.len()];
        let offset = usize::from(first.is_some());
        if let Some(first) = first {
            if let Some(slot) = bound.first_mut() {
                *slot = Some(first);
            }
        }
        if args.len() + offset > signature.params.len() {
            self.error(
                Code::WrongArgumentCount,
                span,
                format!(
                    "{name}() takes {} positional argument(s) but {} were given",
                    signature.params.len(),
                    args.len() + offset
                ),
                "too many arguments",
                format!(
                    "call it as {name}({})",
                    signature.params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
                ),
            );
            return self.poisoned(span);
        }
        let mut ok = true;
        // The parameter each argument fills, in the order written (the receiver first).
        let mut written: Vec<usize> = (0..offset + args.len()).collect();
        for (i, arg) in args.iter().enumerate() {
            bound[i + offset] = Some(self.argument(id, i + offset, arg));
        }
        for keyword in keywords {
            match signature.params.iter().position(|p| p.name == keyword.name) {
                Some(i) if bound[i].is_some() => {
                    self.error(
                        Code::WrongArgumentCount,
                        keyword.span,
                        format!("{name}() got multiple values for argument '{}'", keyword.name),
                        "given twice",
                        "pass each argument once",
                    );
                    ok = false;
                }
                Some(i) => {
                    bound[i] = Some(self.argument(id, i, &keyword.value));
                    written.push(i);
                }
                None => {
                    self.error(
                        Code::WrongArgumentCount,
                        keyword.span,
                        format!("{name}() got an unexpected keyword argument '{}'", keyword.name),
                        "unknown parameter",
                        format!(
                            "its parameters are: {}",
                            signature.params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    );
                    ok = false;
                }
            }
        }
        let stmts = self.in_written_order(&mut bound, &written);
        let mut values = Vec::new();
        for (i, slot) in bound.into_iter().enumerate() {
            match slot {
                Some(value) => values.push(value),
                None => match &signature.params[i].default {
                    Some(default) => values.push(self.default_value(id, i, default)),
                    None => {
                        self.error(
                            Code::WrongArgumentCount,
                            span,
                            format!("{name}() missing required argument: '{}'", signature.params[i].name),
                            "argument missing",
                            format!("pass a value for `{}`", signature.params[i].name),
                        );
                        ok = false;
                    }
                },
            }
        }
        if !ok {
            return self.poisoned(span);
        }
        let ret = self.inference.rets[id.0 as usize].clone();
        let loc = self.loc(span);
        let call = Expr::new(ExprKind::Call { func: id, args: values }, ret.clone(), loc);
        if stmts.is_empty() {
            call
        } else {
            Expr::new(ExprKind::Block { stmts, value: Box::new(call) }, ret, loc)
        }
    }

    /// Checks argument `index` of a call to `id`, widening a `float` parameter that receives an
    /// int (CPython passes the int through unchanged).
    fn argument(&mut self, id: FuncId, index: usize, arg: &syntax::Expr) -> Expr {
        let slot = self.inference.params[id.0 as usize][index].clone();
        let value = self.expr(arg, Some(&slot));
        self.fit_param(id, index, value, arg.span)
    }

    fn fit_param(&mut self, id: FuncId, index: usize, value: Expr, span: Span) -> Expr {
        let slot = self.inference.params[id.0 as usize][index].clone();
        match self.fit(value.clone(), &slot) {
            Fit::Ok(value) => value,
            Fit::Widen(wider) if slot == Type::Float => {
                self.inference.params[id.0 as usize][index] = wider;
                self.to_num(value)
            }
            _ => {
                let signature = &self.scope.signatures[id.0 as usize];
                let param = signature.params[index].name.clone();
                let function = signature.name.clone();
                self.error(
                    Code::TypeMismatch,
                    span,
                    format!("argument `{param}` of `{function}` expects {slot}, found {}", value.ty),
                    format!("this is {}", value.ty),
                    super::narrowing::none_check_help(&value.ty).unwrap_or_else(|| {
                        format!("pass a {slot} (convert with {}(...) if needed)", slot_converter(&slot))
                    }),
                );
                self.poisoned(span)
            }
        }
    }

    /// A default parameter value: a literal, evaluated once as CPython does at `def` time.
    fn default_value(&mut self, id: FuncId, index: usize, default: &syntax::Expr) -> Expr {
        if self.scope.signatures[id.0 as usize].params[index].fresh {
            // A dataclass `default_factory`: called for each object.
            let saved = std::mem::take(&mut self.f.by_name);
            let slot = self.inference.params[id.0 as usize][index].clone();
            let value = self.expr(default, Some(&slot));
            self.f.by_name = saved;
            return self.fit_param(id, index, value, default.span);
        }
        let is_literal = match &default.kind {
            syntax::ExprKind::Int(_)
            | syntax::ExprKind::Float(_)
            | syntax::ExprKind::Bool(_)
            | syntax::ExprKind::Str(_)
            | syntax::ExprKind::None => true,
            syntax::ExprKind::UnaryOp { op: syntax::UnaryOp::Neg, operand } => {
                matches!(operand.kind, syntax::ExprKind::Int(_) | syntax::ExprKind::Float(_))
            }
            _ => false,
        };
        if !is_literal {
            self.error(
                Code::Unsupported,
                default.span,
                "only literal default values are supported",
                "not a literal",
                "use a number, string, bool or None as the default",
            );
            return self.poisoned(default.span);
        }
        // Defaults are checked without the caller's locals in scope.
        let saved = std::mem::take(&mut self.f.by_name);
        let value = self.expr(default, None);
        self.f.by_name = saved;
        self.fit_param(id, index, value, default.span)
    }
}

fn slot_converter(ty: &Type) -> &'static str {
    match ty {
        Type::Int => "int",
        Type::Float | Type::Num => "float",
        Type::Str => "str",
        Type::Bool => "bool",
        _ => "a conversion",
    }
}
