//! `repr()` and `str()` for every runtime value, through one trait so that `print`, f-strings,
//! `str()` and container reprs always agree with each other and with CPython.
//!
//! Two ways in: `write_repr`/`write_str` for values whose text needs no program code (numbers,
//! strings, containers of them: the hot printing paths, which cannot fail), and
//! `try_write_repr`/`try_write_str` for values that may run a class's `__repr__`/`__str__`
//! (objects, and containers holding them), which may raise — including RecursionError when a
//! structure's repr contains itself. Code generation takes the fallible way exactly where the
//! front end's effects analysis says the value's text can raise.

use std::fmt::Write as _;

use crate::exc::PyResult;
use crate::num::Num;
use crate::str::Str;

/// Python's `repr` and `str` protocol.
pub trait PyRepr {
    /// Appends `repr(self)`.
    fn write_repr(&self, out: &mut String);
    /// Appends `str(self)`; the same as `repr` except for strings.
    fn write_str(&self, out: &mut String) {
        self.write_repr(out)
    }
    /// `str(self)` as a new string (types with a faster way than formatting override it).
    fn to_py_str(&self) -> Str {
        let mut out = String::new();
        self.write_str(&mut out);
        Str::from(out)
    }
    /// `repr(self)` where it may run the program's `__repr__`: its exception travels on.
    /// Types holding objects override this (and [`PyRepr::try_write_str`]).
    #[inline]
    fn try_write_repr(&self, out: &mut String) -> PyResult<()> {
        self.write_repr(out);
        Ok(())
    }
    /// `str(self)` where it may run the program's `__str__` or `__repr__`.
    #[inline]
    fn try_write_str(&self, out: &mut String) -> PyResult<()> {
        self.write_str(out);
        Ok(())
    }
}

/// `str(value)` as a new string.
#[inline]
pub fn to_str<T: PyRepr + ?Sized>(value: &T) -> Str {
    value.to_py_str()
}

/// `repr(value)` as a new string.
pub fn to_repr<T: PyRepr + ?Sized>(value: &T) -> Str {
    let mut out = String::new();
    value.write_repr(&mut out);
    Str::from(out)
}

/// `str(value)` for a value whose text runs the program's code (and may raise).
pub fn try_to_str<T: PyRepr + ?Sized>(value: &T) -> PyResult<Str> {
    let mut out = String::new();
    value.try_write_str(&mut out)?;
    Ok(Str::from(out))
}

/// `repr(value)` for a value whose text runs the program's code (and may raise).
pub fn try_to_repr<T: PyRepr + ?Sized>(value: &T) -> PyResult<Str> {
    let mut out = String::new();
    value.try_write_repr(&mut out)?;
    Ok(Str::from(out))
}

/// The items of a container between `open` and `close`, each by `item` (a repr, fallible or
/// not), separated by `", "`; one item gets `one_suffix` after it (`(1,)`).
pub(crate) fn write_items<'a, T: 'a>(
    items: impl IntoIterator<Item = &'a T>,
    (open, close): (&str, &str),
    one_suffix: &str,
    out: &mut String,
    mut item: impl FnMut(&T, &mut String) -> PyResult<()>,
) -> PyResult<()> {
    out.push_str(open);
    let mut count = 0;
    for value in items {
        if count > 0 {
            out.push_str(", ");
        }
        item(value, out)?;
        count += 1;
    }
    if count == 1 {
        out.push_str(one_suffix);
    }
    out.push_str(close);
    Ok(())
}

/// `item.write_repr` as the infallible case of [`write_items`].
#[inline]
pub(crate) fn plain<T: PyRepr + ?Sized>(value: &T, out: &mut String) -> PyResult<()> {
    value.write_repr(out);
    Ok(())
}

impl PyRepr for i64 {
    fn write_repr(&self, out: &mut String) {
        let _ = write!(out, "{self}");
    }
    #[inline]
    fn to_py_str(&self) -> Str {
        Str::from_int(*self)
    }
}

