//! The body half of the `prange` race analysis: the facts of one loop body (what it assigns,
//! reads, indexes and calls) and the rules that turn them into a [`ParPlan`] or diagnostics.
//! See `parallel.rs` for the rules in prose.

use std::collections::{HashMap, HashSet};

use crate::builtins::{self, Key, Op, Receiver};
use crate::diagnostic::Code;
use crate::ir::{Expr, ExprKind, Function, GlobalStorage, ParLoop, ParPlan, ReduceOp, Stmt, Target, VarRef};
use crate::parallel::{reduce_op, reduce_symbol, shareable, target_var, var_of, Context};
use crate::parallel_slots::{disjoint_slots, same_expr, substitute};
use crate::span::Loc;
use crate::types::Type;

/// What a body does, gathered in one walk.
#[derive(Default)]
struct Facts {
    /// Every assignment: the variable, where, and the reduction it performs if it has that shape.
    assigns: Vec<(VarRef, Loc, Option<ReduceOp>)>,
    /// Reads other than the `s` of a reduction update and the base of an indexing.
    reads: Vec<(VarRef, Loc)>,
    /// `xs[index]` reads and `xs[index] = ...` writes on a variable (through aliases), with the
    /// counted loops of the body around them.
    index_reads: Vec<(VarRef, Expr, Loc)>,
    index_writes: Vec<(VarRef, Expr, Loc, Vec<InnerLoop>)>,
    /// Hidden temporaries the checker introduced that just hold a variable (`$t = xs` for
    /// `xs[i] += 1`): the variable they stand for.
    aliases: HashMap<VarRef, VarRef>,
    /// The counted loops enclosing the statement being walked.
    inner: Vec<InnerLoop>,
    /// Reads of dicts and sets: `d[k]`, `d.get(k, ...)`, `k in d`, `len(d)`.
    lookups: Vec<(VarRef, Loc)>,
    /// `grid[i][j]` reads and `len(grid[i])` of a list of lists.
    nested_reads: Vec<(VarRef, Loc)>,
    /// Hidden temporaries holding an array index tuple (`$k = (i, j)` for `a[i, j] += x`).
    index_tuples: HashMap<VarRef, Expr>,
    /// Arrays whose shape the body reads (`a.shape[k]`, `len(a)`, `a.size`): shared read-only.
    array_infos: Vec<VarRef>,
    /// `xs[k] += e` / `xs[k] -= e` updates (also recorded as a read and a write at `k`): a
    /// histogram when the slots cannot be proved distinct.
    increments: Vec<VarRef>,
    /// Constructs a parallel body cannot contain: (code, where, message, label, help).
    problems: Vec<(Code, Loc, String, &'static str, String)>,
    /// The `prange(...)` call, for problems of statements without a location of their own.
    loop_loc: Loc,
    /// The checker's hidden locals (`$N`), which may become aliases.
    hidden: HashSet<VarRef>,
}

/// A `for j in range(start, stop, step)` inside the body.
#[derive(Clone)]
pub(crate) struct InnerLoop {
    pub(crate) var: VarRef,
    pub(crate) start: Expr,
    pub(crate) stop: Expr,
    pub(crate) step: Expr,
}

/// The table key of a builtin call.
fn builtin_key(e: &Expr) -> Option<Key> {
    match &e.kind {
        ExprKind::Builtin { builtin, .. } => Some(builtins::builtin(*builtin).key),
        _ => None,
    }
}

fn reads_var(e: &Expr, var: VarRef) -> bool {
    var_of(e) == Some(var) || e.children().iter().any(|c| reads_var(c, var)) || !e.inner_stmts().is_empty()
}

impl Facts {
    fn problem(
        &mut self,
        code: Code,
        loc: Loc,
        message: impl Into<String>,
        label: &'static str,
        help: impl Into<String>,
    ) {
        self.problems.push((code, loc, message.into(), label, help.into()));
    }

