//! Hand-written Rust reference for bench/programs/strbuild.py.
fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let mut lines: Vec<String> = Vec::with_capacity(n);
    for i in 0..n {
        let name = format!("item{:03}", i % 97);
        let value = (i * 37 % 1000) as f64 / 7.0;
        let tag = if i % 2 == 0 { "even" } else { "odd" };
        let reversed: String = name.chars().rev().collect();
        lines.push(format!("{name},{value:.3},{},{reversed}", tag.to_uppercase()));
    }
    let text = lines.join("\n");
    let fields: Vec<&str> = text.split('\n').collect();
    println!("{} {} {} {} {}", text.len(), fields.len(), fields[0], fields[fields.len() - 1], text.matches("ODD").count());
}
