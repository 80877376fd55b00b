//! Generator expressions kept as values: `squares = (x * x for x in xs if x > 0)`, then
//! `next(squares)`, `for s in squares`, or passing it on. The comprehension's loops become the
//! body of an IR `Lazy` expression whose innermost statement yields the element; code
//! generation runs that body as a generator object on a stack of its own.
//!
//! As in CPython, the outermost iterable (or a `range`'s bounds) is evaluated when the generator
//! expression is; the rest runs as the generator is resumed. The generator reads the other
//! variables it uses as they were when it was made, while CPython reads them when it runs, so
//! each such variable must be assigned before the generator expression and never again (an
//! assignment inside a loop counts as many): then both read the same value. Lists, dicts and
//! objects are shared, so their changes are seen either way.

use std::collections::HashMap;

use super::{Checker, Var};
use crate::diagnostic::Code;
use crate::ir::{Expr, ExprKind, Stmt, Target, VarRef};
use crate::span::Span;
use crate::syntax::{self, Comprehension, ExprKind as S, StmtKind};
use crate::types::Type;

impl Checker<'_> {
    /// `(elt for ... in ... if ...)` where it is not consumed at once.
    pub(super) fn lazy_generator(&mut self, elt: &syntax::Expr, generators: &[Comprehension], span: Span) -> Expr {
        if self.prange_depth > 0 {
            self.error(
                Code::Race,
                span,
                "a generator expression inside a prange body",
                "in prange",
                "compute the values into a list in the loop",
            );
            return self.poisoned(span);
        }
        if self.f.nested || self.f.assignment_counts.is_none() {
            return self.generator_not_consumed(span);
        }
        let Some(first) = generators.first() else { return self.poisoned(span) };
        let mut prelude = Vec::new();
        let held = match self.lazy_source_call(&first.iter) {
            Some(args) => {
                // `range(a, b)`, `enumerate(xs)`, `zip(xs, ys)`: the arguments now, the values
                // as the generator runs.
                let mut bounds = Vec::new();
                for (i, arg) in args.iter().enumerate() {
                    let Some(bound) = self.hold_hidden(arg, format!("$genexp{}_{i}", span.start), &mut prelude) else {
                        return self.poisoned(span);
                    };
                    bounds.push(bound);
                }
                let S::Call { func, .. } = &first.iter.kind else { return self.poisoned(span) };
                syntax::Expr {
                    kind: S::Call { func: func.clone(), args: bounds, keywords: Vec::new() },
                    span: first.iter.span,
                }
            }
            _ => match self.hold_hidden(&first.iter, format!("$genexp{}", span.start), &mut prelude) {
                Some(held) => held,
                None => return self.poisoned(span),
            },
        };
        let existing = self.f.locals.len() as u32;
        let mut generators = generators.to_vec();
        generators[0].iter = held;
        let mut elem = None;
        let mut body = Vec::new();
        let inner = self.genexp_span(span);
        let saved_loop_span = std::mem::replace(&mut self.loop_span, inner);
        self.in_comprehension_scope(&generators, |this| {
            this.comprehension_loops(
                &generators,
                0,
                &mut |this: &mut Self| {
                    let value = this.expr(elt, None);
                    elem = Some(value.ty.clone());
                    vec![Stmt::Yield { value, loc: this.loc(elt.span) }]
                },
                &mut body,
            );
        });
        self.loop_span = saved_loop_span;
        let Some(elem) = elem.filter(|t| !t.has_unknown()) else { return self.poisoned(span) };
        self.check_late_binding(&body, existing, span);
        let loc = self.loc(span);
        let captures = captures(&body);
        let lazy = Expr::new(ExprKind::Lazy { body, captures }, Type::Iterator(Box::new(elem)), loc);
        if prelude.is_empty() {
            return lazy;
        }
        let ty = lazy.ty.clone();
        Expr::new(ExprKind::Block { stmts: prelude, value: Box::new(lazy) }, ty, loc)
    }

    /// The arguments of `range(...)`, `enumerate(...)` or `zip(...)` (the builtins, without
    /// keywords): what the outermost iterable of a kept generator expression evaluates at once.
    fn lazy_source_call<'e>(&self, iter: &'e syntax::Expr) -> Option<&'e [syntax::Expr]> {
        if let Some((args, [])) = self.is_range_call(iter) {
            return Some(args);
        }
        let S::Call { func, args, keywords } = &iter.kind else { return None };
        let S::Name(name) = &func.kind else { return None };
        let builtin = !self.f.by_name.contains_key(name) && !self.scope.names.contains_key(name);
        (builtin && keywords.is_empty() && matches!(name.as_str(), "enumerate" | "zip")).then_some(args.as_slice())
    }

    /// Evaluates `e` into a new hidden local `name`; the syntax that reads it back.
    fn hold_hidden(&mut self, e: &syntax::Expr, name: String, out: &mut Vec<Stmt>) -> Option<syntax::Expr> {
        let value = self.expr(e, None);
        if value.ty.has_unknown() {
            return None;
        }
        let id = self.f.add_local(&name, value.ty.clone(), false);
        self.f.mark_assigned(Var::Local(id));
        out.push(Stmt::Assign { target: Target::Local(id), value });
        Some(syntax::Expr { kind: S::Name(name), span: e.span })
    }

    /// Reports variables of the enclosing code (locals below `existing`, and module variables)
    /// that the generator reads but that are unassigned here or assigned more than once.
    fn check_late_binding(&mut self, body: &[Stmt], existing: u32, span: Span) {
        let mut read: Vec<Var> = Vec::new();
        crate::visit::each_node(
            body,
            |_: &Stmt| {},
            |e: &crate::ir::Expr| {
                let var = match &e.kind {
                    ExprKind::Local(id) if id.0 < existing => Var::Local(*id),
                    ExprKind::Global(id) => Var::Global(*id),
                    _ => return,
                };
                if !read.contains(&var) {
                    read.push(var);
                }
            },
        );
        let counts = self.f.assignment_counts.clone().unwrap_or_default();
        for var in read {
            let name = match var {
                Var::Local(id) => self.f.locals[id.0 as usize].name.clone(),
                Var::Global(id) => {
                    // A function reads module variables as they are when it runs, as CPython does.
                    if self.f.owner.is_some() {
                        continue;
                    }
                    self.scope.globals[id.0 as usize].name.clone()
                }
                Var::Free(_) => continue,
            };
            let assigned_once = counts.get(&name).copied().unwrap_or(0) <= 1;
            if assigned_once && self.f.is_assigned(var) {
                continue;
            }
            self.error(
                Code::Unsupported,
                span,
                format!("this generator expression reads `{name}`, which is assigned after it is created or more than once"),
                "kept as a value",
                format!("CPython reads `{name}` when the generator runs and pyrsc when it is made: assign it once, before; or write a generator function taking it as a parameter"),
            );
            return;
        }
    }
}

