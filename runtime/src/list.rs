//! `list[T]`: a shared, mutable sequence with Python's reference semantics.
//!
//! A `List<T>` is a handle (`Rc`) to a cell holding a `Vec<T>`. Every operation takes a short
//! borrow inside this module, copies elements out (scalars, or other handles) and never runs user
//! code while the borrow is held, so aliases (`b = a; b.append(1)`) and mutation during iteration
//! behave as in CPython without a borrow flag on every access. This is the only `unsafe` in the
//! module, and it is sound because the cell is neither `Send` nor `Sync` (one thread) and no
//! reference into the vector escapes a method.

use std::cell::UnsafeCell;
use std::rc::Rc;

use crate::exc::{Exc, ExcKind, PyResult};
use crate::repr::PyRepr;

pub struct List<T>(Rc<UnsafeCell<Vec<T>>>);

impl<T> Clone for List<T> {
    fn clone(&self) -> Self {
        List(Rc::clone(&self.0))
    }
}

#[cold]
fn index_error(message: &'static str) -> Exc {
    Exc::new(ExcKind::IndexError, message)
}

impl<T: Clone> List<T> {
    pub fn new() -> List<T> {
        List::from_vec(Vec::new())
    }

    pub fn from_vec(items: Vec<T>) -> List<T> {
        List(Rc::new(UnsafeCell::new(items)))
    }

    /// Runs `f` on the vector. `f` is always a small closure of this module that neither calls
    /// user code nor lets a reference escape.
    #[inline(always)]
    fn with<R>(&self, f: impl FnOnce(&mut Vec<T>) -> R) -> R {
        // SAFETY: single-threaded (`Rc` makes `List` !Send and !Sync), and the borrow lasts for the
        // duration of `f`, which never re-enters another method of a list.
        f(unsafe { &mut *self.0.get() })
    }

    /// Reads the items in place. For runtime functions that run no user code inside `f`.
    #[inline(always)]
    pub(crate) fn with_items<R>(&self, f: impl FnOnce(&[T]) -> R) -> R {
        self.with(|items| f(items))
    }

    /// The element pointer and length, for a parallel loop's views (`par.rs`), which the front
    /// end guarantees outlive no structural change of the list.
    pub(crate) fn raw_parts(&self) -> (*const T, usize) {
        self.with(|items| (items.as_ptr(), items.len()))
    }

    /// `len(xs)`.
    #[inline(always)]
    pub fn len(&self) -> i64 {
        self.with(|items| items.len() as i64)
    }

    /// Python index → vector position, or `None` when out of range.
    #[inline(always)]
    fn position(len: usize, index: i64) -> Option<usize> {
        let adjusted = if index < 0 { index + len as i64 } else { index };
        if adjusted >= 0 && (adjusted as u64) < len as u64 {
            Some(adjusted as usize)
        } else {
            None
        }
    }

    /// `xs[i]` (negative indices count from the end).
    #[inline(always)]
    pub fn get(&self, index: i64) -> PyResult<T> {
        self.with(|items| match Self::position(items.len(), index) {
            Some(pos) => Ok(items[pos].clone()),
            None => Err(index_error("list index out of range")),
        })
    }

    /// `xs[i] = value`.
    #[inline(always)]
    pub fn set(&self, index: i64, value: T) -> PyResult<()> {
        let old = self.with(|items| match Self::position(items.len(), index) {
            Some(pos) => Ok(std::mem::replace(&mut items[pos], value)),
            None => Err(index_error("list assignment index out of range")),
        })?;
        drop(old);
        Ok(())
    }

    /// `del xs[i]`.
    pub fn delete(&self, index: i64) -> PyResult<()> {
        let old = self.with(|items| match Self::position(items.len(), index) {
            Some(pos) => Ok(items.remove(pos)),
            None => Err(index_error("list assignment index out of range")),
        })?;
        drop(old);
        Ok(())
    }

    /// `xs[i]` without the error: `None` when out of range.
    #[inline(always)]
    pub fn get_item(&self, index: i64) -> Option<T> {
        self.with(|items| Self::position(items.len(), index).map(|pos| items[pos].clone()))
    }

