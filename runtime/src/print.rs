//! `print()`: one buffered stdout shared by the whole program, with CPython's buffering, so that
//! a failing write (a closed pipe, a full disk) raises where and as CPython's does.
//!
//! CPython's `sys.stdout` is a text layer that gathers printed text into chunks of 8192 bytes
//! over a binary layer with a buffer of the file's block size. Text reaches the file when a
//! chunk fills (a write error then raises from that `print`: BrokenPipeError for a closed pipe,
//! OSError otherwise), on `flush=True`, and at exit. The exit follows CPython's order: a flush
//! whose error is ignored, the traceback of an uncaught exception, and a last flush whose
//! failure prints "Exception ignored in: <_io.TextIOWrapper name='<stdout>' ...>" and makes the
//! exit status 120. Both layers are reproduced here because which `print` raises, and whether
//! unwritten text survives a failure to fail again at exit, depend on them. On a terminal every
//! print is written at once (CPython's line buffering).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use crate::exc::{Exc, ExcKind, PyResult};
use crate::repr::PyRepr;
use crate::str::Str;

/// CPython's text-layer chunk: pending text is written once it reaches this size.
const CHUNK: usize = 8192;

/// The binary layer's buffer when the block size of fd 1 is unknown (`io.DEFAULT_BUFFER_SIZE`).
const DEFAULT_BLOCK: usize = 8192;

struct Stdout {
    /// Text printed and not yet handed to the binary layer.
    pending: Vec<u8>,
    binary: Binary,
    interactive: Option<bool>,
}

static STDOUT: Mutex<Stdout> =
    Mutex::new(Stdout { pending: Vec::new(), binary: Binary { held: Vec::new(), block: 0 }, interactive: None });

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
    let mut out = lock();
    let bytes = std::mem::take(&mut out.pending);
    String::from_utf8(bytes).unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
}

fn lock() -> std::sync::MutexGuard<'static, Stdout> {
    STDOUT.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// CPython's exception for a failed write to stdout: BrokenPipeError for a closed pipe, else
/// OSError, with `[Errno N] text` and the `(errno, strerror)` arguments.
#[cold]
fn write_error(error: &std::io::Error) -> Exc {
    let kind = match error.kind() {
        std::io::ErrorKind::BrokenPipe => ExcKind::BrokenPipeError,
        _ => ExcKind::OSError,
    };
    match error.raw_os_error() {
        Some(code) => {
            let text = error.to_string();
            // Rust appends " (os error N)" to the C library's text.
            let text = text.split(" (os error").next().unwrap_or(&text).to_owned();
            Exc::new(kind, format!("[Errno {code}] {text}")).with_os_args(code, &text)
        }
        None => Exc::new(kind, error.to_string()),
    }
}

/// Writes `bytes` to fd 1, all of them or up to an error; returns how many were written.
fn write_raw(bytes: &[u8]) -> (usize, Option<std::io::Error>) {
    let mut stdout = std::io::stdout().lock();
    let mut written = 0;
    while written < bytes.len() {
        match stdout.write(&bytes[written..]) {
            Ok(0) => return (written, Some(std::io::ErrorKind::WriteZero.into())),
            Ok(n) => written += n,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return (written, Some(error)),
        }
    }
    (written, None)
}

/// The block size of fd 1, as CPython sizes the binary layer's buffer.
#[cfg(unix)]
fn block_size() -> usize {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let size = std::io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .ok()
        .and_then(|fd| std::fs::File::from(fd).metadata().ok())
        .map_or(0, |meta| meta.blksize() as usize);
    if size > 1 {
        size
    } else {
        DEFAULT_BLOCK
    }
}

#[cfg(not(unix))]
fn block_size() -> usize {
    DEFAULT_BLOCK
}

/// CPython's binary layer: a buffer of the file's block size over fd 1.
struct Binary {
    /// Bytes held: a small flush's, or what a failed flush left.
    held: Vec<u8>,
    /// The buffer size (`st_blksize` of fd 1), once asked.
    block: usize,
}

impl Binary {
    /// `write`: kept while it fits the buffer, else the buffer is flushed first and the data
    /// written through (a failure loses the data, not what was held).
    fn write(&mut self, data: &[u8]) -> PyResult<()> {
        if self.block == 0 {
            self.block = block_size();
        }
        if self.held.len() + data.len() <= self.block {
            self.held.extend_from_slice(data);
            return Ok(());
        }
        self.flush()?;
        if data.len() <= self.block {
            self.held.extend_from_slice(data);
            return Ok(());
        }
        match write_raw(data) {
            (_, None) => Ok(()),
            (_, Some(error)) => Err(write_error(&error)),
        }
    }

    /// `flush`: what is not written stays held.
    fn flush(&mut self) -> PyResult<()> {
        if self.held.is_empty() {
            return Ok(());
        }
        let (written, error) = write_raw(&self.held);
        self.held.drain(..written);
        match error {
            None => Ok(()),
            Some(error) => Err(write_error(&error)),
        }
    }
}

