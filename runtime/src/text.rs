//! `str` methods: splitting, joining, stripping, searching, case and padding, with CPython's
//! results and errors. Positions are code-point indices, as in Python.

use crate::exc::{value_error, PyResult};
use crate::list::List;
use crate::str::Str;
use crate::unicode;

/// Python's `str.isspace` for one character (Unicode whitespace plus the ASCII separators
/// `\x1c`-`\x1f`).
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// Code-point index of a byte offset in `text`.
fn char_index(text: &str, byte: usize) -> i64 {
    if text.is_ascii() {
        byte as i64
    } else {
        text[..byte].chars().count() as i64
    }
}

#[inline]
pub fn upper(s: &Str) -> Str {
    map_ascii(s, u8::to_ascii_uppercase).unwrap_or_else(|| Str::from(unicode::upper(s.as_str())))
}

#[inline]
pub fn lower(s: &Str) -> Str {
    map_ascii(s, u8::to_ascii_lowercase).unwrap_or_else(|| Str::from(unicode::lower(s.as_str())))
}

/// An ASCII string with `f` applied to each byte, built without a temporary for short strings;
/// `None` when the string is not ASCII.
#[inline]
fn map_ascii(s: &Str, f: fn(&u8) -> u8) -> Option<Str> {
    let bytes = s.as_str().as_bytes();
    if !bytes.is_ascii() {
        return None;
    }
    let mut short = [0u8; 32];
    if bytes.len() <= short.len() {
        for (out, b) in short.iter_mut().zip(bytes) {
            *out = f(b);
        }
        return Str::from_ascii(&short[..bytes.len()]);
    }
    Str::from_ascii(&bytes.iter().map(f).collect::<Vec<u8>>())
}

/// An ASCII string mapped byte by byte by `f(byte, previous byte)` (`None` before the first);
/// `None` when the string is not ASCII.
fn map_ascii_in_context(s: &Str, f: impl Fn(u8, Option<u8>) -> u8) -> Option<Str> {
    let bytes = s.as_str().as_bytes();
    if !bytes.is_ascii() {
        return None;
    }
    let previous = std::iter::once(None).chain(bytes.iter().copied().map(Some));
    let mapped: Vec<u8> = bytes.iter().zip(previous).map(|(&b, p)| f(b, p)).collect();
    // ASCII mapped to ASCII is UTF-8; a long result is kept in its buffer without a copy.
    String::from_utf8(mapped).ok().map(Str::from)
}

pub fn swapcase(s: &Str) -> Str {
    let swap = |b: u8, _| if b.is_ascii_alphabetic() { b ^ 0x20 } else { b };
    map_ascii_in_context(s, swap).unwrap_or_else(|| Str::from(unicode::swapcase(s.as_str())))
}

/// `str.title()`: a character after a cased one is lowercased, any other titlecased.
pub fn title(s: &Str) -> Str {
    let title = |b: u8, previous: Option<u8>| match previous {
        Some(p) if p.is_ascii_alphabetic() => b.to_ascii_lowercase(),
        _ => b.to_ascii_uppercase(),
    };
    map_ascii_in_context(s, title).unwrap_or_else(|| Str::from(unicode::title(s.as_str())))
}

/// `str.capitalize()`: the first character titlecased, the rest lowercased.
pub fn capitalize(s: &Str) -> Str {
    let capitalize = |b: u8, previous: Option<u8>| match previous {
        None => b.to_ascii_uppercase(),
        Some(_) => b.to_ascii_lowercase(),
    };
    map_ascii_in_context(s, capitalize).unwrap_or_else(|| Str::from(unicode::capitalize(s.as_str())))
}

pub fn strip(s: &Str) -> Str {
    s.piece(s.as_str().trim_matches(is_space))
}

pub fn lstrip(s: &Str) -> Str {
    s.piece(s.as_str().trim_start_matches(is_space))
}

pub fn rstrip(s: &Str) -> Str {
    s.piece(s.as_str().trim_end_matches(is_space))
}

pub fn strip_chars(s: &Str, chars: &Str) -> Str {
    let set: Vec<char> = chars.as_str().chars().collect();
    s.piece(s.as_str().trim_matches(|c| set.contains(&c)))
}

pub fn lstrip_chars(s: &Str, chars: &Str) -> Str {
    let set: Vec<char> = chars.as_str().chars().collect();
    s.piece(s.as_str().trim_start_matches(|c| set.contains(&c)))
}

