//! `str`: an immutable, cheaply cloned Unicode string indexed by code point.
//!
//! Literals are `&'static str` (no allocation); short computed strings (up to 30 bytes: words,
//! numbers, keys) are stored inline; longer ones share one `Arc<str>`. Equality and ordering are
//! by code point, which UTF-8 byte order already gives.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::exc::PyResult;

const INLINE: usize = 30;

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    /// Valid UTF-8 in `bytes[..len]` (only ever built from a `&str`).
    Inline {
        len: u8,
        bytes: [u8; INLINE],
    },
    Shared(Arc<str>),
    /// A long computed string kept in the `String` it was built in (no copy).
    Owned(Arc<String>),
    /// A long piece of an `Owned` string (`split`, `strip`, slices) sharing its buffer.
    Slice {
        parent: Arc<String>,
        start: u32,
        len: u32,
    },
}

/// A Python `str` value.
#[derive(Clone)]
pub struct Str(Repr);

impl Str {
    /// A string literal from the program text.
    pub const fn from_static(text: &'static str) -> Str {
        Str(Repr::Static(text))
    }

    #[inline(always)]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(text) => text,
            // SAFETY: an inline string is only built by `from_text`, which copies exactly the bytes
            // of a `&str` (valid UTF-8) and records their length; the bytes are never modified.
            Repr::Inline { len, bytes } => unsafe { std::str::from_utf8_unchecked(&bytes[..*len as usize]) },
            Repr::Shared(text) => text,
            Repr::Owned(text) => text.as_str(),
            Repr::Slice { parent, start, len } => parent.get(*start as usize..(*start + *len) as usize).unwrap_or(""),
        }
    }

    /// `len(s)`: the number of code points.
    #[inline]
    pub fn len(&self) -> i64 {
        let text = self.as_str();
        if text.is_ascii() {
            text.len() as i64
        } else {
            text.chars().count() as i64
        }
    }

    pub fn is_empty(&self) -> bool {
        self.as_str().is_empty()
    }

    /// `s[i]`: the code point at `i` (negative counts from the end) as a one-character string.
    pub fn get(&self, index: i64) -> PyResult<Str> {
        let text = self.as_str();
        let error = || crate::exc::Exc::new(crate::exc::ExcKind::IndexError, "string index out of range");
        if text.is_ascii() {
            let len = text.len() as i64;
            let position = if index < 0 { index + len } else { index };
            if position < 0 || position >= len {
                return Err(error());
            }
            let p = position as usize;
            return Ok(Str::from(&text[p..p + 1]));
        }
        let len = text.chars().count() as i64;
        let position = if index < 0 { index + len } else { index };
        if position < 0 || position >= len {
            return Err(error());
        }
        let c = text.chars().nth(position as usize).ok_or_else(error)?;
        Ok(Str::from(c.to_string()))
    }

    /// `s[start:stop:step]`.
    #[inline]
    pub fn slice(&self, start: Option<i64>, stop: Option<i64>, step: Option<i64>) -> PyResult<Str> {
        let text = self.as_str();
        if text.is_ascii() {
            let bytes = text.as_bytes();
            if step.unwrap_or(1) == 1 {
                let mut positions = crate::slice::positions(bytes.len(), start, stop, step)?;
                return Ok(match positions.next() {
                    None => Str::default(),
                    Some(first) => {
                        let last = positions.last().unwrap_or(first);
                        self.piece(&text[first..=last])
                    }
                });
            }
            if (start, stop, step) == (None, None, Some(-1)) && bytes.len() <= INLINE {
                // `s[::-1]` of a short ASCII string: reversed straight into the inline buffer.
                let mut reversed = [0u8; INLINE];
                for (out, b) in reversed.iter_mut().zip(bytes.iter().rev()) {
                    *out = *b;
                }
                return Ok(Str(Repr::Inline { len: bytes.len() as u8, bytes: reversed }));
            }
            let mut short = [0u8; INLINE];
            let mut len = 0;
            let mut long: Vec<u8> = Vec::new();
            for i in crate::slice::positions(bytes.len(), start, stop, step)? {
                if len < INLINE {
                    short[len] = bytes[i];
                    len += 1;
                } else {
                    if long.is_empty() {
                        long.extend_from_slice(&short);
                    }
                    long.push(bytes[i]);
                }
            }
            let picked = if long.is_empty() { &short[..len] } else { &long[..] };
            return Ok(Str::from_ascii(picked).unwrap_or_default());
        }
        let chars: Vec<char> = text.chars().collect();
        let picked: String = crate::slice::positions(chars.len(), start, stop, step)?.map(|i| chars[i]).collect();
        Ok(Str::from(picked))
    }

    /// `a + b`.
    #[inline]
    pub fn concat(&self, other: &Str) -> Str {
        let (a, b) = (self.as_str(), other.as_str());
        if a.len() + b.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..a.len()].copy_from_slice(a.as_bytes());
            bytes[a.len()..a.len() + b.len()].copy_from_slice(b.as_bytes());
            return Str(Repr::Inline { len: (a.len() + b.len()) as u8, bytes });
        }
        let mut text = String::with_capacity(self.as_str().len() + other.as_str().len());
        text.push_str(self.as_str());
        text.push_str(other.as_str());
        Str::from(text)
    }

    /// `s * n` (a non-positive count gives the empty string).
    pub fn repeat(&self, count: i64) -> PyResult<Str> {
        if count <= 0 {
            return Ok(Str::default());
        }
        let total = (self.as_str().len() as u128) * (count as u128);
        if total > isize::MAX as u128 {
            return Err(crate::exc::Exc::new(crate::exc::ExcKind::OverflowError, "repeated string is too long"));
        }
        Ok(Str::from(crate::alloc::repeat_str(self.as_str(), count as usize)?))
    }
}

