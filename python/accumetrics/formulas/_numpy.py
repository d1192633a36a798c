"""numpy as an array namespace with the few functions of ``keras.ops`` that numpy lacks."""

from __future__ import annotations

import numpy as np


class _NumpyOps:
    """``numpy``, plus the functions of ``keras.ops`` that numpy lacks or names otherwise."""

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def divide_no_nan(x, y):
        """x / y, 0 where y is 0."""
        if np.ndim(y) == 0 and np.ndim(x) == 0:
            return np.divide(x, y) if y != 0 else np.zeros((), np.result_type(x, y))
        nonzero = np.asarray(y) != 0
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(nonzero, np.divide(x, np.where(nonzero, y, 1)), 0.0)

    @staticmethod
    def inner(a, b):
        """The inner product of two vectors (``np.dot``, as scikit-learn computes it)."""
        return np.dot(a, b)

    @staticmethod
    def unstack(x, axis: int = 0):
        """The slices of ``x`` along ``axis`` (views)."""
        x = np.asarray(x)
        return tuple(x if axis == 0 else np.moveaxis(x, axis, 0))

    @staticmethod
    def convert_to_tensor(a, dtype=None):
        return np.asarray(a, dtype=dtype)


numpy_ops = _NumpyOps()
