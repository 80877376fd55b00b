//! The IR verifier (in the spirit of Cranelift's): checks the contract code generation relies
//! on, after every compilation — ids in range, no unknown types, operand types equal, and the
//! types of assignments, returns and call arguments against the variables, signatures and
//! builtin rows they meet — and that the facts agree with the IR (a function marked as never
//! raising contains nothing that raises; every prange loop has a plan; loop ids are unique).
//! A failure here is a pyrsc bug, reported as an internal error, never as a user error.

use std::collections::HashSet;

use crate::builtins::{self, Accept, Bindings};
use crate::facts::Facts;
use crate::ir::{Expr, ExprKind, FormatPart, Function, LoopId, Module, Stmt, Target};
use crate::syntax::BinOp;
use crate::types::Type;
use crate::visit::{walk_block, walk_expr, walk_stmt, walk_target, Visitor};

pub fn verify(module: &Module, facts: &Facts) -> Result<(), String> {
    for global in &module.globals {
        if global.ty.has_unknown() {
            return Err(format!("global `{}` has an unknown type", global.name));
        }
    }
    if facts.functions.len() != module.functions.len() {
        return Err("the facts do not cover every function".to_owned());
    }
    let mut loops = HashSet::new();
    for f in module.functions.iter().chain(std::iter::once(&module.body)) {
        let mut verifier = Verifier { module, facts, functions: Vec::new(), loops: &mut loops, problem: None };
        verifier.function(f);
        if let Some(problem) = verifier.problem {
            return Err(problem);
        }
    }
    for (index, f) in module.functions.iter().enumerate() {
        raising_agrees(module, facts, index, f)?;
    }
    if let Some(id) = facts.views.keys().chain(facts.plans.keys()).find(|id| !loops.contains(*id)) {
        return Err(format!("facts name loop {} that the IR does not have", id.0));
    }
    Ok(())
}

struct Verifier<'a> {
    module: &'a Module,
    facts: &'a Facts,
    /// The function being verified, innermost last (nested functions have their own locals).
    functions: Vec<&'a Function>,
    loops: &'a mut HashSet<LoopId>,
    problem: Option<String>,
}

