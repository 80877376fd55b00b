"""pyrsc's Python package: what compiled files import so that they still run under CPython, and
the ways to compile from Python.

- `NDArray` is `numpy.typing.NDArray` (a spelling pyrsc also reads: `NDArray[np.float64]`).
- `prange` is `range` and `pmap` a list comprehension here; compiled by pyrsc they run in
  parallel (see ARCHITECTURE.md, "Parallel loops"). `num_threads` is accepted and ignored, so
  the same file runs unchanged.
- `build_module(path)`, `build_executable(path)`, `compile_module(source)`: the compiler from
  Python (`pyrsc.build`); `CompileError` carries the rendered diagnostics.
- `%load_ext pyrsc` then `%%pyrsc` in IPython/Jupyter (`pyrsc.magic`).
- `pyrsc.install()`: an import hook that compiles modules marked `# pyrsc: compile`
  (`pyrsc.importer`).

The `pyrsc` command itself is the Rust binary installed next to this package (`pip install .`),
also reachable as `python -m pyrsc`.
"""

from .build import CompileError, build_executable, build_module, compile_module
from .importer import install, uninstall

__version__ = "0.1.0"


def __getattr__(name: str):
    # `from pyrsc import NDArray`: numpy.typing.NDArray, imported only when asked for (the
    # package itself does not need NumPy).
    if name == "NDArray":
        from numpy.typing import NDArray

        return NDArray
    raise AttributeError(f"module 'pyrsc' has no attribute {name!r}")


def prange(*args: int, num_threads: "int | None" = None) -> range:
    """`range(*args)`; pyrsc compiles `for i in prange(...)` to a parallel loop."""
    return range(*args)


def pmap(f, items):
    """`[f(x) for x in items]`; compiled by pyrsc, the calls run in parallel (in order)."""
    return [f(x) for x in items]


def load_ipython_extension(ipython) -> None:
    """`%load_ext pyrsc`: registers the `%%pyrsc` cell magic."""
    from .magic import PyrscMagics

    ipython.register_magics(PyrscMagics)


__all__ = [
    "prange",
    "pmap",
    "build_module",
    "build_executable",
    "compile_module",
    "CompileError",
    "install",
    "uninstall",
    "load_ipython_extension",
]
