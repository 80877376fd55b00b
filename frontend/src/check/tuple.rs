//! Tuples beyond indexing and unpacking: `len(t)`, `x in t`, iterating over a tuple whose items
//! share one type, and (in `expr.rs`) ordering comparisons, which Rust's lexicographic tuple
//! order gives exactly as CPython does.

use super::{Checker, Var};
use crate::builtins::{Key, Op};
use crate::ir::{Expr, ExprKind, LogicOp, Stmt, Target};
use crate::span::Span;
use crate::syntax::CmpOp;
use crate::types::Type;

impl Checker<'_> {
    fn hold_tuple(&mut self, value: Expr, stmts: &mut Vec<Stmt>) -> crate::ir::LocalId {
        let temp = self.f.temp(value.ty.clone());
        stmts.push(Stmt::Assign { target: Target::Local(temp), value });
        self.f.mark_assigned(Var::Local(temp));
        temp
    }

    fn field(&self, tuple: crate::ir::LocalId, index: usize, ty: Type, span: Span) -> Expr {
        let loc = self.loc(span);
        let base = Expr::new(ExprKind::Local(tuple), self.f.locals[tuple.0 as usize].ty.clone(), loc);
        Expr::new(ExprKind::TupleField { base: Box::new(base), index }, ty, loc)
    }

    /// `len(t)`: the tuple is still evaluated (for its side effects), its length is known.
    pub fn tuple_len(&mut self, tuple: Expr, span: Span) -> Expr {
        let loc = self.loc(span);
        let Type::Tuple(items) = &tuple.ty else { return tuple };
        let len = items.len() as i64;
        Expr::new(
            ExprKind::Block {
                stmts: vec![Stmt::Expr(tuple)],
                value: Box::new(Expr::new(ExprKind::Int(len), Type::Int, loc)),
            },
            Type::Int,
            loc,
        )
    }

    /// A tuple whose items all have one type, as a list of them (for iteration).
    pub fn tuple_as_list(&mut self, tuple: Expr, span: Span) -> Option<Expr> {
        let Type::Tuple(items) = tuple.ty.clone() else { return None };
        let first = items.first()?.clone();
        if items.iter().any(|t| *t != first) {
            return None;
        }
        let loc = self.loc(span);
        let mut stmts = Vec::new();
        let held = self.hold_tuple(tuple, &mut stmts);
        let fields = (0..items.len()).map(|i| self.field(held, i, first.clone(), span)).collect();
        let list = Expr::new(ExprKind::List(fields), Type::list(first.clone()), loc);
        Some(Expr::new(ExprKind::Block { stmts, value: Box::new(list) }, Type::list(first), loc))
    }

    /// A tuple display `(a, b, c)` whose items all have type `T`, given where a `tuple[T, ...]`
    /// is wanted: that tuple. Any other value is returned unchanged.
    pub fn as_var_tuple(&self, value: Expr, slot: &Type) -> Expr {
        let (Type::VarTuple(elem), ExprKind::Tuple(items)) = (slot, &value.kind) else { return value };
        if items.iter().any(|item| item.ty != **elem) {
            return value;
        }
        let Some(resolved) =
            crate::builtins::resolve(Key::Op(Op::TupleFromList), &[Type::list((**elem).clone())], &[]).ok()
        else {
            return value;
        };
        let ExprKind::Tuple(items) = value.kind else { return value };
        let list = Expr::new(ExprKind::List(items), Type::list((**elem).clone()), value.loc);
        Expr::new(ExprKind::Builtin { builtin: resolved.id, args: vec![list] }, slot.clone(), value.loc)
    }

    /// Brings a tuple display among `operands` to the `tuple[T, ...]` type of another operand,
    /// so that `t == (1, 2)` and `t + (3,)` compare and concatenate like CPython.
    pub fn unify_var_tuples(&self, operands: Vec<Expr>) -> Vec<Expr> {
        let Some(var) = operands.iter().find(|o| matches!(o.ty, Type::VarTuple(_))).map(|o| o.ty.clone()) else {
            return operands;
        };
        operands.into_iter().map(|o| self.as_var_tuple(o, &var)).collect()
    }

    /// `x in t`: `x == t[0] or x == t[1] ...`, each side evaluated once. `None` when an item
    /// cannot be compared with `x`.
    pub fn tuple_contains(&mut self, element: Expr, tuple: Expr, negate: bool, span: Span) -> Option<Expr> {
        let Type::Tuple(items) = tuple.ty.clone() else { return None };
        let loc = self.loc(span);
        let comparable = |t: &Type| *t == element.ty || (t.is_numeric() && element.ty.is_numeric());
        if !items.iter().all(comparable) {
            return None;
        }
        let mut stmts = Vec::new();
        let held_element = self.hold_tuple(element.clone(), &mut stmts);
        let held_tuple = self.hold_tuple(tuple, &mut stmts);
        let mut tests = Vec::new();
        for (i, ty) in items.iter().enumerate() {
            let left = Expr::new(ExprKind::Local(held_element), element.ty.clone(), loc);
            let right = self.field(held_tuple, i, ty.clone(), span);
            let (left, right) = if left.ty == right.ty {
                (left, right)
            } else if left.ty == Type::Float || right.ty == Type::Float {
                (self.to_float(left), self.to_float(right))
            } else if left.ty == Type::Num || right.ty == Type::Num {
                (self.to_num(left), self.to_num(right))
            } else {
                (self.to_int(left), self.to_int(right))
            };
            tests.push(Expr::new(
                ExprKind::Compare { operands: vec![left, right], ops: vec![CmpOp::Eq] },
                Type::Bool,
                loc,
            ));
        }
        let any = Expr::new(ExprKind::Logic { op: LogicOp::Or, values: tests }, Type::Bool, loc);
        let value = if negate {
            Expr::new(ExprKind::Unary { op: crate::ir::UnaryOp::Not, operand: Box::new(any) }, Type::Bool, loc)
        } else {
            any
        };
        Some(Expr::new(ExprKind::Block { stmts, value: Box::new(value) }, Type::Bool, loc))
    }
}
