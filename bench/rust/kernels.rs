//! Hand-written Rust for the kernels of bench/programs/kernels.py: safe, idiomatic Rust over
//! row-major `Vec<f64>`s (bounds-checked indexing, as a careful Rust programmer writes it).
//! Usage: kernels ROWS COLS REPEAT — prints `name seconds checksum` per kernel (best of REPEAT).
use std::time::Instant;

fn row_sums(a: &[f64], rows: usize, cols: usize, out: &mut [f64]) {
    for i in 0..rows {
        let mut s = 0.0;
        for j in 0..cols {
            s += a[i * cols + j];
        }
        out[i] = s;
    }
}

fn matvec(m: &[f64], rows: usize, cols: usize, v: &[f64], out: &mut [f64]) {
    for i in 0..rows {
        let mut s = 0.0;
        for j in 0..cols {
            s += m[i * cols + j] * v[j];
        }
        out[i] = s;
    }
}

fn stencil(a: &[f64], rows: usize, cols: usize, out: &mut [f64]) {
    for i in 1..rows - 1 {
        for j in 1..cols - 1 {
            out[i * cols + j] = 0.25 * (a[(i - 1) * cols + j] + a[(i + 1) * cols + j] + a[i * cols + j - 1] + a[i * cols + j + 1]) - a[i * cols + j];
        }
    }
}

fn sum_squares(v: &[f64]) -> f64 {
    let mut s = 0.0;
    for x in v {
        s += x * x;
    }
    s
}

fn best<F: FnMut() -> f64>(repeat: usize, mut f: F) -> (f64, f64) {
    let mut best = f64::INFINITY;
    let mut check = 0.0;
    for _ in 0..repeat {
        let start = Instant::now();
        check = f();
        best = best.min(start.elapsed().as_secs_f64());
    }
    (best, check)
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).map(|a| a.parse().expect("a number")).collect();
    let (rows, cols, repeat) = (args[0], args[1], args[2]);
    // The same data as bench/modules.py: a[i, j] = ((i * 7 + j * 13) % 101) / 101.
    let a: Vec<f64> = (0..rows * cols).map(|k| ((k / cols * 7 + k % cols * 13) % 101) as f64 / 101.0).collect();
    let v: Vec<f64> = (0..cols).map(|j| ((j * 13) % 101) as f64 / 101.0).collect();
    let long: Vec<f64> = (0..rows * cols).map(|k| (k % 101) as f64 / 101.0).collect();
    let mut out = vec![0.0; rows];
    let mut grid = vec![0.0; rows * cols];
    let (t, c) = best(repeat, || {
        row_sums(&a, rows, cols, &mut out);
        out.iter().sum()
    });
    println!("row_sums {t} {c}");
    let (t, c) = best(repeat, || {
        matvec(&a, rows, cols, &v, &mut out);
        out.iter().sum()
    });
    println!("matvec {t} {c}");
    let (t, c) = best(repeat, || {
        stencil(&a, rows, cols, &mut grid);
        grid.iter().sum()
    });
    println!("stencil {t} {c}");
    let (t, c) = best(repeat, || sum_squares(&long));
    println!("sum_squares {t} {c}");
}
