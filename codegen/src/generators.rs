//! Generators by internal iteration. A generator function becomes
//! `fn gen<__R>(args, __sink: &mut dyn FnMut(T) -> Flow<__R>) -> PyResult<Option<Flow<__R>>>`:
//! `yield v` calls the sink, and a sink result other than `Flow::Normal` (the consumer's
//! `break`, its `return`, or its exception, parked in the consumer) stops the generator, which
//! returns that flow. `for x in gen(...)` passes its body as the sink (a closure over the
//! consumer's variables, like a `try` block's), then acts on how it ended. An exception raised by
//! the consumer's body never enters the generator: the sink parks it and says "stop", the
//! generator returns through its `finally` blocks, and the consumer raises it unchanged (no
//! generator frame), as in CPython where the suspended generator is merely closed.
//!
//! In a generator, `yield` inside a closure (a `try` block, or the sink of a generator it
//! consumes) cannot return from the generator directly: it parks the flow in `__stop` and leaves
//! the closure with `Flow::Break(STOPPED)`, which each enclosing `try` and `for` passes on.

use proc_macro2::TokenStream;
use pyrsc_frontend::ir::{Expr, ExprKind, Stmt, Target, VarRef};
use pyrsc_frontend::types::Type;
use quote::quote;

use crate::types::rust_type;
use crate::{names, FnGen, LoopLabels};

/// The flow a sink returns when the consumer's body raised (the exception is parked).
const RAISED: u32 = u32::MAX;
/// The flow a sink closure inside a generator returns when its `yield` was told to stop.
const STOPPED: u32 = u32::MAX - 1;

