#!/usr/bin/env python3
"""Compiled kernels on a Dask cluster of worker processes on this machine.

    pyrsc build --module examples/dask/kernels.py        # once
    PYTHONPATH=examples/dask python3 examples/dask/run_local.py

Writes a few `.npy` files, then (1) `client.map(process_file, names)`: each worker process
reads its own file and runs the compiled kernels on it; (2) `dask.array.map_blocks` with the
compiled `smooth` on every block of a chunked array. Prints both results next to NumPy's.
"""
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def main() -> None:
    # Workers are new processes: they find `kernels` and `pipeline` through PYTHONPATH, which
    # must be set before the cluster starts.
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH", "")]))
    sys.path.insert(0, str(HERE))
    import dask.array as da
    from dask.distributed import Client, LocalCluster

    import kernels
    import pipeline

    with tempfile.TemporaryDirectory() as scratch:
        names = []
        for k in range(4):
            path = os.path.join(scratch, f"part{k}.npy")
            np.save(path, np.random.default_rng(k).random((300, 200)))
            names.append(path)
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0", local_directory=scratch)
        with cluster, Client(cluster) as client:
            energies = client.gather(client.map(pipeline.process_file, names))
            print("per-file energies (compiled):", [round(e, 6) for e in energies])
            print("per-file energies (NumPy):   ", [round(pipeline.process_file_numpy(n), 6) for n in names])
            x = da.from_array(np.random.default_rng(9).random((600, 400)), chunks=(150, 400))
            smoothed = x.map_blocks(kernels.smooth, dtype=np.float64).compute()
            print("map_blocks result equals the local call:", bool(np.allclose(smoothed, kernels.smooth(x.compute()))))


if __name__ == "__main__":
    main()
