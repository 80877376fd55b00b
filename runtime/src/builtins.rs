//! Builtins that are not tied to one type's module: `min` and `max` of two values, with
//! CPython's rule that the first of equal values wins (and NaN comparisons are false).

/// `min(a, b)`: `b` only when it is strictly smaller.
#[inline(always)]
pub fn min<T: PartialOrd>(a: T, b: T) -> T {
    if b < a {
        b
    } else {
        a
    }
}

/// `max(a, b)`: `b` only when it is strictly larger.
#[inline(always)]
pub fn max<T: PartialOrd>(a: T, b: T) -> T {
    if b > a {
        b
    } else {
        a
    }
}

/// `min` of two borrowed values (strings), cloning the winner.
pub fn min_ref<T: PartialOrd + Clone>(a: &T, b: &T) -> T {
    if b < a {
        b.clone()
    } else {
        a.clone()
    }
}

/// `max` of two borrowed values (strings), cloning the winner.
pub fn max_ref<T: PartialOrd + Clone>(a: &T, b: &T) -> T {
    if b > a {
        b.clone()
    } else {
        a.clone()
    }
}
