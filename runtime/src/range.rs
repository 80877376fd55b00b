//! `range(start, stop, step)` with a step only known at run time (literal positive steps compile
//! to Rust ranges directly). A zero step raises ValueError as in CPython.

use crate::exc::{value_error, PyResult};

/// An iterator over the values of a Python `range`.
pub struct Range {
    next: i64,
    stop: i64,
    step: i64,
    done: bool,
}

impl Range {
    pub fn new(start: i64, stop: i64, step: i64) -> PyResult<Range> {
        if step == 0 {
            return Err(value_error("range() arg 3 must not be zero"));
        }
        let done = if step > 0 { start >= stop } else { start <= stop };
        Ok(Range { next: start, stop, step, done })
    }
}

impl Iterator for Range {
    type Item = i64;

    #[inline]
    fn next(&mut self) -> Option<i64> {
        if self.done {
            return None;
        }
        let value = self.next;
        match value.checked_add(self.step) {
            Some(next) if (self.step > 0 && next < self.stop) || (self.step < 0 && next > self.stop) => self.next = next,
            _ => self.done = true,
        }
        Some(value)
    }
}
