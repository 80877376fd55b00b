//! Text files: `open(path, mode)` for reading, writing and appending, with CPython's text-mode
//! behaviour (UTF-8, universal newlines on reading), `read`/`readline`/`readlines`/`write`/
//! `close`, iteration by lines, `print(..., file=f)`; `os.path.exists`, `os.path.join`,
//! `os.listdir` and `os.remove`. OS errors become FileNotFoundError / OSError with CPython's `[Errno N] ...: 'path'`
//! messages; using a closed file is CPython's ValueError.

use std::cell::RefCell;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::rc::Rc;

use crate::exc::{Exc, ExcKind, PyResult};
use crate::list::List;
use crate::repr::PyRepr;
use crate::str::Str;

enum State {
    Reading(BufReader<std::fs::File>),
    Writing(BufWriter<std::fs::File>),
    Closed,
}

/// A file object (a shared handle, as in Python).
#[derive(Clone)]
pub struct PyFile(Rc<FileData>);

struct FileData {
    name: String,
    mode: String,
    state: RefCell<State>,
}

/// CPython's OSError for `error` on `path`: `[Errno 2] No such file or directory: 'path'`.
#[cold]
pub fn os_error(error: &std::io::Error, path: &str) -> Exc {
    let kind = match error.kind() {
        std::io::ErrorKind::NotFound => ExcKind::FileNotFoundError,
        _ => ExcKind::OSError,
    };
    let mut quoted = String::new();
    Str::from(path).write_repr(&mut quoted);
    match error.raw_os_error() {
        Some(code) => {
            let text = error.to_string();
            // Rust appends " (os error N)" to the C library's text.
            let text = text.split(" (os error").next().unwrap_or(&text).to_owned();
            Exc::new(kind, format!("[Errno {code}] {text}: {quoted}")).with_os_args(code, &text)
        }
        None => Exc::new(kind, format!("{error}: {quoted}")),
    }
}

#[cold]
fn closed() -> Exc {
    Exc::new(ExcKind::ValueError, "I/O operation on closed file.")
}

#[cold]
fn not_readable() -> Exc {
    Exc::new(ExcKind::OSError, "not readable")
}

#[cold]
fn not_writable() -> Exc {
    Exc::new(ExcKind::OSError, "not writable")
}

/// Text read from a file: UTF-8 (an invalid byte is CPython's UnicodeDecodeError, reported as
/// ValueError, its base class) with `\r\n` and `\r` read as `\n`.
fn decode(bytes: Vec<u8>) -> PyResult<String> {
    let text = String::from_utf8(bytes).map_err(|err| {
        Exc::new(
            ExcKind::ValueError,
            format!("'utf-8' codec can't decode byte at position {}: invalid byte", err.utf8_error().valid_up_to()),
        )
    })?;
    Ok(if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text })
}

/// `open(path, mode)`: modes `r`, `w`, `a` (text; `t` may be added).
pub fn open(path: &Str, mode: &Str) -> PyResult<PyFile> {
    let mode_text = mode.as_str();
    let base: String = mode_text.chars().filter(|c| *c != 't').collect();
    let file = match base.as_str() {
        "r" => std::fs::File::open(path.as_str()).map(|f| State::Reading(BufReader::new(f))),
        "w" => std::fs::File::create(path.as_str()).map(|f| State::Writing(BufWriter::new(f))),
        "a" => std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(path.as_str())
            .map(|f| State::Writing(BufWriter::new(f))),
        _ => return Err(Exc::new(ExcKind::ValueError, format!("invalid mode: '{mode_text}'"))),
    };
    let state = file.map_err(|err| os_error(&err, path.as_str()))?;
    Ok(PyFile(Rc::new(FileData {
        name: path.as_str().to_owned(),
        mode: mode_text.to_owned(),
        state: RefCell::new(state),
    })))
}

/// `open(path)`.
pub fn open_read(path: &Str) -> PyResult<PyFile> {
    open(path, &Str::from("r"))
}

impl PyFile {
    /// The initial value of a file variable (never read before it is assigned).
    pub fn placeholder() -> PyFile {
        PyFile(Rc::new(FileData { name: String::new(), mode: String::new(), state: RefCell::new(State::Closed) }))
    }

    fn reader<R>(&self, f: impl FnOnce(&mut BufReader<std::fs::File>) -> PyResult<R>) -> PyResult<R> {
        match &mut *self.0.state.borrow_mut() {
            State::Reading(reader) => f(reader),
            State::Writing(_) => Err(not_readable()),
            State::Closed => Err(closed()),
        }
    }

