//! Values across the boundary: [`FromPy`] turns an argument into the compiled function's Rust
//! value (a copy: a `list[float]` becomes a runtime `List<f64>`), [`IntoPy`] turns a result
//! back into a new Python object.
//!
//! Accepted arguments follow the annotation, as mypyc does: an `int` parameter takes a Python
//! int or any integer with `__index__` (NumPy's integer scalars), but not a `bool` (it would
//! print differently); a `float` parameter takes a float, an int (converted exactly, as when
//! CPython adds it to a float) or anything with `__float__` (NumPy's float scalars); containers
//! must be of the annotated kind, and their items are converted one by one.

use std::ffi::c_int;

use super::error::{Problem, Raised};
use super::ffi;
use crate::{Dict, List, Num, Set, Str, Tuple};

/// A Python argument to a compiled value.
pub trait FromPy: Sized {
    /// Converts a borrowed reference (the GIL is held).
    fn from_py(object: *mut ffi::PyObject) -> Result<Self, Problem>;
    /// The annotation spelling, for messages.
    fn describe() -> String;
}

/// A compiled value to a new Python reference.
pub trait IntoPy {
    fn into_py(&self) -> Result<*mut ffi::PyObject, Raised>;

    /// Makes the existing Python object `object` equal to this value in place, when it is a
    /// container of the same kind (so references the caller holds to it see the change);
    /// `Ok(false)` when it cannot, and the caller replaces the object instead.
    fn update_in_place(&self, _object: *mut ffi::PyObject) -> Result<bool, Raised> {
        Ok(false)
    }
}

fn new_ref(object: *mut ffi::PyObject) -> Result<*mut ffi::PyObject, Raised> {
    if object.is_null() {
        Err(Raised)
    } else {
        Ok(object)
    }
}

/// A str object's text (`None` for anything else).
pub fn str_of(object: *mut ffi::PyObject) -> Option<String> {
    // SAFETY: the GIL is held and `object` is a live reference; the UTF-8 buffer belongs to the
    // str object and is copied before returning.
    unsafe {
        if ffi::PyUnicode_Check(object) == 0 {
            return None;
        }
        let mut size: ffi::Py_ssize_t = 0;
        let data = ffi::PyUnicode_AsUTF8AndSize(object, &mut size);
        if data.is_null() {
            ffi::PyErr_Clear();
            return None;
        }
        let bytes = std::slice::from_raw_parts(data as *const u8, size as usize);
        Some(String::from_utf8_lossy(bytes).into_owned())
    }
}

fn is_bool(object: *mut ffi::PyObject) -> bool {
    // SAFETY: a type check on a live reference with the GIL held.
    unsafe { ffi::PyBool_Check(object) != 0 }
}

/// An exact int from a Python int or an object with `__index__`.
fn int_value(object: *mut ffi::PyObject) -> Result<i64, Problem> {
    if is_bool(object) {
        return Err(Problem::wrong_type("int", object));
    }
    // SAFETY: the GIL is held; `PyNumber_Index` returns a new reference, released below.
    unsafe {
        let owned = if ffi::PyLong_Check(object) != 0 {
            ffi::Py_INCREF(object);
            object
        } else if ffi::PyIndex_Check(object) != 0 {
            let index = ffi::PyNumber_Index(object);
            if index.is_null() {
                return Err(Problem::Raised);
            }
            index
        } else {
            return Err(Problem::wrong_type("int", object));
        };
        let mut overflow: c_int = 0;
        let value = ffi::PyLong_AsLongLongAndOverflow(owned, &mut overflow);
        ffi::Py_DECREF(owned);
        if overflow != 0 {
            return Err(Problem::Overflow);
        }
        if value == -1 && !ffi::PyErr_Occurred().is_null() {
            return Err(Problem::Raised);
        }
        Ok(value)
    }
}

impl FromPy for i64 {
    fn from_py(object: *mut ffi::PyObject) -> Result<i64, Problem> {
        int_value(object)
    }
    fn describe() -> String {
        "int".to_owned()
    }
}

