"""Overhead of tiny parallel loops: `reps` prange loops of 1000 iterations that do almost nothing."""
import sys

from pyrsc import prange


def tiny(reps: int) -> int:
    total = 0
    for _ in range(reps):
        for i in prange(1000):
            total += i & 1
    return total


print(tiny(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
