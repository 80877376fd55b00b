//! `float` semantics on `f64`: `repr` exactly as CPython prints it (shortest round-trip digits
//! from `ryu`, which breaks ties like CPython, re-laid out with Python's rules), and the arithmetic
//! that raises where CPython raises (`/`, `//`, `%` by zero, `**` overflow), `round`, conversions.

use std::borrow::Cow;

use crate::exc::{overflow, value_error, zero_division, PyResult};

/// At most 17 significant digits (the most a round-trip `f64` needs), without allocating.
struct Digits {
    bytes: [u8; 17],
    len: usize,
}

impl Digits {
    fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// Shortest round-trip decimal digits of a finite, non-zero `x`: `(digits, decpt)` where
/// `|x| = 0.d1d2d3... * 10**decpt`.
fn shortest_digits(x: f64) -> (Digits, i32) {
    let mut buffer = ryu::Buffer::new();
    let text = buffer.format_finite(x.abs());
    let (mantissa, exponent) = match text.find('e') {
        Some(pos) => (&text[..pos], text[pos + 1..].parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let int_len = mantissa.find('.').unwrap_or(mantissa.len());
    let mut digits = Digits { bytes: [b'0'; 17], len: 0 };
    let mut decpt = int_len as i32 + exponent;
    for b in mantissa.bytes().filter(|b| *b != b'.') {
        if b == b'0' && digits.len == 0 {
            decpt -= 1;
        } else if digits.len < digits.bytes.len() {
            digits.bytes[digits.len] = b;
            digits.len += 1;
        }
    }
    while digits.len > 0 && digits.bytes[digits.len - 1] == b'0' {
        digits.len -= 1;
    }
    (digits, decpt)
}

/// Appends `format(abs(x), f".{precision}f")` exactly, with integer arithmetic: `x` is
/// `m * 2**e` with a 53-bit `m`, so `x * 10**precision` is `m * 10**precision` (at most 83 bits)
/// shifted by `e`, and rounding half to even on the bits shifted out is CPython's correctly
/// rounded result. Returns false (appending nothing) when the value is too large for that
/// (above about 2**44) or the precision above 9; exact decimal formatting handles those.
pub fn write_fixed_exact(x: f64, precision: usize, out: &mut String) -> bool {
    let mut buffer = [0u8; 48];
    match fixed_exact(x, precision, &mut buffer) {
        Some(text) => {
            out.push_str(text);
            true
        }
        None => false,
    }
}

/// [`write_fixed_exact`] into a stack buffer: the text, or `None` when it does not apply.
pub fn fixed_exact(x: f64, precision: usize, buffer: &mut [u8; 48]) -> Option<&str> {
    if !x.is_finite() || precision > 9 {
        return None;
    }
    let bits = x.abs().to_bits();
    let (exponent_bits, fraction) = ((bits >> 52) & 0x7ff, bits & ((1u64 << 52) - 1));
    let (mantissa, exponent) =
        if exponent_bits == 0 { (fraction, -1074) } else { (fraction | (1u64 << 52), exponent_bits as i32 - 1075) };
    let scaled = mantissa as u128 * 10u128.pow(precision as u32);
    let units: u128 = if exponent >= 0 {
        if exponent > 44 {
            return None;
        }
        scaled << exponent
    } else if exponent < -120 {
        0 // below half a unit of the last digit (scaled < 2**83)
    } else {
        let shift = -exponent as u32;
        let (quotient, remainder) = (scaled >> shift, scaled & ((1u128 << shift) - 1));
        let half = 1u128 << (shift - 1);
        if remainder > half || (remainder == half && quotient & 1 == 1) {
            quotient + 1
        } else {
            quotient
        }
    };
    let mut digits = [0u8; 40];
    let mut start = digits.len();
    let (mut high, mut low) = match u64::try_from(units) {
        Ok(small) => (0, small),
        Err(_) => (units / 10u128.pow(19), (units % 10u128.pow(19)) as u64),
    };
    // u64 arithmetic for the low 19 digits (u128 division is a slow library call).
    loop {
        start -= 1;
        digits[start] = b'0' + (low % 10) as u8;
        low /= 10;
        if low == 0 && (high == 0 || start == digits.len() - 19) {
            break;
        }
    }
    while high > 0 {
        start -= 1;
        digits[start] = b'0' + (high % 10) as u8;
        high /= 10;
    }
    while digits.len() - start < precision + 1 {
        start -= 1;
        digits[start] = b'0';
    }
    let point = digits.len() - precision;
    let int_len = point - start;
    buffer[..int_len].copy_from_slice(&digits[start..point]);
    let mut len = int_len;
    if precision > 0 {
        buffer[len] = b'.';
        buffer[len + 1..len + 1 + precision].copy_from_slice(&digits[point..]);
        len += 1 + precision;
    }
    std::str::from_utf8(&buffer[..len]).ok()
}

/// Writes `repr(x)` into `out`.
pub fn write_repr(x: f64, out: &mut String) {
    if x.is_nan() {
        out.push_str("nan");
        return;
    }
    if x.is_infinite() {
        out.push_str(if x > 0.0 { "inf" } else { "-inf" });
        return;
    }
    if x == 0.0 {
        out.push_str(if x.is_sign_negative() { "-0.0" } else { "0.0" });
        return;
    }
    if x < 0.0 {
        out.push('-');
    }
    let (digits, decpt) = shortest_digits(x);
    let digits = std::str::from_utf8(digits.as_slice()).unwrap_or("0");
    if -4 < decpt && decpt <= 16 {
        if decpt <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-decpt) as usize));
            out.push_str(digits);
        } else if decpt as usize >= digits.len() {
            out.push_str(digits);
            out.extend(std::iter::repeat_n('0', decpt as usize - digits.len()));
            out.push_str(".0");
        } else {
            out.push_str(&digits[..decpt as usize]);
            out.push('.');
            out.push_str(&digits[decpt as usize..]);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        push_exponent(out, decpt - 1);
    }
}

