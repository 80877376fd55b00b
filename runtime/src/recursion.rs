//! RecursionError instead of a stack overflow: functions that can recurse (the front end knows
//! which: those on a cycle of the call graph) hold a [`Guard`] while they run.
//!
//! Only recursive functions count, so the limit is reached a few frames later than CPython's
//! 1000 when non-recursive frames sit below the recursion; the exception type is the same.
//!
//! A class's `__repr__`/`__str__` run by the runtime (printing an object, or a container or an
//! f-string holding one) recurses through the runtime, out of the call graph's sight: each such
//! call holds a [`ReprGuard`], which counts as much as CPython's three levels for it (the call of
//! the method, `PyObject_Repr`/`PyObject_Str`, the method's frame), so that an object whose repr
//! contains itself meets RecursionError after about as many frames as in CPython.

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

/// One call of a class's `__repr__` or `__str__` by the runtime.
pub struct ReprGuard(());

/// What one [`ReprGuard`] counts, and CPython's message when each of its levels is the one that
/// reaches the limit (in this order, a self-containing repr printed from module level or built
/// by an f-string fails with CPython's message after CPython's number of frames).
const REPR_LEVELS: [&str; 3] = ["while getting the {} of an object", "", "while calling a Python object"];

impl ReprGuard {
    /// Enters `repr` (`what` is `"repr"`) or `str` (`"str"`) of an object.
    #[inline]
    pub fn enter(what: &'static str) -> PyResult<ReprGuard> {
        DEPTH.with(|depth| {
            let start = depth.get();
            for (i, level) in REPR_LEVELS.iter().enumerate() {
                if start + i as u32 + 1 > LIMIT {
                    return Err(repr_limit(level, what));
                }
            }
            depth.set(start + REPR_LEVELS.len() as u32);
            Ok(ReprGuard(()))
        })
    }
}

#[cold]
fn repr_limit(level: &str, what: &str) -> Exc {
    let message = match level {
        "" => "maximum recursion depth exceeded".to_owned(),
        level => format!("maximum recursion depth exceeded {}", level.replace("{}", what)),
    };
    Exc::new(ExcKind::RecursionError, message)
}

impl Drop for ReprGuard {
    #[inline]
    fn drop(&mut self) {
        DEPTH.with(|depth| depth.set(depth.get() - REPR_LEVELS.len() as u32));
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