impl FromPy for f64 {
    fn from_py(object: *mut ffi::PyObject) -> Result<f64, Problem> {
        // SAFETY: type checks and a conversion on a live reference with the GIL held.
        unsafe {
            if ffi::PyFloat_Check(object) != 0 {
                return Ok(ffi::PyFloat_AsDouble(object));
            }
            if is_bool(object) || ffi::PyUnicode_Check(object) != 0 {
                return Err(Problem::wrong_type("float", object));
            }
            if ffi::PyLong_Check(object) != 0 {
                let value = ffi::PyLong_AsDouble(object);
                if value == -1.0 && !ffi::PyErr_Occurred().is_null() {
                    return Err(Problem::Raised);
                }
                return Ok(value);
            }
            let number = (*ffi::Py_TYPE(object)).tp_as_number;
            if !number.is_null() && ((*number).nb_float.is_some() || (*number).nb_index.is_some()) {
                let value = ffi::PyFloat_AsDouble(object);
                if value == -1.0 && !ffi::PyErr_Occurred().is_null() {
                    return Err(Problem::Raised);
                }
                return Ok(value);
            }
            Err(Problem::wrong_type("float", object))
        }
    }
    fn describe() -> String {
        "float".to_owned()
    }
}

impl FromPy for Num {
    fn from_py(object: *mut ffi::PyObject) -> Result<Num, Problem> {
        // SAFETY: a type check on a live reference with the GIL held.
        if unsafe { ffi::PyLong_Check(object) } != 0 && !is_bool(object) {
            return int_value(object).map(Num::Int);
        }
        f64::from_py(object).map(Num::Float)
    }
    fn describe() -> String {
        "float".to_owned()
    }
}

impl FromPy for bool {
    fn from_py(object: *mut ffi::PyObject) -> Result<bool, Problem> {
        if is_bool(object) {
            // SAFETY: comparing with the `True` singleton.
            Ok(object == unsafe { ffi::Py_True() })
        } else {
            Err(Problem::wrong_type("bool", object))
        }
    }
    fn describe() -> String {
        "bool".to_owned()
    }
}

impl FromPy for Str {
    fn from_py(object: *mut ffi::PyObject) -> Result<Str, Problem> {
        // SAFETY: the GIL is held; the UTF-8 buffer belongs to the str object and is copied.
        unsafe {
            if ffi::PyUnicode_Check(object) == 0 {
                return Err(Problem::wrong_type("str", object));
            }
            let mut size: ffi::Py_ssize_t = 0;
            let data = ffi::PyUnicode_AsUTF8AndSize(object, &mut size);
            if data.is_null() {
                // A lone surrogate: CPython's UnicodeEncodeError stays set.
                return Err(Problem::Raised);
            }
            let bytes = std::slice::from_raw_parts(data as *const u8, size as usize);
            Ok(Str::from(std::str::from_utf8_unchecked(bytes)))
        }
    }
    fn describe() -> String {
        "str".to_owned()
    }
}

impl FromPy for () {
    fn from_py(object: *mut ffi::PyObject) -> Result<(), Problem> {
        // SAFETY: comparing with the `None` singleton.
        if object == unsafe { ffi::Py_None() } {
            Ok(())
        } else {
            Err(Problem::wrong_type("None", object))
        }
    }
    fn describe() -> String {
        "None".to_owned()
    }
}

impl<T: FromPy> FromPy for Option<T> {
    fn from_py(object: *mut ffi::PyObject) -> Result<Option<T>, Problem> {
        // SAFETY: comparing with the `None` singleton.
        if object == unsafe { ffi::Py_None() } {
            Ok(None)
        } else {
            T::from_py(object).map(Some).map_err(|problem| match problem {
                Problem::Type { found, .. } => Problem::Type { expected: Self::describe(), found },
                other => other,
            })
        }
    }
    fn describe() -> String {
        format!("{} | None", T::describe())
    }
}

