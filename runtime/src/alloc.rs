//! Fallible allocation where a size comes from the program (`[0] * n`, `"x" * n`,
//! `list(range(n))`, `np.zeros(n)`): a request the system cannot satisfy raises MemoryError, as
//! in CPython, instead of aborting the process. Growth one element at a time (`append`) keeps
//! the infallible, fast path: there the size comes from memory the program already holds.

use crate::exc::{Exc, ExcKind, PyResult};

/// CPython's bare `MemoryError` (no message).
#[cold]
pub fn memory_error() -> Exc {
    Exc::new(ExcKind::MemoryError, "")
}

/// An empty vector with room for `len` elements, or MemoryError.
#[inline]
pub fn vec_with_capacity<T>(len: usize) -> PyResult<Vec<T>> {
    let mut items = Vec::new();
    items.try_reserve_exact(len).map_err(|_| memory_error())?;
    Ok(items)
}

/// `[item] * len`: `len` clones of `item`, or MemoryError.
///
/// The fill keeps `vec!`'s zeroed allocation for zero values (`[0] * n`, `[False] * n`, `[0.0] *
/// n`), which the kernel maps lazily as CPython's `calloc` does, so a large table costs only the
/// pages the program touches. `vec!` itself cannot report failure, so the same request is made
/// fallibly first and released: what the system refuses raises MemoryError, and what it grants
/// is granted again an instant later.
pub fn filled<T: Clone>(item: T, len: usize) -> PyResult<Vec<T>> {
    if len.saturating_mul(std::mem::size_of::<T>()) >= PROBE_FROM {
        drop(vec_with_capacity::<T>(len)?);
    }
    Ok(vec![item; len])
}

/// Below this many bytes an allocation is not worth probing: it fits memory the process could
/// not fail to get without failing everywhere else too.
const PROBE_FROM: usize = 1 << 20;

/// `text * count` for a non-empty `text`, or MemoryError (the caller has checked that the length
/// fits an `isize`).
pub fn repeat_str(text: &str, count: usize) -> PyResult<String> {
    let total = text.len().saturating_mul(count);
    let mut out = String::new();
    out.try_reserve_exact(total).map_err(|_| memory_error())?;
    if total == 0 {
        return Ok(out);
    }
    out.push_str(text);
    // Doubling copies: a logarithmic number of `memcpy`s, as `str::repeat` does.
    while out.len() * 2 <= total {
        out.extend_from_within(..);
    }
    let rest = total - out.len();
    out.extend_from_within(..rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_sizes_raise_memory_error() {
        let error = vec_with_capacity::<u64>(usize::MAX / 16).err().map(|e| e.kind());
        assert_eq!(error, Some(ExcKind::MemoryError));
        assert_eq!(filled(0i64, usize::MAX / 16).err().map(|e| e.kind()), Some(ExcKind::MemoryError));
        assert_eq!(repeat_str("ab", usize::MAX / 4).err().map(|e| e.kind()), Some(ExcKind::MemoryError));
    }

    #[test]
    fn repeats_like_python() {
        assert_eq!(repeat_str("ab", 5).ok().as_deref(), Some("ababababab"));
        assert_eq!(repeat_str("é", 3).ok().as_deref(), Some("ééé"));
        assert_eq!(repeat_str("x", 0).ok().as_deref(), Some(""));
        assert_eq!(filled(7i64, 3).ok(), Some(vec![7, 7, 7]));
    }
}
