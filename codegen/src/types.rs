//! IR types → Rust types, and the default value a local starts with.

use proc_macro2::TokenStream;
use pyrsc_frontend::types::Type;
use quote::quote;

pub fn rust_type(ty: &Type) -> TokenStream {
    match ty {
        Type::Int => quote!(i64),
        Type::Float => quote!(f64),
        Type::Num => quote!(runtime::Num),
        Type::Bool => quote!(bool),
        Type::Str => quote!(runtime::Str),
        Type::None | Type::Unknown => quote!(()),
        Type::Range => quote!(runtime::range::PyRange),
        Type::Exception => quote!(runtime::Exc),
        Type::File => quote!(runtime::file::PyFile),
        Type::ExcArgs => quote!(runtime::exc::Args),
        Type::Object(class) => {
            let alias = crate::names::class(class.id);
            quote!(#alias)
        }
        Type::Iterator(elem) => {
            let elem = rust_type(elem);
            quote!(runtime::Generator<#elem>)
        }
        Type::Array(dtype, ndim) => {
            let element = element_type(*dtype);
            let n = *ndim as usize;
            quote!(runtime::Array<#element, #n>)
        }
        Type::Function(params, ret) => {
            let params = params.iter().map(rust_type);
            let ret = rust_type(ret);
            quote!(runtime::Func<dyn Fn(#(#params),*) -> runtime::PyResult<#ret>>)
        }
        Type::List(elem) => {
            let elem = rust_type(elem);
            quote!(runtime::List<#elem>)
        }
        Type::Dict(key, value) => {
            let (key, value) = (rust_type(key), rust_type(value));
            quote!(runtime::Dict<#key, #value>)
        }
        Type::Set(elem) => {
            let elem = rust_type(elem);
            quote!(runtime::Set<#elem>)
        }
        Type::VarTuple(elem) => {
            let elem = rust_type(elem);
            quote!(runtime::Tuple<#elem>)
        }
        Type::Optional(inner) => {
            let inner = rust_type(inner);
            quote!(Option<#inner>)
        }
        Type::Tuple(items) => {
            let items = items.iter().map(rust_type);
            quote!((#(#items,)*))
        }
    }
}

/// The shared closure inside a function value: `Rc<dyn Fn(A, B) -> PyResult<R>>`.
pub fn code_type(function: &Type) -> TokenStream {
    match function {
        Type::Function(params, ret) => {
            let params = params.iter().map(rust_type);
            let ret = rust_type(ret);
            quote!(std::rc::Rc<dyn Fn(#(#params),*) -> runtime::PyResult<#ret>>)
        }
        other => rust_type(other),
    }
}

/// A cheap placeholder value; the checker guarantees it is overwritten before any read.
pub fn default_value(ty: &Type) -> TokenStream {
    match ty {
        Type::Int => quote!(0),
        Type::Float => quote!(0.0),
        Type::Num => quote!(runtime::Num::Int(0)),
        Type::Bool => quote!(false),
        Type::Str => quote!(runtime::Str::from_static("")),
        Type::None | Type::Unknown => quote!(()),
        Type::Range => quote!(runtime::range::PyRange::up_to(0)),
        Type::Exception => quote!(runtime::Exc::placeholder()),
        Type::File => quote!(runtime::file::PyFile::placeholder()),
        Type::ExcArgs => quote!(runtime::exc::Args::from_repr(&runtime::Str::from_static(""))),
        Type::Object(class) => {
            let alias = crate::names::class(class.id);
            quote!(#alias::placeholder())
        }
        Type::Iterator(_) => quote!(runtime::Generator::placeholder()),
        Type::Array(..) => quote!(runtime::Array::placeholder()),
        // A function variable is assigned by its `def` before any use; the placeholder raises.
        Type::Function(params, ret) => {
            let params = params.iter().map(|p| {
                let ty = rust_type(p);
                quote!(_: #ty)
            });
            let ret = rust_type(ret);
            quote!(runtime::Func::new("<unbound>", std::rc::Rc::new(|#(#params),*| -> runtime::PyResult<#ret> { Err(runtime::Exc::new(runtime::ExcKind::NameError, "function used before its definition")) })))
        }
        Type::List(_) => quote!(runtime::List::new()),
        Type::Dict(_, _) => quote!(runtime::Dict::new()),
        Type::Set(_) => quote!(runtime::Set::new()),
        Type::VarTuple(_) => quote!(runtime::Tuple::new()),
        Type::Optional(_) => quote!(None),
        Type::Tuple(items) => {
            let items = items.iter().map(default_value);
            quote!((#(#items,)*))
        }
    }
}

/// The Rust element type of an array of `dtype`.
pub fn element_type(dtype: pyrsc_frontend::types::Dtype) -> TokenStream {
    use pyrsc_frontend::types::Dtype;
    match dtype {
        Dtype::F64 => quote!(f64),
        Dtype::F32 => quote!(f32),
        Dtype::I64 => quote!(i64),
        Dtype::I32 => quote!(i32),
        Dtype::U8 => quote!(u8),
        Dtype::Bool => quote!(bool),
    }
}
