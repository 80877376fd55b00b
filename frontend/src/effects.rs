//! Which functions can raise. A function that cannot returns a plain value (no `Result`), so
//! code that provably cannot fail pays nothing for exceptions.

use crate::builtins;
use crate::ir::{Expr, ExprKind, FormatPart, Function, GlobalStorage, Module, Stmt, Target, UnaryOp};
use crate::syntax::BinOp;
use crate::types::Type;

/// Marks recursive functions, then finds which functions can raise. Fixpoint: start from
/// "nothing raises" (recursive functions aside: RecursionError) and add functions until stable.
pub fn compute_can_raise(module: &mut Module) {
    mark_recursive(module);
    for function in &mut module.functions {
        function.can_raise = function.recursive;
    }
    loop {
        let raising: Vec<bool> = module.functions.iter().map(|f| f.can_raise).collect();
        let mut changed = false;
        for i in 0..module.functions.len() {
            if raising[i] {
                continue;
            }
            let cx = Cx { raising: &raising, module };
            if cx.function(&module.functions[i]) {
                changed = true;
                module.functions[i].can_raise = true;
            }
        }
        if !changed {
            break;
        }
    }
    module.body.can_raise = true;
}

/// The functions each function calls directly.
fn callees(function: &Function) -> Vec<usize> {
    fn expr(e: &Expr, out: &mut Vec<usize>) {
        if let Some(func) = e.kind.callee() {
            out.push(func.0 as usize);
        }
        block(e.inner_stmts(), out);
        e.children().into_iter().for_each(|c| expr(c, out));
    }
    fn target(t: &Target, out: &mut Vec<usize>) {
        match t {
            Target::Index { base, index, .. } => {
                expr(base, out);
                expr(index, out);
            }
            Target::Tuple(items) => items.iter().for_each(|i| target(i, out)),
            Target::Slice { base, lower, upper, step, .. } => {
                expr(base, out);
                [lower, upper, step].into_iter().flatten().for_each(|e| expr(e, out));
            }
            Target::Field { base, .. } => expr(base, out),
            Target::Local(_) | Target::Global(_) | Target::Free(_) => {}
        }
    }
    fn block(stmts: &[Stmt], out: &mut Vec<usize>) {
        for s in stmts {
            match s {
                Stmt::Assign { target: t, value } => {
                    target(t, out);
                    expr(value, out);
                }
                Stmt::Expr(e)
                | Stmt::Return(Some(e))
                | Stmt::Yield { value: e, .. }
                | Stmt::YieldFrom { call: e, .. } => expr(e, out),
                Stmt::ForGen { target: t, call, body, orelse, .. } => {
                    target(t, out);
                    expr(call, out);
                    block(body, out);
                    block(orelse, out);
                }
                Stmt::If { cond, then_body, else_body } => {
                    expr(cond, out);
                    block(then_body, out);
                    block(else_body, out);
                }
                Stmt::While { cond, body, orelse } => {
                    expr(cond, out);
                    block(body, out);
                    block(orelse, out);
                }
                Stmt::ForRange { start, stop, step, body, orelse, .. } => {
                    [start, stop, step].into_iter().for_each(|e| expr(e, out));
                    block(body, out);
                    block(orelse, out);
                }
                Stmt::ForList { iterable, body, orelse, .. } => {
                    expr(iterable, out);
                    block(body, out);
                    block(orelse, out);
                }
                Stmt::ForPieces { text, sep, body, orelse, .. } => {
                    expr(text, out);
                    sep.iter().for_each(|s| expr(s, out));
                    block(body, out);
                    block(orelse, out);
                }
                Stmt::ParFor(par) => {
                    [&par.start, &par.stop, &par.step].into_iter().chain(&par.threads).for_each(|e| expr(e, out));
                    block(&par.body, out);
                    block(&par.orelse, out);
                }
                Stmt::Assert { test, msg, .. } => {
                    expr(test, out);
                    msg.iter().for_each(|m| expr(m, out));
                }
                Stmt::DeleteSlice { base, lower, upper, step, .. } => {
                    expr(base, out);
                    [lower, upper, step].into_iter().flatten().for_each(|e| expr(e, out));
                }
                Stmt::Try(t) => t.blocks().into_iter().for_each(|b| block(b, out)),
                Stmt::Raise { value, cause, .. } => value.iter().chain(cause.expr()).for_each(|e| expr(e, out)),
                // Calls made by a nested function count as calls of the function defining it.
                Stmt::Def { function, .. } => block(&function.body, out),
                Stmt::Return(None) | Stmt::Break | Stmt::Continue => {}
            }
        }
    }
    let mut out = Vec::new();
    block(&function.body, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// A function is recursive when it can reach itself through calls.
fn mark_recursive(module: &mut Module) {
    let graph: Vec<Vec<usize>> = module.functions.iter().map(callees).collect();
    for start in 0..graph.len() {
        let mut seen = vec![false; graph.len()];
        let mut stack = graph[start].clone();
        while let Some(next) = stack.pop() {
            if next == start {
                module.functions[start].recursive = true;
                break;
            }
            if next < seen.len() && !seen[next] {
                seen[next] = true;
                stack.extend(graph[next].iter().copied());
            }
        }
    }
}

struct Cx<'a> {
    raising: &'a [bool],
    module: &'a Module,
}

impl Cx<'_> {
    fn function(&self, f: &Function) -> bool {
        self.block(f, &f.body)
    }

    fn block(&self, f: &Function, stmts: &[Stmt]) -> bool {
        stmts.iter().any(|s| self.stmt(f, s))
    }

    fn target(&self, f: &Function, target: &Target) -> bool {
        match target {
            Target::Local(_) | Target::Global(_) | Target::Free(_) => false,
            Target::Field { base, .. } => self.expr(f, base),
            // Element assignment can raise IndexError (a dict entry assignment cannot).
            Target::Index { base, .. } => !matches!(base.ty, Type::Dict(_, _)),
            Target::Slice { .. } => true,
            Target::Tuple(items) => items.iter().any(|t| self.target(f, t)),
        }
    }

    fn stmt(&self, f: &Function, stmt: &Stmt) -> bool {
        match stmt {
            Stmt::Assign { target, value } => self.target(f, target) || self.expr(f, value),
            Stmt::Expr(e) => self.expr(f, e),
            // Generators and their consumers always return results.
            Stmt::Yield { .. } | Stmt::YieldFrom { .. } | Stmt::ForGen { .. } => true,
            Stmt::If { cond, then_body, else_body } => {
                self.expr(f, cond) || self.block(f, then_body) || self.block(f, else_body)
            }
            Stmt::While { cond, body, orelse } => self.expr(f, cond) || self.block(f, body) || self.block(f, orelse),
            // A range step that is not a non-zero literal may raise ValueError.
            Stmt::ForRange { start, stop, step, body, orelse, .. } => {
                !matches!(step.kind, ExprKind::Int(n) if n != 0)
                    || self.expr(f, start)
                    || self.expr(f, stop)
                    || self.block(f, body)
                    || self.block(f, orelse)
            }
            Stmt::ForList { iterable, body, orelse, .. } => {
                self.expr(f, iterable) || self.block(f, body) || self.block(f, orelse)
            }
            // An empty separator raises ValueError.
            Stmt::ForPieces { sep: Some(_), .. } => true,
            // A zero step or a bad thread count raises, and so may starting the thread pool.
            Stmt::ParFor(_) => true,
            Stmt::ForPieces { text, body, orelse, .. } => {
                self.expr(f, text) || self.block(f, body) || self.block(f, orelse)
            }
            Stmt::Break | Stmt::Continue => false,
            Stmt::Return(value) => value.as_ref().is_some_and(|v| self.expr(f, v)),
            // A function with a `try` returns a result (its blocks run as closures that do).
            Stmt::Assert { .. } | Stmt::DeleteSlice { .. } | Stmt::Try(_) | Stmt::Raise { .. } => true,
            // Creating the function value cannot fail; its calls are `CallValue`s.
            Stmt::Def { .. } => false,
        }
    }

    fn expr(&self, f: &Function, e: &Expr) -> bool {
        own_raise(self.module, self.raising, f, e)
            || self.block(f, e.inner_stmts())
            || e.children().into_iter().any(|c| self.expr(f, c))
    }
}

