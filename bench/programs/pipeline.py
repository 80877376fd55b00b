"""A stream pipeline of generators kept as values: numbers -> odd ones -> running maximum,
pulled by next() and a for loop (each stage resumes the one before it)."""
import sys
from typing import Iterator


def numbers(n: int) -> Iterator[int]:
    x = 12345
    for _ in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        yield x % 1000


def keep_odd(source: Iterator[int]) -> Iterator[int]:
    for v in source:
        if v % 2 == 1:
            yield v


def running_max(source: Iterator[int]) -> Iterator[int]:
    best = -1
    for v in source:
        if v > best:
            best = v
        yield best


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    stream = running_max(keep_odd(numbers(n)))
    first = next(stream)
    total = first
    count = 1
    for v in stream:
        total += v
        count += 1
    print(first, count, total)


main()
