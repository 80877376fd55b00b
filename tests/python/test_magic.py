"""The `%%pyrsc` magic in IPython's in-process shell, the import hook, and the package API."""
import importlib
import os
import subprocess
import sys
import sysconfig
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))

import pyrsc  # noqa: E402
from pyrsc.magic import PyrscMagics  # noqa: E402

SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")


@pytest.fixture(scope="module")
def ip(tmp_path_factory):
    os.environ["IPYTHONDIR"] = str(tmp_path_factory.mktemp("ipython"))
    from IPython.testing.globalipapp import get_ipython

    shell = get_ipython()
    shell.run_line_magic("load_ext", "pyrsc")
    return shell


def unique() -> str:
    """A fresh constant, so that a cell is new to the cache."""
    return str(uuid.uuid4().int % 10**12)


def test_cell_defines_its_public_names(ip):
    n = unique()
    ip.run_cell_magic("pyrsc", "", f"LIMIT = {n}\n\n\ndef add(a: int, b: int = 1) -> int:\n    return a + b\n\n\ndef _hidden() -> int:\n    return 0\n")
    assert PyrscMagics.last_outcome == "built"
    assert ip.user_ns["add"](2) == 3
    assert ip.user_ns["LIMIT"] == int(n)
    assert ip.user_ns["add"].__module__.startswith("_pyrsc_cell_")
    assert "_hidden" not in ip.user_ns


def test_cell_with_a_dataclass_and_a_generator(ip):
    n = int(unique())
    cell = (
        "from dataclasses import dataclass\n"
        "from typing import Iterator\n\n\n"
        "@dataclass\nclass P:\n    x: int\n    y: int\n\n\n"
        "def _points(n: int) -> Iterator[P]:\n    for i in range(n):\n        yield P(i, " + str(n) + ")\n\n\n"
        "def total(n: int) -> int:\n    return sum(p.x + p.y for p in _points(n))\n"
    )
    ip.run_cell_magic("pyrsc", "", cell)
    assert PyrscMagics.last_outcome == "built"
    assert ip.user_ns["total"](3) == 3 + 3 * n


def test_unchanged_cell_is_a_cache_hit_and_a_changed_one_a_new_module(ip):
    n = unique()
    cell = f"def k() -> int:\n    return {n}\n"
    ip.run_cell_magic("pyrsc", "", cell)
    first = ip.user_ns["k"]
    ip.run_cell_magic("pyrsc", "", cell)
    assert PyrscMagics.last_outcome == "hit"
    assert ip.user_ns["k"] is first
    ip.run_cell_magic("pyrsc", "", cell.replace(n, n + "1"))
    assert PyrscMagics.last_outcome == "built"
    assert ip.user_ns["k"]() == int(n + "1")
    assert ip.user_ns["k"].__module__ != first.__module__


def test_force_rebuilds(ip):
    cell = f"def f() -> int:\n    return {unique()}\n"
    ip.run_cell_magic("pyrsc", "", cell)
    ip.run_cell_magic("pyrsc", "-f", cell)
    assert PyrscMagics.last_outcome == "built"


def test_rejected_cell_shows_diagnostics_with_cell_lines(ip, capsys):
    result = ip.run_cell(f"%%pyrsc\nX = {unique()}\n\n\ndef bad(a: int) -> int:\n    return a + 'x'\n")
    assert result.error_in_exec is not None
    shown = capsys.readouterr()
    text = shown.out + shown.err
    assert "error[type-mismatch]" in text
    assert "<cell>:5:12" in text
    assert "Traceback" not in text
    assert "help:" in text


def test_runtime_exceptions_are_python_exceptions(ip):
    ip.run_cell_magic("pyrsc", "", f"def div(a: int, b: int) -> int:\n    return a // b + {unique()}\n")
    with pytest.raises(ZeroDivisionError):
        ip.user_ns["div"](1, 0)


def test_emit_shows_highlighted_rust(ip, capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shown = []
    original = InteractiveShell.display_pub_class
    import IPython.display

    real_display = IPython.display.display
    IPython.display.display = lambda *objects, **kw: shown.extend(objects)
    try:
        ip.run_cell_magic("pyrsc", "--emit", f"def sq(x: float) -> float:\n    return x * x + {unique()}.0\n")
    finally:
        IPython.display.display = real_display
    assert InteractiveShell.display_pub_class is original
    html = shown[0].data
    assert "py_sq" in html and "<span" in html


def test_debug_name_and_threads_options(ip):
    name = f"named_{unique()}"
    cell = "from pyrsc import prange\n\n\ndef total(n: int) -> int:\n    s = 0\n    for i in prange(n):\n        s += i\n    return s\n"
    ip.run_cell_magic("pyrsc", f"--debug --name {name} --threads 2", cell)
    assert ip.user_ns["total"](1000) == 499500
    assert ip.user_ns["total"].__module__ == name
    with pytest.raises(Exception, match="already loaded"):
        ip.run_cell_magic("pyrsc", f"--name {name}", cell.replace("s += i", "s += 2 * i"))


def test_compile_module_and_build_api(tmp_path):
    module = pyrsc.compile_module(f"def twice(x: int) -> int:\n    return 2 * x + {unique()} * 0\n")
    assert module.twice(21) == 42
    with pytest.raises(pyrsc.CompileError, match="type-mismatch"):
        pyrsc.compile_module("def bad() -> int:\n    return 'x'\n")
    script = tmp_path / "hello.py"
    script.write_text("print('hello from pyrsc')\n")
    binary = pyrsc.build_executable(script)
    assert subprocess.run([str(binary)], capture_output=True, text=True).stdout == "hello from pyrsc\n"
    library = pyrsc.build_module(script.with_name("hello.py"), tmp_path / "out")
    assert library.name == "hello" + SUFFIX and library.is_file()


def test_import_hook_compiles_only_marked_modules(tmp_path, monkeypatch):
    tag = unique()
    (tmp_path / f"fast_{tag}.py").write_text("# pyrsc: compile\n\n\ndef cube(x: int) -> int:\n    return x * x * x\n")
    (tmp_path / f"plain_{tag}.py").write_text("def cube(x):\n    return x ** 3\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    pyrsc.install()
    try:
        fast = importlib.import_module(f"fast_{tag}")
        plain = importlib.import_module(f"plain_{tag}")
    finally:
        pyrsc.uninstall()
    assert fast.__file__.endswith(SUFFIX) and fast.cube(3) == 27
    assert plain.__file__.endswith(".py") and plain.cube(3) == 27


def test_python_dash_m_runs_the_command():
    result = subprocess.run([sys.executable, "-m", "pyrsc", "--version"], capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT / "python")))
    assert result.returncode == 0 and result.stdout.startswith("pyrsc ")
