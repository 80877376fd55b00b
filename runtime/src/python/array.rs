//! NumPy arrays (and anything else exporting a strided buffer: `array.array`, memoryviews) as
//! `NDArray` arguments and results, without a build-time NumPy dependency.
//!
//! An argument is read through the buffer protocol: dtype (the buffer's format), number of
//! dimensions and, when the function writes to it, writability are checked at the call, and the
//! compiled function gets an [`Array`] over the caller's memory (any strides: transposed and
//! sliced views work, and writes land in the caller's array). The buffer is held by the call's
//! [`Bound`](super::Bound) and released when the call returns. A result that is such an array
//! returns the caller's object itself; an array the compiled code created is copied into a new
//! `numpy.ndarray` (NumPy is imported at that moment).

use std::ffi::CStr;

use super::error::{type_name, Problem, Raised};
use super::ffi;
use crate::array::{Array, Element};

/// How an element type appears in a buffer's format string.
pub trait BufferElement: Element {
    /// Format characters CPython's `struct` module uses for this type on this platform.
    const FORMATS: &'static [u8];
}

impl BufferElement for f64 {
    const FORMATS: &'static [u8] = b"d";
}
impl BufferElement for f32 {
    const FORMATS: &'static [u8] = b"f";
}
impl BufferElement for i64 {
    const FORMATS: &'static [u8] = if std::mem::size_of::<std::ffi::c_long>() == 8 { b"ql" } else { b"q" };
}
impl BufferElement for i32 {
    const FORMATS: &'static [u8] = if std::mem::size_of::<std::ffi::c_long>() == 4 { b"il" } else { b"i" };
}
impl BufferElement for u8 {
    const FORMATS: &'static [u8] = b"B";
}
impl BufferElement for bool {
    const FORMATS: &'static [u8] = b"?";
}

/// The NumPy name of a buffer format, for messages.
fn dtype_name(format: &[u8], itemsize: isize) -> String {
    let code = format.iter().copied().find(|c| !b"@=<>!".contains(c)).unwrap_or(b'?');
    match (code, itemsize) {
        (b'd', _) => "float64".to_owned(),
        (b'f', _) => "float32".to_owned(),
        (b'e', _) => "float16".to_owned(),
        (b'q' | b'l', 8) => "int64".to_owned(),
        (b'i' | b'l', 4) => "int32".to_owned(),
        (b'h', _) => "int16".to_owned(),
        (b'b', _) => "int8".to_owned(),
        (b'B', _) => "uint8".to_owned(),
        (b'H', _) => "uint16".to_owned(),
        (b'I', _) => "uint32".to_owned(),
        (b'Q' | b'L', _) => "uint64".to_owned(),
        (b'?', _) => "bool".to_owned(),
        (b'Z', _) => "complex".to_owned(),
        _ => format!("format '{}'", String::from_utf8_lossy(format)),
    }
}

/// A buffer the call holds until it returns (boxed: CPython may keep its address), and for an
/// unaligned buffer the aligned copy the function worked on, written back if it may have
/// changed it.
pub struct HeldBuffer(Box<ffi::Py_buffer>, Option<Box<dyn FnOnce()>>);

impl Drop for HeldBuffer {
    fn drop(&mut self) {
        if let Some(write_back) = self.1.take() {
            write_back();
        }
        // SAFETY: the buffer was filled by a successful `PyObject_GetBuffer`; it is released
        // exactly once, with the GIL held (a `Bound` is dropped inside the call wrapper, before
        // the result goes back to CPython).
        unsafe { ffi::PyBuffer_Release(&mut *self.0) };
    }
}

