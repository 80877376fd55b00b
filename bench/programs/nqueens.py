"""Count the solutions of the n-queens problem by backtracking over lists."""
import sys


def place(row: int, n: int, cols: list[bool], diag1: list[bool], diag2: list[bool]) -> int:
    if row == n:
        return 1
    count = 0
    for c in range(n):
        d1 = row + c
        d2 = row - c + n - 1
        if not cols[c] and not diag1[d1] and not diag2[d2]:
            cols[c] = True
            diag1[d1] = True
            diag2[d2] = True
            count += place(row + 1, n, cols, diag1, diag2)
            cols[c] = False
            diag1[d1] = False
            diag2[d2] = False
    return count


def solve(n: int) -> int:
    return place(0, n, [False] * n, [False] * (2 * n), [False] * (2 * n))


n = int(sys.argv[1]) if len(sys.argv) > 1 else 9
print(solve(n))