/// Whether evaluating `e` itself (not its operands) can raise. `raising` tells, per function,
/// whether calling it can raise. Code generation asks this for every node to place `?`.
pub fn own_raise(module: &Module, raising: &[bool], f: &Function, e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Local(id) => f.local(*id).maybe_unbound || f.local(*id).captured,
        // A free variable may be unassigned; a function value may raise.
        ExprKind::Free(_) | ExprKind::CallValue { .. } => true,
        ExprKind::Global(id) => match module.globals[id.0 as usize].storage {
            GlobalStorage::Const(_) => false,
            GlobalStorage::Static => true,
            GlobalStorage::ModuleLocal => module.globals[id.0 as usize].maybe_unbound,
        },
        ExprKind::Binary { op, left, right } => {
            binary_raises(*op, &left.ty)
                && !divides_by_positive_literal(*op, &left.ty, right)
                && !divides_by_nonzero_float(*op, &left.ty, right)
        }
        ExprKind::Unary { op, operand } => *op == UnaryOp::Neg && matches!(operand.ty, Type::Int | Type::Num),
        ExprKind::Call { func, .. } | ExprKind::New { init: func, .. } => raising[func.0 as usize],
        // The function may raise, and starting the thread pool may fail.
        ExprKind::ParMap { .. } => true,
        // A length other than the number of names raises ValueError.
        ExprKind::Unpack { .. } => true,
        ExprKind::Builtin { builtin, .. } => builtins::builtin(*builtin).raises,
        // A spec can be refused; a value's text may run its class's `__str__`/`__repr__`.
        ExprKind::FString(parts) => parts.iter().any(|p| match p {
            FormatPart::Value { spec, value, .. } => spec.is_some() || value.ty.repr_runs_code(),
            FormatPart::Literal(_) => false,
        }),
        ExprKind::Index { .. } => true,
        // Negative dimensions, or a fill value that does not fit the element type.
        ExprKind::ArrayNew { .. } => true,
        // Writing can fail (a closed file, a full disk, a closed pipe on stdout), and so can a
        // value's `__str__`.
        ExprKind::Print { .. } => true,
        // The runtime slices return a result (a zero step raises ValueError).
        ExprKind::Slice { .. } => true,
        // A field some path leaves unset raises AttributeError.
        ExprKind::Field { checked, .. } => *checked,
        _ => false,
    }
}

