//! Module-level variables that functions read: a static slot that is empty until the module body
//! assigns it (reading it earlier raises NameError, as in CPython).

use std::cell::UnsafeCell;

use crate::exc::{Exc, ExcKind, PyResult};

pub struct Global<T> {
    slot: UnsafeCell<Option<T>>,
}

// SAFETY: a compiled program runs Python code on one thread (there is no `prange` yet), so a
// global is never accessed concurrently; `get` copies the value out and `set` replaces it without
// running user code while the slot is borrowed.
unsafe impl<T> Sync for Global<T> {}

impl<T: Clone> Global<T> {
    pub const fn new() -> Global<T> {
        Global { slot: UnsafeCell::new(None) }
    }

    #[inline(always)]
    pub fn get(&self, name: &'static str) -> PyResult<T> {
        // SAFETY: see the `Sync` impl; the shared borrow ends before this returns.
        match unsafe { &*self.slot.get() } {
            Some(value) => Ok(value.clone()),
            None => Err(Exc::new(ExcKind::NameError, format!("name '{name}' is not defined"))),
        }
    }

    #[inline(always)]
    pub fn set(&self, value: T) {
        // SAFETY: see the `Sync` impl; the old value is dropped after the borrow ends.
        let old = unsafe { (*self.slot.get()).replace(value) };
        drop(old);
    }
}

impl<T: Clone> Default for Global<T> {
    fn default() -> Self {
        Global::new()
    }
}