/// An item of a container failed: say which container and what the item was.
fn item_problem<C: FromPy>(problem: Problem, container: &str) -> Problem {
    match problem {
        Problem::Type { found, .. } => {
            Problem::Type { expected: C::describe(), found: format!("{container} containing {found}") }
        }
        other => other,
    }
}

/// The items of a list or tuple, converted (a borrowed walk, re-reading the size each step).
fn sequence_items<T: FromPy, C: FromPy>(object: *mut ffi::PyObject, is_list: bool) -> Result<Vec<T>, Problem> {
    // SAFETY: the GIL is held; `PyList_GetItem`/`PyTuple_GetItem` return borrowed references
    // within the current size, which is re-read every step (a conversion can run Python code).
    unsafe {
        let mut items = Vec::new();
        let mut i = 0;
        loop {
            let size = if is_list { ffi::PyList_Size(object) } else { ffi::PyTuple_Size(object) };
            if i >= size {
                return Ok(items);
            }
            let item = if is_list { ffi::PyList_GetItem(object, i) } else { ffi::PyTuple_GetItem(object, i) };
            if item.is_null() {
                return Err(Problem::Raised);
            }
            items.push(T::from_py(item).map_err(|p| item_problem::<C>(p, if is_list { "a list" } else { "a tuple" }))?);
            i += 1;
        }
    }
}

impl<T: FromPy + Clone> FromPy for List<T> {
    fn from_py(object: *mut ffi::PyObject) -> Result<List<T>, Problem> {
        // SAFETY: a type check on a live reference with the GIL held.
        if unsafe { ffi::PyList_Check(object) } == 0 {
            return Err(Problem::wrong_type(&Self::describe(), object));
        }
        sequence_items::<T, Self>(object, true).map(List::from_vec)
    }
    fn describe() -> String {
        format!("list[{}]", T::describe())
    }
}

impl<T: FromPy + Clone> FromPy for Tuple<T> {
    fn from_py(object: *mut ffi::PyObject) -> Result<Tuple<T>, Problem> {
        // SAFETY: a type check on a live reference with the GIL held.
        if unsafe { ffi::PyTuple_Check(object) } == 0 {
            return Err(Problem::wrong_type(&Self::describe(), object));
        }
        sequence_items::<T, Self>(object, false).map(Tuple::from_vec)
    }
    fn describe() -> String {
        format!("tuple[{}, ...]", T::describe())
    }
}

impl<K: FromPy + Clone + std::hash::Hash + Eq, V: FromPy + Clone> FromPy for Dict<K, V> {
    fn from_py(object: *mut ffi::PyObject) -> Result<Dict<K, V>, Problem> {
        // SAFETY: the GIL is held; `PyDict_Next` yields borrowed references in insertion order;
        // the dict is not changed by the conversions (they only read the items).
        unsafe {
            if ffi::PyDict_Check(object) == 0 {
                return Err(Problem::wrong_type(&Self::describe(), object));
            }
            let mut pairs = Vec::new();
            let mut position: ffi::Py_ssize_t = 0;
            let (mut key, mut value) = (std::ptr::null_mut(), std::ptr::null_mut());
            while ffi::PyDict_Next(object, &mut position, &mut key, &mut value) != 0 {
                let k = K::from_py(key).map_err(|p| item_problem::<Self>(p, "a dict with a key of type"))?;
                let v = V::from_py(value).map_err(|p| item_problem::<Self>(p, "a dict with a value of type"))?;
                pairs.push((k, v));
            }
            Ok(Dict::from_pairs(pairs))
        }
    }
    fn describe() -> String {
        format!("dict[{}, {}]", K::describe(), V::describe())
    }
}

