//! Operators on objects of user classes: `a op b` through the class's special method
//! (`__add__`, ...), and comparisons through `__eq__`/`__lt__` and their reflections.

use super::Checker;
use crate::builtins::{Builtin, Pat};
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
        if matches!(op, CmpOp::Eq | CmpOp::NotEq) {
            if let Some(test) = self.reflected_equality(op, &left, &right, span) {
                return test;
            }
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

impl Checker<'_> {
    /// `left == right` / `!=` when CPython would run the right operand's `__eq__`: the left's
    /// class (and its bases) define none, so `object.__eq__` gives way to the reflected
    /// `right.__eq__(left)`; or the right's class is a subclass of the left's that overrides
    /// it, which CPython tries first. `!=` is the negation (no `__ne__` is defined). `None` when
    /// the left operand's `__eq__` (or identity) decides. An operand whose class has no
    /// `__eq__` while a subclass defines one is rejected where it decides: which method runs
    /// would depend on the object's class at run time.
    fn reflected_equality(&mut self, op: CmpOp, left: &Expr, right: &Expr, span: Span) -> Option<Expr> {
        let defines = |c: u32| self.scope.classes[c as usize].methods.iter().any(|m| m.name == "__eq__");
        let definer = |c: u32| self.scope.find_method(c, "__eq__").map(|(d, _)| d);
        let only_below = |c: u32| definer(c).is_none() && self.scope.subtree(c).into_iter().skip(1).any(defines);
        let class_of = |e: &Expr| match &e.ty {
            Type::Object(c) => Some(c.clone()),
            _ => None,
        };
        let (l, r) = (class_of(left), class_of(right));
        // The right operand's class matters when the left's cannot decide.
        let undecided = l.as_ref().is_none_or(|l| definer(l.id).is_none());
        for class in l.iter().chain(r.iter().filter(|_| undecided)) {
            if only_below(class.id) {
                self.error(
                    Code::Unsupported,
                    span,
                    format!("`{}` has no `__eq__`, but a subclass of it defines one", class.name),
                    "which `__eq__` runs depends on the object's class",
                    format!("define `__eq__` in `{}` (subclasses may override it)", class.name),
                );
                return Some(self.poisoned(span));
            }
        }
        let r = r?;
        let reflected = match &l {
            None => true,
            Some(l) => match (definer(l.id), definer(r.id)) {
                (None, Some(_)) => true,
                (Some(ld), Some(rd)) => rd != ld && r.id != l.id && self.scope.ancestry(r.id).contains(&l.id),
                _ => false,
            },
        };
        if !reflected {
            return None;
        }
        let call = self.special_call(right.clone(), "__eq__", Some(left.clone()), span, span)?;
        if op == CmpOp::NotEq {
            return Some(Expr::new(
                ExprKind::Unary { op: crate::ir::UnaryOp::Not, operand: Box::new(call) },
                Type::Bool,
                self.loc(span),
            ));
        }
        Some(call)
    }

    /// The type of the `other` parameter of `class`'s `method` (`__eq__`, `__lt__`) when it is
    /// not an object of `class`'s own hierarchy. The runtime compares two objects of one
    /// hierarchy itself (inside containers, `in`, sorting), which such a method cannot take.
    pub(crate) fn foreign_comparison(&self, class: u32, method: &str) -> Option<Type> {
        let (_, info) = self.scope.find_method(class, method)?;
        let other = self.inference.params[info.func.0 as usize].get(1)?.clone();
        let root = |c: u32| self.scope.classes[c as usize].root;
        match &other {
            Type::Object(o) if root(o.id) == root(class) => None,
            Type::Unknown => None,
            _ => Some(other),
        }
    }

    /// Rejects a comparison the runtime would make between two objects held in `ty` (an object,
    /// or objects inside lists, tuples, dicts, optionals) whose class's `method` takes another
    /// class: CPython would call it anyway (no types at run time), pyrsc cannot. True when it
    /// reported.
    pub(crate) fn reject_foreign_comparison(&mut self, ty: &Type, method: &str, span: Span) -> bool {
        let found = match ty {
            Type::Object(class) => self.foreign_comparison(class.id, method).map(|other| (class.name.clone(), other)),
            Type::List(t) | Type::Set(t) | Type::VarTuple(t) | Type::Optional(t) => {
                return self.reject_foreign_comparison(&t.clone(), method, span)
            }
            Type::Dict(k, v) => {
                let (k, v) = (k.clone(), v.clone());
                return self.reject_foreign_comparison(&k, method, span)
                    || self.reject_foreign_comparison(&v, method, span);
            }
            Type::Tuple(items) => {
                return items.clone().iter().any(|t| self.reject_foreign_comparison(t, method, span));
            }
            _ => None,
        };
        let Some((class, other)) = found else { return false };
        self.error(
            Code::Unsupported,
            span,
            format!("this compares two `{class}` objects with `{class}.{method}`, which takes {other}"),
            format!("`{method}` of two `{class}` objects"),
            format!("make `{method}` take `other: \"{class}\"`, or compare the values you mean yourself"),
        );
        true
    }
}

impl Checker<'_> {
    /// Comparisons the runtime makes itself between objects inside containers: `==`/`!=`/`in`
    /// (`__eq__`) and ordering (`__lt__`) of lists, tuples and dicts holding objects whose
    /// method takes another class. (Two objects compared directly call the method as written.)
    pub(crate) fn reject_runtime_comparisons(&mut self, operands: &[Expr], ops: &[CmpOp], span: Span) -> bool {
        if let ([CmpOp::In | CmpOp::NotIn], [_, container]) = (ops, operands) {
            let compared = match &container.ty {
                Type::Object(_) => return false,
                Type::Dict(key, _) => (**key).clone(),
                other => other.clone(),
            };
            return self.reject_foreign_comparison(&compared, "__eq__", span);
        }
        let equality = ops.iter().any(|op| matches!(op, CmpOp::Eq | CmpOp::NotEq));
        let ordering = ops.iter().any(|op| matches!(op, CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE));
        for operand in operands.iter().filter(|o| !matches!(o.ty, Type::Object(_))) {
            let ty = operand.ty.clone();
            if (equality && self.reject_foreign_comparison(&ty, "__eq__", span))
                || (ordering && self.reject_foreign_comparison(&ty, "__lt__", span))
            {
                return true;
            }
        }
        false
    }

    /// Builtins the runtime runs with comparisons of its own: `index`/`count`/`remove` of a
    /// list or tuple (`__eq__`), sorting and `min`/`max` (`__lt__`); and those rejected for
    /// arrays (see `reject_array_builtin`). True when it reported.
    pub(crate) fn reject_builtin_values(&mut self, row: &Builtin, args: &[Expr], span: Span) -> bool {
        if self.reject_array_builtin(row, args, span) {
            return true;
        }
        // Sorting and `min`/`max` order the elements with `<`; `index`/`count`/`remove` compare
        // them with `==`: the class's own method must take its own instances.
        if row.effects.compares_elements {
            if let Some(list) = args.first() {
                return self.reject_foreign_comparison(&list.ty, "__eq__", span);
            }
        }
        match row.params.iter().position(|p| p.pat == Pat::ListOfOrderable).and_then(|i| args.get(i)) {
            Some(list) => self.reject_foreign_comparison(&list.ty, "__lt__", span),
            None => false,
        }
    }
}
