"""Parallel float reduction: a midpoint-rule integral of 4/(1+x^2) (pi), summed with prange."""
import sys

from pyrsc import prange


def integrate(n: int) -> float:
    h = 1.0 / n
    total = 0.0
    for i in prange(n):
        x = (i + 0.5) * h
        total += 4.0 / (1.0 + x * x)
    return total * h


n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
print(f"{integrate(n):.10f}")
