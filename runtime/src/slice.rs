//! Slices (`xs[a:b:c]`, `s[::-1]`): CPython's index adjustment, shared by lists and strings.

use crate::exc::{value_error, PyResult};

/// The positions a slice selects from a sequence of `len` items, in order.
pub fn positions(
    len: usize,
    start: Option<i64>,
    stop: Option<i64>,
    step: Option<i64>,
) -> PyResult<impl Iterator<Item = usize>> {
    let step = step.unwrap_or(1);
    if step == 0 {
        return Err(value_error("slice step cannot be zero"));
    }
    let len = len as i64;
    let clamp = |value: Option<i64>, default: i64| -> i64 {
        match value {
            None => default,
            Some(v) => {
                let v = if v < 0 { v.saturating_add(len) } else { v };
                if v < 0 {
                    if step < 0 {
                        -1
                    } else {
                        0
                    }
                } else if v >= len {
                    if step < 0 {
                        len - 1
                    } else {
                        len
                    }
                } else {
                    v
                }
            }
        }
    };
    let (start, stop) =
        if step > 0 { (clamp(start, 0), clamp(stop, len)) } else { (clamp(start, len - 1), clamp(stop, -1)) };
    let count = if step > 0 {
        if start < stop {
            (stop - start - 1) / step + 1
        } else {
            0
        }
    } else if stop < start {
        (start - stop - 1) / step.saturating_neg().max(1) + 1
    } else {
        0
    };
    Ok((0..count).map(move |k| (start + k * step) as usize))
}

#[cfg(test)]
mod tests {
    use super::positions;

    fn take(len: usize, a: Option<i64>, b: Option<i64>, c: Option<i64>) -> Vec<usize> {
        positions(len, a, b, c).unwrap().collect()
    }

    #[test]
    fn adjusts_like_cpython() {
        assert_eq!(take(5, None, None, None), vec![0, 1, 2, 3, 4]);
        assert_eq!(take(5, Some(1), Some(-1), None), vec![1, 2, 3]);
        assert_eq!(take(5, None, None, Some(-1)), vec![4, 3, 2, 1, 0]);
        assert_eq!(take(5, Some(-2), None, None), vec![3, 4]);
        assert_eq!(take(5, Some(10), Some(20), None), Vec::<usize>::new());
        assert_eq!(take(5, Some(4), Some(0), Some(-2)), vec![4, 2]);
        assert_eq!(take(5, None, None, Some(i64::MIN)), vec![4]);
        assert!(positions(5, None, None, Some(0)).is_err());
    }
}
