//! Builtins and methods with typing rules of their own: `isinstance` (decided by the static type
//! where it can be), `str.startswith`/`endswith` with a tuple, and the inference of an empty
//! container's element type from the first use that adds to it.

use super::Checker;
use crate::builtins::{Key, Op};
use crate::diagnostic::Code;
use crate::ir::{Expr, ExprKind};
use crate::span::Span;
use crate::syntax;
use crate::types::Type;

impl Checker<'_> {
    /// `xs = []` then `xs.append(1)`: the first use that adds to an empty container whose
    /// variable has no type yet gives it one (for the next round of checking).
    pub(super) fn type_from_use(&mut self, receiver: &syntax::Expr, attr: &str, args: &[syntax::Expr]) {
        let syntax::ExprKind::Name(name) = &receiver.kind else { return };
        let Some(var) = self.lookup_var(name) else { return };
        let current = self.var_type(var);
        if !current.has_unknown() {
            return;
        }
        let (saved, pending) = (self.diagnostics.len(), self.pending_empty.len());
        let arg_types: Vec<Type> = args.iter().map(|a| self.expr(a, None).ty).collect();
        // These trial checks only look at types; what they report comes again when checked for real.
        self.diagnostics.truncate(saved);
        self.pending_empty.truncate(pending);
        let refined = match (&current, attr, arg_types.as_slice()) {
            (Type::List(_) | Type::Unknown, "append", [t]) => Type::list(t.clone()),
            (Type::List(_) | Type::Unknown, "insert", [_, t]) => Type::list(t.clone()),
            (Type::List(_) | Type::Unknown, "extend", [Type::List(t)]) => Type::list(*t.clone()),
            (Type::Set(_), "add", [t]) => Type::Set(Box::new(t.clone())),
            (Type::Dict(_, _), "setdefault", [k, v]) => Type::dict(k.clone(), v.clone()),
            _ => return,
        };
        if !refined.has_unknown() {
            self.set_var_type(var, refined);
        }
    }

    /// `s.startswith((a, b))`: true when any of the strings matches (the receiver is evaluated
    /// once, then the tuple's items in order, as CPython builds the tuple first).
    pub(super) fn affix_any(&mut self, text: Expr, method: Key, items: &[syntax::Expr], span: Span) -> Expr {
        let loc = self.loc(span);
        let mut stmts = Vec::new();
        let held = self.f.temp(Type::Str);
        stmts.push(crate::ir::Stmt::Assign { target: crate::ir::Target::Local(held), value: text });
        self.f.mark_assigned(super::Var::Local(held));
        let mut affixes = Vec::new();
        for item in items {
            let value = self.expr(item, Some(&Type::Str));
            if value.ty != Type::Str && !value.ty.has_unknown() {
                self.error(
                    Code::TypeMismatch,
                    item.span,
                    format!("{method} needs str prefixes, not {}", value.ty),
                    "not a str",
                    "pass strings",
                );
                return self.poisoned(span);
            }
            let temp = self.f.temp(Type::Str);
            stmts.push(crate::ir::Stmt::Assign { target: crate::ir::Target::Local(temp), value });
            self.f.mark_assigned(super::Var::Local(temp));
            affixes.push(temp);
        }
        let tests: Vec<Expr> = affixes
            .into_iter()
            .map(|affix| {
                let receiver = Expr::new(ExprKind::Local(held), Type::Str, loc);
                let argument = Expr::new(ExprKind::Local(affix), Type::Str, loc);
                self.builtin_call(method, vec![receiver, argument], span)
            })
            .collect();
        if tests.is_empty() {
            return Expr::new(
                ExprKind::Block { stmts, value: Box::new(Expr::new(ExprKind::Bool(false), Type::Bool, loc)) },
                Type::Bool,
                loc,
            );
        }
        let any = Expr::new(ExprKind::Logic { op: crate::ir::LogicOp::Or, values: tests }, Type::Bool, loc);
        Expr::new(ExprKind::Block { stmts, value: Box::new(any) }, Type::Bool, loc)
    }

    /// `isinstance(x, T)`: decided by the static type, except for a float slot that may still
    /// hold an int, which is tested at run time.
    pub(super) fn isinstance(&mut self, value: &syntax::Expr, classes: &syntax::Expr, span: Span) -> Expr {
        let loc = self.loc(span);
        let names: Vec<&syntax::Expr> = match &classes.kind {
            syntax::ExprKind::Tuple(items) => items.iter().collect(),
            _ => vec![classes],
        };
        let user: Vec<Option<u32>> = names
            .iter()
            .map(|c| match &c.kind {
                syntax::ExprKind::Name(n) => self.class_named(n),
                _ => None,
            })
            .collect();
        if user.iter().any(Option::is_some) {
            if let Some(pos) = user.iter().position(Option::is_none) {
                self.error(
                    Code::Unsupported,
                    names[pos].span,
                    "isinstance() with both classes and built-in types is not supported",
                    "mixed",
                    "test your classes and built-in types separately",
                );
                return self.poisoned(span);
            }
            let object = self.expr(value, None);
            return match object.ty {
                Type::Object(_) => {
                    self.object_isinstance(object, &user.into_iter().flatten().collect::<Vec<_>>(), span)
                }
                Type::Unknown => self.poisoned(span),
                _ => Expr::new(
                    ExprKind::Block {
                        stmts: vec![crate::ir::Stmt::Expr(object)],
                        value: Box::new(Expr::new(ExprKind::Bool(false), Type::Bool, loc)),
                    },
                    Type::Bool,
                    loc,
                ),
            };
        }
        let mut wanted = Vec::new();
        for class in names {
            match &class.kind {
                syntax::ExprKind::Name(n)
                    if matches!(n.as_str(), "int" | "float" | "bool" | "str" | "list" | "dict" | "tuple" | "range") =>
                {
                    wanted.push(n.clone())
                }
                _ => {
                    self.error(
                        Code::Unsupported,
                        class.span,
                        "isinstance() here takes int, float, bool, str, list, dict, tuple or range",
                        "unsupported class",
                        "test one of the built-in types",
                    );
                    return self.poisoned(span);
                }
            }
        }
        let value = self.expr(value, None);
        let is = |class: &str| -> Option<bool> {
            Some(match (&value.ty, class) {
                (Type::Num, "int" | "float") => return None,
                (Type::Int, "int") | (Type::Bool, "int" | "bool") | (Type::Float, "float") | (Type::Str, "str") => true,
                (Type::List(_), "list")
                | (Type::Dict(_, _), "dict")
                | (Type::Tuple(_), "tuple")
                | (Type::Range, "range") => true,
                _ => false,
            })
        };
        let statically: Vec<Option<bool>> = wanted.iter().map(|c| is(c)).collect();
        if statically.contains(&Some(true)) || statically.iter().all(|s| *s == Some(false)) {
            let answer = statically.contains(&Some(true));
            return Expr::new(
                ExprKind::Block {
                    stmts: vec![crate::ir::Stmt::Expr(value)],
                    value: Box::new(Expr::new(ExprKind::Bool(answer), Type::Bool, loc)),
                },
                Type::Bool,
                loc,
            );
        }
        // A Num tested against int and/or float.
        let wants_int = wanted.iter().any(|c| c == "int");
        let wants_float = wanted.iter().any(|c| c == "float");
        if wants_int && wants_float {
            return Expr::new(
                ExprKind::Block {
                    stmts: vec![crate::ir::Stmt::Expr(value)],
                    value: Box::new(Expr::new(ExprKind::Bool(true), Type::Bool, loc)),
                },
                Type::Bool,
                loc,
            );
        }
        self.builtin_call(if wants_int { Key::Op(Op::NumIsInt) } else { Key::Op(Op::NumIsFloat) }, vec![value], span)
    }
}
