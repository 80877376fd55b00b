//! Hand-written Rust for bench/programs/exceptions.py: errors as `Result`s, as a Rust
//! programmer would handle them.
fn parse_all(tokens: &[String]) -> i64 {
    let mut total: i64 = 0;
    let mut failures: i64 = 0;
    for t in tokens {
        match t.parse::<i64>() {
            Ok(value) => {
                let divisor = value.rem_euclid(7);
                if divisor == 0 {
                    failures += 2;
                } else {
                    total += 1000_i64.div_euclid(divisor);
                }
            }
            Err(_) => failures += 1,
        }
    }
    total * 10 + failures
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100000);
    let tokens: Vec<String> = (0..n).map(|i| if i % 3 == 0 { format!("x{i}") } else { (i * 7919 % 100003).to_string() }).collect();
    println!("{}", parse_all(&tokens));
}
