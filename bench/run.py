#!/usr/bin/env python3
"""pyrsc benchmarks: each program under CPython, compiled by pyrsc, and as hand-written Rust.

Usage: python3 bench/run.py [--quick] [NAME ...]

Whole-process wall time, best of several runs (CPython once unless --repeat-python), all three
outputs must agree. Prints the times and the ratios: speed-up over CPython and the slowdown
relative to hand-written Rust (1.00 = as fast).
"""
import argparse
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"

# name: (argument for the timed run, argument for --quick)
SIZES = {
    "mandelbrot": ("800", "200"),
    "spectral_norm": ("500", "100"),
    "nqueens": ("12", "8"),
    "sieve": ("10000000", "100000"),
    "collatz": ("300000", "30000"),
    "wordfreq": ("400000", "20000"),
    "strbuild": ("300000", "20000"),
    "matmul": ("200", "40"),
    "exceptions": ("300000", "20000"),
    "nbody": ("200000", "2000"),
    "binary_trees": ("14", "6"),
    "pipeline": ("10000000", "20000"),
}


def run(cmd, env=None):
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed ({result.returncode}):\n{result.stderr}")
    return elapsed, result.stdout


def best_of(cmd, repeat, env=None):
    times = []
    output = None
    for _ in range(repeat):
        elapsed, output = run(cmd, env)
        times.append(elapsed)
    return min(times), output


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke test, not a measurement)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each compiled program (best is kept)")
    parser.add_argument("--repeat-python", type=int, default=1, help="runs of CPython (best is kept)")
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    pyrsc = ROOT / "target" / "release" / "pyrsc"
    rustc = shutil.which("rustc") or "rustc"
    OUT.mkdir(exist_ok=True)
    names = args.names or list(SIZES)
    rows = []
    for name in names:
        size = SIZES[name][1 if args.quick else 0]
        program = BENCH / "programs" / f"{name}.py"
        compiled = OUT / name
        reference = OUT / f"{name}_rust"
        build_start = time.perf_counter()
        subprocess.run([pyrsc, "build", program, "-o", compiled], check=True)
        build_time = time.perf_counter() - build_start
        subprocess.run([rustc, "--edition=2021", "-C", "opt-level=3", "-C", "codegen-units=1", BENCH / "rust" / f"{name}.rs", "-o", reference], check=True)
        t_py, out_py = best_of([sys.executable, program, size], args.repeat_python)
        t_pyrsc, out_pyrsc = best_of([compiled, size], args.repeat)
        t_rust, out_rust = best_of([reference, size], args.repeat)
        if not (out_py == out_pyrsc == out_rust):
            sys.exit(f"{name}: outputs differ\nCPython: {out_py!r}\npyrsc:   {out_pyrsc!r}\nRust:    {out_rust!r}")
        rows.append((name, size, t_py, t_pyrsc, t_rust, build_time))

    print(f"{'benchmark':<14} {'size':>9} {'CPython s':>10} {'pyrsc s':>9} {'Rust s':>8} {'vs CPython':>11} {'vs Rust':>8} {'build s':>8}")
    for name, size, t_py, t_pyrsc, t_rust, build in rows:
        print(f"{name:<14} {size:>9} {t_py:>10.3f} {t_pyrsc:>9.3f} {t_rust:>8.3f} {t_py / t_pyrsc:>10.1f}x {t_pyrsc / t_rust:>7.2f}x {build:>8.2f}")
    geo_py = math.exp(sum(math.log(r[2] / r[3]) for r in rows) / len(rows))
    geo_rust = math.exp(sum(math.log(r[3] / r[4]) for r in rows) / len(rows))
    print(f"{'geomean':<14} {'':>9} {'':>10} {'':>9} {'':>8} {geo_py:>10.1f}x {geo_rust:>7.2f}x")


if __name__ == "__main__":
    main()