/// Appends `e+XX` / `e-XX` with at least two exponent digits, as C's printf does.
pub(crate) fn push_exponent(out: &mut String, exp: i32) {
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let magnitude = exp.unsigned_abs();
    if magnitude < 10 {
        out.push('0');
    }
    out.push_str(&magnitude.to_string());
}

/// `repr(x)` / `str(x)` as a new string.
pub fn repr(x: f64) -> String {
    let mut out = String::new();
    write_repr(x, &mut out);
    out
}

#[inline(always)]
pub fn truediv(a: f64, b: f64) -> PyResult<f64> {
    if b == 0.0 {
        return Err(zero_division("float division by zero"));
    }
    Ok(a / b)
}

/// CPython's `float_divmod`, shared by `//`, `%` and `divmod`.
#[inline(always)]
fn divmod_unchecked(a: f64, b: f64) -> (f64, f64) {
    let mut modulo = a % b;
    let mut div = (a - modulo) / b;
    if modulo != 0.0 {
        if (b < 0.0) != (modulo < 0.0) {
            modulo += b;
            div -= 1.0;
        }
    } else {
        modulo = 0.0f64.copysign(b);
    }
    let floordiv = if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        f
    } else {
        0.0f64.copysign(a / b)
    };
    (floordiv, modulo)
}

#[inline(always)]
pub fn floordiv(a: f64, b: f64) -> PyResult<f64> {
    if b == 0.0 {
        return Err(zero_division("float floor division by zero"));
    }
    Ok(divmod_unchecked(a, b).0)
}

#[inline(always)]
pub fn modulo(a: f64, b: f64) -> PyResult<f64> {
    if b == 0.0 {
        return Err(zero_division("float modulo"));
    }
    Ok(divmod_unchecked(a, b).1)
}

pub fn divmod(a: f64, b: f64) -> PyResult<(f64, f64)> {
    if b == 0.0 {
        return Err(zero_division("float divmod()"));
    }
    Ok(divmod_unchecked(a, b))
}

/// `a ** b` for floats, with CPython's errors.
pub fn pow(a: f64, b: f64) -> PyResult<f64> {
    if a == 0.0 && b < 0.0 && b.is_finite() {
        return Err(zero_division("0.0 cannot be raised to a negative power"));
    }
    if a < 0.0 && a.is_finite() && b.is_finite() && b.fract() != 0.0 {
        return Err(value_error(
            "negative number raised to a fractional power: CPython returns a complex number, which pyrsc does not support",
        ));
    }
    let result = a.powf(b);
    if result.is_infinite() && a.is_finite() && b.is_finite() {
        return Err(overflow("(34, 'Numerical result out of range')"));
    }
    Ok(result)
}

