"""`%%pyrsc` in a real Jupyter kernel (nbclient): the example notebook runs, and a notebook
with a numeric cell, a NumPy + prange cell, a cell with a type error and a repeated cell shows
what a user would see."""
import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def kernel_env(tmp_path, monkeypatch):
    """The kernel imports the repository's package and keeps its cell cache in a fresh IPython
    directory (it inherits this environment)."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT / "python"), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    return tmp_path


def execute(notebook, directory):
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=True, resources={"metadata": {"path": str(directory)}})
    client.execute()
    return notebook


def text_of(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            parts.append(output.data.get("text/plain", ""))
            parts.append(output.data.get("text/html", ""))
        elif output.output_type == "error":
            parts.append(output.ename + ": " + output.evalue + "\n" + "\n".join(output.traceback))
    return "".join(parts)


def test_cells_compile_run_fail_clearly_and_hit_the_cache(kernel_env):
    cells = [
        "%load_ext pyrsc",
        "%%pyrsc\ndef fib(n: int) -> int:\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a",
        "print(fib(90))",
        "%%pyrsc\nimport numpy as np\nfrom numpy.typing import NDArray\nfrom pyrsc import prange\n\n\ndef total(a: NDArray[np.float64]) -> float:\n    s = 0.0\n    for i in prange(a.shape[0]):\n        s += a[i]\n    return s",
        "import numpy as np\nprint(total(np.arange(1000.0)))",
        "%%pyrsc\ndef half(x: int) -> int:\n    return x / 2",
        "%%pyrsc\ndef fib(n: int) -> int:\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a",
        "from pyrsc.magic import PyrscMagics\nprint(PyrscMagics.last_outcome)",
    ]
    notebook = execute(new_notebook(cells=[new_code_cell(c) for c in cells]), kernel_env)
    out = [text_of(c) for c in notebook.cells]
    assert out[2].strip() == "2880067194370816120"
    assert out[4].strip() == "499500.0"
    assert "error[type-mismatch]" in out[5] and "<cell>:2:12" in out[5] and "help:" in out[5]
    assert "Traceback" not in out[5] and "pyrsc/magic.py" not in out[5]
    assert out[7].strip() == "hit"


def test_example_notebook_runs(kernel_env):
    notebook = execute(nbformat.read(ROOT / "examples" / "pyrsc_notebook.ipynb", as_version=4), kernel_env)
    outputs = {i: text_of(c) for i, c in enumerate(notebook.cells) if c.cell_type == "code"}
    errors = [i for i, c in enumerate(notebook.cells) if any(o.output_type == "error" for o in c.get("outputs", []))]
    assert len(errors) == 1 and "error[type-mismatch]" in outputs[errors[0]], outputs
    assert "2880067194370816120" in outputs[3]
    assert "(500, 400)" in outputs[6]
    assert "f__square" in outputs[10]