    /// The list `base` names when `base[index] = base[index] ± e` (through the checker's aliases).
    fn increment_of(&self, base: &Expr, index: &Expr, value: &Expr) -> Option<VarRef> {
        let ExprKind::Binary { op: crate::syntax::BinOp::Add | crate::syntax::BinOp::Sub, left, right } = &value.kind
        else {
            return None;
        };
        let ExprKind::Index { base: read_base, index: read_index } = &left.kind else { return None };
        let resolve = |e: &Expr| var_of(e).map(|v| self.aliases.get(&v).copied().unwrap_or(v));
        let list = resolve(base)?;
        let int_list = matches!(&base.ty, Type::List(elem) if **elem == Type::Int);
        (int_list && resolve(read_base) == Some(list) && same_expr(index, read_index) && !reads_var(right, list))
            .then_some(list)
    }

    /// A reduction update `s = s op e` / `s = min(s, e)`: `(s, op, e)`.
    fn reduction_shape(target: &Target, value: &Expr) -> Option<(VarRef, ReduceOp, Expr)> {
        let s = target_var(target)?;
        let (op, rest) = match &value.kind {
            ExprKind::Binary { op, left, right } if var_of(left) == Some(s) => {
                (reduce_op(*op)?, right.as_ref().clone())
            }
            ExprKind::Builtin { args, .. } if args.len() == 2 => {
                let op = match builtin_key(value)? {
                    Key::Function("min") => ReduceOp::Min,
                    Key::Function("max") => ReduceOp::Max,
                    _ => return None,
                };
                if var_of(&args[0]) == Some(s) {
                    (op, args[1].clone())
                } else if var_of(&args[1]) == Some(s) && args[1].ty == Type::Int {
                    // `min(e, s)` equals `min(s, e)` for ints (floats differ on -0.0 and nan).
                    (op, args[0].clone())
                } else {
                    return None;
                }
            }
            _ => return None,
        };
        (!reads_var(&rest, s)).then_some((s, op, rest))
    }

    fn block(&mut self, stmts: &[Stmt], depth: u32) {
        for stmt in stmts {
            self.stmt(stmt, depth);
        }
    }