pub fn rstrip_chars(s: &Str, chars: &Str) -> Str {
    let set: Vec<char> = chars.as_str().chars().collect();
    s.piece(s.as_str().trim_end_matches(|c| set.contains(&c)))
}

/// `s.split()`: runs of whitespace separate, leading and trailing whitespace is ignored.
pub fn split_whitespace(s: &Str) -> List<Str> {
    let text = s.as_str();
    if text.is_ascii() {
        // ASCII whitespace as CPython sees it: \t \n \v \f \r, \x1c-\x1f and space.
        let is_space = |b: &u8| matches!(b, b'\t'..=b'\r' | b'\x1c'..=b'\x1f' | b' ');
        let bytes = text.as_bytes();
        let mut parts = Vec::with_capacity(bytes.iter().filter(|b| is_space(b)).count() + 1);
        // Pieces of an ASCII text split at ASCII bytes are whole `str` slices of it.
        parts.extend(
            text.split(|c: char| c.is_ascii() && is_space(&(c as u8)))
                .filter(|part| !part.is_empty())
                .map(|part| s.piece(part)),
        );
        return List::from_vec(parts);
    }
    List::from_vec(text.split(is_space).filter(|part| !part.is_empty()).map(|part| s.piece(part)).collect())
}

/// `s.split(sep)`.
pub fn split(s: &Str, sep: &Str) -> PyResult<List<Str>> {
    if sep.is_empty() {
        return Err(value_error("empty separator"));
    }
    if let [byte] = sep.as_str().as_bytes() {
        // A one-byte separator (`"\n"`, `","`): a byte search, much faster than a substring one.
        let text = s.as_str();
        let mut parts = Vec::with_capacity(text.bytes().filter(|b| b == byte).count() + 1);
        parts.extend(text.split(*byte as char).map(|part| s.piece(part)));
        return Ok(List::from_vec(parts));
    }
    Ok(List::from_vec(s.as_str().split(sep.as_str()).map(|part| s.piece(part)).collect()))
}

/// `s.split(sep, maxsplit)` (a negative `maxsplit` means no limit).
pub fn split_max(s: &Str, sep: &Str, maxsplit: i64) -> PyResult<List<Str>> {
    if sep.is_empty() {
        return Err(value_error("empty separator"));
    }
    if maxsplit < 0 {
        return split(s, sep);
    }
    Ok(List::from_vec(s.as_str().splitn(maxsplit as usize + 1, sep.as_str()).map(|part| s.piece(part)).collect()))
}

/// `s.rsplit(sep, maxsplit)`.
pub fn rsplit_max(s: &Str, sep: &Str, maxsplit: i64) -> PyResult<List<Str>> {
    if sep.is_empty() {
        return Err(value_error("empty separator"));
    }
    if maxsplit < 0 {
        return split(s, sep);
    }
    let mut parts: Vec<Str> = s.as_str().rsplitn(maxsplit as usize + 1, sep.as_str()).map(Str::from).collect();
    parts.reverse();
    Ok(List::from_vec(parts))
}

/// `s.splitlines()`: CPython's line boundaries, without the line ends.
pub fn splitlines(s: &Str) -> List<Str> {
    let text = s.as_str();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let boundary =
            matches!(c, '\n' | '\r' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\u{85}' | '\u{2028}' | '\u{2029}');
        if boundary {
            parts.push(Str::from(&text[start..i]));
            let mut next = i + c.len_utf8();
            if c == '\r' {
                if let Some(&(j, '\n')) = chars.peek() {
                    chars.next();
                    next = j + 1;
                }
            }
            start = next;
        }
    }
    if start < text.len() {
        parts.push(Str::from(&text[start..]));
    }
    List::from_vec(parts)
}

/// The characters of `s`, for `for c in s` (a str is immutable, so iterating a copy is exact).
pub fn chars(s: &Str) -> List<Str> {
    List::from_vec(s.as_str().chars().map(|c| Str::from(c.to_string())).collect())
}

/// `sep.join(parts)`.
pub fn join(sep: &Str, parts: &List<Str>) -> Str {
    parts.with_items(|items| {
        let sep = sep.as_str();
        let total = items.iter().map(|p| p.as_str().len()).sum::<usize>() + sep.len() * items.len().saturating_sub(1);
        let mut out = String::with_capacity(total);
        for (i, part) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(sep);
            }
            out.push_str(part.as_str());
        }
        Str::from(out)
    })
}

