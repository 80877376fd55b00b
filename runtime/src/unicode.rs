//! Unicode character properties as CPython 3.11 sees them: Unicode 14.0.0 general categories,
//! `str.isprintable` and decimal digit values.
//!
//! The data comes from `unicode-general-category`, pinned to its Unicode 14.0.0 release (Rust's
//! own tables follow newer Unicode versions, where more code points are assigned). ASCII never
//! reaches the tables.

use std::borrow::Cow;

use unicode_general_category::{get_general_category, GeneralCategory as Category};

/// `str.isprintable()` for one character: everything but the categories Cc, Cf, Cs, Co, Cn,
/// Zs, Zl and Zp, except the ASCII space. `repr` escapes the others.
#[inline]
pub(crate) fn is_printable(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    !matches!(
        get_general_category(c),
        Category::Control
            | Category::Format
            | Category::Surrogate
            | Category::PrivateUse
            | Category::Unassigned
            | Category::SpaceSeparator
            | Category::LineSeparator
            | Category::ParagraphSeparator
    )
}

/// The value of a decimal digit (category Nd, what `int()` and `float()` accept), or `None`.
pub(crate) fn decimal_value(c: char) -> Option<u32> {
    if c.is_ascii() {
        return c.to_digit(10);
    }
    if get_general_category(c) != Category::DecimalNumber {
        return None;
    }
    // Unicode encodes every decimal digit in a run of ten consecutive code points, zero to nine,
    // so a maximal stretch of Nd code points is whole runs, and it starts with a zero.
    let is_digit = |code: u32| char::from_u32(code).is_some_and(|d| get_general_category(d) == Category::DecimalNumber);
    let mut start = c as u32;
    while start > 0 && is_digit(start - 1) {
        start -= 1;
    }
    Some((c as u32 - start) % 10)
}

/// CPython's first step of `int(s)` and `float(s)` (`_PyUnicode_TransformDecimalAndSpaceToASCII`):
/// non-ASCII whitespace becomes a space and non-ASCII decimal digits their ASCII digit; at the
/// first other non-ASCII character the text ends with a `?` (which no number syntax accepts).
pub(crate) fn number_ascii(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if crate::text::is_space(c) {
            out.push(' ');
        } else if let Some(digit) = decimal_value(c).and_then(|d| char::from_digit(d, 10)) {
            out.push(digit);
        } else {
            out.push('?');
            break;
        }
    }
    Cow::Owned(out)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_digits_of_every_script_have_their_value() {
        assert_eq!(decimal_value('7'), Some(7));
        assert_eq!(decimal_value('\u{663}'), Some(3)); // ARABIC-INDIC DIGIT THREE
        assert_eq!(decimal_value('\u{ff15}'), Some(5)); // FULLWIDTH DIGIT FIVE
        assert_eq!(decimal_value('\u{1d7d7}'), Some(9)); // MATHEMATICAL BOLD DIGIT NINE
        assert_eq!(decimal_value('\u{1d7d8}'), Some(0)); // next run: DOUBLE-STRUCK ZERO
        assert_eq!(decimal_value('\u{b2}'), None); // SUPERSCRIPT TWO is No, not Nd
        assert_eq!(decimal_value('x'), None);
    }

    #[test]
    fn numbers_in_any_script_become_ascii() {
        assert_eq!(number_ascii(" 12 "), " 12 ");
        assert_eq!(number_ascii("\u{3000}\u{661}\u{662}.\u{ff15}\u{2003}"), " 12.5 ");
        assert_eq!(number_ascii("1\u{b2}3"), "1?");
    }

    #[test]
    fn printable_follows_the_general_category() {
        assert!(is_printable('a') && is_printable(' ') && is_printable('é') && is_printable('\u{1f600}'));
        for c in ['\n', '\x7f', '\u{a0}', '\u{ad}', '\u{378}', '\u{2028}', '\u{e000}', '\u{feff}', '\u{3000}'] {
            assert!(!is_printable(c), "{c:?}");
        }
    }
}
