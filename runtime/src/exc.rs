//! Python exceptions as values: [`Exc`] travels in `Result::Err` through generated code.
//!
//! A function that can raise returns [`PyResult`]; every propagation point in generated code calls
//! [`Located::at`], which appends the current frame (function name, line, columns) on the error
//! path only. [`report_uncaught`] prints the traceback in CPython 3.11's layout.

use std::fmt::Write as _;

/// The result type of every generated function that can raise.
pub type PyResult<T> = Result<T, Exc>;

/// The built-in exception classes pyrsc can raise, named as in CPython.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExcKind {
    ZeroDivisionError,
    OverflowError,
    IndexError,
    ValueError,
    TypeError,
    NameError,
    UnboundLocalError,
    KeyError,
    RuntimeError,
    AssertionError,
    RecursionError,
    EOFError,
    SystemExit,
}

impl ExcKind {
    /// The class name as CPython prints it.
    pub fn name(self) -> &'static str {
        match self {
            ExcKind::ZeroDivisionError => "ZeroDivisionError",
            ExcKind::OverflowError => "OverflowError",
            ExcKind::IndexError => "IndexError",
            ExcKind::ValueError => "ValueError",
            ExcKind::TypeError => "TypeError",
            ExcKind::NameError => "NameError",
            ExcKind::UnboundLocalError => "UnboundLocalError",
            ExcKind::KeyError => "KeyError",
            ExcKind::RuntimeError => "RuntimeError",
            ExcKind::AssertionError => "AssertionError",
            ExcKind::RecursionError => "RecursionError",
            ExcKind::EOFError => "EOFError",
            ExcKind::SystemExit => "SystemExit",
        }
    }
}

/// One traceback entry: where a frame was when the exception passed through it.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    /// The Python function name (`<module>` for top-level code).
    pub func: &'static str,
    /// 1-based line of the failing expression.
    pub line: u32,
    /// 0-based character columns of the failing expression on that line (start, end).
    pub cols: (u32, u32),
    /// Columns marked `^` inside the range (an operator or `[index]`); the rest gets `~`.
    pub anchor: Option<(u32, u32)>,
}

/// What `sys.exit` carries.
#[derive(Clone, Debug)]
pub enum ExitCode {
    Code(i64),
    Message(String),
}

#[derive(Debug)]
struct ExcData {
    kind: ExcKind,
    message: String,
    exit: Option<ExitCode>,
    /// Innermost frame first (the order frames are added in).
    frames: Vec<Frame>,
}

/// A raised Python exception. One pointer wide so that `PyResult<T>` stays small.
#[derive(Debug)]
pub struct Exc(Box<ExcData>);

impl Exc {
    /// A new exception of `kind` with CPython's message text.
    #[cold]
    pub fn new(kind: ExcKind, message: impl Into<String>) -> Exc {
        Exc(Box::new(ExcData { kind, message: message.into(), exit: None, frames: Vec::new() }))
    }

    /// The `SystemExit` raised by `sys.exit(...)`.
    #[cold]
    pub fn system_exit(code: ExitCode) -> Exc {
        let mut exc = Exc::new(ExcKind::SystemExit, "");
        exc.0.exit = Some(code);
        exc
    }

    pub fn kind(&self) -> ExcKind {
        self.0.kind
    }

    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// What `sys.exit(...)` passed, for a `SystemExit`.
    pub fn exit_code(&self) -> Option<&ExitCode> {
        self.0.exit.as_ref()
    }

    /// The traceback frames, innermost first.
    pub fn frames(&self) -> &[Frame] {
        &self.0.frames
    }

    /// Appends a frame on the way out of a function (innermost first).
    #[cold]
    #[inline(never)]
    pub fn push_frame(mut self, frame: Frame) -> Exc {
        self.0.frames.push(frame);
        self
    }
}

/// Shorthand constructors used across the runtime.
#[cold]
pub fn zero_division(message: &str) -> Exc {
    Exc::new(ExcKind::ZeroDivisionError, message)
}

#[cold]
pub fn overflow(message: &str) -> Exc {
    Exc::new(ExcKind::OverflowError, message)
}

#[cold]
pub fn value_error(message: impl Into<String>) -> Exc {
    Exc::new(ExcKind::ValueError, message)
}

#[cold]
pub fn int_overflow() -> Exc {
    overflow("integer overflow: the result does not fit in 64 bits (pyrsc int is 64-bit)")
}

