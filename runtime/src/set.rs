//! `set[T]`: CPython 3.11's set table, reproduced, so that iteration order (and so printing,
//! `pop()` and every operation's result order) is exactly CPython's for sets of ints, bools and
//! tuples of them: open addressing over `hash & mask`, runs of 9 linear probes, perturbation,
//! the last deleted slot reused, resizing at 3/5 full to 4x the size, and the same algorithms for
//! copies, unions, intersections and differences. Strings hash differently from CPython (whose
//! string hashes change from run to run anyway), so a set of strings has a stable order of its own.
//!
//! Shared and mutable like `List`: an `Rc` handle to a table borrowed only inside this module.

use std::cell::UnsafeCell;
use std::hash::Hasher;
use std::rc::Rc;

use crate::exc::{Exc, ExcKind, PyResult};
use crate::list::List;
use crate::repr::PyRepr;
use crate::str::Str;

const MIN_SIZE: usize = 8;
const LINEAR_PROBES: usize = 9;
const PERTURB_SHIFT: u32 = 5;

/// CPython's `hash()` where it is deterministic.
pub trait PyHash {
    fn py_hash(&self) -> i64;
}

const MODULUS: u64 = (1 << 61) - 1;

impl PyHash for i64 {
    fn py_hash(&self) -> i64 {
        let magnitude = (self.unsigned_abs() % MODULUS) as i64;
        let hash = if *self < 0 { -magnitude } else { magnitude };
        if hash == -1 {
            -2
        } else {
            hash
        }
    }
}

impl PyHash for bool {
    fn py_hash(&self) -> i64 {
        *self as i64
    }
}

impl PyHash for Str {
    fn py_hash(&self) -> i64 {
        let mut hasher = rustc_hash::FxHasher::default();
        hasher.write(self.as_str().as_bytes());
        let hash = hasher.finish() as i64;
        if hash == -1 {
            -2
        } else {
            hash
        }
    }
}

/// `hash(x)` of a float, as CPython computes it (`_Py_HashDouble`): equal to the int hash for
/// integral values, so that `1.0` and `1` are the same key. (Only objects' hashes use it.)
impl PyHash for f64 {
    fn py_hash(&self) -> i64 {
        const BITS: i32 = 61;
        let v = *self;
        if v.is_infinite() {
            return if v > 0.0 { 314159 } else { -314159 };
        }
        if v.is_nan() || v == 0.0 {
            return 0;
        }
        // frexp: v = m * 2**e with 0.5 <= |m| < 1.
        let bits = v.abs().to_bits();
        let (mut m, mut e) = if (bits >> 52) == 0 {
            let scaled = v.abs() * (1u64 << 54) as f64;
            let sb = scaled.to_bits();
            (f64::from_bits((sb & !(0x7ff << 52)) | (1022 << 52)), ((sb >> 52) as i32) - 1022 - 54)
        } else {
            (f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52)), ((bits >> 52) as i32) - 1022)
        };
        let mut x: u64 = 0;
        while m != 0.0 {
            x = ((x << 28) & MODULUS) | (x >> (BITS - 28));
            m *= 268435456.0;
            e -= 28;
            let y = m as u64;
            m -= y as f64;
            x += y;
            if x >= MODULUS {
                x -= MODULUS;
            }
        }
        let e = if e >= 0 { e % BITS } else { BITS - 1 - ((-1 - e) % BITS) };
        x = ((x << e) & MODULUS) | (x >> (BITS - e));
        let hash = if v < 0.0 { -(x as i64) } else { x as i64 };
        if hash == -1 {
            -2
        } else {
            hash
        }
    }
}

/// `hash(obj)` of an object without `__eq__`: CPython's hash of its address (rotated by 4).
pub fn identity_hash(address: *const u8) -> i64 {
    let hash = (address as usize as u64).rotate_right(4) as i64;
    if hash == -1 {
        -2
    } else {
        hash
    }
}

/// `hash((a, b, ...))` from the items' hashes (a frozen dataclass hashes its fields so).
pub fn tuple_hash(hashes: &[i64]) -> i64 {
    combine(hashes)
}

