//! Element access to a list for the duration of a loop that cannot resize it.
//!
//! A `List` operation re-reads the vector's pointer and length through its handle on every
//! access, which keeps aliasing exact but stops LLVM from hoisting anything out of a hot loop.
//! For a loop whose body provably makes no structural change to any list that existed before it
//! (no `append`/`pop`/`del`/slice assignment on such a list, no call that could do one) and does
//! not rebind the list's variable, code generation takes a `View` before the loop: the pointer
//! and length are loaded once, and `xs[i]` / `xs[i] = v` keep Python's negative indices and
//! IndexError messages.

use crate::exc::{Exc, ExcKind, PyResult};
use crate::list::List;

pub struct View<T> {
    ptr: *mut T,
    len: usize,
}

#[cold]
fn index_error(message: &'static str) -> Exc {
    Exc::new(ExcKind::IndexError, message)
}

impl<T: Clone> View<T> {
    #[inline]
    pub fn new(list: &List<T>) -> View<T> {
        let (ptr, len) = list.raw_parts();
        View { ptr: ptr as *mut T, len }
    }

    #[inline(always)]
    fn position(&self, index: i64) -> Option<usize> {
        let adjusted = if index < 0 { index + self.len as i64 } else { index };
        (adjusted >= 0 && (adjusted as u64) < self.len as u64).then_some(adjusted as usize)
    }

    /// `xs[i]`.
    #[inline(always)]
    pub fn get(&self, index: i64) -> PyResult<T> {
        match self.position(index) {
            // SAFETY: `pos < len`, and the list keeps its buffer and length while the loop runs
            // (see the module doc); no reference into the buffer is held across accesses.
            Some(pos) => Ok(unsafe { (*self.ptr.add(pos)).clone() }),
            None => Err(index_error("list index out of range")),
        }
    }

    /// `xs[i] = value`.
    #[inline(always)]
    pub fn set(&self, index: i64, value: T) -> PyResult<()> {
        match self.position(index) {
            // SAFETY: as for `get`; the old element is dropped in place by the assignment.
            Some(pos) => {
                unsafe { *self.ptr.add(pos) = value };
                Ok(())
            }
            None => Err(index_error("list assignment index out of range")),
        }
    }

    /// `len(xs)`.
    #[inline(always)]
    pub fn len(&self) -> i64 {
        self.len as i64
    }
}