pub fn replace(s: &Str, old: &Str, new: &Str) -> Str {
    Str::from(replace_impl(s.as_str(), old.as_str(), new.as_str(), usize::MAX))
}

/// `s.replace(old, new, count)` (a negative count replaces all).
pub fn replace_count(s: &Str, old: &Str, new: &Str, count: i64) -> Str {
    let limit = if count < 0 { usize::MAX } else { count as usize };
    Str::from(replace_impl(s.as_str(), old.as_str(), new.as_str(), limit))
}

fn replace_impl(text: &str, old: &str, new: &str, limit: usize) -> String {
    if old.is_empty() {
        // CPython inserts `new` before every character and at the end.
        let mut out = String::new();
        let mut done = 0;
        for c in text.chars() {
            if done < limit {
                out.push_str(new);
                done += 1;
            }
            out.push(c);
        }
        if done < limit {
            out.push_str(new);
        }
        return out;
    }
    text.replacen(old, new, limit)
}

pub fn find(s: &Str, sub: &Str) -> i64 {
    s.as_str().find(sub.as_str()).map(|b| char_index(s.as_str(), b)).unwrap_or(-1)
}

pub fn rfind(s: &Str, sub: &Str) -> i64 {
    s.as_str().rfind(sub.as_str()).map(|b| char_index(s.as_str(), b)).unwrap_or(-1)
}

pub fn index(s: &Str, sub: &Str) -> PyResult<i64> {
    match find(s, sub) {
        -1 => Err(value_error("substring not found")),
        i => Ok(i),
    }
}

pub fn rindex(s: &Str, sub: &Str) -> PyResult<i64> {
    match rfind(s, sub) {
        -1 => Err(value_error("substring not found")),
        i => Ok(i),
    }
}

/// `s.count(sub)`: non-overlapping occurrences (`len(s) + 1` for the empty string).
pub fn count(s: &Str, sub: &Str) -> i64 {
    if sub.is_empty() {
        return s.len() + 1;
    }
    let (text, needle) = (s.as_str(), sub.as_str());
    if let [byte] = needle.as_bytes() {
        return text.bytes().filter(|b| b == byte).count() as i64;
    }
    if needle.len() <= 8 && needle.as_bytes()[0].is_ascii() {
        // A short needle: jump between occurrences of its first byte (a byte search), then
        // compare; non-overlapping, as `str.count` counts.
        let first = needle.as_bytes()[0] as char;
        let (mut count, mut rest) = (0i64, text);
        while let Some(at) = rest.find(first) {
            let candidate = &rest[at..];
            if let Some(after) = candidate.strip_prefix(needle) {
                count += 1;
                rest = after;
            } else {
                rest = &candidate[1..];
            }
        }
        return count;
    }
    text.matches(needle).count() as i64
}

pub fn startswith(s: &Str, prefix: &Str) -> bool {
    s.as_str().starts_with(prefix.as_str())
}

pub fn endswith(s: &Str, suffix: &Str) -> bool {
    s.as_str().ends_with(suffix.as_str())
}

/// `sub in s` (arguments in evaluation order: the needle first).
pub fn is_in(sub: &Str, s: &Str) -> bool {
    s.as_str().contains(sub.as_str())
}

fn all_nonempty(s: &Str, test: impl Fn(char) -> bool) -> bool {
    !s.is_empty() && s.as_str().chars().all(test)
}

pub fn isdigit(s: &Str) -> bool {
    all_nonempty(s, unicode::is_digit)
}

pub fn isalpha(s: &Str) -> bool {
    all_nonempty(s, unicode::is_alpha)
}

pub fn isalnum(s: &Str) -> bool {
    all_nonempty(s, unicode::is_alnum)
}

pub fn isspace(s: &Str) -> bool {
    all_nonempty(s, is_space)
}

/// `s.isupper()`: at least one uppercase character and no lowercase or titlecase one.
pub fn isupper(s: &Str) -> bool {
    let text = s.as_str();
    text.chars().any(unicode::is_uppercase)
        && !text.chars().any(|c| unicode::is_lowercase(c) || unicode::is_titlecase(c))
}

