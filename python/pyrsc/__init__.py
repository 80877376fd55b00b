"""pyrsc's Python package: what compiled programs import, so that they still run under CPython.

`prange` is `range` here; compiled by pyrsc it becomes a parallel loop (see ARCHITECTURE.md,
"Parallel loops"). `num_threads` is accepted and ignored, so the same file runs unchanged.
"""


def prange(*args: int, num_threads: "int | None" = None) -> range:
    """`range(*args)`; pyrsc compiles `for i in prange(...)` to a parallel loop."""
    return range(*args)


__all__ = ["prange"]
