//! Python exceptions as values: [`Exc`] travels in `Result::Err` through generated code.
//!
//! A function that can raise returns [`PyResult`]; every propagation point in generated code calls
//! [`Located::at`], which appends the current frame (function name, line, columns) on the error
//! path only. [`report_uncaught`] prints the traceback in CPython 3.11's layout, with the chain of
//! exceptions raised while handling others (`__context__`) or `from` another (`__cause__`).
//!
//! `try` blocks run their body in a closure returning `PyResult<Flow<R>>`: [`Flow`] carries a
//! `return`, `break` or `continue` out of it to the enclosing function or loop.

use std::fmt::Write as _;

/// The result type of every generated function that can raise.
pub type PyResult<T> = Result<T, Exc>;

/// The built-in exception classes pyrsc can raise, named as in CPython.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExcKind {
    BaseException,
    Exception,
    ArithmeticError,
    LookupError,
    NotImplementedError,
    StopIteration,
    OSError,
    FileNotFoundError,
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
    AttributeError,
    /// A failed allocation whose size came from the program (`[0] * 10**10`).
    MemoryError,
    /// NumPy's `_ArrayMemoryError` (a MemoryError): an array buffer the system refused.
    ArrayMemoryError,
    /// The base of BrokenPipeError (an OSError).
    ConnectionError,
    /// Writing to a pipe whose reader has gone (`prog | head -1`).
    BrokenPipeError,
    /// `dataclasses.FrozenInstanceError` (an AttributeError).
    FrozenInstanceError,
    /// A class of the program deriving from an exception class (see [`register_classes`]).
    User(u32),
}

/// An exception class defined by the program: its name, as a traceback shows it
/// (`__main__.ParseError`), and its base.
pub struct UserClass {
    pub name: &'static str,
    pub qualified: &'static str,
    pub parent: ExcKind,
}

static USER_CLASSES: std::sync::OnceLock<&'static [UserClass]> = std::sync::OnceLock::new();

/// Called once by generated code before anything runs: the program's exception classes,
/// indexed by `ExcKind::User`.
pub fn register_classes(classes: &'static [UserClass]) {
    let _ = USER_CLASSES.set(classes);
}

fn user_class(id: u32) -> Option<&'static UserClass> {
    USER_CLASSES.get().and_then(|classes| classes.get(id as usize))
}

impl ExcKind {
    /// The class name as CPython prints it.
    pub fn name(self) -> &'static str {
        match self {
            ExcKind::BaseException => "BaseException",
            ExcKind::Exception => "Exception",
            ExcKind::ArithmeticError => "ArithmeticError",
            ExcKind::LookupError => "LookupError",
            ExcKind::NotImplementedError => "NotImplementedError",
            ExcKind::StopIteration => "StopIteration",
            ExcKind::OSError => "OSError",
            ExcKind::FileNotFoundError => "FileNotFoundError",
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
            ExcKind::AttributeError => "AttributeError",
            ExcKind::MemoryError => "MemoryError",
            // NumPy names the class MemoryError (its repr says so); tracebacks qualify it.
            ExcKind::ArrayMemoryError => "MemoryError",
            ExcKind::ConnectionError => "ConnectionError",
            ExcKind::BrokenPipeError => "BrokenPipeError",
            ExcKind::FrozenInstanceError => "FrozenInstanceError",
            ExcKind::User(id) => user_class(id).map_or("Exception", |c| c.name),
        }
    }

    /// The name a traceback's last line shows (module-qualified outside builtins).
    pub fn qualified_name(self) -> &'static str {
        match self {
            ExcKind::FrozenInstanceError => "dataclasses.FrozenInstanceError",
            ExcKind::ArrayMemoryError => "numpy._core._exceptions._ArrayMemoryError",
            ExcKind::User(id) => user_class(id).map_or("Exception", |c| c.qualified),
            other => other.name(),
        }
    }

    /// The base class, as in CPython's hierarchy.
    pub fn parent(self) -> Option<ExcKind> {
        use ExcKind::*;
        match self {
            BaseException => None,
            SystemExit | Exception => Some(BaseException),
            ZeroDivisionError | OverflowError => Some(ArithmeticError),
            IndexError | KeyError => Some(LookupError),
            UnboundLocalError => Some(NameError),
            RecursionError | NotImplementedError => Some(RuntimeError),
            FileNotFoundError | ConnectionError => Some(OSError),
            BrokenPipeError => Some(ConnectionError),
            ArrayMemoryError => Some(MemoryError),
            FrozenInstanceError => Some(AttributeError),
            User(id) => Some(user_class(id).map_or(Exception, |c| c.parent)),
            ArithmeticError | LookupError | NameError | RuntimeError | AssertionError | TypeError | ValueError
            | EOFError | StopIteration | OSError | AttributeError | MemoryError => Some(Exception),
        }
    }

    /// `issubclass(self, other)`.
    pub fn is_a(self, other: ExcKind) -> bool {
        let mut kind = Some(self);
        while let Some(k) = kind {
            if k == other {
                return true;
            }
            kind = k.parent();
        }
        false
    }
}

