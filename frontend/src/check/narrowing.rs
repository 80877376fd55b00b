//! `T | None`: narrowing. A check that an optional variable is not None (`x is not None`,
//! `x is None` with an early exit, `x` used as a condition, combined with `and`/`or`/`not`)
//! lets the code it guards read `x` as a `T`, until something assigns `x` again. A read of a
//! possibly-None value where a `T` is needed stays a type error whose help shows the check.

use super::scope::Var;
use super::Checker;
use crate::ir::{Conversion, Expr, ExprKind, Stmt};
use crate::syntax::{self, CmpOp, ExprKind as S, StmtKind};
use crate::types::Type;

/// Variables known not to be None when a test is true, and when it is false.
#[derive(Default)]
pub struct Checks {
    pub when_true: Vec<Var>,
    pub when_false: Vec<Var>,
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
        StmtKind::If { body, orelse, .. } | StmtKind::While { body, orelse, .. } => block(body, name) || block(orelse, name),
        StmtKind::FunctionDef(def) => def.name == name,
        StmtKind::Delete(targets) => targets.iter().any(|t| target(t, name)),
        StmtKind::Try { .. } => stmt.kind.try_blocks().into_iter().any(|b| block(b, name)),
        StmtKind::With { items, body } => items.iter().filter_map(|(_, t)| t.as_ref()).any(|t| target(t, name)) || block(body, name),
        _ => false,
    }
}

impl Checker<'_> {
    /// The optional variable `name` refers to, if it is one (locals and module variables).
    fn optional_var(&self, name: &str) -> Option<Var> {
        let var = match self.f.by_name.get(name) {
            Some(id) if !self.f.nonlocals.iter().any(|n| n == name) => Var::Local(*id),
            Some(_) => return None,
            None => match self.scope.names.get(name) {
                Some(super::scope::ModuleName::Global(id)) => Var::Global(*id),
                _ => return None,
            },
        };
        matches!(self.var_type(var), Type::Optional(_)).then_some(var)
    }

    /// What `test` proves about optional variables.
    pub fn none_checks(&self, test: &syntax::Expr) -> Checks {
        match &test.kind {
            S::Name(name) => Checks { when_true: self.optional_var(name).into_iter().collect(), when_false: Vec::new() },
            S::UnaryOp { op: syntax::UnaryOp::Not, operand } => {
                let inner = self.none_checks(operand);
                Checks { when_true: inner.when_false, when_false: inner.when_true }
            }
            S::Compare { left, ops, comparators } if ops.len() == 1 => {
                let other = match (&left.kind, &comparators[0].kind) {
                    (S::Name(name), S::None) | (S::None, S::Name(name)) => self.optional_var(name),
                    _ => None,
                };
                let Some(var) = other else { return Checks::default() };
                match ops[0] {
                    CmpOp::IsNot | CmpOp::NotEq => Checks { when_true: vec![var], when_false: Vec::new() },
                    CmpOp::Is | CmpOp::Eq => Checks { when_true: Vec::new(), when_false: vec![var] },
                    _ => Checks::default(),
                }
            }
            S::BoolOp { op: syntax::BoolOp::And, values } => {
                Checks { when_true: values.iter().flat_map(|v| self.none_checks(v).when_true).collect(), when_false: Vec::new() }
            }
            S::BoolOp { op: syntax::BoolOp::Or, values } => {
                Checks { when_true: Vec::new(), when_false: values.iter().flat_map(|v| self.none_checks(v).when_false).collect() }
            }
            _ => Checks::default(),
        }
    }

    /// Runs `f` with `vars` known not to be None.
    pub fn with_narrowed<R>(&mut self, vars: &[Var], f: impl FnOnce(&mut Self) -> R) -> R {
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
            let names: Vec<(Var, String)> = self.f.narrowed.iter().map(|v| (*v, self.var_name(*v))).collect();
            let plain_assign = matches!(&stmt.kind, StmtKind::Assign { targets, .. } if targets.iter().all(|t| matches!(t.kind, S::Name(_))))
                || matches!(&stmt.kind, StmtKind::AnnAssign { target, .. } if matches!(target.kind, S::Name(_)));
            let augmented = matches!(&stmt.kind, StmtKind::AugAssign { target, .. } if matches!(target.kind, S::Name(_)));
            let assigned: Vec<Var> = names.iter().filter(|(_, name)| assigns_name(stmt, name)).map(|(v, _)| *v).collect();
            if !plain_assign && !augmented {
                self.f.narrowed.retain(|v| !assigned.contains(v));
            }
            self.stmt_checked(stmt, &mut out);
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
        match (&value.ty, self.f.narrowed.contains(&var)) {
            (Type::Optional(inner), true) => {
                let (ty, loc) = ((**inner).clone(), value.loc);
                Expr::new(ExprKind::Unwrap(Box::new(value)), ty, loc)
            }
            _ => value,
        }
    }

    /// `maybe or fallback` with `maybe: T | None` and `fallback: T`.
    pub fn optional_or(&mut self, mut values: Vec<Expr>, loc: crate::span::Loc) -> Expr {
        let (Some(fallback), Some(maybe)) = (values.pop(), values.pop()) else { return Expr::new(ExprKind::None, Type::Unknown, loc) };
        let ty = fallback.ty.clone();
        let temp = self.f.temp(maybe.ty.clone());
        self.f.mark_assigned(Var::Local(temp));
        let read = |this: &Self| Expr::new(ExprKind::Local(temp), this.f.locals[temp.0 as usize].ty.clone(), loc);
        let cond = self.truthy(read(self));
        let then = Expr::new(ExprKind::Unwrap(Box::new(read(self))), ty.clone(), loc);
        let choice = Expr::new(ExprKind::IfExp { cond: Box::new(cond), then: Box::new(then), orelse: Box::new(fallback) }, ty.clone(), loc);
        Expr::new(ExprKind::Block { stmts: vec![Stmt::Assign { target: crate::ir::Target::Local(temp), value: maybe }], value: Box::new(choice) }, ty, loc)
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
                    Expr::new(ExprKind::Block { stmts: vec![Stmt::Expr(value)], value: Box::new(none) }, slot.clone(), loc)
                }
            }
            Type::Optional(_) => value,
            _ => self.convert(value, Conversion::Wrap, slot.clone()),
        }
    }
}
