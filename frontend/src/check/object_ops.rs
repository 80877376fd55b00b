//! Operators on objects of user classes: `a op b` through the class's special method
//! (`__add__`, ...), and comparisons through `__eq__`/`__lt__` and their reflections.

use super::Checker;
use crate::diagnostic::Code;
use crate::ir::{Expr, ExprKind};
use crate::span::Span;
use crate::syntax::{BinOp, CmpOp};
use crate::types::Type;

/// The special method behind a binary operator.
fn binary_method(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "__add__",
        BinOp::Sub => "__sub__",
        BinOp::Mul => "__mul__",
        BinOp::Div => "__truediv__",
        BinOp::FloorDiv => "__floordiv__",
        BinOp::Mod => "__mod__",
        BinOp::Pow => "__pow__",
        BinOp::LShift => "__lshift__",
        BinOp::RShift => "__rshift__",
        BinOp::BitOr => "__or__",
        BinOp::BitXor => "__xor__",
        BinOp::BitAnd => "__and__",
    }
}

impl Checker<'_> {
    /// `a op b` with an object on the left: its class's special method.
    pub fn object_binary(&mut self, op: BinOp, left: Expr, right: Expr, span: Span) -> Expr {
        let method = binary_method(op);
        let (lt, rt) = (left.ty.clone(), right.ty.clone());
        match self.special_call(left, method, Some(right), span, span) {
            Some(call) => call,
            None => {
                self.error(
                    Code::TypeMismatch,
                    span,
                    format!("unsupported operand type(s) for {}: '{lt}' and '{rt}'", op.symbol()),
                    "no special method",
                    format!("define `{method}(self, other)` in `{lt}`"),
                );
                self.poisoned(span)
            }
        }
    }

    /// `a == b`, `a < b`, `a is b`, ... with an object on either side (two operands).
    pub fn object_compare(&mut self, op: CmpOp, left: Expr, right: Expr, span: Span) -> Expr {
        let loc = self.loc(span);
        if matches!(op, CmpOp::Is | CmpOp::IsNot) {
            let same_hierarchy = match (&left.ty, &right.ty) {
                (Type::Object(a), Type::Object(b)) => {
                    self.scope.classes[a.id as usize].root == self.scope.classes[b.id as usize].root
                }
                _ => false,
            };
            if !same_hierarchy {
                self.error(
                    Code::TypeMismatch,
                    span,
                    format!("`is` between {} and {} is always False", left.ty, right.ty),
                    "different types",
                    "compare objects of one class hierarchy",
                );
                return self.poisoned(span);
            }
            let root = match &left.ty {
                Type::Object(a) => self.scope.classes[a.id as usize].root,
                _ => 0,
            };
            let operands = vec![self.recast(left, root), self.recast(right, root)];
            return Expr::new(ExprKind::Compare { operands, ops: vec![op] }, Type::Bool, loc);
        }
        let method = match op {
            CmpOp::Eq | CmpOp::NotEq => "__eq__",
            CmpOp::Lt => "__lt__",
            CmpOp::LtE => "__le__",
            CmpOp::Gt => "__gt__",
            CmpOp::GtE => "__ge__",
            _ => return self.poisoned(span),
        };
        let (lt, rt) = (left.ty.clone(), right.ty.clone());
        if let Some(call) = self.special_call(left.clone(), method, Some(right.clone()), span, span) {
            if op == CmpOp::NotEq {
                return Expr::new(
                    ExprKind::Unary { op: crate::ir::UnaryOp::Not, operand: Box::new(call) },
                    Type::Bool,
                    loc,
                );
            }
            return call;
        }
        if matches!(op, CmpOp::Eq | CmpOp::NotEq) {
            // Without `__eq__`, `==` is identity.
            let is = if op == CmpOp::Eq { CmpOp::Is } else { CmpOp::IsNot };
            if matches!((&lt, &rt), (Type::Object(_), Type::Object(_))) {
                return self.object_compare(is, left, right, span);
            }
            self.error(
                Code::TypeMismatch,
                span,
                format!("cannot compare {lt} with {rt}"),
                "different types",
                "compare objects with objects of their class",
            );
            return self.poisoned(span);
        }
        self.error(
            Code::TypeMismatch,
            span,
            format!("'{}' not supported between instances of '{lt}' and '{rt}'", op.symbol()),
            "no special method",
            format!("define `{method}(self, other)` in `{lt}`"),
        );
        self.poisoned(span)
    }
}