/// `a // k` and `a % k` on ints with a literal `k > 0` cannot raise (no zero, no `MIN // -1`);
/// code generation emits them as `div_euclid` / `rem_euclid`, which floor exactly like Python.
pub fn divides_by_positive_literal(op: BinOp, operand: &Type, right: &Expr) -> bool {
    matches!(op, BinOp::FloorDiv | BinOp::Mod)
        && *operand == Type::Int
        && matches!(right.kind, ExprKind::Int(k) if k > 0)
}

/// `x / k` on floats with a literal `k != 0` cannot raise: IEEE division, as CPython does it.
pub fn divides_by_nonzero_float(op: BinOp, operand: &Type, right: &Expr) -> bool {
    op == BinOp::Div && *operand == Type::Float && matches!(right.kind, ExprKind::Float(k) if k != 0.0)
}

/// Whether an operator on operands of this type can raise.
fn binary_raises(op: BinOp, operand: &Type) -> bool {
    match operand {
        Type::Int | Type::Num => !matches!(op, BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor),
        Type::Float => matches!(op, BinOp::Div | BinOp::FloorDiv | BinOp::Mod | BinOp::Pow),
        Type::Bool => false,
        Type::Str | Type::List(_) | Type::VarTuple(_) => op == BinOp::Mul,
        _ => false,
    }
}
