"""Checks of a batch that raise at once in eager code and from the graph when traced."""

from __future__ import annotations

from ._ops import ops

from ._bridge import after_checks, backend, check_in_graph, host_available


def ensure(ok, message: str, value):
    """``value``, once ``ok`` (a boolean tensor) holds everywhere; ValueError(message) otherwise: at once on
    concrete tensors, from the graph when traced (an assertion in TensorFlow, a host callback under JAX).
    Under XLA, which cannot raise, ``value`` as it is."""
    if _concrete(ok):
        if not bool(ops.all(ok)):
            raise ValueError(message)
        return value
    if not host_available():
        return value
    return after_checks([check_in_graph(ok, message)], value)


def _concrete(x) -> bool:
    name = backend()
    if name == "tensorflow":
        import tensorflow as tf

        return tf.executing_eagerly()
    if name == "jax":
        import jax

        return not isinstance(x, jax.core.Tracer)
    return True
