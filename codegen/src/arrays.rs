//! NumPy arrays in generated code: element reads (`runtime::Array::get` with an index array),
//! creation (`np.zeros` and friends), and shape queries. Stores are in `stmt.rs`; arrays shared
//! by a `prange` body go through `parallel.rs`.

use proc_macro2::TokenStream;
use pyrsc_frontend::ir::{ArrayInfo, Expr, ExprKind};
use pyrsc_frontend::types::Type;
use quote::quote;

use crate::FnGen;

impl FnGen<'_> {
    /// `a[i, j]`.
    pub(crate) fn array_get(&mut self, e: &Expr, base: &Expr, index: &Expr) -> TokenStream {
        let base = self.expr_ref(base);
        let index = self.array_index(index);
        self.raising(e, quote!(runtime::Array::get(#base, #index)))
    }

    /// `np.zeros(shape)`, `np.full(shape, fill)`, `np.zeros_like(a)`, ...
    pub(crate) fn array_new(
        &mut self,
        e: &Expr,
        shape: &[Expr],
        fill: Option<&Expr>,
        like: Option<&Expr>,
    ) -> TokenStream {
        let Type::Array(dtype, ndim) = e.ty else { return quote!(compile_error!("array type expected")) };
        let element = crate::types::element_type(dtype);
        let n = ndim as usize;
        let shape = match like {
            Some(source) => {
                let source = self.expr_ref(source);
                quote!(runtime::Array::shape_array(#source))
            }
            None => {
                let dims: Vec<TokenStream> = shape.iter().map(|d| self.expr(d)).collect();
                quote!([#(#dims),*])
            }
        };
        let call = match fill {
            Some(fill) => {
                let fill = self.expr(fill);
                quote!(runtime::Array::<#element, #n>::full(#shape, #fill))
            }
            None => quote!(runtime::Array::<#element, #n>::zeros(#shape)),
        };
        self.raising(e, call)
    }

    /// `a.shape`, `a.shape[k]`, `a.size`, `len(a)`.
    pub(crate) fn array_info(&mut self, base: &Expr, what: ArrayInfo) -> TokenStream {
        let Type::Array(_, ndim) = base.ty else { return quote!(compile_error!("array type expected")) };
        let base = self.expr_ref(base);
        match what {
            ArrayInfo::Shape => {
                let axes: Vec<TokenStream> = (0..ndim as usize).map(|k| quote!(__array.dim(#k))).collect();
                quote!({ let __array = #base; (#(#axes,)*) })
            }
            ArrayInfo::Dim(k) => quote!(runtime::Array::dim(#base, #k)),
            ArrayInfo::Size => quote!(runtime::Array::size(#base)),
            ArrayInfo::Len => quote!(runtime::Array::len(#base)),
        }
    }

    /// An array index as `[i, j, ...]`: from a tuple display, a single int, or a tuple value
    /// (the hidden index of `a[i, j] += x`).
    pub(crate) fn array_index(&mut self, index: &Expr) -> TokenStream {
        match (&index.kind, &index.ty) {
            (ExprKind::Tuple(items), _) => {
                let items: Vec<TokenStream> = items.iter().map(|i| self.expr(i)).collect();
                quote!([#(#items),*])
            }
            (_, Type::Tuple(items)) => {
                let value = self.expr(index);
                let fields: Vec<TokenStream> = (0..items.len())
                    .map(|k| {
                        let k = syn::Index::from(k);
                        quote!(__index.#k)
                    })
                    .collect();
                quote!({ let __index = #value; [#(#fields),*] })
            }
            _ => {
                let value = self.expr(index);
                quote!([#value])
            }
        }
    }
}
