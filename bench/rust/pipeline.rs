//! Hand-written counterpart of bench/programs/pipeline.py: the same stages as iterator adapters.

fn main() {
    let n: i64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(100000);
    let mut x: i64 = 12345;
    let numbers = (0..n).map(move |_| {
        x = (x * 1103515245 + 12345) % 2147483648;
        x % 1000
    });
    let odd = numbers.filter(|v| v % 2 == 1);
    let mut best = -1;
    let mut stream = odd.map(move |v| {
        if v > best {
            best = v;
        }
        best
    });
    let first = stream.next().unwrap_or(-1);
    let mut total = first;
    let mut count = 1;
    for v in stream {
        total += v;
        count += 1;
    }
    println!("{first} {count} {total}");
}
