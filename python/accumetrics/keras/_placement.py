"""Where a metric's call runs: the one place that decides it.

A call runs **on the host** when it is eager and its tensors live on the CPU: TensorFlow eager
tensors, JAX concrete arrays, torch tensors, numpy. There the batch is converted once, the core counts
it, and what it adds is kept on the host beside the Keras variables (``_state.StateVariable``); the
result is computed by numpy from the host's copy. Keras's variables are brought up to date when
something else reads or writes them: their ``variables`` list, a state attribute
(``metric.true_positives``), a traced call, Keras's stateless APIs, a reset.

Everywhere else (a TensorFlow graph, XLA, a JAX trace or a stateless scope, torch.compile, a distribution
strategy's replicas, an accelerator's tensors, a Keras mask, values that are not numbers) the call runs
**in the backend's ops** on the variables themselves: ``_bridge`` and ``_batch_counts`` pick the counting
there.

Only the outermost call decides: a metric called from another's call (``PerClass``, ``Windowed``) runs
where its caller runs.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools

import numpy as np
import keras
from keras.src.backend.common.stateless_scope import in_stateless_scope


@functools.cache
def backend() -> str:
    """Keras's backend, fixed when Keras is imported."""
    return keras.backend.backend()


_HOST_CALL: contextvars.ContextVar = contextvars.ContextVar("accumetrics_host_call", default=None)
_BACKEND_CALL: contextvars.ContextVar = contextvars.ContextVar("accumetrics_backend_call", default=False)


def on_host() -> bool:
    """Whether a host call is running: the face's ``ops`` are numpy, states add on the host."""
    return _HOST_CALL.get() is not None


def stage(state, delta) -> None:
    """Keeps ``delta`` for ``state`` until the host call ends: a call that raises adds nothing."""
    _HOST_CALL.get().append((state, delta))


@contextlib.contextmanager
def in_backend_ops():
    """Calls made inside run in the backend's ops, on the variables: for a wrapper that works on a
    metric's variables itself (``Windowed``)."""
    token = _BACKEND_CALL.set(True)
    try:
        yield
    finally:
        _BACKEND_CALL.reset(token)


def in_graph() -> bool:
    """Whether TensorFlow is building a graph (a ``tf.function``, XLA): what it does to a variable
    runs later, every time the graph runs, out of sight of the host."""
    if backend() != "tensorflow":
        return False
    import tensorflow as tf

    return not tf.executing_eagerly()


def can_write_variables() -> bool:
    """Whether a variable's value can be written now, eagerly: not in a JAX trace or a Keras stateless
    scope, whose writes go to the scope, not the variable."""
    return not in_stateless_scope()


@functools.cache
def _eager_context():
    """A function telling whether the present context lets a call run on the host, for this backend: eager
    (no TensorFlow graph, no torch.compile trace), not in a Keras stateless scope (a JAX trace, the
    stateless APIs), not on a strategy's replicas, with no accelerator in use."""
    name = backend()
    if name == "tensorflow":
        import tensorflow as tf

        if tf.config.list_logical_devices("GPU") or tf.config.list_logical_devices("TPU"):
            return lambda: False
        eager, has_strategy, strategy = tf.executing_eagerly, tf.distribute.has_strategy, tf.distribute.get_strategy
        return lambda: (eager() and not in_stateless_scope()
                        and not (has_strategy() and strategy().num_replicas_in_sync > 1))
    if name == "jax":
        import jax

        if jax.default_backend() != "cpu":
            return lambda: False
        return lambda: not in_stateless_scope()
    if name == "torch":
        import torch
        from keras.src.backend.torch.core import get_device

        if str(get_device()) != "cpu":
            return lambda: False
        compiling = torch.compiler.is_compiling  # torch.compile traces Python once, not at every step
        return lambda: not compiling() and not in_stateless_scope()
    return lambda: not in_stateless_scope()


