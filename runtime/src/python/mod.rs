//! CPython glue for extension modules (feature `python`, built only when a module is compiled).
//!
//! Generated code for `pyrsc build --module` names three things from here: a static
//! [`ModuleSpec`] describing the module, [`init_module`] called by `PyInit_<name>`, and [`call`]
//! called by one small `extern "C"` wrapper per exported function. Everything that touches a
//! raw `PyObject` lives in this module and its children (`convert.rs`: values in and out,
//! `error.rs`: exceptions in both directions, `array.rs`: NumPy arrays through the buffer
//! protocol), each `unsafe` block under a `SAFETY:` comment; generated code holds no `unsafe`.
//!
//! Invariants: the GIL is held whenever a Python object is touched and released around the
//! compiled function itself ([`without_gil`]); a Rust panic never crosses into CPython (every
//! entry point catches it and raises `SystemError`); output of `print` reaches Python's
//! `sys.stdout` (so notebooks show it) when the call returns.

pub mod array;
pub mod convert;
pub mod error;

use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

pub use pyo3_ffi as ffi;

pub use convert::{FromPy, IntoPy, WriteBack};
pub use error::Raised;

use crate::exc::PyResult;

/// The signature of an exported function's wrapper (`METH_FASTCALL | METH_KEYWORDS`).
pub type Wrapper = extern "C" fn(
    *mut ffi::PyObject,
    *const *mut ffi::PyObject,
    ffi::Py_ssize_t,
    *mut ffi::PyObject,
) -> *mut ffi::PyObject;

/// One exported function.
pub struct FunctionSpec {
    /// The Python name.
    pub name: &'static str,
    /// Parameter names, in order.
    pub params: &'static [&'static str],
    /// How many parameters (the first ones) have no default.
    pub required: usize,
    /// The docstring as CPython stores it for builtins: `name(sig)\n--\n\n` then the docstring,
    /// which gives `__text_signature__` (so `help()` and `inspect.signature` work).
    pub doc: &'static str,
    pub wrapper: Wrapper,
}

/// Everything `PyInit_<name>` needs.
pub struct ModuleSpec {
    pub name: &'static str,
    /// The Python source file, for tracebacks.
    pub file: &'static str,
    pub doc: &'static str,
    pub functions: &'static [FunctionSpec],
    /// The top-level statements, run once at import.
    pub body: fn() -> PyResult<()>,
    /// Stores the exported module-level constants (after `body` ran).
    pub constants: fn(&mut Constants),
}

/// The module being initialised, for [`ModuleSpec::constants`].
pub struct Constants {
    module: *mut ffi::PyObject,
    failed: bool,
}

impl Constants {
    /// Exports `value` as the module attribute `name`.
    pub fn add<T: IntoPy>(&mut self, name: &'static str, value: &T) {
        if self.failed {
            return;
        }
        let Ok(object) = value.into_py() else {
            self.failed = true;
            return;
        };
        let name = CString::new(name).unwrap_or_default();
        // SAFETY: the GIL is held during module initialisation; `module` is the live module
        // object and `PyModule_AddObjectRef` does not steal `object`, which is released after.
        unsafe {
            if ffi::PyModule_AddObjectRef(self.module, name.as_ptr(), object) < 0 {
                self.failed = true;
            }
            ffi::Py_DECREF(object);
        }
    }
}

/// `PyInit_<name>`: creates the module, runs its top-level code and stores its constants.
/// Returns a new reference, or null with a Python exception set.
pub fn init_module(spec: &'static ModuleSpec) -> *mut ffi::PyObject {
    guard(|| {
        let _ = FILE.set(spec.file);
        crate::print::send_to_python(true);
        let module = create_module(spec)?;
        let outcome = without_gil(spec.body);
        flush_print_to_python();
        if let Err(exc) = outcome {
            // SAFETY: the GIL is held again; `module` is the reference created above.
            unsafe { ffi::Py_DECREF(module) };
            return Err(error::raise(exc));
        }
        let mut constants = Constants { module, failed: false };
        (spec.constants)(&mut constants);
        if constants.failed {
            // SAFETY: as above.
            unsafe { ffi::Py_DECREF(module) };
            return Err(Raised);
        }
        Ok(module)
    })
}

