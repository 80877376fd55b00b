//! `NDArray`: NumPy-style arrays of `N` dimensions (1 to 3) over a strided buffer.
//!
//! An array is a small header — data pointer, shape, strides in elements — plus an owner that
//! keeps the buffer alive: a boxed slice for arrays compiled code creates (`np.zeros`, ...), or,
//! in an extension module, the caller's NumPy array (whose buffer the call wrapper holds for
//! the duration of the call; the front end keeps such arrays from outliving it). The header is
//! copied into each local, so in a loop the pointer, shape and strides stay in registers and a
//! bounds check against `range(a.shape[k])` folds away.
//!
//! Elements are read and written as Python values: `float` for float64/float32, `int` for
//! int64/int32/uint8 (a value that does not fit raises OverflowError, as NumPy 2 does), `bool`.

use std::any::Any;
use std::rc::Rc;

use crate::exc::{Exc, ExcKind, PyResult};

/// An element type: how it is read and written as a Python value.
pub trait Element: Copy + 'static {
    /// The Python-level value (`f64`, `i64` or `bool`).
    type Value: Copy;
    const ZERO: Self;
    /// NumPy's dtype name.
    const NUMPY: &'static str;
    fn read(self) -> Self::Value;
    fn write(value: Self::Value) -> PyResult<Self>;
}

macro_rules! element {
    ($rust:ty, $value:ty, $zero:expr, $numpy:literal, |$x:ident| $read:expr, |$v:ident| $write:expr) => {
        impl Element for $rust {
            type Value = $value;
            const ZERO: Self = $zero;
            const NUMPY: &'static str = $numpy;
            #[inline(always)]
            fn read(self) -> $value {
                let $x = self;
                $read
            }
            #[inline(always)]
            fn write($v: $value) -> PyResult<Self> {
                $write
            }
        }
    };
}

#[cold]
fn out_of_bounds_value(value: i64, dtype: &str) -> Exc {
    Exc::new(ExcKind::OverflowError, format!("Python integer {value} out of bounds for {dtype}"))
}

element!(f64, f64, 0.0, "float64", |x| x, |v| Ok(v));
element!(f32, f64, 0.0, "float32", |x| x as f64, |v| Ok(v as f32));
element!(i64, i64, 0, "int64", |x| x, |v| Ok(v));
element!(i32, i64, 0, "int32", |x| x as i64, |v| i32::try_from(v).map_err(|_| out_of_bounds_value(v, "int32")));
element!(u8, i64, 0, "uint8", |x| x as i64, |v| u8::try_from(v).map_err(|_| out_of_bounds_value(v, "uint8")));
element!(bool, bool, false, "bool", |x| x, |v| Ok(v));

