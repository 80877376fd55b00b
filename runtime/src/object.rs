//! Objects of user classes. Generated code declares one struct per class hierarchy (the class
//! of the object as a number, then one field slot per field of the hierarchy) behind an `Rc`,
//! so objects are shared references as in Python. Fields live in the slots below: [`Slot`] for
//! a field every `__init__` assigns before anything reads it, [`MaybeSlot`] for one that may be
//! unset (reading it then raises AttributeError, as CPython does).
//!
//! A slot hands out clones (scalars, or other handles) and takes new values; no reference into
//! it escapes a method and no user code runs inside one, so the `UnsafeCell` access is never
//! re-entered. Slots are neither `Send` nor `Sync`: objects stay on their thread.

use std::cell::UnsafeCell;

use crate::exc::{Exc, ExcKind, PyResult};

/// A field that always holds a value.
pub struct Slot<T>(UnsafeCell<T>);

impl<T: Clone> Slot<T> {
    #[inline(always)]
    pub fn new(value: T) -> Slot<T> {
        Slot(UnsafeCell::new(value))
    }

    /// Reads the field (a copy of a scalar, or another reference).
    #[inline(always)]
    pub fn get(&self) -> T {
        // SAFETY: single-threaded (`UnsafeCell` is !Sync) and the shared borrow ends before
        // this returns; `T::clone` is a runtime or derived clone that runs no user code.
        unsafe { (*self.0.get()).clone() }
    }

    #[inline(always)]
    pub fn set(&self, value: T) {
        // SAFETY: as in `get`; the old value is dropped after the borrow ends, so a drop
        // that frees other objects never sees this slot borrowed.
        let old = unsafe { std::mem::replace(&mut *self.0.get(), value) };
        drop(old);
    }
}

/// A field that some path may leave unset.
pub struct MaybeSlot<T>(UnsafeCell<Option<T>>);

impl<T: Clone> Default for MaybeSlot<T> {
    fn default() -> Self {
        MaybeSlot::unset()
    }
}

impl<T: Clone> MaybeSlot<T> {
    #[inline(always)]
    pub fn unset() -> MaybeSlot<T> {
        MaybeSlot(UnsafeCell::new(None))
    }

    /// Reads the field, or raises CPython's AttributeError when it was never assigned.
    #[inline(always)]
    pub fn get(&self, class: &'static str, field: &'static str) -> PyResult<T> {
        // SAFETY: as in `Slot::get`.
        match unsafe { (*self.0.get()).clone() } {
            Some(value) => Ok(value),
            None => Err(no_attribute(class, field)),
        }
    }

    #[inline(always)]
    pub fn set(&self, value: T) {
        // SAFETY: as in `Slot::set`.
        let old = unsafe { std::mem::replace(&mut *self.0.get(), Some(value)) };
        drop(old);
    }
}

#[cold]
fn no_attribute(class: &str, field: &str) -> Exc {
    Exc::new(ExcKind::AttributeError, format!("'{class}' object has no attribute '{field}'"))
}

/// `repr(obj)` of a class without `__repr__`: `<__main__.Point object at 0x7f...>`.
pub fn default_repr(module: &str, class: &str, address: *const u8, out: &mut String) {
    use std::fmt::Write as _;
    let _ = write!(out, "<{module}.{class} object at {address:p}>");
}

/// An exception raised by `__repr__`, `__str__` or `__eq__` where the runtime called it itself
/// (printing a container of objects, `in`): it cannot travel on, so it ends the program with
/// its traceback, as an uncaught exception does (inside an extension module: a panic, which
/// the module's wrapper turns into SystemError).
#[cold]
pub fn special_failed(exc: Exc, file: &str, source: &str) -> ! {
    crate::print::flush_stdout();
    if cfg!(feature = "python") {
        panic!("exception in a special method called by the runtime: {}", exc.message());
    }
    std::process::exit(crate::exc::report_uncaught(exc, file, source))
}
