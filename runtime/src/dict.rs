//! `dict[K, V]`: insertion-ordered (`indexmap`), shared and mutable like `List` (an `Rc` handle
//! to a cell; every operation takes a short borrow here and never runs user code meanwhile).
//! Iteration goes by position and raises RuntimeError when the size changes, as CPython does.
//!
//! Each dict remembers the position of the last key a read found, so the common
//! read-then-write of one key (`d[k] = d.get(k, 0) + 1`, `d[k] += 1`) hashes once: the write
//! compares its key with the remembered entry and, when equal, stores there directly. A stale
//! position is harmless: keys are unique, so an equal key at that position is the entry.

use std::cell::{Cell, UnsafeCell};
use std::hash::Hash;
use std::rc::Rc;

use indexmap::IndexMap;
use rustc_hash::FxBuildHasher;

use crate::exc::{Exc, ExcKind, PyResult};
use crate::list::List;
use crate::repr::PyRepr;

pub(crate) type Map<K, V> = IndexMap<K, V, FxBuildHasher>;

pub struct Dict<K, V>(Rc<Inner<K, V>>);

struct Inner<K, V> {
    map: UnsafeCell<Map<K, V>>,
    /// Position of the entry the last successful lookup found (a hint, see the module doc).
    last_found: Cell<usize>,
}

impl<K, V> Inner<K, V> {
    fn new(map: Map<K, V>) -> Rc<Inner<K, V>> {
        Rc::new(Inner { map: UnsafeCell::new(map), last_found: Cell::new(usize::MAX) })
    }
}

impl<K, V> Clone for Dict<K, V> {
    fn clone(&self) -> Self {
        Dict(Rc::clone(&self.0))
    }
}

/// `KeyError: <repr of the key>`.
#[cold]
pub(crate) fn key_error<K: PyRepr>(key: &K) -> Exc {
    let mut text = String::new();
    key.write_repr(&mut text);
    Exc::new(ExcKind::KeyError, text)
}

impl<K: Clone + Hash + Eq, V: Clone> Default for Dict<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Clone + Hash + Eq, V: Clone> Dict<K, V> {
    pub fn new() -> Dict<K, V> {
        Dict(Inner::new(Map::default()))
    }

    /// `{k1: v1, k2: v2}`: later duplicates overwrite the value but keep the first position.
    pub fn from_pairs(pairs: Vec<(K, V)>) -> Dict<K, V> {
        let dict = Dict::new();
        for (key, value) in pairs {
            dict.set(key, value);
        }
        dict
    }

    /// `dict(pairs)`: later duplicates overwrite, as `dict()` does.
    pub fn from_list(pairs: &List<(K, V)>) -> Dict<K, V> {
        Dict::from_pairs(pairs.snapshot())
    }

    #[inline(always)]
    fn with<R>(&self, f: impl FnOnce(&mut Map<K, V>) -> R) -> R {
        // SAFETY: as for `List`: single-threaded (`Rc`), and `f` is a small closure of this module
        // that neither re-enters a dict method nor lets a reference escape.
        f(unsafe { &mut *self.0.map.get() })
    }

    /// The value of `key`, remembering where it was found.
    #[inline(always)]
    fn find(&self, key: &K) -> Option<V> {
        let found = self.with(|map| map.get_full(key).map(|(index, _, value)| (index, value.clone())));
        found.map(|(index, value)| {
            self.0.last_found.set(index);
            value
        })
    }

    /// The map itself, for a parallel loop's read-only `par::Lookup` (no hint is updated
    /// through it).
    pub(crate) fn raw_map(&self) -> *const Map<K, V> {
        self.0.map.get()
    }

    /// `len(d)`.
    pub fn len(&self) -> i64 {
        self.with(|map| map.len() as i64)
    }

    /// `d[k] = v`.
    #[inline]
    pub fn set(&self, key: K, value: V) {
        let hint = self.0.last_found.get();
        let old = self.with(|map| match map.get_index_mut(hint) {
            Some((existing, slot)) if *existing == key => Some(std::mem::replace(slot, value)),
            _ => map.insert(key, value),
        });
        drop(old);
    }

    /// `k in d`.
    pub fn contains(&self, key: &K) -> bool {
        self.with(|map| map.contains_key(key))
    }

    /// `d.get(k, default)`.
    #[inline]
    pub fn get_or(&self, key: &K, default: V) -> V {
        self.find(key).unwrap_or(default)
    }

    /// `d.get(k)`: the value, or None.
    #[inline]
    pub fn get_opt(&self, key: &K) -> Option<V> {
        self.find(key)
    }

    /// `d.setdefault(k, default)`.
    pub fn setdefault(&self, key: K, default: V) -> V {
        self.with(|map| map.entry(key).or_insert(default).clone())
    }

    /// `d.clear()`.
    pub fn clear(&self) {
        let old = self.with(std::mem::take);
        drop(old);
    }

    /// `d.copy()`.
    pub fn copy(&self) -> Dict<K, V> {
        Dict(Inner::new(self.with(|map| map.clone())))
    }