impl<T: FromPy + Clone + PartialEq + crate::set::PyHash> FromPy for Set<T> {
    fn from_py(object: *mut ffi::PyObject) -> Result<Set<T>, Problem> {
        // SAFETY: the GIL is held; the iterator and each item are new references, released.
        unsafe {
            if ffi::PyAnySet_Check(object) == 0 {
                return Err(Problem::wrong_type(&Self::describe(), object));
            }
            let iterator = ffi::PyObject_GetIter(object);
            if iterator.is_null() {
                return Err(Problem::Raised);
            }
            let set = Set::new();
            loop {
                let item = ffi::PyIter_Next(iterator);
                if item.is_null() {
                    break;
                }
                let converted = T::from_py(item);
                ffi::Py_DECREF(item);
                match converted {
                    Ok(value) => set.add(value),
                    Err(p) => {
                        ffi::Py_DECREF(iterator);
                        return Err(item_problem::<Self>(p, "a set containing"));
                    }
                }
            }
            ffi::Py_DECREF(iterator);
            if !ffi::PyErr_Occurred().is_null() {
                return Err(Problem::Raised);
            }
            Ok(set)
        }
    }
    fn describe() -> String {
        format!("set[{}]", T::describe())
    }
}

impl IntoPy for i64 {
    fn into_py(&self) -> Result<*mut ffi::PyObject, Raised> {
        // SAFETY: creating an object with the GIL held.
        new_ref(unsafe { ffi::PyLong_FromLongLong(*self) })
    }
}

impl IntoPy for f64 {
    fn into_py(&self) -> Result<*mut ffi::PyObject, Raised> {
        // SAFETY: creating an object with the GIL held.
        new_ref(unsafe { ffi::PyFloat_FromDouble(*self) })
    }
}

impl IntoPy for Num {
    fn into_py(&self) -> Result<*mut ffi::PyObject, Raised> {
        match self {
            Num::Int(n) => n.into_py(),
            Num::Float(x) => x.into_py(),
        }
    }
}

impl IntoPy for bool {
    fn into_py(&self) -> Result<*mut ffi::PyObject, Raised> {
        // SAFETY: returns a new reference to a singleton, with the GIL held.
        new_ref(unsafe { ffi::PyBool_FromLong(*self as std::ffi::c_long) })
    }
}

impl IntoPy for Str {
    fn into_py(&self) -> Result<*mut ffi::PyObject, Raised> {
        let text = self.as_str();
        // SAFETY: CPython copies `len` bytes of valid UTF-8 (a `Str` is always valid UTF-8).
        new_ref(unsafe { ffi::PyUnicode_FromStringAndSize(text.as_ptr().cast(), text.len() as ffi::Py_ssize_t) })
    }
}

impl IntoPy for () {
    fn into_py(&self) -> Result<*mut ffi::PyObject, Raised> {
        // SAFETY: a new reference to the `None` singleton, with the GIL held.
        unsafe {
            let none = ffi::Py_None();
            ffi::Py_INCREF(none);
            Ok(none)
        }
    }
}

impl<T: IntoPy> IntoPy for Option<T> {
    fn into_py(&self) -> Result<*mut ffi::PyObject, Raised> {
        match self {
            Some(value) => value.into_py(),
            None => ().into_py(),
        }
    }
}

/// A new list or tuple of `items` converted.
fn sequence<T: IntoPy>(items: &[T], tuple: bool) -> Result<*mut ffi::PyObject, Raised> {
    // SAFETY: the GIL is held; the new container is filled in every slot before it is returned
    // (`SET_ITEM` steals each item's reference); on failure it is released, which releases the
    // items already stored (empty slots are null, which CPython's dealloc skips).
    unsafe {
        let size = items.len() as ffi::Py_ssize_t;
        let container = new_ref(if tuple { ffi::PyTuple_New(size) } else { ffi::PyList_New(size) })?;
        for (i, item) in items.iter().enumerate() {
            match item.into_py() {
                Ok(object) if tuple => ffi::PyTuple_SET_ITEM(container, i as ffi::Py_ssize_t, object),
                Ok(object) => ffi::PyList_SET_ITEM(container, i as ffi::Py_ssize_t, object),
                Err(raised) => {
                    ffi::Py_DECREF(container);
                    return Err(raised);
                }
            }
        }
        Ok(container)
    }
}

