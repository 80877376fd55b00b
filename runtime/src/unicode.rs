//! Unicode character properties as CPython 3.11 sees them: Unicode 14.0.0 general categories,
//! `str.isprintable`, decimal digit values, case properties and full case mappings, and
//! CPython's case conversion of whole strings (final sigma included).
//!
//! The data comes from `unicode-general-category` and `unicode-case-mapping`, pinned to their
//! Unicode 14.0.0 releases (Rust's own tables follow newer Unicode versions, which give a few
//! characters case mappings CPython 3.11 does not know). Callers handle ASCII themselves, so
//! ASCII text never pays for a table lookup.

use std::borrow::Cow;

use unicode_case_mapping as mapping;
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

/// `c.isalpha()`: the letter categories (Lu, Ll, Lt, Lm, Lo).
pub(crate) fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    matches!(
        get_general_category(c),
        Category::UppercaseLetter
            | Category::LowercaseLetter
            | Category::TitlecaseLetter
            | Category::ModifierLetter
            | Category::OtherLetter
    )
}

/// `c.isalnum()`: a letter or a number (every character of the N categories is numeric).
pub(crate) fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    is_alpha(c)
        || matches!(get_general_category(c), Category::DecimalNumber | Category::LetterNumber | Category::OtherNumber)
}

/// `c.isdigit()` as far as the general category tells: ASCII and the other decimal digits. (The
/// digits of category No, like `²`, need the Numeric_Type property, which no table here has.)
pub(crate) fn is_digit(c: char) -> bool {
    decimal_value(c).is_some()
}

/// Modifier letters that Rust's newer tables call lowercase and Unicode 14 did not
/// (Other_Lowercase grew after 14.0); the Unicode sweep fixture catches any further drift.
const LOWERCASE_SINCE_15: [char; 5] = ['\u{10fc}', '\u{a7f2}', '\u{a7f3}', '\u{a7f4}', '\u{ab69}'];

/// The Lowercase property. Letters of category Ll always have it; for the other categories
/// (modifier letters, Roman numerals, circled letters) Rust's newer tables decide, except for
/// code points unassigned in Unicode 14 and the few letters given the property since.
#[inline]
pub(crate) fn is_lowercase(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_lowercase();
    }
    match get_general_category(c) {
        Category::LowercaseLetter => true,
        Category::Unassigned => false,
        _ => c.is_lowercase() && !LOWERCASE_SINCE_15.contains(&c),
    }
}

/// The Uppercase property (see [`is_lowercase`]).
#[inline]
pub(crate) fn is_uppercase(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_uppercase();
    }
    match get_general_category(c) {
        Category::UppercaseLetter => true,
        Category::Unassigned => false,
        _ => c.is_uppercase(),
    }
}

/// Category Lt: `ǅ`, `ǈ`, `ǋ`, `ǲ` and the Greek capitals with a prosgegrammeni.
pub(crate) fn is_titlecase(c: char) -> bool {
    !c.is_ascii() && get_general_category(c) == Category::TitlecaseLetter
}

/// The Cased property: what `title()` treats as part of a word.
fn is_cased(c: char) -> bool {
    is_lowercase(c) || is_uppercase(c) || is_titlecase(c)
}

/// Appends a full case mapping from the tables (all zeros: the character maps to itself).
fn push_mapping(out: &mut String, c: char, mapped: &[u32]) {
    if matches!(mapped.first(), None | Some(0)) {
        out.push(c);
        return;
    }
    out.extend(mapped.iter().take_while(|&&m| m != 0).filter_map(|&m| char::from_u32(m)));
}

fn push_upper(out: &mut String, c: char) {
    push_mapping(out, c, &mapping::to_uppercase(c));
}

fn push_title(out: &mut String, c: char) {
    push_mapping(out, c, &mapping::to_titlecase(c));
}

/// Lowercases character by character, with each capital sigma's form decided by its context.
struct Lowering {
    /// For each `Σ` of the text, in order: whether it ends a word (`ς`).
    final_sigmas: Vec<bool>,
    next_sigma: usize,
}

const CAPITAL_SIGMA: char = '\u{3a3}';

