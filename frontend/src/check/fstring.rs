//! f-strings: each `{value!conv:spec}` is checked, its spec parsed and validated for the
//! value's type at compile time.

use super::Checker;
use crate::diagnostic::Code;
use crate::format_spec;
use crate::ir::{Expr, ExprKind, FormatPart};
use crate::span::Span;
use crate::syntax::FStringPart;
use crate::types::Type;

/// The name of the hidden call `%d` formatting makes of its value (the `PercentInt` rows: any
/// real number, a float truncated); no Python name spells it.
pub(super) const PERCENT_INT: &str = "$%d";

impl Checker<'_> {
    pub fn fstring(&mut self, parts: &[FStringPart], span: Span) -> Expr {
        let mut out = Vec::new();
        for part in parts {
            match part {
                FStringPart::Literal(text) => out.push(FormatPart::Literal(text.clone())),
                FStringPart::Value { value, conversion, spec } => {
                    let checked = self.expr(value, None);
                    if self.reject_array_text(&checked, value.span) {
                        continue;
                    }
                    let conversion = match conversion {
                        None => None,
                        Some(c @ ('s' | 'r')) => Some(*c),
                        Some(other) => {
                            self.error(
                                Code::Unsupported,
                                value.span,
                                format!("the conversion `!{other}` is not supported"),
                                "here",
                                "use `!r` or `!s`",
                            );
                            None
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
                    out.push(FormatPart::Value { value: checked, conversion, spec });
                }
            }
        }
        Expr::new(ExprKind::FString(out), Type::Str, self.loc(span))
    }
}

/// One piece of a `%`-format string.
enum Percent {
    Literal(String),
    /// flags, width, precision, conversion character.
    Spec {
        flags: String,
        width: Option<usize>,
        precision: Option<usize>,
        kind: char,
    },
}

fn parse_percent(format: &str) -> Result<Vec<Percent>, String> {
    let chars: Vec<char> = format.chars().collect();
    let mut out = Vec::new();
    let mut literal = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '%' {
            literal.push(chars[i]);
            i += 1;
            continue;
        }
        i += 1;
        if i < chars.len() && chars[i] == '%' {
            literal.push('%');
            i += 1;
            continue;
        }
        if !literal.is_empty() {
            out.push(Percent::Literal(std::mem::take(&mut literal)));
        }
        if i < chars.len() && chars[i] == '(' {
            return Err("mapping keys (`%(name)s`) are not supported; use an f-string".to_owned());
        }
        let mut flags = String::new();
        while i < chars.len() && "-+ #0".contains(chars[i]) {
            flags.push(chars[i]);
            i += 1;
        }
        let number = |i: &mut usize| -> Option<usize> {
            let start = *i;
            while *i < chars.len() && chars[*i].is_ascii_digit() {
                *i += 1;
            }
            chars[start..*i].iter().collect::<String>().parse().ok()
        };
        if i < chars.len() && chars[i] == '*' {
            return Err("`*` widths are not supported; use an f-string".to_owned());
        }
        let width = number(&mut i);
        let precision = if i < chars.len() && chars[i] == '.' {
            i += 1;
            Some(number(&mut i).unwrap_or(0))
        } else {
            None
        };
        let Some(&kind) = chars.get(i) else { return Err("incomplete format".to_owned()) };
        i += 1;
        if !"sdiurfFeEgGxXoc".contains(kind) {
            return Err(format!("unsupported format character '{kind}'"));
        }
        out.push(Percent::Spec { flags, width, precision, kind });
    }
    if !literal.is_empty() {
        out.push(Percent::Literal(literal));
    }
    Ok(out)
}

impl Checker<'_> {
    /// `"format" % values`: rewritten as the f-string CPython's `%` formatting is equivalent to.
    pub fn percent_format(
        &mut self,
        format: &str,
        format_span: Span,
        values: &crate::syntax::Expr,
        span: Span,
    ) -> Expr {
        use crate::syntax::{Expr as SynExpr, ExprKind as S};
        let pieces = match parse_percent(format) {
            Ok(pieces) => pieces,
            Err(message) => {
                self.error(
                    Code::InvalidFormatSpec,
                    format_span,
                    format!("invalid %-format: {message}"),
                    "here",
                    "write it as an f-string: f\"{x:.2f}\"",
                );
                return self.poisoned(span);
            }
        };
        let wanted = pieces.iter().filter(|p| matches!(p, Percent::Spec { .. })).count();
        let items: Vec<SynExpr> = match &values.kind {
            S::Tuple(items) => items.clone(),
            _ if wanted == 1 => vec![values.clone()],
            _ => {
                self.error(
                    Code::Unsupported,
                    values.span,
                    "with several `%` fields the values must be written as a tuple here",
                    "not a tuple display",
                    "write `fmt % (a, b)`",
                );
                return self.poisoned(span);
            }
        };
        if items.len() != wanted {
            let message = if items.len() > wanted {
                "not all arguments converted during string formatting"
            } else {
                "not enough arguments for format string"
            };
            self.error(
                Code::WrongArgumentCount,
                span,
                message,
                format!("{wanted} field(s), {} value(s)", items.len()),
                "give one value per `%` field",
            );
            return self.poisoned(span);
        }
        let mut items = items.into_iter();
        let mut parts = Vec::new();
        for piece in pieces {
            match piece {
                Percent::Literal(text) => parts.push(FStringPart::Literal(text)),
                Percent::Spec { flags, width, precision, kind } => {
                    let Some(value) = items.next() else { break };
                    let left = flags.contains('-');
                    let mut spec = String::new();
                    let text_kind = matches!(kind, 's' | 'r');
                    // `%` right-aligns strings (format() would left-align them).
                    if left {
                        spec.push('<');
                    } else if text_kind && width.is_some() {
                        spec.push('>');
                    }
                    if flags.contains('+') {
                        spec.push('+');
                    } else if flags.contains(' ') {
                        spec.push(' ');
                    }
                    if flags.contains('#') {
                        spec.push('#');
                    }
                    if flags.contains('0') && !left && !text_kind {
                        spec.push('0');
                    }
                    if let Some(width) = width {
                        spec.push_str(&width.to_string());
                    }
                    if let Some(precision) = precision {
                        if matches!(kind, 'd' | 'i' | 'u' | 'x' | 'X' | 'o' | 'c') {
                            self.error(
                                Code::Unsupported,
                                format_span,
                                "a precision on an integer `%` field is not supported",
                                "precision",
                                "use an f-string: f\"{n:05d}\"",
                            );
                            return self.poisoned(span);
                        }
                        spec.push('.');
                        spec.push_str(&precision.to_string());
                    }
                    let (value, conversion) = match kind {
                        's' => (value, Some('s')),
                        'r' => (value, Some('r')),
                        'd' | 'i' | 'u' => {
                            spec.push('d');
                            // `%d` takes any real number and truncates a float (the `%d` rows).
                            let int = SynExpr {
                                kind: S::Call {
                                    func: Box::new(SynExpr { kind: S::Name(PERCENT_INT.to_owned()), span: value.span }),
                                    args: vec![value.clone()],
                                    keywords: Vec::new(),
                                },
                                span: value.span,
                            };
                            (int, None)
                        }
                        other => {
                            spec.push(other);
                            (value, None)
                        }
                    };
                    let spec = if spec.is_empty() { None } else { Some((spec, format_span)) };
                    parts.push(FStringPart::Value { value, conversion, spec });
                }
            }
        }
        self.fstring(&parts, span)
    }
}
