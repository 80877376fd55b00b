//! Operators: implicit numeric conversions, slot fitting (`int` into `float` widens to `Num`),
//! and the typing of binary and unary operators with CPython's result types.

use super::Checker;
use crate::diagnostic::Code;
use crate::ir::{Conversion, Expr, ExprKind, UnaryOp};
use crate::span::Span;
use crate::syntax::BinOp;
use crate::types::Type;

/// How a value fits a slot of a given type.
pub enum Fit {
    /// It fits (possibly after a conversion).
    Ok(Expr),
    /// It fits only if the slot becomes this wider type (`float` → `Num` for an int).
    Widen(Type),
    Mismatch,
}

impl Checker<'_> {
    pub fn convert(&self, value: Expr, conversion: Conversion, ty: Type) -> Expr {
        let loc = value.loc;
        Expr::new(ExprKind::Convert { conversion, value: Box::new(value) }, ty, loc)
    }

    pub fn to_float(&self, value: Expr) -> Expr {
        match value.ty {
            Type::Int => self.convert(value, Conversion::IntToFloat, Type::Float),
            Type::Bool => self.convert(value, Conversion::BoolToFloat, Type::Float),
            Type::Num => self.convert(value, Conversion::NumToFloat, Type::Float),
            _ => value,
        }
    }

    pub fn to_int(&self, value: Expr) -> Expr {
        match value.ty {
            Type::Bool => self.convert(value, Conversion::BoolToInt, Type::Int),
            _ => value,
        }
    }

    pub fn to_num(&self, value: Expr) -> Expr {
        match value.ty {
            Type::Int => self.convert(value, Conversion::IntToNum, Type::Num),
            Type::Float => self.convert(value, Conversion::FloatToNum, Type::Num),
            Type::Bool => {
                let int = self.to_int(value);
                self.convert(int, Conversion::IntToNum, Type::Num)
            }
            _ => value,
        }
    }

    /// Python truthiness as a `bool`.
    pub fn truthy(&mut self, value: Expr) -> Expr {
        match value.ty {
            Type::Bool | Type::Unknown => value,
            Type::Object(_) => self.object_truthy(value),
            Type::Array(..) => {
                let span = self.lines.span_of(value.loc);
                self.error(
                    Code::TypeMismatch,
                    span,
                    "the truth value of an array is ambiguous (NumPy raises ValueError)",
                    "an array used as a condition",
                    "test `a.size > 0`, or `a is not None` for an optional array",
                );
                // A bool stands in, so that nothing else is reported about the value.
                Expr::new(ExprKind::Bool(false), Type::Bool, value.loc)
            }
            _ => self.convert(value, Conversion::Truthy, Type::Bool),
        }
    }

    /// Fits `value` into a slot of type `slot`.
    pub fn fit(&self, value: Expr, slot: &Type) -> Fit {
        if value.ty == *slot || value.ty.has_unknown() || slot.has_unknown() {
            return Fit::Ok(value);
        }
        let value = self.as_var_tuple(value, slot);
        if value.ty == *slot {
            return Fit::Ok(value);
        }
        if let Type::Optional(inner) = slot {
            if value.ty == Type::None {
                return Fit::Ok(self.to_optional(value, slot));
            }
            return match self.fit(value, inner) {
                Fit::Ok(value) => Fit::Ok(self.to_optional(value, slot)),
                _ => Fit::Mismatch,
            };
        }
        match (slot, &value.ty) {
            // An object where one of its base classes is expected.
            (Type::Object(base), Type::Object(class)) if self.scope.is_subclass(class.id, base.id) => {
                Fit::Ok(self.recast(value, base.id))
            }
            // An array slot whose dimensions nothing fixed yet takes the first array's.
            (Type::Array(a, 0), Type::Array(b, n)) if a == b && *n > 0 => Fit::Widen(value.ty.clone()),
            (Type::Num, Type::Int | Type::Float) => Fit::Ok(self.to_num(value)),
            (Type::Float, Type::Int | Type::Num) => Fit::Widen(Type::Num),
            (Type::Int, Type::Float | Type::Num) => Fit::Widen(Type::Num),
            _ => Fit::Mismatch,
        }
    }

    /// The common type of two branches/operands that CPython would keep as they are.
    pub fn join(a: &Type, b: &Type) -> Option<Type> {
        match (a, b) {
            _ if a == b => Some(a.clone()),
            (Type::Unknown, other) | (other, Type::Unknown) => Some(other.clone()),
            (Type::Int | Type::Float | Type::Num, Type::Int | Type::Float | Type::Num) => Some(Type::Num),
            // `x if c else None`.
            (Type::None, Type::Optional(_)) | (Type::Optional(_), Type::None) => {
                Some(if matches!(a, Type::None) { b.clone() } else { a.clone() })
            }
            (Type::None, other) | (other, Type::None) if !matches!(other, Type::Unknown) => {
                Some(Type::optional(other.clone()))
            }
            (Type::Optional(inner), other) | (other, Type::Optional(inner)) if **inner == *other => {
                Some(Type::Optional(inner.clone()))
            }
            _ => None,
        }
    }

    /// Converts a value to the joined type (`join` said it is possible).
    pub fn to_joined(&self, value: Expr, ty: &Type) -> Expr {
        match ty {
            Type::Num => self.to_num(value),
            Type::Optional(_) => self.to_optional(value, ty),
            _ => value,
        }
    }

    fn operand_error(&mut self, op: BinOp, left: &Type, right: &Type, span: Span) -> Expr {
        let help = match (op, left, right) {
            (_, Type::Optional(_), _) | (_, _, Type::Optional(_)) => {
                super::narrowing::none_check_help(if matches!(left, Type::Optional(_)) { left } else { right })
                    .unwrap_or_default()
            }
            (BinOp::Add, Type::Str, _) | (BinOp::Add, _, Type::Str) => {
                "convert with str(...) or use an f-string: f\"{a}{b}\"".to_owned()
            }
            _ => format!("convert one operand so both have a type that supports `{}`", op.symbol()),
        };
        self.error(
            Code::TypeMismatch,
            span,
            format!("unsupported operand types for {}: {} and {}", op.symbol(), left, right),
            format!("{left} {} {right}", op.symbol()),
            help,
        );
        self.poisoned(span)
    }

    pub fn binary(&mut self, op: BinOp, left: Expr, right: Expr, span: Span) -> Expr {
        if let Type::Object(_) = left.ty {
            return self.object_binary(op, left, right, span);
        }
        let loc = self.loc(span);
        let make = |left: Expr, right: Expr, ty: Type| {
            Expr::new(ExprKind::Binary { op, left: Box::new(left), right: Box::new(right) }, ty, loc)
        };
        let (left, right) = if op == BinOp::Add {
            let mut unified = self.unify_var_tuples(vec![left, right]).into_iter();
            match (unified.next(), unified.next()) {
                (Some(left), Some(right)) => (left, right),
                _ => return self.poisoned(span),
            }
        } else {
            (left, right)
        };
        let (lt, rt) = (left.ty.clone(), right.ty.clone());
        if lt.has_unknown() || rt.has_unknown() {
            return self.poisoned(span);
        }
        use BinOp::*;
        match (&lt, &rt) {
            // bool & bool stays a bool.
            (Type::Bool, Type::Bool) if matches!(op, BitAnd | BitOr | BitXor) => make(left, right, Type::Bool),
            // Sequences.
            (Type::Str, Type::Str) if op == Add => make(left, right, Type::Str),
            (Type::List(a), Type::List(b)) | (Type::VarTuple(a), Type::VarTuple(b)) if op == Add && a == b => {
                make(left, right, lt.clone())
            }
            (Type::Set(a), Type::Set(b)) if a == b && matches!(op, BitOr | BitAnd | Sub | BitXor) => {
                self.set_binary(op, left, right, span).unwrap_or_else(|| self.poisoned(span))
            }
            (Type::Str | Type::List(_) | Type::VarTuple(_), Type::Int | Type::Bool) if op == Mul => {
                let ty = lt.clone();
                make(left, self.to_int(right), ty)
            }
            (Type::Int | Type::Bool, Type::Str | Type::List(_) | Type::VarTuple(_)) if op == Mul => {
                let ty = rt.clone();
                make(right, self.to_int(left), ty)
            }
            _ if lt.is_numeric() && rt.is_numeric() => self.numeric_binary(op, left, right, span),
            _ => self.operand_error(op, &lt, &rt, span),
        }
    }

    fn numeric_binary(&mut self, op: BinOp, left: Expr, right: Expr, span: Span) -> Expr {
        use BinOp::*;
        let loc = self.loc(span);
        let make = |left: Expr, right: Expr, ty: Type| {
            Expr::new(ExprKind::Binary { op, left: Box::new(left), right: Box::new(right) }, ty, loc)
        };
        let (lt, rt) = (left.ty.clone(), right.ty.clone());
        let any_float = lt == Type::Float || rt == Type::Float;
        let any_num = lt == Type::Num || rt == Type::Num;
        if matches!(op, LShift | RShift | BitAnd | BitOr | BitXor) {
            if any_float || any_num {
                return self.operand_error(op, &lt, &rt, span);
            }
            return make(self.to_int(left), self.to_int(right), Type::Int);
        }
        if op == Div {
            return make(self.to_float(left), self.to_float(right), Type::Float);
        }
        if any_float {
            return make(self.to_float(left), self.to_float(right), Type::Float);
        }
        if op == Pow {
            // int ** int: a negative exponent gives a float in CPython; a literal one is typed so.
            if let ExprKind::Int(exponent) = &right.kind {
                if *exponent < 0 {
                    return make(self.to_float(left), self.to_float(right), Type::Float);
                }
            }
            if let ExprKind::Unary { op: UnaryOp::Neg, .. } = &right.kind {
                return make(self.to_float(left), self.to_float(right), Type::Float);
            }
        }
        if any_num {
            return make(self.to_num(left), self.to_num(right), Type::Num);
        }
        make(self.to_int(left), self.to_int(right), Type::Int)
    }

    pub fn unary(&mut self, op: crate::syntax::UnaryOp, operand: Expr, span: Span) -> Expr {
        use crate::syntax::UnaryOp as Syn;
        let loc = self.loc(span);
        if operand.ty.has_unknown() {
            return self.poisoned(span);
        }
        if let (Type::Object(_), Syn::Neg | Syn::Pos) = (&operand.ty, op) {
            let method = if op == Syn::Neg { "__neg__" } else { "__pos__" };
            let shown = self.text(span).to_owned();
            return match self.special_call(operand.clone(), method, None, span, span) {
                Some(call) => call,
                None => {
                    self.error(
                        Code::TypeMismatch,
                        span,
                        format!(
                            "bad operand type for unary {}: '{}'",
                            if op == Syn::Neg { "-" } else { "+" },
                            operand.ty
                        ),
                        "no special method",
                        format!("define `{method}` in the class to use `{shown}`"),
                    );
                    self.poisoned(span)
                }
            };
        }
        match op {
            Syn::Not => {
                let value = self.truthy(operand);
                Expr::new(ExprKind::Unary { op: UnaryOp::Not, operand: Box::new(value) }, Type::Bool, loc)
            }
            Syn::Pos | Syn::Neg if operand.ty.is_numeric() => {
                let value = self.to_int(operand);
                if op == Syn::Pos {
                    return value;
                }
                // Fold negative literals so that `-9223372036854775808` style constants stay exact.
                match value.kind {
                    ExprKind::Int(n) if n != i64::MIN => Expr::new(ExprKind::Int(-n), Type::Int, loc),
                    ExprKind::Float(x) => Expr::new(ExprKind::Float(-x), Type::Float, loc),
                    _ => {
                        let ty = value.ty.clone();
                        Expr::new(ExprKind::Unary { op: UnaryOp::Neg, operand: Box::new(value) }, ty, loc)
                    }
                }
            }
            Syn::Invert if matches!(operand.ty, Type::Int | Type::Bool) => {
                let value = self.to_int(operand);
                Expr::new(ExprKind::Unary { op: UnaryOp::Invert, operand: Box::new(value) }, Type::Int, loc)
            }
            _ => {
                let symbol = match op {
                    Syn::Neg => "-",
                    Syn::Pos => "+",
                    Syn::Invert => "~",
                    Syn::Not => "not",
                };
                self.error(
                    Code::TypeMismatch,
                    span,
                    format!("bad operand type for unary {symbol}: {}", operand.ty),
                    format!("{} here", operand.ty),
                    "apply it to an int or a float",
                );
                self.poisoned(span)
            }
        }
    }
}