/// Builds the method table and the module object; both live as long as the process (an
/// extension module is never unloaded).
fn create_module(spec: &'static ModuleSpec) -> Result<*mut ffi::PyObject, Raised> {
    let leak = |text: &str| -> *const c_char { CString::new(text.replace('\0', " ")).unwrap_or_default().into_raw() };
    let mut methods: Vec<ffi::PyMethodDef> = spec
        .functions
        .iter()
        .map(|f| ffi::PyMethodDef {
            ml_name: leak(f.name),
            ml_meth: ffi::PyMethodDefPointer { PyCFunctionFastWithKeywords: f.wrapper },
            ml_flags: ffi::METH_FASTCALL | ffi::METH_KEYWORDS,
            ml_doc: leak(f.doc),
        })
        .collect();
    methods.push(ffi::PyMethodDef {
        ml_name: leak("_pyrsc_set_threads"),
        ml_meth: ffi::PyMethodDefPointer { PyCFunction: set_threads },
        ml_flags: ffi::METH_O,
        ml_doc: leak("_pyrsc_set_threads(n)\n--\n\nThreads for this module's prange loops without num_threads (the %%pyrsc magic's --threads)."),
    });
    methods.push(ffi::PyMethodDef::zeroed());
    let methods = Box::leak(methods.into_boxed_slice());
    let def = Box::leak(Box::new(ffi::PyModuleDef {
        m_base: ffi::PyModuleDef_HEAD_INIT,
        m_name: leak(spec.name),
        m_doc: if spec.doc.is_empty() { std::ptr::null() } else { leak(spec.doc) },
        m_size: -1,
        m_methods: methods.as_mut_ptr(),
        m_slots: std::ptr::null_mut(),
        m_traverse: None,
        m_clear: None,
        m_free: None,
    }));
    // SAFETY: the GIL is held (CPython calls `PyInit_*` with it); `def` and everything it points
    // to is leaked, so it outlives the module as CPython requires.
    let module = unsafe { ffi::PyModule_Create2(def, ffi::PYTHON_API_VERSION) };
    if module.is_null() {
        Err(Raised)
    } else {
        Ok(module)
    }
}

/// `_pyrsc_set_threads(n)`, added to every module.
extern "C" fn set_threads(_module: *mut ffi::PyObject, argument: *mut ffi::PyObject) -> *mut ffi::PyObject {
    guard(|| {
        let threads = i64::from_py(argument).map_err(|problem| problem.raise("_pyrsc_set_threads", "n"))?;
        if threads < 1 {
            return Err(error::value_error("_pyrsc_set_threads() needs at least 1 thread"));
        }
        crate::par::set_default_threads(threads as usize);
        ().into_py()
    })
}

/// The arguments of one call, bound to parameters by position or keyword.
pub struct Bound {
    function: &'static FunctionSpec,
    slots: [*mut ffi::PyObject; MAX_PARAMS],
    /// Buffers of array arguments, released (with the GIL held) when the call returns.
    buffers: std::cell::RefCell<Vec<array::HeldBuffer>>,
}

/// Exported functions take at most this many parameters (the front end checks).
pub const MAX_PARAMS: usize = 32;

impl Bound {
    /// Converts parameter `index`, which has no default.
    pub fn get<T: FromPy>(&self, index: usize) -> Result<T, Raised> {
        let object = self.slots[index];
        if object.is_null() {
            let name = self.function.params[index];
            return Err(error::type_error(&format!(
                "{}() missing required argument '{name}' (pos {})",
                self.function.name,
                index + 1
            )));
        }
        T::from_py(object).map_err(|problem| problem.raise(self.function.name, self.function.params[index]))
    }

