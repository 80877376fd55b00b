"""A typical ~60-line script for the compile-latency benchmark (bench/latency.py)."""
import math
import sys

GRID = 64
STEPS = 10


def make_grid(n: int) -> list[float]:
    cells: list[float] = []
    for i in range(n * n):
        cells.append(math.sin(i * 0.1) * 0.5 + 0.5)
    return cells


def smooth(cells: list[float], n: int) -> list[float]:
    out = [0.0] * (n * n)
    for y in range(n):
        for x in range(n):
            total = 0.0
            count = 0
            for dy in range(-1, 2):
                for dx in range(-1, 2):
                    yy = y + dy
                    xx = x + dx
                    if 0 <= yy < n and 0 <= xx < n:
                        total += cells[yy * n + xx]
                        count += 1
            out[y * n + x] = total / count
    return out


def stats(cells: list[float]) -> tuple[float, float, float]:
    lo = cells[0]
    hi = cells[0]
    total = 0.0
    for c in cells:
        lo = min(lo, c)
        hi = max(hi, c)
        total += c
    return lo, hi, total / len(cells)


def histogram(cells: list[float], bins: int) -> list[int]:
    counts = [0] * bins
    for c in cells:
        k = int(c * bins)
        if k >= bins:
            k = bins - 1
        counts[k] += 1
    return counts


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else GRID
    cells = make_grid(n)
    for step in range(STEPS):
        cells = smooth(cells, n)
    lo, hi, mean = stats(cells)
    print(f"min={lo:.4f} max={hi:.4f} mean={mean:.4f}")
    print(histogram(cells, 8))


if __name__ == "__main__":
    main()
