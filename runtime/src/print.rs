//! `print()`: one buffered stdout shared by the whole program, flushed at exit, before a
//! traceback is written, and after every call when stdout is a terminal (as CPython line-buffers).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use crate::repr::PyRepr;
use crate::str::Str;

struct Stdout {
    buffer: Vec<u8>,
    interactive: Option<bool>,
}

static STDOUT: Mutex<Stdout> = Mutex::new(Stdout { buffer: Vec::new(), interactive: None });

/// In an extension module, printed text is kept until the call returns and then handed to
/// Python's `sys.stdout` (which a notebook captures), instead of being written to fd 1.
static TO_PYTHON: AtomicBool = AtomicBool::new(false);

/// Switches printing to the extension-module mode (see [`take_buffered`]).
pub fn send_to_python(on: bool) {
    TO_PYTHON.store(on, Ordering::Relaxed);
}

/// Something was printed since the last [`take_buffered`] (checked without the lock, so a call
/// that printed nothing pays one atomic load).
static PENDING: AtomicBool = AtomicBool::new(false);

/// Everything printed since the last call, for the extension module to write to `sys.stdout`.
pub fn take_buffered() -> String {
    if !PENDING.load(Ordering::Relaxed) || !PENDING.swap(false, Ordering::Acquire) {
        return String::new();
    }
    let mut out = STDOUT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let bytes = std::mem::take(&mut out.buffer);
    String::from_utf8(bytes).unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
}

const FLUSH_AT: usize = 1 << 16;

/// Writes already-formatted text to stdout.
pub fn write_stdout(text: &str) {
    let mut out = STDOUT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    out.buffer.extend_from_slice(text.as_bytes());
    if TO_PYTHON.load(Ordering::Relaxed) {
        PENDING.store(true, Ordering::Release);
        return;
    }
    let interactive = *out.interactive.get_or_insert_with(|| std::io::stdout().is_terminal());
    if interactive || out.buffer.len() >= FLUSH_AT {
        flush_locked(&mut out);
    }
}

fn flush_locked(out: &mut Stdout) {
    if TO_PYTHON.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`prog | head`) is not an error worth a traceback here.
    let _ = stdout.write_all(&out.buffer);
    let _ = stdout.flush();
    out.buffer.clear();
}

/// Flushes everything printed so far.
pub fn flush_stdout() {
    let mut out = STDOUT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    flush_locked(&mut out);
}

/// Where `print(..., file=...)` writes.
pub enum Stream {
    Stdout,
    Stderr,
}

/// `print(*values, sep=sep, end=end, file=..., flush=...)`. Stderr is unbuffered, as in CPython.
pub fn print_to(values: &[&dyn PyRepr], sep: &Str, end: &Str, stream: Stream, flush: bool) {
    match stream {
        Stream::Stdout => {
            print(values, sep, end);
            if flush {
                flush_stdout();
            }
        }
        Stream::Stderr => {
            let line = render(values, sep, end);
            let mut stderr = std::io::stderr().lock();
            let _ = stderr.write_all(line.as_bytes());
            let _ = stderr.flush();
        }
    }
}

/// The text `print` writes: `str()` of each value, `sep` between, `end` after.
pub(crate) fn render(values: &[&dyn PyRepr], sep: &Str, end: &Str) -> String {
    let mut line = String::new();
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            line.push_str(sep.as_str());
        }
        value.write_str(&mut line);
    }
    line.push_str(end.as_str());
    line
}

/// `print(*values, sep=sep, end=end)`.
pub fn print(values: &[&dyn PyRepr], sep: &Str, end: &Str) {
    write_stdout(&render(values, sep, end));
}