    /// `f.read()`.
    pub fn read(&self) -> PyResult<Str> {
        let bytes = self.reader(|r| {
            let mut bytes = Vec::new();
            r.read_to_end(&mut bytes).map_err(|err| os_error(&err, &self.0.name))?;
            Ok(bytes)
        })?;
        Ok(Str::from(decode(bytes)?))
    }

    /// `f.readline()`: the next line with its `\n`, or `""` at the end.
    pub fn readline(&self) -> PyResult<Str> {
        let bytes = self.reader(|r| {
            let mut bytes = Vec::new();
            r.read_until(b'\n', &mut bytes).map_err(|err| os_error(&err, &self.0.name))?;
            // A `\r\n` ending, or an old-Mac `\r` line, reads as one line ending in `\n`.
            Ok(bytes)
        })?;
        Ok(Str::from(decode(bytes)?))
    }

    /// `f.readlines()`.
    pub fn readlines(&self) -> PyResult<List<Str>> {
        let mut lines = Vec::new();
        loop {
            let line = self.readline()?;
            if line.as_str().is_empty() {
                return Ok(List::from_vec(lines));
            }
            lines.push(line);
        }
    }

    /// `f.write(text)`: the number of characters written.
    pub fn write(&self, text: &Str) -> PyResult<i64> {
        match &mut *self.0.state.borrow_mut() {
            State::Writing(writer) => {
                writer.write_all(text.as_str().as_bytes()).map_err(|err| os_error(&err, &self.0.name))?;
                Ok(text.as_str().chars().count() as i64)
            }
            State::Reading(_) => Err(not_writable()),
            State::Closed => Err(closed()),
        }
    }

    /// `f.close()` (closing twice is fine, as in CPython).
    pub fn close(&self) -> PyResult<()> {
        let state = std::mem::replace(&mut *self.0.state.borrow_mut(), State::Closed);
        if let State::Writing(mut writer) = state {
            writer.flush().map_err(|err| os_error(&err, &self.0.name))?;
        }
        Ok(())
    }

    /// `print(..., file=f)`.
    pub fn print(&self, values: &[&dyn PyRepr], sep: &Str, end: &Str) -> PyResult<()> {
        match crate::print::render(values, sep, end) {
            Ok(line) => self.write(&Str::from(line)).map(|_| ()),
            Err((partial, exc)) => {
                self.write(&Str::from(partial))?;
                Err(exc)
            }
        }
    }
}

impl Drop for FileData {
    fn drop(&mut self) {
        // A file that was never closed is flushed when its last reference goes, as in CPython.
        if let State::Writing(writer) = self.state.get_mut() {
            let _ = writer.flush();
        }
    }
}

impl PyRepr for PyFile {
    fn write_repr(&self, out: &mut String) {
        out.push_str("<_io.TextIOWrapper name=");
        Str::from(self.0.name.as_str()).write_repr(out);
        out.push_str(" mode=");
        Str::from(self.0.mode.as_str()).write_repr(out);
        out.push_str(" encoding='UTF-8'>");
    }
}

/// `os.path.exists(path)`.
pub fn exists(path: &Str) -> bool {
    std::path::Path::new(path.as_str()).exists()
}

/// `os.path.join(a, b)`: an absolute second part replaces the first, as in `posixpath.join`.
pub fn join(a: &Str, b: &Str) -> Str {
    let (a, b) = (a.as_str(), b.as_str());
    if b.starts_with('/') || a.is_empty() {
        return Str::from(b);
    }
    if a.ends_with('/') {
        Str::from(format!("{a}{b}"))
    } else {
        Str::from(format!("{a}/{b}"))
    }
}

/// `os.path.join(a, b, c)`.
pub fn join3(a: &Str, b: &Str, c: &Str) -> Str {
    join(&join(a, b), c)
}

/// `os.path.join(a)`: the path itself.
pub fn join1(a: &Str) -> Str {
    a.clone()
}

/// `os.path.join(a, b, c, d)`.
pub fn join4(a: &Str, b: &Str, c: &Str, d: &Str) -> Str {
    join(&join3(a, b, c), d)
}

/// `os.listdir(path)`: the names in directory order (as CPython lists them).
pub fn listdir(path: &Str) -> PyResult<List<Str>> {
    let entries = std::fs::read_dir(path.as_str()).map_err(|err| os_error(&err, path.as_str()))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|err| os_error(&err, path.as_str()))?;
        names.push(Str::from(entry.file_name().to_string_lossy().into_owned()));
    }
    Ok(List::from_vec(names))
}

/// `os.remove(path)`.
pub fn remove(path: &Str) -> PyResult<()> {
    std::fs::remove_file(path.as_str()).map_err(|err| os_error(&err, path.as_str()))
}
