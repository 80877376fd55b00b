//! NumPy arrays (and anything else exporting a strided buffer) as `NDArray` parameters.
