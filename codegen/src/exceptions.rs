//! `try` statements and `raise`.
//!
//! A `try` body runs as a closure returning `PyResult<runtime::Flow<R>>` (`R` the function's
//! result type): an exception is its `Err`, and a `return`, `break` or `continue` that leaves the
//! closure is a `Flow` value, dispatched after the statement to the real `return`/`break`/
//! `continue` (or passed on, when the statement is itself inside another `try`). Handlers,
//! `else` and `finally` run as closures of the same type; an exception leaving a handler (or a
//! `finally` that runs during one) gets the handled exception as its context, as in CPython.

use proc_macro2::{Ident, Span, TokenStream};
use pyrsc_frontend::ir::{Expr, RaiseCause, Stmt, TryStmt};
use quote::quote;

use crate::types::rust_type;
use crate::{names, FnGen, LoopLabels};

/// Where a `break` / `continue` goes.
#[derive(Clone, Copy)]
pub(crate) enum Jump {
    Break,
    Continue,
}

impl FnGen<'_> {
    /// `PyResult<Flow<R>>` for this function.
    fn flow_type(&self) -> TokenStream {
        let ret = if self.is_module { quote!(()) } else { rust_type(&self.function.ret) };
        quote!(runtime::PyResult<runtime::Flow<#ret>>)
    }

    /// A block as a closure that reports how it ended.
    fn flow_closure(&mut self, body: &[Stmt]) -> TokenStream {
        let flow = self.flow_type();
        self.try_bounds.push(self.loops.len());
        let body = self.block(body);
        self.try_bounds.pop();
        quote!((|| -> #flow { #(#body)* Ok(runtime::Flow::Normal) })())
    }

    /// `return value` from where the code is (inside a `try` closure: a `Flow::Return`).
    pub(crate) fn return_tokens(&self, value: TokenStream) -> TokenStream {
        if !self.try_bounds.is_empty() {
            quote!(return Ok(runtime::Flow::Return(#value));)
        } else if self.is_generator() {
            // A generator's `return` ends it.
            quote!(return Ok(None);)
        } else if self.can_raise() {
            quote!(return Ok(#value);)
        } else {
            quote!(return #value;)
        }
    }

    /// `break` / `continue` of the loop at `index` in `self.loops`.
    pub(crate) fn jump_tokens(&self, jump: Jump, index: usize) -> TokenStream {
        let labels: LoopLabels = self.loops[index];
        let id = labels.id as u32;
        if self.try_bounds.last().is_some_and(|bound| index < *bound) {
            return match jump {
                Jump::Break => quote!(return Ok(runtime::Flow::Break(#id));),
                Jump::Continue => quote!(return Ok(runtime::Flow::Continue(#id));),
            };
        }
        match jump {
            Jump::Break if labels.has_else => {
                let label = names::block_label(labels.id);
                quote!(break #label;)
            }
            Jump::Break => {
                let label = names::loop_label(labels.id);
                quote!(break #label;)
            }
            Jump::Continue => {
                let label = names::loop_label(labels.id);
                quote!(continue #label;)
            }
        }
    }

    /// Acts on how a `try` part ended: carries a `return`/`break`/`continue` on, or raises.
    /// In a prange body only its own loops can be left (and `continue` of the prange loop ends
    /// the iteration); a `return` cannot occur there.
    pub(crate) fn dispatch(&mut self, outcome: &Ident) -> TokenStream {
        let value = Ident::new("__value", Span::call_site());
        let (first_loop, ret, next_iteration) = match &self.par {
            Some(par) => {
                let next = self.next_iteration();
                (par.depth, quote!(let _ = #value;), quote!(Ok(runtime::Flow::Continue(u32::MAX)) => { #next }))
            }
            // No `return` leaves a comprehension's frame (its flows stay inside).
            None if self.in_frame > 0 => (0, quote!(let _ = #value;), quote!()),
            None => (0, self.return_tokens(quote!(#value)), quote!()),
        };
        let arms = |this: &Self, jump: Jump| -> TokenStream {
            let arms: Vec<TokenStream> = (first_loop..this.loops.len())
                .map(|index| {
                    let id = this.loops[index].id as u32;
                    let go = this.jump_tokens(jump, index);
                    quote!(#id => { #go })
                })
                .collect();
            quote!(match __label { #(#arms)* _ => {} })
        };
        let (breaks, continues) = (arms(self, Jump::Break), arms(self, Jump::Continue));
        // In a generator, a `yield` inside the block told to stop: leave the generator.
        let stopped = if self.is_generator() && self.in_frame == 0 { self.generator_stopped() } else { quote!() };
        quote! {
            match #outcome {
                Ok(runtime::Flow::Normal) => {}
                #stopped
                #next_iteration
                Ok(runtime::Flow::Return(#value)) => { #ret }
                Ok(runtime::Flow::Break(__label)) => { #breaks }
                Ok(runtime::Flow::Continue(__label)) => { #continues }
                Err(__error) => return Err(__error),
            }
        }
    }

    /// A whole `try` statement.
    pub(crate) fn try_stmt(&mut self, t: &TryStmt) -> TokenStream {
        let flow = self.flow_type();
        let body = self.flow_closure(&t.body);
        let orelse = self.flow_closure(&t.orelse);
        let exc = self.fresh("exc");
        let mut handlers = Vec::new();
        for handler in &t.handlers {
            let kinds: Vec<TokenStream> = handler
                .classes
                .iter()
                .map(|c| {
                    let class = Ident::new(c, Span::call_site());
                    quote!(runtime::ExcKind::#class)
                })
                .chain(handler.user.iter().map(|id| quote!(runtime::ExcKind::User(#id))))
                .collect();
            let mut bind = match handler.var {
                Some(var) => {
                    let name = names::local(&self.function.local(var).name);
                    quote!(#name = #exc.clone();)
                }
                None => quote!(),
            };
            if let Some((object, class)) = handler.object_var {
                // A program's exception carries its object (always, for these classes).
                let name = names::local(&self.function.local(object).name);
                let alias = names::class(class);
                bind = quote!(#bind #name = #exc.object::<#alias>().unwrap_or_else(#alias::placeholder);)
            }
            self.handled.push(exc.clone());
            let run = self.flow_closure(&handler.body);
            self.handled.pop();
            handlers.push(quote! {
                if #exc.matches(&[#(#kinds),*]) {
                    #bind
                    #run.map_err(|__new| __new.during(&#exc))
                }
            });
        }
        let caught = if handlers.is_empty() { quote!(Err(#exc)) } else { quote!(#(#handlers else)* { Err(#exc) }) };
        let outcome = self.fresh("outcome");
        let mut tokens = quote! {
            let #outcome: #flow = match #body {
                Ok(runtime::Flow::Normal) => #orelse,
                Ok(__jump) => Ok(__jump),
                Err(#exc) => #caught,
            };
        };
        if !t.finally.is_empty() {
            let finally = self.flow_closure(&t.finally);
            let ended = self.fresh("finally");
            let dispatch_finally = self.dispatch(&ended);
            // A `finally` that raises while an exception propagates chains it, as CPython does;
            // one that returns, breaks or raises overrides the pending outcome.
            tokens = quote! {
                #tokens
                let #ended: #flow = match (#finally, &#outcome) {
                    (Err(__new), Err(__pending)) => Err(__new.during(__pending)),
                    (other, _) => other,
                };
                #dispatch_finally
            };
        }
        let dispatch = self.dispatch(&outcome);
        quote!({ #tokens #dispatch };)
    }

    /// `raise`, `raise value`, `raise value from cause`.
    pub(crate) fn raise_stmt(
        &mut self,
        value: Option<&Expr>,
        cause: &RaiseCause,
        loc: pyrsc_frontend::span::Loc,
    ) -> TokenStream {
        let Some(value) = value else {
            // A bare `raise` re-raises the handled exception with its traceback as it is.
            let handled =
                self.handled.last().cloned().unwrap_or_else(|| Ident::new("__no_exception", Span::call_site()));
            return quote!(return Err(#handled.clone()););
        };
        let exception = self.expr(value);
        let exception = match cause {
            RaiseCause::Implicit => exception,
            RaiseCause::Suppressed => quote!(#exception.caused_by(None)),
            RaiseCause::Cause(cause) => {
                let cause = self.expr(cause);
                quote!(#exception.caused_by(Some(#cause)))
            }
        };
        let frame = self.frame(loc);
        quote!(return Err(#exception).at(#frame);)
    }
}
