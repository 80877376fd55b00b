//! `for` over iterator adapters, lowered to the IR's plain loops with hidden counters:
//! `map`/`filter` (lazily, as CPython's objects), dict views, `enumerate`, `zip` (of sequences
//! and of generators) and `reversed`.

use super::{Checker, Var};
use crate::builtins::{Key, Op};
use crate::diagnostic::Code;
use crate::ir::{Expr, ExprKind, Stmt, Target};
use crate::syntax::{self, BinOp, CmpOp, ExprKind as S};
use crate::types::Type;

impl Checker<'_> {
    /// `for y in map(f, xs)` / `for x in filter(f, xs)`: lazily, `f` runs right before each
    /// iteration's body, as with CPython's map and filter objects.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn map_filter_loop(
        &mut self,
        target: &syntax::Expr,
        iter: &syntax::Expr,
        is_map: bool,
        args: &[syntax::Expr],
        body: &mut dyn FnMut(&mut Self) -> Vec<Stmt>,
        orelse: &[syntax::Stmt],
        out: &mut Vec<Stmt>,
    ) {
        if args.len() < 2 || (!is_map && args.len() != 2) {
            self.error(
                Code::WrongArgumentCount,
                iter.span,
                "map() takes a function and iterables; filter() a function and one iterable",
                "arguments",
                "write map(f, xs) or filter(f, xs)",
            );
            return;
        }
        let filter_none = !is_map && matches!(args[0].kind, S::None);
        let application = if filter_none {
            let item = syntax::Expr { kind: S::Name("$arg0".to_owned()), span: iter.span };
            Some((syntax::Comprehension { target: item.clone(), iter: args[1].clone(), ifs: Vec::new() }, item))
        } else {
            self.application(&args[0], args[1..].to_vec(), iter.span)
        };
        let Some((generator, elt)) = application else { return };
        let generators = [generator];
        self.in_comprehension_scope(&generators, |this| {
            let generator = &generators[0];
            this.for_loop_with(
                &generator.target,
                &generator.iter,
                &mut |this: &mut Self| {
                    let mut stmts = Vec::new();
                    if is_map {
                        let value = this.expr(&elt, None);
                        this.assign_to(target, value, &mut stmts);
                        stmts.extend(body(this));
                    } else {
                        let keep = this.condition(&elt);
                        let item = this.expr(&generator.target, None);
                        let mut inner = Vec::new();
                        this.assign_to(target, item, &mut inner);
                        inner.extend(body(this));
                        stmts.push(Stmt::If { cond: keep, then_body: inner, else_body: Vec::new() });
                    }
                    stmts
                },
                orelse,
                out,
            );
        });
    }

    /// `for k in d` / `for k, v in d.items()`: by position, raising RuntimeError if the dict
    /// changes size meanwhile, or its keys change so that the loop would produce more keys than
    /// it had (as CPython's dict iterators do).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn dict_loop(
        &mut self,
        target: &syntax::Expr,
        iter: &syntax::Expr,
        dict: Expr,
        view: super::dict::DictView,
        body: &mut dyn FnMut(&mut Self) -> Vec<Stmt>,
        orelse: &[syntax::Stmt],
        out: &mut Vec<Stmt>,
    ) {
        let (held, _) = self.hold(dict, out);
        let size = self.length_of(held, iter.span);
        let (expected, _) = self.hold(size, out);
        let (index, _) = self.hold(self.int_expr(0, iter.span), out);
        // CPython reports a size change at the `for` statement itself.
        let statement = if self.loop_span.start <= iter.span.start && iter.span.end <= self.loop_span.end {
            self.loop_span
        } else {
            iter.span
        };
        let cond = self.builtin_call(
            Key::Op(Op::DictIterContinues),
            vec![
                self.local_expr(held, iter.span),
                self.local_expr(expected, iter.span),
                self.local_expr(index, iter.span),
            ],
            statement,
        );
        self.lowered_loop(orelse, out, |this| {
            let item = this.builtin_call(
                view.at_row(),
                vec![this.local_expr(held, iter.span), this.local_expr(index, iter.span)],
                target.span,
            );
            let mut stmts = Vec::new();
            this.assign_to(target, item, &mut stmts);
            // The loop state is CPython's iterator: a table position and a count (one int).
            let step = this.builtin_call(
                Key::Op(Op::DictIterStep),
                vec![this.local_expr(held, iter.span), this.local_expr(index, iter.span)],
                iter.span,
            );
            stmts.push(Stmt::Assign { target: crate::ir::Target::Local(index), value: step });
            stmts.extend(body(this));
            Some(Stmt::While { cond, body: stmts, orelse: Vec::new(), id: this.loop_id() })
        });
    }

    /// `for i, x in enumerate(xs, start)`: a list loop with a hidden counter.
    pub(crate) fn enumerate_loop(
        &mut self,
        target: &syntax::Expr,
        iter: &syntax::Expr,
        args: &[&syntax::Expr],
        body: &mut dyn FnMut(&mut Self) -> Vec<Stmt>,
        orelse: &[syntax::Stmt],
        out: &mut Vec<Stmt>,
    ) {
        if args.is_empty() || args.len() > 2 {
            self.error(
                Code::WrongArgumentCount,
                iter.span,
                format!("enumerate() takes 1 or 2 arguments, got {}", args.len()),
                "here",
                "write enumerate(items) or enumerate(items, start)",
            );
            return;
        }
        // `enumerate(f)` over a file reads it lazily, line by line.
        let (saved, pending) = (self.diagnostics.len(), self.pending_empty.len());
        let probe = self.expr(args[0], None);
        let generator = matches!(probe.ty, Type::Iterator(_));
        let file = (probe.ty == Type::File || generator).then_some(probe);
        if file.is_none() {
            self.diagnostics.truncate(saved);
            self.pending_empty.truncate(pending);
        }
        let sequence = match &file {
            Some(_) => None,
            None => match self.sequence(args[0]) {
                Some(found) => Some(found),
                None => return,
            },
        };
        let start = match args.get(1) {
            Some(start) => {
                let value = self.expr(start, None);
                match value.ty {
                    Type::Int | Type::Unknown => value,
                    Type::Bool => self.to_int(value),
                    other => {
                        self.error(
                            Code::TypeMismatch,
                            start.span,
                            format!("'{other}' object cannot be interpreted as an integer"),
                            "not an int",
                            "pass an int start",
                        );
                        return;
                    }
                }
            }
            None => self.int_expr(0, iter.span),
        };
        if generator {
            // `enumerate(g)` over a generator: an enumerating generator, pulled as it goes.
            let Some(source) = file else { return };
            let indexed = self.builtin_call(Key::Op(Op::EnumerateGenerator), vec![source, start], iter.span);
            if let Type::Iterator(elem) = indexed.ty.clone() {
                self.generator_loop(target, indexed, *elem, body, orelse, out);
            }
            return;
        }
        let (counter, _) = self.hold(start, out);
        let Some((sequence, elem)) = sequence else {
            if let Some(file) = file {
                self.file_loop_with(target, iter, file, Some(counter), body, orelse, out);
            }
            return;
        };
        self.lowered_loop(orelse, out, |this| {
            let element = this.f.temp(elem.clone());
            this.f.mark_assigned(Var::Local(element));
            let pair = Expr::new(
                ExprKind::Tuple(vec![this.local_expr(counter, iter.span), this.local_expr(element, target.span)]),
                Type::Tuple(vec![Type::Int, elem.clone()]),
                this.loc(target.span),
            );
            let mut stmts = Vec::new();
            this.assign_to(target, pair, &mut stmts);
            stmts.push(this.step_counter(counter, 1, iter.span));
            stmts.extend(body(this));
            Some(Stmt::ForList {
                target: Target::Local(element),
                iterable: sequence,
                body: stmts,
                orelse: Vec::new(),
                id: this.loop_id(),
            })
        });
    }

    /// `for a, b in zip(xs, ys)`: an index loop that stops at the shortest, re-reading lengths.
    pub(crate) fn zip_loop(
        &mut self,
        target: &syntax::Expr,
        iter: &syntax::Expr,
        args: &[&syntax::Expr],
        body: &mut dyn FnMut(&mut Self) -> Vec<Stmt>,
        orelse: &[syntax::Stmt],
        out: &mut Vec<Stmt>,
    ) {
        if args.is_empty() || args.len() > 8 {
            self.error(
                Code::WrongArgumentCount,
                iter.span,
                "zip() takes 1 to 8 sequences here",
                "here",
                "zip up to 8 lists",
            );
            return;
        }
        if args.iter().any(|arg| {
            self.is_generator_call(arg) || self.holds_generator(arg) || matches!(arg.kind, S::GeneratorExp { .. })
        }) {
            return self.zip_generators_loop(target, iter, args, body, orelse, out);
        }
        let mut lists = Vec::new();
        for arg in args {
            let Some((sequence, elem)) = self.sequence(arg) else { return };
            let (list, _) = self.hold(sequence, out);
            lists.push((list, elem));
        }
        let (index, _) = self.hold(self.int_expr(0, iter.span), out);
        let tests: Vec<Expr> = lists
            .iter()
            .map(|(list, _)| {
                let length = self.length_of(*list, iter.span);
                self.compare_ints(self.local_expr(index, iter.span), CmpOp::Lt, length, iter.span)
            })
            .collect();
        let cond =
            Expr::new(ExprKind::Logic { op: crate::ir::LogicOp::And, values: tests }, Type::Bool, self.loc(iter.span));
        self.lowered_loop(orelse, out, |this| {
            let items: Vec<Expr> = lists
                .iter()
                .map(|(list, elem)| {
                    let base = this.local_expr(*list, iter.span);
                    let at = this.local_expr(index, iter.span);
                    Expr::new(
                        ExprKind::Index { base: Box::new(base), index: Box::new(at) },
                        elem.clone(),
                        this.loc(iter.span),
                    )
                })
                .collect();
            let ty = Type::Tuple(lists.iter().map(|(_, elem)| elem.clone()).collect());
            let tuple = Expr::new(ExprKind::Tuple(items), ty, this.loc(target.span));
            let mut stmts = Vec::new();
            this.assign_to(target, tuple, &mut stmts);
            stmts.push(this.step_counter(index, 1, iter.span));
            stmts.extend(body(this));
            Some(Stmt::While { cond, body: stmts, orelse: Vec::new(), id: this.loop_id() })
        });
    }

    /// `for a, b in zip(g, xs)` with a generator among the arguments: a zipping generator that
    /// pulls from each argument in turn (a sequence through its iterator), as CPython's does.
    fn zip_generators_loop(
        &mut self,
        target: &syntax::Expr,
        iter: &syntax::Expr,
        args: &[&syntax::Expr],
        body: &mut dyn FnMut(&mut Self) -> Vec<Stmt>,
        orelse: &[syntax::Stmt],
        out: &mut Vec<Stmt>,
    ) {
        if args.len() > 8 {
            self.error(
                Code::WrongArgumentCount,
                iter.span,
                "zip() takes 1 to 8 iterables here",
                "here",
                "zip up to 8 iterables",
            );
            return;
        }
        let mut sources = Vec::new();
        for arg in args {
            let Some(source) = self.iterator_of(arg) else { return };
            sources.push(source);
        }
        if sources.len() == 2 {
            let zipped = self.builtin_call(Key::Op(Op::ZipGenerators), sources, iter.span);
            if let Type::Iterator(elem) = zipped.ty.clone() {
                self.generator_loop(target, zipped, *elem, body, orelse, out);
            }
            return;
        }
        // Otherwise a loop that resumes each iterator in turn and stops at the first exhausted
        // one (the values already taken from those before it are lost, as in CPython).
        let loc = self.loc(self.loop_span);
        let mut tests = Vec::new();
        let mut taken = Vec::new();
        for source in sources {
            let Type::Iterator(elem) = source.ty.clone() else { return };
            if let Type::Optional(_) = *elem {
                self.error(
                    Code::Unsupported,
                    iter.span,
                    format!(
                        "zip() of a generator with {} values and more than one other iterable is not supported",
                        elem
                    ),
                    "here",
                    "zip two iterables at a time",
                );
                return;
            }
            let (held, held_ty) = self.hold(source, out);
            let next = self.builtin_call(
                Key::Op(Op::GeneratorResume),
                vec![Expr::new(ExprKind::Local(held), held_ty, loc)],
                self.loop_span,
            );
            let slot = self.f.temp(next.ty.clone());
            self.f.mark_assigned(Var::Local(slot));
            let read = Expr::new(ExprKind::Local(slot), next.ty.clone(), loc);
            let present = Expr::new(ExprKind::IsNone { value: Box::new(read.clone()), negated: true }, Type::Bool, loc);
            tests.push(Expr::new(
                ExprKind::Block {
                    stmts: vec![Stmt::Assign { target: Target::Local(slot), value: next }],
                    value: Box::new(present),
                },
                Type::Bool,
                loc,
            ));
            taken.push(Expr::new(ExprKind::Unwrap(Box::new(read)), *elem, loc));
        }
        let cond = Expr::new(ExprKind::Logic { op: crate::ir::LogicOp::And, values: tests }, Type::Bool, loc);
        self.lowered_loop(orelse, out, |this| {
            let ty = Type::Tuple(taken.iter().map(|t| t.ty.clone()).collect());
            let tuple = Expr::new(ExprKind::Tuple(taken), ty, this.loc(target.span));
            let mut stmts = Vec::new();
            this.assign_to(target, tuple, &mut stmts);
            stmts.extend(body(this));
            Some(Stmt::While { cond, body: stmts, orelse: Vec::new(), id: this.loop_id() })
        });
    }

    /// `iter(e)`: a generator as it is, or an iterator over a sequence (a list, a tuple, a str, a
    /// range). Also what `zip` makes of its arguments when it zips a generator.
    pub(super) fn iterator_of(&mut self, e: &syntax::Expr) -> Option<Expr> {
        if self.is_generator_call(e) || self.holds_generator(e) || matches!(e.kind, S::GeneratorExp { .. }) {
            return Some(self.expr(e, None));
        }
        let probe = self.probe_type(e);
        if let Type::Dict(_, _) | Type::Set(_) | Type::File = probe {
            self.error(
                Code::Unsupported,
                e.span,
                format!("an iterator over a {probe} is not supported by pyrsc yet"),
                "here",
                "iterate over a list of its items: `list(...)`",
            );
            return None;
        }
        if probe == Type::Range {
            // A range's values one at a time, however many there are.
            let range = self.expr(e, None);
            return Some(self.builtin_call(Key::Function("iter"), vec![range], e.span));
        }
        let (sequence, _) = self.sequence(e)?;
        Some(self.builtin_call(Key::Function("iter"), vec![sequence], e.span))
    }

    /// `for x in reversed(xs)`: from the end, stopping if the list shrinks below the index (as
    /// CPython's reverse iterator does); `reversed(range(a, b))` is a counted loop downwards.
    pub(crate) fn reversed_loop(
        &mut self,
        target: &syntax::Expr,
        iter: &syntax::Expr,
        args: &[&syntax::Expr],
        body: &mut dyn FnMut(&mut Self) -> Vec<Stmt>,
        orelse: &[syntax::Stmt],
        out: &mut Vec<Stmt>,
    ) {
        if args.len() != 1 {
            self.error(
                Code::WrongArgumentCount,
                iter.span,
                format!("reversed() takes 1 argument, got {}", args.len()),
                "here",
                "write reversed(items)",
            );
            return;
        }
        if let Some((range_args, keywords)) = self.is_range_call(args[0]) {
            if !keywords.is_empty() || range_args.is_empty() || range_args.len() > 2 {
                self.error(
                    Code::Unsupported,
                    args[0].span,
                    "reversed() of a range with a step is not supported yet",
                    "here",
                    "write range(last, first - 1, -1)",
                );
                return;
            }
            let values: Vec<Expr> = range_args
                .iter()
                .map(|a| {
                    let value = self.expr(a, None);
                    if value.ty == Type::Bool {
                        self.to_int(value)
                    } else {
                        value
                    }
                })
                .collect();
            if values.iter().any(|v| !matches!(v.ty, Type::Int | Type::Unknown)) {
                self.error(
                    Code::TypeMismatch,
                    args[0].span,
                    "range() arguments must be ints",
                    "not ints",
                    "convert them with int(...)",
                );
                return;
            }
            let (low, high) = match values.len() {
                1 => (self.int_expr(0, iter.span), values[0].clone()),
                _ => (values[0].clone(), values[1].clone()),
            };
            // range(low, high) reversed is range(high - 1, low - 1, -1); hold the bounds in
            // evaluation order first.
            let (low_var, _) = self.hold(low, out);
            let (high_var, _) = self.hold(high, out);
            let one = self.int_expr(1, iter.span);
            let start = self.binary(BinOp::Sub, self.local_expr(high_var, iter.span), one.clone(), iter.span);
            let stop = self.binary(BinOp::Sub, self.local_expr(low_var, iter.span), one, iter.span);
            let Some(var) = self.range_loop_var(target) else { return };
            let step = self.int_expr(-1, iter.span);
            return self.lowered_loop(orelse, out, |this| {
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
        }
        let Some((sequence, elem)) = self.sequence(args[0]) else { return };
        let (list, _) = self.hold(sequence, out);
        let length = self.length_of(list, iter.span);
        let last = self.binary(BinOp::Sub, length, self.int_expr(1, iter.span), iter.span);
        let (index, _) = self.hold(last, out);
        let non_negative =
            self.compare_ints(self.local_expr(index, iter.span), CmpOp::GtE, self.int_expr(0, iter.span), iter.span);
        let length = self.length_of(list, iter.span);
        let in_range = self.compare_ints(self.local_expr(index, iter.span), CmpOp::Lt, length, iter.span);
        let cond = Expr::new(
            ExprKind::Logic { op: crate::ir::LogicOp::And, values: vec![non_negative, in_range] },
            Type::Bool,
            self.loc(iter.span),
        );
        self.lowered_loop(orelse, out, |this| {
            let base = this.local_expr(list, iter.span);
            let at = this.local_expr(index, iter.span);
            let item = Expr::new(
                ExprKind::Index { base: Box::new(base), index: Box::new(at) },
                elem.clone(),
                this.loc(target.span),
            );
            let mut stmts = Vec::new();
            this.assign_to(target, item, &mut stmts);
            stmts.push(this.step_counter(index, -1, iter.span));
            stmts.extend(body(this));
            Some(Stmt::While { cond, body: stmts, orelse: Vec::new(), id: this.loop_id() })
        });
    }
}
