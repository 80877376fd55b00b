//! `int` semantics on `i64`: checked arithmetic (OverflowError instead of wrapping), floor
//! division and modulo that round toward negative infinity, `**`, shifts, `round`, conversions.

use crate::exc::{int_overflow, overflow, value_error, zero_division, Exc, PyResult};

#[inline(always)]
pub fn add(a: i64, b: i64) -> PyResult<i64> {
    a.checked_add(b).ok_or_else(int_overflow)
}

#[inline(always)]
pub fn sub(a: i64, b: i64) -> PyResult<i64> {
    a.checked_sub(b).ok_or_else(int_overflow)
}

#[inline(always)]
pub fn mul(a: i64, b: i64) -> PyResult<i64> {
    a.checked_mul(b).ok_or_else(int_overflow)
}

#[inline(always)]
pub fn neg(a: i64) -> PyResult<i64> {
    a.checked_neg().ok_or_else(int_overflow)
}

#[inline(always)]
pub fn abs(a: i64) -> PyResult<i64> {
    a.checked_abs().ok_or_else(int_overflow)
}

#[cold]
fn int_division_by_zero() -> Exc {
    zero_division("integer division or modulo by zero")
}

/// `a + b` for a fused arithmetic tree: wraps, and records overflow in `flag`. Generated code
/// evaluates a side-effect-free `int` expression with these and raises once at its end, which
/// keeps the arithmetic branch-free (and vectorisable) while raising the same OverflowError.
#[inline(always)]
pub fn add_flag(a: i64, b: i64, flag: &mut bool) -> i64 {
    let (r, o) = a.overflowing_add(b);
    *flag |= o;
    r
}

#[inline(always)]
pub fn sub_flag(a: i64, b: i64, flag: &mut bool) -> i64 {
    let (r, o) = a.overflowing_sub(b);
    *flag |= o;
    r
}

#[inline(always)]
pub fn mul_flag(a: i64, b: i64, flag: &mut bool) -> i64 {
    let (r, o) = a.overflowing_mul(b);
    *flag |= o;
    r
}

/// `a * k` for a literal `k > 0` in a fused tree: a range test instead of a multiply-with-
/// overflow, so LLVM can use shifts and `lea` for small constants.
#[inline(always)]
pub fn mul_pos_flag(a: i64, k: i64, flag: &mut bool) -> i64 {
    let (r, o) = a.overflowing_mul(k);
    *flag |= o;
    r
}

/// The end of a fused arithmetic tree: OverflowError if any step overflowed.
#[inline(always)]
pub fn check_flag(value: i64, flag: bool) -> PyResult<i64> {
    if flag {
        Err(int_overflow())
    } else {
        Ok(value)
    }
}

#[cold]
fn int_modulo_by_zero() -> Exc {
    zero_division("integer modulo by zero")
}

/// `a // b`, rounding toward negative infinity.
#[inline(always)]
pub fn floordiv(a: i64, b: i64) -> PyResult<i64> {
    if b == 0 {
        return Err(int_division_by_zero());
    }
    if a == i64::MIN && b == -1 {
        return Err(int_overflow());
    }
    let q = a / b;
    if (a % b != 0) && ((a < 0) != (b < 0)) {
        Ok(q - 1)
    } else {
        Ok(q)
    }
}

/// `a % b`, with the sign of `b`.
#[inline(always)]
pub fn modulo(a: i64, b: i64) -> PyResult<i64> {
    if b == 0 {
        return Err(int_modulo_by_zero());
    }
    if b == -1 {
        return Ok(0);
    }
    let r = a % b;
    if r != 0 && ((r < 0) != (b < 0)) {
        Ok(r + b)
    } else {
        Ok(r)
    }
}

/// `divmod(a, b)` for ints.
#[inline]
pub fn divmod(a: i64, b: i64) -> PyResult<(i64, i64)> {
    if b == 0 {
        return Err(int_division_by_zero());
    }
    Ok((floordiv(a, b)?, modulo(a, b)?))
}

/// `a / b` for ints: always a float.
#[inline(always)]
pub fn truediv(a: i64, b: i64) -> PyResult<f64> {
    if b == 0 {
        return Err(zero_division("division by zero"));
    }
    Ok(a as f64 / b as f64)
}

/// `a ** b` for ints. A negative exponent would make CPython return a float; the front end types
/// `int ** int` as int only when it cannot prove the exponent sign, so this reports it clearly.
pub fn pow(base: i64, exp: i64) -> PyResult<i64> {
    if exp < 0 {
        return Err(value_error(
            "negative exponent in int ** int: CPython returns a float here; write float(base) ** exp",
        ));
    }
    match base {
        0 => return Ok(if exp == 0 { 1 } else { 0 }),
        1 => return Ok(1),
        -1 => return Ok(if exp % 2 == 0 { 1 } else { -1 }),
        _ => {}
    }
    let exp = u32::try_from(exp).map_err(|_| int_overflow())?;
    base.checked_pow(exp).ok_or_else(int_overflow)
}

/// `pow(base, exp, modulus)`.
pub fn pow_mod(base: i64, exp: i64, modulus: i64) -> PyResult<i64> {
    if modulus == 0 {
        return Err(value_error("pow() 3rd argument cannot be 0"));
    }
    if exp < 0 {
        return Err(value_error(
            "pow() with a negative exponent and a modulus needs a modular inverse; pyrsc does not support it",
        ));
    }
    let m = modulus as i128;
    let mut result: i128 = 1i128.rem_euclid(m.abs());
    let mut b = (base as i128).rem_euclid(m.abs());
    let mut e = exp;
    while e > 0 {
        if e & 1 == 1 {
            result = (result * b).rem_euclid(m.abs());
        }
        b = (b * b).rem_euclid(m.abs());
        e >>= 1;
    }
    // Python's result takes the sign of the modulus.
    if m < 0 && result != 0 {
        result += m;
    }
    Ok(result as i64)
}

