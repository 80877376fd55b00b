#!/usr/bin/env python3
"""Extension-module benchmarks: NumPy kernels compiled by pyrsc, called from Python.

Usage: python3 bench/modules.py [--quick]

Each kernel of bench/programs/kernels.py runs (1) as pure Python under CPython, (2) compiled
by `pyrsc build --module` and called on NumPy arrays, (3) as NumPy's own vectorised
equivalent where there is one, and (4) as hand-written Rust (bench/rust/kernels.rs) over the
same data, all in one run; times are the best of several calls (CPython once). Also prints the
cost of calling a compiled scalar function against a CPython builtin call. Needs numpy.
"""
import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"


def best(f, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small arrays (a smoke test, not a measurement)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    rows, cols = (120, 100) if args.quick else (1200, 1000)

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    pyrsc = ROOT / "target" / "release" / "pyrsc"
    OUT.mkdir(exist_ok=True)
    source = BENCH / "programs" / "kernels.py"
    subprocess.run([pyrsc, "build", "--module", source, "-o", OUT, "--python", sys.executable], check=True)
    compiled = load("kernels", OUT / ("kernels" + sysconfig.get_config_var("EXT_SUFFIX")))
    sys.path.insert(0, str(ROOT / "python"))  # `from pyrsc import prange` for the pure module
    pure = load("pure_kernels", source)
    reference = OUT / "kernels_rust"
    rustc = shutil.which("rustc") or "rustc"
    subprocess.run([rustc, "--edition=2021", "-C", "opt-level=3", "-C", "codegen-units=1", BENCH / "rust" / "kernels.rs", "-o", reference], check=True)
    rust_out = subprocess.run([reference, str(rows), str(cols), str(args.repeat)], check=True, capture_output=True, text=True).stdout
    rust = {line.split()[0]: (float(line.split()[1]), float(line.split()[2])) for line in rust_out.splitlines()}

    i, j = np.indices((rows, cols))
    a = ((i * 7 + j * 13) % 101) / 101.0
    v = ((np.arange(cols) * 13) % 101) / 101.0
    long = (np.arange(rows * cols) % 101) / 101.0
    out = np.zeros(rows)
    grid = np.zeros((rows, cols))

    def numpy_stencil():
        grid[1:-1, 1:-1] = 0.25 * (a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:]) - a[1:-1, 1:-1]

    kernels = [
        ("row_sums", lambda m: m.row_sums(a, out), lambda: np.sum(a, axis=1, out=out), lambda: out.sum()),
        ("matvec", lambda m: m.matvec(a, v, out), lambda: np.matmul(a, v, out=out), lambda: out.sum()),
        ("stencil", lambda m: m.stencil(a, grid), numpy_stencil, lambda: grid.sum()),
        ("sum_squares", lambda m: m.sum_squares(long), lambda: np.dot(long, long), None),
    ]
    print(f"{rows}x{cols} float64 ({rows * cols} elements); best of {args.repeat} calls, CPython once")
    print(f"{'kernel':<12} {'CPython s':>10} {'pyrsc s':>9} {'numpy s':>9} {'Rust s':>9} {'vs CPython':>11} {'vs Rust':>8} {'vs numpy':>9}")
    for name, call, vectorised, checksum in kernels:
        t_py = best(lambda: call(pure), 1)
        want = checksum() if checksum else call(pure)
        t_pyrsc = best(lambda: call(compiled), args.repeat)
        got = checksum() if checksum else call(compiled)
        t_numpy = best(vectorised, args.repeat)
        t_rust, rust_check = rust[name]
        if not (np.isclose(got, want, rtol=1e-9) and np.isclose(rust_check, want, rtol=1e-9)):
            sys.exit(f"{name}: results differ: CPython {want}, pyrsc {got}, Rust {rust_check}")
        print(f"{name:<12} {t_py:>10.3f} {t_pyrsc:>9.5f} {t_numpy:>9.5f} {t_rust:>9.5f} {t_py / t_pyrsc:>10.0f}x {t_pyrsc / t_rust:>7.2f}x {t_pyrsc / t_numpy:>8.2f}x")

    cores = os.cpu_count() or 1
    def blur(threads):
        compiled.parallel_blur(a, grid, threads)  # starts that pool's threads (once per process)
        return best(lambda: compiled.parallel_blur(a, grid, threads), 2 * args.repeat)

    serial = blur(1)
    parallel = {k: blur(k) for k in sorted({2, cores})}
    scaling = ", ".join(f"{k} threads {serial / t:.2f}x" for k, t in parallel.items())
    print(f"7x7 blur with prange ({cores} cores): 1 thread {serial:.4f} s; speed-up: {scaling}")

    n = 200_000
    loop = best(lambda: [None for _ in range(n)], args.repeat)
    builtin = best(lambda: [abs(1.0) for _ in range(n)], args.repeat) - loop
    identity = compiled.identity
    call = best(lambda: [identity(1.0) for _ in range(n)], args.repeat) - loop
    print(f"per-call cost (loop subtracted): pyrsc scalar function {call / n * 1e9:.0f} ns, CPython builtin abs() {builtin / n * 1e9:.0f} ns: {call / builtin:.2f}x")


if __name__ == "__main__":
    main()
