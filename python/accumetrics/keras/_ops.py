"""``keras.ops`` functions where a backend needs a different call to keep float64."""

from __future__ import annotations

from keras import ops

from ._bridge import backend


def cumsum(x, axis: int):
    """``ops.cumsum`` in the dtype of ``x``: Keras's torch ``cumsum`` (and ``matmul``) return float32
    for float64 input."""
    if backend() == "torch":
        import torch

        return torch.cumsum(ops.convert_to_tensor(x), dim=axis)
    return ops.cumsum(x, axis=axis)


def divide_no_nan(x, y):
    """``ops.divide_no_nan`` (0 where ``y`` is 0) in the dtype of its inputs: Keras's torch one returns
    float32 for float64 input."""
    nonzero = y != 0
    return ops.where(nonzero, x / ops.where(nonzero, y, ops.ones_like(y)), ops.zeros_like(x))


def floor(x):
    """``ops.floor`` in the dtype of ``x``: Keras's torch ``floor`` returns float32 for float64 input."""
    if backend() == "torch":
        import torch

        return torch.floor(ops.convert_to_tensor(x))
    return ops.floor(x)


def take_in_range(table, indices):
    """``ops.take(table, indices, axis=0)``, the rows of ``table`` at indices known to be in range:
    TensorFlow's ``ops.take`` spends four ops a call mapping negative indices and JAX's fills
    out-of-range ones with NaN, work a gather of valid indices never needs (on JAX a third of its cost)."""
    if backend() == "tensorflow":
        import tensorflow as tf

        return tf.gather(table, indices)
    if backend() == "jax":
        import jax.numpy as jnp

        return jnp.take(table, indices, axis=0, mode="clip")
    return ops.take(table, indices, axis=0)


def inner(a, b):
    """The inner product of two vectors (``ops.sum`` of the product: Keras's torch ``matmul`` and ``inner``
    return float32 for float64 input)."""
    return ops.sum(a * b, axis=-1)


class _KerasOps:
    """``keras.ops`` as the array namespace of ``accumetrics.formulas``, with the functions above in place of
    Keras's where its torch ones lose float64."""

    cumsum = staticmethod(cumsum)
    floor = staticmethod(floor)
    inner = staticmethod(inner)

    @staticmethod
    def divide_no_nan(x, y):
        return divide_no_nan(x, y) if backend() == "torch" else ops.divide_no_nan(x, y)

    def __getattr__(self, name):
        return getattr(ops, name)


keras_ops = _KerasOps()