#[inline(always)]
pub fn lshift(a: i64, b: i64) -> PyResult<i64> {
    if b < 0 {
        return Err(value_error("negative shift count"));
    }
    if a == 0 {
        return Ok(0);
    }
    if b >= 64 {
        return Err(int_overflow());
    }
    let shifted = a << b;
    if shifted >> b != a {
        return Err(int_overflow());
    }
    Ok(shifted)
}

#[inline(always)]
pub fn rshift(a: i64, b: i64) -> PyResult<i64> {
    if b < 0 {
        return Err(value_error("negative shift count"));
    }
    Ok(if b >= 64 {
        if a < 0 {
            -1
        } else {
            0
        }
    } else {
        a >> b
    })
}

/// `round(n, ndigits)` for an int: rounds to a multiple of 10**-ndigits, ties to even.
pub fn round_digits(n: i64, ndigits: i64) -> PyResult<i64> {
    if ndigits >= 0 {
        return Ok(n);
    }
    if ndigits < -18 {
        return Ok(0);
    }
    let unit = 10i128.pow((-ndigits) as u32);
    let n128 = n as i128;
    let floor = n128.div_euclid(unit) * unit;
    let rest = n128 - floor;
    let twice = rest * 2;
    let rounded = if twice > unit || (twice == unit && (floor / unit) % 2 != 0) { floor + unit } else { floor };
    i64::try_from(rounded).map_err(|_| int_overflow())
}

/// `int(x)` for a float: truncates; NaN and infinities raise like CPython.
pub fn from_float(x: f64) -> PyResult<i64> {
    if x.is_nan() {
        return Err(value_error("cannot convert float NaN to integer"));
    }
    if x.is_infinite() {
        return Err(overflow("cannot convert float infinity to integer"));
    }
    let t = x.trunc();
    if !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&t) {
        return Err(int_overflow());
    }
    Ok(t as i64)
}

/// `int(s)` for a string, with CPython's accepted syntax for base 10: whitespace (any Unicode
/// space), a sign, decimal digits of any script with single underscores between them,
/// whitespace.
pub fn from_str(text: &crate::Str) -> PyResult<i64> {
    let text = text.as_str();
    match parse_decimal(crate::unicode::number_ascii(text).as_bytes()) {
        Ok(value) => Ok(value),
        Err(IntSyntax::Invalid) => {
            // CPython formats the string with `%.200R`: its repr cut to 200 characters.
            let repr: String = crate::repr::str_repr(text).chars().take(200).collect();
            Err(value_error(format!("invalid literal for int() with base 10: {repr}")))
        }
        Err(IntSyntax::TooManyDigits(digits)) => Err(value_error(format!(
            "Exceeds the limit ({MAX_STR_DIGITS} digits) for integer string conversion: value has {digits} digits; \
             use sys.set_int_max_str_digits() to increase the limit"
        ))),
        Err(IntSyntax::Overflow) => Err(int_overflow()),
    }
}

/// CPython 3.11's default `sys.get_int_max_str_digits()`.
const MAX_STR_DIGITS: usize = 4300;

enum IntSyntax {
    Invalid,
    TooManyDigits(usize),
    Overflow,
}

/// Base-10 `int` syntax over the ASCII form of the text, checked in CPython's order (the digit
/// limit before what follows the digits, the syntax before the 64-bit range).
fn parse_decimal(bytes: &[u8]) -> Result<i64, IntSyntax> {
    let is_space = |b: &u8| matches!(b, b' ' | b'\t'..=b'\r');
    let mut rest = bytes;
    while let [first, tail @ ..] = rest {
        if !is_space(first) {
            break;
        }
        rest = tail;
    }
    let negative = match rest {
        [b'-', tail @ ..] => {
            rest = tail;
            true
        }
        [b'+', tail @ ..] => {
            rest = tail;
            false
        }
        _ => false,
    };
    let (mut magnitude, mut digits, mut overflow, mut after_underscore) = (0u64, 0usize, false, false);
    if rest.first() == Some(&b'_') {
        return Err(IntSyntax::Invalid);
    }
    while let [first, tail @ ..] = rest {
        match first {
            b'0'..=b'9' => {
                digits += 1;
                let next = magnitude.checked_mul(10).and_then(|m| m.checked_add(u64::from(first - b'0')));
                match next {
                    Some(m) => magnitude = m,
                    None => overflow = true,
                }
                after_underscore = false;
            }
            b'_' if !after_underscore => after_underscore = true,
            b'_' => return Err(IntSyntax::Invalid),
            _ => break,
        }
        rest = tail;
    }
    if digits == 0 || after_underscore {
        return Err(IntSyntax::Invalid);
    }
    if digits > MAX_STR_DIGITS {
        return Err(IntSyntax::TooManyDigits(digits));
    }
    if !rest.iter().all(is_space) {
        return Err(IntSyntax::Invalid);
    }
    let value = if negative { 0i64.checked_sub_unsigned(magnitude) } else { i64::try_from(magnitude).ok() };
    match (overflow, value) {
        (false, Some(value)) => Ok(value),
        _ => Err(IntSyntax::Overflow),
    }
}

/// `int(n)` / `round(n)` of an int: the value itself.
#[inline(always)]
pub fn identity(n: i64) -> i64 {
    n
}

/// `int(b)` for a bool.
#[inline(always)]
pub fn from_bool(b: bool) -> i64 {
    b as i64
}