impl Str {
    /// `str(n)` for an int, written straight into an inline string (at most 20 bytes).
    #[inline]
    pub fn from_int(n: i64) -> Str {
        let mut digits = [0u8; INLINE];
        let mut pos = INLINE;
        let mut magnitude = n.unsigned_abs();
        loop {
            pos -= 1;
            digits[pos] = b'0' + (magnitude % 10) as u8;
            magnitude /= 10;
            if magnitude == 0 {
                break;
            }
        }
        if n < 0 {
            pos -= 1;
            digits[pos] = b'-';
        }
        let len = INLINE - pos;
        let mut bytes = [0u8; INLINE];
        bytes[..len].copy_from_slice(&digits[pos..]);
        Str(Repr::Inline { len: len as u8, bytes })
    }
}

impl Str {
    /// `piece`, a substring of `self.as_str()`, as a `str` value: short pieces are inline, long
    /// pieces of a long string share its buffer (no copy), anything else is copied.
    #[inline]
    pub fn piece(&self, piece: &str) -> Str {
        if piece.len() <= INLINE {
            return Str::from_text(piece);
        }
        let whole = self.as_str();
        let offset = (piece.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
        if offset.checked_add(piece.len()).is_none_or(|end| end > whole.len()) {
            return Str::from_text(piece);
        }
        let (parent, base) = match &self.0 {
            Repr::Owned(parent) => (parent, 0),
            Repr::Slice { parent, start, .. } => (parent, *start as usize),
            Repr::Static(text) => return Str::from_static(&text[offset..offset + piece.len()]),
            _ => return Str::from_text(piece),
        };
        match (u32::try_from(base + offset), u32::try_from(piece.len())) {
            (Ok(start), Ok(len)) => Str(Repr::Slice { parent: Arc::clone(parent), start, len }),
            _ => Str::from_text(piece),
        }
    }
}

/// Copies `src` (at most `INLINE` bytes) to the start of `dst` with two overlapping fixed-size
/// moves instead of a call to `memcpy`: short strings are built by the million in string loops.
#[inline(always)]
fn copy_short(dst: &mut [u8; INLINE], src: &[u8]) {
    let n = src.len();
    if n >= 16 {
        dst[..16].copy_from_slice(&src[..16]);
        dst[n - 16..n].copy_from_slice(&src[n - 16..]);
    } else if n >= 8 {
        dst[..8].copy_from_slice(&src[..8]);
        dst[n - 8..n].copy_from_slice(&src[n - 8..]);
    } else if n >= 4 {
        dst[..4].copy_from_slice(&src[..4]);
        dst[n - 4..n].copy_from_slice(&src[n - 4..]);
    } else {
        for (d, s) in dst.iter_mut().zip(src) {
            *d = *s;
        }
    }
}

impl Default for Str {
    fn default() -> Str {
        Str::from_static("")
    }
}

impl Str {
    /// An ASCII piece of a larger text (`split` fast paths); `None` when it is not ASCII.
    #[inline]
    pub(crate) fn from_ascii(bytes: &[u8]) -> Option<Str> {
        if !bytes.is_ascii() {
            return None;
        }
        if bytes.len() <= INLINE {
            let mut buffer = [0u8; INLINE];
            buffer[..bytes.len()].copy_from_slice(bytes);
            return Some(Str(Repr::Inline { len: bytes.len() as u8, bytes: buffer }));
        }
        std::str::from_utf8(bytes).ok().map(Str::from_text)
    }

    #[inline]
    fn from_text(text: &str) -> Str {
        if text.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            copy_short(&mut bytes, text.as_bytes());
            return Str(Repr::Inline { len: text.len() as u8, bytes });
        }
        Str(Repr::Shared(Arc::from(text)))
    }
}

impl From<String> for Str {
    #[inline]
    fn from(text: String) -> Str {
        if text.len() <= INLINE {
            return Str::from_text(&text);
        }
        Str(Repr::Owned(Arc::new(text)))
    }
}

impl From<&str> for Str {
    #[inline]
    fn from(text: &str) -> Str {
        Str::from_text(text)
    }
}

impl PartialEq for Str {
    #[inline]
    fn eq(&self, other: &Str) -> bool {
        // Two inline strings: their unused bytes are zero, so comparing the whole buffers
        // compares the texts without a call to memcmp.
        if let (Repr::Inline { len: a, bytes: x }, Repr::Inline { len: b, bytes: y }) = (&self.0, &other.0) {
            return a == b && x == y;
        }
        self.as_str() == other.as_str()
    }
}

impl Eq for Str {}

impl PartialOrd for Str {
    fn partial_cmp(&self, other: &Str) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Str {
    #[inline]
    fn cmp(&self, other: &Str) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Str {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl std::fmt::Debug for Str {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_copies_keep_every_length_intact() {
        let text = "abcdefghijklmnopqrstuvwxyz0123456789";
        for n in 0..=INLINE {
            let piece = &text[..n];
            assert_eq!(Str::from(piece).as_str(), piece);
            assert_eq!(Str::from(piece.to_owned()).as_str(), piece);
        }
        let long = Str::from(text.repeat(2));
        let part = long.piece(&long.as_str()[3..40]);
        assert_eq!(part.as_str(), &text.repeat(2)[3..40]);
        assert_eq!(
            Str::from("héllo wörld").slice(None, None, Some(-1)).ok().map(|s| s.as_str().to_owned()),
            Some("dlröw olléh".to_owned())
        );
    }
}