    fn stmt(&mut self, stmt: &Stmt, depth: u32) {
        match stmt {
            Stmt::Yield { loc, .. } | Stmt::YieldFrom { loc, .. } | Stmt::ForGen { loc, .. } => {
                self.problem(
                    Code::Race,
                    *loc,
                    "generators are not supported inside a prange body",
                    "generator",
                    "collect the values into a list before the loop",
                );
            }
            Stmt::Assign { target: Target::Local(temp), value }
                if self.hidden.contains(&VarRef::Local(*temp)) && var_of(value).is_some() =>
            {
                // `$t = xs`: the checker's temporary for an augmented subscript assignment.
                let (temp, held) = (VarRef::Local(*temp), var_of(value).unwrap_or(VarRef::Local(*temp)));
                let held = self.aliases.get(&held).copied().unwrap_or(held);
                self.aliases.insert(temp, held);
                self.assigns.push((temp, value.loc, None));
                if !matches!(value.ty, Type::List(_) | Type::Array(..)) {
                    self.reads.push((held, value.loc));
                }
            }
            Stmt::Assign { target: Target::Local(temp), value }
                if self.hidden.contains(&VarRef::Local(*temp)) && matches!(value.kind, ExprKind::Tuple(_)) =>
            {
                self.index_tuples.insert(VarRef::Local(*temp), value.clone());
                self.expr(value);
                self.target(&Target::Local(*temp), value.loc);
            }
            Stmt::Assign { target: Target::Index { base, index, .. }, value }
                if self.increment_of(base, index, value).is_some() =>
            {
                if let Some(var) = self.increment_of(base, index, value) {
                    self.increments.push(var);
                }
                self.expr(value);
                if let Stmt::Assign { target, value } = stmt {
                    self.target(target, value.loc);
                }
            }
            Stmt::Assign { target, value } => {
                if let Some((s, op, rest)) = Self::reduction_shape(target, value) {
                    self.assigns.push((s, value.loc, Some(op)));
                    self.expr(&rest);
                } else {
                    self.expr(value);
                    self.target(target, value.loc);
                }
            }
            Stmt::Expr(e) => self.expr(e),
            Stmt::If { cond, then_body, else_body } => {
                self.expr(cond);
                self.block(then_body, depth);
                self.block(else_body, depth);
            }
            Stmt::While { cond, body, orelse, .. } => {
                self.expr(cond);
                self.block(body, depth + 1);
                self.block(orelse, depth);
            }
            Stmt::ForRange { var, start, stop, step, body, orelse, .. } => {
                [start, stop, step].into_iter().for_each(|e| self.expr(e));
                self.target(var, start.loc);
                let inner = target_var(var).map(|var| InnerLoop {
                    var,
                    start: start.clone(),
                    stop: stop.clone(),
                    step: step.clone(),
                });
                let pushed = inner.is_some();
                self.inner.extend(inner);
                self.block(body, depth + 1);
                if pushed {
                    self.inner.pop();
                }
                self.block(orelse, depth);
            }
            Stmt::ForList { target, iterable, body, orelse, .. } => {
                self.expr(iterable);
                self.target(target, iterable.loc);
                self.block(body, depth + 1);
                self.block(orelse, depth);
            }
            Stmt::ForPieces { target, text, sep, body, orelse, loc } => {
                self.expr(text);
                sep.iter().for_each(|s| self.expr(s));
                self.target(target, *loc);
                self.block(body, depth + 1);
                self.block(orelse, depth);
            }
            Stmt::ParFor(par) => {
                // Checked as a serial loop (the checker never nests ParFor), kept for safety.
                self.problem(
                    Code::Unsupported,
                    par.loc,
                    "a prange loop inside another one's body",
                    "nested prange",
                    "make the inner loop a `range` loop",
                );
            }
            Stmt::Break if depth == 0 => {
                self.problem(
                    Code::Unsupported,
                    self.loop_loc,
                    "`break` out of a prange loop: which iterations ran would depend on scheduling",
                    "this loop has a break",
                    "use a `range` loop, or compute every iteration and select afterwards",
                );
            }
            Stmt::Break | Stmt::Continue => {}
            Stmt::Return(value) => {
                let loc = value.as_ref().map_or(self.loop_loc, |v| v.loc);
                self.problem(
                    Code::Unsupported,
                    loc,
                    "`return` inside a prange body",
                    "return",
                    "compute into a per-iteration slot (`out[i] = ...`) and return after the loop",
                );
                if let Some(v) = value {
                    self.expr(v);
                }
            }
            Stmt::Assert { test, msg, .. } => {
                self.expr(test);
                msg.iter().for_each(|m| self.expr(m));
            }
            Stmt::Def { function, .. } => {
                self.problem(
                    Code::Unsupported,
                    function.loc,
                    "a function defined inside a prange body",
                    "def",
                    "define it at module level and call it",
                );
            }
            Stmt::Try(t) => {
                // Each iteration handles its own exceptions: the blocks are ordinary body code,
                // and an `as` name is a private variable of the iteration.
                for handler in &t.handlers {
                    if let Some(var) = handler.var {
                        self.assigns.push((VarRef::Local(var), self.loop_loc, None));
                    }
                }
                for block in t.blocks() {
                    self.block(block, depth);
                }
            }
            Stmt::Raise { value, cause, .. } => value.iter().chain(cause.expr()).for_each(|e| self.expr(e)),
            Stmt::DeleteSlice { base, loc, .. } => {
                self.expr(base);
                self.problem(
                    Code::Race,
                    *loc,
                    "deleting from a list inside a prange body changes its length while other iterations use it",
                    "del",
                    "build the result in a per-iteration slot and filter after the loop",
                );
            }
        }
    }

