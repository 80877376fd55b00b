//! `print()`: one buffered stdout shared by the whole program, flushed at exit, before a
//! traceback is written, and after every call when stdout is a terminal (as CPython line-buffers).

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

use crate::repr::PyRepr;
use crate::str::Str;

struct Stdout {
    buffer: Vec<u8>,
    interactive: Option<bool>,
}

static STDOUT: Mutex<Stdout> = Mutex::new(Stdout { buffer: Vec::new(), interactive: None });

const FLUSH_AT: usize = 1 << 16;

/// Writes already-formatted text to stdout.
pub fn write_stdout(text: &str) {
    let mut out = STDOUT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    out.buffer.extend_from_slice(text.as_bytes());
    let interactive = *out.interactive.get_or_insert_with(|| std::io::stdout().is_terminal());
    if interactive || out.buffer.len() >= FLUSH_AT {
        flush_locked(&mut out);
    }
}

fn flush_locked(out: &mut Stdout) {
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
fn render(values: &[&dyn PyRepr], sep: &Str, end: &Str) -> String {
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
