//! Statements → Rust statements: assignments, `if`, loops with labelled `break`/`continue`
//! (and `else` clauses as labelled blocks), counted `range` loops, list iteration that re-reads
//! the length each step, `return` and `assert`.

use proc_macro2::TokenStream;
use pyrsc_frontend::ir::{ExprKind, GlobalStorage, Stmt, Target};
use pyrsc_frontend::types::Type;
use quote::quote;

use crate::names;
use crate::{FnGen, LoopLabels};

impl FnGen<'_> {
    pub(crate) fn block(&mut self, stmts: &[Stmt]) -> Vec<TokenStream> {
        stmts.iter().map(|s| self.stmt(s)).collect()
    }

    /// Stores an already-evaluated value (tokens) into a target.
    pub(crate) fn store(&mut self, target: &Target, value: TokenStream) -> TokenStream {
        match target {
            Target::Free(i) => {
                let cell = names::free(&self.function.free[*i].name);
                quote!(#cell.set(#value);)
            }
            Target::Local(id) => {
                let local = self.function.local(*id);
                let name = names::local(&local.name);
                if local.captured {
                    quote!(#name.set(#value);)
                } else if local.maybe_unbound {
                    quote!(#name = Some(#value);)
                } else {
                    quote!(#name = #value;)
                }
            }
            Target::Global(id) => {
                let global = &self.module.globals[id.0 as usize];
                match global.storage {
                    // The constant already holds the value.
                    GlobalStorage::Const(_) => quote!(let _ = #value;),
                    GlobalStorage::Static => {
                        let name = names::global(&global.name);
                        quote!(#name.set(#value);)
                    }
                    GlobalStorage::ModuleLocal => {
                        let name = names::local(&global.name);
                        if global.maybe_unbound {
                            quote!(#name = Some(#value);)
                        } else {
                            quote!(#name = #value;)
                        }
                    }
                }
            }
            Target::Index { base, index, loc } if self.loop_view(base).is_some() => {
                let view = self.loop_view(base);
                let temp = self.fresh("value");
                let index_tokens = self.expr(index);
                let at = self.at(*loc);
                quote!({ let #temp = #value; #view.set(#index_tokens, #temp) #at ?; })
            }
            Target::Index { base, index, loc } if matches!(base.ty, pyrsc_frontend::types::Type::Array(..)) => {
                let temp = self.fresh("value");
                let base_tokens = self.expr_ref(base);
                let index_tokens = self.array_index(index);
                let at = self.at(*loc);
                quote!({ let #temp = #value; runtime::Array::set(#base_tokens, #index_tokens, #temp) #at ?; })
            }
            Target::Index { base, index, loc } => {
                // CPython evaluates the value, then the container, then the index.
                let temp = self.fresh("value");
                let base_tokens = self.expr_ref(base);
                let index_tokens = self.expr(index);
                if matches!(base.ty, pyrsc_frontend::types::Type::Dict(_, _)) {
                    return quote!({ let #temp = #value; runtime::Dict::set(#base_tokens, #index_tokens, #temp); });
                }
                let at = self.at(*loc);
                quote!({ let #temp = #value; runtime::List::set(#base_tokens, #index_tokens, #temp) #at ?; })
            }
            Target::Field { base, slot, .. } => {
                // CPython evaluates the value, then the object.
                let temp = self.fresh("value");
                let field = crate::classes::slot_field(*slot);
                let object = self.expr_ref(base);
                quote!({ let #temp = #value; (#object).0.#field.set(#temp); })
            }
            Target::Slice { base, lower, upper, step, loc } => {
                // CPython evaluates the values, then the list, then the bounds.
                let temp = self.fresh("values");
                let base_tokens = self.expr_ref(base);
                let parts = self.optional_parts([lower.as_deref(), upper.as_deref(), step.as_deref()]);
                let at = self.at(*loc);
                quote!({ let #temp = #value; runtime::List::set_slice(#base_tokens, #(#parts,)* &#temp) #at ?; })
            }
            Target::Tuple(items) => {
                let temp = self.fresh("tuple");
                let stores: Vec<TokenStream> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let index = syn::Index::from(i);
                        self.store(item, quote!(#temp.#index))
                    })
                    .collect();
                quote!({ let #temp = #value; #(#stores)* })
            }
        }
    }

    fn stmt(&mut self, stmt: &Stmt) -> TokenStream {
        if self.par.is_some() {
            if let Some(tokens) = self.par_stmt(stmt) {
                return tokens;
            }
        }
        match stmt {
            Stmt::ParFor(par) => self.par_loop(par),
            // `$t = xs` for `xs[i] += 1` where `xs` is read through a loop view: not needed.
            Stmt::Assign { target: Target::Local(temp), .. } if self.is_view_alias(*temp) => quote!(),
            Stmt::Assign { target, value } => {
                if let Target::Global(id) = target {
                    if matches!(self.module.globals[id.0 as usize].storage, GlobalStorage::Const(_)) {
                        return quote!();
                    }
                }
                let value = self.expr(value);
                self.store(target, value)
            }
            Stmt::Expr(e) => {
                let value = self.expr(e);
                if e.ty == Type::None {
                    quote!(#value;)
                } else {
                    quote!(let _ = #value;)
                }
            }
            Stmt::If { cond, then_body, else_body } => {
                let cond = self.expr(cond);
                let then_body = self.block(then_body);
                if else_body.is_empty() {
                    quote!(if #cond { #(#then_body)* })
                } else {
                    let else_body = self.block(else_body);
                    quote!(if #cond { #(#then_body)* } else { #(#else_body)* })
                }
            }
            Stmt::While { cond, body, orelse, id } => self.with_views(*id, |this| this.while_loop(cond, body, orelse)),
            Stmt::ForRange { var, start, stop, step, body, orelse, id } => {
                self.with_views(*id, |this| this.range_loop(var, start, stop, step, body, orelse))
            }
            Stmt::ForList { target, iterable, body, orelse, id } => {
                self.with_views(*id, |this| this.list_loop(target, iterable, body, orelse))
            }
            Stmt::ForPieces { target, text, sep, body, orelse, loc } => {
                let text = self.expr(text);
                let (held, pieces, item) = (self.fresh("text"), self.fresh("pieces"), self.fresh("item"));
                let start = match sep {
                    None => quote!(runtime::pieces::Pieces::whitespace(&#held)),
                    Some(sep) => {
                        let sep = self.expr(sep);
                        let at = self.at(*loc);
                        quote!(runtime::pieces::Pieces::separator(&#held, #sep) #at ?)
                    }
                };
                let assign = self.store(target, quote!(#item));
                let looped = self.with_loop(!orelse.is_empty(), orelse, |this, label| {
                    let body = this.block(body);
                    quote!(#label: while let Some(#item) = #pieces.next() { #assign #(#body)* })
                });
                quote!({ let #held = #text; let mut #pieces = #start; #looped })
            }
            Stmt::Break | Stmt::Continue if self.loops.is_empty() => quote!(),
            Stmt::Break => self.jump_tokens(crate::exceptions::Jump::Break, self.loops.len() - 1),
            Stmt::Continue => self.jump_tokens(crate::exceptions::Jump::Continue, self.loops.len() - 1),
            Stmt::Yield { value, .. } => self.yield_stmt(value),
            Stmt::YieldFrom { call, .. } => self.yield_from_stmt(call),
            Stmt::ForGen { target, call, body, orelse, loc } => self.for_generator(target, call, body, orelse, *loc),
            // A dispatcher of a generator method hands its sink on.
            Stmt::Return(Some(v))
                if self.is_generator() && matches!(v.ty, pyrsc_frontend::types::Type::Iterator(_)) =>
            {
                let forward = self.yield_from_stmt(v);
                quote!({ #forward return Ok(None); })
            }
            Stmt::Return(value) => {
                let value = match value {
                    Some(v) => self.expr(v),
                    None => quote!(()),
                };
                self.return_tokens(value)
            }
            Stmt::Try(t) => self.try_stmt(t),
            Stmt::Raise { value, cause, loc } => self.raise_stmt(value.as_ref(), cause, *loc),
            Stmt::Def { local, function, captures } => {
                let closure = self.closure(function, captures);
                self.store(&Target::Local(*local), closure)
            }
            Stmt::DeleteSlice { base, lower, upper, step, loc } => {
                let base = self.expr_ref(base);
                let parts = self.optional_parts([lower.as_ref(), upper.as_ref(), step.as_ref()]);
                let at = self.at(*loc);
                quote!(runtime::List::delete_slice(#base, #(#parts),*) #at ?;)
            }
            Stmt::Assert { test, msg, loc } => {
                let test = self.expr(test);
                let frame = self.frame(*loc);
                let message = match msg {
                    Some(msg) => {
                        let msg = self.expr_ref(msg);
                        quote!(Some(runtime::repr::to_str(#msg)))
                    }
                    None => quote!(None),
                };
                quote!(if !#test { return Err(runtime::exc::assertion_error(#message)).at(#frame); })
            }
        }
    }

    /// `Some(x)` / `None` for each optional slice bound.
    pub(crate) fn optional_parts(&mut self, parts: [Option<&pyrsc_frontend::ir::Expr>; 3]) -> Vec<TokenStream> {
        parts
            .into_iter()
            .map(|part| match part {
                Some(value) => {
                    let value = self.expr(value);
                    quote!(Some(#value))
                }
                None => quote!(None),
            })
            .collect()
    }

    /// Emits a loop with a fresh label; a loop with an `else` clause is wrapped in a labelled
    /// block that `break` leaves, so the `else` body runs only when the loop ends normally.
    fn while_loop(&mut self, cond: &pyrsc_frontend::ir::Expr, body: &[Stmt], orelse: &[Stmt]) -> TokenStream {
        let infinite = matches!(cond.kind, ExprKind::Bool(true));
        let cond = self.expr(cond);
        self.with_loop(!orelse.is_empty() && !infinite, orelse, |this, label| {
            let body = this.block(body);
            if infinite {
                quote!(#label: loop { #(#body)* })
            } else {
                quote!(#label: while #cond { #(#body)* })
            }
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn range_loop(
        &mut self,
        var: &Target,
        start: &pyrsc_frontend::ir::Expr,
        stop: &pyrsc_frontend::ir::Expr,
        step: &pyrsc_frontend::ir::Expr,
        body: &[Stmt],
        orelse: &[Stmt],
    ) -> TokenStream {
        let start = self.expr(start);
        let stop = self.expr(stop);
        let step_literal = match &step.kind {
            ExprKind::Int(k) => crate::expr::int_literal(*k),
            _ => quote!(),
        };
        let counter = self.fresh("i");
        let (start, stop) = (unbraced(start), unbraced(stop));
        let iterator = match &step.kind {
            ExprKind::Int(1) => quote!(#start..#stop),
            ExprKind::Int(k) if *k > 1 => {
                let k = *k as usize;
                quote!((#start..#stop).step_by(#k))
            }
            // A negative literal step cannot be zero: the loop cannot raise (as the facts say).
            ExprKind::Int(k) if *k < 0 => quote!(runtime::range::Range::nonzero(#start, #stop, #step_literal)),
            _ => {
                let step_tokens = self.expr(step);
                let frame = self.frame(step.loc);
                quote!(runtime::range::Range::new(#start, #stop, #step_tokens).at(#frame)?)
            }
        };
        let assign = self.store(var, quote!(#counter));
        self.with_loop(!orelse.is_empty(), orelse, |this, label| {
            let body = this.block(body);
            quote!(#label: for #counter in #iterator { #assign #(#body)* })
        })
    }

    fn list_loop(
        &mut self,
        target: &Target,
        iterable: &pyrsc_frontend::ir::Expr,
        body: &[Stmt],
        orelse: &[Stmt],
    ) -> TokenStream {
        let iterable = self.expr(iterable);
        let (list, position, item) = (self.fresh("list"), self.fresh("pos"), self.fresh("item"));
        let assign = self.store(target, quote!(#item));
        let looped = self.with_loop(!orelse.is_empty(), orelse, |this, label| {
            let body = this.block(body);
            quote!(#label: while let Some(#item) = #list.iter_get(#position) { #position += 1; #assign #(#body)* })
        });
        quote!({ let #list = #iterable; let mut #position = 0usize; #looped })
    }

    fn with_loop(
        &mut self,
        has_else: bool,
        orelse: &[Stmt],
        body: impl FnOnce(&mut Self, syn::Lifetime) -> TokenStream,
    ) -> TokenStream {
        self.next_label += 1;
        let id = self.next_label;
        self.loops.push(LoopLabels { id, has_else });
        let looped = body(self, names::loop_label(id));
        self.loops.pop();
        if has_else {
            let block = names::block_label(id);
            let orelse = self.block(orelse);
            quote!(#block: { #looped #(#orelse)* })
        } else {
            looped
        }
    }
}

/// `value` in parentheses when it starts with a block (`{ ... }.at(..)?`): in a `for` head, a
/// `{` after `..` would be read as the loop's body.
fn unbraced(value: TokenStream) -> TokenStream {
    match value.clone().into_iter().next() {
        Some(proc_macro2::TokenTree::Group(group)) if group.delimiter() == proc_macro2::Delimiter::Brace => {
            quote!((#value))
        }
        _ => value,
    }
}