impl<'a> Verifier<'a> {
    fn f(&self) -> &'a Function {
        self.functions.last().copied().unwrap_or(&self.module.body)
    }

    fn fail(&mut self, what: impl Into<String>) {
        if self.problem.is_none() {
            self.problem = Some(format!("in `{}`: {}", self.f().name, what.into()));
        }
    }

    fn fail_at(&mut self, what: &str, e: &Expr) {
        self.fail(format!("at line {}: {what} ({:?})", e.loc.line, e.ty));
    }

    fn function(&mut self, f: &'a Function) {
        self.functions.push(f);
        for param in &f.params {
            self.local(param.0);
        }
        if f.ret.has_unknown() {
            self.fail("unknown return type");
        }
        if let Some(local) = f.locals.iter().find(|l| l.ty.has_unknown()) {
            self.fail(format!("local `{}` has an unknown type", local.name));
        }
        walk_block(self, &f.body);
        self.functions.pop();
    }

    fn local(&mut self, id: u32) {
        if id as usize >= self.f().locals.len() {
            self.fail(format!("local id {id} out of range"));
        }
    }

    fn new_loop(&mut self, id: LoopId) {
        if !self.loops.insert(id) {
            self.fail(format!("loop id {} used twice", id.0));
        }
    }

    fn condition(&mut self, cond: &Expr) {
        if cond.ty != Type::Bool {
            self.fail_at("condition is not a bool", cond);
        }
    }

    /// The type a store into `target` must have.
    fn target_type(&self, target: &Target) -> Option<Type> {
        let f = self.f();
        Some(match target {
            Target::Local(id) => f.locals.get(id.0 as usize)?.ty.clone(),
            Target::Global(id) => self.module.globals.get(id.0 as usize)?.ty.clone(),
            Target::Free(i) => f.free.get(*i)?.ty.clone(),
            Target::Index { base, .. } => match &base.ty {
                Type::List(elem) => (**elem).clone(),
                Type::Dict(_, value) => (**value).clone(),
                // Array stores convert through the element type; objects go through `__setitem__`.
                _ => return None,
            },
            Target::Tuple(items) => Type::Tuple(items.iter().map(|t| self.target_type(t)).collect::<Option<_>>()?),
            Target::Field { base, slot, .. } => {
                let Type::Object(class) = &base.ty else { return None };
                let root = self.module.classes.get(class.id as usize)?.root as usize;
                self.module.classes.get(root)?.slots.get(*slot)?.ty.clone()
            }
            Target::Slice { base, .. } => base.ty.clone(),
        })
    }

    fn assignment(&mut self, target: &Target, value: &Expr) {
        if let Some(expected) = self.target_type(target) {
            if expected != value.ty {
                self.fail_at(&format!("a {} stored where a {expected} is expected", value.ty), value);
            }
        }
    }

    /// The checks particular to one kind of expression; its parts are verified by the walk.
    fn invariants(&mut self, e: &Expr) {
        let module = self.module;
        match &e.kind {
            ExprKind::Local(id) => self.local(id.0),
            ExprKind::Global(id) if id.0 as usize >= module.globals.len() => self.fail_at("global id out of range", e),
            ExprKind::Free(i) if *i >= self.f().free.len() => self.fail_at("free variable out of range", e),
            ExprKind::FunctionRef(id) if id.0 as usize >= module.functions.len() => {
                self.fail_at("function reference out of range", e)
            }
            ExprKind::Binary { op, left, right } => {
                let repeat = *op == BinOp::Mul
                    && matches!(left.ty, Type::Str | Type::List(_) | Type::VarTuple(_))
                    && right.ty == Type::Int;
                if left.ty != right.ty && !repeat {
                    self.fail_at("binary operands differ in type", e);
                }
            }
            ExprKind::Compare { operands, ops } if operands.len() != ops.len() + 1 => {
                self.fail_at("comparison operand count", e)
            }
            ExprKind::IfExp { cond, then, orelse } => {
                self.condition(cond);
                if then.ty != orelse.ty {
                    self.fail_at("conditional branches differ in type", e);
                }
            }
            ExprKind::Call { func, args } => self.call(*func, args, 0, e),
            ExprKind::New { init, args, .. } => self.call(*init, args, 1, e),
            ExprKind::Builtin { builtin, args } => self.builtin(*builtin, args, e),
            ExprKind::FString(parts) => {
                for part in parts {
                    if let FormatPart::Value { value, conversion: None, spec: Some(_) } = part {
                        if !matches!(value.ty, Type::Int | Type::Bool | Type::Float | Type::Num | Type::Str) {
                            self.fail_at("format spec applied to a value that has no __format__ with a spec", value);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// A call of module function `func` whose first `skip` parameters are not in `args` (a
    /// constructor's receiver).
    fn call(&mut self, func: crate::ir::FuncId, args: &[Expr], skip: usize, e: &Expr) {
        let Some(callee) = self.module.functions.get(func.0 as usize) else {
            return self.fail_at("call of an unknown function", e);
        };
        if callee.params.len() != args.len() + skip {
            return self.fail_at("argument count differs from the signature", e);
        }
        if let Some((_, arg)) =
            callee.params.iter().skip(skip).zip(args).find(|(param, arg)| callee.local(**param).ty != arg.ty)
        {
            self.fail_at("argument type differs from parameter type", arg);
        }
        if callee.ret != e.ty && skip == 0 {
            self.fail_at("call result type differs from the signature", e);
        }
    }

    /// A builtin call: its arguments fit the row's patterns exactly (conversions were applied)
    /// and its type is the row's result.
    fn builtin(&mut self, id: builtins::BuiltinId, args: &[Expr], e: &Expr) {
        let Some(row) = builtins::BUILTINS.get(id.0 as usize) else { return self.fail_at("unknown builtin row", e) };
        if row.params.len() != args.len() {
            return self.fail_at(&format!("`{}` called with {} arguments", row.key, args.len()), e);
        }
        let mut bindings = Bindings::default();
        for (param, arg) in row.params.iter().zip(args) {
            if param.pat.accepts(&arg.ty, &mut bindings) != Some(Accept::Exact) {
                return self
                    .fail_at(&format!("argument `{}` of `{}` does not fit its pattern", param.name, row.key), arg);
            }
        }
        let ret = row.ret.instantiate(&bindings);
        if ret != e.ty && !ret.has_unknown() {
            self.fail_at(&format!("`{}` result typed {} instead of {ret}", row.key, e.ty), e);
        }
    }
}

impl<'a> Visitor<'a> for Verifier<'a> {
    fn stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Assign { target, value } => self.assignment(target, value),
            Stmt::If { cond, .. } | Stmt::While { cond, .. } | Stmt::Assert { test: cond, .. } => self.condition(cond),
            Stmt::ForRange { start, stop, step, .. } => {
                for bound in [start, stop, step] {
                    if bound.ty != Type::Int {
                        self.fail_at("range bound is not an int", bound);
                    }
                }
            }
            Stmt::ParFor(par) => {
                for bound in [&par.start, &par.stop, &par.step].into_iter().chain(&par.threads) {
                    if bound.ty != Type::Int {
                        self.fail_at("prange bound is not an int", bound);
                    }
                }
                if !self.facts.plans.contains_key(&par.id) {
                    self.fail(format!("the prange loop at line {} has no plan", par.loc.line));
                }
            }
            Stmt::ForGen { call, .. } if !matches!(call.ty, Type::Iterator(_)) => {
                self.fail_at("a generator loop over something else than a generator", call)
            }
            Stmt::Return(Some(value)) if !self.f().generator && value.ty != self.f().ret => {
                self.fail_at(&format!("returns a {} from a function returning {}", value.ty, self.f().ret), value)
            }
            Stmt::Def { local, function, captures } => {
                self.local(local.0);
                captures.iter().for_each(|c| self.local(c.0));
                if captures.len() != function.free.len() {
                    self.fail(format!(
                        "`{}` captures {} variables for {} free ones",
                        function.name,
                        captures.len(),
                        function.free.len()
                    ));
                }
            }
            Stmt::Try(t) => {
                for handler in &t.handlers {
                    if let Some(var) = handler.var {
                        self.local(var.0);
                    }
                    if handler.classes.is_empty() && handler.user.is_empty() {
                        self.fail("an except clause with no class");
                    }
                }
            }
            Stmt::Raise { value, cause, .. } => {
                for e in value.iter().chain(cause.expr()) {
                    if e.ty != Type::Exception {
                        self.fail_at("raised value is not an exception", e);
                    }
                }
            }
            _ => {}
        }
        match stmt {
            Stmt::While { id, .. } | Stmt::ForRange { id, .. } | Stmt::ForList { id, .. } => self.new_loop(*id),
            Stmt::ParFor(par) => self.new_loop(par.id),
            _ => {}
        }
        walk_stmt(self, stmt);
    }

    fn target(&mut self, target: &'a Target) {
        match target {
            Target::Global(id) if id.0 as usize >= self.module.globals.len() => self.fail("global id out of range"),
            Target::Free(i) if *i >= self.f().free.len() => self.fail("free variable out of range"),
            Target::Local(id) => self.local(id.0),
            Target::Field { base, slot, .. } => {
                let Type::Object(class) = &base.ty else { return self.fail("field store on a non-object") };
                let root = self.module.classes.get(class.id as usize).map_or(usize::MAX, |c| c.root as usize);
                if self.module.classes.get(root).is_none_or(|c| *slot >= c.slots.len()) {
                    self.fail(format!("field slot {slot} out of range"));
                }
            }
            _ => {}
        }
        walk_target(self, target);
    }

    fn expr(&mut self, e: &'a Expr) {
        if e.ty.has_unknown() {
            self.fail_at("expression of unknown type", e);
        }
        walk_expr(self, e);
        self.invariants(e);
    }

    fn nested(&mut self, function: &'a Function) {
        self.function(function);
    }
}

/// Whether a store into `target` (or one of its parts) raises by itself.
fn store_raises(target: &Target) -> bool {
    crate::facts::raises::target_raises(target)
        || matches!(target, Target::Tuple(items) if items.iter().any(store_raises))
}

/// A function the facts call non-raising must contain nothing that raises: no statement,
/// store or expression that raises by itself, no call of a raising function.
fn raising_agrees(module: &Module, facts: &Facts, index: usize, f: &Function) -> Result<(), String> {
    let fact = &facts.functions[index];
    if fact.can_raise {
        return Ok(());
    }
    if fact.recursive {
        return Err(format!("`{}` is recursive but marked as never raising", f.name));
    }
    let (mut raising_stmt, mut raising_expr) = (false, None);
    crate::visit::each_own_node(
        &f.body,
        |stmt: &Stmt| {
            raising_stmt |= crate::facts::raises::stmt_raises(stmt) || stmt.bound_target().is_some_and(store_raises)
        },
        |e: &Expr| {
            if raising_expr.is_none() && facts.expr_raises(module, f, e) {
                raising_expr = Some(e.loc.line);
            }
        },
    );
    match (raising_stmt, raising_expr) {
        (true, _) => Err(format!("`{}` is marked as never raising but has a raising statement", f.name)),
        (_, Some(line)) => Err(format!("`{}` is marked as never raising but line {line} may raise", f.name)),
        _ => Ok(()),
    }
}
