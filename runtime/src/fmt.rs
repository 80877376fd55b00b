//! Format specs (`f"{x:>10.3f}"`, `format(x, spec)`): the parsed [`Spec`] and the formatting of
//! ints, floats, bools and strings under it, following CPython's `__format__` rules.
//!
//! The front end parses and validates spec literals at compile time and generated code passes a
//! `Spec` constant, so a bad spec is a compile error and formatting never parses text at run time.

use crate::exc::{overflow, PyResult};
use crate::repr::PyRepr;
use crate::str::Str;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
    Center,
    /// `=`: padding between the sign and the digits.
    AfterSign,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    Minus,
    Plus,
    Space,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grouping {
    None,
    Comma,
    Underscore,
}

/// A parsed format spec: `[[fill]align][sign][#][0][width][grouping][.precision][type]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spec {
    pub fill: char,
    pub align: Option<Align>,
    pub sign: Sign,
    pub alternate: bool,
    pub zero_pad: bool,
    pub width: usize,
    pub grouping: Grouping,
    pub precision: Option<usize>,
    /// The presentation type (`d`, `f`, `e`, `g`, `%`, `x`, `s`, ...), if given.
    pub kind: Option<char>,
}

impl Spec {
    pub const EMPTY: Spec = Spec {
        fill: ' ',
        align: None,
        sign: Sign::Minus,
        alternate: false,
        zero_pad: false,
        width: 0,
        grouping: Grouping::None,
        precision: None,
        kind: None,
    };

    fn is_empty(&self) -> bool {
        *self == Spec::EMPTY
    }
}

/// Inserts the grouping separator every `every` digits from the right of `digits`.
fn group_digits(digits: &str, separator: char, every: usize) -> String {
    let chars: Vec<char> = digits.chars().collect();
    let mut out = String::with_capacity(chars.len() + chars.len() / every);
    for (i, c) in chars.iter().enumerate() {
        if i > 0 && (chars.len() - i).is_multiple_of(every) {
            out.push(separator);
        }
        out.push(*c);
    }
    out
}

/// Pads a formatted number: `sign` + `prefix` + `body`, honouring fill, alignment and zero padding.
fn pad_number(out: &mut String, spec: &Spec, sign: &str, prefix: &str, body: &str) {
    let (fill, align) = if spec.zero_pad && spec.align.is_none() {
        ('0', Align::AfterSign)
    } else {
        (spec.fill, spec.align.unwrap_or(Align::Right))
    };
    if spec.width == 0 && sign.is_empty() && prefix.is_empty() {
        // The common `{x:.3f}` / `{n}`: nothing to pad or prefix.
        out.push_str(body);
        return;
    }
    let padding = if spec.width == 0 {
        0
    } else {
        let len = sign.chars().count() + prefix.chars().count() + body.chars().count();
        spec.width.saturating_sub(len)
    };
    if align == Align::AfterSign && fill == '0' && spec.grouping != Grouping::None && padding > 0 {
        // CPython groups the zero padding too: f"{1234:010,}" == "00,001,234".
        let separator = if spec.grouping == Grouping::Comma { ',' } else { '_' };
        let every = if matches!(spec.kind, Some('b' | 'o' | 'x' | 'X')) { 4 } else { 3 };
        let (int_part, rest) = split_integer_part(body);
        let plain: String = int_part.chars().filter(|c| *c != separator).collect();
        let target = spec.width.saturating_sub(sign.len() + prefix.len() + rest.chars().count());
        let mut digits = plain.clone();
        let mut grouped = group_digits(&digits, separator, every);
        while grouped.chars().count() < target {
            digits.insert(0, '0');
            grouped = group_digits(&digits, separator, every);
        }
        out.push_str(sign);
        out.push_str(prefix);
        out.push_str(&grouped);
        out.push_str(rest);
        return;
    }
    let push_fill = |out: &mut String, n: usize| out.extend(std::iter::repeat_n(fill, n));
    match align {
        Align::Left => {
            out.push_str(sign);
            out.push_str(prefix);
            out.push_str(body);
            push_fill(out, padding);
        }
        Align::Right => {
            push_fill(out, padding);
            out.push_str(sign);
            out.push_str(prefix);
            out.push_str(body);
        }
        Align::Center => {
            push_fill(out, padding / 2);
            out.push_str(sign);
            out.push_str(prefix);
            out.push_str(body);
            push_fill(out, padding - padding / 2);
        }
        Align::AfterSign => {
            out.push_str(sign);
            out.push_str(prefix);
            push_fill(out, padding);
            out.push_str(body);
        }
    }
}

