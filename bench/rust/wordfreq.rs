//! Hand-written Rust reference for bench/programs/wordfreq.py.
use std::collections::HashMap;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"];
    let mut parts: Vec<String> = Vec::with_capacity(n);
    let mut seed: i64 = 12345;
    for _ in 0..n {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        parts.push(format!("{}{}", words[(seed % 10) as usize], seed % 7));
    }
    let text = parts.join(" ");
    let mut order: Vec<String> = Vec::new();
    let mut counts: HashMap<String, i64> = HashMap::new();
    for word in text.split_whitespace() {
        let entry = counts.entry(word.to_string()).or_insert_with(|| {
            order.push(word.to_string());
            0
        });
        *entry += 1;
    }
    let total: i64 = counts.values().sum();
    println!("{} {}", counts.len(), total);
    let mut ranked: Vec<(&String, i64)> = order.iter().map(|w| (w, counts[w])).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (word, count) in ranked.iter().take(5) {
        println!("{word:>10} {count:6}");
    }
}
