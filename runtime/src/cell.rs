//! Cells for variables that nested functions share with the function that defines them
//! (Python closures capture variables, not values: a nested function sees later assignments,
//! and `nonlocal` writes are seen by the enclosing function). Same design as `List`: an `Rc`
//! handle to a slot that is only ever borrowed inside this module, for the length of a copy.

use std::cell::UnsafeCell;
use std::rc::Rc;

use crate::exc::{Exc, ExcKind, PyResult};

pub struct Cell<T>(Rc<UnsafeCell<Option<T>>>);

impl<T> Clone for Cell<T> {
    fn clone(&self) -> Self {
        Cell(Rc::clone(&self.0))
    }
}

impl<T: Clone> Cell<T> {
    /// A variable not assigned yet.
    pub fn empty() -> Cell<T> {
        Cell(Rc::new(UnsafeCell::new(None)))
    }

    /// A parameter, assigned on entry.
    pub fn new(value: T) -> Cell<T> {
        Cell(Rc::new(UnsafeCell::new(Some(value))))
    }

    #[inline(always)]
    fn read(&self) -> Option<T> {
        // SAFETY: single-threaded (`Rc`); the shared borrow ends with the clone.
        unsafe { (*self.0.get()).clone() }
    }

    /// A read by the function that owns the variable.
    #[inline(always)]
    pub fn get_local(&self, name: &'static str) -> PyResult<T> {
        self.read().ok_or_else(|| {
            Exc::new(
                ExcKind::UnboundLocalError,
                format!("cannot access local variable '{name}' where it is not associated with a value"),
            )
        })
    }

    /// A read by a nested function.
    #[inline(always)]
    pub fn get_free(&self, name: &'static str) -> PyResult<T> {
        self.read().ok_or_else(|| {
            Exc::new(
                ExcKind::NameError,
                format!(
                    "cannot access free variable '{name}' where it is not associated with a value in enclosing scope"
                ),
            )
        })
    }

    #[inline(always)]
    pub fn set(&self, value: T) {
        // SAFETY: single-threaded; the old value is dropped after the borrow ends.
        let old = unsafe { (*self.0.get()).replace(value) };
        drop(old);
    }
}
