"""binary-trees (the Benchmarks Game allocation test) with a Node class."""
import sys


class Node:
    def __init__(self, left: "Node | None", right: "Node | None") -> None:
        self.left = left
        self.right = right

    def check(self) -> int:
        if self.left is None or self.right is None:
            return 1
        return 1 + self.left.check() + self.right.check()


def make(depth: int) -> Node:
    if depth == 0:
        return Node(None, None)
    return Node(make(depth - 1), make(depth - 1))


def main(n: int) -> None:
    max_depth = max(6, n)
    stretch = max_depth + 1
    print(f"stretch tree of depth {stretch}\t check: {make(stretch).check()}")
    long_lived = make(max_depth)
    for depth in range(4, max_depth + 1, 2):
        iterations = 2 ** (max_depth - depth + 4)
        check = 0
        for _ in range(iterations):
            check += make(depth).check()
        print(f"{iterations}\t trees of depth {depth}\t check: {check}")
    print(f"long lived tree of depth {max_depth}\t check: {long_lived.check()}")


main(int(sys.argv[1]))