    /// The element at `pos` for a `for` loop, re-reading the length each step as CPython does.
    #[inline(always)]
    pub fn iter_get(&self, pos: usize) -> Option<T> {
        self.with(|items| items.get(pos).cloned())
    }

    /// `xs.append(value)`.
    #[inline]
    pub fn append(&self, value: T) {
        self.with(|items| items.push(value))
    }

    /// `xs.pop()`.
    pub fn pop(&self) -> PyResult<T> {
        self.with(|items| items.pop()).ok_or_else(|| index_error("pop from empty list"))
    }

    /// `xs.pop(i)`.
    pub fn pop_at(&self, index: i64) -> PyResult<T> {
        self.with(|items| {
            if items.is_empty() {
                return Err(index_error("pop from empty list"));
            }
            match Self::position(items.len(), index) {
                Some(pos) => Ok(items.remove(pos)),
                None => Err(index_error("pop index out of range")),
            }
        })
    }

    /// `[x, y] * n` and `xs * n`: a new list with the items repeated (MemoryError when the
    /// system cannot hold it, as in CPython).
    pub fn repeat(&self, count: i64) -> PyResult<List<T>> {
        let items = self.snapshot();
        if count <= 0 || items.is_empty() {
            return Ok(List::new());
        }
        let total =
            usize::try_from((items.len() as u128) * (count as u128)).map_err(|_| crate::alloc::memory_error())?;
        if let [item] = items.as_slice() {
            // `[x] * n`, the usual way to allocate: one fill.
            return Ok(List::from_vec(crate::alloc::filled(item.clone(), total)?));
        }
        let mut out = crate::alloc::vec_with_capacity(total)?;
        for _ in 0..count {
            out.extend_from_slice(&items);
        }
        Ok(List::from_vec(out))
    }

    /// `xs[start:stop:step]`: a new list.
    pub fn slice(&self, start: Option<i64>, stop: Option<i64>, step: Option<i64>) -> PyResult<List<T>> {
        self.with(|items| {
            let picked = crate::slice::positions(items.len(), start, stop, step)?.map(|i| items[i].clone()).collect();
            Ok(List::from_vec(picked))
        })
    }

    /// `xs[start:stop:step] = values` (CPython's rules: a plain slice may change the length, an
    /// extended slice must match it).
    pub fn set_slice(
        &self,
        start: Option<i64>,
        stop: Option<i64>,
        step: Option<i64>,
        values: &List<T>,
    ) -> PyResult<()> {
        let new_items = values.snapshot();
        let old = self.with(|items| {
            let len = items.len();
            if step.unwrap_or(1) == 1 {
                let positions: Vec<usize> = crate::slice::positions(len, start, stop, None)?.collect();
                let lower = positions.first().copied().unwrap_or_else(|| {
                    // An empty slice inserts at its (clamped) start.
                    let s = start.unwrap_or(0);
                    let s = if s < 0 { (s + len as i64).max(0) } else { s.min(len as i64) };
                    s as usize
                });
                let upper = positions.last().map(|p| p + 1).unwrap_or(lower);
                return Ok(items.splice(lower..upper, new_items).collect::<Vec<T>>());
            }
            let positions: Vec<usize> = crate::slice::positions(len, start, stop, step)?.collect();
            if positions.len() != new_items.len() {
                return Err(Exc::new(
                    ExcKind::ValueError,
                    format!(
                        "attempt to assign sequence of size {} to extended slice of size {}",
                        new_items.len(),
                        positions.len()
                    ),
                ));
            }
            Ok(positions.iter().zip(new_items).map(|(&p, v)| std::mem::replace(&mut items[p], v)).collect())
        })?;
        drop(old);
        Ok(())
    }

    /// `del xs[start:stop:step]`.
    pub fn delete_slice(&self, start: Option<i64>, stop: Option<i64>, step: Option<i64>) -> PyResult<()> {
        let old = self.with(|items| {
            let mut doomed: Vec<usize> = crate::slice::positions(items.len(), start, stop, step)?.collect();
            doomed.sort_unstable();
            let mut removed = Vec::with_capacity(doomed.len());
            for &p in doomed.iter().rev() {
                removed.push(items.remove(p));
            }
            Ok(removed)
        })?;
        drop(old);
        Ok(())
    }