/// Reads argument `object` as an `N`-dimensional array of `T`; `writable` when the function
/// may write to it. The returned buffer must be kept while the array is used.
pub fn array_argument<T: BufferElement, const N: usize>(
    object: *mut ffi::PyObject,
    writable: bool,
) -> Result<(Array<T, N>, HeldBuffer), Problem> {
    let expected = || format!("a {N}-dimensional array of {}", T::NUMPY);
    // SAFETY: the GIL is held; `object` is a live borrowed reference.
    if unsafe { ffi::PyObject_CheckBuffer(object) } == 0 {
        return Err(Problem::Type { expected: expected(), found: type_name(object) });
    }
    let mut held = HeldBuffer(Box::new(ffi::Py_buffer::new()), None);
    // SAFETY: `held.0` is a fresh, boxed `Py_buffer`; on success it is released by `HeldBuffer`'s
    // drop; on failure CPython leaves nothing to release, so the box is freed without it.
    let status = unsafe { ffi::PyObject_GetBuffer(object, &mut *held.0, ffi::PyBUF_STRIDES | ffi::PyBUF_FORMAT) };
    if status < 0 {
        std::mem::forget(held);
        return Err(Problem::Raised);
    }
    let view = &*held.0;
    // SAFETY: a successful request with PyBUF_FORMAT gives a NUL-terminated format string (or
    // null, meaning unsigned bytes), and with PyBUF_STRIDES `ndim` entries of shape and strides.
    let (format, shape, strides) = unsafe {
        let format = if view.format.is_null() { b"B".as_slice() } else { CStr::from_ptr(view.format).to_bytes() };
        let ndim = view.ndim.max(0) as usize;
        let shape = if ndim == 0 { &[][..] } else { std::slice::from_raw_parts(view.shape, ndim) };
        let strides = if ndim == 0 { &[][..] } else { std::slice::from_raw_parts(view.strides, ndim) };
        (format, shape, strides)
    };
    let code = format.iter().copied().find(|c| !b"@=<".contains(c));
    let native = !format.starts_with(b">") && !format.starts_with(b"!");
    let size = std::mem::size_of::<T>() as isize;
    let dtype_ok =
        native && format.len() <= 2 && code.is_some_and(|c| T::FORMATS.contains(&c)) && view.itemsize == size;
    if !dtype_ok {
        return Err(Problem::Type {
            expected: expected(),
            found: format!("an array of {}", dtype_name(format, view.itemsize)),
        });
    }
    if shape.len() != N {
        return Err(Problem::Type { expected: expected(), found: format!("a {}-dimensional array", shape.len()) });
    }
    if writable && view.readonly != 0 {
        return Err(Problem::Value(
            "the array is read-only, but the function writes to it (pass a writable array, e.g. a.copy())".to_owned(),
        ));
    }
    let mut dims = [0usize; N];
    let mut steps = [0isize; N];
    for axis in 0..N {
        dims[axis] = shape[axis].max(0) as usize;
        if strides[axis] % size != 0 {
            return Err(Problem::Value(
                "the array's strides are not a multiple of its item size (pass np.ascontiguousarray(a))".to_owned(),
            ));
        }
        steps[axis] = strides[axis] / size;
    }
    let ptr = view.buf as *mut T;
    if (ptr as usize) % std::mem::align_of::<T>() != 0 {
        // SAFETY: the buffer contract as below, alignment aside, which the copy does not need;
        // the write-back runs before the buffer is released (it is the first thing `drop` does).
        let copy = unsafe { Array::copy_unaligned(ptr, dims, steps, object as usize) };
        if writable {
            let written = copy.clone();
            // SAFETY: the same buffer, still held (see above), and checked writable.
            held.1 = Some(Box::new(move || unsafe { written.write_unaligned(ptr, steps) }));
        }
        return Ok((copy, held));
    }
    // SAFETY: CPython's buffer contract: `buf` with this shape and these strides addresses valid
    // elements of the checked format and item size for as long as the buffer is held, which the
    // returned `HeldBuffer` ensures for the call; writability was checked when it is needed.
    let array = unsafe { Array::from_raw(ptr, dims, steps, object as usize) };
    Ok((array, held))
}

