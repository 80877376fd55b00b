"""NumPy kernels for bench/modules.py: compiled with `pyrsc build --module`, and run as is by
CPython for the pure-Python column."""
import numpy as np
from numpy.typing import NDArray

from pyrsc import prange


def row_sums(a: NDArray[np.float64], out: NDArray[np.float64]) -> None:
    for i in range(a.shape[0]):
        s = 0.0
        for j in range(a.shape[1]):
            s += a[i, j]
        out[i] = s


def matvec(m: NDArray[np.float64], v: NDArray[np.float64], out: NDArray[np.float64]) -> None:
    for i in range(m.shape[0]):
        s = 0.0
        for j in range(m.shape[1]):
            s += m[i, j] * v[j]
        out[i] = s


def stencil(a: NDArray[np.float64], out: NDArray[np.float64]) -> None:
    for i in range(1, a.shape[0] - 1):
        for j in range(1, a.shape[1] - 1):
            out[i, j] = 0.25 * (a[i - 1, j] + a[i + 1, j] + a[i, j - 1] + a[i, j + 1]) - a[i, j]


def sum_squares(v: NDArray[np.float64]) -> float:
    s = 0.0
    for i in range(v.shape[0]):
        s += v[i] * v[i]
    return s


def parallel_blur(a: NDArray[np.float64], out: NDArray[np.float64], threads: int) -> None:
    """A 7x7 box blur, rows in parallel (enough work per element to be compute-bound)."""
    for i in prange(3, a.shape[0] - 3, num_threads=threads):
        for j in range(3, a.shape[1] - 3):
            s = 0.0
            for di in range(-3, 4):
                for dj in range(-3, 4):
                    s += a[i + di, j + dj]
            out[i, j] = s / 49.0


def identity(x: float) -> float:
    return x