/// Who keeps an array's buffer alive.
#[derive(Clone)]
enum Owner {
    /// A buffer compiled code allocated.
    Owned(#[allow(dead_code)] Rc<dyn Any>),
    /// The caller's Python object (its address: returning the array returns that object).
    Python(usize),
    /// An aligned copy of the caller's (unaligned) array, written back after the call; returning
    /// it returns the caller's object.
    Copied(#[allow(dead_code)] Rc<dyn Any>, usize),
}

pub struct Array<T: Element, const N: usize> {
    /// Pointer, shape and strides: element access goes through it.
    view: Shared<T, N>,
    owner: Owner,
}

impl<T: Element, const N: usize> Clone for Array<T, N> {
    #[inline(always)]
    fn clone(&self) -> Self {
        Array { view: self.view, owner: self.owner.clone() }
    }
}

/// Python's index rules on one axis: negative counts from the end; out of range is an
/// IndexError with NumPy's message.
#[inline(always)]
fn wrap(index: i64, size: usize, axis: usize) -> PyResult<usize> {
    let adjusted = if index < 0 { index.wrapping_add(size as i64) } else { index };
    if (adjusted as u64) < size as u64 {
        Ok(adjusted as usize)
    } else {
        Err(index_error(index, size, axis))
    }
}

#[cold]
#[inline(never)]
fn index_error(index: i64, size: usize, axis: usize) -> Exc {
    Exc::new(ExcKind::IndexError, format!("index {index} is out of bounds for axis {axis} with size {size}"))
}

/// NumPy's `_ArrayMemoryError` (a MemoryError): "Unable to allocate 8.00 TiB for an array with
/// shape (1099511627776,) and data type float64". Its arguments are the shape and the dtype, as
/// NumPy's are (the CPython glue raises NumPy's own class from them).
#[cold]
fn array_memory_error(shape: &[usize], dtype: &str, bytes: usize) -> Exc {
    let mut shape_text = String::from("(");
    for (i, d) in shape.iter().enumerate() {
        if i > 0 {
            shape_text.push_str(", ");
        }
        shape_text.push_str(&d.to_string());
    }
    if shape.len() == 1 {
        shape_text.push(',');
    }
    shape_text.push(')');
    let message = format!(
        "Unable to allocate {} for an array with shape {shape_text} and data type {dtype}",
        size_to_string(bytes)
    );
    Exc::new(ExcKind::ArrayMemoryError, message).with_args_reprs(&[&shape_text, &format!("dtype('{dtype}')")])
}

/// NumPy's `_ArrayMemoryError._size_to_string`: bytes in binary units, three significant digits.
fn size_to_string(bytes: usize) -> String {
    const UNITS: [&str; 7] = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let bit_length = (usize::BITS - bytes.leading_zeros()) as usize;
    let mut unit = bit_length.saturating_sub(1).max(1) / 10;
    let mut units = bytes as f64 / (1u64 << (unit * 10)) as f64;
    if units.round_ties_even() == 1024.0 {
        unit += 1;
        units /= 1024.0;
    }
    if unit >= UNITS.len() {
        units *= (1u64 << ((unit - (UNITS.len() - 1)) * 10)) as f64;
        unit = UNITS.len() - 1;
    }
    let mut text = String::new();
    let spec = if unit == 0 {
        crate::fmt::Spec { precision: Some(0), kind: Some('f'), ..crate::fmt::Spec::EMPTY }
    } else if units.round_ties_even() < 1000.0 {
        crate::fmt::Spec { alternate: true, precision: Some(3), kind: Some('g'), ..crate::fmt::Spec::EMPTY }
    } else {
        crate::fmt::Spec { alternate: true, precision: Some(0), kind: Some('f'), ..crate::fmt::Spec::EMPTY }
    };
    let _ = crate::fmt::format_float(units, &spec, &mut text);
    format!("{text} {}", UNITS[unit])
}

/// Strides (in elements) of a C-ordered array of `shape`: the last axis is contiguous.
fn c_order<const N: usize>(shape: [usize; N]) -> [isize; N] {
    let mut strides = [0isize; N];
    let mut step = 1isize;
    for k in (0..N).rev() {
        strides[k] = step;
        step *= shape[k].max(1) as isize;
    }
    strides
}

impl<T: Element, const N: usize> Array<T, N> {
    /// `np.full(shape, value)` (and `np.zeros`/`np.ones`/`np.empty`, which compiled code fills
    /// with zeros: reading an `np.empty` element before writing it is unspecified in NumPy).
    /// NumPy's errors: ValueError for a negative dimension or a byte size beyond `isize`
    /// (checked axis by axis, zero-length axes aside), and its MemoryError when the system
    /// refuses the buffer.
    pub fn full(shape: [i64; N], value: T::Value) -> PyResult<Self> {
        let mut dims = [0usize; N];
        let mut bytes = std::mem::size_of::<T>();
        for (k, &d) in shape.iter().enumerate() {
            if d == 0 {
                continue;
            }
            if d < 0 {
                return Err(Exc::new(ExcKind::ValueError, "negative dimensions are not allowed"));
            }
            dims[k] = d as usize;
            bytes = bytes.checked_mul(d as usize).filter(|&b| b <= isize::MAX as usize).ok_or_else(|| {
                Exc::new(
                    ExcKind::ValueError,
                    "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.",
                )
            })?;
        }
        let count = dims.iter().product();
        let fill = T::write(value)?;
        let data = crate::alloc::filled(fill, count).map_err(|_| array_memory_error(&dims, T::NUMPY, bytes))?;
        let mut data: Box<[T]> = data.into_boxed_slice();
        let ptr = data.as_mut_ptr();
        let strides = c_order(dims);
        // Moving the box into the `Rc` does not move its heap buffer, so `ptr` stays valid.
        Ok(Array { view: Shared { ptr, shape: dims, strides }, owner: Owner::Owned(Rc::new(data)) })
    }

    /// An empty array for a variable declared before its first assignment (never read).
    pub fn placeholder() -> Self {
        Array {
            view: Shared { ptr: std::ptr::NonNull::dangling().as_ptr(), shape: [0; N], strides: [0; N] },
            owner: Owner::Python(0),
        }
    }

    pub fn zeros(shape: [i64; N]) -> PyResult<Self> {
        Self::full(shape, T::ZERO.read())
    }

    /// `np.zeros_like(a)` / `np.empty_like(a)`.
    pub fn zeros_like(&self) -> PyResult<Self> {
        Self::zeros(self.view.shape.map(|d| d as i64))
    }

    /// `np.full_like(a, value)`.
    pub fn full_like(&self, value: T::Value) -> PyResult<Self> {
        Self::full(self.view.shape.map(|d| d as i64), value)
    }

    /// `a.shape[axis]` (the front end checks `axis < N`).
    #[inline(always)]
    pub fn dim(&self, axis: usize) -> i64 {
        self.view.dim(axis)
    }

    /// `a.size`.
    pub fn size(&self) -> i64 {
        self.view.size()
    }

    /// `len(a)`.
    #[inline(always)]
    pub fn len(&self) -> i64 {
        self.view.shape[0] as i64
    }

    /// `a[i, j, ...]`.
    #[inline(always)]
    pub fn get(&self, index: [i64; N]) -> PyResult<T::Value> {
        self.view.get(index)
    }

    /// `a[i, j, ...] = value`.
    #[inline(always)]
    pub fn set(&self, index: [i64; N], value: T::Value) -> PyResult<()> {
        self.view.set(index, value)
    }

    /// The elements in C order (for handing a compiled array to Python).
    pub fn to_vec(&self) -> Vec<T> {
        let mut out = Vec::with_capacity(self.view.shape.iter().product());
        // SAFETY: every offset comes from an index inside the shape.
        Self::for_each_offset(self.view.shape, self.view.strides, |_, offset| {
            out.push(unsafe { self.view.ptr.offset(offset).read() })
        });
        out
    }

    /// The shape as Python ints (`np.zeros_like(a)` builds from it).
    pub fn shape_array(&self) -> [i64; N] {
        self.view.shape.map(|d| d as i64)
    }

    /// The shape as `usize`s.
    pub fn dims(&self) -> [usize; N] {
        self.view.shape
    }

    /// The Python object this array views, if it came from the caller.
    pub fn python_object(&self) -> Option<usize> {
        match self.owner {
            Owner::Python(address) | Owner::Copied(_, address) => Some(address),
            Owner::Owned(_) => None,
        }
    }

    /// Visits every index of `shape` in C order with the element offset `strides` give it.
    fn for_each_offset(shape: [usize; N], strides: [isize; N], mut visit: impl FnMut(usize, isize)) {
        let count = shape.iter().product::<usize>();
        let mut index = [0usize; N];
        for position in 0..count {
            let offset = (0..N).map(|axis| index[axis] as isize * strides[axis]).sum();
            visit(position, offset);
            for axis in (0..N).rev() {
                index[axis] += 1;
                if index[axis] < shape[axis] {
                    break;
                }
                index[axis] = 0;
            }
        }
    }

    /// An aligned, C-ordered copy of a possibly unaligned strided buffer (NumPy arrays that
    /// Dask or pickle rebuilt from a byte stream may be unaligned).
    ///
    /// # Safety
    // SAFETY: (contract) `ptr` with `shape` and `strides` (in elements) must address readable
    // elements of `T`, alignment aside.
    pub unsafe fn copy_unaligned(ptr: *const T, shape: [usize; N], strides: [isize; N], object: usize) -> Self {
        let mut data = Vec::with_capacity(shape.iter().product());
        // SAFETY: each offset is inside the buffer by the caller's contract; reads are unaligned.
        Self::for_each_offset(shape, strides, |_, offset| data.push(unsafe { ptr.offset(offset).read_unaligned() }));
        let mut data = data.into_boxed_slice();
        let ptr = data.as_mut_ptr();
        Array { view: Shared { ptr, shape, strides: c_order(shape) }, owner: Owner::Copied(Rc::new(data), object) }
    }

    /// Writes this array's elements back into the strided buffer it was copied from.
    ///
    /// # Safety
    // SAFETY: (contract) as for `copy_unaligned`, and the buffer must be writable; `self` has
    // the same shape.
    pub unsafe fn write_unaligned(&self, ptr: *mut T, strides: [isize; N]) {
        let values = self.to_vec();
        // SAFETY: offsets inside the buffer by the caller's contract; writes are unaligned.
        Self::for_each_offset(self.view.shape, strides, |position, offset| unsafe {
            ptr.offset(offset).write_unaligned(values[position])
        });
    }

    /// An array over a buffer the caller keeps alive.
    ///
    /// # Safety
    // SAFETY: (contract) `ptr` with `shape` and `strides` (in elements) must address valid,
    // aligned elements of type `T` for as long as any clone of the array is used, and the memory
    // must be writable if the array is written.
    pub unsafe fn from_raw(ptr: *mut T, shape: [usize; N], strides: [isize; N], object: usize) -> Self {
        Array { view: Shared { ptr, shape, strides }, owner: Owner::Python(object) }
    }
}

/// An array's header without the owner: how an [`Array`] reaches its elements, and how the
/// iterations of a parallel loop (`prange`) see the array (taken right before the loop; the
/// array variable keeps the buffer alive meanwhile).
#[derive(Clone, Copy)]
pub struct Shared<T: Element, const N: usize> {
    ptr: *mut T,
    shape: [usize; N],
    strides: [isize; N],
}

// SAFETY: the front end's race analysis proves that iterations only read a shared array, or
// write (and read back) elements of rows that belong to their own iteration (an injective,
// non-negative function of the loop variable indexes the first axis); the loop runs in order on
// one thread when rows of a written array overlap in memory (`rows_overlap`) or when a written
// array overlaps another array of the loop (`par::overlapping`). So no element is accessed by
// two threads unless both only read it.
unsafe impl<T: Element, const N: usize> Sync for Shared<T, N> {}
// SAFETY: as for `Sync`; the view owns nothing.
unsafe impl<T: Element, const N: usize> Send for Shared<T, N> {}

impl<T: Element, const N: usize> Shared<T, N> {
    pub fn new(array: &Array<T, N>) -> Self {
        array.view
    }

    #[inline(always)]
    fn offset(&self, index: [i64; N]) -> PyResult<isize> {
        let mut offset = 0isize;
        // One index per axis into three parallel arrays; `N` is a constant, so this unrolls.
        #[allow(clippy::needless_range_loop)]
        for axis in 0..N {
            offset += wrap(index[axis], self.shape[axis], axis)? as isize * self.strides[axis];
        }
        Ok(offset)
    }

    /// `a[i, j, ...]`.
    #[inline(always)]
    pub fn get(&self, index: [i64; N]) -> PyResult<T::Value> {
        let offset = self.offset(index)?;
        // SAFETY: every index was checked against its axis, and shape and strides describe
        // memory inside the buffer the owner keeps alive (an invariant of every constructor of
        // `Array`; a parallel loop's view is used only while the array variable lives).
        Ok(unsafe { self.ptr.offset(offset).read() }.read())
    }

    /// `a[i, j, ...] = value`.
    #[inline(always)]
    pub fn set(&self, index: [i64; N], value: T::Value) -> PyResult<()> {
        let element = T::write(value)?;
        let offset = self.offset(index)?;
        // SAFETY: as in `get`; elements are written only through raw pointers (never through a
        // Rust reference), so aliases of one buffer are fine; a Python array is writable (the
        // call wrapper asked for a writable buffer when the function writes to it); in a
        // parallel loop no other thread accesses this element (see the `Sync` impl).
        unsafe { self.ptr.offset(offset).write(element) };
        Ok(())
    }

    #[inline(always)]
    pub fn dim(&self, axis: usize) -> i64 {
        self.shape[axis] as i64
    }

    pub fn size(&self) -> i64 {
        self.shape.iter().product::<usize>() as i64
    }

    /// The bytes the array spans, `[low, high)` (empty for an empty array).
    pub fn extent(&self) -> (usize, usize) {
        if self.shape.contains(&0) {
            return (0, 0);
        }
        let size = std::mem::size_of::<T>() as isize;
        let (mut low, mut high) = (0isize, 0isize);
        for axis in 0..N {
            let reach = (self.shape[axis] as isize - 1) * self.strides[axis];
            if reach < 0 {
                low += reach;
            } else {
                high += reach;
            }
        }
        let base = self.ptr as isize;
        ((base + low * size) as usize, (base + (high + 1) * size) as usize)
    }

    /// Whether two different rows (first-axis positions) can share an element in memory: a
    /// broadcast or otherwise overlapping view, which a parallel loop must not write row by row.
    pub fn rows_overlap(&self) -> bool {
        if N == 0 || self.shape[0] <= 1 {
            return false;
        }
        let row_step = self.strides[0].unsigned_abs();
        // One row spans at most this many elements beyond its start.
        let row_reach: usize =
            (1..N).map(|axis| self.shape[axis].saturating_sub(1) * self.strides[axis].unsigned_abs()).sum();
        row_step <= row_reach || row_step == 0
    }
}

/// Whether any written extent overlaps another array's extent (or another written one).
pub fn overlapping(written: &[(usize, usize)], used: &[(usize, usize)]) -> bool {
    let meets = |a: &(usize, usize), b: &(usize, usize)| a.0 < a.1 && b.0 < b.1 && a.0 < b.1 && b.0 < a.1;
    written
        .iter()
        .enumerate()
        .any(|(i, w)| used.iter().any(|u| meets(w, u)) || written[i + 1..].iter().any(|o| meets(w, o)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_error_sizes_read_like_numpy() {
        assert_eq!(size_to_string(8 << 40), "8.00 TiB");
        assert_eq!(size_to_string(24 << 40), "24.0 TiB");
        assert_eq!(size_to_string(8_000_000_000_000), "7.28 TiB");
        assert_eq!(size_to_string(1000), "1000 bytes");
        assert_eq!(size_to_string(1023 << 20), "1023. MiB");
        assert_eq!(size_to_string(1024 * 1023 * 1024 + 900_000), "1.00 GiB");
        assert_eq!(size_to_string(4 << 60), "4.00 EiB");
        assert_eq!(size_to_string(isize::MAX as usize), "8.00 EiB");
        assert_eq!(size_to_string(1), "1 bytes");
    }

    #[test]
    fn impossible_arrays_raise_numpys_errors() {
        let error = Array::<f64, 1>::zeros([1 << 40]).err().map(|e| (e.kind(), e.message().to_owned()));
        let expected = "Unable to allocate 8.00 TiB for an array with shape (1099511627776,) and data type float64";
        assert_eq!(error, Some((ExcKind::ArrayMemoryError, expected.to_owned())));
        let error = Array::<f64, 2>::zeros([0, 1 << 61]).err().map(|e| e.kind());
        assert_eq!(error, Some(ExcKind::ValueError));
        let error = Array::<u8, 1>::zeros([-1]).err().map(|e| e.message().to_owned());
        assert_eq!(error.as_deref(), Some("negative dimensions are not allowed"));
    }
}
