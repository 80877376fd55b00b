#!/usr/bin/env bash
# Runs the whole test suite: formatting and clippy, Rust unit tests, the differential fixtures (CPython vs pyrsc),
# diagnostics fixtures, snapshots, tidy checks, then `pip install .` into the venv and the Python
# tests (the package, extension modules against CPython, NumPy, Dask, the notebook magic in
# IPython and in a real Jupyter kernel, the import hook).
#
# Python test dependencies go into a local venv (.venv). Unless PYRSC_CACHE_DIR is set, the
# suite uses a fresh, empty pyrsc cache, so every run also proves the first-build path (the
# runtime is built from scratch).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r tests/python/requirements.txt

if [ -z "${PYRSC_CACHE_DIR:-}" ]; then
    PYRSC_CACHE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pyrsc-test-cache.XXXXXX")
    trap 'rm -rf "$PYRSC_CACHE_DIR"' EXIT
fi
export PYRSC_CACHE_DIR
export PYRSC_TEST_PYTHON="$PWD/.venv/bin/python"

# House policy first: formatting and lints (see rustfmt.toml and tests/tidy.rs).
cargo fmt --all -- --check
cargo clippy --release --workspace --all-targets -- -D warnings
cargo test --release --workspace
# The package as a user installs it: the `pyrsc` command and the Python package, from this tree.
.venv/bin/python -m pip install --quiet --disable-pip-version-check .
PATH="$PWD/.venv/bin:$PWD/target/release:$PATH" .venv/bin/python -m pytest -q tests/python