/// Attaches the current frame to an error on its way out of a function:
/// `op(...).at(FUNC, line, col_start, col_end)?` in generated code.
pub trait Located<T> {
    fn at(self, func: &'static str, line: u32, col_start: u32, col_end: u32) -> PyResult<T>;
    /// `at` for a binary operator or subscript, with the columns CPython marks with `^`.
    fn at_anchored(self, func: &'static str, line: u32, col_start: u32, col_end: u32, anchor_start: u32, anchor_end: u32) -> PyResult<T>;
}

impl<T> Located<T> for PyResult<T> {
    #[inline(always)]
    fn at(self, func: &'static str, line: u32, col_start: u32, col_end: u32) -> PyResult<T> {
        match self {
            Ok(value) => Ok(value),
            Err(exc) => Err(exc.push_frame(Frame { func, line, cols: (col_start, col_end), anchor: None })),
        }
    }

    #[inline(always)]
    fn at_anchored(self, func: &'static str, line: u32, col_start: u32, col_end: u32, anchor_start: u32, anchor_end: u32) -> PyResult<T> {
        match self {
            Ok(value) => Ok(value),
            Err(exc) => Err(exc.push_frame(Frame { func, line, cols: (col_start, col_end), anchor: Some((anchor_start, anchor_end)) })),
        }
    }
}

/// Reads a variable that may be unbound (assigned on some paths only).
#[inline]
pub fn bound<T: Clone>(slot: &Option<T>, name: &'static str) -> PyResult<T> {
    match slot {
        Some(value) => Ok(value.clone()),
        None => Err(unbound_local(name)),
    }
}

#[cold]
fn unbound_local(name: &str) -> Exc {
    Exc::new(
        ExcKind::UnboundLocalError,
        format!("cannot access local variable '{name}' where it is not associated with a value"),
    )
}

/// Reads a module-level variable that may not be assigned yet.
#[inline]
pub fn bound_global<T: Clone>(slot: &Option<T>, name: &'static str) -> PyResult<T> {
    match slot {
        Some(value) => Ok(value.clone()),
        None => Err(Exc::new(ExcKind::NameError, format!("name '{name}' is not defined"))),
    }
}

/// The AssertionError of a failed `assert` (with `str(msg)` when a message was given).
#[cold]
pub fn assertion_error(message: Option<crate::Str>) -> Exc {
    Exc::new(ExcKind::AssertionError, message.map(|m| m.as_str().to_owned()).unwrap_or_default())
}

/// CPython 3.11's position markers under a traceback line: `^` under the failing range, or `~`
/// with `^` under the operator / index; none when the range is the whole (stripped) line.
fn caret_line(line: &str, frame: &Frame) -> Option<String> {
    let line = line.trim_end();
    let indent = line.chars().take_while(|c| c.is_whitespace()).count() as u32;
    let stripped_len = line.chars().count() as u32 - indent;
    let (start, end) = frame.cols;
    if end <= start || start < indent {
        return None;
    }
    if end - start == stripped_len && frame.anchor.is_none() {
        return None;
    }
    let mut carets = " ".repeat((start - indent) as usize);
    for column in start..end {
        carets.push(match frame.anchor {
            Some((a, b)) if a <= column && column < b => '^',
            Some(_) => '~',
            None => '^',
        });
    }
    Some(carets)
}

/// Prints an uncaught exception like CPython and returns the exit status.
pub fn report_uncaught(exc: Exc, file: &str, source: &str) -> i32 {
    if let Some(exit) = &exc.0.exit {
        return match exit {
            ExitCode::Code(code) => (*code & 0xff) as i32,
            ExitCode::Message(text) => {
                eprintln!("{text}");
                1
            }
        };
    }
    eprint!("{}", render_traceback(&exc, file, source));
    1
}

/// CPython 3.11's traceback text (without the fine-grained caret lines).
pub fn render_traceback(exc: &Exc, file: &str, source: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = String::from("Traceback (most recent call last):\n");
    // Like CPython, a frame repeated more than three times in a row is summarised.
    let mut previous: Option<(&str, u32)> = None;
    let mut repeats = 0usize;
    let flush_repeats = |out: &mut String, repeats: usize| {
        if repeats > 3 {
            let more = repeats - 3;
            let _ = writeln!(out, "  [Previous line repeated {more} more time{}]", if more == 1 { "" } else { "s" });
        }
    };
    for frame in exc.0.frames.iter().rev() {
        let key = (frame.func, frame.line);
        if previous == Some(key) {
            repeats += 1;
            if repeats > 3 {
                continue;
            }
        } else {
            flush_repeats(&mut out, repeats);
            previous = Some(key);
            repeats = 1;
        }
        let _ = writeln!(out, "  File \"{file}\", line {}, in {}", frame.line, frame.func);
        if let Some(line) = lines.get(frame.line.saturating_sub(1) as usize) {
            let text = line.trim();
            if !text.is_empty() {
                let _ = writeln!(out, "    {text}");
                if let Some(carets) = caret_line(line, frame) {
                    let _ = writeln!(out, "    {carets}");
                }
            }
        }
    }
    flush_repeats(&mut out, repeats);
    if exc.0.message.is_empty() {
        let _ = writeln!(out, "{}", exc.0.kind.name());
    } else {
        let _ = writeln!(out, "{}: {}", exc.0.kind.name(), exc.0.message);
    }
    out
}
