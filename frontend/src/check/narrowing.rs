//! `T | None`: narrowing. A check that an optional variable is not None (`x is not None`,
//! `x is None` with an early exit, `x` used as a condition, combined with `and`/`or`/`not`)
//! lets the code it guards read `x` as a `T`, until something assigns `x` again. A read of a
//! possibly-None value where a `T` is needed stays a type error whose help shows the check.

use super::state::Var;
use super::Checker;
use crate::ir::{Conversion, Expr, ExprKind, LocalId, Stmt};
use crate::syntax::{self, CmpOp, ExprKind as S, StmtKind};
use crate::types::Type;

/// Something a check can prove not None: a variable, or a field `local.attr` of an object
/// held in a local (`attr` indexes `ModuleScope::field_names`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fact {
    Var(Var),
    Field(LocalId, u32),
    /// The object in a variable is an instance of this class (`isinstance(x, C)`); an object's
    /// class never changes, so only assigning the variable ends it.
    Class(Var, u32),
}

/// Facts known when a test is true, and when it is false.
#[derive(Default)]
pub struct Checks {
    pub when_true: Vec<Fact>,
    pub when_false: Vec<Fact>,
}

/// The help for using a possibly-None value where a plain value is needed.
pub fn none_check_help(ty: &Type) -> Option<String> {
    match ty {
        Type::Optional(inner) => Some(format!(
            "this {ty} may be None here: check it first, e.g. `if x is not None:` (or `if x is None: return ...`), then use it as a {inner}"
        )),
        _ => None,
    }
}

/// Whether `stmt` assigns `name` anywhere inside it (conservatively: any binding form).
pub fn assigns_name(stmt: &syntax::Stmt, name: &str) -> bool {
    fn target(t: &syntax::Expr, name: &str) -> bool {
        match &t.kind {
            S::Name(n) => n == name,
            S::Tuple(items) | S::List(items) => items.iter().any(|i| target(i, name)),
            _ => false,
        }
    }
    fn block(stmts: &[syntax::Stmt], name: &str) -> bool {
        stmts.iter().any(|s| assigns_name(s, name))
    }
    match &stmt.kind {
        StmtKind::Assign { targets, .. } => targets.iter().any(|t| target(t, name)),
        StmtKind::AnnAssign { target: t, .. } | StmtKind::AugAssign { target: t, .. } => target(t, name),
        StmtKind::For { target: t, body, orelse, .. } => target(t, name) || block(body, name) || block(orelse, name),
        StmtKind::If { body, orelse, .. } | StmtKind::While { body, orelse, .. } => {
            block(body, name) || block(orelse, name)
        }
        StmtKind::FunctionDef(def) => def.name == name,
        StmtKind::Delete(targets) => targets.iter().any(|t| target(t, name)),
        StmtKind::Try { .. } => stmt.kind.try_blocks().into_iter().any(|b| block(b, name)),
        StmtKind::With { items, body } => {
            items.iter().filter_map(|(_, t)| t.as_ref()).any(|t| target(t, name)) || block(body, name)
        }
        _ => false,
    }
}