/// Splits "1234.5e+06" into ("1234", ".5e+06"): the digits that grouping applies to.
fn split_integer_part(body: &str) -> (&str, &str) {
    let end = body.find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '_')).unwrap_or(body.len());
    body.split_at(end)
}

fn sign_text(negative: bool, sign: Sign) -> &'static str {
    match (negative, sign) {
        (true, _) => "-",
        (false, Sign::Plus) => "+",
        (false, Sign::Space) => " ",
        (false, Sign::Minus) => "",
    }
}

fn apply_grouping(body: &str, spec: &Spec, every: usize) -> String {
    let separator = match spec.grouping {
        Grouping::None => return body.to_owned(),
        Grouping::Comma => ',',
        Grouping::Underscore => '_',
    };
    let (int_part, rest) = split_integer_part(body);
    let mut out = group_digits(int_part, separator, every);
    out.push_str(rest);
    out
}

/// `format(n, spec)` for an int.
pub fn format_int(n: i64, spec: &Spec, out: &mut String) -> PyResult<()> {
    let kind = spec.kind.unwrap_or('d');
    if matches!(kind, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') {
        return format_float(n as f64, spec, out);
    }
    if kind == 'c' {
        let code =
            u32::try_from(n).ok().and_then(char::from_u32).ok_or_else(|| overflow("%c arg not in range(0x110000)"))?;
        let text = code.to_string();
        pad_text(out, spec, &text, Align::Right);
        return Ok(());
    }
    let magnitude = n.unsigned_abs();
    if matches!(kind, 'd' | 'n') && spec.grouping == Grouping::None {
        // Decimal without grouping (`{i:03d}`, `{n:>6}`): digits from the stack.
        let digits = match i64::try_from(magnitude) {
            Ok(m) => crate::str::Str::from_int(m),
            Err(_) => crate::str::Str::from_static("9223372036854775808"),
        };
        pad_number(out, spec, sign_text(n < 0, spec.sign), "", digits.as_str());
        return Ok(());
    }
    let (digits, prefix, every) = match kind {
        'b' => (format!("{magnitude:b}"), "0b", 4),
        'o' => (format!("{magnitude:o}"), "0o", 4),
        'x' => (format!("{magnitude:x}"), "0x", 4),
        'X' => (format!("{magnitude:X}"), "0X", 4),
        _ => (magnitude.to_string(), "", 3),
    };
    let body = apply_grouping(&digits, spec, every);
    let prefix = if spec.alternate { prefix } else { "" };
    pad_number(out, spec, sign_text(n < 0, spec.sign), prefix, &body);
    Ok(())
}

/// `format(b, spec)` for a bool: `str(b)` for an empty spec, otherwise formatted as an int.
pub fn format_bool(b: bool, spec: &Spec, out: &mut String) -> PyResult<()> {
    if spec.is_empty() {
        b.write_str(out);
        Ok(())
    } else {
        format_int(b as i64, spec, out)
    }
}

/// The digits of a finite float in fixed notation with `precision` decimals.
fn fixed(x: f64, precision: usize) -> String {
    let mut out = String::new();
    write_fixed(x, precision, &mut out);
    out
}

/// Appends the digits of `abs(x)` with `precision` decimals (CPython's `f` format).
fn write_fixed(x: f64, precision: usize, out: &mut String) {
    if !crate::float::write_fixed_exact(x, precision, out) {
        use std::fmt::Write as _;
        let _ = write!(out, "{:.*}", precision, x.abs());
    }
}

