//! `prange` loops → a call of `runtime::par::for_range` with the body as a closure over the
//! iteration index and a tuple of reduction partials, following the plan of the race analysis:
//! shared lists become read views (`Items`) or own-slot write views (`Slots`) taken before the
//! loop, private variables are declared inside the closure (fresh each iteration), reduction
//! updates fold into the partials, and after the loop the reductions and the loop variable get
//! the values sequential code would leave in them.

use proc_macro2::{Ident, Span, TokenStream};
use pyrsc_frontend::builtins::{self, Key, Op, Receiver};
use pyrsc_frontend::ir::{ArrayInfo, Expr, ExprKind, ParLoop, ParPlan, ReduceOp, Stmt, Target, VarRef};
use pyrsc_frontend::types::Type;
use quote::quote;

use crate::types::rust_type;
use crate::{declaration, FnGen};

/// How the body being generated reaches shared state.
#[derive(Clone)]
pub(crate) struct ParState {
    /// Shared lists and the view each is read (or written) through.
    views: Vec<(VarRef, Ident)>,
    /// Hidden temporaries standing for a shared list.
    aliases: Vec<(VarRef, VarRef)>,
    /// Reduction variables: their operation, type and position in the partials tuple.
    reductions: Vec<(VarRef, ReduceOp, Type)>,
    /// Histogram lists and their position in the partials tuple.
    histograms: Vec<(VarRef, usize)>,
    /// Lists of lists read as `grid[i][j]`, and their row tables.
    tables: Vec<(VarRef, Ident)>,
    /// Dicts and sets only read, and their lookup views.
    lookups: Vec<(VarRef, Ident)>,
    /// `loops.len()` when the body started: a `continue` at this depth ends the iteration.
    pub(crate) depth: usize,
    /// `try_bounds.len()` when the body started: `try` closures beyond it are inside the body.
    pub(crate) try_base: usize,
}

impl ParState {
    /// The shared variable `e` reads, seeing through the checker's hidden aliases.
    fn shared_var(&self, e: &Expr) -> Option<VarRef> {
        let var = var_of(e)?;
        Some(self.aliases.iter().find(|(t, _)| *t == var).map_or(var, |(_, held)| *held))
    }
}

/// What `var` is reached through, in one of the body's tables of shared state.
fn find_shared<T: Clone>(entries: &[(VarRef, T)], var: VarRef) -> Option<T> {
    entries.iter().find(|(v, _)| *v == var).map(|(_, found)| found.clone())
}

fn ident(text: &str) -> Ident {
    Ident::new(text, Span::call_site())
}

fn var_of(e: &Expr) -> Option<VarRef> {
    match e.kind {
        ExprKind::Local(id) => Some(VarRef::Local(id)),
        ExprKind::Global(id) => Some(VarRef::Global(id)),
        _ => None,
    }
}

