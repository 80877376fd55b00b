//! The one walk over the IR. Every analysis that looks at statements and expressions implements
//! [`Visitor`], overriding the nodes it cares about and calling the `walk_*` function to go on
//! into the node's parts. The `walk_*` functions match every IR form without a wildcard arm, so
//! a new form fails to compile here until its parts are walked, and every analysis then sees
//! them.
//!
//! Parts are visited in the order CPython evaluates them: an assignment's value before its
//! target, a loop's bounds before its variable and body, a `Block`'s statements before its
//! value. A nested `def`'s body is visited through [`Visitor::nested`] (by default as part of
//! the enclosing function: calls a nested function makes count as calls of its definer).

use crate::ir::{Expr, ExprKind, FormatPart, FuncId, Function, LocalId, ParLoop, Stmt, Target, TryStmt, VarRef};

pub trait Visitor<'ir> {
    fn stmt(&mut self, stmt: &'ir Stmt) {
        walk_stmt(self, stmt)
    }

    fn expr(&mut self, expr: &'ir Expr) {
        walk_expr(self, expr)
    }

    fn target(&mut self, target: &'ir Target) {
        walk_target(self, target)
    }

    /// The function a nested `def` creates.
    fn nested(&mut self, function: &'ir Function) {
        walk_block(self, &function.body)
    }

    /// The body of a `prange` loop (its bounds are walked before, its `else` after).
    fn par_body(&mut self, par: &'ir ParLoop) {
        walk_block(self, &par.body)
    }
}

pub fn walk_block<'ir, V: Visitor<'ir> + ?Sized>(v: &mut V, stmts: &'ir [Stmt]) {
    for stmt in stmts {
        v.stmt(stmt);
    }
}

fn walk_try<'ir, V: Visitor<'ir> + ?Sized>(v: &mut V, t: &'ir TryStmt) {
    walk_block(v, &t.body);
    for handler in &t.handlers {
        walk_block(v, &handler.body);
    }
    walk_block(v, &t.orelse);
    walk_block(v, &t.finally);
}

pub fn walk_stmt<'ir, V: Visitor<'ir> + ?Sized>(v: &mut V, stmt: &'ir Stmt) {
    match stmt {
        Stmt::Assign { target, value } => {
            v.expr(value);
            v.target(target);
        }
        Stmt::Expr(e) => v.expr(e),
        Stmt::If { cond, then_body, else_body } => {
            v.expr(cond);
            walk_block(v, then_body);
            walk_block(v, else_body);
        }
        Stmt::While { cond, body, orelse, .. } => {
            v.expr(cond);
            walk_block(v, body);
            walk_block(v, orelse);
        }
        Stmt::ForRange { var, start, stop, step, body, orelse, .. } => {
            v.expr(start);
            v.expr(stop);
            v.expr(step);
            v.target(var);
            walk_block(v, body);
            walk_block(v, orelse);
        }
        Stmt::ForList { target, iterable, body, orelse, .. } => {
            v.expr(iterable);
            v.target(target);
            walk_block(v, body);
            walk_block(v, orelse);
        }
        Stmt::ForPieces { target, text, sep, body, orelse, loc: _ } => {
            v.expr(text);
            if let Some(sep) = sep {
                v.expr(sep);
            }
            v.target(target);
            walk_block(v, body);
            walk_block(v, orelse);
        }
        Stmt::ParFor(par) => {
            v.expr(&par.start);
            v.expr(&par.stop);
            v.expr(&par.step);
            if let Some(threads) = &par.threads {
                v.expr(threads);
            }
            v.par_body(par);
            walk_block(v, &par.orelse);
        }
        Stmt::Break | Stmt::Continue | Stmt::Return(None) => {}
        Stmt::Return(Some(value)) => v.expr(value),
        Stmt::Assert { test, msg, loc: _ } => {
            v.expr(test);
            if let Some(msg) = msg {
                v.expr(msg);
            }
        }
        Stmt::Def { local: _, function, captures: _ } => v.nested(function),
        Stmt::DeleteSlice { base, lower, upper, step, loc: _ } => {
            v.expr(base);
            for part in [lower, upper, step].into_iter().flatten() {
                v.expr(part);
            }
        }
        Stmt::Try(t) => walk_try(v, t),
        Stmt::Raise { value, cause, loc: _ } => {
            if let Some(value) = value {
                v.expr(value);
            }
            if let Some(cause) = cause.expr() {
                v.expr(cause);
            }
        }
        Stmt::Yield { value, loc: _ } => v.expr(value),
        Stmt::YieldFrom { call, loc: _ } => v.expr(call),
        Stmt::ForGen { target, call, body, orelse, loc: _ } => {
            v.expr(call);
            v.target(target);
            walk_block(v, body);
            walk_block(v, orelse);
        }
    }
}

