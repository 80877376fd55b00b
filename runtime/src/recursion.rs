//! RecursionError instead of a stack overflow: functions that can recurse (the front end knows
//! which: those on a cycle of the call graph) hold a [`Guard`] while they run.
//!
//! Only recursive functions count, so the limit is reached a few frames later than CPython's
//! 1000 when non-recursive frames sit below the recursion; the exception type is the same.

use std::cell::Cell;

use crate::exc::{Exc, ExcKind, PyResult};

/// CPython's default recursion limit, less the `<module>` frame.
const LIMIT: u32 = 999;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// One active call of a recursive function.
pub struct Guard(());

impl Guard {
    #[inline]
    pub fn enter() -> PyResult<Guard> {
        DEPTH.with(|depth| {
            let next = depth.get() + 1;
            if next > LIMIT {
                return Err(Exc::new(ExcKind::RecursionError, "maximum recursion depth exceeded"));
            }
            depth.set(next);
            Ok(Guard(()))
        })
    }
}

impl Drop for Guard {
    #[inline]
    fn drop(&mut self) {
        DEPTH.with(|depth| depth.set(depth.get() - 1));
    }
}

/// The number of recursive calls now active on this thread.
#[inline]
pub fn depth() -> u32 {
    DEPTH.with(Cell::get)
}

/// Sets the count (a generator leaving its stack takes its own frames' share with it).
#[inline]
pub fn set_depth(depth: u32) {
    DEPTH.with(|d| d.set(depth))
}