    fn target(&mut self, target: &Target, loc: Loc) {
        match target {
            Target::Local(_) | Target::Global(_) => self.assigns.extend(target_var(target).map(|v| (v, loc, None))),
            Target::Tuple(items) => items.iter().for_each(|t| self.target(t, loc)),
            Target::Field { base, name, .. } if name.starts_with('$') => {
                self.expr(base);
                self.problem(
                    Code::Race,
                    loc,
                    "raising an exception of a class of this file inside a prange body is not supported",
                    "exception object",
                    "raise a built-in exception there, e.g. `raise ValueError(...)`",
                );
            }
            Target::Field { base, name, .. } => {
                self.expr(base);
                self.problem(
                    Code::Race,
                    loc,
                    format!("assigning the field `{name}` of an object inside a prange body is not supported"),
                    "field store",
                    "compute values in the loop into a list (`out[i] = ...`) and store them into objects after it",
                );
            }
            Target::Index { base, index, loc } => {
                self.expr(index);
                match var_of(base).map(|v| self.aliases.get(&v).copied().unwrap_or(v)) {
                    Some(var) if matches!(base.ty, Type::List(_) | Type::Array(..)) => {
                        self.index_writes.push((var, index.as_ref().clone(), *loc, self.inner.clone()))
                    }
                    Some(_) => {
                        self.problem(Code::Race, *loc, format!("assigning into a shared {} from parallel iterations is a race", base.ty), "shared container", "write results to a list slot (`out[i] = ...`), or collect per-iteration results and merge them after the loop");
                    }
                    None => {
                        self.problem(Code::Unsupported, *loc, "writing into an element of a list element (a row) inside a prange body is not supported yet", "nested write", "use a flat list indexed by `i * width + j`, written at the iteration's own slots");
                    }
                }
            }
            Target::Slice { loc, base, .. } => {
                self.expr(base);
                self.problem(
                    Code::Race,
                    *loc,
                    "assigning a slice inside a prange body changes a list other iterations use",
                    "slice assignment",
                    "write each element at the iteration's own index (`out[i] = ...`)",
                );
            }
            Target::Free(_) => self.problem(
                Code::Race,
                loc,
                "assigning a `nonlocal` variable inside a prange body is a race",
                "nonlocal",
                "use a reduction or a per-iteration slot",
            ),
        }
    }

