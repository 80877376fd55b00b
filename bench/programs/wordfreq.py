"""Data-model workload: build text, count words in a dict, sort by frequency, format a report."""
import sys


def make_text(n: int) -> str:
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"]
    parts: list[str] = []
    seed = 12345
    for _ in range(n):
        seed = (seed * 1103515245 + 12345) % 2147483648
        parts.append(words[seed % len(words)] + str(seed % 7))
    return " ".join(parts)


def count(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for word in text.split():
        counts[word] = counts.get(word, 0) + 1
    return counts


def report(counts: dict[str, int]) -> list[str]:
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [f"{word:>10} {n:6d}" for word, n in ranked[:5]]


n = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
counts = count(make_text(n))
print(len(counts), sum(counts.values()))
for line in report(counts):
    print(line)
