//! Exceptions across the boundary: a runtime [`Exc`] becomes the Python exception of the same
//! type and message (with the compiled frames added to its traceback, so it shows the `.py`
//! file and lines as pure Python would), and a bad argument becomes a `TypeError` /
//! `OverflowError` naming the function and parameter.

use std::ffi::{c_char, c_int, CString};

use super::ffi;
use crate::exc::{Exc, ExcKind, ExitCode};

/// A Python exception is set (the CPython convention for a null result).
#[derive(Debug)]
pub struct Raised;

/// Why a Python value could not become a parameter's Rust value.
#[derive(Debug)]
pub enum Problem {
    /// Wrong type: what was expected (`int`, `list[float]`, ...) and the offending object.
    Type { expected: String, found: String },
    /// An int outside the 64-bit range.
    Overflow,
    /// A message for a `ValueError` (NumPy shape, dtype, writability).
    Value(String),
    /// A Python exception is already set (raised by a conversion CPython did).
    Raised,
}

impl Problem {
    /// Raises this problem as the exception for argument `param` of `function`.
    pub fn raise(self, function: &str, param: &str) -> Raised {
        match self {
            Problem::Type { expected, found } => {
                type_error(&format!("{function}() argument '{param}' must be {expected}, not {found}"))
            }
            Problem::Overflow => set(
                exception(ExcKind::OverflowError),
                &format!("{function}() argument '{param}' does not fit in a 64-bit int (pyrsc's int is 64-bit)"),
            ),
            Problem::Value(message) => {
                set(exception(ExcKind::ValueError), &format!("{function}() argument '{param}': {message}"))
            }
            Problem::Raised => Raised,
        }
    }

    /// A type problem for `object` where `expected` was wanted.
    pub fn wrong_type(expected: &str, object: *mut ffi::PyObject) -> Problem {
        Problem::Type { expected: expected.to_owned(), found: type_name(object) }
    }
}

/// The `__name__` of `object`'s type.
pub fn type_name(object: *mut ffi::PyObject) -> String {
    // SAFETY: `object` is a live reference and the GIL is held; `tp_name` is a NUL-terminated
    // string owned by the type. CPython's own messages use the part after the last dot.
    unsafe {
        let name = std::ffi::CStr::from_ptr((*ffi::Py_TYPE(object)).tp_name).to_string_lossy().into_owned();
        name.rsplit('.').next().unwrap_or(&name).to_owned()
    }
}

fn exception(kind: ExcKind) -> *mut ffi::PyObject {
    // SAFETY: reading CPython's exception type objects, initialised before any module loads.
    unsafe {
        match kind {
            ExcKind::BaseException => ffi::PyExc_BaseException,
            ExcKind::Exception => ffi::PyExc_Exception,
            ExcKind::ArithmeticError => ffi::PyExc_ArithmeticError,
            ExcKind::LookupError => ffi::PyExc_LookupError,
            ExcKind::NotImplementedError => ffi::PyExc_NotImplementedError,
            ExcKind::StopIteration => ffi::PyExc_StopIteration,
            ExcKind::OSError => ffi::PyExc_OSError,
            ExcKind::FileNotFoundError => ffi::PyExc_FileNotFoundError,
            ExcKind::AttributeError | ExcKind::FrozenInstanceError => ffi::PyExc_AttributeError,
            // A program's own exception class reaches Python as its nearest built-in base.
            ExcKind::User(_) => return exception(kind.parent().unwrap_or(ExcKind::Exception)),
            ExcKind::ZeroDivisionError => ffi::PyExc_ZeroDivisionError,
            ExcKind::OverflowError => ffi::PyExc_OverflowError,
            ExcKind::IndexError => ffi::PyExc_IndexError,
            ExcKind::ValueError => ffi::PyExc_ValueError,
            ExcKind::TypeError => ffi::PyExc_TypeError,
            ExcKind::NameError => ffi::PyExc_NameError,
            ExcKind::UnboundLocalError => ffi::PyExc_UnboundLocalError,
            ExcKind::KeyError => ffi::PyExc_KeyError,
            ExcKind::RuntimeError => ffi::PyExc_RuntimeError,
            ExcKind::AssertionError => ffi::PyExc_AssertionError,
            ExcKind::RecursionError => ffi::PyExc_RecursionError,
            ExcKind::EOFError => ffi::PyExc_EOFError,
            ExcKind::SystemExit => ffi::PyExc_SystemExit,
            ExcKind::MemoryError | ExcKind::ArrayMemoryError => ffi::PyExc_MemoryError,
            ExcKind::ConnectionError => ffi::PyExc_ConnectionError,
            ExcKind::BrokenPipeError => ffi::PyExc_BrokenPipeError,
        }
    }
}

fn set(kind: *mut ffi::PyObject, message: &str) -> Raised {
    let message = CString::new(message.replace('\0', "\\x00")).unwrap_or_default();
    // SAFETY: the GIL is held; `kind` is an exception type; the message is copied by CPython.
    unsafe { ffi::PyErr_SetString(kind, message.as_ptr()) };
    Raised
}

pub fn value_error(message: &str) -> Raised {
    set(exception(ExcKind::ValueError), message)
}

pub fn type_error(message: &str) -> Raised {
    set(exception(ExcKind::TypeError), message)
}

pub fn system_error(message: &str) {
    // SAFETY: reading a CPython exception type object.
    set(unsafe { ffi::PyExc_SystemError }, message);
}

extern "C" {
    /// CPython's helper (exported since 3.x, used by Cython) that appends a frame for a C
    /// function to the current exception's traceback.
    fn _PyTraceback_Add(funcname: *const c_char, filename: *const c_char, lineno: c_int);
}