    /// `d.update(other)`.
    pub fn update(&self, other: &Dict<K, V>) {
        let pairs: Vec<(K, V)> = other.with(|map| map.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
        for (key, value) in pairs {
            self.set(key, value);
        }
    }

    /// The keys, in order (`list(d)`, `sorted(d)`).
    pub fn keys(&self) -> List<K> {
        List::from_vec(self.with(|map| map.keys().cloned().collect()))
    }

    /// `list(d.values())`.
    pub fn values(&self) -> List<V> {
        List::from_vec(self.with(|map| map.values().cloned().collect()))
    }

    /// `list(d.items())`.
    pub fn items(&self) -> List<(K, V)> {
        List::from_vec(self.with(|map| map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()))
    }

    /// Whether iteration may go on to position `index`; RuntimeError when the size changed
    /// since the loop started with `expected` entries.
    pub fn iter_continues(&self, expected: i64, index: i64) -> PyResult<bool> {
        let len = self.len();
        if len != expected {
            return Err(Exc::new(ExcKind::RuntimeError, "dictionary changed size during iteration"));
        }
        Ok(index < len)
    }

    /// The key at `index` (a position the loop checked).
    pub fn key_at(&self, index: i64) -> K {
        self.with(|map| map.get_index(index as usize).map(|(k, _)| k.clone()))
            .expect("position checked by iter_continues")
    }

    pub fn value_at(&self, index: i64) -> V {
        self.with(|map| map.get_index(index as usize).map(|(_, v)| v.clone()))
            .expect("position checked by iter_continues")
    }

    pub fn item_at(&self, index: i64) -> (K, V) {
        self.with(|map| map.get_index(index as usize).map(|(k, v)| (k.clone(), v.clone())))
            .expect("position checked by iter_continues")
    }
}

impl<K: Clone + Hash + Eq + PyRepr, V: Clone> Dict<K, V> {
    /// `d[k]`.
    pub fn get(&self, key: &K) -> PyResult<V> {
        self.find(key).ok_or_else(|| key_error(key))
    }

    /// `del d[k]`.
    pub fn delete(&self, key: &K) -> PyResult<()> {
        match self.with(|map| map.shift_remove(key)) {
            Some(old) => {
                drop(old);
                Ok(())
            }
            None => Err(key_error(key)),
        }
    }

    /// `d.pop(k)`.
    pub fn pop(&self, key: &K) -> PyResult<V> {
        self.with(|map| map.shift_remove(key)).ok_or_else(|| key_error(key))
    }

    /// `d.pop(k, default)`.
    pub fn pop_or(&self, key: &K, default: V) -> V {
        self.with(|map| map.shift_remove(key)).unwrap_or(default)
    }

    /// `d.popitem()`: the last inserted pair.
    pub fn popitem(&self) -> PyResult<(K, V)> {
        self.with(|map| map.pop()).ok_or_else(|| Exc::new(ExcKind::KeyError, "'popitem(): dictionary is empty'"))
    }
}

/// `key in d` (arguments in evaluation order: the key first).
pub fn is_in<K: Clone + Hash + Eq, V: Clone>(key: &K, dict: &Dict<K, V>) -> bool {
    dict.contains(key)
}

impl<K: Clone + Hash + Eq, V: Clone + PartialEq> PartialEq for Dict<K, V> {
    /// Equal when they hold the same pairs, in any order.
    fn eq(&self, other: &Dict<K, V>) -> bool {
        if Rc::ptr_eq(&self.0, &other.0) {
            return true;
        }
        let theirs = other.with(|map| map.clone());
        self.with(|map| map.len() == theirs.len() && map.iter().all(|(k, v)| theirs.get(k) == Some(v)))
    }
}

impl<K: Clone + Hash + Eq + PyRepr, V: Clone + PyRepr> PyRepr for Dict<K, V> {
    fn write_repr(&self, out: &mut String) {
        let _ = self.write_pairs(out, crate::repr::plain, crate::repr::plain);
    }
    fn try_write_repr(&self, out: &mut String) -> PyResult<()> {
        self.write_pairs(out, K::try_write_repr, V::try_write_repr)
    }
    fn try_write_str(&self, out: &mut String) -> PyResult<()> {
        self.try_write_repr(out)
    }
}

impl<K: Clone + Hash + Eq, V: Clone> Dict<K, V> {
    /// `{k: v, ...}`, keys and values by the given reprs (fallible or not).
    fn write_pairs(
        &self,
        out: &mut String,
        mut key: impl FnMut(&K, &mut String) -> PyResult<()>,
        mut value: impl FnMut(&V, &mut String) -> PyResult<()>,
    ) -> PyResult<()> {
        let pairs: Vec<(K, V)> = self.with(|map| map.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
        crate::repr::write_items(&pairs, ("{", "}"), "", out, |(k, v), out| {
            key(k, out)?;
            out.push_str(": ");
            value(v, out)
        })
    }
}