/// `round(x)`: nearest int, ties to even.
pub fn round(x: f64) -> PyResult<i64> {
    crate::int::from_float(x.round_ties_even())
}

/// `round(x, ndigits)`: correctly rounded decimal, ties to even, still a float.
pub fn round_digits(x: f64, ndigits: i64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    if ndigits > 323 {
        return x;
    }
    if ndigits >= 0 {
        let text = format!("{:.*}", ndigits as usize, x);
        let rounded = text.parse::<f64>().unwrap_or(x);
        return if rounded == 0.0 { 0.0f64.copysign(x) } else { rounded };
    }
    if ndigits < -308 {
        return 0.0f64.copysign(x);
    }
    let unit = 10f64.powi((-ndigits) as i32);
    let rounded = (x / unit).round_ties_even() * unit;
    if rounded == 0.0 {
        0.0f64.copysign(x)
    } else {
        rounded
    }
}

/// `float(s)` with CPython's accepted syntax: whitespace (any Unicode space), then a decimal
/// number (digits of any script, single underscores between digits) or `inf`, `infinity`, `nan`
/// in any case, each with an optional sign, then whitespace.
pub fn from_str(text: &crate::Str) -> PyResult<f64> {
    let text = text.as_str();
    let invalid = || value_error(format!("could not convert string to float: {}", crate::repr::str_repr(text)));
    let ascii = crate::unicode::number_ascii(text);
    let cleaned =
        if ascii.contains('_') { Cow::Owned(without_underscores(&ascii).ok_or_else(invalid)?) } else { ascii };
    let trimmed = cleaned.trim_matches(|c: char| matches!(c, ' ' | '\t'..='\r'));
    parse_ascii(trimmed).ok_or_else(invalid)
}

/// The text without its underscores, each of which must stand between two digits.
fn without_underscores(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let before = i > 0 && bytes[i - 1].is_ascii_digit();
            let after = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
            if !(before && after) {
                return None;
            }
        } else {
            out.push(b as char);
        }
    }
    Some(out)
}

/// C's `strtod` syntax as CPython accepts it (no hexadecimal), over the whole of `text`.
fn parse_ascii(text: &str) -> Option<f64> {
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    // Negation sets the sign bit (`float("-nan")` is a NaN with its sign set, as in CPython).
    let signed = |x: f64| if negative { -x } else { x };
    if unsigned.eq_ignore_ascii_case("inf") || unsigned.eq_ignore_ascii_case("infinity") {
        return Some(signed(f64::INFINITY));
    }
    if unsigned.eq_ignore_ascii_case("nan") {
        return Some(signed(f64::NAN));
    }
    // Digits with at most one point, at least one digit, then an optional exponent with digits.
    let bytes = unsigned.as_bytes();
    let digits = |from: usize| bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    let whole = digits(0);
    let mut end = whole;
    let mut fraction = 0;
    if bytes.get(end) == Some(&b'.') {
        fraction = digits(end + 1);
        end += 1 + fraction;
    }
    if whole + fraction == 0 {
        return None;
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let signed = matches!(bytes.get(end + 1), Some(b'+' | b'-'));
        let exponent = digits(end + 1 + signed as usize);
        if exponent == 0 {
            return None;
        }
        end += 1 + signed as usize + exponent;
    }
    if end != bytes.len() {
        return None;
    }
    text.parse::<f64>().ok()
}

/// `abs(x)` for a float.
#[inline(always)]
pub fn abs(x: f64) -> f64 {
    x.abs()
}

/// `float(x)` of a float (ints are converted before the call).
#[inline(always)]
pub fn identity(x: f64) -> f64 {
    x
}

