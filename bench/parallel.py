#!/usr/bin/env python3
"""prange benchmarks: each parallel program compiled once, run with PYRSC_NUM_THREADS=1, 2 and
(when the machine has more cores) all of them, in the same run, with CPython for reference.

Usage: python3 bench/parallel.py [--quick]

Prints whole-process times (best of several runs), the speed-up from 1 thread to each thread
count, and the cost of one tiny prange loop (1000 near-empty iterations), measured as the
difference between a run with many such loops and a run with none.
"""
import argparse
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import best_of, run  # noqa: E402  (bench/run.py: timing helpers shared by the benchmarks)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PROGRAMS = {
    # name: (timed size, quick size)
    "prange_sum": ("40000000", "100000"),
    "prange_rows": ("1200", "100"),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke test, not a measurement)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    pyrsc = ROOT / "target" / "release" / "pyrsc"
    if not pyrsc.exists():
        sys.exit("build pyrsc first: cargo build --release")
    OUT.mkdir(parents=True, exist_ok=True)
    cores = os.cpu_count() or 1
    counts = sorted({1, 2, cores})
    env = dict(os.environ, PYTHONPATH=str(ROOT / "python"))
    header = f"{'benchmark':<14}{'size':>10}{'CPython s':>11}" + "".join(f"{f'{k} thr s':>10}" for k in counts) + "".join(f"{f'x{k}':>8}" for k in counts[1:])
    print(f"machine: {cores} cores")
    print(header)
    for name, sizes in PROGRAMS.items():
        size = sizes[1] if args.quick else sizes[0]
        source = ROOT / "bench" / "programs" / f"{name}.py"
        binary = OUT / name
        subprocess.run([pyrsc, "build", source, "-o", binary], check=True)
        python_time, expected = run([sys.executable, source, size], env)
        row = f"{name:<14}{size:>10}{python_time:>11.3f}"
        times = {}
        for k in counts:
            elapsed, output = best_of([binary, size], 1 if args.quick else args.repeat, dict(env, PYRSC_NUM_THREADS=str(k)))
            if output != expected and name != "prange_sum":
                sys.exit(f"{name} with {k} threads printed {output!r}, CPython {expected!r}")
            times[k] = elapsed
            row += f"{elapsed:>10.3f}"
        row += "".join(f"{times[1] / times[k]:>7.2f}x" for k in counts[1:])
        print(row)
    # The cost of one tiny loop.
    source = ROOT / "bench" / "programs" / "prange_tiny.py"
    binary = OUT / "prange_tiny"
    subprocess.run([pyrsc, "build", source, "-o", binary], check=True)
    reps = 2000 if args.quick else 50000
    for k in counts:
        k_env = dict(env, PYRSC_NUM_THREADS=str(k))
        empty, _ = best_of([binary, "0"], args.repeat, k_env)
        full, _ = best_of([binary, str(reps)], args.repeat, k_env)
        print(f"tiny prange (1000 iterations), {k} thread(s): {max(full - empty, 0.0) / reps * 1e6:.2f} us per loop (target < 20 us)")


if __name__ == "__main__":
    main()
