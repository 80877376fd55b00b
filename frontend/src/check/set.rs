//! `set[T]`: displays, comprehensions, `set(...)`, the operators `| & - ^` (and their in-place
//! forms), subset comparisons, `in`, and iteration in CPython's order (the runtime reproduces
//! CPython's set table).

use super::{Checker, Var};
use crate::builtins::{Key, Op, Receiver};
use crate::diagnostic::Code;
use crate::ir::{Expr, ExprKind, Stmt, Target};
use crate::span::Span;
use crate::syntax::{self, BinOp, CmpOp, Comprehension};
use crate::types::Type;

impl Checker<'_> {
    fn check_element_type(&mut self, elem: &Type, span: Span) -> bool {
        if elem.is_hashable_key() {
            return true;
        }
        self.error(
            Code::Unsupported,
            span,
            format!("sets of {elem} are not supported by pyrsc"),
            "unsupported element type",
            "use int, str, bool or tuples of them as set elements",
        );
        false
    }

    pub fn set_display(&mut self, items: &[syntax::Expr], span: Span, expected: Option<&Type>) -> Expr {
        let loc = self.loc(span);
        let mut elem = match expected {
            Some(Type::Set(elem)) if !elem.has_unknown() => Some(elem.as_ref().clone()),
            _ => None,
        };
        let mut values = Vec::new();
        for item in items {
            let value = self.expr(item, elem.as_ref());
            match self.display_item(value, &mut elem, item.span, "set", Self::check_element_type) {
                Some(value) => values.push(value),
                None => return self.poisoned(span),
            }
        }
        let elem = elem.unwrap_or(Type::Unknown);
        let display = Expr::new(ExprKind::Set(values), Type::Set(Box::new(elem)), loc);
        // CPython 3.11 compiles a display of more than two constants as a frozenset constant
        // copied into a new set, which lays the table out differently from adding one by one.
        if items.len() > 2 && items.iter().all(is_constant) {
            return self.builtin_call(Key::Op(Op::SetConstantDisplay), vec![display], span);
        }
        display
    }

    /// `{elt for ...}`: loops that add to a hidden set.
    pub fn set_comprehension(&mut self, elt: &syntax::Expr, generators: &[Comprehension], span: Span) -> Expr {
        let list = self.list_comprehension(elt, generators, span);
        self.set_from(list, span)
    }

    /// `set(list)`: elements added in order.
    pub fn set_from(&mut self, list: Expr, span: Span) -> Expr {
        let list = match list.ty {
            Type::Str => self.builtin_call(Key::Op(Op::StrChars), vec![list], span),
            Type::Range => self.builtin_call(Key::Op(Op::RangeList), vec![list], span),
            Type::Tuple(_) => self.tuple_as_list(list.clone(), span).unwrap_or(list),
            Type::Dict(_, _) => self.builtin_call(Key::Op(Op::DictKeys), vec![list], span),
            _ => list,
        };
        match &list.ty {
            Type::List(elem) if !self.check_element_type(elem, span) => self.poisoned(span),
            Type::List(_) => self.builtin_call(Key::Op(Op::SetFromList), vec![list], span),
            Type::Set(_) => self.builtin_call(Key::Method(Receiver::Set, "copy"), vec![list], span),
            Type::Unknown => self.poisoned(span),
            other => {
                self.error(
                    Code::TypeMismatch,
                    span,
                    format!("cannot make a set from {other}"),
                    "not iterable here",
                    "pass a list, a str, a tuple, a range or a set",
                );
                self.poisoned(span)
            }
        }
    }

    /// `set()` (its element type from the annotation) or `set(iterable)`.
    pub fn set_call(&mut self, args: &[syntax::Expr], span: Span, expected: Option<&Type>) -> Expr {
        let loc = self.loc(span);
        match args {
            [] => match expected {
                Some(ty @ Type::Set(elem)) if !elem.has_unknown() => {
                    Expr::new(ExprKind::Set(Vec::new()), ty.clone(), loc)
                }
                _ => {
                    self.pending_empty.push((span, "set"));
                    Expr::new(ExprKind::Set(Vec::new()), Type::Set(Box::new(Type::Unknown)), loc)
                }
            },
            [iterable] => {
                let list = self.consumed_arg(iterable, None);
                self.set_from(list, span)
            }
            _ => {
                self.error(
                    Code::WrongArgumentCount,
                    span,
                    format!("set expected at most 1 argument, got {}", args.len()),
                    "arguments",
                    "pass one iterable",
                );
                self.poisoned(span)
            }
        }
    }

    /// `a | b`, `a & b`, `a - b`, `a ^ b`.
    pub fn set_binary(&mut self, op: BinOp, left: Expr, right: Expr, span: Span) -> Option<Expr> {
        let row = match op {
            BinOp::BitOr => Key::Method(Receiver::Set, "union"),
            BinOp::BitAnd => Key::Method(Receiver::Set, "intersection"),
            BinOp::Sub => Key::Method(Receiver::Set, "difference"),
            BinOp::BitXor => Key::Method(Receiver::Set, "symmetric_difference"),
            _ => return None,
        };
        Some(self.builtin_call(row, vec![left, right], span))
    }

    /// `a |= b` and friends: in place, so aliases see the change.
    pub fn set_augmented(&mut self, op: BinOp, current: Expr, rhs: Expr, span: Span) -> Option<Expr> {
        let row = match op {
            BinOp::BitOr => Key::Method(Receiver::Set, "update"),
            BinOp::BitAnd => Key::Method(Receiver::Set, "intersection_update"),
            BinOp::Sub => Key::Method(Receiver::Set, "difference_update"),
            BinOp::BitXor => Key::Method(Receiver::Set, "symmetric_difference_update"),
            _ => return None,
        };
        let loc = self.loc(span);
        let update = self.builtin_call(row, vec![current.clone(), rhs], span);
        let ty = current.ty.clone();
        Some(Expr::new(ExprKind::Block { stmts: vec![Stmt::Expr(update)], value: Box::new(current) }, ty, loc))
    }

    /// `a <= b` (subset) and the other set comparisons.
    pub fn set_compare(&mut self, op: CmpOp, left: Expr, right: Expr, span: Span) -> Option<Expr> {
        let loc = self.loc(span);
        Some(match op {
            CmpOp::LtE => self.builtin_call(Key::Method(Receiver::Set, "issubset"), vec![left, right], span),
            CmpOp::GtE => self.builtin_call(Key::Method(Receiver::Set, "issuperset"), vec![left, right], span),
            CmpOp::Lt => self.builtin_call(Key::Op(Op::SetProperSubset), vec![left, right], span),
            CmpOp::Gt => self.builtin_call(Key::Op(Op::SetProperSuperset), vec![left, right], span),
            CmpOp::Eq | CmpOp::NotEq => {
                Expr::new(ExprKind::Compare { operands: vec![left, right], ops: vec![op] }, Type::Bool, loc)
            }
            _ => return None,
        })
    }

    /// `for x in s`: by table slot, in CPython's order, raising RuntimeError if the set changes
    /// size during the loop.
    pub fn set_loop_parts(
        &mut self,
        set: Expr,
        span: Span,
        out: &mut Vec<Stmt>,
    ) -> (crate::ir::LocalId, crate::ir::LocalId, Expr) {
        let loc = self.loc(span);
        let held = self.f.temp(set.ty.clone());
        out.push(Stmt::Assign { target: Target::Local(held), value: set.clone() });
        self.f.mark_assigned(Var::Local(held));
        let read = |this: &Self| Expr::new(ExprKind::Local(held), this.f.locals[held.0 as usize].ty.clone(), loc);
        let size = self.builtin_call(Key::Function("len"), vec![read(self)], span);
        let expected = self.f.temp(Type::Int);
        out.push(Stmt::Assign { target: Target::Local(expected), value: size });
        self.f.mark_assigned(Var::Local(expected));
        let position = self.f.temp(Type::Int);
        out.push(Stmt::Assign { target: Target::Local(position), value: Expr::new(ExprKind::Int(0), Type::Int, loc) });
        self.f.mark_assigned(Var::Local(position));
        let int = |id: crate::ir::LocalId| Expr::new(ExprKind::Local(id), Type::Int, loc);
        // CPython reports a size change at the `for` statement itself.
        let statement =
            if self.loop_span.start <= span.start && span.end <= self.loop_span.end { self.loop_span } else { span };
        let next =
            self.builtin_call(Key::Op(Op::SetNextSlot), vec![read(self), int(expected), int(position)], statement);
        let found = Expr::new(
            ExprKind::Compare {
                operands: vec![int(position), Expr::new(ExprKind::Int(0), Type::Int, loc)],
                ops: vec![CmpOp::GtE],
            },
            Type::Bool,
            loc,
        );
        let cond = Expr::new(
            ExprKind::Block {
                stmts: vec![Stmt::Assign { target: Target::Local(position), value: next }],
                value: Box::new(found),
            },
            Type::Bool,
            loc,
        );
        (held, position, cond)
    }
}

/// An expression CPython's compiler folds to a constant (literals, arithmetic on them, tuples).
fn is_constant(e: &syntax::Expr) -> bool {
    use syntax::ExprKind as S;
    match &e.kind {
        S::Int(_) | S::Float(_) | S::Bool(_) | S::Str(_) | S::None => true,
        S::UnaryOp { operand, .. } => is_constant(operand),
        S::BinOp { left, right, .. } => is_constant(left) && is_constant(right),
        S::Tuple(items) => items.iter().all(is_constant),
        _ => false,
    }
}
