"""Sieve of Eratosthenes: the number of primes below a limit, and their sum."""
import sys


def sieve(limit: int) -> list[bool]:
    is_prime = [True] * limit
    is_prime[0] = False
    is_prime[1] = False
    i = 2
    while i * i < limit:
        if is_prime[i]:
            for j in range(i * i, limit, i):
                is_prime[j] = False
        i += 1
    return is_prime


def main() -> None:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 3000000
    flags = sieve(limit)
    count = 0
    total = 0
    for k in range(limit):
        if flags[k]:
            count += 1
            total += k
    print(count, total)


main()
