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
    assert "f__sq" in html and "<span" in html


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


def damage_notes(text: str) -> list:
    return [line for line in text.splitlines() if "is damaged" in line]


def truncate(path: Path) -> None:
    """Cuts `path` to 4 kB; a new file takes its place, so that a process that has it loaded
    (this one, for a cell) keeps its intact mapping instead of dying with SIGBUS."""
    cut = path.with_name(path.name + ".cut")
    cut.write_bytes(path.read_bytes()[:4096])
    os.replace(cut, path)


def test_damaged_cell_module_is_rebuilt(ip, capsys):
    n = unique()
    cell = f"def g() -> int:\n    return {n}\n"
    ip.run_cell_magic("pyrsc", "", cell)
    (library,) = pyrsc.magic.cell_cache_dir().glob(f"*/{ip.user_ns['g'].__module__}{SUFFIX}")
    truncate(library)
    capsys.readouterr()
    ip.run_cell_magic("pyrsc", "", cell)
    assert PyrscMagics.last_outcome == "built"
    notes = damage_notes(capsys.readouterr().err)
    assert len(notes) == 1 and notes[0].startswith(f"pyrsc: the cached module {library} is damaged (it has 4096 bytes")
    assert ip.user_ns["g"]() == int(n)
    ip.run_cell_magic("pyrsc", "", cell)
    assert PyrscMagics.last_outcome == "hit"


def run_python(code: str, *args: str, path=()) -> subprocess.CompletedProcess:
    """Runs `code` in a fresh interpreter (a module loaded here cannot be loaded again)."""
    pythonpath = os.pathsep.join([str(ROOT / "python"), *map(str, path)])
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=pythonpath))


def test_damaged_compiled_module_is_rebuilt_not_loaded(tmp_path):
    """A truncated extension module must never be imported (it can die with SIGBUS): both the
    package's copy and the pyrsc binary's cache entry are checked and rebuilt."""
    source = f"def triple(x: int) -> int:\n    return 3 * x + {unique()} * 0\n"
    (tmp_path / "source.py").write_text(source)
    code = "import sys, pyrsc\nprint(pyrsc.compile_module(open(sys.argv[1]).read()).triple(14))\n"
    first = run_python(code, str(tmp_path / "source.py"))
    assert first.returncode == 0 and first.stdout == "42\n", first.stderr
    assert damage_notes(first.stderr) == []
    key = pyrsc.build.content_key(source, "release")
    library = pyrsc.build.cache_dir() / key[:2] / key / f"_pyrsc_{key[:16]}{SUFFIX}"
    (entry,) = (pyrsc.build.cache_dir().parent / "programs").glob(f"*/{library.name}")
    truncate(library)
    truncate(entry)
    second = run_python(code, str(tmp_path / "source.py"))
    assert second.returncode == 0 and second.stdout == "42\n", second.stderr
    notes = damage_notes(second.stderr)
    assert len(notes) == 2, second.stderr
    assert notes[0].startswith(f"pyrsc: the cached module {library} is damaged (it has 4096 bytes")
    assert notes[1].startswith("pyrsc: the cached build of ") and "has 4096 bytes" in notes[1]
    third = run_python(code, str(tmp_path / "source.py"))
    assert third.returncode == 0 and third.stdout == "42\n" and damage_notes(third.stderr) == [], third.stderr


def test_import_hook_rebuilds_a_damaged_module(tmp_path):
    name = f"hooked_{unique()}"
    (tmp_path / f"{name}.py").write_text("# pyrsc: compile\n\n\ndef square(x: int) -> int:\n    return x * x\n")
    code = f"import pyrsc\npyrsc.install()\nimport {name}\nprint({name}.square(9))\n"
    first = run_python(code, path=[tmp_path])
    assert first.returncode == 0 and first.stdout == "81\n", first.stderr
    (library,) = (pyrsc.build.cache_dir() / "imports").glob(f"*/*/{name}{SUFFIX}")
    truncate(library)
    second = run_python(code, path=[tmp_path])
    assert second.returncode == 0 and second.stdout == "81\n", second.stderr
    assert len(damage_notes(second.stderr)) == 1 and damage_notes(second.stderr)[0].startswith(f"pyrsc: the cached module {library} is damaged")


def test_python_dash_m_runs_the_command():
    result = subprocess.run([sys.executable, "-m", "pyrsc", "--version"], capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT / "python")))
    assert result.returncode == 0 and result.stdout.startswith("pyrsc ")
