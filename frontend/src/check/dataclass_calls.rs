//! The helpers the methods `@dataclass` generates call (`decls/dataclass.rs` writes them as
//! syntax): `$class_name(obj)` and `$same_class(a, b)`, expanded into class tests here.

use super::Checker;
use crate::ir;
use crate::span::Span;
use crate::syntax::Expr;
use crate::types::Type;

impl Checker<'_> {
    /// The helpers generated dataclass methods call: `$class_name(obj)`, the name of the
    /// object's class, and `$same_class(a, b)`, whether two objects are of the same class
    /// (exact class tests over the classes below the static one).
    pub(super) fn dataclass_helper(&mut self, helper: &str, args: &[Expr], span: Span) -> ir::Expr {
        let loc = self.loc(span);
        let values: Vec<ir::Expr> = args.iter().map(|a| self.expr(a, None)).collect();
        let classes = match values.first().map(|v| &v.ty) {
            Some(Type::Object(class)) => self.scope.subtree(class.id),
            _ => return self.poisoned(span),
        };
        let is = |value: &ir::Expr, class: u32| {
            ir::Expr::new(
                ir::ExprKind::IsInstance { value: Box::new(value.clone()), classes: vec![class] },
                Type::Bool,
                loc,
            )
        };
        match (helper, values.as_slice()) {
            ("$class_name", [object]) => {
                let name = |c: u32| {
                    ir::Expr::new(ir::ExprKind::Str(self.scope.classes[c as usize].name.clone()), Type::Str, loc)
                };
                let (last, rest) = classes
                    .split_first()
                    .map(|(first, rest)| (name(*first), rest))
                    .unwrap_or_else(|| (self.poisoned(span), &[]));
                rest.iter().rev().fold(last, |orelse, c| {
                    ir::Expr::new(
                        ir::ExprKind::IfExp {
                            cond: Box::new(is(object, *c)),
                            then: Box::new(name(*c)),
                            orelse: Box::new(orelse),
                        },
                        Type::Str,
                        loc,
                    )
                })
            }
            ("$same_class", [a, b]) if classes.len() == 1 => {
                // No subclasses: both are exactly this class.
                let _ = (a, b);
                ir::Expr::new(ir::ExprKind::Bool(true), Type::Bool, loc)
            }
            ("$same_class", [a, b]) => {
                let pairs = classes
                    .iter()
                    .map(|c| {
                        ir::Expr::new(
                            ir::ExprKind::Logic { op: ir::LogicOp::And, values: vec![is(a, *c), is(b, *c)] },
                            Type::Bool,
                            loc,
                        )
                    })
                    .collect();
                ir::Expr::new(ir::ExprKind::Logic { op: ir::LogicOp::Or, values: pairs }, Type::Bool, loc)
            }
            _ => self.poisoned(span),
        }
    }
}
