//! Comparisons: chains (`a < b < c`, each operand evaluated once), numbers compared exactly
//! across int and float, `in`/`not in` on every container, `is`/`is not` with None, and
//! objects compared through their special methods.

use super::ops::Fit;
use super::Checker;
use crate::builtins::{Key, Op};
use crate::diagnostic::Code;
use crate::ir::{Expr, ExprKind};
use crate::span::Span;
use crate::syntax::{self, CmpOp};
use crate::types::Type;

impl Checker<'_> {
    pub(crate) fn compare(
        &mut self,
        left: &syntax::Expr,
        ops: &[CmpOp],
        comparators: &[syntax::Expr],
        span: Span,
    ) -> Expr {
        let loc = self.loc(span);
        let mut operands = vec![self.expr(left, None)];
        for comparator in comparators {
            operands.push(self.expr(comparator, None));
        }
        if operands.iter().any(|o| o.ty.has_unknown())
            || self.reject_array_compare(&operands, ops, span)
            || self.reject_runtime_comparisons(&operands, ops, span)
        {
            return self.poisoned(span);
        }
        if ops.iter().any(|op| matches!(op, CmpOp::In | CmpOp::NotIn)) {
            if ops.len() != 1 {
                self.error(
                    Code::Unsupported,
                    span,
                    "`in` inside a comparison chain is not supported",
                    "chained",
                    "split the chain with `and`",
                );
                return self.poisoned(span);
            }
            let container = operands.pop().unwrap_or_else(|| self.poisoned(span));
            let element = operands.pop().unwrap_or_else(|| self.poisoned(span));
            let element = match &container.ty {
                Type::Set(elem) | Type::Dict(elem, _) | Type::List(elem) => self.as_var_tuple(element, elem),
                _ => element,
            };
            return match container.ty.clone() {
                Type::Object(_) => self.object_contains(element, left.span, container, ops[0] == CmpOp::NotIn, span),
                Type::List(elem) | Type::VarTuple(elem) => {
                    let element = match self.fit(element.clone(), &elem) {
                        Fit::Ok(value) => value,
                        Fit::Widen(_) if elem.as_ref() == &Type::Float => self.to_float(element),
                        _ => {
                            self.error(
                                Code::TypeMismatch,
                                comparators[0].span,
                                format!("cannot look for {} in {}", element.ty, container.ty),
                                "element type differs",
                                "search for a value of the list's element type",
                            );
                            return self.poisoned(span);
                        }
                    };
                    Expr::new(
                        ExprKind::Compare { operands: vec![element, container], ops: ops.to_vec() },
                        Type::Bool,
                        loc,
                    )
                }
                Type::Dict(key_ty, _) => {
                    let key =
                        if element.ty == Type::Bool && *key_ty == Type::Int { self.to_int(element) } else { element };
                    if key.ty != *key_ty {
                        self.error(
                            Code::TypeMismatch,
                            left.span,
                            format!("this dict has {key_ty} keys, not {}", key.ty),
                            "wrong key type",
                            format!("look up a {key_ty} key"),
                        );
                        return self.poisoned(span);
                    }
                    let test = self.builtin_call(Key::Op(Op::DictContains), vec![key, container], span);
                    self.negated_if(ops[0] == CmpOp::NotIn, test)
                }
                Type::Str if element.ty == Type::Str => {
                    let test = self.builtin_call(Key::Op(Op::StrContains), vec![element, container], span);
                    self.negated_if(ops[0] == CmpOp::NotIn, test)
                }
                Type::Str => {
                    self.error(
                        Code::TypeMismatch,
                        left.span,
                        format!("'in <string>' requires string as left operand, not {}", element.ty),
                        "not a str",
                        "convert it with str(...)",
                    );
                    self.poisoned(span)
                }
                Type::Set(elem_ty) => {
                    let element =
                        if element.ty == Type::Bool && *elem_ty == Type::Int { self.to_int(element) } else { element };
                    if element.ty != *elem_ty {
                        self.error(
                            Code::TypeMismatch,
                            left.span,
                            format!("this set holds {elem_ty}, not {}", element.ty),
                            "wrong element type",
                            format!("look for a {elem_ty}"),
                        );
                        return self.poisoned(span);
                    }
                    let test = self.builtin_call(Key::Op(Op::SetContains), vec![element, container], span);
                    self.negated_if(ops[0] == CmpOp::NotIn, test)
                }
                Type::Range if matches!(element.ty, Type::Int | Type::Bool) => {
                    let element = self.to_int(element);
                    let test = self.builtin_call(Key::Op(Op::RangeContains), vec![element, container], span);
                    self.negated_if(ops[0] == CmpOp::NotIn, test)
                }
                Type::Tuple(_) => {
                    match self.tuple_contains(element.clone(), container.clone(), ops[0] == CmpOp::NotIn, span) {
                        Some(test) => test,
                        None => {
                            self.error(
                                Code::TypeMismatch,
                                left.span,
                                format!("cannot look for {} in {}", element.ty, container.ty),
                                "item types differ",
                                "compare values of the tuple's item types",
                            );
                            self.poisoned(span)
                        }
                    }
                }
                other => {
                    self.error(
                        Code::Unsupported,
                        comparators[0].span,
                        format!("`in` on {other} is not supported yet"),
                        "here",
                        "use `in` with a list, a tuple, a dict or a str",
                    );
                    self.poisoned(span)
                }
            };
        }
        if let ([op], [a, b]) = (ops, operands.as_slice()) {
            // `x is None`, `x is not None`, `x == None`, `None != x`.
            let with_none = matches!(op, CmpOp::Is | CmpOp::IsNot | CmpOp::Eq | CmpOp::NotEq)
                && (a.ty == Type::None || b.ty == Type::None);
            if with_none {
                let negated = matches!(op, CmpOp::IsNot | CmpOp::NotEq);
                let mut operands = operands;
                let (second, first) = (operands.pop(), operands.pop());
                if let (Some(first), Some(second)) = (first, second) {
                    let (value, none) = if first.ty == Type::None && second.ty != Type::None {
                        (second, first)
                    } else {
                        (first, second)
                    };
                    let test = self.is_none(value, negated, span);
                    if !matches!(none.kind, ExprKind::None) {
                        let loc = test.loc;
                        return Expr::new(
                            ExprKind::Block { stmts: vec![crate::ir::Stmt::Expr(none)], value: Box::new(test) },
                            Type::Bool,
                            loc,
                        );
                    }
                    return test;
                }
                return self.poisoned(span);
            }
        }
        if let ([op], [a, b]) = (ops, operands.as_slice()) {
            if matches!(a.ty, Type::Object(_)) || matches!(b.ty, Type::Object(_)) {
                let mut operands = operands;
                let (right, left) = (operands.pop(), operands.pop());
                return match (left, right) {
                    (Some(left), Some(right)) => self.object_compare(*op, left, right, span),
                    _ => self.poisoned(span),
                };
            }
        }
        if ops.iter().any(|op| matches!(op, CmpOp::Is | CmpOp::IsNot)) {
            self.error(
                Code::Unsupported,
                span,
                "`is` is supported only with None (`x is None`, `x is not None`)",
                "here",
                "use `==` / `!=` to compare values",
            );
            return self.poisoned(span);
        }
        // Bring every operand of the chain to one comparable type.
        let mut operands = self.unify_var_tuples(operands);
        let mut common = operands[0].ty.clone();
        for operand in &operands[1..] {
            common = match (&common, &operand.ty) {
                (a, b) if a == b => a.clone(),
                (a, b) if a.is_numeric() && b.is_numeric() => numeric_compare_type(a, b),
                _ => {
                    self.error(
                        Code::TypeMismatch,
                        span,
                        format!("cannot compare {} with {}", operands[0].ty, operand.ty),
                        "different types",
                        "compare values of the same type (convert with int(), float() or str())",
                    );
                    return self.poisoned(span);
                }
            };
        }
        let ordering = ops.iter().any(|op| matches!(op, CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE));
        if let (Type::Set(_), [op]) = (&common, ops) {
            let (right, left) = (operands.pop(), operands.pop());
            if let (Some(left), Some(right)) = (left, right) {
                if let Some(test) = self.set_compare(*op, left, right, span) {
                    return test;
                }
            }
            return self.poisoned(span);
        }
        if ordering && !crate::builtins::orderable(&common) {
            self.error(
                Code::Unsupported,
                span,
                format!("ordering comparisons of {common} are not supported yet"),
                "here",
                "compare the elements",
            );
            return self.poisoned(span);
        }
        let operands = operands
            .into_iter()
            .map(|o| match common {
                Type::Float => self.to_float(o),
                Type::Num => self.to_num(o),
                Type::Int => self.to_int(o),
                _ => o,
            })
            .collect();
        Expr::new(ExprKind::Compare { operands, ops: ops.to_vec() }, Type::Bool, loc)
    }
}

/// The type numeric operands are compared at (exactly, as CPython compares int with float).
fn numeric_compare_type(a: &Type, b: &Type) -> Type {
    match (a, b) {
        (Type::Float, _) | (_, Type::Float) => Type::Float,
        (Type::Num, _) | (_, Type::Num) => Type::Num,
        _ => Type::Int,
    }
}
