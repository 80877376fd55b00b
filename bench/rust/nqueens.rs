//! Hand-written Rust reference for bench/programs/nqueens.py.
fn place(row: usize, n: usize, cols: &mut [bool], diag1: &mut [bool], diag2: &mut [bool]) -> i64 {
    if row == n {
        return 1;
    }
    let mut count = 0;
    for c in 0..n {
        let (d1, d2) = (row + c, row + n - 1 - c);
        if !cols[c] && !diag1[d1] && !diag2[d2] {
            cols[c] = true;
            diag1[d1] = true;
            diag2[d2] = true;
            count += place(row + 1, n, cols, diag1, diag2);
            cols[c] = false;
            diag1[d1] = false;
            diag2[d2] = false;
        }
    }
    count
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(9);
    println!("{}", place(0, n, &mut vec![false; n], &mut vec![false; 2 * n], &mut vec![false; 2 * n]));
}
