"""Extension modules (`pyrsc build --module`), compared with the same file run by CPython.

Every `fixtures/modules/NAME.py` is compiled once per session; `fixtures/modules/calls/NAME.py`
lists the calls to make (`CALLS`): each runs on fresh arguments against the compiled module and
against the pure-Python module, and the results (value and type, or exception type and
message), the printed output and the arguments afterwards (in-place changes) must agree.
`REJECTED` lists calls that the typed boundary refuses where duck-typed CPython would go on:
the compiled module must raise the given exception with the given message.
"""
import contextlib
import importlib.util
import io
import subprocess
import sys
import sysconfig
import threading
import time
import traceback
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
# The pure-Python side imports `pyrsc` (prange) from the repository's package.
sys.path.insert(0, str(ROOT / "python"))
MODULES = ROOT / "fixtures" / "modules"
SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")


def build_module(source: Path, out_dir: Path) -> Path:
    result = subprocess.run(
        ["pyrsc", "build", "--module", str(source), "-o", str(out_dir), "--python", sys.executable],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return out_dir / (source.stem + SUFFIX)


def load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("modules")
    return {source.stem: build_module(source, out_dir) for source in sorted(MODULES.glob("*.py"))}


def fixture_names():
    return sorted(p.stem for p in MODULES.glob("*.py"))


def pair(built, name):
    compiled = load(name, built[name])
    pure = load(f"pure_{name}", MODULES / f"{name}.py")
    calls = load(f"calls_{name}", MODULES / "calls" / f"{name}.py")
    return compiled, pure, calls


def plain(value):
    """NumPy scalars as the Python values compiled code returns."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)
    a, b = plain(a), plain(b)
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b


def outcome(function, make_args):
    args, kwargs = make_args()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            result = function(*args, **kwargs)
            error = None
        except Exception as exc:  # noqa: BLE001 - the exception is what is compared
            result, error = None, (type(exc), str(exc))
    returned_argument = [i for i, a in enumerate(args) if result is a and isinstance(a, (list, dict, set, np.ndarray))]
    return result, error, out.getvalue(), args, kwargs, returned_argument


@pytest.mark.parametrize("name", fixture_names())
def test_compiled_module_matches_cpython(built, name):
    compiled, pure, calls = pair(built, name)
    assert calls.CALLS, "a module fixture needs calls"
    for function_name, make_args in calls.CALLS:
        want = outcome(getattr(pure, function_name), make_args)
        got = outcome(getattr(compiled, function_name), make_args)
        label = f"{name}.{function_name}{make_args()[0]!r}"
        assert got[1] == want[1], f"{label}: exception {got[1]} != CPython's {want[1]}"
        assert same(got[0], want[0]), f"{label}: returned {got[0]!r} != CPython's {want[0]!r}"
        assert got[2] == want[2], f"{label}: printed {got[2]!r} != CPython's {want[2]!r}"
        assert all(same(x, y) for x, y in zip(got[3], want[3])), f"{label}: arguments after the call {got[3]!r} != CPython's {want[3]!r}"
        assert got[5] == want[5], f"{label}: returns its argument object: {got[5]} != CPython's {want[5]}"
    for constant in getattr(calls, "CONSTANTS", []):
        assert same(getattr(compiled, constant), getattr(pure, constant)), constant


@pytest.mark.parametrize("name", fixture_names())
def test_typed_boundary_rejects_with_named_parameter(built, name):
    compiled, _, calls = pair(built, name)
    for function_name, make_args, exception, message in getattr(calls, "REJECTED", []):
        args, kwargs = make_args()
        with pytest.raises(exception) as info:
            getattr(compiled, function_name)(*args, **kwargs)
        assert str(info.value).startswith(message), f"{function_name}: {info.value}"


def test_exports_public_functions_with_signatures_and_docs(built):
    import inspect

    scalars = load("scalars", built["scalars"])
    assert str(inspect.signature(scalars.add)) == "(a, b=2)"
    assert str(inspect.signature(scalars.maybe_double)) == "(x=None)"
    assert scalars.add.__doc__ == "Add two ints (b defaults to 2)."
    assert scalars.__doc__.startswith("Scalar arguments")
    assert not hasattr(scalars, "_hidden")
    assert scalars.NAME == "scalars" and scalars.LIMIT == 100


def test_argument_errors_use_cpythons_wording(built):
    scalars = load("scalars", built["scalars"])
    cases = [
        (lambda: scalars.add(1, 2, 3), "add() takes from 1 to 2 positional arguments but 3 were given"),
        (lambda: scalars.add(), "add() missing 1 required positional argument: 'a'"),
        (lambda: scalars.average(), "average() missing 2 required positional arguments: 'a' and 'b'"),
        (lambda: scalars.add(1, a=2), "add() got multiple values for argument 'a'"),
        (lambda: scalars.add(1, c=2), "add() got an unexpected keyword argument 'c'"),
    ]
    for call, message in cases:
        with pytest.raises(TypeError) as info:
            call()
        assert str(info.value) == message


def test_traceback_names_the_python_file_and_lines(built):
    scalars = load("scalars", built["scalars"])
    with pytest.raises(ValueError) as info:
        scalars.parse("x")
    frames = traceback.extract_tb(info.value.__traceback__)
    assert frames[-1].filename == str(MODULES / "scalars.py")
    assert frames[-1].name == "parse"
    assert frames[-1].lineno == (MODULES / "scalars.py").read_text().splitlines().index("    return int(text)") + 1


def test_exception_chains_reach_python(built):
    scalars = load("scalars", built["scalars"])
    with pytest.raises(RuntimeError) as info:
        scalars.strict_parse("seven")
    cause = info.value.__cause__
    assert isinstance(cause, ValueError) and str(cause) == "invalid literal for int() with base 10: 'seven'"
    assert info.value.__suppress_context__
    with pytest.raises(ZeroDivisionError) as info:
        scalars.failing_handler("q")
    assert isinstance(info.value.__context__, ValueError) and info.value.__cause__ is None
    rendered = "".join(traceback.format_exception(info.value))
    assert "During handling of the above exception, another exception occurred" in rendered
    assert "return int(text)" in rendered


def test_all_limits_the_exports(tmp_path):
    source = tmp_path / "limited.py"
    source.write_text('__all__ = ["kept"]\n\n\ndef kept() -> int:\n    return 1\n\n\ndef dropped() -> int:\n    return 2\n')
    module = load("limited", build_module(source, tmp_path))
    assert module.kept() == 1
    assert not hasattr(module, "dropped")


def test_default_output_is_beside_the_source(tmp_path):
    source = tmp_path / "beside.py"
    source.write_text("def one() -> int:\n    return 1\n")
    subprocess.run(["pyrsc", "build", "--module", str(source), "--python", sys.executable], check=True)
    assert (tmp_path / ("beside" + SUFFIX)).is_file()


def test_rejected_module_reports_a_located_error(tmp_path):
    source = tmp_path / "untyped.py"
    source.write_text("def f(x) -> int:\n    return 1\n")
    result = subprocess.run(["pyrsc", "build", "--module", str(source)], capture_output=True, text=True)
    assert result.returncode == 1
    assert f"{source}:1:7" in result.stderr and "help:" in result.stderr


def test_threads_changing_one_list_lose_no_update(built):
    """A function that changes a list argument works on a copy written back after the call; it
    keeps the GIL, so calls from several threads on one list all land, as in CPython."""
    compiled = load("containers", built["containers"])
    shared: list[int] = []
    threads = [threading.Thread(target=compiled.append_range, args=(shared, 1000 * k, 500)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(shared) == 8 * 500
    assert sorted(shared) == sorted(1000 * k + i for k in range(8) for i in range(500))


def test_gil_is_released_during_compiled_work(tmp_path):
    """A Python thread keeps running while a compiled loop runs; it stalls while a compiled
    function that uses module state (and so keeps the GIL) runs for as long."""
    source = tmp_path / "spin.py"
    source.write_text(
        "STEP = [1]\n\n\n"
        "def spin(n: int) -> int:\n    s = 0\n    for i in range(n):\n        s = (s * 31 + i) % 1000003\n    return s\n\n\n"
        "def spin_with_state(n: int) -> int:\n    s = 0\n    for i in range(n):\n        s = (s * 31 + i * STEP[0]) % 1000003\n    return s\n"
    )
    spin = load("spin", build_module(source, tmp_path))
    n = 1
    while True:  # calibrate to ~0.2 s
        start = time.perf_counter()
        spin.spin(n)
        if time.perf_counter() - start > 0.2:
            break
        n *= 2

    def counted(function):
        counter = [0]
        stop = threading.Event()

        def count():
            while not stop.is_set():
                counter[0] += 1

        thread = threading.Thread(target=count)
        thread.start()
        time.sleep(0.02)
        before = counter[0]
        function(n)
        during = counter[0] - before
        stop.set()
        thread.join()
        return during

    released = counted(spin.spin)
    held = counted(spin.spin_with_state)
    assert released > 10 * held + 1000, (released, held)