/// `s.islower()`: at least one lowercase character and no uppercase or titlecase one.
pub fn islower(s: &Str) -> bool {
    let text = s.as_str();
    text.chars().any(unicode::is_lowercase)
        && !text.chars().any(|c| unicode::is_uppercase(c) || unicode::is_titlecase(c))
}

/// `s.zfill(width)`: zeros after a leading sign (MemoryError for a width memory cannot hold).
pub fn zfill(s: &Str, width: i64) -> PyResult<Str> {
    let text = s.as_str();
    let len = s.len();
    if width <= len {
        return Ok(s.clone());
    }
    let fill = crate::alloc::repeat_str("0", (width - len) as usize)?;
    let mut out = String::new();
    out.try_reserve_exact(fill.len() + text.len()).map_err(|_| crate::alloc::memory_error())?;
    match text.chars().next() {
        Some(sign @ ('+' | '-')) => {
            out.push(sign);
            out.push_str(&fill);
            out.push_str(&text[1..]);
        }
        _ => {
            out.push_str(&fill);
            out.push_str(text);
        }
    }
    Ok(Str::from(out))
}

fn pad(s: &Str, width: i64, fill: &Str, left_share: impl Fn(usize) -> usize) -> PyResult<Str> {
    let mut fill_chars = fill.as_str().chars();
    let (Some(fill), None) = (fill_chars.next(), fill_chars.next()) else {
        return Err(crate::exc::Exc::new(
            crate::exc::ExcKind::TypeError,
            "The fill character must be exactly one character long",
        ));
    };
    let len = s.len();
    if width <= len {
        return Ok(s.clone());
    }
    let total = (width - len) as usize;
    let left = left_share(total);
    let mut out = String::new();
    out.try_reserve_exact(total.saturating_mul(fill.len_utf8()).saturating_add(s.as_str().len()))
        .map_err(|_| crate::alloc::memory_error())?;
    out.extend(std::iter::repeat_n(fill, left));
    out.push_str(s.as_str());
    out.extend(std::iter::repeat_n(fill, total - left));
    Ok(Str::from(out))
}

/// `s.ljust(width)` (MemoryError for a width memory cannot hold, as the other pads).
pub fn ljust(s: &Str, width: i64) -> PyResult<Str> {
    pad(s, width, &Str::from_static(" "), |_| 0)
}

pub fn rjust(s: &Str, width: i64) -> PyResult<Str> {
    pad(s, width, &Str::from_static(" "), |total| total)
}

/// `s.center(width)`: CPython's split of the padding, `marg / 2 + (marg & width & 1)` on the left.
pub fn center(s: &Str, width: i64) -> PyResult<Str> {
    center_fill(s, width, &Str::from_static(" "))
}

pub fn ljust_fill(s: &Str, width: i64, fill: &Str) -> PyResult<Str> {
    pad(s, width, fill, |_| 0)
}

pub fn rjust_fill(s: &Str, width: i64, fill: &Str) -> PyResult<Str> {
    pad(s, width, fill, |total| total)
}

pub fn center_fill(s: &Str, width: i64, fill: &Str) -> PyResult<Str> {
    pad(s, width, fill, |total| total / 2 + (total & width as usize & 1))
}

/// `ord(c)`.
pub fn ord(s: &Str) -> PyResult<i64> {
    let mut chars = s.as_str().chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c as i64),
        _ => Err(crate::exc::Exc::new(
            crate::exc::ExcKind::TypeError,
            format!("ord() expected a character, but string of length {} found", s.len()),
        )),
    }
}

/// `chr(i)`. A surrogate code point (U+D800 to U+DFFF) gives CPython a string of one lone
/// surrogate; pyrsc strings hold Unicode scalar values only (UTF-8), so that is an error that
/// says so, never a different string.
pub fn chr(code: i64) -> PyResult<Str> {
    match u32::try_from(code) {
        Ok(code @ 0xd800..=0xdfff) => Err(value_error(format!(
            "chr() arg is a surrogate (0x{code:x}): pyrsc strings cannot hold lone surrogates"
        ))),
        Ok(code) => char::from_u32(code)
            .map(|c| Str::from(c.encode_utf8(&mut [0; 4]) as &str))
            .ok_or_else(|| value_error("chr() arg not in range(0x110000)")),
        Err(_) => Err(value_error("chr() arg not in range(0x110000)")),
    }
}
