"""The pyrsc Python package and the command line, as a user meets them."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python"))

import pyrsc  # noqa: E402


def test_prange_is_range_under_cpython():
    assert pyrsc.prange(2, 10, 3) == range(2, 10, 3)
    assert list(pyrsc.prange(5, num_threads=4)) == [0, 1, 2, 3, 4]


def test_pmap_is_an_ordered_map_under_cpython():
    assert pyrsc.pmap(lambda x: x * x, [3, 1, 2]) == [9, 1, 4]
    assert pyrsc.pmap(str, []) == []


def test_example_builds_and_runs(tmp_path):
    example = ROOT / "examples" / "mandelbrot.py"
    binary = tmp_path / "mandelbrot"
    subprocess.run(["pyrsc", "build", str(example), "-o", str(binary)], check=True)
    compiled = subprocess.run([str(binary), "20"], check=True, capture_output=True, text=True).stdout
    env = dict(os.environ, PYTHONPATH=str(ROOT / "python"))
    interpreted = subprocess.run([sys.executable, str(example), "20"], check=True, capture_output=True, text=True, env=env).stdout
    assert compiled == interpreted
    assert compiled.count("\n") == 20


def test_rejected_program_exits_1_with_a_located_error(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("x: int = 'text'\n")
    result = subprocess.run(["pyrsc", "check", str(bad)], capture_output=True, text=True)
    assert result.returncode == 1
    assert f"{bad}:1:1" in result.stderr
    assert "help:" in result.stderr


def test_usage_error_exits_2():
    result = subprocess.run(["pyrsc", "build"], capture_output=True, text=True)
    assert result.returncode == 2


def test_run_passes_arguments_and_exit_status(tmp_path):
    script = tmp_path / "args.py"
    script.write_text("import sys\nprint(len(sys.argv), sys.argv[1])\nsys.exit(int(sys.argv[1]))\n")
    result = subprocess.run(["pyrsc", "run", str(script), "--", "4"], capture_output=True, text=True)
    assert result.returncode == 4
    assert result.stdout == "2 4\n"


def test_installed_package_and_command():
    """`pip install .` (done by scripts/test.sh) puts the command next to the interpreter and
    the package in site-packages; `python -m pyrsc` runs the same command."""
    import importlib.metadata
    import sysconfig

    assert importlib.metadata.version("pyrsc") == pyrsc.__version__
    scripts = Path(sysconfig.get_path("scripts"))
    assert (scripts / "pyrsc").is_file()
    version = subprocess.run([str(scripts / "pyrsc"), "--version"], check=True, capture_output=True, text=True).stdout
    assert version.strip() == f"pyrsc {pyrsc.__version__}"
    outside = subprocess.run([sys.executable, "-m", "pyrsc", "--version"], check=True, capture_output=True, text=True, cwd="/", env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert outside.stdout == version