impl Lowering {
    /// Unicode's Final_Sigma condition (a cased letter, then case-ignorable characters, before
    /// the sigma; no cased letter after the case-ignorable ones following it) is the one CPython
    /// applies, and Rust's `str::to_lowercase` applies it too: the forms are read from its result,
    /// where every other character became its own lowercase.
    fn new(text: &str) -> Lowering {
        let mut final_sigmas = Vec::new();
        if text.contains(CAPITAL_SIGMA) {
            let lowered = text.to_lowercase();
            let mut at = 0;
            for c in text.chars() {
                if c == CAPITAL_SIGMA {
                    final_sigmas.push(lowered[at..].starts_with('\u{3c2}'));
                    at += '\u{3c3}'.len_utf8();
                } else {
                    at += c.to_lowercase().map(char::len_utf8).sum::<usize>();
                }
            }
        }
        Lowering { final_sigmas, next_sigma: 0 }
    }

    /// Appends `c` lowercased; `c` is the text's next character not yet passed to `lower`/`skip`.
    fn lower(&mut self, out: &mut String, c: char) {
        if c == CAPITAL_SIGMA {
            let last = self.final_sigmas.get(self.next_sigma).copied().unwrap_or(false);
            self.next_sigma += 1;
            out.push(if last { '\u{3c2}' } else { '\u{3c3}' });
        } else {
            push_mapping(out, c, &mapping::to_lowercase(c));
        }
    }

    /// Passes over `c` (mapped some other way).
    fn skip(&mut self, c: char) {
        if c == CAPITAL_SIGMA {
            self.next_sigma += 1;
        }
    }
}

/// `s.upper()` of a non-ASCII text.
pub(crate) fn upper(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_upper(&mut out, c);
    }
    out
}

/// `s.lower()` of a non-ASCII text.
pub(crate) fn lower(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lowering = Lowering::new(text);
    for c in text.chars() {
        lowering.lower(&mut out, c);
    }
    out
}

/// `s.title()` of a non-ASCII text: a character after a cased one is lowercased, any other is
/// titlecased (`ǆ` → `ǅ`, `ß` → `Ss`, `ﬁ` → `Fi`).
pub(crate) fn title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lowering = Lowering::new(text);
    let mut previous_cased = false;
    for c in text.chars() {
        if previous_cased {
            lowering.lower(&mut out, c);
        } else {
            lowering.skip(c);
            push_title(&mut out, c);
        }
        previous_cased = is_cased(c);
    }
    out
}

/// `s.capitalize()` of a non-ASCII text: the first character titlecased (CPython 3.8 and
/// later), the rest lowercased.
pub(crate) fn capitalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lowering = Lowering::new(text);
    let mut chars = text.chars();
    if let Some(first) = chars.next() {
        lowering.skip(first);
        push_title(&mut out, first);
    }
    for c in chars {
        lowering.lower(&mut out, c);
    }
    out
}

/// `s.swapcase()` of a non-ASCII text.
pub(crate) fn swapcase(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lowering = Lowering::new(text);
    for c in text.chars() {
        if is_uppercase(c) {
            lowering.lower(&mut out, c);
        } else {
            lowering.skip(c);
            if is_lowercase(c) {
                push_upper(&mut out, c);
            } else {
                out.push(c);
            }
        }
    }
    out
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

    #[test]
    fn titlecase_is_not_uppercase() {
        assert_eq!(title("\u{1c6}a ß ﬁx ǉ"), "\u{1c5}a Ss Fix ǈ");
        assert_eq!(capitalize("ǆEMAL"), "ǅemal");
        assert_eq!(upper("ǆ ß"), "Ǆ SS");
    }

    #[test]
    fn capital_sigma_lowers_by_its_place_in_the_word() {
        assert_eq!(lower("ΣΑΣ ΟΔΟΣ. Σ"), "σας οδος. σ");
        assert_eq!(title("ΟΔΟΣ"), "Οδος");
        assert_eq!(swapcase("αΣ"), "Ας");
        assert_eq!(swapcase("ΑΣ"), "ας");
    }
}