    /// Converts parameter `index`, or evaluates its default when it was not passed.
    pub fn get_or<T: FromPy>(&self, index: usize, default: impl FnOnce() -> T) -> Result<T, Raised> {
        if self.slots[index].is_null() {
            Ok(default())
        } else {
            self.get(index)
        }
    }

    /// Reads parameter `index` as an `N`-dimensional array; `writable` when the function may
    /// write to it. The buffer stays held until the call returns.
    pub fn array<T: array::BufferElement, const N: usize>(
        &self,
        index: usize,
        writable: bool,
    ) -> Result<crate::Array<T, N>, Raised> {
        let object = self.slots[index];
        if object.is_null() {
            let name = self.function.params[index];
            return Err(error::type_error(&format!(
                "{}() missing required argument '{name}' (pos {})",
                self.function.name,
                index + 1
            )));
        }
        let (array, held) = array::array_argument::<T, N>(object, writable)
            .map_err(|problem| problem.raise(self.function.name, self.function.params[index]))?;
        self.buffers.borrow_mut().push(held);
        Ok(array)
    }

    /// Copies a container the compiled function may have changed back into the caller's
    /// object for parameter `index` (nothing when the parameter took its default).
    pub fn write_back<T: WriteBack>(&self, index: usize, value: &T) -> Result<(), Raised> {
        let object = self.slots[index];
        if object.is_null() {
            return Ok(());
        }
        value.write_back(object)
    }
}

/// The body of every exported function's wrapper: binds the arguments (`METH_FASTCALL |
/// METH_KEYWORDS` layout), runs `body` (which converts them, calls the compiled function
/// through [`without_gil`] and converts the result), and turns a failure or a panic into a
/// Python exception.
pub fn call(
    function: &'static FunctionSpec,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
    body: impl FnOnce(&Bound) -> Result<*mut ffi::PyObject, Raised>,
) -> *mut ffi::PyObject {
    guard(|| {
        // Built in place and never moved: it is a few hundred bytes.
        let mut bound =
            Bound { function, slots: [std::ptr::null_mut(); MAX_PARAMS], buffers: std::cell::RefCell::new(Vec::new()) };
        bind(&mut bound, args, nargs, kwnames)?;
        let result = body(&bound);
        flush_print_to_python();
        result
    })
}

