"""The array namespace of the Keras face: ``keras.ops`` in a graph, a trace or on an accelerator, numpy
where a metric's state lives on the host.

Every metric of the face computes with :data:`ops`. While :mod:`._placement` runs a call on the host
(eager code on CPU: TensorFlow eager tensors, JAX concrete arrays, torch, numpy), ``ops`` is
:class:`_HostOps`, numpy with the meaning of ``keras.ops``; everywhere else it is :class:`_KerasOps`,
``keras.ops`` with the few functions whose torch versions lose float64 replaced. The same code, the
same formulas (:mod:`accumetrics.formulas`), on both.
"""

from __future__ import annotations

import numpy as np
import keras
from keras import ops as _keras

from . import _placement
from ._bridge import backend, numpy_dtype as _dtype
from ..formulas import numpy_ops


class _KerasOps:
    """``keras.ops``, with the functions below in place of Keras's where its torch ones lose float64."""

    @staticmethod
    def cumsum(x, axis: int):
        """``cumsum`` in the dtype of ``x``: Keras's torch ``cumsum`` returns float32 for float64 input."""
        if backend() == "torch":
            import torch

            return torch.cumsum(_keras.convert_to_tensor(x), dim=axis)
        return _keras.cumsum(x, axis=axis)

    @staticmethod
    def divide_no_nan(x, y):
        """x / y, 0 where y is 0, in the dtype of its inputs (Keras's torch one returns float32)."""
        if backend() != "torch":
            return _keras.divide_no_nan(x, y)
        nonzero = y != 0
        return _keras.where(nonzero, x / _keras.where(nonzero, y, _keras.ones_like(y)), _keras.zeros_like(x))

    @staticmethod
    def floor(x):
        """``floor`` in the dtype of ``x``: Keras's torch ``floor`` returns float32 for float64 input."""
        if backend() == "torch":
            import torch

            return torch.floor(_keras.convert_to_tensor(x))
        return _keras.floor(x)

    @staticmethod
    def take_in_range(table, indices):
        """``take(table, indices, axis=0)`` of indices known to be in range: TensorFlow's ``take`` spends
        four ops a call mapping negative indices and JAX's fills out-of-range ones with NaN, work a gather
        of valid indices never needs (on JAX a third of its cost)."""
        if backend() == "tensorflow":
            import tensorflow as tf

            return tf.gather(table, indices)
        if backend() == "jax":
            import jax.numpy as jnp

            return jnp.take(table, indices, axis=0, mode="clip")
        return _keras.take(table, indices, axis=0)

    @staticmethod
    def inner(a, b):
        """The inner product of two vectors (the sum of the product: Keras's torch ``matmul`` and ``inner``
        return float32 for float64 input)."""
        return _keras.sum(a * b, axis=-1)

    def __getattr__(self, name):
        return getattr(_keras, name)


class _HostOps:
    """numpy with the meaning of the ``keras.ops`` functions the face uses. A function not listed here
    raises AttributeError: a host call never runs a numpy function whose meaning differs from Keras's."""

    # numpy's functions of these names mean what Keras's do
    _SAME = frozenset("""abs all any arange argmax broadcast_to clip concatenate copy diagonal equal expand_dims
        flip full_like greater greater_equal isfinite isinf isnan log logical_and logical_not logical_or maximum mean
        minimum not_equal outer reshape round searchsorted shape size sqrt square squeeze stack sum take
        transpose trace where zeros_like ones_like""".split())
    divide_no_nan = staticmethod(numpy_ops.divide_no_nan)
    inner = staticmethod(numpy_ops.inner)
    unstack = staticmethod(numpy_ops.unstack)
    cumsum = staticmethod(np.cumsum)
    floor = staticmethod(np.floor)

    @staticmethod
    def take_in_range(table, indices):
        return np.take(table, indices, axis=0)

    @staticmethod
    def cast(x, dtype):
        return np.asarray(x).astype(_dtype(dtype), copy=False)

    @staticmethod
    def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
        return np.asarray(x) if dtype is None else np.asarray(x, dtype=_dtype(dtype))

    @staticmethod
    def convert_to_numpy(x):
        return np.asarray(x)

    @staticmethod
    def zeros(shape, dtype=None):
        return np.zeros(shape, dtype=_dtype(dtype or keras.backend.floatx()))

    @staticmethod
    def ones(shape, dtype=None):
        return np.ones(shape, dtype=_dtype(dtype or keras.backend.floatx()))

    @staticmethod
    def max(x, axis=None, keepdims=False, initial=None):
        return np.max(x, axis=axis, keepdims=keepdims, **({} if initial is None else {"initial": initial}))

    @staticmethod
    def one_hot(x, num_classes, axis=-1, dtype=None):
        """Rows of zeros for ids outside [0, num_classes), as in Keras."""
        x = np.asarray(x)
        hot = (x[..., None] == np.arange(num_classes)).astype(_dtype(dtype or keras.backend.floatx()))
        return hot if axis == -1 else np.moveaxis(hot, -1, axis)

    @staticmethod
    def top_k(x, k, sorted=True):
        """(values, indices) of the k largest along the last axis, the lower index first among equals."""
        x = np.asarray(x)
        indices = np.argsort(-x, axis=-1, kind="stable")[..., :k]
        return np.take_along_axis(x, indices, axis=-1), indices.astype(np.int32)

    @staticmethod
    def sigmoid(x):
        x = np.asarray(x)
        with np.errstate(over="ignore"):
            return (1 / (1 + np.exp(-x))).astype(x.dtype, copy=False)

    @staticmethod
    def softmax(x, axis=-1):
        x = np.asarray(x)
        e = np.exp(x - np.max(x, axis=axis, keepdims=True))
        return (e / np.sum(e, axis=axis, keepdims=True)).astype(x.dtype, copy=False)

    @staticmethod
    def segment_sum(data, segment_ids, num_segments=None, sorted=False):
        data, ids = np.asarray(data), np.asarray(segment_ids).reshape(-1)
        out = np.zeros((num_segments, *data.shape[1:]), dtype=data.dtype)
        np.add.at(out, ids, data)
        return out

    @staticmethod
    def bincount(x, weights=None, minlength=0, sparse=False):
        return np.bincount(np.asarray(x).reshape(-1), weights=weights, minlength=minlength)

    def __getattr__(self, name):
        if name in self._SAME:
            return getattr(np, name)
        raise AttributeError(f"accumetrics.keras: no host version of keras.ops.{name}")


host_ops, keras_ops = _HostOps(), _KerasOps()


class _Ops:
    """``host_ops`` inside a host call, ``keras_ops`` elsewhere."""

    def __getattr__(self, name):
        return getattr(host_ops if _placement.on_host() else keras_ops, name)


ops = _Ops()
