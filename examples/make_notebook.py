#!/usr/bin/env python3
"""Writes examples/pyrsc_notebook.ipynb (run it after changing the cells below)."""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CELLS = [
    new_markdown_cell("# pyrsc in a notebook\n\n`%%pyrsc` compiles a cell into a native module, imports it and defines its public names here. The first cell ever builds pyrsc's runtime (about a minute, once); after that a small cell compiles in well under a second, and an unchanged cell is a cache hit, also after a kernel restart."),
    new_code_cell("%load_ext pyrsc"),
    new_code_cell("%%pyrsc\ndef fib(n: int) -> int:\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a"),
    new_code_cell("fib(90)"),
    new_markdown_cell("NumPy arrays are passed without copying, and `prange` runs rows in parallel with the GIL released:"),
    new_code_cell(
        "%%pyrsc\nimport numpy as np\nfrom numpy.typing import NDArray\nfrom pyrsc import prange\n\n\n"
        "def blur(a: NDArray[np.float64]) -> NDArray[np.float64]:\n    out = np.zeros_like(a)\n"
        "    for i in prange(1, a.shape[0] - 1):\n        for j in range(1, a.shape[1] - 1):\n"
        "            out[i, j] = 0.25 * (a[i - 1, j] + a[i + 1, j] + a[i, j - 1] + a[i, j + 1])\n    return out"
    ),
    new_code_cell("import numpy as np\n\ngrid = np.random.default_rng(0).random((500, 400))\nsmooth = blur(grid)\nprint(smooth.shape, round(float(smooth[1:-1, 1:-1].mean()), 3))"),
    new_markdown_cell("A cell pyrsc cannot compile shows where and why, with the cell's line numbers:"),
    new_code_cell("%%pyrsc\ndef half(x: int) -> int:\n    return x / 2"),
    new_markdown_cell("`--emit` shows the generated Rust; `-f` rebuilds; `--debug` builds faster, unoptimised; `--threads N` sets the threads of `prange`."),
    new_code_cell("%%pyrsc --emit\ndef square(x: float) -> float:\n    return x * x"),
]


def main() -> None:
    notebook = new_notebook(cells=CELLS, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    target = Path(__file__).resolve().parent / "pyrsc_notebook.ipynb"
    nbformat.write(notebook, target)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