/// How a `try` body (a closure) ended, when it did not raise.
pub enum Flow<R> {
    /// It ran to its end.
    Normal,
    /// `return value` from the enclosing function.
    Return(R),
    /// `break` / `continue` of the enclosing loop with this label number.
    Break(u32),
    Continue(u32),
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

#[derive(Clone, Debug)]
struct ExcData {
    /// Identity: a re-raised exception is the same exception (it gets no context of itself).
    id: u64,
    /// `__context__`: the exception being handled when this one was raised.
    context: Option<Exc>,
    /// `__cause__` (`raise ... from cause`); `from` also suppresses the context.
    cause: Option<Exc>,
    suppress_context: bool,
    kind: ExcKind,
    message: String,
    exit: Option<ExitCode>,
    /// Innermost frame first (the order frames are added in).
    frames: Vec<Frame>,
    /// For an exception class of the program: the exception object itself.
    object: Option<Payload>,
    /// `e.args`, when they are not the message as the one str argument (or none, for an empty
    /// message; a KeyError's message is already its key's repr).
    args: Option<Vec<Arg>>,
}

/// One argument an exception was constructed with: its repr, and its text when it is a str.
#[derive(Clone, Debug)]
pub struct Arg {
    repr: String,
    text: Option<String>,
}

impl Arg {
    fn text(text: &str) -> Arg {
        let mut repr = String::new();
        crate::repr::write_str_repr(text, &mut repr);
        Arg { repr, text: Some(text.to_owned()) }
    }

    fn other(repr: &str) -> Arg {
        Arg { repr: repr.to_owned(), text: None }
    }
}

/// `e.args`: the arguments an exception was constructed with.
#[derive(Clone, Debug)]
pub struct Args(Vec<Arg>);

impl Args {
    /// The arguments a program's exception object was constructed with, from their repr
    /// (pyrsc's exception classes take one argument or none).
    pub fn from_repr(repr: &crate::Str) -> Args {
        match repr.as_str() {
            "" => Args(Vec::new()),
            one => Args(vec![Arg::other(one)]),
        }
    }

    /// `len(e.args)`.
    pub fn len(&self) -> i64 {
        self.0.len() as i64
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `e.args[index]`, where the front end has proved the arguments are strings.
    pub fn get(&self, index: i64) -> PyResult<crate::Str> {
        let position = if index < 0 { index + self.len() } else { index };
        let arg = usize::try_from(position).ok().and_then(|p| self.0.get(p));
        match arg {
            Some(Arg { text: Some(text), .. }) => Ok(crate::Str::from(text.as_str())),
            Some(Arg { repr, text: None }) => {
                Err(Exc::new(ExcKind::TypeError, format!("pyrsc: e.args holds {repr}, which is not a str")))
            }
            None => Err(Exc::new(ExcKind::IndexError, "tuple index out of range")),
        }
    }

    fn write_joined(&self, out: &mut String) {
        for (i, arg) in self.0.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&arg.repr);
        }
    }
}