pub fn walk_target<'ir, V: Visitor<'ir> + ?Sized>(v: &mut V, target: &'ir Target) {
    match target {
        Target::Local(_) | Target::Global(_) | Target::Free(_) => {}
        Target::Index { base, index, loc: _ } => {
            v.expr(base);
            v.expr(index);
        }
        Target::Tuple(items) => {
            for item in items {
                v.target(item);
            }
        }
        Target::Field { base, slot: _, name: _ } => v.expr(base),
        Target::Slice { base, lower, upper, step, loc: _ } => {
            v.expr(base);
            for part in [lower, upper, step].into_iter().flatten() {
                v.expr(part);
            }
        }
    }
}

pub fn walk_expr<'ir, V: Visitor<'ir> + ?Sized>(v: &mut V, e: &'ir Expr) {
    match &e.kind {
        ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::Bool(_)
        | ExprKind::Str(_)
        | ExprKind::None
        | ExprKind::Local(_)
        | ExprKind::Global(_)
        | ExprKind::Free(_)
        | ExprKind::FunctionRef(_)
        | ExprKind::Constant(_)
        | ExprKind::Alloc { .. } => {}
        ExprKind::CallValue { callee, args } => {
            v.expr(callee);
            args.iter().for_each(|a| v.expr(a));
        }
        ExprKind::Compare { operands: items, ops: _ }
        | ExprKind::Logic { values: items, op: _ }
        | ExprKind::Call { args: items, func: _ }
        | ExprKind::New { args: items, class: _, init: _ }
        | ExprKind::Builtin { args: items, builtin: _ }
        | ExprKind::List(items)
        | ExprKind::Tuple(items)
        | ExprKind::Set(items) => items.iter().for_each(|item| v.expr(item)),
        ExprKind::Convert { value, conversion: _ }
        | ExprKind::Unary { operand: value, op: _ }
        | ExprKind::Unpack { value, count: _ }
        | ExprKind::IsNone { value, negated: _ }
        | ExprKind::Unwrap(value)
        | ExprKind::TupleField { base: value, index: _ }
        | ExprKind::ParMap { items: value, func: _ }
        | ExprKind::ArrayInfo { base: value, what: _ }
        | ExprKind::Field { base: value, slot: _, name: _, checked: _ }
        | ExprKind::IsInstance { value, classes: _ }
        | ExprKind::Frame { value, name: _ }
        | ExprKind::ExceptionOf { value, args: _ } => v.expr(value),
        ExprKind::Binary { left, right, op: _ } | ExprKind::Index { base: left, index: right } => {
            v.expr(left);
            v.expr(right);
        }
        ExprKind::IfExp { cond, then, orelse } => {
            v.expr(cond);
            v.expr(then);
            v.expr(orelse);
        }
        ExprKind::Print { args, sep, end, stderr: _, flush: _, file } => {
            args.iter().for_each(|a| v.expr(a));
            for part in [sep, end, file].into_iter().flatten() {
                v.expr(part);
            }
        }
        ExprKind::FString(parts) => {
            for part in parts {
                match part {
                    FormatPart::Literal(_) => {}
                    FormatPart::Value { value, conversion: _, spec: _ } => v.expr(value),
                }
            }
        }
        ExprKind::Dict(pairs) => {
            for (key, value) in pairs {
                v.expr(key);
                v.expr(value);
            }
        }
        ExprKind::Slice { base, lower, upper, step } => {
            v.expr(base);
            for part in [lower, upper, step].into_iter().flatten() {
                v.expr(part);
            }
        }
        ExprKind::Block { stmts, value } => {
            walk_block(v, stmts);
            v.expr(value);
        }
        ExprKind::Lazy { body, captures: _ } => walk_block(v, body),
        ExprKind::ArrayNew { shape, fill, like } => {
            shape.iter().for_each(|s| v.expr(s));
            for part in [fill, like].into_iter().flatten() {
                v.expr(part);
            }
        }
        ExprKind::NewException { message, arg_repr, class: _ } => {
            for part in [message, arg_repr].into_iter().flatten() {
                v.expr(part);
            }
        }
    }
}

/// A visitor made of two closures: `on_stmt` sees every statement and `on_expr` every
/// expression (sub-expressions and the bodies of comprehensions included, and nested
/// functions' when `into_nested`), each before its parts.
struct Each<S, E> {
    on_stmt: S,
    on_expr: E,
    into_nested: bool,
}

