//! `dict[K, V]`: insertion-ordered (`indexmap`), shared and mutable like `List` (an `Rc` handle
//! to a cell; every operation takes a short borrow here and never runs user code meanwhile).
//! Iteration goes by position in CPython's entry table (`dict_order.rs`) and raises
//! RuntimeError when the size changes, or when keys were replaced so that the loop would
//! produce more keys than the dict had, as CPython does.
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

use crate::dict_order::Layout;
use crate::exc::{Exc, ExcKind, PyResult};
use crate::list::List;
use crate::repr::PyRepr;

pub(crate) type Map<K, V> = IndexMap<K, V, FxBuildHasher>;

pub struct Dict<K, V>(Rc<Inner<K, V>>);

struct Inner<K, V> {
    map: UnsafeCell<Map<K, V>>,
    /// CPython's entry table for iteration (holes, and when it is rebuilt).
    layout: UnsafeCell<Layout>,
    /// Position of the entry the last successful lookup found (a hint, see the module doc).
    last_found: Cell<usize>,
}

impl<K, V> Inner<K, V> {
    fn new(map: Map<K, V>, layout: Layout) -> Rc<Inner<K, V>> {
        Rc::new(Inner { map: UnsafeCell::new(map), layout: UnsafeCell::new(layout), last_found: Cell::new(usize::MAX) })
    }
}

/// A dict loop's position, in one int: the table position to look from, and how many keys the
/// loop has produced (CPython's iterator holds both).
const POSITION_BITS: u32 = 32;

