#!/usr/bin/env python3
"""Compile latency: a fresh build of a ~60-line program (runtime already built) and a cache hit.

Usage: python3 bench/latency.py [--runs N]

Each fresh build gets a unique comment so it misses the cache; the cache hit repeats the last
build unchanged. Prints the median and worst times.
"""
import argparse
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "bench" / "programs" / "latency_sample.py"


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    pyrsc = ROOT / "target" / "release" / "pyrsc"
    text = PROGRAM.read_text()
    lines = text.count("\n")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "sample.py"
        output = Path(tmp) / "sample"
        source.write_text(text)
        timed([pyrsc, "build", source, "-o", output])  # makes sure the runtime is built
        fresh = []
        for _ in range(args.runs):
            source.write_text(f"# {uuid.uuid4()}\n{text}")
            fresh.append(timed([pyrsc, "build", source, "-o", output]))
        hits = [timed([pyrsc, "build", source, "-o", output]) for _ in range(args.runs)]
    print(f"program: {PROGRAM.relative_to(ROOT)} ({lines} lines)")
    print(f"fresh build: median {statistics.median(fresh):.3f} s, worst {max(fresh):.3f} s (target <= 0.5 s)")
    print(f"cache hit:   median {statistics.median(hits) * 1000:.1f} ms, worst {max(hits) * 1000:.1f} ms (target <= 30 ms)")


if __name__ == "__main__":
    main()