impl PartialEq for Args {
    /// Equal when their reprs are (exact for the str and int arguments exceptions carry).
    fn eq(&self, other: &Args) -> bool {
        self.0.len() == other.0.len() && self.0.iter().zip(&other.0).all(|(a, b)| a.repr == b.repr)
    }
}

impl crate::repr::PyRepr for Args {
    /// A tuple: `()`, `('message',)`, `(2, 'No such file or directory')`.
    fn write_repr(&self, out: &mut String) {
        out.push('(');
        self.write_joined(out);
        if self.0.len() == 1 {
            out.push(',');
        }
        out.push(')');
    }
}

/// The object of a user exception class, carried by its [`Exc`].
trait ExcObject: std::any::Any {
    fn clone_box(&self) -> Box<dyn ExcObject>;
    fn as_any(&self) -> &dyn std::any::Any;
}

impl<T: std::any::Any + Clone> ExcObject for T {
    fn clone_box(&self) -> Box<dyn ExcObject> {
        Box::new(self.clone())
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

struct Payload(Box<dyn ExcObject>);

impl Clone for Payload {
    fn clone(&self) -> Payload {
        Payload(self.0.clone_box())
    }
}

impl std::fmt::Debug for Payload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<exception object>")
    }
}

// SAFETY: objects are single-threaded handles. An exception carrying one is only moved from a
// thread to the thread that joins it (a failing prange chunk hands its exception to the caller
// after the worker has finished with it), never shared: the front end rejects creating objects
// in prange bodies, so no other handle to the object stays behind on the worker.
unsafe impl Send for Payload {}
// SAFETY: as above; no `&Payload` is used from two threads at once.
unsafe impl Sync for Payload {}

/// A raised Python exception. One pointer wide so that `PyResult<T>` stays small.
#[derive(Clone, Debug)]
pub struct Exc(Box<ExcData>);

impl Exc {
    /// A new exception of `kind` with CPython's message text.
    #[cold]
    pub fn new(kind: ExcKind, message: impl Into<String>) -> Exc {
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Exc(Box::new(ExcData {
            id,
            context: None,
            cause: None,
            suppress_context: false,
            kind,
            message: message.into(),
            exit: None,
            frames: Vec::new(),
            object: None,
            args: None,
        }))
    }

    /// `raise obj` for an object of a user exception class: `identity` (the object's address)
    /// makes raising the same object twice raise the same exception.
    #[cold]
    /// `args_repr`: the repr of the argument the object was constructed with, empty for none.
    pub fn user<T: std::any::Any + Clone>(
        kind: ExcKind,
        message: &crate::Str,
        args_repr: &crate::Str,
        object: T,
        identity: *const u8,
    ) -> Exc {
        let mut exc = Exc::new(kind, message.as_str());
        exc.0.id = identity as usize as u64 | (1 << 63);
        exc.0.object = Some(Payload(Box::new(object)));
        exc.0.args = Some(Args::from_repr(args_repr).0);
        exc
    }

    /// The object of a user exception class (for `except MyError as e`).
    pub fn object<T: std::any::Any + Clone>(&self) -> Option<T> {
        self.0.object.as_ref().and_then(|p| p.0.as_any().downcast_ref::<T>()).cloned()
    }

    /// The `SystemExit` raised by `sys.exit(code)`: like CPython's, `str(e)` is the code's str
    /// and `e.args` holds the code (`repr(e)`: `SystemExit(6)`, `SystemExit('message')`).
    #[cold]
    pub fn system_exit(code: ExitCode) -> Exc {
        let (message, arg) = match &code {
            ExitCode::Code(code) => (code.to_string(), Arg::other(&code.to_string())),
            ExitCode::Message(text) => (text.clone(), Arg::text(text)),
        };
        let mut exc = Exc::new(ExcKind::SystemExit, message);
        exc.0.exit = Some(code);
        exc.0.args = Some(vec![arg]);
        exc
    }

