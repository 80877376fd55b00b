//! `tuple[T, ...]`: an immutable sequence of any length, all items of one type.
//!
//! It wraps a [`List`] that nothing mutates after construction, so every read-only list
//! operation (`len`, `in`, `sum`, `sorted`, iteration...) applies through `Deref`, and a tuple
//! handed to such an operation is shared, never copied. What differs from a list lives here:
//! the error messages, `repr` with `(x,)`, hashing (CPython's tuple hash), and results that are
//! tuples again (`t[a:b]`, `t + u`, `t * n`).

use std::hash::{Hash, Hasher};
use std::ops::Deref;

use crate::exc::{Exc, ExcKind, PyResult};
use crate::list::List;
use crate::repr::PyRepr;
use crate::set::PyHash;

pub struct Tuple<T>(List<T>);

impl<T> Clone for Tuple<T> {
    fn clone(&self) -> Self {
        Tuple(self.0.clone())
    }
}

impl<T> Deref for Tuple<T> {
    type Target = List<T>;
    #[inline(always)]
    fn deref(&self) -> &List<T> {
        &self.0
    }
}

impl<T: Clone> Default for Tuple<T> {
    fn default() -> Self {
        Tuple::new()
    }
}

impl<T: Clone> Tuple<T> {
    /// `()`.
    pub fn new() -> Tuple<T> {
        Tuple(List::new())
    }

    pub fn from_vec(items: Vec<T>) -> Tuple<T> {
        Tuple(List::from_vec(items))
    }

    /// `tuple(xs)`: a snapshot of the list, which may change later.
    pub fn from_list(list: &List<T>) -> Tuple<T> {
        Tuple(list.copy())
    }

    /// The items as a list to read (iteration): shared, since neither side mutates it.
    #[inline]
    pub fn as_list(&self) -> List<T> {
        self.0.clone()
    }

    /// `t[i]`.
    #[inline(always)]
    pub fn get(&self, index: i64) -> PyResult<T> {
        match self.0.get_item(index) {
            Some(item) => Ok(item),
            None => Err(Exc::new(ExcKind::IndexError, "tuple index out of range")),
        }
    }

    /// `t[a:b:c]`.
    pub fn slice(&self, start: Option<i64>, stop: Option<i64>, step: Option<i64>) -> PyResult<Tuple<T>> {
        Ok(Tuple(self.0.slice(start, stop, step)?))
    }

    /// `t + u`.
    pub fn concat(&self, other: &Tuple<T>) -> Tuple<T> {
        Tuple(self.0.concat(&other.0))
    }

    /// `t * n`.
    pub fn repeat(&self, count: i64) -> PyResult<Tuple<T>> {
        Ok(Tuple(self.0.repeat(count)?))
    }
}

impl<T: Clone + PartialEq> Tuple<T> {
    /// `t.index(x)`.
    pub fn index(&self, value: T) -> PyResult<i64> {
        let items = self.0.snapshot();
        match items.iter().position(|item| *item == value) {
            Some(pos) => Ok(pos as i64),
            None => Err(Exc::new(ExcKind::ValueError, "tuple.index(x): x not in tuple")),
        }
    }
}

impl<T: Clone + PartialEq> PartialEq for Tuple<T> {
    fn eq(&self, other: &Tuple<T>) -> bool {
        self.0 == other.0
    }
}

impl<T: Clone + Eq> Eq for Tuple<T> {}

impl<T: Clone + PartialOrd> PartialOrd for Tuple<T> {
    fn partial_cmp(&self, other: &Tuple<T>) -> Option<std::cmp::Ordering> {
        self.0.partial_cmp(&other.0)
    }
}

impl<T: Clone + Hash> Hash for Tuple<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.snapshot().hash(state)
    }
}

impl<T: Clone + PyHash> PyHash for Tuple<T> {
    fn py_hash(&self) -> i64 {
        let hashes: Vec<i64> = self.0.snapshot().iter().map(PyHash::py_hash).collect();
        crate::set::combine(&hashes)
    }
}

impl<T: Clone + PyRepr> PyRepr for Tuple<T> {
    fn write_repr(&self, out: &mut String) {
        let _ = crate::repr::write_items(&self.0.snapshot(), ("(", ")"), ",", out, crate::repr::plain);
    }
    fn try_write_repr(&self, out: &mut String) -> crate::exc::PyResult<()> {
        crate::repr::write_items(&self.0.snapshot(), ("(", ")"), ",", out, T::try_write_repr)
    }
    fn try_write_str(&self, out: &mut String) -> crate::exc::PyResult<()> {
        self.try_write_repr(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repr<T: PyRepr>(value: &T) -> String {
        let mut out = String::new();
        value.write_repr(&mut out);
        out
    }

    #[test]
    fn repr_hash_and_errors_follow_cpython() {
        assert_eq!(repr(&Tuple::<i64>::new()), "()");
        assert_eq!(repr(&Tuple::from_vec(vec![7i64])), "(7,)");
        assert_eq!(repr(&Tuple::from_vec(vec![1i64, 2])), "(1, 2)");
        // hash((1, 2)) in CPython 3.11.
        assert_eq!(Tuple::from_vec(vec![1i64, 2]).py_hash(), (1i64, 2i64).py_hash());
        assert_eq!(Tuple::from_vec(vec![1i64, 2]).py_hash(), -3550055125485641917);
        let t = Tuple::from_vec(vec![1i64, 2, 3]);
        assert_eq!(t.get(-1).ok(), Some(3));
        assert_eq!(t.get(3).err().map(|e| e.message().to_owned()), Some("tuple index out of range".to_owned()));
        assert_eq!(t.index(5).err().map(|e| e.message().to_owned()), Some("tuple.index(x): x not in tuple".to_owned()));
    }
}
