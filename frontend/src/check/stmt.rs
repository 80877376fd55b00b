//! Statements: assignment (plain, annotated, augmented, tuple unpacking, list elements),
//! `if`, `while`, `break`/`continue`, `return`, `assert` (`for` loops live in `loops.rs`).
//! Definite assignment is tracked here: a read that some path reaches before any assignment is
//! marked so that code generation checks it at run time (UnboundLocalError / NameError).

use super::ops::Fit;
use super::scope::ModuleName;
use super::state::{merge, LoopState};
use super::{Checker, Var};
use crate::builtins::{self, Key, Op, Pat, Receiver};
use crate::diagnostic::Code;
use crate::ir::{self, Expr, ExprKind, Stmt, Target};
use crate::span::Span;
use crate::syntax::{self, ExprKind as S, StmtKind};
use crate::types::Type;

impl Checker<'_> {
    pub fn block(&mut self, stmts: &[syntax::Stmt]) -> Vec<Stmt> {
        self.narrowing_block(stmts)
    }

    pub(super) fn stmt_checked(&mut self, stmt: &syntax::Stmt, out: &mut Vec<Stmt>) {
        match &stmt.kind {
            StmtKind::FunctionDef(def) => {
                if self.f.owner.is_some() {
                    self.nested_def(def, out);
                }
            }
            StmtKind::Nonlocal(_) => {
                // In a top-level function the pre-pass reports it (no enclosing binding).
                if self.f.owner.is_none() {
                    self.error(
                        Code::SyntaxError,
                        stmt.span,
                        "`nonlocal` is only allowed in a function nested in another function",
                        "not nested",
                        "pass the value in as a parameter and return the new value",
                    );
                }
            }
            StmtKind::Import(_) | StmtKind::ImportFrom { .. } => {
                if self.f.owner.is_some() {
                    self.error(
                        Code::Unsupported,
                        stmt.span,
                        "imports inside functions are not supported",
                        "import here",
                        "move the import to the top of the file",
                    );
                }
            }
            StmtKind::Pass => {}
            StmtKind::ClassDef(class) => {
                // Module-level classes are collected before checking; their methods are
                // checked as functions.
                if self.f.owner.is_some() || self.prange_depth > 0 || !self.enclosing.is_empty() {
                    self.error(
                        Code::Unsupported,
                        class.name_span,
                        "classes inside functions are not supported by pyrsc",
                        "nested class",
                        "define the class at the top level of the file",
                    );
                }
            }
            StmtKind::Delete(targets) => self.delete(targets, out),
            StmtKind::Expr(syntax::Expr { kind: S::Yield(value), span }) => {
                self.yield_stmt(value.as_deref(), *span, out)
            }
            StmtKind::Expr(syntax::Expr { kind: S::YieldFrom(source), span }) => {
                self.yield_from_stmt(source, *span, out)
            }
            StmtKind::Expr(e) => {
                let value = self.expr(e, None);
                let diverges = matches!(&value.kind, ExprKind::Builtin { builtin, .. } if builtins::builtin(*builtin).ret == Pat::Never);
                out.push(Stmt::Expr(value));
                if diverges {
                    self.f.assigned = None;
                }
            }
            StmtKind::Assign { targets, value } => {
                let expected = if targets.len() == 1 { self.target_type(&targets[0]) } else { None };
                let value = self.expr(value, expected.as_ref());
                if targets.len() == 1 {
                    self.assign_to(&targets[0], value, out);
                } else {
                    // `a = b = value`: evaluate once, bind every target to the same object.
                    let temp = self.f.temp(value.ty.clone());
                    let loc = value.loc;
                    let ty = value.ty.clone();
                    out.push(Stmt::Assign { target: Target::Local(temp), value });
                    self.f.mark_assigned(Var::Local(temp));
                    for target in targets {
                        let read = Expr::new(ExprKind::Local(temp), ty.clone(), loc);
                        self.assign_to(target, read, out);
                    }
                }
            }
            StmtKind::AnnAssign { target, annotation: _, value } => {
                if let (S::Attribute { .. }, Some(value)) = (&target.kind, value) {
                    // `self.x: T = value`: the class table took the annotation.
                    let expected = self.target_type(target);
                    let value = self.expr(value, expected.as_ref());
                    self.assign_to(target, value, out);
                    return;
                }
                if !matches!(target.kind, S::Name(_)) {
                    self.error(
                        Code::Unsupported,
                        target.span,
                        "annotations are only supported on plain names",
                        "annotated target",
                        "assign without the annotation",
                    );
                    return;
                }
                if let Some(value) = value {
                    let expected = self.target_type(target);
                    let value = self.expr(value, expected.as_ref());
                    self.assign_to(target, value, out);
                }
            }
            StmtKind::AugAssign { target, op, value } => self.aug_assign(target, *op, value, stmt.span, out),
            StmtKind::If { test, body, orelse } => {
                let cond = self.condition(test);
                let checks = self.none_checks(test);
                let before = self.f.assigned.clone();
                let then_body = self.with_narrowed(&checks.when_true, |this| this.block(body));
                let then_facts = std::mem::take(&mut self.f.block_end_narrowed);
                let after_then = std::mem::replace(&mut self.f.assigned, before);
                let else_body = self.with_narrowed(&checks.when_false, |this| this.block(orelse));
                let else_facts = std::mem::take(&mut self.f.block_end_narrowed);
                let after_else = self.f.assigned.take();
                // What holds after the `if` is what holds at the end of every branch that does
                // not leave: `if x is None: return` narrows `x` for the rest of the block.
                let facts: Vec<super::narrowing::Fact> = match (after_then.is_none(), after_else.is_none()) {
                    (true, false) => else_facts,
                    (false, true) => then_facts,
                    _ => then_facts.into_iter().filter(|v| else_facts.contains(v)).collect(),
                };
                self.f.pending_narrow.extend(facts.into_iter().filter(|v| !self.f.narrowed.contains(v)));
                self.f.assigned = merge(after_then, after_else);
                out.push(Stmt::If { cond, then_body, else_body });
            }
            StmtKind::While { test, body, orelse } => {
                let infinite = matches!(test.kind, S::Bool(true));
                let cond = self.condition(test);
                let checks = self.none_checks(test);
                let before = self.f.assigned.clone();
                self.f.loops.push(LoopState { break_states: Vec::new() });
                let body = self.with_narrowed(&checks.when_true, |this| this.block(body));
                let state = self.f.loops.pop().unwrap_or(LoopState { break_states: Vec::new() });
                self.f.assigned = before.clone();
                let orelse = self.block(orelse);
                self.f.assigned =
                    if infinite { state.break_states.into_iter().map(Some).fold(None, merge) } else { before };
                out.push(Stmt::While { cond, body, orelse, id: self.loop_id() });
            }
            StmtKind::For { target, iter, body, orelse } => self.for_loop(target, iter, body, orelse, stmt.span, out),
            StmtKind::Break | StmtKind::Continue => {
                let is_break = matches!(stmt.kind, StmtKind::Break);
                let state = self.f.assigned.take();
                match self.f.loops.last_mut() {
                    Some(lp) => {
                        if is_break {
                            if let Some(state) = state {
                                lp.break_states.push(state);
                            }
                        }
                        out.push(if is_break { Stmt::Break } else { Stmt::Continue });
                    }
                    None => self.error(
                        Code::SyntaxError,
                        stmt.span,
                        "`break`/`continue` outside a loop",
                        "not in a loop",
                        "remove it",
                    ),
                }
            }
            StmtKind::Return(value) => self.return_stmt(value.as_ref(), stmt.span, out),
            StmtKind::Try { body, handlers, orelse, finalbody } => {
                self.try_stmt(body, handlers, orelse, finalbody, out)
            }
            StmtKind::Raise { exc, cause } => self.raise_stmt(exc.as_ref(), cause.as_ref(), stmt.span, out),
            StmtKind::With { items, body } => self.with_stmt(items, body, out),
            StmtKind::Assert { test, msg } => {
                // CPython's traceback points at the asserted expression.
                let loc = self.loc(test.span);
                let test = self.condition(test);
                let msg = msg.as_ref().map(|m| {
                    let value = self.expr(m, None);
                    self.reject_array_text(&value, m.span);
                    value
                });
                out.push(Stmt::Assert { test, msg, loc });
            }
        }
    }

    /// The declared or inferred type of an assignment target, to guide literals.
    fn target_type(&mut self, target: &syntax::Expr) -> Option<Type> {
        match &target.kind {
            S::Name(name) => match self.lookup_var(name)? {
                Var::Local(id) => Some(self.f.locals[id.0 as usize].ty.clone()),
                Var::Global(id) => Some(self.global_type(id)),
                Var::Free(i) => Some(self.f.free[i].1.clone()),
            },
            S::Attribute { value, attr } => self.field_target_type(value, attr),
            _ => None,
        }
    }

    /// The variable an assignment to `name` writes.
    pub fn lookup_var(&mut self, name: &str) -> Option<Var> {
        if self.f.nonlocals.iter().any(|n| n == name) {
            return self.free_var(name).map(Var::Free);
        }
        if let Some(id) = self.f.by_name.get(name) {
            return Some(Var::Local(*id));
        }
        if self.f.owner.is_none() {
            if let Some(ModuleName::Global(id)) = self.scope.names.get(name) {
                return Some(Var::Global(*id));
            }
        }
        None
    }

    pub fn var_type(&self, var: Var) -> Type {
        match var {
            Var::Local(id) => self.f.locals[id.0 as usize].ty.clone(),
            Var::Global(id) => self.global_type(id),
            Var::Free(i) => self.f.free[i].1.clone(),
        }
    }

    pub(super) fn set_var_type(&mut self, var: Var, ty: Type) {
        let (key, name) = match var {
            Var::Local(id) => {
                self.f.locals[id.0 as usize].ty = ty.clone();
                (self.f.owner, format!("{}{}", self.f.key_prefix, self.f.locals[id.0 as usize].name))
            }
            Var::Global(id) => (None, self.scope.globals[id.0 as usize].name.clone()),
            // A nonlocal keeps the enclosing variable's type.
            Var::Free(_) => return,
        };
        if !name.starts_with('$') {
            self.inference.vars.insert((key, name), ty);
        }
    }

    pub(super) fn var_name(&self, var: Var) -> String {
        match var {
            Var::Local(id) => self.f.locals[id.0 as usize].name.clone(),
            Var::Global(id) => self.scope.globals[id.0 as usize].name.clone(),
            Var::Free(i) => self.f.free[i].0.clone(),
        }
    }

    fn declared_int(&self, var: Var) -> bool {
        match var {
            Var::Local(id) => self.f.annotated[id.0 as usize] && self.f.locals[id.0 as usize].ty == Type::Int,
            Var::Global(id) => self.scope.globals[id.0 as usize].declared == Some(Type::Int),
            // The enclosing variable's type is fixed: a nonlocal write never widens it.
            Var::Free(_) => true,
        }
    }

    /// Fits `value` into variable `var`, inferring or widening its type.
    pub(super) fn store_var(&mut self, var: Var, value: Expr, span: Span) -> Expr {
        let slot = self.var_type(var);
        let name = self.var_name(var);
        if slot == Type::Unknown || (slot.has_unknown() && value.ty.has_unknown()) {
            if value.ty.has_unknown() {
                // An empty container: the variable's later use (`append`, `d[k] = v`, `add`)
                // gives it a type in the next round; if nothing does, it is reported.
                if let Some(position) = self.pending_empty.iter().position(|(s, _)| value.loc == self.loc(*s)) {
                    let (empty_span, _) = self.pending_empty.remove(position);
                    self.pending_vars.push((var, empty_span));
                    if slot == Type::Unknown {
                        // Remember which kind of container it is until a use says what it holds.
                        self.set_var_type(var, value.ty.clone());
                    }
                }
                return value;
            }
            self.set_var_type(var, value.ty.clone());
            return value;
        }
        match self.fit(value.clone(), &slot) {
            Fit::Ok(value) => value,
            Fit::Widen(wider @ Type::Array(..)) => {
                self.set_var_type(var, wider);
                value
            }
            Fit::Widen(wider) if !self.declared_int(var) => {
                self.set_var_type(var, wider);
                self.to_num(value)
            }
            _ => {
                let help = match (&slot, &value.ty) {
                    (Type::Int, Type::Float | Type::Num) => {
                        format!("`{name}` is declared int: convert with int(...), or use `//` for integer division")
                    }
                    (_, Type::Optional(inner)) if **inner == slot => {
                        super::narrowing::none_check_help(&value.ty).unwrap_or_default()
                    }
                    _ => format!("a variable keeps one type in pyrsc: use a new name for the {} value", value.ty),
                };
                self.error(
                    Code::TypeMismatch,
                    span,
                    format!("cannot assign {} to `{name}`, which is {slot}", value.ty),
                    format!("this is {}", value.ty),
                    help,
                );
                self.poisoned(span)
            }
        }
    }

    pub(super) fn var_target(var: Var) -> Target {
        match var {
            Var::Local(id) => Target::Local(id),
            Var::Global(id) => Target::Global(id),
            Var::Free(i) => Target::Free(i),
        }
    }

    pub(super) fn assign_to(&mut self, target: &syntax::Expr, value: Expr, out: &mut Vec<Stmt>) {
        match &target.kind {
            S::Name(name) => {
                let Some(var) = self.lookup_var(name) else {
                    self.error(
                        Code::Unsupported,
                        target.span,
                        format!("cannot assign to `{name}`"),
                        "not a variable",
                        "assign to a variable name",
                    );
                    return;
                };
                let value = self.store_var(var, value, target.span);
                out.push(Stmt::Assign { target: Self::var_target(var), value });
                self.f.mark_assigned(var);
            }
            S::Subscript { value: base_syntax, index: index_syntax }
                if matches!(index_syntax.kind, S::Slice { .. }) =>
            {
                let S::Slice { lower, upper, step } = &index_syntax.kind else { return };
                let base = self.expr(base_syntax, None);
                match base.ty.clone() {
                    Type::List(_) => {
                        let value = match value.ty.clone() {
                            Type::Tuple(_) => self.tuple_as_list(value.clone(), target.span).unwrap_or(value),
                            Type::Range => self.builtin_call(Key::Op(Op::RangeList), vec![value], target.span),
                            _ => value,
                        };
                        if value.ty != base.ty && !value.ty.has_unknown() {
                            self.error(
                                Code::TypeMismatch,
                                target.span,
                                format!("cannot assign {} to a slice of {}", value.ty, base.ty),
                                format!("this is {}", base.ty),
                                format!("assign a {}", base.ty),
                            );
                            return;
                        }
                        let [lower, upper, step] =
                            [lower, upper, step].map(|part| part.as_ref().map(|e| Box::new(self.index_value(e))));
                        let mut loc = self.loc(target.span);
                        loc.anchor = self.subscript_anchor(target.span, base_syntax.span, index_syntax.span);
                        out.push(Stmt::Assign {
                            target: Target::Slice { base: Box::new(base), lower, upper, step, loc },
                            value,
                        });
                    }
                    Type::Unknown => {}
                    other => self.error(
                        Code::TypeMismatch,
                        target.span,
                        format!("{other} does not support slice assignment"),
                        format!("this is {other}"),
                        "assign to a slice of a list",
                    ),
                }
            }
            S::Subscript { value: base_syntax, index: index_syntax } => {
                // `d = {}` then `d[k] = v`: the first store types the empty dict's variable.
                if let S::Name(name) = &base_syntax.kind {
                    if let Some(var) = self.lookup_var(name) {
                        if matches!(self.var_type(var), Type::Dict(..)) && self.var_type(var).has_unknown() {
                            let (saved, pending) = (self.diagnostics.len(), self.pending_empty.len());
                            let key = self.expr(index_syntax, None).ty;
                            self.diagnostics.truncate(saved);
                            self.pending_empty.truncate(pending);
                            if !key.has_unknown() && !value.ty.has_unknown() {
                                self.set_var_type(var, Type::dict(key, value.ty.clone()));
                            }
                        }
                    }
                }
                let base = self.expr(base_syntax, None);
                match base.ty.clone() {
                    Type::Array(dtype, ndim) => {
                        let mut loc = self.loc(target.span);
                        loc.anchor = self.subscript_anchor(target.span, base_syntax.span, index_syntax.span);
                        if let Some(stmt) = self.array_store(base, index_syntax, value, dtype, ndim, target.span, loc) {
                            out.push(stmt);
                        }
                    }
                    Type::List(elem) => {
                        let index = self.index_value(index_syntax);
                        let value = self.fit_element(value, &elem, target.span, "list");
                        let mut loc = self.loc(target.span);
                        loc.anchor = self.subscript_anchor(target.span, base_syntax.span, index_syntax.span);
                        out.push(Stmt::Assign {
                            target: Target::Index { base: Box::new(base), index: Box::new(index), loc },
                            value,
                        });
                    }
                    Type::Object(_) => {
                        let key = self.expr(index_syntax, None);
                        self.object_setitem(base, key, value, (index_syntax.span, target.span), out);
                    }
                    Type::Dict(key_ty, value_ty) => {
                        let key = self.expr(index_syntax, Some(&key_ty));
                        let key = self.fit_element(key, &key_ty, index_syntax.span, "dict key");
                        let value = self.fit_element(value, &value_ty, target.span, "dict value");
                        let loc = self.loc(target.span);
                        out.push(Stmt::Assign {
                            target: Target::Index { base: Box::new(base), index: Box::new(key), loc },
                            value,
                        });
                    }
                    Type::Unknown => {}
                    other => self.error(
                        Code::TypeMismatch,
                        target.span,
                        format!("{other} does not support item assignment"),
                        format!("this is {other}"),
                        "assign elements of a list",
                    ),
                }
            }
            S::Attribute { value: base, attr } => self.store_field(base, attr, value, target.span, out),
            S::Tuple(items) | S::List(items) => {
                // `a, b = xs` for a list or a `tuple[T, ...]`: its length is checked when it runs.
                let value = match value.ty.clone() {
                    Type::List(elem) | Type::VarTuple(elem) if (1..=8).contains(&items.len()) => {
                        // CPython's traceback marks the names being unpacked into.
                        let (loc, count) = (self.loc(target.span), items.len());
                        Expr::new(
                            ExprKind::Unpack { value: Box::new(value), count },
                            Type::Tuple(vec![*elem; count]),
                            loc,
                        )
                    }
                    _ => value,
                };
                let Type::Tuple(types) = value.ty.clone() else {
                    if !value.ty.has_unknown() {
                        self.error(
                            Code::TypeMismatch,
                            target.span,
                            format!("cannot unpack {} into {} names", value.ty, items.len()),
                            "unpacking",
                            "unpack a tuple with the same number of items",
                        );
                    }
                    return;
                };
                if types.len() != items.len() {
                    self.error(
                        Code::TypeMismatch,
                        target.span,
                        format!("cannot unpack a tuple of {} items into {} names", types.len(), items.len()),
                        "wrong number of names",
                        format!("use {} names", types.len()),
                    );
                    return;
                }
                let loc = value.loc;
                let temp = self.f.temp(value.ty.clone());
                out.push(Stmt::Assign { target: Target::Local(temp), value });
                self.f.mark_assigned(Var::Local(temp));
                for (i, (item, ty)) in items.iter().zip(types).enumerate() {
                    let base = Expr::new(ExprKind::Local(temp), self.f.locals[temp.0 as usize].ty.clone(), loc);
                    let field = Expr::new(ExprKind::TupleField { base: Box::new(base), index: i }, ty, loc);
                    self.assign_to(item, field, out);
                }
            }
            _ => self.error(
                Code::Unsupported,
                target.span,
                "this assignment target is not supported",
                "target",
                "assign to a name, a list element or a tuple of names",
            ),
        }
    }

    fn aug_assign(
        &mut self,
        target: &syntax::Expr,
        op: syntax::BinOp,
        value: &syntax::Expr,
        span: Span,
        out: &mut Vec<Stmt>,
    ) {
        match &target.kind {
            S::Name(name) => {
                let Some(var) = self.lookup_var(name) else {
                    // Reading a name that is not a variable of this scope reports itself.
                    let _ = self.expr(target, None);
                    return;
                };
                let current = self.read_var(var, target.span);
                let rhs = self.expr(value, None);
                let result = self.augmented(op, current, rhs, span);
                let result = self.store_var(var, result, target.span);
                out.push(Stmt::Assign { target: Self::var_target(var), value: result });
                self.f.mark_assigned(var);
            }
            S::Subscript { value: base_syntax, index: index_syntax } => {
                let base = self.expr(base_syntax, None);
                let (elem, index, container) = match base.ty.clone() {
                    Type::Array(dtype, ndim) => match self.array_index(index_syntax, ndim) {
                        Some(index) => (dtype.element(), index, "array"),
                        None => return,
                    },
                    Type::List(elem) => (*elem, self.index_value(index_syntax), "list"),
                    Type::Dict(key_ty, value_ty) => (*value_ty, self.lookup_key(index_syntax, &key_ty), "dict value"),
                    other => {
                        if !other.has_unknown() {
                            self.error(
                                Code::TypeMismatch,
                                target.span,
                                format!("{other} does not support item assignment"),
                                "here",
                                "assign elements of a list or entries of a dict",
                            );
                        }
                        return;
                    }
                };
                let mut loc = self.loc(target.span);
                loc.anchor = self.subscript_anchor(target.span, base_syntax.span, index_syntax.span);
                // Evaluate the container and the index once, as CPython does.
                let base_temp = self.f.temp(base.ty.clone());
                let index_ty = index.ty.clone();
                let index_temp = self.f.temp(index_ty.clone());
                out.push(Stmt::Assign { target: Target::Local(base_temp), value: base.clone() });
                out.push(Stmt::Assign { target: Target::Local(index_temp), value: index });
                self.f.mark_assigned(Var::Local(base_temp));
                self.f.mark_assigned(Var::Local(index_temp));
                let read_base = || Box::new(Expr::new(ExprKind::Local(base_temp), base.ty.clone(), loc));
                let read_index = || Box::new(Expr::new(ExprKind::Local(index_temp), index_ty.clone(), loc));
                let current = Expr::new(ExprKind::Index { base: read_base(), index: read_index() }, elem.clone(), loc);
                let rhs = self.expr(value, None);
                let result = self.augmented(op, current, rhs, span);
                let result = match base.ty {
                    // NumPy converts what is stored to the element type (`a[i] += 1` on floats).
                    Type::Array(dtype, _) => self.array_element(result, dtype, span),
                    _ => self.fit_element(result, &elem, span, container),
                };
                out.push(Stmt::Assign {
                    target: Target::Index { base: read_base(), index: read_index(), loc },
                    value: result,
                });
            }
            S::Attribute { value: base_syntax, attr } => {
                // `obj.x += v`: the object is evaluated once.
                let base = self.expr(base_syntax, None);
                if base.ty.has_unknown() {
                    return;
                }
                let loc = self.loc(target.span);
                let Type::Object(class) = base.ty.clone() else {
                    self.error(
                        Code::UnknownAttribute,
                        target.span,
                        format!("{} has no attribute `{attr}` to update", base.ty),
                        "not an object",
                        "update fields of your classes' objects",
                    );
                    return;
                };
                // A local holding the object is read twice (no expression rebinds a local);
                // anything else is evaluated once into a temporary.
                let held = if matches!(&base.kind, ExprKind::Local(id) if !self.f.locals[id.0 as usize].captured) {
                    base
                } else {
                    let temp = self.f.temp(base.ty.clone());
                    out.push(Stmt::Assign { target: Target::Local(temp), value: base.clone() });
                    self.f.mark_assigned(Var::Local(temp));
                    Expr::new(ExprKind::Local(temp), base.ty.clone(), loc)
                };
                let current = self.object_attribute(held.clone(), class.id, attr, target.span);
                let rhs = self.expr(value, None);
                let result = self.augmented(op, current, rhs, span);
                self.store_field_on(held, attr, result, target.span, out);
            }
            _ => self.error(
                Code::Unsupported,
                target.span,
                "this augmented assignment target is not supported",
                "target",
                "use a name or a list element",
            ),
        }
    }

    /// `x op= y`: like `x = x op y`, except that `+=` and `*=` on a list change it in place
    /// (as CPython's `list.__iadd__` / `__imul__` do, so aliases see the change).
    fn augmented(&mut self, op: syntax::BinOp, current: Expr, rhs: Expr, span: Span) -> Expr {
        let loc = self.loc(span);
        match (&current.ty, op) {
            (Type::List(elem), syntax::BinOp::Add) => {
                let rhs = match rhs.ty.clone() {
                    Type::Tuple(_) => self.tuple_as_list(rhs.clone(), span).unwrap_or(rhs),
                    Type::Range => self.builtin_call(Key::Op(Op::RangeList), vec![rhs], span),
                    Type::Str if **elem == Type::Str => self.builtin_call(Key::Op(Op::StrChars), vec![rhs], span),
                    _ => rhs,
                };
                if rhs.ty != current.ty && !rhs.ty.has_unknown() {
                    self.error(
                        Code::TypeMismatch,
                        span,
                        format!("cannot extend {} with {}", current.ty, rhs.ty),
                        format!("this is {}", rhs.ty),
                        format!("add a {}", current.ty),
                    );
                    return self.poisoned(span);
                }
                let extend = self.builtin_call(Key::Method(Receiver::List, "extend"), vec![current.clone(), rhs], span);
                let ty = current.ty.clone();
                Expr::new(ExprKind::Block { stmts: vec![Stmt::Expr(extend)], value: Box::new(current) }, ty, loc)
            }
            (Type::List(_), syntax::BinOp::Mul) if matches!(rhs.ty, Type::Int | Type::Bool) => {
                let count = self.to_int(rhs);
                let repeat = self.builtin_call(Key::Op(Op::ListRepeatInPlace), vec![current.clone(), count], span);
                let ty = current.ty.clone();
                Expr::new(ExprKind::Block { stmts: vec![Stmt::Expr(repeat)], value: Box::new(current) }, ty, loc)
            }
            (Type::Set(_), _) if current.ty == rhs.ty => {
                match self.set_augmented(op, current.clone(), rhs.clone(), span) {
                    Some(result) => result,
                    None => self.binary(op, current, rhs, span),
                }
            }
            _ => self.binary(op, current, rhs, span),
        }
    }

    fn return_stmt(&mut self, value: Option<&syntax::Expr>, span: Span, out: &mut Vec<Stmt>) {
        if self.f.owner.is_none() && !self.f.nested {
            self.error(
                Code::SyntaxError,
                span,
                "`return` outside a function",
                "not in a function",
                "use sys.exit() to stop the program",
            );
            return;
        }
        // A module function's float result may widen to hold an int; a function value's type is
        // fixed by its signature.
        let widen_owner = self.f.owner.filter(|_| !self.f.nested);
        let ret = self.f.ret.clone();
        let value = match value {
            None => None,
            Some(e) => {
                let value = self.expr(e, Some(&ret));
                Some(match self.fit(value.clone(), &ret) {
                    Fit::Ok(value) => value,
                    Fit::Widen(wider @ Type::Array(..)) if widen_owner.is_some() => {
                        let owner = widen_owner.unwrap_or(crate::ir::FuncId(0));
                        self.inference.rets[owner.0 as usize] = wider.clone();
                        self.f.ret = wider;
                        value
                    }
                    Fit::Widen(wider) if ret == Type::Float && widen_owner.is_some() => {
                        let owner = widen_owner.unwrap_or(crate::ir::FuncId(0));
                        self.inference.rets[owner.0 as usize] = wider.clone();
                        self.f.ret = wider;
                        self.to_num(value)
                    }
                    _ => {
                        self.error(
                            Code::TypeMismatch,
                            e.span,
                            format!("`{}` returns {ret}, but this is {}", self.f.name, value.ty),
                            format!("this is {}", value.ty),
                            if widen_owner.is_none() && ret == Type::Float && value.ty.is_numeric() {
                                "a function value's float result cannot hold an int: return float(...) or a float literal such as `1.0`".to_owned()
                            } else {
                                format!("return a {ret}, or change the annotation to `-> {}`", value.ty)
                            },
                        );
                        self.poisoned(e.span)
                    }
                })
            }
        };
        if value.is_none() && !matches!(ret, Type::None | Type::Unknown) {
            self.error(
                Code::TypeMismatch,
                span,
                format!("`{}` returns {ret}, but this `return` has no value", self.f.name),
                "returns None",
                format!("return a {ret} value"),
            );
        }
        let value = match value {
            Some(Expr { ty: Type::None, .. }) | None => None,
            some => some,
        };
        out.push(Stmt::Return(value));
        self.f.assigned = None;
    }
}

/// Module-level statements that cannot run user code (for deciding constants).
pub fn is_inert(stmt: &syntax::Stmt) -> bool {
    matches!(stmt.kind, StmtKind::FunctionDef(_) | StmtKind::Import(_) | StmtKind::ImportFrom { .. } | StmtKind::Pass)
        || matches!(&stmt.kind, StmtKind::Expr(e) if matches!(e.kind, S::Str(_)))
}

/// The literal a constant-looking expression denotes.
pub fn literal_of(expr: &syntax::Expr) -> Option<ir::Literal> {
    match &expr.kind {
        S::Int(n) => Some(ir::Literal::Int(*n)),
        S::Float(x) => Some(ir::Literal::Float(*x)),
        S::Bool(b) => Some(ir::Literal::Bool(*b)),
        S::Str(s) => Some(ir::Literal::Str(s.clone())),
        S::UnaryOp { op: syntax::UnaryOp::Neg, operand } => match operand.kind {
            S::Int(n) if n != i64::MIN => Some(ir::Literal::Int(-n)),
            S::Float(x) => Some(ir::Literal::Float(-x)),
            _ => None,
        },
        _ => None,
    }
}
