"""The plain-Python side of the Dask examples: each task opens its own file (send names, not
data) and hands the array to the compiled kernels. Workers import this module and `kernels`
(the compiled extension module) from their PYTHONPATH."""
import numpy as np

import kernels


def process_file(path: str) -> float:
    """Load one `.npy` file, smooth it and return its energy."""
    return kernels.energy(kernels.smooth(np.load(path)))


def process_file_numpy(path: str) -> float:
    """The same computation with NumPy alone (to check the compiled one)."""
    a = np.load(path)
    out = a.copy()
    out[:, 1:-1] = (a[:, :-2] + a[:, 1:-1] + a[:, 2:]) / 3.0
    return float((out * out).sum())
