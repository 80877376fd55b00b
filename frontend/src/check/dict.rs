//! `dict[K, V]`: displays and comprehensions, `d[k]` reads and writes, `del` (of dict entries,
//! list elements and list slices), `in`, methods,
//! and the views `keys()` / `values()` / `items()`, which are accepted where they are iterated or
//! consumed at once (a view printed or stored would differ from CPython's view objects).

use super::Checker;
use crate::builtins::{Key, Op};
use crate::diagnostic::Code;
use crate::ir::{Expr, ExprKind, Stmt};
use crate::span::Span;
use crate::syntax::{self, Comprehension, ExprKind as S};
use crate::types::Type;

/// Which view of a dict a loop or a consumer reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DictView {
    Keys,
    Values,
    Items,
}

impl DictView {
    pub fn snapshot_row(self) -> Key {
        match self {
            DictView::Keys => Key::Op(Op::DictKeys),
            DictView::Values => Key::Op(Op::DictValues),
            DictView::Items => Key::Op(Op::DictItems),
        }
    }

    pub fn at_row(self) -> Key {
        match self {
            DictView::Keys => Key::Op(Op::DictKeyAt),
            DictView::Values => Key::Op(Op::DictValueAt),
            DictView::Items => Key::Op(Op::DictItemAt),
        }
    }
}

