//! `for` loops: over `range`/`prange` (a counted loop), lists and strings (by index, re-reading
//! the length each step as CPython's list iterator does), and over `enumerate`, `zip` and
//! `reversed` of those, lowered to the same IR loops with hidden counters.

use super::scope::ModuleName;
use super::state::LoopState;
use super::{Checker, Var};
use crate::builtins::{Key, Op, Receiver};
use crate::diagnostic::Code;
use crate::ir::{Expr, ExprKind, Stmt, Target};
use crate::syntax::{self, BinOp, CmpOp, ExprKind as S};
use crate::types::Type;

impl Checker<'_> {
    /// Whether `iter` calls `prange` (imported from pyrsc).
    pub(super) fn is_prange_call(&self, iter: &syntax::Expr) -> bool {
        matches!(&iter.kind, S::Call { func, .. } if matches!(&func.kind, S::Name(name) if !self.f.by_name.contains_key(name) && self.scope.names.get(name) == Some(&ModuleName::Prange)))
    }

    pub(super) fn is_range_call<'e>(
        &self,
        iter: &'e syntax::Expr,
    ) -> Option<(&'e [syntax::Expr], &'e [syntax::Keyword])> {
        if let S::Call { func, args, keywords } = &iter.kind {
            if let S::Name(name) = &func.kind {
                if self.f.by_name.contains_key(name) {
                    return None;
                }
                let is_range = match self.scope.names.get(name) {
                    Some(ModuleName::Prange) => true,
                    None => name == "range",
                    _ => false,
                };
                if is_range {
                    return Some((args, keywords));
                }
            }
        }
        None
    }

    /// The start, stop and step of `range(...)` / `prange(...)` arguments (ints).
    pub(super) fn range_bounds(&mut self, iter: &syntax::Expr, args: &[syntax::Expr]) -> Option<(Expr, Expr, Expr)> {
        if args.is_empty() || args.len() > 3 {
            self.error(
                Code::WrongArgumentCount,
                iter.span,
                format!("range expected 1 to 3 arguments, got {}", args.len()),
                "here",
                "write range(stop), range(start, stop) or range(start, stop, step)",
            );
            return None;
        }
        let mut values: Vec<Expr> = Vec::new();
        for arg in args {
            let value = self.expr(arg, None);
            let value = match value.ty {
                Type::Int | Type::Unknown => value,
                Type::Bool => self.to_int(value),
                _ => {
                    self.error(
                        Code::TypeMismatch,
                        arg.span,
                        format!(
                            "'{}' object cannot be interpreted as an integer",
                            if value.ty == Type::Num { Type::Float } else { value.ty.clone() }
                        ),
                        format!("this is {}", value.ty),
                        "convert it with int(...)",
                    );
                    self.poisoned(arg.span)
                }
            };
            values.push(value);
        }
        if let Some(Expr { kind: ExprKind::Int(0), .. }) = values.get(2) {
            self.error(
                Code::TypeMismatch,
                args[2].span,
                "range() arg 3 must not be zero",
                "zero step",
                "use a non-zero step",
            );
        }
        let loc = self.loc(iter.span);
        let (start, stop, step) = match values.len() {
            1 => (
                Expr::new(ExprKind::Int(0), Type::Int, loc),
                values.remove(0),
                Expr::new(ExprKind::Int(1), Type::Int, loc),
            ),
            2 => {
                let stop = values.remove(1);
                (values.remove(0), stop, Expr::new(ExprKind::Int(1), Type::Int, loc))
            }
            _ => {
                let step = values.remove(2);
                let stop = values.remove(1);
                (values.remove(0), stop, step)
            }
        };
        Some((start, stop, step))
    }

    pub(super) fn for_loop(
        &mut self,
        target: &syntax::Expr,
        iter: &syntax::Expr,
        body: &[syntax::Stmt],
        orelse: &[syntax::Stmt],
        span: crate::span::Span,
        out: &mut Vec<Stmt>,
    ) {
        self.loop_span = span;
        if let Some((args, keywords)) = self.is_range_call(iter) {
            // A `for` statement over prange (not nested in another one, not a comprehension's).
            if self.is_prange_call(iter) && self.prange_depth == 0 {
                return self.prange_loop(target, iter, args, keywords, body, orelse, out);
            }
        }
        self.for_loop_with(target, iter, &mut |this: &mut Self| this.block(body), orelse, out)
    }

    /// A `for` loop whose body is produced by `body` (checked statements, or the next level of a
    /// comprehension).
    pub(super) fn for_loop_with(
        &mut self,
        target: &syntax::Expr,
        iter: &syntax::Expr,
        body: &mut dyn FnMut(&mut Self) -> Vec<Stmt>,
        orelse: &[syntax::Stmt],
        out: &mut Vec<Stmt>,
    ) {
        if let S::Call { func, args, keywords } = &iter.kind {
            if let S::Name(name) = &func.kind {
                let builtin = !self.f.by_name.contains_key(name) && !self.scope.names.contains_key(name);
                match name.as_str() {
                    "map" | "filter" if builtin && keywords.is_empty() => {
                        return self.map_filter_loop(target, iter, name == "map", args, body, orelse, out)
                    }
                    "enumerate" | "zip" | "reversed" if builtin => {
                        if let Some(keyword) = keywords.first() {
                            if !(name == "enumerate" && keyword.name == "start" && keywords.len() == 1) {
                                self.error(
                                    Code::Unsupported,
                                    keyword.span,
                                    format!("keyword argument `{}` is not supported here", keyword.name),
                                    "here",
                                    "pass the arguments by position",
                                );
                                return;
                            }
                        }
                        let mut args: Vec<&syntax::Expr> = args.iter().collect();
                        args.extend(keywords.iter().map(|k| &k.value));
                        return match name.as_str() {
                            "enumerate" => self.enumerate_loop(target, iter, &args, body, orelse, out),
                            "zip" => self.zip_loop(target, iter, &args, body, orelse, out),
                            _ => self.reversed_loop(target, iter, &args, body, orelse, out),
                        };
                    }
                    _ => {}
                }
            }
        }
        self.plain_for_loop(target, iter, body, orelse, out)
    }

    fn plain_for_loop(
        &mut self,
        target: &syntax::Expr,
        iter: &syntax::Expr,
        body: &mut dyn FnMut(&mut Self) -> Vec<Stmt>,
        orelse: &[syntax::Stmt],
        out: &mut Vec<Stmt>,
    ) {
        if let Some((args, keywords)) = self.is_range_call(iter) {
            if let Some(keyword) = keywords.first() {
                if !(keyword.name == "num_threads" && self.is_prange_call(iter)) {
                    self.error(
                        Code::Unsupported,
                        keyword.span,
                        format!("keyword argument `{}` is not supported here", keyword.name),
                        "here",
                        "pass start, stop and step by position",
                    );
                }
            }
            let Some((start, stop, step)) = self.range_bounds(iter, args) else { return };
            let Some(var) = self.range_loop_var(target) else { return };
            self.lowered_loop(orelse, out, |this| {
                this.f.mark_assigned(var);
                let body = body(this);
                Some(Stmt::ForRange {
                    var: Self::var_target(var),
                    start,
                    stop,
                    step,
                    body,
                    orelse: Vec::new(),
                    id: this.loop_id(),
                })
            });
        } else if let Some((dict, view)) = self.dict_view_call(iter).map(|(d, v)| (d.clone(), v)) {
            let dict_value = self.expr(&dict, None);
            match dict_value.ty {
                Type::Dict(_, _) => self.dict_loop(target, iter, dict_value, view, body, orelse, out),
                Type::Unknown => {}
                _ => {
                    let _ = self.view_not_consumed(iter.span);
                }
            }
        } else {
            // A str is iterated as the list of its characters (exact: a str is immutable).
            let probe = self.expr(iter, None);
            if let Type::Dict(_, _) = probe.ty {
                return self.dict_loop(target, iter, probe, super::dict::DictView::Keys, body, orelse, out);
            }
            if let Type::Set(elem) = probe.ty.clone() {
                let (held, position, cond) = self.set_loop_parts(probe, iter.span, out);
                return self.lowered_loop(orelse, out, |this| {
                    let set = this.local_expr(held, iter.span);
                    let at = this.local_expr(position, iter.span);
                    let item = this.builtin_call(Key::Op(Op::SetKeyAtSlot), vec![set, at], target.span);
                    let item = Expr { ty: *elem.clone(), ..item };
                    let mut stmts = Vec::new();
                    this.assign_to(target, item, &mut stmts);
                    stmts.push(this.step_counter(position, 1, iter.span));
                    stmts.extend(body(this));
                    Some(Stmt::While { cond, body: stmts, orelse: Vec::new(), id: this.loop_id() })
                });
            }
            if probe.ty == Type::File {
                return self.file_loop(target, iter, probe, body, orelse, out);
            }
            if let Type::Iterator(elem) = probe.ty.clone() {
                return self.generator_loop(target, probe, *elem, body, orelse, out);
            }
            if let Type::Object(_) = probe.ty {
                return self.object_loop(target, probe, body, orelse, out);
            }
            if let ExprKind::Builtin { builtin, args } = &probe.kind {
                let key = crate::builtins::builtin(*builtin).key;
                if key == crate::builtins::Key::Method(crate::builtins::Receiver::Str, "split") && args.len() <= 2 {
                    // The pieces of an immutable str, one at a time: no list is built.
                    let mut args = args.clone().into_iter();
                    let (Some(text), sep) = (args.next(), args.next()) else { return };
                    let loc = probe.loc;
                    let direct = self.plain_local_target(target, &Type::Str);
                    return self.lowered_loop(orelse, out, |this| {
                        if let Some(local) = direct {
                            this.f.mark_assigned(Var::Local(local));
                            return Some(Stmt::ForPieces {
                                target: Target::Local(local),
                                text,
                                sep,
                                body: body(this),
                                orelse: Vec::new(),
                                loc,
                            });
                        }
                        let element = this.f.temp(Type::Str);
                        this.f.mark_assigned(Var::Local(element));
                        let mut body_stmts = Vec::new();
                        let read = Expr::new(ExprKind::Local(element), Type::Str, this.loc(target.span));
                        this.assign_to(target, read, &mut body_stmts);
                        body_stmts.extend(body(this));
                        Some(Stmt::ForPieces {
                            target: Target::Local(element),
                            text,
                            sep,
                            body: body_stmts,
                            orelse: Vec::new(),
                            loc,
                        })
                    });
                }
            }
            let Some((iterable, elem)) = self.sequence_of(probe, iter) else { return };
            if let Some(local) = self.plain_local_target(target, &elem) {
                // `for word in words`: the loop stores each element straight into `word`.
                return self.lowered_loop(orelse, out, |this| {
                    this.f.mark_assigned(Var::Local(local));
                    Some(Stmt::ForList {
                        target: Target::Local(local),
                        iterable,
                        body: body(this),
                        orelse: Vec::new(),
                        id: this.loop_id(),
                    })
                });
            }
            self.lowered_loop(orelse, out, |this| {
                let element = this.f.temp(elem.clone());
                this.f.mark_assigned(Var::Local(element));
                let mut body_stmts = Vec::new();
                let read = Expr::new(ExprKind::Local(element), elem, this.loc(target.span));
                this.assign_to(target, read, &mut body_stmts);
                body_stmts.extend(body(this));
                Some(Stmt::ForList {
                    target: Target::Local(element),
                    iterable,
                    body: body_stmts,
                    orelse: Vec::new(),
                    id: this.loop_id(),
                })
            });
        }
    }

    /// `for line in f`: one `readline()` per iteration until it returns "" (lazy, so a `break`
    /// leaves the rest of the file to later reads, as in CPython).
    fn file_loop(
        &mut self,
        target: &syntax::Expr,
        iter: &syntax::Expr,
        file: Expr,
        body: &mut dyn FnMut(&mut Self) -> Vec<Stmt>,
        orelse: &[syntax::Stmt],
        out: &mut Vec<Stmt>,
    ) {
        self.file_loop_with(target, iter, file, None, body, orelse, out)
    }

    /// `for line in f` or (with `counter`) `for i, line in enumerate(f, start)`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn file_loop_with(
        &mut self,
        target: &syntax::Expr,
        iter: &syntax::Expr,
        file: Expr,
        counter: Option<crate::ir::LocalId>,
        body: &mut dyn FnMut(&mut Self) -> Vec<Stmt>,
        orelse: &[syntax::Stmt],
        out: &mut Vec<Stmt>,
    ) {
        let loc = self.loc(iter.span);
        let held = self.f.temp(Type::File);
        out.push(Stmt::Assign { target: Target::Local(held), value: file });
        self.f.mark_assigned(Var::Local(held));
        let line = self.f.temp(Type::Str);
        let next = self.builtin_call(
            Key::Method(Receiver::File, "readline"),
            vec![Expr::new(ExprKind::Local(held), Type::File, loc)],
            iter.span,
        );
        let read_line = Expr::new(ExprKind::Local(line), Type::Str, loc);
        let more = Expr::new(
            ExprKind::Compare {
                operands: vec![read_line.clone(), Expr::new(ExprKind::Str(String::new()), Type::Str, loc)],
                ops: vec![crate::syntax::CmpOp::NotEq],
            },
            Type::Bool,
            loc,
        );
        let cond = Expr::new(
            ExprKind::Block {
                stmts: vec![Stmt::Assign { target: Target::Local(line), value: next }],
                value: Box::new(more),
            },
            Type::Bool,
            loc,
        );
        self.lowered_loop(orelse, out, |this| {
            this.f.mark_assigned(Var::Local(line));
            let mut stmts = Vec::new();
            match counter {
                Some(counter) => {
                    let pair = Expr::new(
                        ExprKind::Tuple(vec![this.local_expr(counter, iter.span), read_line]),
                        Type::Tuple(vec![Type::Int, Type::Str]),
                        this.loc(target.span),
                    );
                    this.assign_to(target, pair, &mut stmts);
                    stmts.push(this.step_counter(counter, 1, iter.span));
                }
                None => this.assign_to(target, read_line, &mut stmts),
            }
            stmts.extend(body(this));
            Some(Stmt::While { cond, body: stmts, orelse: Vec::new(), id: this.loop_id() })
        });
    }

    /// The int variable a counted loop assigns (`for i in range(...)`), typed int if new.
    pub(super) fn range_loop_var(&mut self, target: &syntax::Expr) -> Option<Var> {
        let S::Name(name) = &target.kind else {
            self.error(
                Code::TypeMismatch,
                target.span,
                "a range loop needs a single variable",
                "not a name",
                "write `for i in range(...)`",
            );
            return None;
        };
        let var = self.lookup_var(name)?;
        match self.var_type(var) {
            Type::Unknown => self.set_var_type(var, Type::Int),
            Type::Int => {}
            other => {
                self.error(
                    Code::TypeMismatch,
                    target.span,
                    format!("the loop variable `{name}` is {other}, but range yields ints"),
                    "not an int",
                    "use a new name for the loop variable",
                );
                return None;
            }
        }
        Some(var)
    }

    /// Checks the loop body and `else` with the definite-assignment rules of a loop (the body may
    /// not run; `else` runs when it ends without `break`). `make` builds the loop from the body.
    pub(super) fn lowered_loop(
        &mut self,
        orelse: &[syntax::Stmt],
        out: &mut Vec<Stmt>,
        make: impl FnOnce(&mut Self) -> Option<Stmt>,
    ) {
        let before = self.f.assigned.clone();
        self.f.loops.push(LoopState { break_states: Vec::new() });
        let stmt = make(self);
        self.f.loops.pop();
        self.f.assigned = before.clone();
        let else_body = self.block(orelse);
        self.f.assigned = before;
        let Some(stmt) = stmt else { return };
        out.push(match stmt {
            Stmt::ForRange { var, start, stop, step, body, id, .. } => {
                Stmt::ForRange { var, start, stop, step, body, orelse: else_body, id }
            }
            Stmt::ForList { target, iterable, body, id, .. } => {
                Stmt::ForList { target, iterable, body, orelse: else_body, id }
            }
            Stmt::ForPieces { target, text, sep, body, loc, .. } => {
                Stmt::ForPieces { target, text, sep, body, orelse: else_body, loc }
            }
            Stmt::ParFor(mut par) => {
                par.orelse = else_body;
                Stmt::ParFor(par)
            }
            Stmt::While { cond, body, id, .. } => Stmt::While { cond, body, orelse: else_body, id },
            Stmt::ForGen { target, call, body, loc, .. } => Stmt::ForGen { target, call, body, orelse: else_body, loc },
            other => other,
        });
    }

    /// A list (or the characters of a str, or a snapshot of a dict's keys or view) to iterate
    /// over, with its element type.
    pub(crate) fn sequence(&mut self, e: &syntax::Expr) -> Option<(Expr, Type)> {
        if let Some((dict, view)) = self.dict_view_call(e) {
            let dict_value = self.expr(dict, None);
            if let Type::Dict(_, _) = dict_value.ty {
                let snapshot = self.dict_snapshot(dict_value, view, e.span);
                return self.sequence_of(snapshot, e);
            }
        }
        let value = self.expr(e, None);
        self.sequence_of(value, e)
    }

    fn sequence_of(&mut self, mut value: Expr, e: &syntax::Expr) -> Option<(Expr, Type)> {
        if let Type::Set(_) = value.ty {
            value = self.builtin_call(Key::Op(Op::SetItems), vec![value], e.span);
        }
        if value.ty == Type::Range {
            // A range object is immutable: iterating its values as a list is exact.
            value = self.builtin_call(Key::Op(Op::RangeList), vec![value], e.span);
        }
        if let Type::Tuple(_) = value.ty {
            match self.tuple_as_list(value.clone(), e.span) {
                Some(list) => value = list,
                None => {
                    self.error(
                        Code::Unsupported,
                        e.span,
                        format!("iterating over {} (items of different types) is not supported", value.ty),
                        "mixed tuple",
                        "iterate over a list, or unpack the tuple",
                    );
                    return None;
                }
            }
        }
        if let Type::VarTuple(_) = value.ty {
            value = self.builtin_call(Key::Op(Op::TupleAsList), vec![value], e.span);
        }
        if let Type::Dict(_, _) = value.ty {
            value = self.dict_snapshot(value, super::dict::DictView::Keys, e.span);
        }
        if value.ty == Type::Str {
            value = self.builtin_call(Key::Op(Op::StrChars), vec![value], e.span);
        }
        match value.ty.clone() {
            Type::List(elem) => Some((value, *elem)),
            Type::Unknown => None,
            other => {
                self.error(
                    Code::TypeMismatch,
                    e.span,
                    format!("cannot iterate over {other} here in pyrsc yet"),
                    format!("this is {other}"),
                    "iterate over a list or a str",
                );
                None
            }
        }
    }

    /// The local a `for` target names when elements can be stored into it as they are: a plain
    /// (not captured) local of exactly the element type.
    fn plain_local_target(&self, target: &syntax::Expr, elem: &Type) -> Option<crate::ir::LocalId> {
        let syntax::ExprKind::Name(name) = &target.kind else { return None };
        if self.f.nonlocals.contains(name) {
            return None;
        }
        let id = *self.f.by_name.get(name)?;
        let local = &self.f.locals[id.0 as usize];
        (local.ty == *elem && !local.captured).then_some(id)
    }

    /// A hidden local holding `value`, assigned now.
    pub(crate) fn hold(&mut self, value: Expr, out: &mut Vec<Stmt>) -> (crate::ir::LocalId, Type) {
        let ty = value.ty.clone();
        let temp = self.f.temp(ty.clone());
        out.push(Stmt::Assign { target: Target::Local(temp), value });
        self.f.mark_assigned(Var::Local(temp));
        (temp, ty)
    }

    pub(crate) fn local_expr(&self, id: crate::ir::LocalId, span: crate::span::Span) -> Expr {
        Expr::new(ExprKind::Local(id), self.f.locals[id.0 as usize].ty.clone(), self.loc(span))
    }

    pub(crate) fn int_expr(&self, n: i64, span: crate::span::Span) -> Expr {
        Expr::new(ExprKind::Int(n), Type::Int, self.loc(span))
    }

    /// `counter = counter + delta` on a hidden int local.
    pub(crate) fn step_counter(&mut self, counter: crate::ir::LocalId, delta: i64, span: crate::span::Span) -> Stmt {
        let read = self.local_expr(counter, span);
        let one = self.int_expr(delta.abs(), span);
        let op = if delta >= 0 { BinOp::Add } else { BinOp::Sub };
        let value = self.binary(op, read, one, span);
        Stmt::Assign { target: Target::Local(counter), value }
    }

    pub(crate) fn compare_ints(&self, left: Expr, op: CmpOp, right: Expr, span: crate::span::Span) -> Expr {
        Expr::new(ExprKind::Compare { operands: vec![left, right], ops: vec![op] }, Type::Bool, self.loc(span))
    }

    pub(crate) fn length_of(&mut self, list: crate::ir::LocalId, span: crate::span::Span) -> Expr {
        let read = self.local_expr(list, span);
        self.builtin_call(Key::Function("len"), vec![read], span)
    }
}