    /// `xs *= n`: repeats the list in place (a non-positive count empties it).
    pub fn repeat_in_place(&self, count: i64) -> PyResult<()> {
        let repeated = self.repeat(count)?.snapshot();
        let old = self.with(|items| std::mem::replace(items, repeated));
        drop(old);
        Ok(())
    }

    /// `a + b`: a new list.
    pub fn concat(&self, other: &List<T>) -> List<T> {
        let mut items = self.snapshot();
        items.extend(other.snapshot());
        List::from_vec(items)
    }

    /// A copy of the elements (handles are shared, as a shallow copy in Python).
    pub fn snapshot(&self) -> Vec<T> {
        self.with(|items| items.clone())
    }
}

impl<T: Clone> Default for List<T> {
    fn default() -> Self {
        List::new()
    }
}

impl<T: Clone + PartialEq> List<T> {
    /// `value in xs`.
    pub fn contains(&self, value: &T) -> bool {
        self.with(|items| items.iter().any(|item| item == value))
    }

    /// `xs.count(value)`.
    pub fn count(&self, value: T) -> i64 {
        self.with(|items| items.iter().filter(|item| **item == value).count() as i64)
    }

    /// `xs.remove(value)`: the first equal element.
    pub fn remove(&self, value: T) -> PyResult<()> {
        let removed = self.with(|items| items.iter().position(|item| *item == value).map(|pos| items.remove(pos)));
        match removed {
            Some(old) => {
                drop(old);
                Ok(())
            }
            None => Err(Exc::new(ExcKind::ValueError, "list.remove(x): x not in list")),
        }
    }
}

impl<T: Clone + PartialEq + PyRepr> List<T> {
    /// `xs.index(value)`.
    pub fn index(&self, value: T) -> PyResult<i64> {
        match self.with(|items| items.iter().position(|item| *item == value)) {
            Some(pos) => Ok(pos as i64),
            None => {
                let mut text = String::new();
                value.write_repr(&mut text);
                Err(Exc::new(ExcKind::ValueError, format!("{text} is not in list")))
            }
        }
    }
}

impl<T: Clone> List<T> {
    /// `xs.insert(i, value)`: the position is clamped to the list, as in CPython.
    pub fn insert(&self, index: i64, value: T) {
        self.with(|items| {
            let len = items.len() as i64;
            let pos = if index < 0 { (index + len).max(0) } else { index.min(len) };
            items.insert(pos as usize, value);
        })
    }

    /// `xs.reverse()`.
    pub fn reverse(&self) {
        self.with(|items| items.reverse())
    }

    /// `xs.extend(other)` (`xs.extend(xs)` doubles the list, as in CPython).
    pub fn extend(&self, other: &List<T>) {
        let more = other.snapshot();
        self.with(|items| items.extend(more))
    }

    /// `xs.clear()`.
    pub fn clear(&self) {
        let old = self.with(std::mem::take);
        drop(old);
    }

    /// `xs.copy()`: a new list with the same elements.
    pub fn copy(&self) -> List<T> {
        List::from_vec(self.snapshot())
    }
}