/// The digits of a finite float in scientific notation, with a C-style exponent.
fn scientific(x: f64, precision: usize, upper: bool) -> String {
    let text = format!("{:.*e}", precision, x.abs());
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let mut out = mantissa.to_owned();
    crate::float::push_exponent(&mut out, exponent.parse::<i32>().unwrap_or(0));
    if upper {
        out = out.to_uppercase();
    }
    out
}

/// The decimal exponent of `x` once rounded to `precision` significant digits.
fn rounded_exponent(x: f64, precision: usize) -> i32 {
    let text = format!("{:.*e}", precision.saturating_sub(1), x.abs());
    text.split_once('e').and_then(|(_, e)| e.parse().ok()).unwrap_or(0)
}

fn strip_trailing_zeros(text: &str) -> String {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(pos) => text.split_at(pos),
        None => (text, ""),
    };
    let mantissa = if mantissa.contains('.') { mantissa.trim_end_matches('0').trim_end_matches('.') } else { mantissa };
    format!("{mantissa}{exponent}")
}

/// `g` formatting (and the spec-less-type variant with a precision, `repr_like`).
fn general(x: f64, precision: Option<usize>, alternate: bool, upper: bool, repr_like: bool) -> String {
    let p = precision.unwrap_or(6).max(1);
    if x == 0.0 {
        let base = if alternate {
            format!("{:.*}", p - 1, 0.0)
        } else if repr_like {
            "0.0".to_owned()
        } else {
            "0".to_owned()
        };
        return base;
    }
    let exp = rounded_exponent(x, p);
    // The spec-less type switches to scientific one digit earlier than `g` does.
    let limit = if repr_like { p as i32 - 1 } else { p as i32 };
    let use_fixed = -4 <= exp && exp < limit;
    let text = if use_fixed { fixed(x, (p as i32 - 1 - exp).max(0) as usize) } else { scientific(x, p - 1, upper) };
    if alternate {
        return text;
    }
    let stripped = strip_trailing_zeros(&text);
    if repr_like && use_fixed && !stripped.contains('.') {
        return format!("{stripped}.0");
    }
    stripped
}

/// `format(x, spec)` for a float.
pub fn format_float(x: f64, spec: &Spec, out: &mut String) -> PyResult<()> {
    if spec.kind.is_none() && spec.precision.is_none() && spec.grouping == Grouping::None {
        let mut text = String::new();
        crate::float::write_repr(x.abs(), &mut text);
        if x.is_nan() {
            text = "nan".to_owned();
        }
        pad_number(out, spec, sign_text(x.is_sign_negative() && !x.is_nan(), spec.sign), "", &text);
        return Ok(());
    }
    let kind = spec.kind.unwrap_or('\0');
    let upper = kind.is_ascii_uppercase();
    let negative = x.is_sign_negative() && !x.is_nan();
    if matches!(kind, 'f' | 'F') && x.is_finite() && spec.grouping == Grouping::None && !spec.alternate {
        // The common `{x:.3f}`: digits on the stack, no temporary strings.
        let mut digits = [0u8; 48];
        if let Some(body) = crate::float::fixed_exact(x, spec.precision.unwrap_or(6), &mut digits) {
            pad_number(out, spec, sign_text(negative, spec.sign), "", body);
            return Ok(());
        }
    }
    let body = if !x.is_finite() {
        let word = if x.is_nan() { "nan" } else { "inf" };
        let word = if upper { word.to_uppercase() } else { word.to_owned() };
        if kind == '%' {
            format!("{word}%")
        } else {
            word
        }
    } else {
        let precision = spec.precision;
        let mut text = match kind {
            'f' | 'F' => fixed(x, precision.unwrap_or(6)),
            'e' | 'E' => scientific(x, precision.unwrap_or(6), upper),
            'g' | 'G' | 'n' => general(x, precision, spec.alternate, upper, false),
            '%' => format!("{}%", fixed(x * 100.0, precision.unwrap_or(6))),
            _ => {
                if precision.is_some() {
                    general(x, precision, spec.alternate, upper, true)
                } else {
                    crate::float::repr(x.abs())
                }
            }
        };
        if spec.alternate && !text.contains('.') && matches!(kind, 'f' | 'F' | 'e' | 'E' | '%') {
            let (int_part, rest) = split_integer_part(&text);
            text = format!("{int_part}.{rest}");
        }
        apply_grouping(&text, spec, 3)
    };
    pad_number(out, spec, sign_text(negative, spec.sign), "", &body);
    Ok(())
}

