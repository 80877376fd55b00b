//! Extension-module glue: for `pyrsc build --module`, one `extern "C"` wrapper per exported
//! function, the static module description and `PyInit_<name>`, all calling into
//! `runtime::python` (which owns every raw `PyObject` operation; the generated code has no
//! `unsafe`).
//!
//! A wrapper converts the arguments with the GIL held, runs the compiled function with the GIL
//! released, and converts the result back. A function that reads or writes module-level
//! variables (directly or through the functions it calls) keeps the GIL instead: module state
//! is shared by every caller, and the GIL is what serialises callers in Python. So does a
//! function that changes a list, dict or set argument (it works on a copy written back after the
//! call: another thread's change in between would be lost), and a function that provably
//! finishes in a few instructions (no loop, no recursion, no operation on a container):
//! releasing and retaking the GIL would cost more than the call itself. Which is which, the
//! facts say (`pyrsc_frontend::facts`).

use proc_macro2::{Ident, Span, TokenStream};
use pyrsc_frontend::facts::Facts;
use pyrsc_frontend::ir::{self, DefaultValue, GlobalStorage, Literal};
use pyrsc_frontend::types::Type;
use quote::quote;

use crate::types::rust_type;
use crate::{literal_tokens, names};

/// The items an extension module adds to the generated file.
pub(crate) fn items(module: &ir::Module, facts: &Facts, extension: &ir::Extension) -> Vec<TokenStream> {
    let mut items = Vec::new();
    let mut specs = Vec::new();
    for (index, export) in extension.functions.iter().enumerate() {
        let wrapper = Ident::new(&format!("__pyrsc_export_{}", export.name), Span::call_site());
        let name = &export.name;
        let doc = &export.doc;
        let params: Vec<&str> = export.params.iter().map(|p| p.name.as_str()).collect();
        let required = export.params.iter().take_while(|p| p.default.is_none()).count();
        specs.push(quote!(runtime::python::FunctionSpec { name: #name, params: &[#(#params),*], required: #required, doc: #doc, wrapper: #wrapper }));
        let function = &module.functions[export.func.0 as usize];
        let own = facts.function(export.func);
        let mut conversions = Vec::new();
        let mut arguments = Vec::new();
        let mut write_backs = Vec::new();
        for (i, (param, local)) in export.params.iter().zip(&function.params).enumerate() {
            let ty = &function.local(*local).ty;
            let rust = rust_type(ty);
            let var = Ident::new(&format!("__arg{i}"), Span::call_site());
            let conversion = match (&param.default, ty) {
                // Arrays view the caller's buffer; a function that writes needs it writable.
                (_, Type::Array(dtype, ndim)) => {
                    let element = crate::types::element_type(*dtype);
                    let n = *ndim as usize;
                    let writable = param.write_back;
                    quote!(bound.array::<#element, #n>(#i, #writable)?)
                }
                (None, _) => quote!(bound.get(#i)?),
                (Some(default), _) => {
                    let value = default_tokens(default, ty);
                    quote!(bound.get_or(#i, || #value)?)
                }
            };
            conversions.push(quote!(let #var: #rust = #conversion;));
            if param.write_back && !matches!(ty, Type::Array(..)) {
                let keep = Ident::new(&format!("__keep{i}"), Span::call_site());
                conversions.push(quote!(let #keep = #var.clone();));
                write_backs.push(quote!(bound.write_back(#i, &#keep)?;));
            }
            arguments.push(if own.borrowed[i] { quote!(&#var) } else { quote!(#var) });
        }
        let callee = names::function_of(function);
        let call = quote!(#callee(#(#arguments),*));
        let call = if own.can_raise { call } else { quote!(Ok(#call)) };
        // A function that changes a list, dict or set argument works on a copy written back after
        // the call: it keeps the GIL, so that no other thread changes the caller's object in
        // between (their updates would be lost).
        let changes_arguments = export.params.iter().any(|p| p.write_back);
        let run = if own.touches_module_state || own.quick || changes_arguments {
            quote!(#call)
        } else {
            quote!(runtime::python::without_gil(move || #call))
        };
        items.push(quote! {
            extern "C" fn #wrapper(
                _module: *mut runtime::python::ffi::PyObject,
                args: *const *mut runtime::python::ffi::PyObject,
                nargs: runtime::python::ffi::Py_ssize_t,
                kwnames: *mut runtime::python::ffi::PyObject,
            ) -> *mut runtime::python::ffi::PyObject {
                runtime::python::call(&__PYRSC_FUNCTIONS[#index], args, nargs, kwnames, |bound| {
                    #(#conversions)*
                    let result = #run;
                    #(#write_backs)*
                    runtime::python::ret(result)
                })
            }
        });
    }
    let constants: Vec<TokenStream> = extension
        .constants
        .iter()
        .map(|id| {
            let global = &module.globals[id.0 as usize];
            let name = &global.name;
            let ident = names::global(name);
            match global.storage {
                GlobalStorage::Static => quote!(if let Ok(value) = #ident.get(#name) { out.add(#name, &value); }),
                _ => quote!(out.add(#name, &#ident);),
            }
        })
        .collect();
    let count = specs.len();
    let module_name = &extension.name;
    let module_doc = &extension.doc;
    let init = Ident::new(&format!("PyInit_{module_name}"), Span::call_site());
    items.push(quote! {
        static __PYRSC_FUNCTIONS: [runtime::python::FunctionSpec; #count] = [#(#specs),*];

        fn __pyrsc_constants(out: &mut runtime::python::Constants) {
            #(#constants)*
        }

        static __PYRSC_MODULE: runtime::python::ModuleSpec = runtime::python::ModuleSpec {
            name: #module_name,
            file: __FILE,
            doc: #module_doc,
            functions: &__PYRSC_FUNCTIONS,
            body: __module_body,
            constants: __pyrsc_constants,
        };

        #[no_mangle]
        pub extern "C" fn #init() -> *mut runtime::python::ffi::PyObject {
            runtime::python::init_module(&__PYRSC_MODULE)
        }
    });
    items
}

/// A default value of parameter type `ty`.
fn default_tokens(default: &DefaultValue, ty: &Type) -> TokenStream {
    match (default, ty) {
        (DefaultValue::None, Type::Optional(_)) => quote!(None),
        (DefaultValue::None, _) => quote!(()),
        (DefaultValue::Literal(literal), Type::Optional(inner)) => {
            let value = default_tokens(&DefaultValue::Literal(literal.clone()), inner);
            quote!(Some(#value))
        }
        (DefaultValue::Literal(Literal::Int(n)), Type::Float) => {
            let x = *n as f64;
            quote!(#x)
        }
        (DefaultValue::Literal(Literal::Int(n)), Type::Num) => quote!(runtime::Num::Int(#n)),
        (DefaultValue::Literal(Literal::Float(x)), Type::Num) => quote!(runtime::Num::Float(#x)),
        (DefaultValue::Literal(literal), _) => literal_tokens(literal),
    }
}
