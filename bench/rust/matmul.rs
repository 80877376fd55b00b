//! Hand-written Rust reference for bench/programs/matmul.py.
fn make(n: usize, seed: f64) -> Vec<Vec<f64>> {
    (0..n).map(|i| (0..n).map(|j| ((i * n + j) % 7) as f64 * seed - 1.0).collect()).collect()
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(120);
    let (a, b) = (make(n, 0.5), make(n, 0.25));
    let mut c = vec![vec![0.0f64; n]; n];
    for i in 0..n {
        for k in 0..n {
            let aik = a[i][k];
            for j in 0..n {
                c[i][j] += aik * b[k][j];
            }
        }
    }
    let total: f64 = c.iter().map(|row| row.iter().sum::<f64>()).sum();
    println!("{:.6} {:.6}", total, c[n / 2][n / 3]);
}