impl<T: IntoPy + Clone> IntoPy for List<T> {
    fn into_py(&self) -> Result<*mut ffi::PyObject, Raised> {
        sequence(&self.snapshot(), false)
    }

    fn update_in_place(&self, object: *mut ffi::PyObject) -> Result<bool, Raised> {
        let items = self.snapshot();
        // SAFETY: the GIL is held; `object` is checked to be a list; `PyList_GetItem` returns a
        // borrowed reference within the size (re-read every step, since an item's update can
        // run no Python code but the check is cheap); `PyList_SetItem` steals the new item and
        // releases the old one; `PyList_SetSlice` copies references.
        unsafe {
            if ffi::PyList_Check(object) == 0 {
                return Ok(false);
            }
            if ffi::PyList_Size(object) != items.len() as ffi::Py_ssize_t {
                let fresh = sequence(&items, false)?;
                let status = ffi::PyList_SetSlice(object, 0, ffi::PY_SSIZE_T_MAX, fresh);
                ffi::Py_DECREF(fresh);
                return if status < 0 { Err(Raised) } else { Ok(true) };
            }
            for (i, item) in items.iter().enumerate() {
                let index = i as ffi::Py_ssize_t;
                if index >= ffi::PyList_Size(object) {
                    break;
                }
                let existing = ffi::PyList_GetItem(object, index);
                if existing.is_null() || !item.update_in_place(existing)? {
                    let fresh = item.into_py()?;
                    if ffi::PyList_SetItem(object, index, fresh) < 0 {
                        return Err(Raised);
                    }
                }
            }
            Ok(true)
        }
    }
}

impl<T: IntoPy + Clone> IntoPy for Tuple<T> {
    fn into_py(&self) -> Result<*mut ffi::PyObject, Raised> {
        sequence(&self.snapshot(), true)
    }
}

impl<K: IntoPy + Clone + std::hash::Hash + Eq, V: IntoPy + Clone> IntoPy for Dict<K, V> {
    fn into_py(&self) -> Result<*mut ffi::PyObject, Raised> {
        // SAFETY: the GIL is held; `PyDict_SetItem` takes its own references, so each converted
        // key and value is released after it; on failure the dict is released.
        unsafe {
            let dict = new_ref(ffi::PyDict_New())?;
            for (key, value) in self.items().snapshot() {
                let stored = (|| {
                    let k = key.into_py()?;
                    let v = match value.into_py() {
                        Ok(v) => v,
                        Err(raised) => {
                            ffi::Py_DECREF(k);
                            return Err(raised);
                        }
                    };
                    let status = ffi::PyDict_SetItem(dict, k, v);
                    ffi::Py_DECREF(k);
                    ffi::Py_DECREF(v);
                    if status < 0 {
                        Err(Raised)
                    } else {
                        Ok(())
                    }
                })();
                if let Err(raised) = stored {
                    ffi::Py_DECREF(dict);
                    return Err(raised);
                }
            }
            Ok(dict)
        }
    }
}

impl<T: IntoPy + Clone + PartialEq + crate::set::PyHash> IntoPy for Set<T> {
    fn into_py(&self) -> Result<*mut ffi::PyObject, Raised> {
        // SAFETY: the GIL is held; `PySet_Add` takes its own reference; on failure the set is
        // released.
        unsafe {
            let set = new_ref(ffi::PySet_New(std::ptr::null_mut()))?;
            for item in self.items().snapshot() {
                let object = match item.into_py() {
                    Ok(object) => object,
                    Err(raised) => {
                        ffi::Py_DECREF(set);
                        return Err(raised);
                    }
                };
                let status = ffi::PySet_Add(set, object);
                ffi::Py_DECREF(object);
                if status < 0 {
                    ffi::Py_DECREF(set);
                    return Err(Raised);
                }
            }
            Ok(set)
        }
    }
}