    /// The `SystemExit` raised by `sys.exit()`: exit status 0, no arguments, `str(e)` empty.
    #[cold]
    pub fn system_exit_without_code() -> Exc {
        let mut exc = Exc::new(ExcKind::SystemExit, "");
        exc.0.exit = Some(ExitCode::Code(0));
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

    /// `__cause__`, `__context__` and `__suppress_context__` (for the CPython glue).
    pub fn chain(&self) -> (Option<&Exc>, Option<&Exc>, bool) {
        (self.0.cause.as_ref(), self.0.context.as_ref(), self.0.suppress_context)
    }

    /// `except (A, B)`: whether this exception is an instance of one of `kinds`.
    pub fn matches(&self, kinds: &[ExcKind]) -> bool {
        kinds.iter().any(|k| self.0.kind.is_a(*k))
    }

    /// An exception leaving the handler of `handled` gets it as its context (unless it is
    /// `handled` re-raised, or already has one from an inner handler).
    #[cold]
    pub fn during(mut self, handled: &Exc) -> Exc {
        if self.0.id != handled.0.id && self.0.context.is_none() {
            self.0.context = Some(handled.clone());
        }
        self
    }

    /// `raise self from cause` (`None`: `from None`).
    #[cold]
    pub fn caused_by(mut self, cause: Option<Exc>) -> Exc {
        self.0.cause = cause;
        self.0.suppress_context = true;
        self
    }

    /// The initial value of an `except ... as e` variable (never read before it is assigned).
    pub fn placeholder() -> Exc {
        Exc::new(ExcKind::BaseException, "")
    }

    /// `raise ExcType(message)`: a new exception (its frame is added where it is raised).
    #[cold]
    pub fn raised(kind: ExcKind, message: Option<crate::Str>) -> Exc {
        let mut exc = Exc::new(kind, message.as_ref().map(|m| m.as_str().to_owned()).unwrap_or_default());
        if message.is_some_and(|m| m.as_str().is_empty()) {
            // `ValueError("")` has one argument; `ValueError()` none.
            exc.0.args = Some(vec![Arg::text("")]);
        }
        exc
    }

    /// `ValueError(5)`: an exception whose one argument is not a str (`repr`: its repr).
    #[cold]
    pub fn raised_with_arg(kind: ExcKind, message: crate::Str, repr: crate::Str) -> Exc {
        let mut exc = Exc::new(kind, message.as_str());
        exc.0.args = Some(vec![Arg::other(repr.as_str())]);
        exc
    }

    /// Arguments given by their reprs (`e.args`, `repr(e)`).
    pub(crate) fn with_args_reprs(mut self, reprs: &[&str]) -> Exc {
        self.0.args = Some(reprs.iter().map(|r| Arg::other(r)).collect());
        self
    }

    /// An OSError's arguments: `(errno, strerror)`.
    pub(crate) fn with_os_args(mut self, code: i32, text: &str) -> Exc {
        self.0.args = Some(vec![Arg::other(&code.to_string()), Arg::text(text)]);
        self
    }

    /// `e.args`.
    pub fn args(&self) -> Args {
        if let Some(args) = &self.0.args {
            return Args(args.clone());
        }
        match (self.0.kind, self.0.message.as_str()) {
            (_, "") => Args(Vec::new()),
            (ExcKind::KeyError, key) => Args(vec![Arg::other(key)]),
            (_, message) => Args(vec![Arg::text(message)]),
        }
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
/// `op(...).at(__FUNC, line, col_start, col_end)?` in generated code.
pub trait Located<T> {
    fn at(self, func: &'static str, line: u32, col_start: u32, col_end: u32) -> PyResult<T>;
    /// `at` for a binary operator or subscript, with the columns CPython marks with `^`.
    fn at_anchored(
        self,
        func: &'static str,
        line: u32,
        col_start: u32,
        col_end: u32,
        anchor_start: u32,
        anchor_end: u32,
    ) -> PyResult<T>;
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
    fn at_anchored(
        self,
        func: &'static str,
        line: u32,
        col_start: u32,
        col_end: u32,
        anchor_start: u32,
        anchor_end: u32,
    ) -> PyResult<T> {
        match self {
            Ok(value) => Ok(value),
            Err(exc) => Err(exc.push_frame(Frame {
                func,
                line,
                cols: (col_start, col_end),
                anchor: Some((anchor_start, anchor_end)),
            })),
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

/// Reached only if a function that returns a value ended without `return` (the front end
/// rejects such functions; generated code needs a value after a final `try`).
#[cold]
pub fn fell_off_end(func: &str) -> Exc {
    Exc::new(ExcKind::RuntimeError, format!("pyrsc: `{func}` ended without returning a value"))
}

/// The end of a function that cannot raise and returns a value, after a last statement that
/// Rust cannot see leaves (the front end proved every path returns, so this never runs). It
/// gives the value's type to that place; should it ever run, it says so and stops the
/// program, as an internal error.
#[cold]
pub fn fell_through(func: &str) -> ! {
    // What was printed before goes out first (a failed flush changes nothing here).
    let _ = crate::print::flush_stdout();
    eprintln!("pyrsc internal error: `{func}` ended without returning a value");
    std::process::exit(70)
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

/// Writes a report to stderr; a failure goes unreported (as in CPython: it only changes the
/// exit status), never a panic.
fn to_stderr(text: &str) {
    let _ = crate::print::write_stderr(text);
}

/// Prints an uncaught exception like CPython and returns the exit status.
pub fn report_uncaught(exc: Exc, file: &str, source: &str) -> i32 {
    if let Some(exit) = &exc.0.exit {
        return match exit {
            ExitCode::Code(code) => (*code & 0xff) as i32,
            ExitCode::Message(text) => {
                to_stderr(&format!("{text}\n"));
                1
            }
        };
    }
    to_stderr(&render_traceback(&exc, file, source));
    1
}

/// PEP 479: a StopIteration leaving a generator becomes
/// `RuntimeError: generator raised StopIteration`, caused by it (so that it cannot silently end
/// the loop consuming the generator). Other exceptions pass unchanged.
#[cold]
pub fn from_generator(exc: Exc) -> Exc {
    if exc.kind().is_a(ExcKind::StopIteration) {
        return Exc::new(ExcKind::RuntimeError, "generator raised StopIteration").caused_by(Some(exc));
    }
    exc
}

/// CPython's note on stderr for an exception nobody can catch (one raised while a generator
/// that is no longer referenced closes): the program goes on.
#[cold]
pub fn report_ignored(exc: &Exc, what: &str) {
    let name = exc.kind().qualified_name();
    match exc.message() {
        "" => to_stderr(&format!("Exception ignored in: {what}\n{name}\n")),
        message => to_stderr(&format!("Exception ignored in: {what}\n{name}: {message}\n")),
    }
}

/// CPython 3.11's traceback text: the chained exceptions first (the cause, or the context
/// unless suppressed), then this one.
pub fn render_traceback(exc: &Exc, file: &str, source: &str) -> String {
    let mut out = String::new();
    if let Some(cause) = &exc.0.cause {
        out.push_str(&render_traceback(cause, file, source));
        out.push_str("\nThe above exception was the direct cause of the following exception:\n\n");
    } else if let (Some(context), false) = (&exc.0.context, exc.0.suppress_context) {
        out.push_str(&render_traceback(context, file, source));
        out.push_str("\nDuring handling of the above exception, another exception occurred:\n\n");
    }
    out.push_str(&render_one(exc, file, source));
    out
}

/// One exception's traceback and final line.
fn render_one(exc: &Exc, file: &str, source: &str) -> String {
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
        let _ = writeln!(out, "{}", exc.0.kind.qualified_name());
    } else {
        let _ = writeln!(out, "{}: {}", exc.0.kind.qualified_name(), exc.0.message);
    }
    out
}

/// `str(e)` is the message; `repr(e)` is the class and its arguments: `Kind('message')`,
/// `Kind(5)`, `Kind()`.
impl crate::repr::PyRepr for Exc {
    fn write_repr(&self, out: &mut String) {
        out.push_str(self.0.kind.name());
        out.push('(');
        self.args().write_joined(out);
        out.push(')');
    }

    fn write_str(&self, out: &mut String) {
        out.push_str(&self.0.message);
    }
}