fn pad_text(out: &mut String, spec: &Spec, text: &str, default: Align) {
    let len = text.chars().count();
    let padding = spec.width.saturating_sub(len);
    let push_fill = |out: &mut String, n: usize| out.extend(std::iter::repeat_n(spec.fill, n));
    match spec.align.unwrap_or(default) {
        Align::Left => {
            out.push_str(text);
            push_fill(out, padding);
        }
        Align::Right | Align::AfterSign => {
            push_fill(out, padding);
            out.push_str(text);
        }
        Align::Center => {
            push_fill(out, padding / 2);
            out.push_str(text);
            push_fill(out, padding - padding / 2);
        }
    }
}

/// `format(s, spec)` for a string (precision truncates, default alignment is left).
pub fn format_str(s: &str, spec: &Spec, out: &mut String) -> PyResult<()> {
    match spec.precision {
        Some(limit) => {
            let truncated: String = s.chars().take(limit).collect();
            pad_text(out, spec, &truncated, Align::Left);
        }
        None => pad_text(out, spec, s, Align::Left),
    }
    Ok(())
}

/// `format(x, spec)` for a possibly-int float slot: formats the value it holds.
pub fn format_num(x: crate::num::Num, spec: &Spec, out: &mut String) -> PyResult<()> {
    match x {
        crate::num::Num::Int(n) => format_int(n, spec, out),
        crate::num::Num::Float(f) => format_float(f, spec, out),
    }
}

/// Finishes an f-string built piece by piece.
pub fn finish(text: String) -> Str {
    Str::from(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(width: usize, precision: Option<usize>, kind: Option<char>) -> Spec {
        Spec { width, precision, kind, ..Spec::EMPTY }
    }

    fn float(x: f64, spec: Spec) -> String {
        let mut out = String::new();
        format_float(x, &spec, &mut out).unwrap();
        out
    }

    #[test]
    fn floats_format_like_cpython() {
        assert_eq!(float(1.23456, spec(0, Some(2), Some('f'))), "1.23");
        assert_eq!(float(3.0, spec(0, None, Some('e'))), "3.000000e+00");
        assert_eq!(float(0.00001, spec(0, None, Some('g'))), "1e-05");
        assert_eq!(float(123456789.0, spec(0, None, Some('g'))), "1.23457e+08");
        assert_eq!(float(100000.0, spec(0, None, Some('g'))), "100000");
        assert_eq!(float(12.0, spec(0, Some(2), None)), "1.2e+01");
        assert_eq!(float(1.0, spec(0, Some(3), None)), "1.0");
        assert_eq!(float(1.5, spec(10, None, None)), "       1.5");
        assert_eq!(float(f64::NAN, spec(5, None, None)), "  nan");
        assert_eq!(float(123456789.0, Spec { grouping: Grouping::Comma, ..Spec::EMPTY }), "123,456,789.0");
    }

    #[test]
    fn ints_format_like_cpython() {
        let int = |n: i64, spec: Spec| {
            let mut out = String::new();
            format_int(n, &spec, &mut out).unwrap();
            out
        };
        assert_eq!(int(-7, Spec { zero_pad: true, width: 5, ..Spec::EMPTY }), "-0007");
        assert_eq!(int(1234567, Spec { grouping: Grouping::Underscore, ..Spec::EMPTY }), "1_234_567");
        assert_eq!(int(255, Spec { alternate: true, kind: Some('x'), ..Spec::EMPTY }), "0xff");
        assert_eq!(int(255, Spec { grouping: Grouping::Underscore, kind: Some('b'), ..Spec::EMPTY }), "1111_1111");
        assert_eq!(int(-7, Spec { align: Some(Align::AfterSign), width: 5, ..Spec::EMPTY }), "-   7");
        assert_eq!(
            int(1234, Spec { zero_pad: true, width: 10, grouping: Grouping::Comma, ..Spec::EMPTY }),
            "00,001,234"
        );
    }
}
