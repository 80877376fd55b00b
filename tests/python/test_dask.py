"""Compiled modules on Dask distributed (examples/dask): worker processes import the module,
each task reads its own file, blocks of a dask array go through a compiled kernel, and the
multi-node pattern (separate `dask scheduler` / `dask worker` processes) gets the module by
`upload_file`. Everything listens on 127.0.0.1 only."""
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dask"
SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")

dask = pytest.importorskip("dask")  # installed by tests/python/requirements.txt


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """The compiled kernels and the Python glue in one directory, plus input files."""
    work = tmp_path_factory.mktemp("dask")
    subprocess.run(["pyrsc", "build", "--module", str(EXAMPLE / "kernels.py"), "-o", str(work), "--python", sys.executable], check=True)
    shutil.copy(EXAMPLE / "pipeline.py", work / "pipeline.py")
    names = []
    for k in range(4):
        path = work / f"part{k}.npy"
        np.save(path, np.random.default_rng(k).random((120, 80)))
        names.append(str(path))
    return work, names


@pytest.fixture()
def importable(workspace, monkeypatch):
    """PYTHONPATH (for worker processes, set before they start) and sys.path (for this one)."""
    work, _ = workspace
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(work), str(ROOT / "python")]))
    monkeypatch.syspath_prepend(str(work))
    monkeypatch.syspath_prepend(str(ROOT / "python"))
    for name in ("kernels", "pipeline"):
        sys.modules.pop(name, None)
    return work


def test_local_cluster_maps_files_and_blocks(workspace, importable, tmp_path):
    import dask.array as da
    from dask.distributed import Client, LocalCluster

    import kernels
    import pipeline

    assert kernels.__file__.endswith(SUFFIX), "the compiled module is the one imported"
    _, names = workspace
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0", local_directory=str(tmp_path))
    with cluster, Client(cluster) as client:
        energies = client.gather(client.map(pipeline.process_file, names))
        where = client.run(lambda: __import__("kernels").__file__)
        x = da.from_array(np.random.default_rng(9).random((200, 60)), chunks=(50, 60))
        smoothed = x.map_blocks(kernels.smooth, dtype=np.float64).compute()
    assert energies == pytest.approx([pipeline.process_file_numpy(n) for n in names], rel=1e-12)
    assert all(path.endswith(SUFFIX) for path in where.values()), where
    assert len(where) == 2
    assert np.allclose(smoothed, kernels.smooth(x.compute()))


def test_separate_scheduler_and_workers_with_upload_file(workspace, importable, tmp_path):
    from dask.distributed import Client

    work, names = workspace
    dask_cli = Path(sys.executable).parent / "dask"
    scheduler_file = tmp_path / "scheduler.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "python"))  # the module itself is uploaded
    logs = [open(tmp_path / f"{name}.log", "w") for name in ("scheduler", "worker0", "worker1")]
    processes = [subprocess.Popen([str(dask_cli), "scheduler", "--host", "127.0.0.1", "--dashboard-address", ":0", "--scheduler-file", str(scheduler_file)], stdout=logs[0], stderr=subprocess.STDOUT, env=env)]
    try:
        deadline = time.time() + 60
        while not scheduler_file.exists() and time.time() < deadline:
            time.sleep(0.1)
        for log in logs[1:]:
            processes.append(subprocess.Popen([str(dask_cli), "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1", "--host", "127.0.0.1", "--local-directory", str(tmp_path)], stdout=log, stderr=subprocess.STDOUT, env=env))
        with Client(scheduler_file=str(scheduler_file), timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
            client.upload_file(str(work / ("kernels" + SUFFIX)), load=False)
            client.upload_file(str(work / "pipeline.py"))
            import pipeline

            energies = client.gather(client.map(pipeline.process_file, names))
            assert energies == pytest.approx([pipeline.process_file_numpy(n) for n in names], rel=1e-12)
            client.shutdown()
    finally:
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs:
            log.close()
