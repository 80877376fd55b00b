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
        let (span, stride) = if step > 0 {
            ((stop as i128 - start as i128).max(0) as u128, step.unsigned_abs() as u128)
        } else {
            ((start as i128 - stop as i128).max(0) as u128, step.unsigned_abs() as u128)
        };
        let remaining = span.div_ceil(stride) as u64;
        Ok(Range { next: start, step, remaining })
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
