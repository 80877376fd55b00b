//! The scratch text an f-string is built in. Buffers come from a small per-thread pool and go
//! back to it when dropped (also when formatting raises), so building a string in a loop does not
//! allocate a temporary each time; only the finished `Str` is new.

use std::cell::RefCell;
use std::ops::{Deref, DerefMut};

use crate::str::Str;

/// Buffers kept for reuse; larger ones are let go so one huge f-string does not stay resident.
const POOL_SIZE: usize = 8;
const KEEP_CAPACITY: usize = 4096;

thread_local! {
    static POOL: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

pub struct Buffer(String);

impl Buffer {
    /// An empty buffer, reused when one is free.
    #[inline]
    pub fn take() -> Buffer {
        let reused = POOL.try_with(|pool| pool.borrow_mut().pop()).ok().flatten();
        Buffer(reused.unwrap_or_else(|| String::with_capacity(64)))
    }

    /// The text built, as a `str` value.
    #[inline]
    pub fn finish(self) -> Str {
        Str::from(self.0.as_str())
    }
}

impl Drop for Buffer {
    fn drop(&mut self) {
        let mut text = std::mem::take(&mut self.0);
        if text.capacity() > KEEP_CAPACITY {
            return;
        }
        text.clear();
        let _ = POOL.try_with(|pool| {
            let mut pool = pool.borrow_mut();
            if pool.len() < POOL_SIZE {
                pool.push(text);
            }
        });
    }
}

impl Deref for Buffer {
    type Target = String;
    #[inline(always)]
    fn deref(&self) -> &String {
        &self.0
    }
}

impl DerefMut for Buffer {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut String {
        &mut self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_are_reused_and_start_empty() {
        let mut first = Buffer::take();
        first.push_str("hello");
        let text = first.finish();
        assert_eq!(text.as_str(), "hello");
        let second = Buffer::take();
        assert!(second.is_empty());
        assert!(second.capacity() >= 5);
    }
}
