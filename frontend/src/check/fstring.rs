//! f-strings: each `{value!conv:spec}` is checked, its spec parsed and validated for the
//! value's type at compile time.

use super::Checker;
use crate::diagnostic::Code;
use crate::format_spec;
use crate::ir::{Expr, ExprKind, FormatPart};
use crate::span::Span;
use crate::syntax::FStringPart;
use crate::types::Type;

impl Checker<'_> {
    pub fn fstring(&mut self, parts: &[FStringPart], span: Span) -> Expr {
        let mut out = Vec::new();
        for part in parts {
            match part {
                FStringPart::Literal(text) => out.push(FormatPart::Literal(text.clone())),
                FStringPart::Value { value, conversion, spec } => {
                    let checked = self.expr(value, None);
                    let repr = match conversion {
                        None | Some('s') => false,
                        Some('r') => true,
                        Some(other) => {
                            self.error(Code::Unsupported, value.span, format!("the conversion `!{other}` is not supported"), "here", "use `!r` or `!s`");
                            false
                        }
                    };
                    let spec = match spec {
                        Some((text, spec_span)) if !text.is_empty() => {
                            // After `!r` / `!s` the spec applies to the resulting string.
                            let formatted_type = if conversion.is_some() { Type::Str } else { checked.ty.clone() };
                            match format_spec::parse(text).and_then(|s| {
                                if formatted_type.has_unknown() {
                                    Ok(s)
                                } else {
                                    format_spec::validate(&s, &formatted_type).map(|_| s)
                                }
                            }) {
                                Ok(parsed) => Some(parsed),
                                Err(message) => {
                                    self.error(
                                        Code::InvalidFormatSpec,
                                        *spec_span,
                                        format!("invalid format spec `{text}` for {formatted_type}: {message}"),
                                        "bad format spec",
                                        "see https://docs.python.org/3/library/string.html#format-specification-mini-language",
                                    );
                                    None
                                }
                            }
                        }
                        _ => None,
                    };
                    out.push(FormatPart::Value { value: checked, repr, spec });
                }
            }
        }
        Expr::new(ExprKind::FString(out), Type::Str, self.loc(span))
    }
}
