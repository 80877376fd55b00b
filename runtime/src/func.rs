//! Function values: a module function, a nested function or a lambda held in a variable, passed
//! as an argument, returned or stored in a container. A shared closure plus the qualified name
//! CPython's `repr` shows; equality and hashing are by identity, as for Python functions.

use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::rc::Rc;

use crate::repr::PyRepr;

/// A Python function value; `F` is a `dyn Fn(..) -> PyResult<R>`. Calling goes through `Deref`.
pub struct Func<F: ?Sized> {
    qualname: &'static str,
    /// What `is`, `==` and `hash` compare: the closure's address, or for a module function the
    /// address of its code, so that every use of `square` is the same object as in CPython.
    identity: usize,
    code: Rc<F>,
}

impl<F: ?Sized> Func<F> {
    #[inline]
    pub fn new(qualname: &'static str, code: Rc<F>) -> Func<F> {
        let identity = Rc::as_ptr(&code) as *const () as usize;
        Func { qualname, identity, code }
    }

    /// A module-level function: `identity` is the address of its compiled code.
    #[inline]
    pub fn module(qualname: &'static str, identity: usize, code: Rc<F>) -> Func<F> {
        Func { qualname, identity, code }
    }

    fn address(&self) -> usize {
        self.identity
    }
}

impl<F: ?Sized> Clone for Func<F> {
    #[inline]
    fn clone(&self) -> Self {
        Func { qualname: self.qualname, identity: self.identity, code: Rc::clone(&self.code) }
    }
}

impl<F: ?Sized> Deref for Func<F> {
    type Target = F;
    #[inline(always)]
    fn deref(&self) -> &F {
        &self.code
    }
}

impl<F: ?Sized> PartialEq for Func<F> {
    fn eq(&self, other: &Self) -> bool {
        self.address() == other.address()
    }
}

impl<F: ?Sized> Eq for Func<F> {}

impl<F: ?Sized> Hash for Func<F> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.address().hash(state)
    }
}

impl<F: ?Sized> PyRepr for Func<F> {
    /// `<function name at 0x...>`: the address differs from run to run, in CPython too.
    fn write_repr(&self, out: &mut String) {
        use std::fmt::Write as _;
        let _ = write!(out, "<function {} at {:#x}>", self.qualname, self.address());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exc::PyResult;

    #[test]
    fn identity_equality_and_repr() {
        let code: Rc<dyn Fn(i64) -> PyResult<i64>> = Rc::new(|x| Ok(x + 1));
        let f = Func::new("inc", code);
        let g = f.clone();
        let other: Rc<dyn Fn(i64) -> PyResult<i64>> = Rc::new(|x| Ok(x + 1));
        let h = Func::new("inc", other);
        assert!(f == g);
        assert!(f != h);
        assert_eq!(f(41).ok(), Some(42));
        let mut out = String::new();
        f.write_repr(&mut out);
        assert!(out.starts_with("<function inc at 0x"), "{out}");
    }
}
