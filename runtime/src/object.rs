//! Objects of user classes. Generated code declares one struct per class hierarchy (the class
//! of the object as a number, then one field slot per field of the hierarchy) behind an `Rc`,
//! so objects are shared references as in Python. Fields live in the slots below: [`Slot`] for
//! a field every `__init__` assigns before anything reads it, [`MaybeSlot`] for one that may be
//! unset (reading it then raises AttributeError, as CPython does).
//!
//! A slot hands out clones (scalars, or other handles) and takes new values; no reference into
//! it escapes a method and no user code runs inside one, so the `UnsafeCell` access is never
//! re-entered. Slots are neither `Send` nor `Sync`: objects stay on their thread.
//!
//! [`Obj`] is the reference-counted handle itself: a reference count whose memory, when the last
//! reference goes, returns to a per-thread free list of its type ([`Pool`]) instead of to
//! `malloc`, so that allocation-heavy code (trees built and dropped in a loop) reuses it at
//! the cost of a pointer swap, as CPython's own free lists do.

use std::cell::{Cell, UnsafeCell};
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::ptr::NonNull;

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

impl<T> Slot<Option<T>> {
    /// `field is None`, without copying the value out.
    #[inline(always)]
    pub fn holds_none(&self) -> bool {
        // SAFETY: as in `Slot::get`; only the discriminant is read.
        unsafe { (*self.0.get()).is_none() }
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
        let old = unsafe { (*self.0.get()).replace(value) };
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

/// `repr(e)` of an exception object: `ParseError('message')`, or `ParseError()`.
pub fn exception_repr(class: &str, args_repr: &crate::Str, out: &mut String) {
    out.push_str(class);
    out.push('(');
    out.push_str(args_repr.as_str());
    out.push(')');
}

/// An exception raised by `__repr__`, `__str__` or `__eq__` where the runtime called it itself
/// (printing a container of objects, `in`): it cannot travel on, so it ends the program with
/// its traceback, as an uncaught exception does (inside an extension module: a panic, which
/// the module's wrapper turns into SystemError).
#[cold]
pub fn special_failed(exc: Exc, file: &str, source: &str) -> ! {
    if cfg!(feature = "python") {
        panic!("exception in a special method called by the runtime: {}", exc.message());
    }
    std::process::exit(crate::print::exit_status(|| crate::exc::report_uncaught(exc, file, source)))
}

/// The memory of one object: its reference count (the next free block while pooled), then
/// the object.
struct ObjBox<T> {
    refs: Cell<usize>,
    value: MaybeUninit<T>,
}

/// Types whose objects are pooled: generated code gives each object struct its thread-local
/// pool.
pub trait Pooled: Sized + 'static {
    fn pool() -> &'static std::thread::LocalKey<Pool<Self>>;
}

/// Freed object memory of one type, kept for reuse on this thread (an intrusive list).
pub struct Pool<T> {
    head: Cell<*mut ObjBox<T>>,
    len: Cell<usize>,
}

/// Blocks a pool keeps at most; beyond that, memory goes back to the allocator.
const POOL_LIMIT: usize = 1 << 20;

impl<T> Default for Pool<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Pool<T> {
    pub const fn new() -> Pool<T> {
        Pool { head: Cell::new(std::ptr::null_mut()), len: Cell::new(0) }
    }

    fn take(&self) -> Option<NonNull<ObjBox<T>>> {
        let head = NonNull::new(self.head.get())?;
        // SAFETY: every block on the list came from `Box::into_raw` and holds, in `refs`, the
        // address of the next free block; none is referenced by a live `Obj`.
        self.head.set(unsafe { head.as_ref() }.refs.get() as *mut ObjBox<T>);
        self.len.set(self.len.get() - 1);
        Some(head)
    }

    /// Keeps `block` (its value already dropped), or frees it when the pool is full.
    fn give(&self, block: NonNull<ObjBox<T>>) {
        if self.len.get() >= POOL_LIMIT {
            // SAFETY: `block` came from `Box::into_raw` and nothing references it any more.
            drop(unsafe { Box::from_raw(block.as_ptr()) });
            return;
        }
        // SAFETY: as above; the block's `refs` now links the list.
        unsafe { block.as_ref() }.refs.set(self.head.get() as usize);
        self.head.set(block.as_ptr());
        self.len.set(self.len.get() + 1);
    }
}

impl<T> Drop for Pool<T> {
    fn drop(&mut self) {
        while let Some(block) = self.take() {
            // SAFETY: pooled blocks came from `Box::into_raw` and hold no value (`MaybeUninit`).
            drop(unsafe { Box::from_raw(block.as_ptr()) });
        }
    }
}

/// A shared reference to an object (Python's reference semantics), pooled on free.
pub struct Obj<T: Pooled> {
    block: NonNull<ObjBox<T>>,
    // Owns a `T`; `NonNull` already makes the handle neither `Send` nor `Sync`.
    _owns: PhantomData<T>,
}

impl<T: Pooled> Obj<T> {
    #[inline(always)]
    pub fn new(value: T) -> Obj<T> {
        let reused = T::pool().try_with(|pool| pool.take()).ok().flatten();
        let block = match reused {
            Some(block) => {
                // SAFETY: a pooled block is unreferenced memory for an `ObjBox<T>`.
                unsafe {
                    (*block.as_ptr()).refs.set(1);
                    (*block.as_ptr()).value = MaybeUninit::new(value);
                }
                block
            }
            None => {
                let boxed = Box::new(ObjBox { refs: Cell::new(1), value: MaybeUninit::new(value) });
                // SAFETY: `Box::into_raw` never returns null.
                unsafe { NonNull::new_unchecked(Box::into_raw(boxed)) }
            }
        };
        Obj { block, _owns: PhantomData }
    }

    /// Whether two handles are the same object (`is`).
    #[inline(always)]
    pub fn ptr_eq(a: &Obj<T>, b: &Obj<T>) -> bool {
        a.block == b.block
    }

    /// The object's address (`id()`, the default `repr`).
    pub fn as_ptr(this: &Obj<T>) -> *const u8 {
        this.block.as_ptr() as *const u8
    }
}

impl<T: Pooled> std::ops::Deref for Obj<T> {
    type Target = T;

    #[inline(always)]
    fn deref(&self) -> &T {
        // SAFETY: the block holds an initialised value while any handle (this one) exists.
        unsafe { (*self.block.as_ptr()).value.assume_init_ref() }
    }
}

impl<T: Pooled> Clone for Obj<T> {
    #[inline(always)]
    fn clone(&self) -> Obj<T> {
        // SAFETY: the block is live while this handle exists.
        let refs = unsafe { &(*self.block.as_ptr()).refs };
        refs.set(refs.get().checked_add(1).unwrap_or_else(|| std::process::abort()));
        Obj { block: self.block, _owns: PhantomData }
    }
}

impl<T: Pooled> Drop for Obj<T> {
    #[inline(always)]
    fn drop(&mut self) {
        let block = self.block;
        // SAFETY: the block is live while this handle exists; when the count reaches zero this
        // was the last handle, so the value is dropped exactly once and the memory is unused.
        unsafe {
            let refs = &(*block.as_ptr()).refs;
            let left = refs.get() - 1;
            refs.set(left);
            if left == 0 {
                (*block.as_ptr()).value.assume_init_drop();
                if T::pool().try_with(|pool| pool.give(block)).is_err() {
                    // The thread is ending and its pool is gone.
                    drop(Box::from_raw(block.as_ptr()));
                }
            }
        }
    }
}