/// Raises `exc` as the Python exception of the same type, with its `__cause__` and
/// `__context__` as Python exceptions too (so Python prints the same chain).
pub fn raise(exc: Exc) -> Raised {
    let (cause, context, suppress) = exc.chain();
    let (cause, context) = (cause.cloned().map(instance), context.cloned().map(instance));
    raise_one(exc);
    if cause.is_none() && context.is_none() && !suppress {
        return Raised;
    }
    // SAFETY: the GIL is held and an exception is set (just above): it is fetched, normalised to
    // an instance, given its chain (`PyException_SetCause`/`SetContext` steal the references
    // `instance` returned) and restored.
    unsafe {
        let (mut kind, mut value, mut traceback) = (std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut());
        ffi::PyErr_Fetch(&mut kind, &mut value, &mut traceback);
        ffi::PyErr_NormalizeException(&mut kind, &mut value, &mut traceback);
        if !value.is_null() {
            if let Some(Some(context)) = context {
                ffi::PyException_SetContext(value, context);
            }
            match cause {
                Some(Some(cause)) => ffi::PyException_SetCause(value, cause),
                // `from None`: no cause, context suppressed.
                _ if suppress => {
                    let none = ffi::Py_None();
                    ffi::Py_INCREF(none);
                    ffi::PyException_SetCause(value, none);
                }
                _ => {}
            }
        }
        ffi::PyErr_Restore(kind, value, traceback);
    }
    Raised
}

/// `exc` as a Python exception instance with its traceback (a new reference), or `None` if it
/// could not be made (the chain is then shorter, never wrong).
fn instance(exc: Exc) -> Option<*mut ffi::PyObject> {
    // SAFETY: the GIL is held; any exception already set is saved and restored around this, the
    // one `raise` sets is fetched and normalised; the instance reference is returned, the type
    // and traceback references released (the traceback is attached to the instance first).
    unsafe {
        let (mut saved_kind, mut saved_value, mut saved_tb) =
            (std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut());
        ffi::PyErr_Fetch(&mut saved_kind, &mut saved_value, &mut saved_tb);
        raise(exc);
        let (mut kind, mut value, mut traceback) = (std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut());
        ffi::PyErr_Fetch(&mut kind, &mut value, &mut traceback);
        ffi::PyErr_NormalizeException(&mut kind, &mut value, &mut traceback);
        if !value.is_null() && !traceback.is_null() {
            ffi::PyException_SetTraceback(value, traceback);
        }
        for object in [kind, traceback] {
            if !object.is_null() {
                ffi::Py_DECREF(object);
            }
        }
        ffi::PyErr_Restore(saved_kind, saved_value, saved_tb);
        (!value.is_null()).then_some(value)
    }
}

/// Raises `exc` alone. Its argument is the message, except for a `KeyError`, whose argument
/// is the key itself (the message is the key's repr, which `ast.literal_eval` reads back), and a
/// `SystemExit`, which carries the exit code.
fn raise_one(exc: Exc) -> Raised {
    if exc.kind() == ExcKind::ArrayMemoryError {
        // NumPy's own class, as `np.zeros` under CPython raises it.
        if let Some((class, instance)) = super::array::numpy_memory_error(exc.message()) {
            // SAFETY: the GIL is held; both are new references, released after CPython took its
            // own.
            unsafe {
                ffi::PyErr_SetObject(class, instance);
                ffi::Py_DECREF(instance);
                ffi::Py_DECREF(class);
            }
            add_frames(&exc);
            return Raised;
        }
    }
    let kind = exception(exc.kind());
    let argument = match (exc.kind(), exc.exit_code()) {
        (ExcKind::SystemExit, Some(ExitCode::Code(code))) => super::IntoPy::into_py(code).ok(),
        (ExcKind::KeyError, _) => literal_eval(exc.message()),
        _ => None,
    };
    match argument {
        Some(value) => {
            // SAFETY: the GIL is held; `value` is a new reference, released after CPython took
            // its own.
            unsafe {
                ffi::PyErr_SetObject(kind, value);
                ffi::Py_DECREF(value);
            }
        }
        None => {
            let message = match exc.exit_code() {
                Some(ExitCode::Message(text)) => text.clone(),
                _ => exc.message().to_owned(),
            };
            set(kind, &message);
        }
    }
    add_frames(&exc);
    Raised
}

/// The compiled frames, outermost last, as traceback entries of the Python file.
fn add_frames(exc: &Exc) {
    let file = CString::new(super::source_file()).unwrap_or_default();
    for frame in exc.frames().iter().rev() {
        let name = CString::new(frame.func).unwrap_or_default();
        // SAFETY: the GIL is held and an exception is set, as `_PyTraceback_Add` requires; it
        // copies both strings.
        unsafe { _PyTraceback_Add(name.as_ptr(), file.as_ptr(), frame.line as c_int) };
    }
}

/// `ast.literal_eval(text)`, or `None` when that fails (then the message is used as is).
pub(super) fn literal_eval(text: &str) -> Option<*mut ffi::PyObject> {
    // SAFETY: the GIL is held; every new reference is released or returned; a failure clears
    // the error it set.
    unsafe {
        let ast = ffi::PyImport_ImportModule(c"ast".as_ptr());
        if ast.is_null() {
            ffi::PyErr_Clear();
            return None;
        }
        let source = super::IntoPy::into_py(&crate::str::Str::from(text)).ok()?;
        let value = ffi::PyObject_CallMethod(ast, c"literal_eval".as_ptr(), c"O".as_ptr(), source);
        ffi::Py_DECREF(source);
        ffi::Py_DECREF(ast);
        if value.is_null() {
            ffi::PyErr_Clear();
            return None;
        }
        Some(value)
    }
}