impl Stdout {
    /// The text layer's flush of pending text to the binary layer (the text leaves the text
    /// layer even when writing it fails).
    fn write_pending(&mut self) -> PyResult<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let outcome = self.binary.write(&self.pending);
        self.pending.clear();
        outcome
    }

    /// The text layer's `write`.
    fn write_text(&mut self, text: &[u8]) -> PyResult<()> {
        if self.pending.len() + text.len() > CHUNK {
            self.write_pending()?;
        }
        self.pending.extend_from_slice(text);
        if self.pending.len() >= CHUNK {
            self.write_pending()?;
        }
        Ok(())
    }

    /// `sys.stdout.flush()`.
    fn flush(&mut self) -> PyResult<()> {
        if TO_PYTHON.load(Ordering::Relaxed) {
            return Ok(());
        }
        self.write_pending()?;
        self.binary.flush()
    }
}

/// Writes already-formatted text to stdout.
pub fn write_stdout(text: &str) -> PyResult<()> {
    let mut out = lock();
    if TO_PYTHON.load(Ordering::Relaxed) {
        out.pending.extend_from_slice(text.as_bytes());
        PENDING.store(true, Ordering::Release);
        return Ok(());
    }
    out.write_text(text.as_bytes())?;
    let interactive = *out.interactive.get_or_insert_with(|| std::io::stdout().is_terminal());
    if interactive {
        out.flush()?;
    }
    Ok(())
}

/// Flushes everything printed so far.
pub fn flush_stdout() -> PyResult<()> {
    lock().flush()
}

/// The end of a program, in CPython's order: stdout flushed (an error ignored), then `report`
/// (an uncaught exception's traceback) giving the exit status, then stdout flushed again; a
/// failure there is reported as ignored and makes the status 120, as does any failed write to
/// stderr.
pub fn exit_status(report: impl FnOnce() -> i32) -> i32 {
    let _ = flush_stdout();
    let status = report();
    let status = match flush_stdout() {
        Ok(()) => status,
        Err(exc) => {
            crate::exc::report_ignored(&exc, "<_io.TextIOWrapper name='<stdout>' mode='w' encoding='utf-8'>");
            120
        }
    };
    if STDERR_FAILED.load(Ordering::Relaxed) {
        return 120;
    }
    status
}

/// Where `print(..., file=...)` writes.
pub enum Stream {
    Stdout,
    Stderr,
}

/// A write to stderr failed: CPython's last flush of it fails too, which makes the exit
/// status 120 (with nowhere to report it).
static STDERR_FAILED: AtomicBool = AtomicBool::new(false);

/// Writes to stderr at once (CPython's stderr is line-buffered and everything written to it
/// ends a line). A failure raises, and is remembered for the exit status.
pub(crate) fn write_stderr(text: &str) -> PyResult<()> {
    let mut stderr = std::io::stderr().lock();
    match stderr.write_all(text.as_bytes()).and_then(|()| stderr.flush()) {
        Ok(()) => Ok(()),
        Err(error) => {
            STDERR_FAILED.store(true, Ordering::Relaxed);
            Err(write_error(&error))
        }
    }
}

/// `print(*values, sep=sep, end=end, file=..., flush=...)`.
pub fn print_to(values: &[&dyn PyRepr], sep: &Str, end: &Str, stream: Stream, flush: bool) -> PyResult<()> {
    match stream {
        Stream::Stdout => {
            print(values, sep, end)?;
            if flush {
                flush_stdout()?;
            }
        }
        Stream::Stderr => {
            let (line, failed) = match render(values, sep, end) {
                Ok(line) => (line, None),
                Err((partial, exc)) => (partial, Some(exc)),
            };
            write_stderr(&line)?;
            if let Some(exc) = failed {
                return Err(exc);
            }
        }
    }
    Ok(())
}

/// The text `print` writes: `str()` of each value, `sep` between, `end` after. A value's
/// `__str__` may raise: the error comes with the text before that value, which CPython has
/// already written by then.
pub(crate) fn render(values: &[&dyn PyRepr], sep: &Str, end: &Str) -> Result<String, (String, Exc)> {
    let mut line = String::new();
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            line.push_str(sep.as_str());
        }
        let before = line.len();
        if let Err(exc) = value.try_write_str(&mut line) {
            line.truncate(before);
            return Err((line, exc));
        }
    }
    line.push_str(end.as_str());
    Ok(line)
}

/// `print(*values, sep=sep, end=end)`.
pub fn print(values: &[&dyn PyRepr], sep: &Str, end: &Str) -> PyResult<()> {
    match render(values, sep, end) {
        Ok(line) => write_stdout(&line),
        Err((partial, exc)) => {
            write_stdout(&partial)?;
            Err(exc)
        }
    }
}
