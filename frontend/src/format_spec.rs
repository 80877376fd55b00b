//! Format-spec mini-language: `[[fill]align][sign][#][0][width][grouping][.precision][type]`,
//! parsed and validated at compile time so that a bad spec is a diagnostic, not a run-time
//! ValueError. The messages are CPython's.

use crate::ir::FormatSpec;
use crate::types::Type;

pub fn parse(text: &str) -> Result<FormatSpec, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut spec = FormatSpec {
        fill: ' ',
        align: None,
        sign: '-',
        alternate: false,
        zero_pad: false,
        width: 0,
        grouping: None,
        precision: None,
        kind: None,
    };
    let is_align = |c: char| matches!(c, '<' | '>' | '^' | '=');
    if chars.len() >= 2 && is_align(chars[1]) {
        spec.fill = chars[0];
        spec.align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        spec.align = Some(chars[0]);
        i = 1;
    }
    if i < chars.len() && matches!(chars[i], '+' | '-' | ' ') {
        spec.sign = chars[i];
        i += 1;
    }
    if i < chars.len() && chars[i] == '#' {
        spec.alternate = true;
        i += 1;
    }
    if i < chars.len() && chars[i] == '0' {
        spec.zero_pad = true;
        i += 1;
    }
    let start = i;
    while i < chars.len() && chars[i].is_ascii_digit() {
        i += 1;
    }
    if i > start {
        let digits: String = chars[start..i].iter().collect();
        spec.width = digits.parse().map_err(|_| "Too many decimal digits in format string".to_owned())?;
    }
    if i < chars.len() && matches!(chars[i], ',' | '_') {
        spec.grouping = Some(chars[i]);
        i += 1;
        if i < chars.len() && matches!(chars[i], ',' | '_') {
            return Err("Cannot specify both ',' and '_'.".to_owned());
        }
    }
    if i < chars.len() && chars[i] == '.' {
        i += 1;
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err("Format specifier missing precision".to_owned());
        }
        let digits: String = chars[start..i].iter().collect();
        spec.precision = Some(digits.parse().map_err(|_| "Too many decimal digits in format string".to_owned())?);
    }
    if i < chars.len() {
        spec.kind = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() {
        return Err("Invalid format specifier".to_owned());
    }
    Ok(spec)
}

fn type_name(ty: &Type) -> String {
    match ty {
        Type::Num => "float".to_owned(),
        other => other.to_string(),
    }
}

/// Checks that `spec` is valid for a value of type `ty`, with CPython's error messages.
pub fn validate(spec: &FormatSpec, ty: &Type) -> Result<(), String> {
    let unknown = |kind: char| format!("Unknown format code '{kind}' for object of type '{}'", type_name(ty));
    match ty {
        Type::Int | Type::Bool => {
            if let Some(kind) = spec.kind {
                if !matches!(kind, 'b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') {
                    return Err(unknown(kind));
                }
            }
            let integer_kind = matches!(spec.kind, None | Some('b' | 'c' | 'd' | 'o' | 'x' | 'X' | 'n'));
            if integer_kind && spec.precision.is_some() {
                return Err("Precision not allowed in integer format specifier".to_owned());
            }
            if let (Some(','), Some(kind @ ('b' | 'o' | 'x' | 'X' | 'c' | 'n'))) = (spec.grouping, spec.kind) {
                return Err(format!("Cannot specify ',' with '{kind}'."));
            }
            if spec.kind == Some('c') && spec.sign != '-' {
                return Err("Sign not allowed with integer format specifier 'c'".to_owned());
            }
            Ok(())
        }
        Type::Float | Type::Num => {
            if let Some(kind) = spec.kind {
                if !matches!(kind, 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%') {
                    return Err(unknown(kind));
                }
            }
            if *ty == Type::Num && spec.kind.is_none() && spec.precision.is_some() {
                return Err("this value may still be an int, and an int rejects a precision without a type; add a type such as 'g' or 'f'".to_owned());
            }
            if let (Some(','), Some('n')) = (spec.grouping, spec.kind) {
                return Err("Cannot specify ',' with 'n'.".to_owned());
            }
            Ok(())
        }
        Type::Str => {
            if let Some(kind) = spec.kind {
                if kind != 's' {
                    return Err(unknown(kind));
                }
            }
            if spec.sign != '-' {
                return Err("Sign not allowed in string format specifier".to_owned());
            }
            if spec.alternate {
                return Err("Alternate form (#) not allowed in string format specifier".to_owned());
            }
            if spec.align == Some('=') {
                return Err("'=' alignment not allowed in string format specifier".to_owned());
            }
            if spec.grouping.is_some() {
                return Err(format!("Cannot specify '{}' with 's'.", spec.grouping.unwrap_or(',')));
            }
            Ok(())
        }
        other => Err(format!("unsupported format string passed to {}.__format__", type_name(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_field() {
        let spec = parse("*^+#012,.3f").unwrap();
        assert_eq!(
            (spec.fill, spec.align, spec.sign, spec.alternate, spec.zero_pad),
            ('*', Some('^'), '+', true, true)
        );
        assert_eq!((spec.width, spec.grouping, spec.precision, spec.kind), (12, Some(','), Some(3), Some('f')));
    }

    #[test]
    fn rejects_like_cpython() {
        assert!(parse(".f").is_err());
        assert!(parse("10x3").is_err());
        assert_eq!(
            validate(&parse(".2d").unwrap(), &Type::Int).unwrap_err(),
            "Precision not allowed in integer format specifier"
        );
        assert_eq!(
            validate(&parse("d").unwrap(), &Type::Float).unwrap_err(),
            "Unknown format code 'd' for object of type 'float'"
        );
    }
}
