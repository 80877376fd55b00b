//! `for piece in text.split()` / `text.split(sep)` without building the list: the pieces are
//! produced one at a time. A `str` is immutable, so this is exactly iterating the list that
//! `split` returns, minus its allocation (a large text split into words no longer needs a
//! second copy of every word in memory at once).

use crate::exc::{value_error, PyResult};
use crate::str::Str;

enum Mode {
    /// `split()`: runs of whitespace separate, leading and trailing whitespace is ignored.
    Whitespace { ascii: bool },
    /// `split(sep)`: every occurrence separates; empty pieces are kept.
    Separator { sep: Str, done: bool },
}

pub struct Pieces<'a> {
    source: &'a Str,
    rest: &'a str,
    mode: Mode,
}

fn is_ascii_space(b: &u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b'\x1c'..=b'\x1f' | b' ')
}

impl<'a> Pieces<'a> {
    pub fn whitespace(source: &'a Str) -> Pieces<'a> {
        let rest = source.as_str();
        Pieces { source, rest, mode: Mode::Whitespace { ascii: rest.is_ascii() } }
    }

    /// `split(sep)`; an empty separator raises ValueError as `str.split` does.
    pub fn separator(source: &'a Str, sep: Str) -> PyResult<Pieces<'a>> {
        if sep.is_empty() {
            return Err(value_error("empty separator"));
        }
        Ok(Pieces { source, rest: source.as_str(), mode: Mode::Separator { sep, done: false } })
    }

    /// The next piece, sharing the text's buffer when it is long.
    #[allow(clippy::should_implement_trait)]
    #[inline]
    pub fn next(&mut self) -> Option<Str> {
        match &mut self.mode {
            Mode::Whitespace { ascii: true } => {
                let bytes = self.rest.as_bytes();
                let start = bytes.iter().position(|b| !is_ascii_space(b))?;
                let end = bytes[start..].iter().position(is_ascii_space).map_or(bytes.len(), |n| start + n);
                let piece = self.rest.get(start..end)?;
                self.rest = self.rest.get(end..).unwrap_or("");
                Some(self.source.piece(piece))
            }
            Mode::Whitespace { ascii: false } => {
                let trimmed = self.rest.trim_start_matches(crate::text::is_space);
                if trimmed.is_empty() {
                    self.rest = trimmed;
                    return None;
                }
                let end = trimmed.find(crate::text::is_space).unwrap_or(trimmed.len());
                let (piece, rest) = trimmed.split_at(end);
                self.rest = rest;
                Some(self.source.piece(piece))
            }
            Mode::Separator { sep, done } => {
                if *done {
                    return None;
                }
                let sep = sep.as_str();
                let found = match sep.as_bytes() {
                    [byte] if byte.is_ascii() => self.rest.find(*byte as char),
                    _ => self.rest.find(sep),
                };
                let piece = match found {
                    Some(at) => {
                        let (piece, rest) = self.rest.split_at(at);
                        self.rest = rest.get(sep.len()..).unwrap_or("");
                        piece
                    }
                    None => {
                        *done = true;
                        self.rest
                    }
                };
                Some(self.source.piece(piece))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(mut pieces: Pieces) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(piece) = pieces.next() {
            out.push(piece.as_str().to_owned());
        }
        out
    }

    #[test]
    fn pieces_match_str_split() {
        let text = Str::from("  alpha\tbeta \n gamma  ");
        assert_eq!(collect(Pieces::whitespace(&text)), ["alpha", "beta", "gamma"]);
        let unicode = Str::from("\u{3000}über\u{2028}naïve ");
        assert_eq!(collect(Pieces::whitespace(&unicode)), ["über", "naïve"]);
        let csv = Str::from(",a,,b,");
        assert_eq!(collect(Pieces::separator(&csv, Str::from(",")).ok().unwrap()), ["", "a", "", "b", ""]);
        let words = Str::from("a<>b<>");
        assert_eq!(collect(Pieces::separator(&words, Str::from("<>")).ok().unwrap()), ["a", "b", ""]);
        assert!(Pieces::separator(&words, Str::from("")).is_err());
        assert!(collect(Pieces::whitespace(&Str::from(" \n "))).is_empty());
    }
}