impl Checker<'_> {
    /// The variable `name` reads that a check can narrow (a local or a module variable; not a
    /// `nonlocal` one, which a nested call could rebind).
    fn narrowable_var(&self, name: &str) -> Option<Var> {
        match self.f.by_name.get(name) {
            Some(id) if !self.f.nonlocals.iter().any(|n| n == name) => Some(Var::Local(*id)),
            Some(_) => None,
            None => match self.scope.names.get(name) {
                Some(super::scope::ModuleName::Global(id)) => Some(Var::Global(*id)),
                _ => None,
            },
        }
    }

    /// The optional variable `name` refers to, if it is one (locals and module variables).
    fn optional_var(&self, name: &str) -> Option<Var> {
        let var = self.narrowable_var(name)?;
        matches!(self.var_type(var), Type::Optional(_)).then_some(var)
    }

    /// `name.attr` as an optional field of an object held in local `name`.
    fn optional_field(&self, value: &syntax::Expr, attr: &str) -> Option<Fact> {
        let S::Name(name) = &value.kind else { return None };
        let id = *self.f.by_name.get(name)?;
        if self.f.nonlocals.iter().any(|n| n == name) {
            return None;
        }
        let Type::Object(class) = &self.f.locals[id.0 as usize].ty else { return None };
        let field = self.field_ref(class.id, attr)?;
        let index = self.scope.field_names.iter().position(|n| n == attr)? as u32;
        matches!(field.ty, Type::Optional(_)).then_some(Fact::Field(id, index))
    }

    /// A name or `name.attr` that a check can narrow.
    fn fact_of(&self, e: &syntax::Expr) -> Option<Fact> {
        match &e.kind {
            S::Name(name) => self.optional_var(name).map(Fact::Var),
            S::Attribute { value, attr } => self.optional_field(value, attr),
            _ => None,
        }
    }

    /// Drops the field facts that evaluating `e` may invalidate (it may store that attribute).
    pub fn keep_facts_across(&self, facts: &mut Vec<Fact>, e: &syntax::Expr) {
        facts.retain(|fact| match fact {
            Fact::Field(_, attr) => {
                !self.scope.field_stores.expr_may_store(e, &self.scope.field_names[*attr as usize], self.scope)
            }
            Fact::Var(_) | Fact::Class(..) => true,
        });
    }

    /// `isinstance(x, C)` for a variable `x` holding an object of a base class of `C`.
    fn class_fact(&self, args: &[syntax::Expr]) -> Option<Fact> {
        let [S::Name(name), S::Name(class)] = [&args.first()?.kind, &args.get(1)?.kind] else { return None };
        let var = self.narrowable_var(name)?;
        let class = self.class_named(class)?;
        match self.var_type(var) {
            Type::Object(held) if self.scope.is_subclass(class, held.id) && class != held.id => {
                Some(Fact::Class(var, class))
            }
            _ => None,
        }
    }

    /// What `test` proves about optional variables and fields, and the classes of objects.
    pub fn none_checks(&self, test: &syntax::Expr) -> Checks {
        match &test.kind {
            S::Call { func, args, keywords }
                if keywords.is_empty()
                    && args.len() == 2
                    && matches!(&func.kind, S::Name(n) if n == "isinstance" && !self.f.by_name.contains_key(n)) =>
            {
                Checks { when_true: self.class_fact(args).into_iter().collect(), when_false: Vec::new() }
            }
            S::Name(_) | S::Attribute { .. } => {
                Checks { when_true: self.fact_of(test).into_iter().collect(), when_false: Vec::new() }
            }
            S::UnaryOp { op: syntax::UnaryOp::Not, operand } => {
                let inner = self.none_checks(operand);
                Checks { when_true: inner.when_false, when_false: inner.when_true }
            }
            S::Compare { left, ops, comparators } if ops.len() == 1 => {
                let other = match (&left.kind, &comparators[0].kind) {
                    (_, S::None) => self.fact_of(left),
                    (S::None, _) => self.fact_of(&comparators[0]),
                    _ => None,
                };
                let Some(fact) = other else { return Checks::default() };
                match ops[0] {
                    CmpOp::IsNot | CmpOp::NotEq => Checks { when_true: vec![fact], when_false: Vec::new() },
                    CmpOp::Is | CmpOp::Eq => Checks { when_true: Vec::new(), when_false: vec![fact] },
                    _ => Checks::default(),
                }
            }
            S::BoolOp { op, values } => {
                // A later operand may store the field an earlier one checked.
                let mut facts = Vec::new();
                for v in values {
                    self.keep_facts_across(&mut facts, v);
                    let checks = self.none_checks(v);
                    facts.extend(if *op == syntax::BoolOp::And { checks.when_true } else { checks.when_false });
                }
                if *op == syntax::BoolOp::And {
                    Checks { when_true: facts, when_false: Vec::new() }
                } else {
                    Checks { when_true: Vec::new(), when_false: facts }
                }
            }
            _ => Checks::default(),
        }
    }

    /// Runs `f` with `vars` known not to be None.
    pub fn with_narrowed<R>(&mut self, vars: &[Fact], f: impl FnOnce(&mut Self) -> R) -> R {
        let depth = self.f.narrowed.len();
        self.f.narrowed.extend_from_slice(vars);
        let result = f(self);
        self.f.narrowed.truncate(depth);
        result
    }

    /// Statements of one block, keeping narrowing facts up to date: a statement that assigns a
    /// narrowed variable ends its narrowing (a plain `x = ...` after evaluating the value), and an
    /// `if` whose branch always leaves (`if x is None: return`) narrows the rest of the block.
    pub fn narrowing_block(&mut self, stmts: &[syntax::Stmt]) -> Vec<Stmt> {
        let saved = self.f.narrowed.clone();
        let mut out = Vec::new();
        for stmt in stmts {
            let names: Vec<(Fact, String)> = self
                .f
                .narrowed
                .iter()
                .map(|fact| match fact {
                    Fact::Var(v) | Fact::Class(v, _) => (*fact, self.var_name(*v)),
                    Fact::Field(local, _) => (*fact, self.f.locals[local.0 as usize].name.clone()),
                })
                .collect();
            let plain_assign = matches!(&stmt.kind, StmtKind::Assign { targets, .. } if targets.iter().all(|t| matches!(t.kind, S::Name(_))))
                || matches!(&stmt.kind, StmtKind::AnnAssign { target, .. } if matches!(target.kind, S::Name(_)));
            let augmented =
                matches!(&stmt.kind, StmtKind::AugAssign { target, .. } if matches!(target.kind, S::Name(_)));
            let assigned: Vec<Fact> =
                names.iter().filter(|(_, name)| assigns_name(stmt, name)).map(|(v, _)| *v).collect();
            // A field fact ends before a statement that may store that attribute anywhere.
            let stored: Vec<Fact> = self
                .f
                .narrowed
                .iter()
                .filter(|fact| matches!(fact, Fact::Field(_, attr) if self.scope.field_stores.stmt_may_store(stmt, &self.scope.field_names[*attr as usize], self.scope)))
                .copied()
                .collect();
            self.f.narrowed.retain(|v| !stored.contains(v));
            if !plain_assign && !augmented {
                self.f.narrowed.retain(|v| !assigned.contains(v));
            }
            // Code after a `return`, `raise`, `break` or `continue` in the same block never runs:
            // it is checked (CPython compiles it) but not kept, so no statement follows one that
            // leaves (Rust would type a trailing `if` as the function's value, or a dead `break`
            // would make a `loop` fall through).
            let (dead, kept) = (leaves(out.last()), out.len());
            self.stmt_checked(stmt, &mut out);
            if dead {
                out.truncate(kept);
            }
            if plain_assign {
                self.f.narrowed.retain(|v| !assigned.contains(v));
            }
            let pending = std::mem::take(&mut self.f.pending_narrow);
            self.f.narrowed.extend(pending);
        }
        self.f.block_end_narrowed = std::mem::replace(&mut self.f.narrowed, saved);
        out
    }

    /// A read of `value` (of variable `var`) where checks have proved it is not None.
    pub fn narrowed_read(&self, var: Var, value: Expr) -> Expr {
        // After `isinstance(x, C)`: `x` is read as a `C` (the innermost check wins).
        if let Type::Object(_) = &value.ty {
            let class = self.f.narrowed.iter().rev().find_map(|fact| match fact {
                Fact::Class(v, class) if *v == var => Some(*class),
                _ => None,
            });
            if let Some(class) = class {
                return self.recast(value, class);
            }
        }
        match (&value.ty, self.f.narrowed.contains(&Fact::Var(var))) {
            (Type::Optional(inner), true) => {
                let (ty, loc) = ((**inner).clone(), value.loc);
                Expr::new(ExprKind::Unwrap(Box::new(value)), ty, loc)
            }
            _ => value,
        }
    }

    /// A read of optional field `attr` of the object in local `base`, narrowed when a check
    /// proved it is not None.
    pub fn narrowed_field(&self, base: &Expr, attr: &str, value: Expr) -> Expr {
        let held = match &base.kind {
            ExprKind::Convert { conversion: Conversion::Recast, value: inner } => inner.as_ref(),
            _ => base,
        };
        let ExprKind::Local(local) = held.kind else { return value };
        let Some(index) = self.scope.field_names.iter().position(|n| n == attr) else { return value };
        match (&value.ty, self.f.narrowed.contains(&Fact::Field(local, index as u32))) {
            (Type::Optional(inner), true) => {
                let (ty, loc) = ((**inner).clone(), value.loc);
                Expr::new(ExprKind::Unwrap(Box::new(value)), ty, loc)
            }
            _ => value,
        }
    }

    /// `maybe or fallback` with `maybe: T | None` and `fallback: T`.
    pub fn optional_or(&mut self, mut values: Vec<Expr>, loc: crate::span::Loc) -> Expr {
        let (Some(fallback), Some(maybe)) = (values.pop(), values.pop()) else {
            return Expr::new(ExprKind::None, Type::Unknown, loc);
        };
        let ty = fallback.ty.clone();
        let temp = self.f.temp(maybe.ty.clone());
        self.f.mark_assigned(Var::Local(temp));
        let read = |this: &Self| Expr::new(ExprKind::Local(temp), this.f.locals[temp.0 as usize].ty.clone(), loc);
        let cond = self.truthy(read(self));
        let then = Expr::new(ExprKind::Unwrap(Box::new(read(self))), ty.clone(), loc);
        let choice = Expr::new(
            ExprKind::IfExp { cond: Box::new(cond), then: Box::new(then), orelse: Box::new(fallback) },
            ty.clone(),
            loc,
        );
        Expr::new(
            ExprKind::Block {
                stmts: vec![Stmt::Assign { target: crate::ir::Target::Local(temp), value: maybe }],
                value: Box::new(choice),
            },
            ty,
            loc,
        )
    }

    /// `value is None` (`negated`: `is not None`), for any value.
    pub fn is_none(&mut self, value: Expr, negated: bool, span: crate::span::Span) -> Expr {
        let loc = self.loc(span);
        match &value.ty {
            Type::Optional(_) => Expr::new(ExprKind::IsNone { value: Box::new(value), negated }, Type::Bool, loc),
            // The answer is known; the operand still runs.
            other => {
                let answer = (*other == Type::None) != negated;
                let decided = Expr::new(ExprKind::Bool(answer), Type::Bool, loc);
                Expr::new(ExprKind::Block { stmts: vec![Stmt::Expr(value)], value: Box::new(decided) }, Type::Bool, loc)
            }
        }
    }

    /// `value` (of type `T` or `None`) stored where a `T | None` is expected.
    pub fn to_optional(&self, value: Expr, slot: &Type) -> Expr {
        let loc = value.loc;
        match value.ty {
            Type::None => {
                let none = Expr::new(ExprKind::None, slot.clone(), loc);
                if matches!(value.kind, ExprKind::None) {
                    none
                } else {
                    Expr::new(
                        ExprKind::Block { stmts: vec![Stmt::Expr(value)], value: Box::new(none) },
                        slot.clone(),
                        loc,
                    )
                }
            }
            Type::Optional(_) => value,
            _ => self.convert(value, Conversion::Wrap, slot.clone()),
        }
    }
}

/// Whether `stmt` always leaves its block (what follows it in the block never runs).
fn leaves(stmt: Option<&Stmt>) -> bool {
    matches!(stmt, Some(Stmt::Return(_) | Stmt::Raise { .. } | Stmt::Break | Stmt::Continue))
}
