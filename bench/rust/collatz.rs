//! Hand-written Rust reference for bench/programs/collatz.py.
fn chain_length(mut n: i64) -> i64 {
    let mut steps = 1;
    while n != 1 {
        n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 };
        steps += 1;
    }
    steps
}

fn main() {
    let limit: i64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(300_000);
    let (mut best, mut best_len) = (1, 1);
    for start in 1..limit {
        let length = chain_length(start);
        if length > best_len {
            best = start;
            best_len = length;
        }
    }
    println!("{best} {best_len}");
}