/// An array as a Python object: the caller's own array when it came from the call, else a new
/// `numpy.ndarray` holding a copy.
pub fn array_result<T: BufferElement, const N: usize>(array: &Array<T, N>) -> Result<*mut ffi::PyObject, Raised> {
    if let Some(address) = array.python_object() {
        let object = address as *mut ffi::PyObject;
        // SAFETY: the object is an argument of the running call (the front end keeps arrays from
        // Python from outliving the call), so it is alive; the new reference is returned.
        unsafe { ffi::Py_INCREF(object) };
        return Ok(object);
    }
    let data = array.to_vec();
    let dims = array.dims();
    // SAFETY: the GIL is held; every new reference is released or returned; the new array's
    // buffer is requested C-contiguous and writable, so `data` (in C order, of the same dtype
    // and element count) is copied straight into it, and the buffer is released after.
    unsafe {
        let numpy = ffi::PyImport_ImportModule(c"numpy".as_ptr());
        if numpy.is_null() {
            return Err(Raised);
        }
        let shape = ffi::PyTuple_New(N as ffi::Py_ssize_t);
        for (axis, d) in dims.iter().enumerate() {
            ffi::PyTuple_SET_ITEM(shape, axis as ffi::Py_ssize_t, ffi::PyLong_FromSsize_t(*d as ffi::Py_ssize_t));
        }
        let dtype = std::ffi::CString::new(T::NUMPY).unwrap_or_default();
        let result = ffi::PyObject_CallMethod(numpy, c"empty".as_ptr(), c"Os".as_ptr(), shape, dtype.as_ptr());
        ffi::Py_DECREF(shape);
        ffi::Py_DECREF(numpy);
        if result.is_null() {
            return Err(Raised);
        }
        let mut view = ffi::Py_buffer::new();
        if ffi::PyObject_GetBuffer(result, &mut view, ffi::PyBUF_C_CONTIGUOUS | ffi::PyBUF_WRITABLE) < 0 {
            ffi::Py_DECREF(result);
            return Err(Raised);
        }
        if view.len as usize == std::mem::size_of_val(data.as_slice()) {
            std::ptr::copy_nonoverlapping(data.as_ptr(), view.buf as *mut T, data.len());
        }
        ffi::PyBuffer_Release(&mut view);
        Ok(result)
    }
}

impl<T: BufferElement, const N: usize> super::IntoPy for Array<T, N> {
    fn into_py(&self) -> Result<*mut ffi::PyObject, Raised> {
        array_result(self)
    }
}

/// NumPy's own `_ArrayMemoryError` for a runtime `ArrayMemoryError` (whose message names the
/// shape and dtype): the class and an instance (new references), or `None` when NumPy cannot
/// provide them (the caller then raises a plain MemoryError with the same message).
pub(super) fn numpy_memory_error(message: &str) -> Option<(*mut ffi::PyObject, *mut ffi::PyObject)> {
    let rest = message.split_once(" for an array with shape ")?.1;
    let (shape, dtype) = rest.split_once(" and data type ")?;
    let dtype = std::ffi::CString::new(dtype).ok()?;
    let shape = super::error::literal_eval(shape)?;
    // SAFETY: the GIL is held; every new reference is released or returned; a failure clears
    // the error it set and releases what was made.
    unsafe {
        let mut module = ffi::PyImport_ImportModule(c"numpy._core._exceptions".as_ptr());
        if module.is_null() {
            ffi::PyErr_Clear();
            module = ffi::PyImport_ImportModule(c"numpy.core._exceptions".as_ptr());
        }
        let numpy = ffi::PyImport_ImportModule(c"numpy".as_ptr());
        let (class, dtype) = if module.is_null() || numpy.is_null() {
            (std::ptr::null_mut(), std::ptr::null_mut())
        } else {
            (
                ffi::PyObject_GetAttrString(module, c"_ArrayMemoryError".as_ptr()),
                ffi::PyObject_CallMethod(numpy, c"dtype".as_ptr(), c"s".as_ptr(), dtype.as_ptr()),
            )
        };
        let instance = if class.is_null() || dtype.is_null() {
            std::ptr::null_mut()
        } else {
            ffi::PyObject_CallFunctionObjArgs(class, shape, dtype, std::ptr::null_mut::<ffi::PyObject>())
        };
        for object in [module, numpy, dtype, shape] {
            if !object.is_null() {
                ffi::Py_DECREF(object);
            }
        }
        if instance.is_null() {
            ffi::PyErr_Clear();
            if !class.is_null() {
                ffi::Py_DECREF(class);
            }
            return None;
        }
        Some((class, instance))
    }
}
