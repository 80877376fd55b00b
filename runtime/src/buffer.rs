//! The scratch text an f-string is built in. One buffer per thread is kept for reuse: taken
//! while an f-string is built and put back when dropped (also when formatting raises), so
//! building strings in a loop does not allocate a temporary each time; only the finished `Str` is
//! new. An f-string nested in another one's value gets a fresh buffer.

use std::cell::Cell;
use std::ops::{Deref, DerefMut};

use crate::str::Str;

/// A larger buffer is let go, so one huge f-string does not stay resident.
const KEEP_CAPACITY: usize = 4096;

thread_local! {
    static SPARE: Cell<Option<String>> = const { Cell::new(None) };
}

pub struct Buffer(String);

impl Buffer {
    /// An empty buffer, reused when one is free.
    #[inline]
    pub fn take() -> Buffer {
        let reused = SPARE.try_with(Cell::take).ok().flatten();
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
        let _ = SPARE.try_with(|spare| {
            let previous = spare.replace(Some(text));
            drop(previous);
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
