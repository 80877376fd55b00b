"""pyrsc's Python package: what compiled programs import, so that they still run under CPython.

`prange` is `range` here; compiled by pyrsc it becomes a parallel loop.
"""

prange = range

__all__ = ["prange"]
