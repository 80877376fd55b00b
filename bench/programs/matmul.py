"""Matrix multiply on list[list[float]] (the data-model numeric benchmark)."""
import sys


def make(n: int, seed: float) -> list[list[float]]:
    return [[(i * n + j) % 7 * seed - 1.0 for j in range(n)] for i in range(n)]


def matmul(a: list[list[float]], b: list[list[float]], n: int) -> list[list[float]]:
    c = [[0.0] * n for _ in range(n)]
    for i in range(n):
        row_a = a[i]
        row_c = c[i]
        for k in range(n):
            aik = row_a[k]
            row_b = b[k]
            for j in range(n):
                row_c[j] += aik * row_b[j]
    return c


n = int(sys.argv[1]) if len(sys.argv) > 1 else 120
c = matmul(make(n, 0.5), make(n, 0.25), n)
print(f"{sum(sum(row) for row in c):.6f} {c[n // 2][n // 3]:.6f}")
