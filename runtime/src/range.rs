//! `range(start, stop, step)` with a step only known at run time (literal positive steps compile
//! to Rust ranges directly). A zero step raises ValueError as in CPython.

use crate::exc::{value_error, PyResult};

/// An iterator over the values of a Python `range`: a counted loop, so that the body sees no
/// overflow checks or sign tests.
pub struct Range {
    next: i64,
    step: i64,
    remaining: u64,
}

impl Range {
    pub fn new(start: i64, stop: i64, step: i64) -> PyResult<Range> {
        if step == 0 {
            return Err(value_error("range() arg 3 must not be zero"));
        }
        Ok(Range::nonzero(start, stop, step))
    }

    /// `range(start, stop, step)` for a step known not to be zero (a literal): it cannot fail.
    /// (A zero step gives an empty range rather than an error; callers never pass one.)
    pub fn nonzero(start: i64, stop: i64, step: i64) -> Range {
        let (span, stride) = if step > 0 {
            ((stop as i128 - start as i128).max(0) as u128, step.unsigned_abs() as u128)
        } else {
            ((start as i128 - stop as i128).max(0) as u128, step.unsigned_abs() as u128)
        };
        let remaining = if stride == 0 { 0 } else { span.div_ceil(stride) as u64 };
        Range { next: start, step, remaining }
    }
}

impl Iterator for Range {
    type Item = i64;

    #[inline]
    fn next(&mut self) -> Option<i64> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let value = self.next;
        // The successor of the last value may not fit; it is never used.
        self.next = value.wrapping_add(self.step);
        Some(value)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = usize::try_from(self.remaining).unwrap_or(usize::MAX);
        (n, Some(n))
    }
}

#[cfg(test)]
mod tests {
    use super::Range;

    #[test]
    fn counts_like_python() {
        let collect = |a, b, c| Range::new(a, b, c).unwrap().collect::<Vec<i64>>();
        assert_eq!(collect(10, 0, -3), vec![10, 7, 4, 1]);
        assert_eq!(collect(0, 10, 4), vec![0, 4, 8]);
        assert_eq!(collect(5, 5, 1), Vec::<i64>::new());
        assert_eq!(collect(i64::MAX - 2, i64::MAX, 1), vec![i64::MAX - 2, i64::MAX - 1]);
        assert_eq!(collect(i64::MIN + 1, i64::MIN, -5), vec![i64::MIN + 1]);
        assert!(Range::new(0, 1, 0).is_err());
    }
}

/// A `range` object stored in a variable or passed around: `range(0, 10, 2)`.
#[derive(Clone, Copy, Debug)]
pub struct PyRange {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
}

impl PyRange {
    pub fn new(start: i64, stop: i64, step: i64) -> PyResult<PyRange> {
        if step == 0 {
            return Err(value_error("range() arg 3 must not be zero"));
        }
        Ok(PyRange { start, stop, step })
    }

    /// `range(stop)`.
    pub fn up_to(stop: i64) -> PyRange {
        PyRange { start: 0, stop, step: 1 }
    }

    /// `range(start, stop)`.
    pub fn between(start: i64, stop: i64) -> PyRange {
        PyRange { start, stop, step: 1 }
    }

    /// The values, as a counted iterator.
    pub fn iter(self) -> Range {
        Range::new(self.start, self.stop, self.step).unwrap_or(Range { next: 0, step: 1, remaining: 0 })
    }

    /// `len(r)`.
    pub fn len(self) -> i64 {
        self.iter().remaining as i64
    }

    /// `r[i]`.
    pub fn get(self, index: i64) -> PyResult<i64> {
        let len = self.len();
        let position = if index < 0 { index + len } else { index };
        if position < 0 || position >= len {
            return Err(crate::exc::Exc::new(crate::exc::ExcKind::IndexError, "range object index out of range"));
        }
        Ok(self.start + position * self.step)
    }

    /// `x in r`.
    pub fn contains(self, value: i64) -> bool {
        let in_bounds = if self.step > 0 {
            self.start <= value && value < self.stop
        } else {
            self.stop < value && value <= self.start
        };
        in_bounds && (value as i128 - self.start as i128) % (self.step as i128) == 0
    }

    /// `list(r)` (MemoryError, before any work, when the system cannot hold it).
    pub fn to_list(self) -> PyResult<crate::list::List<i64>> {
        let values = self.iter();
        let len = usize::try_from(values.remaining).map_err(|_| crate::alloc::memory_error())?;
        let mut items = crate::alloc::vec_with_capacity(len)?;
        items.extend(values);
        Ok(crate::list::List::from_vec(items))
    }
}

/// `x in r`, arguments in evaluation order.
pub fn is_in(value: i64, range: PyRange) -> bool {
    range.contains(value)
}

/// Ranges compare as the sequences they stand for: `range(0) == range(2, 2)`.
impl PartialEq for PyRange {
    fn eq(&self, other: &PyRange) -> bool {
        let (a, b) = (self.len(), other.len());
        a == b && (a == 0 || (self.start == other.start && (a == 1 || self.step == other.step)))
    }
}

impl crate::repr::PyRepr for PyRange {
    fn write_repr(&self, out: &mut String) {
        use std::fmt::Write as _;
        let _ = if self.step == 1 {
            write!(out, "range({}, {})", self.start, self.stop)
        } else {
            write!(out, "range({}, {}, {})", self.start, self.stop, self.step)
        };
    }
}
