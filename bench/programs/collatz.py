"""Integer-heavy loop: the longest Collatz chain below a limit."""
import sys


def chain_length(n: int) -> int:
    steps = 1
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def longest(limit: int) -> tuple[int, int]:
    best = 1
    best_len = 1
    for start in range(1, limit):
        length = chain_length(start)
        if length > best_len:
            best = start
            best_len = length
    return best, best_len


limit = int(sys.argv[1]) if len(sys.argv) > 1 else 300000
start, length = longest(limit)
print(start, length)
