//! The `math` module: functions with CPython's domain and range errors.

use crate::exc::{overflow, value_error, PyResult};

pub const PI: f64 = std::f64::consts::PI;
pub const E: f64 = std::f64::consts::E;
pub const INF: f64 = f64::INFINITY;
pub const NAN: f64 = f64::NAN;
pub const TAU: f64 = std::f64::consts::TAU;

#[cold]
fn domain_error() -> crate::exc::Exc {
    value_error("math domain error")
}

#[cold]
fn range_error() -> crate::exc::Exc {
    overflow("math range error")
}

/// Applies CPython's rule for a libm result: NaN from non-NaN input is a domain error, an
/// infinity from finite input is a range error.
#[inline(always)]
fn checked(input: f64, result: f64) -> PyResult<f64> {
    if result.is_nan() && !input.is_nan() {
        Err(domain_error())
    } else if result.is_infinite() && input.is_finite() {
        Err(range_error())
    } else {
        Ok(result)
    }
}

#[inline(always)]
pub fn sqrt(x: f64) -> PyResult<f64> {
    if x < 0.0 {
        return Err(domain_error());
    }
    Ok(x.sqrt())
}

pub fn sin(x: f64) -> PyResult<f64> {
    checked(x, x.sin())
}

pub fn cos(x: f64) -> PyResult<f64> {
    checked(x, x.cos())
}

pub fn tan(x: f64) -> PyResult<f64> {
    checked(x, x.tan())
}

pub fn atan2(y: f64, x: f64) -> f64 {
    y.atan2(x)
}

pub fn exp(x: f64) -> PyResult<f64> {
    checked(x, x.exp())
}

pub fn log(x: f64) -> PyResult<f64> {
    if x <= 0.0 {
        return Err(domain_error());
    }
    Ok(x.ln())
}

/// `math.log1p(x)`: `log(1 + x)`, exact for `x` near zero.
pub fn log1p(x: f64) -> PyResult<f64> {
    if x <= -1.0 {
        return Err(domain_error());
    }
    Ok(x.ln_1p())
}

/// `math.log(x, base)`.
pub fn log_base(x: f64, base: f64) -> PyResult<f64> {
    let num = log(x)?;
    let den = log(base)?;
    if den == 0.0 {
        return Err(crate::exc::zero_division("float division by zero"));
    }
    Ok(num / den)
}

pub fn log10(x: f64) -> PyResult<f64> {
    if x <= 0.0 {
        return Err(domain_error());
    }
    Ok(x.log10())
}

pub fn fabs(x: f64) -> f64 {
    x.abs()
}

/// `math.floor(x)` for a float: an int.
pub fn floor(x: f64) -> PyResult<i64> {
    crate::int::from_float(x.floor())
}

/// `math.ceil(x)` for a float: an int.
pub fn ceil(x: f64) -> PyResult<i64> {
    crate::int::from_float(x.ceil())
}

pub fn hypot(x: f64, y: f64) -> PyResult<f64> {
    let result = x.hypot(y);
    if result.is_infinite() && x.is_finite() && y.is_finite() {
        return Err(range_error());
    }
    Ok(result)
}

pub fn isnan(x: f64) -> bool {
    x.is_nan()
}

pub fn isinf(x: f64) -> bool {
    x.is_infinite()
}

pub fn isfinite(x: f64) -> bool {
    x.is_finite()
}