    /// A read of the dict or set `container` through a lookup view.
    fn lookup(&mut self, container: &Expr, loc: Loc) {
        if let Some(var) = var_of(container) {
            let var = self.aliases.get(&var).copied().unwrap_or(var);
            self.lookups.push((var, loc));
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Local(_) | ExprKind::Global(_) => {
                if let Some(var) = var_of(e) {
                    let var = self.aliases.get(&var).copied().unwrap_or(var);
                    self.reads.push((var, e.loc));
                }
                return;
            }
            ExprKind::ArrayInfo { base, .. } if var_of(base).is_some() => {
                // The shape of a shared array does not change during the loop.
                if let Some(var) = var_of(base) {
                    let var = self.aliases.get(&var).copied().unwrap_or(var);
                    self.array_infos.push(var);
                }
                return;
            }
            ExprKind::Index { base, index } if matches!(base.ty, Type::Dict(..)) && var_of(base).is_some() => {
                self.lookup(base, e.loc);
                self.expr(index);
                return;
            }
            ExprKind::Builtin { args, .. }
                if matches!(builtin_key(e), Some(Key::Method(Receiver::Dict, "get"))) && var_of(&args[0]).is_some() =>
            {
                self.lookup(&args[0], e.loc);
                args[1..].iter().for_each(|a| self.expr(a));
                return;
            }
            ExprKind::Builtin { args, .. }
                if matches!(builtin_key(e), Some(Key::Op(Op::DictContains | Op::SetContains)))
                    && args.len() == 2
                    && var_of(&args[1]).is_some() =>
            {
                self.lookup(&args[1], e.loc);
                self.expr(&args[0]);
                return;
            }
            ExprKind::Builtin { args, .. }
                if builtin_key(e) == Some(Key::Function("len"))
                    && args.len() == 1
                    && matches!(args[0].ty, Type::Dict(..) | Type::Set(_))
                    && var_of(&args[0]).is_some() =>
            {
                self.lookup(&args[0], e.loc);
                return;
            }
            ExprKind::Index { base: row, index } if matches!(&row.kind, ExprKind::Index { base, .. } if matches!(base.ty, Type::List(_)) && var_of(base).is_some()) =>
            {
                // `grid[i][j]`: a read through the row table, never a handle to the row.
                if let ExprKind::Index { base, index: row_index } = &row.kind {
                    if let Some(var) = var_of(base) {
                        let var = self.aliases.get(&var).copied().unwrap_or(var);
                        self.nested_reads.push((var, e.loc));
                    }
                    self.expr(row_index);
                }
                self.expr(index);
                return;
            }
            ExprKind::Builtin { args, .. }
                if builtin_key(e) == Some(Key::Function("len"))
                    && args.len() == 1
                    && matches!(&args[0].kind, ExprKind::Index { base, .. } if matches!(base.ty, Type::List(_)) && var_of(base).is_some()) =>
            {
                if let ExprKind::Index { base, index } = &args[0].kind {
                    if let Some(var) = var_of(base) {
                        let var = self.aliases.get(&var).copied().unwrap_or(var);
                        self.nested_reads.push((var, e.loc));
                    }
                    self.expr(index);
                }
                return;
            }
            ExprKind::Index { base, index }
                if matches!(base.ty, Type::List(_) | Type::Array(..)) && var_of(base).is_some() =>
            {
                if let Some(var) = var_of(base) {
                    let var = self.aliases.get(&var).copied().unwrap_or(var);
                    self.index_reads.push((var, index.as_ref().clone(), e.loc));
                }
                self.expr(index);
                return;
            }
            ExprKind::Builtin { args, .. }
                if builtin_key(e) == Some(Key::Function("len"))
                    && args.len() == 1
                    && matches!(args[0].ty, Type::List(_))
                    && var_of(&args[0]).is_some() =>
            {
                // `len(xs)`: the length of a shared list does not change during the loop.
                return;
            }
            ExprKind::Print { .. } => self.problem(
                Code::Race,
                e.loc,
                "printing inside a prange body: the output order would depend on thread scheduling",
                "print",
                "store results in a list (`out[i] = ...`) and print them after the loop",
            ),
            ExprKind::Builtin { builtin, .. } if !builtins::builtin(*builtin).effects.parallel => self.problem(
                Code::Unsupported,
                e.loc,
                format!("`{}` inside a prange body", builtins::builtin(*builtin).key),
                "not thread-safe",
                "read it into a variable before the loop",
            ),
            ExprKind::CallValue { .. } | ExprKind::Free(_) => self.problem(
                Code::Unsupported,
                e.loc,
                "function values and enclosing-function variables cannot be used inside a prange body yet",
                "here",
                "call a module-level function, passing what it needs as arguments",
            ),
            _ => {}
        }
        for child in e.children() {
            self.expr(child);
        }
        self.block(e.inner_stmts(), 1);
    }
}

/// The plan of one prange loop, or `None` after reporting why it would race.
pub(crate) fn plan(ctx: &mut Context, f: &Function, par: &ParLoop, outside: &HashSet<VarRef>) -> Option<ParPlan> {
    let hidden = f
        .locals
        .iter()
        .enumerate()
        .filter(|(_, l)| l.name.starts_with('$'))
        .map(|(i, _)| VarRef::Local(crate::ir::LocalId(i as u32)))
        .collect();
    let mut facts = Facts { loop_loc: par.loc, hidden, ..Facts::default() };
    facts.block(&par.body, 0);
    let mut failed = false;
    for (code, loc, message, label, help) in std::mem::take(&mut facts.problems) {
        ctx.error(code, loc, message, label, help);
        failed = true;
    }
    for (call_loc, func) in calls(&par.body) {
        if !ctx.safe[func.0 as usize] {
            let name = ctx.module.functions[func.0 as usize].name.clone();
            ctx.error(
                Code::Race,
                call_loc,
                format!("`{name}` is called from a prange body but may touch shared state"),
                "not thread-safe",
                "a function called from prange takes and returns only numbers and strings, and neither prints nor assigns module variables",
            );
            failed = true;
        }
    }
    let mut plan = ParPlan::default();
    let mut by_var: HashMap<VarRef, Vec<(Loc, Option<ReduceOp>)>> = HashMap::new();
    let mut order: Vec<VarRef> = Vec::new();
    for (var, loc, op) in &facts.assigns {
        if !by_var.contains_key(var) {
            order.push(*var);
        }
        by_var.entry(*var).or_default().push((*loc, *op));
    }
    let read_vars: HashSet<VarRef> = facts.reads.iter().map(|(v, _)| *v).collect();
    for var in &order {
        let assigns = &by_var[var];
        let name = ctx.var_name(f, *var);
        let first = assigns[0].0;
        if *var == par.var {
            ctx.error(
                Code::Race,
                first,
                format!("the prange variable `{name}` is assigned in the loop body"),
                "loop variable",
                "use a new name for the changed value",
            );
            failed = true;
            continue;
        }
        if let VarRef::Global(id) = var {
            if ctx.module.globals[id.0 as usize].storage == GlobalStorage::Static {
                ctx.error(
                    Code::Race,
                    first,
                    format!(
                        "`{name}` is a module variable that functions read; every iteration assigning it is a race"
                    ),
                    "shared variable",
                    "use a new name that only the loop body uses",
                );
                failed = true;
                continue;
            }
        }
        // `s += a` and `s -= b` on one variable are one sum.
        let ops: HashSet<Option<ReduceOp>> =
            assigns.iter().map(|(_, op)| if *op == Some(ReduceOp::Sub) { Some(ReduceOp::Add) } else { *op }).collect();
        let reduction = match (ops.len(), ops.iter().next()) {
            (1, Some(Some(op))) => Some(*op),
            _ => None,
        };
        if !outside.contains(var) {
            plan.privates.push(*var);
            continue;
        }
        match reduction {
            Some(op) if read_vars.contains(var) => {
                let at = facts.reads.iter().find(|(v, _)| v == var).map_or(first, |(_, loc)| *loc);
                ctx.error(Code::Race, at, format!("the reduction variable `{name}` is read inside the prange body: its value mid-loop depends on the order iterations run"), "read here", format!("only update it in the loop (`{name} {}= ...`) and read it after the loop", reduce_symbol(op)));
                failed = true;
            }
            Some(op) => {
                let ty = ctx.var_type(f, *var);
                let fits = match op {
                    ReduceOp::Min | ReduceOp::Max => matches!(ty, Type::Int | Type::Float),
                    ReduceOp::BitOr | ReduceOp::BitAnd | ReduceOp::BitXor => matches!(ty, Type::Int | Type::Bool),
                    _ => matches!(ty, Type::Int | Type::Float),
                };
                if !fits {
                    ctx.error(
                        Code::Unsupported,
                        first,
                        format!("a prange reduction on {ty} is not supported"),
                        "reduction",
                        "reduce ints or floats (start a float total at `0.0`)",
                    );
                    failed = true;
                }
                plan.reductions.push((*var, op));
            }
            None => {
                ctx.error(
                    Code::Race,
                    first,
                    format!("`{name}` is assigned by the iterations of this prange loop and also used outside it: iterations would race on it"),
                    "assigned in parallel",
                    format!("make it a reduction (`{name} += ...`, `{name} = max({name}, ...)`), write to a per-iteration slot (`out[i] = ...`), or use a new name only the loop uses"),
                );
                failed = true;
            }
        }
    }
    let assigned: HashSet<VarRef> = by_var.keys().copied().collect();
    failed |= ctx.reject_captured(f, par, &facts.reads, &assigned);
    // Outer variables the body reads: shared, so they must be shareable.
    let mut reported: HashSet<VarRef> = HashSet::new();
    for (var, loc) in &facts.reads {
        if assigned.contains(var) || *var == par.var || reported.contains(var) {
            continue;
        }
        let ty = ctx.var_type(f, *var);
        if !shareable(&ty) {
            reported.insert(*var);
            let name = ctx.var_name(f, *var);
            let help = match ty {
                Type::List(_) => format!("index it inside the loop (`{name}[j]`, `len({name})`), e.g. `for j in range(len({name})):`"),
                Type::Array(..) => format!("index it inside the loop (`{name}[i, j]`, `{name}.shape[k]`); a function that takes the whole array cannot be called from a prange body"),
                Type::Dict(..) | Type::Set(_) => format!("a prange body may only read `{name}` (`{name}[k]`, `{name}.get(k, v)`, `k in {name}`, `len({name})`); to change it, store per-iteration results in a list (`out[i] = ...`) and update `{name}` after the loop"),
                _ => "copy what the loop needs into a list of numbers or strings before the loop".to_owned(),
            };
            ctx.error(Code::Race, *loc, format!("the {ty} `{name}` cannot be used this way by parallel iterations (only indexed reads and own-slot writes of lists and arrays are shared safely)"), "shared value", help);
            failed = true;
        }
    }
    // Shared lists: read anywhere, or written at the iteration's own slots only.
    let mut lists: Vec<VarRef> = Vec::new();
    let used_lists = facts
        .index_reads
        .iter()
        .map(|(v, _, _)| v)
        .chain(facts.index_writes.iter().map(|(v, _, _, _)| v))
        .chain(&facts.array_infos);
    for var in used_lists {
        if !assigned.contains(var) && !lists.contains(var) {
            lists.push(*var);
        }
    }
    // Lists of lists read only as `grid[i][j]`: tables of row views.
    for (var, loc) in &facts.nested_reads {
        if plan.tables.contains(var) {
            continue;
        }
        let inner_ok = matches!(ctx.var_type(f, *var), Type::List(ref row) if matches!(**row, Type::List(ref elem) if shareable(elem)));
        let other_use = assigned.contains(var)
            || facts.index_reads.iter().any(|(v, _, _)| v == var)
            || facts.index_writes.iter().any(|(v, _, _, _)| v == var);
        if !inner_ok || other_use {
            let name = ctx.var_name(f, *var);
            ctx.error(
                Code::Unsupported,
                *loc,
                format!("`{name}` can only be read as `{name}[i][j]` inside a prange body (rows are shared, not copied)"),
                "shared list of lists",
                format!("read elements directly (`{name}[i][j]`, `len({name}[i])`), or use a flat list indexed by `i * width + j`"),
            );
            failed = true;
            continue;
        }
        plan.tables.push(*var);
    }
    // Dicts and sets only read: lookup views.
    for (var, loc) in &facts.lookups {
        if plan.lookups.contains(var) {
            continue;
        }
        let ty = ctx.var_type(f, *var);
        let items_ok = match &ty {
            Type::Dict(key, value) => shareable(key) && shareable(value),
            Type::Set(elem) => shareable(elem),
            _ => false,
        };
        if !items_ok || assigned.contains(var) {
            let name = ctx.var_name(f, *var);
            ctx.error(
                Code::Unsupported,
                *loc,
                format!("the {ty} `{name}` cannot be shared by prange iterations (only dicts and sets of numbers and strings that the loop does not change are)"),
                "shared container",
                "read a dict or set of numbers or strings (`d[k]`, `d.get(k, v)`, `k in d`, `len(d)`), built before the loop",
            );
            failed = true;
            continue;
        }
        plan.lookups.push(*var);
    }
    // An array element `a[i, j]` belongs to the iteration that owns its row: the analysis looks
    // at the first index only (distinct rows never share an element; the runtime runs the loop
    // in order if the array's rows overlap in memory).
    let canonical = |e: &Expr, array: bool| {
        let e = match var_of(e).and_then(|v| facts.index_tuples.get(&v)) {
            Some(tuple) => tuple.clone(),
            None => e.clone(),
        };
        let e = substitute(&e, &facts.aliases, f);
        match (&e.kind, array) {
            (ExprKind::Tuple(items), true) => items[0].clone(),
            _ => e,
        }
    };
    for var in lists {
        let name = ctx.var_name(f, var);
        let ty = ctx.var_type(f, var);
        let (elem_shareable, array) = match &ty {
            Type::List(elem) => (shareable(elem), false),
            Type::Array(..) => (true, true),
            _ => continue,
        };
        let writes: Vec<(Expr, Loc, &Vec<InnerLoop>)> =
            facts.index_writes.iter().filter(|w| w.0 == var).map(|w| (canonical(&w.1, array), w.2, &w.3)).collect();
        let first_use = facts
            .index_writes
            .iter()
            .map(|w| (w.0, w.2))
            .chain(facts.index_reads.iter().map(|r| (r.0, r.2)))
            .find(|(v, _)| *v == var)
            .map(|(_, loc)| loc);
        if !elem_shareable {
            if let Some(loc) = first_use {
                let help = if matches!(&ty, Type::List(row) if matches!(**row, Type::List(_))) {
                    format!("read elements directly (`{name}[i][j]`, `len({name}[i])`): rows are shared, not handed out; or use a flat list indexed by `i * width + j`")
                } else {
                    "use a flat list of numbers or strings indexed by `i * width + j`".to_owned()
                };
                ctx.error(
                    Code::Unsupported,
                    loc,
                    format!("`{name}` is a {ty}: a row cannot be taken out of it inside a prange body"),
                    "shared list",
                    help,
                );
            }
            failed = true;
            continue;
        }
        if writes.is_empty() {
            plan.reads.push(var);
            continue;
        }
        if let Err((loc, message, help)) = disjoint_slots(&writes, par, &by_var) {
            // Not provably distinct slots: still fine when every use is an increment
            // (`hist[k] += 1`), which becomes a histogram reduction with per-chunk counts.
            let increments = facts.increments.iter().filter(|v| **v == var).count();
            let reads = facts.index_reads.iter().filter(|(v, _, _)| *v == var).count();
            if !array && increments > 0 && increments == writes.len() && increments == reads {
                plan.histograms.push(var);
                continue;
            }
            let help = if array {
                format!("write only the iteration's own rows: the first index must be the loop variable (`{name}[i, j]`, or `{name}[2 * i + 1, j]`) over prange(start >= 0, stop, step > 0); count collisions in a list (`hist[k] += 1`) instead")
            } else {
                help.replace("{list}", &name)
            };
            ctx.error(Code::Race, loc, message.replace("{list}", &name), "index", help);
            failed = true;
            continue;
        }
        if let Some((_, _, at)) = facts
            .index_reads
            .iter()
            .find(|(v, read, _)| *v == var && !writes.iter().any(|(w, _, _)| same_expr(&canonical(read, array), w)))
        {
            ctx.error(Code::Race, *at, format!("`{name}` is written by this prange loop and read here at another index: the read could see another iteration's write"), "other index", if array { format!("read `{name}` only in the rows the iteration writes, or read from a separate input array") } else { format!("read `{name}` only at the indices the iteration writes, or read from a separate input list") });
            failed = true;
            continue;
        }
        plan.writes.push(var);
    }
    plan.aliases = facts
        .aliases
        .iter()
        .filter(|(_, held)| matches!(ctx.var_type(f, **held), Type::List(_) | Type::Array(..)))
        .map(|(t, h)| (*t, *h))
        .collect();
    plan.privates.retain(|v| !plan.aliases.iter().any(|(t, _)| t == v));
    if !failed {
        failed |= !crate::parallel_order::check_private_reads(ctx, f, par, &plan.privates);
    }
    (!failed).then_some(plan)
}

/// The user-function calls of a body, with where they are.
fn calls(stmts: &[Stmt]) -> Vec<(Loc, crate::ir::FuncId)> {
    let mut out = Vec::new();
    crate::visit::each_node(
        stmts,
        |_: &Stmt| {},
        |e: &Expr| {
            if let ExprKind::Call { func, .. } | ExprKind::New { init: func, .. } = &e.kind {
                out.push((e.loc, *func));
            }
        },
    );
    out
}