impl FnGen<'_> {
    /// Whether this function is a generator.
    pub(crate) fn is_generator(&self) -> bool {
        self.in_lazy || (!self.is_module && self.function.generator)
    }

    /// The consumer-side result type `R` of flows in this function.
    fn flow_result(&self) -> TokenStream {
        if self.is_module || self.is_generator() {
            quote!(())
        } else {
            rust_type(&self.function.ret)
        }
    }

    /// Leaves the generator with `flow` (a consumer's request to stop).
    fn stop_with(&self, flow: TokenStream) -> TokenStream {
        if self.try_bounds.is_empty() {
            quote!(return Ok(Some(#flow));)
        } else {
            quote!({ __stop = Some(#flow); return Ok(runtime::Flow::Break(#STOPPED)); })
        }
    }

    /// The dispatch arm of a block whose `yield` was told to stop (see [`STOPPED`]).
    pub(crate) fn generator_stopped(&self) -> TokenStream {
        let leave = if self.try_bounds.is_empty() {
            quote!(if let Some(__flow) = __stop.take() {
                return Ok(Some(__flow));
            })
        } else {
            quote!(return Ok(runtime::Flow::Break(#STOPPED));)
        };
        quote!(Ok(runtime::Flow::Break(#STOPPED)) => { #leave })
    }

    /// `yield value`.
    pub(crate) fn yield_stmt(&mut self, value: &Expr) -> TokenStream {
        let value = self.expr(value);
        let stop = self.stop_with(quote!(__flow));
        quote!(match __sink(#value) { runtime::Flow::Normal => {} __flow => { #stop } })
    }

    /// A call of generator `call` with `sink`, raising the generator's own exceptions here.
    /// `r`: the flow result type the sink returns. A generator held as a value (anything but a
    /// call) is resumed instead: `drive`n by a loop, or `delegate`d to by `yield from`.
    fn generator_call(
        &mut self,
        call: &Expr,
        sink: TokenStream,
        r: TokenStream,
        delegating: bool,
    ) -> (TokenStream, TokenStream) {
        let generator_function = match &call.kind {
            ExprKind::Call { func, args } if self.module.functions[func.0 as usize].generator => Some((func, args)),
            _ => None,
        };
        let Some((func, args)) = generator_function else {
            // A generator object: held in a variable, or returned by an ordinary function.
            let held = self.expr(call);
            let resume = if delegating { quote!(delegate) } else { quote!(drive) };
            return (quote!(let __held = #held;), quote!(__held.#resume::<#r>(#sink)));
        };
        let name = names::function_of(&self.module.functions[func.0 as usize]);
        // Arguments first, into temporaries: the sink then borrows the consumer's variables.
        let mut lets = Vec::new();
        let mut temps = Vec::new();
        for arg in args {
            let value = self.expr(arg);
            let temp = self.fresh("arg");
            lets.push(quote!(let #temp = #value;));
            temps.push(temp);
        }
        (quote!(#(#lets)*), quote!(#name::<#r>(#(#temps,)* #sink).map_err(runtime::exc::from_generator)))
    }

    /// A generator call whose generator is kept as a value (`g = gen(...)`, an argument, ...):
    /// a [`runtime::Generator`] that runs the generator function on its own stack when resumed.
    /// Nothing of the generator runs here, so creating one raises nothing.
    pub(crate) fn generator_value(&mut self, call: &Expr) -> TokenStream {
        let ExprKind::Call { func, .. } = &call.kind else { return quote!() };
        let callee = &self.module.functions[func.0 as usize];
        let qualname = callee.name.clone();
        // Whether the suspended generator's stack may hold recursive calls: its own, or those of
        // the generators it runs by internal iteration.
        let facts = self.facts.function(*func);
        let recursive = facts.recursive || facts.drives_generators;
        let (lets, invoke) = self.generator_call(call, quote!(__sink), quote!(()), false);
        quote!({ #lets runtime::Generator::new(#qualname, #recursive, move |__sink| #invoke) })
    }

    /// `yield from gen(...)`.
    pub(crate) fn yield_from_stmt(&mut self, call: &Expr) -> TokenStream {
        // The consumer's sink is handed on as it is.
        let (lets, invoke) = self.generator_call(call, quote!(&mut *__sink), quote!(__R), true);
        let at = if self.function.dispatcher { quote!() } else { self.at(call.loc) };
        let stop = self.stop_with(quote!(__flow));
        quote!({ #lets if let Some(__flow) = #invoke #at ? { #stop } })
    }

    /// `for target in gen(...)`.
    pub(crate) fn for_generator(
        &mut self,
        target: &Target,
        call: &Expr,
        body: &[Stmt],
        orelse: &[Stmt],
        loc: pyrsc_frontend::span::Loc,
    ) -> TokenStream {
        let Type::Iterator(elem) = &call.ty else { return quote!() };
        let elem = rust_type(elem);
        let r = self.flow_result();
        // The loop is a pseudo-loop outside the body's closure: `break`/`continue` become flows.
        self.next_label += 1;
        let id = self.next_label;
        self.loops.push(LoopLabels { id, has_else: false });
        self.try_bounds.push(self.loops.len());
        let store = self.store(target, quote!(__item));
        let body = self.block(body);
        self.try_bounds.pop();
        self.loops.pop();
        let id32 = id as u32;
        let sink = quote! {
            &mut |__item: #elem| -> runtime::Flow<#r> {
                let __result = (|| -> runtime::PyResult<runtime::Flow<#r>> { #store #(#body)* Ok(runtime::Flow::Normal) })();
                match __result {
                    Ok(runtime::Flow::Continue(#id32)) => runtime::Flow::Normal,
                    Ok(__flow) => __flow,
                    Err(__error) => {
                        __stash = Some(__error);
                        runtime::Flow::Break(#RAISED)
                    }
                }
            }
        };
        let (lets, invoke) = self.generator_call(call, sink, r.clone(), false);
        let at = self.at(loc);
        let orelse = self.block(orelse);
        let stopped = if self.is_generator() && self.in_frame == 0 {
            let stop = self.stop_with(quote!(__flow));
            quote!(if let Some(__flow) = __stop.take() { #stop })
        } else {
            quote!()
        };
        let outcome = proc_macro2::Ident::new("__outcome", proc_macro2::Span::call_site());
        let dispatch = self.dispatch(&outcome);
        quote!({
            let mut __stash: Option<runtime::Exc> = None;
            #lets
            let __generated = #invoke;
            if let Some(__error) = __stash.take() {
                return Err(__error);
            }
            let __generated = __generated #at ?;
            #stopped
            match __generated {
                None | Some(runtime::Flow::Normal) => { #(#orelse)* }
                Some(runtime::Flow::Break(#id32)) => {}
                Some(__flow) => {
                    let #outcome: runtime::PyResult<runtime::Flow<#r>> = Ok(__flow);
                    #dispatch
                }
            }
        })
    }

    /// The parameters and result a generator function adds to its signature.
    pub(crate) fn generator_signature(&self) -> (TokenStream, TokenStream) {
        let Type::Iterator(elem) = &self.function.ret else { return (quote!(), quote!()) };
        let elem = rust_type(elem);
        (
            quote!(__sink: &mut dyn FnMut(#elem) -> runtime::Flow<__R>),
            quote!(runtime::PyResult<Option<runtime::Flow<__R>>>),
        )
    }

    /// A generator expression kept as a value: its loops run on the generator's own stack,
    /// over clones of the variables they use (taken now, as the front end allows), with
    /// `<genexpr>` frames in tracebacks as CPython shows them.
    pub(crate) fn lazy_value(&mut self, body: &[Stmt], captures: &[VarRef], ty: &Type) -> TokenStream {
        let Type::Iterator(elem) = ty else { return quote!() };
        let elem = rust_type(elem);
        let mut clones: Vec<TokenStream> = Vec::new();
        for var in captures {
            match var {
                VarRef::Local(id) => {
                    let name = crate::names::local(&self.function.local(*id).name);
                    clones.push(quote!(let mut #name = #name.clone();));
                }
                VarRef::Global(id) => {
                    let global = &self.module.globals[id.0 as usize];
                    if self.is_module && global.storage == pyrsc_frontend::ir::GlobalStorage::ModuleLocal {
                        let name = crate::names::local(&global.name);
                        clones.push(quote!(let mut #name = #name.clone();));
                    }
                }
            }
        }
        // A fresh function context: no enclosing loops, `try` blocks, views or borrowed
        // parameters (the clones are owned).
        let saved = (
            std::mem::take(&mut self.loops),
            std::mem::take(&mut self.try_bounds),
            std::mem::take(&mut self.views),
            std::mem::take(&mut self.view_aliases),
            std::mem::take(&mut self.handled),
            self.in_lazy,
        );
        self.in_lazy = true;
        let stmts = self.block(body);
        (self.loops, self.try_bounds, self.views, self.view_aliases, self.handled, self.in_lazy) = saved;
        quote!({
            #(#clones)*
            runtime::Generator::new("<genexpr>", true, move |__sink: runtime::generator::Sink<'_, #elem>| -> runtime::PyResult<Option<runtime::Flow<()>>> {
                const __FUNC: &str = "<genexpr>";
                let mut __stop: Option<runtime::Flow<()>> = None;
                #(#stmts)*
                let _ = &mut __stop;
                Ok(None)
            })
        })
    }

    /// A comprehension in a frame of its own: a closure whose errors get that frame's name
    /// (`const __FUNC`), then the enclosing frame at the comprehension. In a function that cannot
    /// raise, nothing inside raises either, and the value is computed in place.
    pub(crate) fn framed(&mut self, e: &Expr, name: &str, value: &Expr) -> TokenStream {
        if !self.can_raise() && !self.in_lazy {
            return self.expr(value);
        }
        let ty = rust_type(&value.ty);
        // The closure's loops are its own; enclosing ones cannot be jumped to from inside.
        let (loops, try_bounds) = (std::mem::take(&mut self.loops), std::mem::take(&mut self.try_bounds));
        self.in_frame += 1;
        let inner = self.expr(value);
        self.in_frame -= 1;
        (self.loops, self.try_bounds) = (loops, try_bounds);
        let at = self.at(e.loc);
        quote!((|| -> runtime::PyResult<#ty> {
            const __FUNC: &str = #name;
            Ok(#inner)
        })() #at ?)
    }
}