_NUMBERS = frozenset("biuf")  # numpy's kinds of booleans, integers and floats


def _host_resident(x) -> bool:
    """Whether ``x`` is a concrete array of numbers in host memory, without a Keras mask. (What is not
    numbers goes to the backend's conversion, which refuses it in Keras's words.)"""
    if x is None or isinstance(x, (int, float, bool)):
        return True
    if isinstance(x, (np.ndarray, np.generic)):
        return x.dtype.kind in _NUMBERS
    if isinstance(x, (list, tuple)):
        return np.asarray(x).dtype.kind in _NUMBERS
    if getattr(x, "_keras_mask", None) is not None:
        return False
    return _residence(type(x))(x)


@functools.cache
def _residence(kind):
    """The test of host residence for values of type ``kind``."""
    module = kind.__module__
    if module.startswith("tensorflow"):
        if kind.__name__ != "EagerTensor":
            return lambda x: False
        return lambda x: "CPU" in x.device and (x.dtype.is_floating or x.dtype.is_integer or x.dtype.is_bool)
    if module.startswith("jax"):
        import jax

        if not issubclass(kind, jax.Array) or issubclass(kind, jax.core.Tracer):
            return lambda x: False
        return lambda x: all(d.platform == "cpu" for d in x.devices())
    if module.startswith("torch"):
        return lambda x: x.device.type == "cpu"
    return lambda x: False


def runs_on_host(args, kwargs) -> bool:
    """Whether a metric called with ``args`` and ``kwargs`` runs on the host (the module's docstring)."""
    if _HOST_CALL.get() is not None or _BACKEND_CALL.get():
        return False  # the caller decided
    if not _eager_context()():
        return False
    for a in args:
        if not _host_resident(a):
            return False
    return not kwargs or all(_host_resident(a) for a in kwargs.values())


def to_numpy(x):
    """A value as numpy, without a copy where it can be shared (one from an accelerator is copied)."""
    if x is None or isinstance(x, (np.ndarray, np.generic)):
        return x
    if hasattr(x, "detach"):  # torch, whose bfloat16 numpy cannot hold: as float32, the same values
        x = x.detach().cpu()
        return (x.float() if x.dtype == _torch_bfloat16() else x).numpy()
    if hasattr(x, "numpy"):  # TensorFlow's tensors and variables, distributed ones included
        return x.numpy()
    return np.asarray(x)


@functools.cache
def _torch_bfloat16():
    import torch

    return torch.bfloat16


def _to_backend(x):
    """A host result as the backend's tensor (the fastest conversion each backend has)."""
    x = np.asarray(x)
    name = backend()
    if name == "tensorflow":
        import tensorflow as tf

        return tf.constant(x)
    if name == "torch":
        import torch

        return torch.from_numpy(np.array(x))  # a copy of its own: the result may be a view of the state
    if name == "jax":
        import jax.numpy as jnp

        return jnp.asarray(x)
    return keras.ops.convert_to_tensor(x)


def update_on_host(update, metric, args, kwargs):
    """``update(metric, *args, **kwargs)`` on the host (where :func:`runs_on_host`); then what it staged is
    added to the states, all of it or (on an exception) none."""
    staged = []
    token = _HOST_CALL.set(staged)
    try:
        update(metric, *[to_numpy(a) for a in args], **{k: to_numpy(v) for k, v in kwargs.items()})
    finally:
        _HOST_CALL.reset(token)
    for state, delta in staged:
        state.add_on_host(delta)


def result_on_host(result, metric):
    """``result(metric)`` on the host (where :func:`runs_on_host`), returned as the backend's tensors."""
    token = _HOST_CALL.set([])
    try:
        value = result(metric)
    finally:
        _HOST_CALL.reset(token)
    if isinstance(value, dict):  # PerClass, Sliced: a value per name
        return {name: _to_backend(v) for name, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_to_backend(v) for v in value)
    return _to_backend(value)