/// Python's sort contract: a stable sort that only asks `a < b`.
fn stable_sort_by_lt<T: Clone>(items: &mut Vec<T>, less: &impl Fn(&T, &T) -> bool) {
    if items.len() <= 16 {
        for i in 1..items.len() {
            let mut j = i;
            while j > 0 && less(&items[j], &items[j - 1]) {
                items.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    let right = items.split_off(items.len() / 2);
    let mut left = std::mem::take(items);
    let mut right = right;
    stable_sort_by_lt(&mut left, less);
    stable_sort_by_lt(&mut right, less);
    let mut merged = Vec::with_capacity(left.len() + right.len());
    let (mut l, mut r) = (left.into_iter().peekable(), right.into_iter().peekable());
    loop {
        match (l.peek(), r.peek()) {
            (Some(a), Some(b)) => {
                // Take from the right only when strictly smaller: equal elements keep their order.
                if less(b, a) {
                    merged.extend(r.next());
                } else {
                    merged.extend(l.next());
                }
            }
            (Some(_), None) => merged.extend(l.by_ref()),
            (None, Some(_)) => merged.extend(r.by_ref()),
            (None, None) => break,
        }
    }
    *items = merged;
}

impl<T: Clone + PartialOrd> List<T> {
    /// `xs.sort(reverse=r)`: stable, by `<`, in place (the list is sorted as a snapshot, so the
    /// comparison never sees a half-sorted list). With `reverse`, CPython reverses, sorts
    /// stably and reverses again, so equal items keep their order.
    pub fn sort(&self, reverse: bool) {
        let mut items = self.snapshot();
        if reverse {
            items.reverse();
        }
        stable_sort_by_lt(&mut items, &|a: &T, b: &T| a < b);
        if reverse {
            items.reverse();
        }
        let old = self.with(|slot| std::mem::replace(slot, items));
        drop(old);
    }
}

/// Positions of `keys` in stable sorted order (by `<` on the keys); with `reverse`, CPython's
/// reverse-sort-reverse so that equal keys keep their original order.
fn key_order<K: Clone + PartialOrd>(keys: &List<K>, reverse: bool) -> Vec<usize> {
    let keys = keys.snapshot();
    let mut order: Vec<usize> = (0..keys.len()).collect();
    if reverse {
        order.reverse();
    }
    stable_sort_by_lt(&mut order, &|a: &usize, b: &usize| keys[*a] < keys[*b]);
    if reverse {
        order.reverse();
    }
    order
}

fn pick<T: Clone>(items: &[T], order: &[usize]) -> Vec<T> {
    order.iter().filter_map(|&i| items.get(i).cloned()).collect()
}

/// `sorted(xs, key=f, reverse=r)` given the keys `[f(x) for x in xs]`.
pub fn sorted_by_keys<T: Clone, K: Clone + PartialOrd>(items: &List<T>, keys: &List<K>, reverse: bool) -> List<T> {
    List::from_vec(pick(&items.snapshot(), &key_order(keys, reverse)))
}

impl<T: Clone> List<T> {
    /// `xs.sort(key=f, reverse=r)` given the keys.
    pub fn sort_by_keys<K: Clone + PartialOrd>(&self, keys: &List<K>, reverse: bool) {
        let sorted = pick(&self.snapshot(), &key_order(keys, reverse));
        let old = self.with(|slot| std::mem::replace(slot, sorted));
        drop(old);
    }
}

/// `min(xs, key=f)`: the first item with the smallest key.
pub fn min_by_keys<T: Clone, K: Clone + PartialOrd>(items: &List<T>, keys: &List<K>) -> PyResult<T> {
    extreme_by_keys(items, keys, |candidate, best| candidate < best, "min")
}

/// `max(xs, key=f)`: the first item with the largest key.
pub fn max_by_keys<T: Clone, K: Clone + PartialOrd>(items: &List<T>, keys: &List<K>) -> PyResult<T> {
    extreme_by_keys(items, keys, |candidate, best| candidate > best, "max")
}

fn extreme_by_keys<T: Clone, K: Clone + PartialOrd>(
    items: &List<T>,
    keys: &List<K>,
    better: fn(&K, &K) -> bool,
    name: &str,
) -> PyResult<T> {
    let (items, keys) = (items.snapshot(), keys.snapshot());
    let mut best = 0;
    if keys.is_empty() || items.is_empty() {
        return Err(Exc::new(ExcKind::ValueError, format!("{name}() arg is an empty sequence")));
    }
    for i in 1..keys.len() {
        if better(&keys[i], &keys[best]) {
            best = i;
        }
    }
    Ok(items[best].clone())
}

/// `sorted(xs, reverse=r)`.
pub fn sorted<T: Clone + PartialOrd>(list: &List<T>, reverse: bool) -> List<T> {
    let copy = list.copy();
    copy.sort(reverse);
    copy
}

/// `min(xs, default=d)`.
pub fn min_default<T: Clone + PartialOrd>(list: &List<T>, default: T) -> T {
    if list.len() == 0 {
        default
    } else {
        min(list).unwrap_or(default)
    }
}

/// `max(xs, default=d)`.
pub fn max_default<T: Clone + PartialOrd>(list: &List<T>, default: T) -> T {
    if list.len() == 0 {
        default
    } else {
        max(list).unwrap_or(default)
    }
}

/// `min(xs)`: the first smallest element.
pub fn min<T: Clone + PartialOrd>(list: &List<T>) -> PyResult<T> {
    list.with(|items| {
        let mut iter = items.iter();
        let mut best = iter.next().ok_or_else(|| Exc::new(ExcKind::ValueError, "min() arg is an empty sequence"))?;
        for item in iter {
            if item < best {
                best = item;
            }
        }
        Ok(best.clone())
    })
}

/// `max(xs)`: the first largest element.
pub fn max<T: Clone + PartialOrd>(list: &List<T>) -> PyResult<T> {
    list.with(|items| {
        let mut iter = items.iter();
        let mut best = iter.next().ok_or_else(|| Exc::new(ExcKind::ValueError, "max() arg is an empty sequence"))?;
        for item in iter {
            if item > best {
                best = item;
            }
        }
        Ok(best.clone())
    })
}

impl<T: Clone + PartialEq> PartialEq for List<T> {
    fn eq(&self, other: &List<T>) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || self.snapshot() == other.snapshot()
    }
}

/// Lists order lexicographically, as in CPython (a prefix is smaller).
impl<T: Clone + PartialOrd> PartialOrd for List<T> {
    fn partial_cmp(&self, other: &List<T>) -> Option<std::cmp::Ordering> {
        self.snapshot().partial_cmp(&other.snapshot())
    }
}

impl<T: Clone + PyRepr> PyRepr for List<T> {
    fn write_repr(&self, out: &mut String) {
        let _ = crate::repr::write_items(&self.snapshot(), ("[", "]"), "", out, crate::repr::plain);
    }
    fn try_write_repr(&self, out: &mut String) -> PyResult<()> {
        crate::repr::write_items(&self.snapshot(), ("[", "]"), "", out, T::try_write_repr)
    }
    fn try_write_str(&self, out: &mut String) -> PyResult<()> {
        self.try_write_repr(out)
    }
}

/// `a, b = xs`: the items as an array of exactly `N`, or CPython's ValueError.
pub fn unpack<T: Clone, const N: usize>(list: &List<T>) -> PyResult<[T; N]> {
    list.with_items(|items| {
        if items.len() > N {
            return Err(Exc::new(ExcKind::ValueError, format!("too many values to unpack (expected {N})")));
        }
        if items.len() < N {
            return Err(Exc::new(
                ExcKind::ValueError,
                format!("not enough values to unpack (expected {N}, got {})", items.len()),
            ));
        }
        Ok(std::array::from_fn(|i| items[i].clone()))
    })
}

/// `sum(xs)` for a list of ints.
pub fn sum_int(list: &List<i64>) -> PyResult<i64> {
    list.with(|items| items.iter().try_fold(0i64, |acc, &x| crate::int::add(acc, x)))
}

/// `sum(xs, start)` for ints.
pub fn sum_int_start(list: &List<i64>, start: i64) -> PyResult<i64> {
    list.with(|items| items.iter().try_fold(start, |acc, &x| crate::int::add(acc, x)))
}

/// `sum(xs, start)` for floats with a float start.
pub fn sum_float_start(list: &List<f64>, start: f64) -> f64 {
    list.with(|items| items.iter().fold(start, |acc, &x| acc + x))
}

/// `sum(xs)` for float slots that may hold ints: Python's `0 + x0 + x1 ...`.
pub fn sum_num(list: &List<crate::num::Num>) -> PyResult<crate::num::Num> {
    list.snapshot().into_iter().try_fold(crate::num::Num::Int(0), crate::num::add)
}

/// `sum(xs)` for a list of bools.
pub fn sum_bool(list: &List<bool>) -> i64 {
    list.with(|items| items.iter().filter(|&&b| b).count() as i64)
}

/// `sum(xs)` for a list of floats: CPython 3.11 adds left to right, and an empty list gives the
/// int `0`, hence the `Num`.
pub fn sum_float(list: &List<f64>) -> crate::num::Num {
    list.with(|items| {
        if items.is_empty() {
            crate::num::Num::Int(0)
        } else {
            crate::num::Num::Float(items.iter().fold(0.0, |acc, &x| acc + x))
        }
    })
}