fn loop_state(index: i64) -> (usize, i64) {
    ((index & ((1 << POSITION_BITS) - 1)) as usize, index >> POSITION_BITS)
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
        Dict(Inner::new(Map::default(), Layout::default()))
    }

    /// `{k1: v1, k2: v2}`: later duplicates overwrite the value but keep the first position.
    pub fn from_pairs(pairs: Vec<(K, V)>) -> Dict<K, V> {
        let dict = Dict(Inner::new(Map::default(), Layout::for_display(pairs.len())));
        for (key, value) in pairs {
            dict.set(key, value);
        }
        dict
    }

    /// `dict(pairs)`: later duplicates overwrite, as `dict()` does.
    pub fn from_list(pairs: &List<(K, V)>) -> Dict<K, V> {
        let dict = Dict::new();
        for (key, value) in pairs.snapshot() {
            dict.set(key, value);
        }
        dict
    }

    #[inline(always)]
    fn with<R>(&self, f: impl FnOnce(&mut Map<K, V>) -> R) -> R {
        // SAFETY: as for `List`: single-threaded (`Rc`), and `f` is a small closure of this module
        // that neither re-enters a dict method nor lets a reference escape.
        f(unsafe { &mut *self.0.map.get() })
    }

    /// `with` for the entry table's layout.
    #[inline(always)]
    fn with_layout<R>(&self, f: impl FnOnce(&mut Layout) -> R) -> R {
        // SAFETY: as in `with`; the layout is a separate cell, never borrowed with the map.
        f(unsafe { &mut *self.0.layout.get() })
    }

    /// Records a new key in the entry table (`used`: the entries before it).
    #[inline]
    fn inserted(&self, used: usize) {
        self.with_layout(|layout| layout.inserted(used));
    }

    /// Records a deleted entry (its compact index) in the entry table.
    fn removed(&self, index: usize) {
        self.with_layout(|layout| layout.removed(index));
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
        let (old, used) = self.with(|map| match map.get_index_mut(hint) {
            Some((existing, slot)) if *existing == key => (Some(std::mem::replace(slot, value)), 0),
            _ => {
                let used = map.len();
                (map.insert(key, value), used)
            }
        });
        match old {
            Some(old) => drop(old),
            None => self.inserted(used),
        }
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
        let (value, used, added) = self.with(|map| {
            let used = map.len();
            let value = map.entry(key).or_insert(default).clone();
            (value, used, map.len() > used)
        });
        if added {
            self.inserted(used);
        }
        value
    }

    /// `d.clear()`.
    pub fn clear(&self) {
        let old = self.with(std::mem::take);
        self.with_layout(Layout::cleared);
        drop(old);
    }

    /// `d.copy()`.
    pub fn copy(&self) -> Dict<K, V> {
        let map = self.with(|map| map.clone());
        let layout = self.with_layout(|layout| layout.copied(map.len()));
        Dict(Inner::new(map, layout))
    }

    /// `d.update(other)`.
    pub fn update(&self, other: &Dict<K, V>) {
        let pairs: Vec<(K, V)> = other.with(|map| map.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
        if pairs.is_empty() || Rc::ptr_eq(&self.0, &other.0) {
            return;
        }
        let used = self.len() as usize;
        if used == 0 {
            // CPython takes the other dict's table for an empty one (when that table is clean).
            let layout = other.with_layout(|layout| layout.merged_into_empty(pairs.len()));
            self.with_layout(|mine| *mine = layout);
            self.with(|map| map.extend(pairs));
            return;
        }
        self.with_layout(|layout| layout.merging(used, pairs.len()));
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

    /// Whether a loop may go on from `state` (see [`Dict::iter_step`]): RuntimeError when the
    /// size changed since the loop started with `expected` entries, or when the next entry
    /// would be one more than `expected` (keys were deleted and others added meanwhile).
    pub fn iter_continues(&self, expected: i64, state: i64) -> PyResult<bool> {
        let len = self.len();
        if len != expected {
            return Err(Exc::new(ExcKind::RuntimeError, "dictionary changed size during iteration"));
        }
        let (from, produced) = loop_state(state);
        if self.next_entry(from).is_none() {
            return Ok(false);
        }
        if produced >= expected {
            return Err(Exc::new(ExcKind::RuntimeError, "dictionary keys changed during iteration"));
        }
        Ok(true)
    }

    /// The loop state after producing the entry `iter_continues` found.
    pub fn iter_step(&self, state: i64) -> i64 {
        let (from, produced) = loop_state(state);
        let position = self.next_entry(from).map_or(from, |(position, _)| position);
        ((produced + 1) << POSITION_BITS) | (position + 1) as i64
    }

    /// The first entry at table position `from` or later: its position and compact index.
    #[inline]
    fn next_entry(&self, from: usize) -> Option<(usize, usize)> {
        let used = self.len() as usize;
        self.with_layout(|layout| layout.next_entry(from, used))
    }

    /// The compact index of the entry a loop at `state` produces next (checked by
    /// `iter_continues`).
    #[inline]
    fn entry_index(&self, state: i64) -> usize {
        let (from, _) = loop_state(state);
        self.next_entry(from).map_or(usize::MAX, |(_, index)| index)
    }

    /// The key a loop at `state` produces.
    pub fn key_at(&self, state: i64) -> K {
        let index = self.entry_index(state);
        self.with(|map| map.get_index(index).map(|(k, _)| k.clone())).expect("position checked by iter_continues")
    }

    pub fn value_at(&self, state: i64) -> V {
        let index = self.entry_index(state);
        self.with(|map| map.get_index(index).map(|(_, v)| v.clone())).expect("position checked by iter_continues")
    }

    pub fn item_at(&self, state: i64) -> (K, V) {
        let index = self.entry_index(state);
        self.with(|map| map.get_index(index).map(|(k, v)| (k.clone(), v.clone())))
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
        match self.take(key) {
            Some(old) => {
                drop(old);
                Ok(())
            }
            None => Err(key_error(key)),
        }
    }

    /// `d.pop(k)`.
    pub fn pop(&self, key: &K) -> PyResult<V> {
        self.take(key).ok_or_else(|| key_error(key))
    }

    /// `d.pop(k, default)`.
    pub fn pop_or(&self, key: &K, default: V) -> V {
        self.take(key).unwrap_or(default)
    }

    /// Removes `key`, leaving a hole in the entry table.
    fn take(&self, key: &K) -> Option<V> {
        let (index, _, value) = self.with(|map| map.shift_remove_full(key))?;
        self.removed(index);
        Some(value)
    }

    /// `d.popitem()`: the last inserted pair.
    pub fn popitem(&self) -> PyResult<(K, V)> {
        let used = self.len() as usize;
        let pair = self
            .with(|map| map.pop())
            .ok_or_else(|| Exc::new(ExcKind::KeyError, "'popitem(): dictionary is empty'"))?;
        self.with_layout(|layout| layout.popped_last(used));
        Ok(pair)
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
