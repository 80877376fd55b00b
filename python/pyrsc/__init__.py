"""pyrsc's Python package: what compiled programs import, so that they still run under CPython.

`prange` is `range` and `pmap` a list comprehension here; compiled by pyrsc they run in
parallel (see ARCHITECTURE.md, "Parallel loops"). `num_threads` is accepted and ignored, so the
same file runs unchanged.
"""


def prange(*args: int, num_threads: "int | None" = None) -> range:
    """`range(*args)`; pyrsc compiles `for i in prange(...)` to a parallel loop."""
    return range(*args)


def pmap(f, items):
    """`[f(x) for x in items]`; compiled by pyrsc, the calls run in parallel (in order)."""
    return [f(x) for x in items]


__all__ = ["prange", "pmap"]
