//! Hand-written Rust reference for bench/programs/sieve.py.
fn main() {
    let limit: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(3_000_000);
    let mut is_prime = vec![true; limit];
    is_prime[0] = false;
    is_prime[1] = false;
    let mut i = 2;
    while i * i < limit {
        if is_prime[i] {
            let mut j = i * i;
            while j < limit {
                is_prime[j] = false;
                j += i;
            }
        }
        i += 1;
    }
    let (mut count, mut total) = (0i64, 0i64);
    for (k, &p) in is_prime.iter().enumerate() {
        if p {
            count += 1;
            total += k as i64;
        }
    }
    println!("{count} {total}");
}
