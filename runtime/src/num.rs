//! `Num`: a value of a `float` slot that may still hold an `int`, as CPython allows
//! (`total: float = 0` keeps the int `0` until a float is added). The front end uses it only where
//! an int can actually reach a float-annotated variable, so pure float code stays plain `f64`.

use crate::exc::PyResult;
use crate::{float, int};

#[derive(Clone, Copy, Debug)]
pub enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    #[inline(always)]
    pub fn from_int(n: i64) -> Num {
        Num::Int(n)
    }

    #[inline(always)]
    pub fn from_float(x: f64) -> Num {
        Num::Float(x)
    }

    /// The value as a float, for an operation with a float operand.
    #[inline(always)]
    pub fn to_float(self) -> f64 {
        match self {
            Num::Int(n) => n as f64,
            Num::Float(x) => x,
        }
    }

    #[inline(always)]
    pub fn truthy(self) -> bool {
        match self {
            Num::Int(n) => n != 0,
            Num::Float(x) => x != 0.0,
        }
    }
}

macro_rules! num_binop {
    ($name:ident, $int_op:path, $float_op:expr) => {
        #[inline(always)]
        pub fn $name(a: Num, b: Num) -> PyResult<Num> {
            match (a, b) {
                (Num::Int(x), Num::Int(y)) => Ok(Num::Int($int_op(x, y)?)),
                _ => Ok(Num::Float($float_op(a.to_float(), b.to_float())?)),
            }
        }
    };
}

fn float_add(a: f64, b: f64) -> PyResult<f64> {
    Ok(a + b)
}
fn float_sub(a: f64, b: f64) -> PyResult<f64> {
    Ok(a - b)
}
fn float_mul(a: f64, b: f64) -> PyResult<f64> {
    Ok(a * b)
}

num_binop!(add, int::add, float_add);
num_binop!(sub, int::sub, float_sub);
num_binop!(mul, int::mul, float_mul);
num_binop!(floordiv, int::floordiv, float::floordiv);
num_binop!(modulo, int::modulo, float::modulo);
num_binop!(pow, int::pow, float::pow);

/// `a / b`: CPython's message names a float division unless both operands are ints.
#[inline(always)]
pub fn truediv(a: Num, b: Num) -> PyResult<f64> {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => int::truediv(x, y),
        _ => float::truediv(a.to_float(), b.to_float()),
    }
}

#[inline(always)]
pub fn neg(a: Num) -> PyResult<Num> {
    match a {
        Num::Int(n) => Ok(Num::Int(int::neg(n)?)),
        Num::Float(x) => Ok(Num::Float(-x)),
    }
}

#[inline(always)]
pub fn abs(a: Num) -> PyResult<Num> {
    match a {
        Num::Int(n) => Ok(Num::Int(int::abs(n)?)),
        Num::Float(x) => Ok(Num::Float(x.abs())),
    }
}

/// `isinstance(x, int)` for a possibly-int float slot.
pub fn is_int(a: Num) -> bool {
    matches!(a, Num::Int(_))
}

/// `isinstance(x, float)` for a possibly-int float slot.
pub fn is_float(a: Num) -> bool {
    matches!(a, Num::Float(_))
}

/// `int(x)` for a possibly-int float slot.
pub fn to_int(a: Num) -> PyResult<i64> {
    match a {
        Num::Int(n) => Ok(n),
        Num::Float(x) => int::from_float(x),
    }
}

/// Python's numeric comparison between two `Num`s (`<`, `==`, ... via `partial_cmp`).
impl PartialEq for Num {
    fn eq(&self, other: &Num) -> bool {
        match (self, other) {
            (Num::Int(x), Num::Int(y)) => x == y,
            _ => self.to_float() == other.to_float(),
        }
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Num) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (Num::Int(x), Num::Int(y)) => x.partial_cmp(y),
            _ => self.to_float().partial_cmp(&other.to_float()),
        }
    }
}

/// `hash(x)` of the int or float it holds: equal numbers hash alike (`hash(1) == hash(1.0)`).
impl crate::set::PyHash for Num {
    fn py_hash(&self) -> i64 {
        match self {
            Num::Int(n) => crate::set::PyHash::py_hash(n),
            Num::Float(x) => crate::set::PyHash::py_hash(x),
        }
    }
}