impl<'ir, S: FnMut(&'ir Stmt), E: FnMut(&'ir Expr)> Visitor<'ir> for Each<S, E> {
    fn stmt(&mut self, stmt: &'ir Stmt) {
        (self.on_stmt)(stmt);
        walk_stmt(self, stmt);
    }

    fn expr(&mut self, expr: &'ir Expr) {
        (self.on_expr)(expr);
        walk_expr(self, expr);
    }

    fn nested(&mut self, function: &'ir Function) {
        if self.into_nested {
            walk_block(self, &function.body);
        }
    }
}

/// Calls `on_stmt` on every statement and `on_expr` on every expression of `stmts`, at any
/// depth (nested functions, comprehensions and `prange` bodies included).
pub fn each_node<'ir>(stmts: &'ir [Stmt], on_stmt: impl FnMut(&'ir Stmt), on_expr: impl FnMut(&'ir Expr)) {
    walk_block(&mut Each { on_stmt, on_expr, into_nested: true }, stmts);
}

/// [`each_node`] without entering nested functions (whose locals are another function's).
pub fn each_own_node<'ir>(stmts: &'ir [Stmt], on_stmt: impl FnMut(&'ir Stmt), on_expr: impl FnMut(&'ir Expr)) {
    walk_block(&mut Each { on_stmt, on_expr, into_nested: false }, stmts);
}

impl Target {
    /// The locals this target binds directly (`a, (b, c) = ...` binds `a`, `b` and `c`; an
    /// element, field or slice store binds none).
    pub fn locals(&self) -> Vec<LocalId> {
        self.vars()
            .into_iter()
            .filter_map(|var| match var {
                VarRef::Local(id) => Some(id),
                VarRef::Global(_) => None,
            })
            .collect()
    }

    /// The variables (locals and module variables) this target binds directly.
    pub fn vars(&self) -> Vec<VarRef> {
        let mut out = Vec::new();
        self.collect_vars(&mut out);
        out
    }

    fn collect_vars(&self, out: &mut Vec<VarRef>) {
        match self {
            Target::Local(id) => out.push(VarRef::Local(*id)),
            Target::Global(id) => out.push(VarRef::Global(*id)),
            Target::Tuple(items) => items.iter().for_each(|item| item.collect_vars(out)),
            Target::Free(_) | Target::Index { .. } | Target::Field { .. } | Target::Slice { .. } => {}
        }
    }

    /// Whether this target assigns a variable outside the function (a module variable, or an
    /// enclosing function's after `nonlocal`).
    pub fn assigns_outer(&self) -> bool {
        match self {
            Target::Global(_) | Target::Free(_) => true,
            Target::Tuple(items) => items.iter().any(Target::assigns_outer),
            Target::Local(_) | Target::Index { .. } | Target::Field { .. } | Target::Slice { .. } => false,
        }
    }
}

impl Stmt {
    /// The target a statement binds directly (an assignment's, a loop variable's), if any.
    pub fn bound_target(&self) -> Option<&Target> {
        match self {
            Stmt::Assign { target, .. }
            | Stmt::ForRange { var: target, .. }
            | Stmt::ForList { target, .. }
            | Stmt::ForPieces { target, .. }
            | Stmt::ForGen { target, .. } => Some(target),
            Stmt::Expr(_)
            | Stmt::If { .. }
            | Stmt::While { .. }
            | Stmt::ParFor(_)
            | Stmt::Break
            | Stmt::Continue
            | Stmt::Return(_)
            | Stmt::Assert { .. }
            | Stmt::Def { .. }
            | Stmt::DeleteSlice { .. }
            | Stmt::Try(_)
            | Stmt::Raise { .. }
            | Stmt::Yield { .. }
            | Stmt::YieldFrom { .. } => None,
        }
    }
}

impl ExprKind {
    /// The user function this node calls directly (a call, `pmap`, or a constructor's
    /// `__init__`).
    pub fn callee(&self) -> Option<FuncId> {
        match self {
            ExprKind::Call { func, .. } | ExprKind::ParMap { func, .. } | ExprKind::New { init: func, .. } => {
                Some(*func)
            }
            _ => None,
        }
    }
}

impl Expr {
    /// The expressions directly inside this one, in evaluation order (a `Block`'s statements
    /// are reached through [`Expr::inner_stmts`]): what [`walk_expr`] visits, collected.
    pub fn children(&self) -> Vec<&Expr> {
        struct Children<'ir>(Vec<&'ir Expr>);
        impl<'ir> Visitor<'ir> for Children<'ir> {
            fn expr(&mut self, e: &'ir Expr) {
                self.0.push(e);
            }
            fn stmt(&mut self, _: &'ir Stmt) {}
        }
        let mut children = Children(Vec::new());
        walk_expr(&mut children, self);
        children.0
    }

    /// The statements of a `Block` expression (run before its value).
    pub fn inner_stmts(&self) -> &[Stmt] {
        match &self.kind {
            ExprKind::Block { stmts, .. } | ExprKind::Lazy { body: stmts, .. } => stmts,
            _ => &[],
        }
    }
}