impl FnGen<'_> {
    fn par_var_type(&self, var: VarRef) -> Type {
        match var {
            VarRef::Local(id) => self.function.local(id).ty.clone(),
            VarRef::Global(id) => self.module.globals[id.0 as usize].ty.clone(),
        }
    }

    fn par_var_read(&mut self, var: VarRef, loc: pyrsc_frontend::span::Loc) -> TokenStream {
        let ty = self.par_var_type(var);
        let kind = match var {
            VarRef::Local(id) => ExprKind::Local(id),
            VarRef::Global(id) => ExprKind::Global(id),
        };
        self.expr(&Expr::new(kind, ty, loc))
    }

    fn par_target(var: VarRef) -> Target {
        match var {
            VarRef::Local(id) => Target::Local(id),
            VarRef::Global(id) => Target::Global(id),
        }
    }

    fn par_declaration(&self, var: VarRef) -> TokenStream {
        match var {
            VarRef::Local(id) => {
                let local = self.function.local(id);
                declaration(&local.name, &local.ty, local.maybe_unbound)
            }
            VarRef::Global(id) => {
                let global = &self.module.globals[id.0 as usize];
                declaration(&global.name, &global.ty, global.maybe_unbound)
            }
        }
    }

    /// The view a shared list is reached through inside the body, if it is one.
    fn par_view(&self, e: &Expr) -> Option<Ident> {
        let par = self.par.as_ref()?;
        find_shared(&par.views, par.shared_var(e)?)
    }

    /// The partials slot of the histogram list `base` stands for, if it is one.
    fn par_histogram(&self, par: &ParState, base: &Expr) -> Option<usize> {
        find_shared(&par.histograms, par.shared_var(base)?)
    }

    /// The row table a list of lists is read through inside the body, if it is one.
    fn par_table(&self, e: &Expr) -> Option<Ident> {
        let par = self.par.as_ref()?;
        find_shared(&par.tables, par.shared_var(e)?)
    }

    /// The lookup view a shared dict or set is read through inside the body, if it is one.
    fn par_lookup(&self, e: &Expr) -> Option<Ident> {
        let par = self.par.as_ref()?;
        find_shared(&par.lookups, par.shared_var(e)?)
    }

    /// Body expressions that read shared lists: `xs[i]` and `len(xs)` through the view.
    pub(crate) fn par_expr(&mut self, e: &Expr) -> Option<TokenStream> {
        self.par.as_ref()?;
        let builtin = match &e.kind {
            ExprKind::Builtin { builtin, .. } => Some(builtins::builtin(*builtin).key),
            _ => None,
        };
        match (&e.kind, builtin) {
            (ExprKind::Index { base, index }, _) if self.par_lookup(base).is_some() => {
                let view = self.par_lookup(base)?;
                let key = self.expr(index);
                let at = self.at(e.loc);
                return Some(quote!(#view.get(&#key) #at ?));
            }
            (ExprKind::Builtin { args, .. }, Some(Key::Method(Receiver::Dict, "get")))
                if self.par_lookup(&args[0]).is_some() =>
            {
                let view = self.par_lookup(&args[0])?;
                let key = self.expr(&args[1]);
                return Some(match args.get(2) {
                    Some(default) => {
                        let default = self.expr(default);
                        quote!({ let __key = #key; #view.get_or(&__key, #default) })
                    }
                    None => quote!(#view.get_opt(&#key)),
                });
            }
            (ExprKind::Builtin { args, .. }, Some(Key::Op(Op::DictContains | Op::SetContains)))
                if self.par_lookup(&args[1]).is_some() =>
            {
                let view = self.par_lookup(&args[1])?;
                let key = self.expr(&args[0]);
                return Some(quote!(#view.contains(&#key)));
            }
            (ExprKind::Builtin { args, .. }, Some(Key::Function("len"))) if self.par_lookup(&args[0]).is_some() => {
                let view = self.par_lookup(&args[0])?;
                return Some(quote!(#view.len()));
            }
            _ => {}
        }
        match &e.kind {
            ExprKind::Index { base: row, index } if matches!(&row.kind, ExprKind::Index { base, .. } if self.par_table(base).is_some()) =>
            {
                let ExprKind::Index { base, index: row_index } = &row.kind else { return None };
                let table = self.par_table(base)?;
                let (i, j) = (self.expr(row_index), self.expr(index));
                let at = self.at(e.loc);
                Some(quote!(#table.get(#i, #j) #at ?))
            }
            ExprKind::Builtin { builtin, args }
                if builtins::builtin(*builtin).key == Key::Function("len")
                    && args.len() == 1
                    && matches!(&args[0].kind, ExprKind::Index { base, .. } if self.par_table(base).is_some()) =>
            {
                let ExprKind::Index { base, index } = &args[0].kind else { return None };
                let table = self.par_table(base)?;
                let i = self.expr(index);
                let at = self.at(args[0].loc);
                Some(quote!(#table.row_len(#i) #at ?))
            }
            ExprKind::Index { base, index } if matches!(base.ty, Type::Array(..)) => {
                let view = self.par_view(base)?;
                let index = self.array_index(index);
                let at = self.at(e.loc);
                Some(quote!(#view.get(#index) #at ?))
            }
            ExprKind::ArrayInfo { base, what } => {
                let view = self.par_view(base)?;
                let Type::Array(_, ndim) = base.ty else { return None };
                Some(match what {
                    ArrayInfo::Shape => {
                        let axes: Vec<TokenStream> = (0..ndim as usize).map(|k| quote!(#view.dim(#k))).collect();
                        quote!((#(#axes,)*))
                    }
                    ArrayInfo::Dim(k) => quote!(#view.dim(#k)),
                    ArrayInfo::Size => quote!(#view.size()),
                    ArrayInfo::Len => quote!(#view.dim(0)),
                })
            }
            ExprKind::Index { base, index } => {
                let view = self.par_view(base)?;
                let index = self.expr(index);
                let at = self.at(e.loc);
                Some(quote!(#view.get(#index) #at ?))
            }
            ExprKind::Builtin { builtin, args }
                if builtins::builtin(*builtin).key == Key::Function("len") && args.len() == 1 =>
            {
                let view = self.par_view(&args[0])?;
                Some(quote!(#view.len()))
            }
            _ => None,
        }
    }

    /// Body statements that write shared state: own-slot list writes and reduction updates.
    pub(crate) fn par_stmt(&mut self, stmt: &Stmt) -> Option<TokenStream> {
        let par = self.par.clone()?;
        match stmt {
            Stmt::Assign { target: Target::Index { base, index, loc }, value }
                if self.par_histogram(&par, base).is_some() =>
            {
                let slot = syn::Index::from(self.par_histogram(&par, base)?);
                let ExprKind::Binary { op, right, .. } = &value.kind else { return None };
                let subtract = *op == pyrsc_frontend::syntax::BinOp::Sub;
                // As `hist[k] += e` in CPython: the index (and its IndexError) first, then `e`.
                let index = self.expr(index);
                let delta = self.expr(right);
                let at = self.at(*loc);
                let at_value = self.at(value.loc);
                Some(quote!({
                    let __pos = __acc.#slot.slot(#index) #at ?;
                    let __e = #delta;
                    __acc.#slot.add(__pos, __e, #subtract) #at_value ?;
                }))
            }
            Stmt::Assign { target: Target::Index { base, index, loc }, value } => {
                let view = self.par_view(base)?;
                // CPython evaluates the value, then the index.
                let value = self.expr(value);
                let index = if matches!(base.ty, Type::Array(..)) { self.array_index(index) } else { self.expr(index) };
                let at = self.at(*loc);
                Some(quote!({ let __value = #value; #view.set(#index, __value) #at ?; }))
            }
            Stmt::Assign { target: Target::Local(temp), .. }
                if par.aliases.iter().any(|(t, _)| *t == VarRef::Local(*temp)) =>
            {
                Some(quote!())
            }
            Stmt::Assign { target, value } => {
                let var = match target {
                    Target::Local(id) => VarRef::Local(*id),
                    Target::Global(id) => VarRef::Global(*id),
                    _ => return None,
                };
                let position = par.reductions.iter().position(|(v, _, _)| *v == var)?;
                let (_, op, ty) = &par.reductions[position];
                let operand = match &value.kind {
                    ExprKind::Binary { right, .. } => right.as_ref(),
                    ExprKind::Builtin { args, .. } if var_of(&args[0]) == Some(var) => &args[1],
                    ExprKind::Builtin { args, .. } => &args[0],
                    _ => return None,
                };
                let operand = self.expr(operand);
                let slot = syn::Index::from(position);
                let at = self.at(value.loc);
                let subtract = matches!(value.kind, ExprKind::Binary { op: pyrsc_frontend::syntax::BinOp::Sub, .. });
                let update = match (op, ty) {
                    (ReduceOp::Add | ReduceOp::Sub, Type::Int) if subtract => quote!(__acc.#slot -= __e as i128;),
                    (ReduceOp::Add | ReduceOp::Sub, Type::Int) => quote!(__acc.#slot += __e as i128;),
                    (ReduceOp::Add | ReduceOp::Sub, _) if subtract => quote!(__acc.#slot -= __e;),
                    (ReduceOp::Add | ReduceOp::Sub, _) => quote!(__acc.#slot += __e;),
                    (ReduceOp::Mul, Type::Int) => quote!(__acc.#slot = runtime::int::mul(__acc.#slot, __e) #at ?;),
                    (ReduceOp::Mul, _) => quote!(__acc.#slot *= __e;),
                    (ReduceOp::BitOr, _) => quote!(__acc.#slot |= __e;),
                    (ReduceOp::BitAnd, _) => quote!(__acc.#slot &= __e;),
                    (ReduceOp::BitXor, _) => quote!(__acc.#slot ^= __e;),
                    (ReduceOp::Min, _) => quote!(__acc.#slot = runtime::par::fold_min(__acc.#slot, __e);),
                    (ReduceOp::Max, _) => quote!(__acc.#slot = runtime::par::fold_max(__acc.#slot, __e);),
                };
                Some(quote!({ let __e = #operand; #update }))
            }
            Stmt::Continue if self.loops.len() == par.depth => Some(self.next_iteration()),
            _ => None,
        }
    }

    /// `continue` of the prange loop itself: the end of this iteration (from inside a `try`
    /// in the body, a `Flow` that the `try` passes on).
    pub(crate) fn next_iteration(&self) -> TokenStream {
        match &self.par {
            Some(par) if self.try_bounds.len() > par.try_base => quote!(return Ok(runtime::Flow::Continue(u32::MAX));),
            _ => quote!(return Ok(());),
        }
    }

    /// A whole `prange` loop.
    pub(crate) fn par_loop(&mut self, par: &ParLoop) -> TokenStream {
        let default_plan = ParPlan::default();
        // (The verifier checked that every prange loop has a plan.)
        let plan = self.facts.plans.get(&par.id).unwrap_or(&default_plan);
        let (start, stop, step) = (self.expr(&par.start), self.expr(&par.stop), self.expr(&par.step));
        let threads = match &par.threads {
            Some(t) => {
                let t = self.expr(t);
                quote!(Some(#t))
            }
            None => quote!(None),
        };
        let mut views = Vec::new();
        let mut setup = Vec::new();
        let (mut written, mut used) = (Vec::new(), Vec::new());
        let (mut written_arrays, mut used_arrays, mut row_checks) = (Vec::new(), Vec::new(), Vec::new());
        // Array views are copied into each iteration's locals (a few words): read through the
        // closure's captured reference, their shape and strides would be reloaded after every
        // store, and the bounds checks of inner loops could not be folded away.
        let mut local_views = Vec::new();
        for (i, var) in plan.reads.iter().chain(&plan.writes).enumerate() {
            let view = ident(&format!("__view{i}"));
            let list = self.par_var_read(*var, par.loc);
            let is_write = plan.writes.contains(var);
            if let Type::Array(..) = self.par_var_type(*var) {
                setup.push(quote!(let #view = runtime::array::Shared::new(&#list);));
                local_views.push(quote!(let #view = #view;));
                if is_write {
                    written_arrays.push(quote!(#view.extent()));
                    row_checks.push(quote!(#view.rows_overlap()));
                } else {
                    used_arrays.push(quote!(#view.extent()));
                }
                views.push((*var, view));
                continue;
            }
            let kind = if is_write { quote!(Slots) } else { quote!(Items) };
            setup.push(quote!(let #view = runtime::par::#kind::new(&#list);));
            if is_write {
                written.push(quote!(#view.address()));
            } else {
                used.push(quote!(#view.address()));
            }
            views.push((*var, view));
        }
        let mut lookups = Vec::new();
        for (i, var) in plan.lookups.iter().enumerate() {
            let view = ident(&format!("__lookup{i}"));
            let container = self.par_var_read(*var, par.loc);
            let kind = if matches!(self.par_var_type(*var), Type::Set(_)) { quote!(Members) } else { quote!(Lookup) };
            setup.push(quote!(let #view = runtime::par::#kind::new(&#container);));
            lookups.push((*var, view));
        }
        let mut tables = Vec::new();
        for (i, var) in plan.tables.iter().enumerate() {
            let table = ident(&format!("__table{i}"));
            let grid = self.par_var_read(*var, par.loc);
            setup.push(quote!(let #table = runtime::par::Table::new(&#grid);));
            tables.push((*var, table));
        }
        let reductions: Vec<(VarRef, ReduceOp, Type)> =
            plan.reductions.iter().map(|(v, op)| (*v, *op, self.par_var_type(*v))).collect();
        let mut inits: Vec<TokenStream> = reductions.iter().map(|(_, op, ty)| reduction_init(*op, ty)).collect();
        let at_loop = self.at(par.loc);
        let combines: Vec<TokenStream> = reductions
            .iter()
            .enumerate()
            .map(|(i, (_, op, ty))| {
                let slot = syn::Index::from(i);
                reduction_combine(*op, ty, quote!(__a.#slot), quote!(__b.#slot), &at_loop)
            })
            .collect();
        let mut acc_types: Vec<TokenStream> = reductions.iter().map(|(_, op, ty)| reduction_type(*op, ty)).collect();
        let mut combines = combines;
        let mut histograms = Vec::new();
        for var in &plan.histograms {
            let slot = acc_types.len();
            let list = self.par_var_read(*var, par.loc);
            inits.push(quote!(runtime::par::Histogram::new(runtime::list::List::len(&#list))));
            acc_types.push(quote!(runtime::par::Histogram));
            let index = syn::Index::from(slot);
            combines.push(quote!(runtime::par::Histogram::merge(__a.#index, __b.#index) #at_loop ?));
            histograms.push((*var, slot));
        }

        // The body, generated with the views and reductions in place.
        let saved = self.par.replace(ParState {
            views,
            aliases: plan.aliases.clone(),
            reductions: reductions.clone(),
            histograms: histograms.clone(),
            tables,
            lookups,
            depth: self.loops.len(),
            try_base: self.try_bounds.len(),
        });
        let privates: Vec<TokenStream> =
            plan.privates.iter().chain(std::iter::once(&par.var)).map(|v| self.par_declaration(*v)).collect();
        let set_var = self.store(&Self::par_target(par.var), quote!(__i));
        let body: Vec<TokenStream> = self.block(&par.body);
        self.par = saved;

        let at = self.at(par.loc);
        let mut after = Vec::new();
        for (i, (var, op, ty)) in reductions.iter().enumerate() {
            let slot = syn::Index::from(i);
            let current = self.par_var_read(*var, par.loc);
            let total = quote!(__total.#slot);
            let finished = match (op, ty) {
                (ReduceOp::Add | ReduceOp::Sub, Type::Int) => {
                    quote!(runtime::par::finish_int_sum(#current, #total) #at ?)
                }
                (ReduceOp::Add | ReduceOp::Sub, _) => quote!(#current + #total),
                (ReduceOp::Mul, Type::Int) => quote!(runtime::int::mul(#current, #total) #at ?),
                (ReduceOp::Mul, _) => quote!(#current * #total),
                (ReduceOp::BitOr, _) => quote!(#current | #total),
                (ReduceOp::BitAnd, _) => quote!(#current & #total),
                (ReduceOp::BitXor, _) => quote!(#current ^ #total),
                (ReduceOp::Min, _) => quote!(runtime::par::finish_min(#current, #total)),
                (ReduceOp::Max, _) => quote!(runtime::par::finish_max(#current, #total)),
            };
            let store = self.store(&Self::par_target(*var), quote!(__finished));
            after.push(quote!({ let __finished = #finished; #store }));
        }
        for (var, slot) in &histograms {
            let index = syn::Index::from(*slot);
            let list = self.par_var_read(*var, par.loc);
            after.push(quote!(runtime::par::Histogram::apply(&__total.#index, &#list) #at ?;));
        }
        let set_last = self.store(&Self::par_target(par.var), quote!(__last));
        let orelse = self.block(&par.orelse);
        quote!({
            let (__start, __stop, __step): (i64, i64, i64) = (#start, #stop, #step);
            let __threads: Option<i64> = #threads;
            runtime::par::check_arguments(__step, __threads) #at ?;
            #(#setup)*
            let __sequential = runtime::par::aliased(&[#(#written),*], &[#(#used),*])
                || runtime::array::overlapping(&[#(#written_arrays),*], &[#(#used_arrays),*])
                #(|| #row_checks)*;
            let __total: (#(#acc_types,)*) = runtime::par::for_range(
                __start, __stop, __step, __threads, __sequential, (#(#inits,)*),
                |__i: i64, __acc: &mut (#(#acc_types,)*)| -> runtime::PyResult<()> {
                    let _ = &__acc;
                    #(#local_views)*
                    #(#privates)*
                    #set_var
                    #(#body)*
                    Ok(())
                },
                |__a: (#(#acc_types,)*), __b: (#(#acc_types,)*)| -> runtime::PyResult<(#(#acc_types,)*)> {
                    let _ = (&__a, &__b);
                    Ok((#(#combines,)*))
                },
            )?;
            if let Some(__last) = runtime::par::last_value(__start, __stop, __step) {
                #(#after)*
                #set_last
            }
            #(#orelse)*
        })
    }
}

fn reduction_type(op: ReduceOp, ty: &Type) -> TokenStream {
    let rust = rust_type(ty);
    match (op, ty) {
        (ReduceOp::Add | ReduceOp::Sub, Type::Int) => quote!(i128),
        (ReduceOp::Min | ReduceOp::Max, _) => quote!(Option<#rust>),
        _ => rust,
    }
}

fn reduction_init(op: ReduceOp, ty: &Type) -> TokenStream {
    match (op, ty) {
        (ReduceOp::Add | ReduceOp::Sub, Type::Int) => quote!(0i128),
        (ReduceOp::Add | ReduceOp::Sub, _) => quote!(0.0f64),
        (ReduceOp::Mul, Type::Int) => quote!(1i64),
        (ReduceOp::Mul, _) => quote!(1.0f64),
        (ReduceOp::BitOr | ReduceOp::BitXor, Type::Bool) => quote!(false),
        (ReduceOp::BitAnd, Type::Bool) => quote!(true),
        (ReduceOp::BitOr | ReduceOp::BitXor, _) => quote!(0i64),
        (ReduceOp::BitAnd, _) => quote!(-1i64),
        (ReduceOp::Min | ReduceOp::Max, _) => quote!(None),
    }
}

fn reduction_combine(op: ReduceOp, ty: &Type, a: TokenStream, b: TokenStream, at: &TokenStream) -> TokenStream {
    match (op, ty) {
        (ReduceOp::Add | ReduceOp::Sub, _) => quote!(#a + #b),
        (ReduceOp::Mul, Type::Int) => quote!(runtime::int::mul(#a, #b) #at ?),
        (ReduceOp::Mul, _) => quote!(#a * #b),
        (ReduceOp::BitOr, _) => quote!(#a | #b),
        (ReduceOp::BitAnd, _) => quote!(#a & #b),
        (ReduceOp::BitXor, _) => quote!(#a ^ #b),
        (ReduceOp::Min, _) => quote!(runtime::par::combine_min(#a, #b)),
        (ReduceOp::Max, _) => quote!(runtime::par::combine_max(#a, #b)),
    }
}
