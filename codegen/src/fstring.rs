//! f-strings → Rust: literal pieces and formatted values appended to one pooled buffer, each
//! value formatted by its spec (parsed at compile time, `runtime::fmt::Spec` at run time). A
//! value whose text runs the program's code (an object's `__str__`) is written the fallible way.

use proc_macro2::TokenStream;
use pyrsc_frontend::ir::{Expr, FormatPart, FormatSpec};
use pyrsc_frontend::types::Type;
use quote::quote;

use crate::FnGen;

impl FnGen<'_> {
    pub(crate) fn fstring(&mut self, e: &Expr, parts: &[FormatPart]) -> TokenStream {
        let buffer = self.fresh("text");
        let mut pieces = Vec::new();
        for part in parts {
            match part {
                FormatPart::Literal(text) => {
                    let mut chars = text.chars();
                    match (chars.next(), chars.next()) {
                        // One character (`","`): a push, not a call to copy a slice.
                        (Some(c), None) => pieces.push(quote!(#buffer.push(#c);)),
                        _ => pieces.push(quote!(#buffer.push_str(#text);)),
                    }
                }
                FormatPart::Value { value, conversion, spec } => {
                    let frame = self.frame(e.loc);
                    // A value whose text runs its class's `__str__`/`__repr__` may raise: CPython
                    // reports it at the whole f-string.
                    let runs_code = value.ty.repr_runs_code();
                    let tokens = if let Some(conversion) = conversion {
                        let inner = self.expr_ref(value);
                        let text = match (*conversion == 'r', runs_code) {
                            (true, false) => quote!(runtime::repr::to_repr(#inner)),
                            (false, false) => quote!(runtime::repr::to_str(#inner)),
                            (true, true) => quote!(runtime::repr::try_to_repr(#inner).at(#frame)?),
                            (false, true) => quote!(runtime::repr::try_to_str(#inner).at(#frame)?),
                        };
                        match spec {
                            Some(spec) => {
                                let spec = spec_tokens(spec);
                                quote!(runtime::fmt::format_str((#text).as_str(), #spec, &mut #buffer).at(#frame)?;)
                            }
                            None => quote!(runtime::repr::PyRepr::write_str(&#text, &mut #buffer);),
                        }
                    } else if runs_code && spec.is_none() {
                        let inner = self.expr_ref(value);
                        quote!(runtime::repr::PyRepr::try_write_str(#inner, &mut #buffer).at(#frame)?;)
                    } else {
                        match spec {
                            None => {
                                let inner = self.expr_ref(value);
                                quote!(runtime::repr::PyRepr::write_str(#inner, &mut #buffer);)
                            }
                            Some(spec) => {
                                let spec = spec_tokens(spec);
                                match &value.ty {
                                    Type::Str => {
                                        let inner = self.expr_ref(value);
                                        quote!(runtime::fmt::format_str(#inner.as_str(), #spec, &mut #buffer).at(#frame)?;)
                                    }
                                    ty => {
                                        let inner = self.expr(value);
                                        let function = match ty {
                                            Type::Int => quote!(format_int),
                                            Type::Bool => quote!(format_bool),
                                            Type::Num => quote!(format_num),
                                            _ => quote!(format_float),
                                        };
                                        quote!(runtime::fmt::#function(#inner, #spec, &mut #buffer).at(#frame)?;)
                                    }
                                }
                            }
                        }
                    };
                    pieces.push(tokens);
                }
            }
        }
        quote!({ let mut #buffer = runtime::buffer::Buffer::take(); #(#pieces)* #buffer.finish() })
    }
}

fn spec_tokens(spec: &FormatSpec) -> TokenStream {
    let fill = spec.fill;
    let align = match spec.align {
        None => quote!(None),
        Some('<') => quote!(Some(runtime::fmt::Align::Left)),
        Some('^') => quote!(Some(runtime::fmt::Align::Center)),
        Some('=') => quote!(Some(runtime::fmt::Align::AfterSign)),
        Some(_) => quote!(Some(runtime::fmt::Align::Right)),
    };
    let sign = match spec.sign {
        '+' => quote!(runtime::fmt::Sign::Plus),
        ' ' => quote!(runtime::fmt::Sign::Space),
        _ => quote!(runtime::fmt::Sign::Minus),
    };
    let alternate = spec.alternate;
    let zero_pad = spec.zero_pad;
    let width = spec.width;
    let grouping = match spec.grouping {
        Some(',') => quote!(runtime::fmt::Grouping::Comma),
        Some('_') => quote!(runtime::fmt::Grouping::Underscore),
        _ => quote!(runtime::fmt::Grouping::None),
    };
    let precision = match spec.precision {
        Some(p) => quote!(Some(#p)),
        None => quote!(None),
    };
    let kind = match spec.kind {
        Some(k) => quote!(Some(#k)),
        None => quote!(None),
    };
    quote!(&runtime::fmt::Spec { fill: #fill, align: #align, sign: #sign, alternate: #alternate, zero_pad: #zero_pad, width: #width, grouping: #grouping, precision: #precision, kind: #kind })
}