/// Exact comparison of an int with a float, as CPython compares them (converting the int to a
/// float would round above 2**53). `None` when `x` is NaN.
pub fn cmp_int(i: i64, x: f64) -> Option<std::cmp::Ordering> {
    const TWO_53: f64 = 9007199254740992.0;
    const TWO_63: f64 = 9.223_372_036_854_776e18;
    if x.is_nan() {
        return None;
    }
    if x >= TWO_63 {
        return Some(std::cmp::Ordering::Less);
    }
    if x < -TWO_63 {
        return Some(std::cmp::Ordering::Greater);
    }
    if x.abs() < TWO_53 || i.unsigned_abs() <= 1 << 53 {
        // Exact: either the int converts exactly, or it is too large for rounding to cross x.
        return (i as f64).partial_cmp(&x);
    }
    // |x| >= 2**53 is an integer and fits in i64 here.
    Some(i.cmp(&(x as i64)))
}

/// `int / float` mixing: an int operand converted for a float operation.
#[inline(always)]
pub fn from_int(n: i64) -> f64 {
    n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repr_matches_cpython_layout() {
        for (x, want) in [
            (1.0, "1.0"),
            (1e16, "1e+16"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (-0.0, "-0.0"),
            (1.0 / 3.0, "0.3333333333333333"),
            (2f64.powi(60), "1.152921504606847e+18"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (1e15, "1000000000000000.0"),
            (5e-324, "5e-324"),
            (670352580196876.2, "670352580196876.2"),
            (f64::NAN, "nan"),
            (f64::NEG_INFINITY, "-inf"),
        ] {
            assert_eq!(repr(x), want, "repr of {x:?}");
        }
    }

    #[test]
    fn floor_division_and_modulo_follow_python() {
        assert_eq!(floordiv(5.0, -2.0).unwrap(), -3.0);
        assert_eq!(modulo(-7.5, 2.0).unwrap(), 0.5);
        assert_eq!(divmod(7.5, -2.0).unwrap(), (-4.0, -0.5));
        assert!(modulo(1.0, 0.0).is_err());
    }

    #[test]
    fn round_is_half_even_on_exact_values() {
        assert_eq!(round(2.5).unwrap(), 2);
        assert_eq!(round(-2.5).unwrap(), -2);
        assert_eq!(round_digits(2.675, 2), 2.67);
        assert_eq!(round_digits(1234.5, -2), 1200.0);
    }
}

#[cfg(test)]
mod fixed_tests {
    fn fixed_exact(x: f64, precision: usize) -> Option<String> {
        let mut out = String::new();
        super::write_fixed_exact(x, precision, &mut out).then_some(out)
    }

    /// The integer path agrees with Rust's exact decimal formatting wherever it answers.
    #[test]
    fn fast_fixed_matches_exact_formatting() {
        let mut seed: u64 = 0x9E3779B97F4A7C15;
        let mut answered = 0;
        for i in 0..200_000u64 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let x = match i % 4 {
                0 => (seed % 100_000) as f64 / 7.0,
                1 => (seed % 1_000_000) as f64 / 1000.0 + 0.0005,
                2 => f64::from_bits(seed) % 1e6,
                _ => (seed % 2000) as f64 * 0.005,
            };
            if !x.is_finite() {
                continue;
            }
            for precision in [0usize, 1, 2, 3, 6] {
                if let Some(fast) = fixed_exact(x, precision) {
                    answered += 1;
                    assert_eq!(fast, format!("{:.*}", precision, x.abs()), "x = {x:?}, precision {precision}");
                }
            }
        }
        assert!(answered > 900_000, "{answered}");
        assert_eq!(fixed_exact(0.0, 3).as_deref(), Some("0.000"));
        assert_eq!(fixed_exact(0.5, 0).as_deref(), Some("0"), "ties go to even");
        assert_eq!(fixed_exact(2.5, 0).as_deref(), Some("2"));
        assert_eq!(fixed_exact(0.125, 2).as_deref(), Some("0.12"));
        assert_eq!(fixed_exact(9.9996, 3).as_deref(), Some("10.000"));
        assert_eq!(fixed_exact(5e-324, 9).as_deref(), Some("0.000000000"));
        assert_eq!(fixed_exact(1e23, 2).as_deref(), Some("99999999999999991611392.00"));
        assert_eq!(fixed_exact(1e300, 2), None, "left to exact decimal formatting");
    }
}
