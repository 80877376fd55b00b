//! Loop views in generated code: before a loop the facts say may use them (`facts/lists.rs`
//! decides which lists and why it is safe), take a `runtime::view::View` of each list, so
//! element reads and writes in the loop load the buffer pointer and length once (see
//! `runtime/src/view.rs` for the contract).

use proc_macro2::{Ident, Span, TokenStream};
use pyrsc_frontend::ir::{Expr, ExprKind, LoopId, VarRef};
use quote::quote;

use crate::FnGen;

fn var_of(e: &Expr) -> Option<VarRef> {
    match e.kind {
        ExprKind::Local(id) => Some(VarRef::Local(id)),
        ExprKind::Global(id) => Some(VarRef::Global(id)),
        _ => None,
    }
}

impl FnGen<'_> {
    /// Generates a loop (by `make`) with views of the lists its body indexes, when allowed. In a
    /// loop nested in a viewed one, lists the outer loop could not view (a row assigned in the
    /// outer body, say) get their views here.
    pub(crate) fn with_views(&mut self, id: LoopId, make: impl FnOnce(&mut Self) -> TokenStream) -> TokenStream {
        let Some(views) = self.facts.views.get(&id).filter(|_| self.par.is_none()) else { return make(self) };
        let (lists, aliases) = (views.lists.clone(), views.aliases.clone());
        let lists: Vec<VarRef> = lists.into_iter().filter(|var| !self.views.iter().any(|(v, _)| v == var)).collect();
        if lists.is_empty() && aliases.is_empty() {
            return make(self);
        }
        let (outer_views, outer_aliases) = (self.views.len(), self.view_aliases.len());
        let mut setup = Vec::new();
        let mut views = Vec::new();
        for (i, var) in lists.iter().enumerate() {
            let view = Ident::new(&format!("__view{}", outer_views + i), Span::call_site());
            let name = match var {
                VarRef::Local(id) => crate::names::local(&self.function.local(*id).name),
                VarRef::Global(id) => crate::names::local(&self.module.globals[id.0 as usize].name),
            };
            let list = match var {
                VarRef::Local(id) if self.is_borrowed(*id) => quote!(#name),
                _ => quote!(&#name),
            };
            setup.push(quote!(let #view = runtime::view::View::new(#list);));
            views.push((*var, view));
        }
        self.views.extend(views);
        self.view_aliases.extend(aliases);
        let looped = make(self);
        self.views.truncate(outer_views);
        self.view_aliases.truncate(outer_aliases);
        if setup.is_empty() {
            return looped;
        }
        quote!({ #(#setup)* #looped })
    }

    /// Whether `temp` is a hidden alias of a viewed list (its assignment is then not needed).
    pub(crate) fn is_view_alias(&self, temp: pyrsc_frontend::ir::LocalId) -> bool {
        let var = VarRef::Local(temp);
        self.view_aliases.iter().any(|(t, held)| *t == var && self.views.iter().any(|(v, _)| v == held))
    }

    /// The view a list expression is reached through in the current loop, if any.
    pub(crate) fn loop_view(&self, e: &Expr) -> Option<Ident> {
        if self.views.is_empty() {
            return None;
        }
        let var = var_of(e)?;
        let var = self.view_aliases.iter().find(|(t, _)| *t == var).map_or(var, |(_, held)| *held);
        self.views.iter().find(|(v, _)| *v == var).map(|(_, view)| view.clone())
    }
}