impl Checker<'_> {
    /// A key of type `key` (hashable) for a dict display or annotation, reported otherwise.
    fn check_key_type(&mut self, key: &Type, span: Span) -> bool {
        if key.is_hashable_key() {
            return true;
        }
        self.error(
            Code::Unsupported,
            span,
            format!("{key} keys are not supported by pyrsc"),
            "unsupported key type",
            "use int, str, bool or tuples of them as dict keys",
        );
        false
    }

    pub fn dict_display(
        &mut self,
        keys: &[syntax::Expr],
        values: &[syntax::Expr],
        span: Span,
        expected: Option<&Type>,
    ) -> Expr {
        let loc = self.loc(span);
        let (mut key_ty, mut value_ty) = match expected {
            Some(Type::Dict(k, v)) if !k.has_unknown() && !v.has_unknown() => {
                (Some(k.as_ref().clone()), Some(v.as_ref().clone()))
            }
            _ => (None, None),
        };
        let mut pairs = Vec::new();
        for (key, value) in keys.iter().zip(values) {
            let k = self.expr(key, key_ty.as_ref());
            let v = self.expr(value, value_ty.as_ref());
            let Some(k) = self.display_item(k, &mut key_ty, key.span, "dict", Self::check_key_type) else {
                return self.poisoned(span);
            };
            pairs.extend(self.display_item(v, &mut value_ty, value.span, "dict", |_, _, _| true).map(|v| (k, v)));
        }
        match (key_ty, value_ty) {
            (Some(k), Some(v)) => Expr::new(ExprKind::Dict(pairs), Type::dict(k, v), loc),
            _ => {
                self.pending_empty.push((span, "dict"));
                Expr::new(ExprKind::Dict(pairs), Type::dict(Type::Unknown, Type::Unknown), loc)
            }
        }
    }

    /// `{k: v for ...}`: loops that set entries of a hidden dict.
    pub fn dict_comprehension(
        &mut self,
        key: &syntax::Expr,
        value: &syntax::Expr,
        generators: &[Comprehension],
        span: Span,
    ) -> Expr {
        let loc = self.loc(span);
        let result = self.f.temp(Type::Unknown);
        let mut types = (Type::Unknown, Type::Unknown);
        let mut loops = Vec::new();
        self.in_comprehension_scope(generators, |this| {
            this.comprehension_loops(
                generators,
                0,
                &mut |this: &mut Self| {
                    let k = this.expr(key, None);
                    let v = this.expr(value, None);
                    if !this.check_key_type(&k.ty, key.span) {
                        return Vec::new();
                    }
                    types = (k.ty.clone(), v.ty.clone());
                    let dict = Expr::new(ExprKind::Local(result), Type::dict(k.ty.clone(), v.ty.clone()), loc);
                    let key_loc = k.loc;
                    vec![Stmt::Assign {
                        target: crate::ir::Target::Index { base: Box::new(dict), index: Box::new(k), loc: key_loc },
                        value: v,
                    }]
                },
                &mut loops,
            );
        });
        let dict_ty = Type::dict(types.0, types.1);
        self.f.locals[result.0 as usize].ty = dict_ty.clone();
        self.f.mark_assigned(super::Var::Local(result));
        let mut stmts = vec![Stmt::Assign {
            target: crate::ir::Target::Local(result),
            value: Expr::new(ExprKind::Dict(Vec::new()), dict_ty.clone(), loc),
        }];
        stmts.extend(loops);
        Expr::new(
            ExprKind::Block { stmts, value: Box::new(Expr::new(ExprKind::Local(result), dict_ty.clone(), loc)) },
            dict_ty,
            loc,
        )
    }

    /// A key used to look up an entry: a bool finds the int key it equals, as in CPython.
    pub fn lookup_key(&mut self, key: &syntax::Expr, key_ty: &Type) -> Expr {
        let value = self.expr(key, Some(key_ty));
        if value.ty == Type::Bool && *key_ty == Type::Int {
            return self.to_int(value);
        }
        if value.ty == *key_ty || value.ty.has_unknown() {
            return value;
        }
        self.error(
            Code::TypeMismatch,
            key.span,
            format!("this dict has {key_ty} keys, not {}", value.ty),
            format!("this is {}", value.ty),
            format!("look up a {key_ty} key"),
        );
        self.poisoned(key.span)
    }

    /// `X.keys()` / `X.values()` / `X.items()` on a dict, as syntax.
    pub fn dict_view_call<'e>(&self, e: &'e syntax::Expr) -> Option<(&'e syntax::Expr, DictView)> {
        let S::Call { func, args, keywords } = &e.kind else { return None };
        let S::Attribute { value, attr } = &func.kind else { return None };
        if !args.is_empty() || !keywords.is_empty() {
            return None;
        }
        let view = match attr.as_str() {
            "keys" => DictView::Keys,
            "values" => DictView::Values,
            "items" => DictView::Items,
            _ => return None,
        };
        Some((value, view))
    }

    /// A view (or a dict, meaning its keys) consumed at once: a list snapshot of it.
    pub fn dict_snapshot(&mut self, dict: Expr, view: DictView, span: Span) -> Expr {
        self.builtin_call(view.snapshot_row(), vec![dict], span)
    }

    /// A view where it is neither iterated nor consumed.
    pub fn view_not_consumed(&mut self, span: Span) -> Expr {
        self.error(
            Code::Unsupported,
            span,
            "dict views are supported only in `for` loops and as the argument of list(), sorted(), sum(), min(), max(), any(), all() or str.join()",
            "a view here",
            "write `list(d.keys())` (or `.values()`, `.items()`) to get a list",
        );
        self.poisoned(span)
    }

    /// `del d[k]`, `del xs[i]`.
    pub fn delete(&mut self, targets: &[syntax::Expr], out: &mut Vec<Stmt>) {
        for target in targets {
            let S::Subscript { value, index } = &target.kind else {
                self.error(
                    Code::Unsupported,
                    target.span,
                    "only `del d[key]` and `del xs[i]` are supported",
                    "here",
                    "delete dict entries or list elements",
                );
                continue;
            };
            let base = self.expr(value, None);
            let stmt = match base.ty.clone() {
                Type::Dict(key_ty, _) => {
                    let key = self.lookup_key(index, &key_ty);
                    self.builtin_call(Key::Op(Op::DictDelete), vec![base, key], target.span)
                }
                Type::List(_) => {
                    if let S::Slice { lower, upper, step } = &index.kind {
                        let [lower, upper, step] =
                            [lower, upper, step].map(|part| part.as_ref().map(|e| self.index_value(e)));
                        let mut loc = self.loc(target.span);
                        loc.anchor = self.subscript_anchor(target.span, value.span, index.span);
                        out.push(Stmt::DeleteSlice { base, lower, upper, step, loc });
                        continue;
                    }
                    let position = self.index_value(index);
                    self.builtin_call(Key::Op(Op::ListDelete), vec![base, position], target.span)
                }
                Type::Unknown => continue,
                other => {
                    self.error(
                        Code::Unsupported,
                        target.span,
                        format!("`del` on {other} is not supported"),
                        "here",
                        "delete dict entries or list elements",
                    );
                    continue;
                }
            };
            out.push(Stmt::Expr(stmt));
        }
    }
}
