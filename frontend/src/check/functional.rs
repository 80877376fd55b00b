//! Functions applied element by element (and the keyword forms that take them): `sorted(xs, key=f)`, `xs.sort(key=f, reverse=...)`,
//! `min`/`max(xs, key=f)`, `map(f, xs)` and `filter(f, xs)`, where `f` is a lambda, a function
//! defined with `def`, a builtin (`len`, `abs`, `str`...) or an unbound method (`str.lower`).
//!
//! pyrsc has no first-class function values yet; instead the application is inlined: the
//! function becomes the element expression of a comprehension over the items (a lambda's
//! parameters are the comprehension's targets), so its body reads enclosing variables at the
//! moment it runs, exactly as CPython's closure does.

use super::Checker;
use crate::builtins::{Key, Op, Receiver};
use crate::diagnostic::Code;
use crate::ir::{Expr, ExprKind, Stmt, Target};
use crate::span::Span;
use crate::syntax::{self, Comprehension, ExprKind as S, Keyword};
use crate::types::Type;

fn name(text: &str, span: Span) -> syntax::Expr {
    syntax::Expr { kind: S::Name(text.to_owned()), span }
}

impl Checker<'_> {
    /// `func` applied to the items of `iters` (one per parameter, zipped), as a comprehension
    /// clause and the element expression: `(target, iter, elt)`.
    pub fn application(
        &mut self,
        func: &syntax::Expr,
        iters: Vec<syntax::Expr>,
        span: Span,
    ) -> Option<(Comprehension, syntax::Expr)> {
        let iter = if iters.len() == 1 {
            iters[0].clone()
        } else {
            syntax::Expr {
                kind: S::Call { func: Box::new(name("zip", span)), args: iters.clone(), keywords: Vec::new() },
                span,
            }
        };
        let (target, elt) = match &func.kind {
            S::Lambda { params, body } => {
                if params.len() != iters.len() {
                    self.error(
                        Code::WrongArgumentCount,
                        func.span,
                        format!(
                            "this lambda takes {} parameter(s) but is applied to {} value(s)",
                            params.len(),
                            iters.len()
                        ),
                        "parameter count",
                        format!("give it {} parameter(s)", iters.len()),
                    );
                    return None;
                }
                let names: Vec<syntax::Expr> = params.iter().map(|p| name(p, func.span)).collect();
                let target = if names.len() == 1 {
                    names[0].clone()
                } else {
                    syntax::Expr { kind: S::Tuple(names), span: func.span }
                };
                (target, body.as_ref().clone())
            }
            S::Attribute { value, attr } if matches!(&value.kind, S::Name(n) if n == "str" && !self.f.by_name.contains_key("str")) =>
            {
                // `str.lower` applied to x is `x.lower()`.
                let item = name("$arg0", span);
                let call = S::Call {
                    func: Box::new(syntax::Expr {
                        kind: S::Attribute { value: Box::new(item.clone()), attr: attr.clone() },
                        span: func.span,
                    }),
                    args: Vec::new(),
                    keywords: Vec::new(),
                };
                (item, syntax::Expr { kind: call, span: func.span })
            }
            S::Name(_) | S::Attribute { .. } => {
                let items: Vec<syntax::Expr> = (0..iters.len()).map(|i| name(&format!("$arg{i}"), span)).collect();
                let target = if items.len() == 1 {
                    items[0].clone()
                } else {
                    syntax::Expr { kind: S::Tuple(items.clone()), span }
                };
                let call = S::Call { func: Box::new(func.clone()), args: items, keywords: Vec::new() };
                (target, syntax::Expr { kind: call, span: func.span })
            }
            _ => {
                self.error(
                    Code::Unsupported,
                    func.span,
                    "this function value is not supported here",
                    "not a function",
                    "pass a lambda, the name of a function, or a method such as `str.lower`",
                );
                return None;
            }
        };
        Some((Comprehension { target, iter, ifs: Vec::new() }, elt))
    }

    /// Holds `value` in a hidden local reachable from synthesised syntax by `alias`.
    fn alias(&mut self, alias: &str, value: Expr, stmts: &mut Vec<Stmt>) -> crate::ir::LocalId {
        let temp = self.f.temp(value.ty.clone());
        stmts.push(Stmt::Assign { target: Target::Local(temp), value });
        self.f.mark_assigned(super::Var::Local(temp));
        self.f.by_name.insert(alias.to_owned(), temp);
        temp
    }

    /// The keys `[key(x) for x in $items]`.
    fn keys_for(&mut self, key: &syntax::Expr, span: Span) -> Option<Expr> {
        let (generator, elt) = self.application(key, vec![name("$items", span)], span)?;
        let keys = self.list_comprehension(&elt, &[generator], span);
        if let Type::List(k) = &keys.ty {
            if !crate::builtins::orderable(k) && !k.has_unknown() {
                self.error(
                    Code::TypeMismatch,
                    key.span,
                    format!("sort keys must be comparable with `<`, and {k} is not"),
                    "key type",
                    "return a number, a str, or a tuple of those from the key function",
                );
                return None;
            }
        }
        Some(keys)
    }

    /// `sorted(xs, key=f, reverse=b)`, `min(xs, key=f)`, `max(xs, key=f)`, `xs.sort(key=f, ...)`.
    /// `op` is the runtime operation taking `(items, keys, extra...)`; `extra` (`reverse`) is
    /// evaluated before the key function runs, as CPython evaluates every argument first.
    pub fn by_key(&mut self, op: Op, items: Expr, key: &syntax::Expr, extra: Vec<Expr>, span: Span) -> Expr {
        let loc = self.loc(span);
        if items.ty.has_unknown() {
            return self.poisoned(span);
        }
        let Type::List(_) = items.ty else {
            self.error(
                Code::TypeMismatch,
                span,
                format!("cannot sort or search {} by key", items.ty),
                "not a list",
                "pass a list",
            );
            return self.poisoned(span);
        };
        let mut stmts = Vec::new();
        let saved = self.f.by_name.get("$items").copied();
        let held = self.alias("$items", items, &mut stmts);
        let mut extra_values = Vec::new();
        for value in extra {
            let (held_value, read) = self.evaluated_once(value);
            stmts.extend(held_value);
            extra_values.push(read);
        }
        let keys = self.keys_for(key, span);
        match saved {
            Some(id) => self.f.by_name.insert("$items".to_owned(), id),
            None => self.f.by_name.remove("$items"),
        };
        let Some(keys) = keys else { return self.poisoned(span) };
        let held_expr = Expr::new(ExprKind::Local(held), self.f.locals[held.0 as usize].ty.clone(), loc);
        let mut args = vec![held_expr, keys];
        args.extend(extra_values);
        let result = self.builtin_call(Key::Op(op), args, span);
        let ty = result.ty.clone();
        Expr::new(ExprKind::Block { stmts, value: Box::new(result) }, ty, loc)
    }

    /// `map(f, xs, ...)` / `filter(f, xs)` consumed at once: a list comprehension.
    pub fn map_filter(&mut self, is_map: bool, args: &[syntax::Expr], span: Span) -> Expr {
        if args.len() < 2 || (!is_map && args.len() != 2) {
            let text = if is_map {
                "map() takes a function and at least one iterable"
            } else {
                "filter() takes a function and one iterable"
            };
            self.error(Code::WrongArgumentCount, span, text, "arguments", "write map(f, xs) or filter(f, xs)");
            return self.poisoned(span);
        }
        if !is_map && matches!(args[0].kind, S::None) {
            // filter(None, xs): the truthy items.
            let item = name("$arg0", span);
            let generator = Comprehension { target: item.clone(), iter: args[1].clone(), ifs: vec![item.clone()] };
            return self.list_comprehension(&item, &[generator], span);
        }
        let Some((mut generator, elt)) = self.application(&args[0], args[1..].to_vec(), span) else {
            return self.poisoned(span);
        };
        if is_map {
            self.list_comprehension(&elt, &[generator], span)
        } else {
            let item = generator.target.clone();
            generator.ifs.push(elt);
            self.list_comprehension(&item, &[generator], span)
        }
    }

    /// `map(...)` / `filter(...)` as syntax, for the consumers that accept them.
    pub fn is_map_filter<'e>(&self, e: &'e syntax::Expr) -> Option<(bool, &'e [syntax::Expr])> {
        let S::Call { func, args, keywords } = &e.kind else { return None };
        let S::Name(n) = &func.kind else { return None };
        if !keywords.is_empty() || self.f.by_name.contains_key(n) || self.scope.names.contains_key(n) {
            return None;
        }
        match n.as_str() {
            "map" => Some((true, args)),
            "filter" => Some((false, args)),
            _ => None,
        }
    }
    /// `xs.sort(key=f, reverse=b)` (without a key function, `xs.sort(...)` is a table call).
    pub(super) fn sort_with_keywords(
        &mut self,
        list: Expr,
        args: &[syntax::Expr],
        keywords: &[Keyword],
        span: Span,
    ) -> Expr {
        if !args.is_empty() {
            self.error(
                Code::WrongArgumentCount,
                span,
                "list.sort() takes no positional arguments",
                "here",
                "pass `key=` and `reverse=` by name",
            );
            return self.poisoned(span);
        }
        let (key, rest) = split_key(keywords);
        let Some(key) = key else {
            return self.table_call(Key::Method(Receiver::List, "sort"), Some(list), &[], &rest, span);
        };
        let Some(reverse) = self.reverse_keyword(&rest, "list.sort", span) else { return self.poisoned(span) };
        self.by_key(Op::SortByKeys, list, key, vec![reverse], span)
    }

    /// The `reverse=` value among `keywords` (the only other keyword a keyed sort takes), or
    /// `False`; `None` after reporting another keyword.
    fn reverse_keyword(&mut self, keywords: &[Keyword], name: &str, span: Span) -> Option<Expr> {
        let mut reverse = None;
        for keyword in keywords {
            if keyword.name == "reverse" {
                reverse = Some(self.expr(&keyword.value, Some(&Type::Bool)));
            } else {
                self.error(
                    Code::Unsupported,
                    keyword.span,
                    format!("`{}=` is not supported for {name}() here", keyword.name),
                    "not supported",
                    "use `key=` and `reverse=`",
                );
                return None;
            }
        }
        Some(reverse.unwrap_or_else(|| Expr::new(ExprKind::Bool(false), Type::Bool, self.loc(span))))
    }

    /// `sorted(xs, key=f, ...)`, `min(xs, key=f, ...)`, `max(xs, key=f, ...)`: the key function
    /// is inlined as a comprehension computing the keys. Without a key, a table call.
    pub(super) fn keyed(&mut self, name: &'static str, items: &syntax::Expr, keywords: &[Keyword], span: Span) -> Expr {
        let (key, rest) = split_key(keywords);
        let Some(key) = key else {
            return self.table_call(Key::Function(name), None, std::slice::from_ref(items), &rest, span);
        };
        let list = self.consumed_arg(items, None);
        if name == "sorted" {
            let Some(reverse) = self.reverse_keyword(&rest, name, span) else { return self.poisoned(span) };
            return self.by_key(Op::SortedByKeys, list, key, vec![reverse], span);
        }
        let by_keys = if name == "min" { Op::MinByKeys } else { Op::MaxByKeys };
        let mut default = None;
        for keyword in &rest {
            if keyword.name == "default" {
                default = Some(&keyword.value);
            } else {
                self.error(
                    Code::Unsupported,
                    keyword.span,
                    format!("`{}=` is not supported for {name}() here", keyword.name),
                    "not supported",
                    "use `key=` and `default=`",
                );
                return self.poisoned(span);
            }
        }
        let Some(default) = default else { return self.by_key(by_keys, list, key, Vec::new(), span) };
        let elem = match &list.ty {
            Type::List(elem) => Some(elem.as_ref().clone()),
            _ => None,
        };
        let value = self.expr(default, elem.as_ref());
        let value = match &elem {
            Some(elem) => self.fit_element(value, elem, default.span, "list"),
            None => value,
        };
        // The items and the default are evaluated first; the key runs only if there are items.
        let loc = self.loc(span);
        let mut stmts = Vec::new();
        let items = self.f.temp(list.ty.clone());
        stmts.push(crate::ir::Stmt::Assign { target: crate::ir::Target::Local(items), value: list.clone() });
        self.f.mark_assigned(super::Var::Local(items));
        let fallback = self.f.temp(value.ty.clone());
        let ty = value.ty.clone();
        stmts.push(crate::ir::Stmt::Assign { target: crate::ir::Target::Local(fallback), value });
        self.f.mark_assigned(super::Var::Local(fallback));
        let read_items = Expr::new(ExprKind::Local(items), list.ty.clone(), loc);
        let length = self.builtin_call(Key::Function("len"), vec![read_items.clone()], span);
        let empty = Expr::new(
            ExprKind::Compare {
                operands: vec![length, Expr::new(ExprKind::Int(0), Type::Int, loc)],
                ops: vec![crate::syntax::CmpOp::Eq],
            },
            Type::Bool,
            loc,
        );
        let chosen = self.by_key(by_keys, read_items, key, Vec::new(), span);
        if chosen.ty != ty {
            return self.poisoned(span);
        }
        let pick = Expr::new(
            ExprKind::IfExp {
                cond: Box::new(empty),
                then: Box::new(Expr::new(ExprKind::Local(fallback), ty.clone(), loc)),
                orelse: Box::new(chosen),
            },
            ty.clone(),
            loc,
        );
        Expr::new(ExprKind::Block { stmts, value: Box::new(pick) }, ty, loc)
    }
}

/// The `key=` function among `keywords` (`key=None` is no key), and the other keywords.
fn split_key(keywords: &[Keyword]) -> (Option<&syntax::Expr>, Vec<Keyword>) {
    let key = keywords.iter().find(|k| k.name == "key").map(|k| &k.value).filter(|v| !matches!(v.kind, S::None));
    (key, keywords.iter().filter(|k| k.name != "key").cloned().collect())
}
