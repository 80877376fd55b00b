//! Hand-written Rust reference for bench/programs/spectral_norm.py.
fn eval_a(i: usize, j: usize) -> f64 {
    1.0 / (((i + j) * (i + j + 1) / 2 + i + 1) as f64)
}

fn times_a(u: &[f64], out: &mut [f64]) {
    for i in 0..u.len() {
        let mut s = 0.0;
        for j in 0..u.len() {
            s += eval_a(i, j) * u[j];
        }
        out[i] = s;
    }
}

fn times_at(u: &[f64], out: &mut [f64]) {
    for i in 0..u.len() {
        let mut s = 0.0;
        for j in 0..u.len() {
            s += eval_a(j, i) * u[j];
        }
        out[i] = s;
    }
}

fn times_ata(u: &[f64], out: &mut [f64], tmp: &mut [f64]) {
    times_a(u, tmp);
    times_at(tmp, out);
}

fn main() {
    let n = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(250);
    let mut u = vec![1.0; n];
    let mut v = vec![0.0; n];
    let mut tmp = vec![0.0; n];
    for _ in 0..10 {
        times_ata(&u, &mut v, &mut tmp);
        times_ata(&v, &mut u, &mut tmp);
    }
    let (mut vbv, mut vv) = (0.0, 0.0);
    for i in 0..n {
        vbv += u[i] * v[i];
        vv += v[i] * v[i];
    }
    println!("{:.9}", (vbv / vv).sqrt());
}