/// How many times `stmts` assign each name: an assignment inside a loop counts twice (it may
/// run many times), as do `for` targets.
pub fn assignment_counts(stmts: &[syntax::Stmt]) -> HashMap<String, u32> {
    fn target(e: &syntax::Expr, weight: u32, out: &mut HashMap<String, u32>) {
        match &e.kind {
            S::Name(name) => *out.entry(name.clone()).or_default() += weight,
            S::Tuple(items) | S::List(items) => items.iter().for_each(|i| target(i, weight, out)),
            _ => {}
        }
    }
    fn walk(stmts: &[syntax::Stmt], weight: u32, out: &mut HashMap<String, u32>) {
        for stmt in stmts {
            match &stmt.kind {
                StmtKind::Assign { targets, .. } => targets.iter().for_each(|t| target(t, weight, out)),
                StmtKind::AnnAssign { target: t, value: Some(_), .. } | StmtKind::AugAssign { target: t, .. } => {
                    target(t, weight, out)
                }
                StmtKind::For { target: t, body, orelse, .. } => {
                    target(t, 2, out);
                    walk(body, 2, out);
                    walk(orelse, weight, out);
                }
                StmtKind::While { body, orelse, .. } => {
                    walk(body, 2, out);
                    walk(orelse, weight, out);
                }
                StmtKind::If { body, orelse, .. } => {
                    walk(body, weight, out);
                    walk(orelse, weight, out);
                }
                StmtKind::Try { .. } => stmt.kind.try_blocks().into_iter().for_each(|b| walk(b, weight, out)),
                StmtKind::With { items, body } => {
                    items.iter().filter_map(|(_, t)| t.as_ref()).for_each(|t| target(t, weight, out));
                    walk(body, weight, out);
                }
                StmtKind::FunctionDef(def) => *out.entry(def.name.clone()).or_default() += weight,
                _ => {}
            }
        }
    }
    let mut out = HashMap::new();
    walk(stmts, 1, &mut out);
    out
}

/// The variables a generator expression's body reads or assigns: it works on clones of them.
fn captures(body: &[Stmt]) -> Vec<VarRef> {
    let (mut out, mut read): (Vec<VarRef>, Vec<VarRef>) = (Vec::new(), Vec::new());
    crate::visit::each_node(
        body,
        |stmt: &Stmt| out.extend(stmt.bound_target().into_iter().flat_map(Target::vars)),
        |e: &crate::ir::Expr| match &e.kind {
            ExprKind::Local(id) => read.push(VarRef::Local(*id)),
            ExprKind::Global(id) => read.push(VarRef::Global(*id)),
            _ => {}
        },
    );
    out.extend(read);
    out.sort_by_key(|v| match v {
        VarRef::Local(id) => (0, id.0),
        VarRef::Global(id) => (1, id.0),
    });
    out.dedup();
    out
}