impl PyRepr for f64 {
    fn write_repr(&self, out: &mut String) {
        crate::float::write_repr(*self, out);
    }
}

impl PyRepr for bool {
    fn write_repr(&self, out: &mut String) {
        out.push_str(if *self { "True" } else { "False" });
    }
}

impl PyRepr for () {
    fn write_repr(&self, out: &mut String) {
        out.push_str("None");
    }
}

impl PyRepr for Num {
    fn write_repr(&self, out: &mut String) {
        match self {
            Num::Int(n) => n.write_repr(out),
            Num::Float(x) => x.write_repr(out),
        }
    }
}

impl<T: PyRepr> PyRepr for Option<T> {
    fn write_repr(&self, out: &mut String) {
        match self {
            Some(value) => value.write_repr(out),
            None => out.push_str("None"),
        }
    }
    fn write_str(&self, out: &mut String) {
        match self {
            Some(value) => value.write_str(out),
            None => out.push_str("None"),
        }
    }
    fn try_write_repr(&self, out: &mut String) -> PyResult<()> {
        match self {
            Some(value) => value.try_write_repr(out),
            None => {
                out.push_str("None");
                Ok(())
            }
        }
    }
    fn try_write_str(&self, out: &mut String) -> PyResult<()> {
        match self {
            Some(value) => value.try_write_str(out),
            None => {
                out.push_str("None");
                Ok(())
            }
        }
    }
}

impl PyRepr for Str {
    fn write_repr(&self, out: &mut String) {
        write_str_repr(self.as_str(), out);
    }
    #[inline]
    fn write_str(&self, out: &mut String) {
        out.push_str(self.as_str());
    }
    #[inline]
    fn to_py_str(&self) -> Str {
        self.clone()
    }
}

/// `repr` of a string: CPython's choice of quotes and escapes.
pub fn str_repr(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_str_repr(text, &mut out);
    out
}

pub(crate) fn write_str_repr(text: &str, out: &mut String) {
    let quote = if text.contains('\'') && !text.contains('"') { '"' } else { '\'' };
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if crate::unicode::is_printable(c) => out.push(c),
            c => {
                let code = c as u32;
                let _ = if code < 0x100 {
                    write!(out, "\\x{code:02x}")
                } else if code < 0x10000 {
                    write!(out, "\\u{code:04x}")
                } else {
                    write!(out, "\\U{code:08x}")
                };
            }
        }
    }
    out.push(quote);
}

macro_rules! tuple_repr {
    ($($name:ident : $index:tt),+) => {
        impl<$($name: PyRepr),+> PyRepr for ($($name,)+) {
            fn write_repr(&self, out: &mut String) {
                out.push('(');
                let mut _first = true;
                $(
                    if !_first { out.push_str(", "); }
                    _first = false;
                    self.$index.write_repr(out);
                )+
                if [$(stringify!($index)),+].len() == 1 { out.push(','); }
                out.push(')');
            }
            fn try_write_repr(&self, out: &mut String) -> PyResult<()> {
                out.push('(');
                let mut _first = true;
                $(
                    if !_first { out.push_str(", "); }
                    _first = false;
                    self.$index.try_write_repr(out)?;
                )+
                if [$(stringify!($index)),+].len() == 1 { out.push(','); }
                out.push(')');
                Ok(())
            }
            fn try_write_str(&self, out: &mut String) -> PyResult<()> {
                self.try_write_repr(out)
            }
        }
    };
}

for_tuple_arities!(tuple_repr);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_repr_picks_quotes_like_cpython() {
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(str_repr("tab\tnl\n\x01é"), "'tab\\tnl\\n\\x01é'");
    }

    #[test]
    fn tuples_print_like_python() {
        let mut out = String::new();
        (1i64,).write_repr(&mut out);
        (2.5f64, Str::from_static("x"), true).write_repr(&mut out);
        assert_eq!(out, "(1,)(2.5, 'x', True)");
    }
}