fn bind(
    bound: &mut Bound,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> Result<(), Raised> {
    let function = bound.function;
    let slots = &mut bound.slots;
    let params = function.params;
    let positional = (nargs as usize) & !ffi::PY_VECTORCALL_ARGUMENTS_OFFSET;
    if positional > params.len() {
        // CPython's wording for a Python function.
        let takes = if function.required == params.len() {
            params.len().to_string()
        } else {
            format!("from {} to {}", function.required, params.len())
        };
        return Err(error::type_error(&format!(
            "{}() takes {takes} positional argument{} but {positional} {} given",
            function.name,
            if params.len() == 1 && function.required == 1 { "" } else { "s" },
            if positional == 1 { "was" } else { "were" }
        )));
    }
    for (i, slot) in slots.iter_mut().enumerate().take(positional) {
        // SAFETY: CPython passes `nargs` valid borrowed references at `args`.
        *slot = unsafe { *args.add(i) };
    }
    if !kwnames.is_null() {
        // SAFETY: `kwnames` is a tuple of str (vectorcall protocol); the keyword values follow
        // the positional ones in `args`. All references are borrowed for the call.
        let count = unsafe { ffi::PyTuple_GET_SIZE(kwnames) } as usize;
        for k in 0..count {
            // SAFETY: `k < count`, the tuple's size, and the keyword values follow the
            // positional ones in `args` (vectorcall protocol).
            let (name, value) =
                unsafe { (ffi::PyTuple_GET_ITEM(kwnames, k as ffi::Py_ssize_t), *args.add(positional + k)) };
            let name = convert::str_of(name).unwrap_or_default();
            match params.iter().position(|p| *p == name) {
                Some(i) if !slots[i].is_null() => {
                    return Err(error::type_error(&format!(
                        "{}() got multiple values for argument '{name}'",
                        function.name
                    )));
                }
                Some(i) => slots[i] = value,
                None => {
                    return Err(error::type_error(&format!(
                        "{}() got an unexpected keyword argument '{name}'",
                        function.name
                    )))
                }
            }
        }
    }
    let missing: Vec<String> =
        (0..function.required).filter(|&i| slots[i].is_null()).map(|i| format!("'{}'", params[i])).collect();
    if !missing.is_empty() {
        let names = match missing.as_slice() {
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
            [] => String::new(),
        };
        return Err(error::type_error(&format!(
            "{}() missing {} required positional argument{}: {names}",
            function.name,
            missing.len(),
            if missing.len() == 1 { "" } else { "s" }
        )));
    }
    Ok(())
}

/// Runs compiled code with the GIL released, so other Python threads run meanwhile.
/// A panic is caught before the GIL is taken back and re-raised after.
pub fn without_gil<R>(work: impl FnOnce() -> R) -> R {
    // SAFETY: called with the GIL held (from a wrapper or module init); it is restored below
    // on every path, panics included, before any Python object is touched again. `work` runs
    // compiled code only, which never calls into CPython.
    let state = unsafe { ffi::PyEval_SaveThread() };
    let outcome = catch_unwind(AssertUnwindSafe(work));
    // SAFETY: `state` is the thread state saved above, on this same thread.
    unsafe { ffi::PyEval_RestoreThread(state) };
    match outcome {
        Ok(value) => value,
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

/// Converts a compiled function's result, raising its exception as a Python one.
pub fn ret<T: IntoPy>(result: PyResult<T>) -> Result<*mut ffi::PyObject, Raised> {
    match result {
        Ok(value) => value.into_py(),
        Err(exc) => Err(error::raise(exc)),
    }
}

/// Runs an entry point: a `Raised` error or a panic becomes null with a Python exception set.
fn guard(entry: impl FnOnce() -> Result<*mut ffi::PyObject, Raised>) -> *mut ffi::PyObject {
    match catch_unwind(AssertUnwindSafe(entry)) {
        Ok(Ok(object)) => object,
        Ok(Err(Raised)) => std::ptr::null_mut(),
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a Rust panic".to_owned());
            error::system_error(&format!("pyrsc: compiled code panicked: {message}"));
            std::ptr::null_mut()
        }
    }
}

/// Hands what `print` buffered to `sys.stdout.write` (the GIL is held).
fn flush_print_to_python() {
    let text = crate::print::take_buffered();
    if text.is_empty() {
        return;
    }
    // SAFETY: the GIL is held; every new reference is released; an exception the call raised
    // is set aside while writing and restored after; a failure to write is reported as an
    // unraisable error rather than replacing the call's own outcome.
    unsafe {
        let (mut kind, mut value, mut traceback) = (std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut());
        ffi::PyErr_Fetch(&mut kind, &mut value, &mut traceback);
        write_to_stdout(&text);
        ffi::PyErr_Restore(kind, value, traceback);
    }
}

/// `sys.stdout.write(text)`.
///
/// # Safety
// SAFETY: callers hold the GIL and have no exception set (the only caller fetched it).
unsafe fn write_to_stdout(text: &str) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let stdout = ffi::PySys_GetObject(c"stdout".as_ptr());
        if stdout.is_null() || stdout == ffi::Py_None() {
            return;
        }
        let Ok(text) = crate::str::Str::from(text).into_py() else {
            ffi::PyErr_Clear();
            return;
        };
        let result = ffi::PyObject_CallMethod(stdout, c"write".as_ptr(), c"O".as_ptr(), text);
        ffi::Py_DECREF(text);
        if result.is_null() {
            ffi::PyErr_WriteUnraisable(stdout);
        } else {
            ffi::Py_DECREF(result);
        }
    }
}

static FILE: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();

/// The module's Python source file (tracebacks name it).
fn source_file() -> &'static str {
    FILE.get().copied().unwrap_or("<pyrsc module>")
}