/// CPython's tuple hash (xxHash-based, 3.8+).
pub(crate) fn combine(hashes: &[i64]) -> i64 {
    const P1: u64 = 11400714785074694791;
    const P2: u64 = 14029467366897019727;
    const P5: u64 = 2870177450012600261;
    let mut acc = P5;
    for &lane in hashes {
        acc = acc.wrapping_add((lane as u64).wrapping_mul(P2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(P1);
    }
    acc = acc.wrapping_add((hashes.len() as u64) ^ (P5 ^ 3527539));
    if acc == u64::MAX {
        1546275796
    } else {
        acc as i64
    }
}

macro_rules! tuple_hash {
    ($($name:ident : $index:tt),+) => {
        impl<$($name: PyHash),+> PyHash for ($($name,)+) {
            fn py_hash(&self) -> i64 {
                combine(&[$(self.$index.py_hash()),+])
            }
        }
    };
}

for_tuple_arities!(tuple_hash);

#[derive(Clone)]
enum Slot<T> {
    Empty,
    Dummy,
    Active(i64, T),
}

#[derive(Clone)]
pub(crate) struct Table<T> {
    slots: Vec<Slot<T>>,
    fill: usize,
    used: usize,
    finger: usize,
}

impl<T: Clone + PartialEq + PyHash> Table<T> {
    /// `x in s` without changing anything (the pop finger included).
    pub(crate) fn has(&self, value: &T) -> bool {
        self.find(value, value.py_hash()).is_some()
    }

    pub(crate) fn size(&self) -> i64 {
        self.used as i64
    }
}

impl<T: Clone + PartialEq> Table<T> {
    fn new() -> Table<T> {
        Table { slots: vec![Slot::Empty; MIN_SIZE], fill: 0, used: 0, finger: 0 }
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// The slot holding `key`, if any (`set_lookkey`).
    fn find(&self, key: &T, hash: i64) -> Option<usize> {
        let mask = self.mask();
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        loop {
            let probes = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
            for j in i..=i + probes {
                match &self.slots[j] {
                    Slot::Empty => return None,
                    Slot::Active(h, k) if *h == hash && k == key => return Some(j),
                    _ => {}
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb as usize)) & mask;
        }
    }

    /// `set_add_entry`.
    fn add(&mut self, key: T, hash: i64) {
        let mask = self.mask();
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        let mut freeslot = None;
        loop {
            let probes = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
            for j in i..=i + probes {
                match &self.slots[j] {
                    Slot::Empty => {
                        if let Some(free) = freeslot {
                            self.used += 1;
                            self.slots[free] = Slot::Active(hash, key);
                            return;
                        }
                        self.fill += 1;
                        self.used += 1;
                        self.slots[j] = Slot::Active(hash, key);
                        if self.fill * 5 >= mask * 3 {
                            self.resize(if self.used > 50000 { self.used * 2 } else { self.used * 4 });
                        }
                        return;
                    }
                    Slot::Active(h, k) if *h == hash && *k == key => return,
                    // CPython keeps the last deleted slot seen.
                    Slot::Dummy => freeslot = Some(j),
                    Slot::Active(..) => {}
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb as usize)) & mask;
        }
    }

    /// `set_insert_clean`: into a table known to hold neither the key nor deleted slots.
    // Indices, not an iterator: the probe window is `i..=i + probes`, and `i` wraps at `mask`.
    #[allow(clippy::needless_range_loop)]
    fn insert_clean(slots: &mut [Slot<T>], key: T, hash: i64) {
        let mask = slots.len() - 1;
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        loop {
            let probes = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
            for j in i..=i + probes {
                if let Slot::Empty = slots[j] {
                    slots[j] = Slot::Active(hash, key);
                    return;
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb as usize)) & mask;
        }
    }

    /// `set_table_resize`: the smallest power of two above `minused`, entries reinserted in order.
    fn resize(&mut self, minused: usize) {
        let mut size = MIN_SIZE;
        while size <= minused {
            size <<= 1;
        }
        if size == self.slots.len() && self.fill == self.used {
            return;
        }
        let old = std::mem::replace(&mut self.slots, vec![Slot::Empty; size]);
        for slot in old {
            if let Slot::Active(hash, key) = slot {
                Self::insert_clean(&mut self.slots, key, hash);
            }
        }
        self.fill = self.used;
    }

    fn discard(&mut self, key: &T, hash: i64) -> bool {
        match self.find(key, hash) {
            Some(j) => {
                self.slots[j] = Slot::Dummy;
                self.used -= 1;
                true
            }
            None => false,
        }
    }

    fn entries(&self) -> Vec<(i64, T)> {
        self.slots
            .iter()
            .filter_map(|slot| match slot {
                Slot::Active(hash, key) => Some((*hash, key.clone())),
                _ => None,
            })
            .collect()
    }

    /// `set_merge`.
    fn merge(&mut self, other: &Table<T>) {
        if other.used == 0 {
            return;
        }
        if (self.fill + other.used) * 5 >= self.mask() * 3 {
            self.resize((self.used + other.used) * 2);
        }
        if self.fill == 0 && self.mask() == other.mask() && other.fill == other.used {
            self.slots = other.slots.clone();
            self.fill = other.fill;
            self.used = other.used;
            return;
        }
        if self.fill == 0 {
            self.fill = other.used;
            self.used = other.used;
            for (hash, key) in other.entries() {
                Self::insert_clean(&mut self.slots, key, hash);
            }
            return;
        }
        for (hash, key) in other.entries() {
            self.add(key, hash);
        }
    }

    fn copy(&self) -> Table<T> {
        let mut table = Table::new();
        table.merge(self);
        table
    }
}

pub struct Set<T>(Rc<UnsafeCell<Table<T>>>);

impl<T> Clone for Set<T> {
    fn clone(&self) -> Self {
        Set(Rc::clone(&self.0))
    }
}

#[cold]
fn key_error<T: PyRepr>(key: &T) -> Exc {
    let mut text = String::new();
    key.write_repr(&mut text);
    Exc::new(ExcKind::KeyError, text)
}

impl<T: Clone + PartialEq + PyHash> Default for Set<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Clone + PartialEq + PyHash> Set<T> {
    fn wrap(table: Table<T>) -> Set<T> {
        Set(Rc::new(UnsafeCell::new(table)))
    }

    pub fn new() -> Set<T> {
        Set::wrap(Table::new())
    }

    /// `{a, b, c}` / `set(items)`: added in order.
    pub fn from_vec(items: Vec<T>) -> Set<T> {
        let mut table = Table::new();
        for item in items {
            let hash = item.py_hash();
            table.add(item, hash);
        }
        Set::wrap(table)
    }

    /// A display of more than two constants: CPython 3.11 builds a frozenset constant (laid out
    /// again from its own iteration order when the code object is finalised) and copies it
    /// into a new set.
    pub fn constant_display(display: &Set<T>) -> Set<T> {
        Set::from_vec(display.items().snapshot()).copy()
    }

    /// `set(xs)`.
    pub fn from_list(items: &List<T>) -> Set<T> {
        Set::from_vec(items.snapshot())
    }

    #[inline(always)]
    fn with<R>(&self, f: impl FnOnce(&mut Table<T>) -> R) -> R {
        // SAFETY: as for `List`: single-threaded (`Rc`), and `f` is a closure of this module that
        // never re-enters a set method or lets a reference escape. Keys are ints, bools, strs and
        // tuples of them, whose `==` and hashing run no user code.
        f(unsafe { &mut *self.0.get() })
    }

    fn table(&self) -> Table<T> {
        self.with(|t| t.clone())
    }

    pub fn len(&self) -> i64 {
        self.with(|t| t.used as i64)
    }

    pub fn add(&self, value: T) {
        let hash = value.py_hash();
        self.with(|t| t.add(value, hash))
    }

    pub fn discard(&self, value: &T) {
        let hash = value.py_hash();
        self.with(|t| t.discard(value, hash));
    }

    pub fn contains(&self, value: &T) -> bool {
        let hash = value.py_hash();
        self.with(|t| t.find(value, hash).is_some())
    }

    /// The table itself, for a parallel loop's read-only `par::Members`.
    pub(crate) fn raw_table(&self) -> *const Table<T> {
        self.0.get()
    }

    /// `x in s`, arguments in evaluation order.
    pub fn is_in(value: &T, set: &Set<T>) -> bool {
        set.contains(value)
    }

    pub fn clear(&self) {
        let old = self.with(|t| {
            let finger = t.finger;
            let old = std::mem::replace(t, Table::new());
            t.finger = finger;
            old
        });
        drop(old);
    }

    pub fn copy(&self) -> Set<T> {
        Set::wrap(self.with(|t| t.copy()))
    }

    /// The elements in CPython's iteration order.
    pub fn items(&self) -> List<T> {
        List::from_vec(self.with(|t| t.entries().into_iter().map(|(_, k)| k).collect()))
    }

    /// `s.update(other)` / `s |= other`.
    pub fn update(&self, other: &Set<T>) {
        let theirs = other.table();
        self.with(|t| t.merge(&theirs));
    }

    /// `a | b`.
    pub fn union(&self, other: &Set<T>) -> Set<T> {
        let result = self.copy();
        result.update(other);
        result
    }

    /// `a & b`: iterates the smaller set, as CPython does.
    pub fn intersection(&self, other: &Set<T>) -> Set<T> {
        let (mine, theirs) = (self.table(), other.table());
        let (big, small) = if theirs.used > mine.used { (theirs, mine) } else { (mine, theirs) };
        let mut result = Table::new();
        for (hash, key) in small.entries() {
            if big.find(&key, hash).is_some() {
                result.add(key, hash);
            }
        }
        Set::wrap(result)
    }

    /// `a - b`.
    pub fn difference(&self, other: &Set<T>) -> Set<T> {
        let (mine, theirs) = (self.table(), other.table());
        if (mine.used >> 2) > theirs.used {
            let mut result = mine.copy();
            for (hash, key) in theirs.entries() {
                result.discard(&key, hash);
            }
            return Set::wrap(result);
        }
        let mut result = Table::new();
        for (hash, key) in mine.entries() {
            if theirs.find(&key, hash).is_none() {
                result.add(key, hash);
            }
        }
        Set::wrap(result)
    }

    /// `a ^ b`: a copy of `b`, then each element of `a` toggled.
    pub fn symmetric_difference(&self, other: &Set<T>) -> Set<T> {
        let mine = self.table();
        let mut result = other.table().copy();
        for (hash, key) in mine.entries() {
            if !result.discard(&key, hash) {
                result.add(key, hash);
            }
        }
        Set::wrap(result)
    }

    /// `a &= b`.
    pub fn intersection_update(&self, other: &Set<T>) {
        let result = self.intersection(other).table();
        let old = self.with(|t| std::mem::replace(t, result));
        drop(old);
    }

    /// `a -= b`.
    pub fn difference_update(&self, other: &Set<T>) {
        if Rc::ptr_eq(&self.0, &other.0) {
            return self.clear();
        }
        let theirs = other.table();
        self.with(|t| {
            for (hash, key) in theirs.entries() {
                t.discard(&key, hash);
            }
        });
    }

    /// `a ^= b`.
    pub fn symmetric_difference_update(&self, other: &Set<T>) {
        if Rc::ptr_eq(&self.0, &other.0) {
            return self.clear();
        }
        let theirs = other.table();
        self.with(|t| {
            for (hash, key) in theirs.entries() {
                if !t.discard(&key, hash) {
                    t.add(key, hash);
                }
            }
        });
    }

    pub fn issubset(&self, other: &Set<T>) -> bool {
        let mine = self.table();
        mine.used as i64 <= other.len() && mine.entries().iter().all(|(_, k)| other.contains(k))
    }

    pub fn issuperset(&self, other: &Set<T>) -> bool {
        other.issubset(self)
    }

    /// `a < b`.
    pub fn is_proper_subset(&self, other: &Set<T>) -> bool {
        self.len() < other.len() && self.issubset(other)
    }

    /// `a > b`.
    pub fn is_proper_superset(&self, other: &Set<T>) -> bool {
        other.is_proper_subset(self)
    }

    pub fn isdisjoint(&self, other: &Set<T>) -> bool {
        self.intersection(other).len() == 0
    }

    /// The next occupied slot at or after `position`, or -1; RuntimeError when the set changed
    /// size since the loop started with `expected` elements.
    pub fn next_slot(&self, expected: i64, position: i64) -> PyResult<i64> {
        self.with(|t| {
            if t.used as i64 != expected {
                return Err(Exc::new(ExcKind::RuntimeError, "Set changed size during iteration"));
            }
            let start = position.max(0) as usize;
            Ok(t.slots
                .iter()
                .enumerate()
                .skip(start)
                .find(|(_, s)| matches!(s, Slot::Active(..)))
                .map(|(i, _)| i as i64)
                .unwrap_or(-1))
        })
    }

    /// The element in slot `position` (one `next_slot` returned).
    pub fn key_at_slot(&self, position: i64) -> T {
        self.with(|t| match t.slots.get(position as usize) {
            Some(Slot::Active(_, key)) => Some(key.clone()),
            _ => None,
        })
        .expect("slot checked by next_slot")
    }
}

impl<T: Clone + PartialEq + PyHash + PyRepr> Set<T> {
    /// `s.remove(x)`.
    pub fn remove(&self, value: &T) -> PyResult<()> {
        let hash = value.py_hash();
        if self.with(|t| t.discard(value, hash)) {
            Ok(())
        } else {
            Err(key_error(value))
        }
    }

    /// `s.pop()`: from CPython's search finger.
    pub fn pop(&self) -> PyResult<T> {
        self.with(|t| {
            if t.used == 0 {
                return Err(Exc::new(ExcKind::KeyError, "'pop from an empty set'"));
            }
            let mask = t.mask();
            let mut i = t.finger & mask;
            while !matches!(t.slots[i], Slot::Active(..)) {
                i = if i >= mask { 0 } else { i + 1 };
            }
            let Slot::Active(_, key) = std::mem::replace(&mut t.slots[i], Slot::Dummy) else {
                return Err(Exc::new(ExcKind::KeyError, "'pop from an empty set'"));
            };
            t.used -= 1;
            t.finger = i + 1;
            Ok(key)
        })
    }
}

impl<T: Clone + PartialEq + PyHash> PartialEq for Set<T> {
    fn eq(&self, other: &Set<T>) -> bool {
        self.len() == other.len() && self.issubset(other)
    }
}

impl<T: Clone + PartialEq + PyHash + PyRepr> PyRepr for Set<T> {
    fn write_repr(&self, out: &mut String) {
        let _ = self.try_write_repr_by(out, crate::repr::plain);
    }
    fn try_write_repr(&self, out: &mut String) -> PyResult<()> {
        self.try_write_repr_by(out, T::try_write_repr)
    }
    fn try_write_str(&self, out: &mut String) -> PyResult<()> {
        self.try_write_repr(out)
    }
}

impl<T: Clone + PartialEq + PyHash + PyRepr> Set<T> {
    /// `{1, 2}`, or `set()` when empty, each element by `item`.
    fn try_write_repr_by(&self, out: &mut String, item: impl FnMut(&T, &mut String) -> PyResult<()>) -> PyResult<()> {
        let items = self.items().snapshot();
        if items.is_empty() {
            out.push_str("set()");
            return Ok(());
        }
        crate::repr::write_items(&items, ("{", "}"), "", out, item)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn float_hashes_are_cpythons() {
        use super::PyHash;
        let cases: [(f64, i64); 8] = [
            (1.5, 1152921504606846977),
            (0.1, 230584300921369408),
            (-2.5, -1152921504606846978),
            (1e300, 1224995262755759164),
            (3.0, 3),
            (1e-310, 615709907932414099),
            (-0.75, -1729382256910270464),
            (123456.789, 1819310134279660096),
        ];
        for (value, hash) in cases {
            assert_eq!(value.py_hash(), hash, "hash({value})");
        }
    }

    use super::*;

    fn order(set: &Set<i64>) -> Vec<i64> {
        set.items().snapshot()
    }

    #[test]
    fn small_int_sets_iterate_like_cpython() {
        assert_eq!(order(&Set::from_vec(vec![3, 1, 2])), vec![1, 2, 3]);
        let a = Set::from_vec(vec![5, 1, 99, 17, 33, 8]);
        let b = Set::from_vec(vec![17, 2, 64, 8, 1000]);
        assert_eq!(order(&a.union(&b)), vec![64, 1, 33, 99, 2, 5, 8, 1000, 17]);
        assert_eq!(order(&a.symmetric_difference(&b)), vec![64, 1, 2, 5, 33, 99, 1000]);
        assert_eq!(
            order(&Set::from_vec(vec![1_000_000_000_000, 0, 1 << 62, -5, -1, -2])),
            vec![1000000000000, 0, 4611686018427387904, -2, -5, -1]
        );
    }
}