macro_rules! tuple_conversions {
    ($($name:ident: $index:tt),+) => {
        impl<$($name: FromPy),+> FromPy for ($($name,)+) {
            fn from_py(object: *mut ffi::PyObject) -> Result<Self, Problem> {
                const COUNT: ffi::Py_ssize_t = [$($index),+].len() as ffi::Py_ssize_t;
                // SAFETY: the GIL is held; the size is checked before the borrowed items are read.
                unsafe {
                    if ffi::PyTuple_Check(object) == 0 {
                        return Err(Problem::wrong_type(&Self::describe(), object));
                    }
                    if ffi::PyTuple_Size(object) != COUNT {
                        return Err(Problem::Type { expected: Self::describe(), found: format!("a tuple of length {}", ffi::PyTuple_Size(object)) });
                    }
                    Ok(($($name::from_py(ffi::PyTuple_GetItem(object, $index)).map_err(|p| item_problem::<Self>(p, "a tuple containing"))?,)+))
                }
            }
            fn describe() -> String {
                let parts: Vec<String> = vec![$($name::describe()),+];
                format!("tuple[{}]", parts.join(", "))
            }
        }

        impl<$($name: IntoPy),+> IntoPy for ($($name,)+) {
            fn into_py(&self) -> Result<*mut ffi::PyObject, Raised> {
                const COUNT: ffi::Py_ssize_t = [$($index),+].len() as ffi::Py_ssize_t;
                // SAFETY: as in `sequence`: every slot is filled (stealing) or the tuple released.
                unsafe {
                    let tuple = new_ref(ffi::PyTuple_New(COUNT))?;
                    $(
                        match self.$index.into_py() {
                            Ok(item) => ffi::PyTuple_SET_ITEM(tuple, $index, item),
                            Err(raised) => {
                                ffi::Py_DECREF(tuple);
                                return Err(raised);
                            }
                        }
                    )+
                    Ok(tuple)
                }
            }
        }
    };
}

for_tuple_arities!(tuple_conversions);

/// A container argument the compiled function may have changed: its final contents are copied
/// back into the caller's object, so Python sees the change as it would have in place.
pub trait WriteBack {
    fn write_back(&self, object: *mut ffi::PyObject) -> Result<(), Raised>;
}

impl<T: IntoPy + Clone> WriteBack for List<T> {
    /// Item by item, so inner lists the caller holds are updated too (`row = grid[0]` before
    /// the call sees `grid[0]`'s changes after it).
    fn write_back(&self, object: *mut ffi::PyObject) -> Result<(), Raised> {
        self.update_in_place(object).map(|_| ())
    }
}

impl<K: IntoPy + Clone + std::hash::Hash + Eq, V: IntoPy + Clone> WriteBack for Dict<K, V> {
    fn write_back(&self, object: *mut ffi::PyObject) -> Result<(), Raised> {
        let items = self.into_py()?;
        // SAFETY: the GIL is held; `object` is the caller's dict (checked on the way in);
        // `PyDict_Update` takes its own references; `items` is released after.
        let status = unsafe {
            ffi::PyDict_Clear(object);
            let status = ffi::PyDict_Update(object, items);
            ffi::Py_DECREF(items);
            status
        };
        if status < 0 {
            Err(Raised)
        } else {
            Ok(())
        }
    }
}

impl<T: IntoPy + Clone + PartialEq + crate::set::PyHash> WriteBack for Set<T> {
    fn write_back(&self, object: *mut ffi::PyObject) -> Result<(), Raised> {
        let items = self.into_py()?;
        // SAFETY: the GIL is held; `object` is the caller's set or frozenset (a frozenset is
        // never changed in place: the compiled side cannot have changed it meaningfully, and
        // `update` does not exist on it, so it is skipped); new references are released.
        unsafe {
            if ffi::PyFrozenSet_Check(object) != 0 {
                ffi::Py_DECREF(items);
                return Ok(());
            }
            ffi::PySet_Clear(object);
            let result = ffi::PyObject_CallMethod(object, c"update".as_ptr(), c"O".as_ptr(), items);
            ffi::Py_DECREF(items);
            if result.is_null() {
                return Err(Raised);
            }
            ffi::Py_DECREF(result);
        }
        Ok(())
    }
}
