"""Calling a numpy function of the batch from inside any Keras backend.

Eager TensorFlow, JAX on concrete arrays, torch and numpy call the function
directly; a TensorFlow graph goes through ``tf.numpy_function`` and a JAX trace
through ``jax.pure_callback``. Neither can run inside XLA-compiled TensorFlow,
so callers check :func:`host_available` and take a pure ``keras.ops`` path there; they
take it too in a TensorFlow graph or a JAX trace where the call would cost more than the counting
(small batches, or work of a few vector passes: :func:`by_batch_size`), with checks in the graph for the core's
errors (:func:`check_in_graph`, :func:`after_checks`).
"""

from __future__ import annotations

import functools

import numpy as np
import keras

from . import _placement
from ._placement import backend


def plain_python(fn):
    """Keeps TensorFlow's autograph out of ``fn`` and the host functions it defines.

    Autograph would otherwise rewrite them, and every Python call in a host
    function would then go through its machinery at each step.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if backend() == "tensorflow":
            import tensorflow as tf

            if not tf.executing_eagerly():  # autograph converts only what a graph calls
                return tf.autograph.experimental.do_not_convert(fn)(*args, **kwargs)
        return fn(*args, **kwargs)

    return wrapper


def state_dtype() -> str:
    """float64 for metric state, except on JAX without ``jax_enable_x64``, which only has float32
    (there, ``_state.StateVariable`` keeps a second float32 variable for the rounding error)."""
    if backend() == "jax":
        import jax

        if not jax.config.jax_enable_x64:
            return "float32"
    return "float64"


def host_available() -> bool:
    """False inside an XLA-compiled TensorFlow function, where host calls cannot run."""
    if backend() != "tensorflow":
        return True
    import tensorflow as tf

    if tf.executing_eagerly():
        return True
    from tensorflow.python.framework import ops as tf_ops
    from tensorflow.python.ops import control_flow_util

    return not control_flow_util.GraphOrParentsInXlaContext(tf_ops.get_default_graph())


# Inside a TensorFlow graph a host call costs ~0.15 ms (tf.numpy_function), under jax.jit about as much
# (jax.pure_callback): more than the backend's own ops take to count a batch this small (in values). Such
# batches (typical of fit) take the keras.ops path; so does work of a few vector passes over the batch at
# any size (``few_passes``: a mean, counts at one threshold), which the backend does as fast as Keras does.
SMALL_BATCH = 4096
# A histogram on Keras's even grid of thresholds costs a few vector ops a score in a TensorFlow graph: there the
# host call costs more up to ~131,072 scores (AUC and PR AUC, AVX-512 Xeon: 420 against 580 us a step at 16,384).
SMALL_GRID_BATCH = 131072
FEW_PASSES_STAY_IN_GRAPH = True  # tests turn it off to send every batch through the host call
# Under jax.jit, XLA compiles the keras.ops path into a few fused loops, cheaper at any batch size than a
# host callback (which also copies the batch to the host: on an accelerator, far worse).
JAX_STAYS_IN_TRACE = True


def _traced_by_jax(x) -> bool:
    import jax

    return isinstance(x, jax.core.Tracer)


def by_batch_size(x, small, large, *, few_passes: bool = False, grid: bool = False):
    """``small()`` inside a TensorFlow graph or a JAX trace for a tensor ``x`` of at most SMALL_BATCH values
    (SMALL_GRID_BATCH for a histogram on an even ``grid``), or of any size when ``few_passes``; ``large()``
    otherwise: decided when tracing where the size is known, by ``tf.cond`` at run time where it is not
    (``fit``'s batches have an unknown first dimension in TensorFlow)."""
    name = backend()
    if name == "jax":
        if not _traced_by_jax(x):
            return large()
        if JAX_STAYS_IN_TRACE or (few_passes and FEW_PASSES_STAY_IN_GRAPH):
            return small()
        # a symbolic dimension (shape inference, jax.export) has no size to compare: keras.ops handle it
        static = all(isinstance(d, (int, np.integer)) for d in x.shape)
        return small() if not static or int(np.prod(x.shape, dtype=np.int64)) <= SMALL_BATCH else large()
    if name != "tensorflow":
        return large()
    import tensorflow as tf

    if tf.executing_eagerly():
        return large()
    if few_passes and FEW_PASSES_STAY_IN_GRAPH:
        return small()
    limit = SMALL_GRID_BATCH if grid else SMALL_BATCH
    shape = tuple(x.shape) if x.shape.rank is not None else (None,)
    if None not in shape:
        return small() if int(np.prod(shape, dtype=np.int64)) <= limit else large()
    return tf.cond(tf.size(x) <= limit, small, large)


def check_in_graph(ok, message: str):
    """``ok`` (a boolean tensor) must be true everywhere: a check for :func:`after_checks`. In TensorFlow an
    assertion raising InvalidArgumentError; under JAX, ValueError(message) from the host when it fails."""
    if backend() == "jax":
        return keras.ops.all(ok), message
    import tensorflow as tf

    return tf.debugging.Assert(tf.reduce_all(ok), [message])


def after_checks(checks, result):
    """``result``, once the ``checks`` (from :func:`check_in_graph`) have passed. ``result`` may be a function
    computing it: in TensorFlow its ops then wait for the checks, so a value they refuse (a NaN score) never
    reaches an op that would fail on it with a message of its own (an index out of range)."""
    compute = result if callable(result) else lambda: result
    if not checks:
        return compute()
    if backend() == "jax":
        return _raise_on_host_if_failed(checks, compute())
    import tensorflow as tf

    with tf.control_dependencies(checks):
        return tf.identity(compute())


def _raise_on_host_if_failed(checks, result):
    """``result``, after a branch that calls back to the host only when a check fails, to raise (a call
    each step would cost ~0.15 ms; a callback with effects, even one never made, slows every step). Only
    the checks' flags go through the branch: passing the result through it as well costs a copy and
    keeps XLA from fusing across it (~50 us a step at 16,384 scores)."""
    import jax
    import jax.numpy as jnp

    passed = jnp.stack([ok for ok, _ in checks])
    messages = [message for _, message in checks]

    def fail(passed):
        raise ValueError(next(m for m, ok in zip(messages, passed) if not ok))

    spec = jax.ShapeDtypeStruct((), jnp.bool_)
    ok = jax.lax.cond(jnp.all(passed), jnp.all,
                      lambda p: jax.pure_callback(fail, spec, p, vmap_method="sequential"), passed)
    return jnp.where(ok, result, jnp.zeros_like(result))  # reads ``ok``, so the branch is kept


@functools.lru_cache(maxsize=None)
def dtype_name(dtype) -> str:
    """Keras's name of a dtype (a name, or a backend's or numpy's dtype)."""
    return keras.backend.standardize_dtype(dtype)


@functools.lru_cache(maxsize=None)
def numpy_dtype(dtype) -> np.dtype:
    """The numpy dtype of a Keras dtype name (or a backend's dtype)."""
    name = dtype_name(dtype)
    if name == "bfloat16":
        import ml_dtypes

        return np.dtype(ml_dtypes.bfloat16)
    return np.dtype(name)


@plain_python
def host_call(fn, args, shapes, dtype):
    """``fn(*numpy arrays)`` -> tuple of arrays of the given ``shapes``, as tensors of ``dtype``.

    ``None`` entries of ``args`` reach ``fn`` as ``None``.
    """
    if _placement.on_host():  # float64 whatever the state's dtype: the host keeps its state in float64
        arrays = [None if a is None else np.ascontiguousarray(a) for a in args]
        return [np.asarray(r, dtype=np.float64).reshape(s) for r, s in zip(fn(*arrays), shapes)]
    dtype = numpy_dtype(dtype)
    present = [i for i, a in enumerate(args) if a is not None]
    count = len(args)  # ``call`` holds no tensor: TensorFlow keeps it while its graph lives, so one would
    # keep the graph alive for ever

    def call(*arrays):
        full = [None] * count
        for i, a in zip(present, arrays):
            full[i] = np.ascontiguousarray(a)  # also turns the jax arrays pure_callback hands over into numpy
        return tuple(np.asarray(r, dtype=dtype).reshape(s) for r, s in zip(fn(*full), shapes))

    tensors = [args[i] for i in present]
    name = backend()
    if name == "tensorflow":
        import tensorflow as tf

        if not tf.executing_eagerly():
            out = tf.numpy_function(call, tensors, [tf.as_dtype(dtype)] * len(shapes), stateful=False)
            for o, s in zip(out, shapes):
                o.set_shape(s)
            return list(out)
    elif name == "jax":
        import jax

        if any(isinstance(t, jax.core.Tracer) for t in tensors):
            dtype = np.dtype(jax.dtypes.canonicalize_dtype(dtype))  # float32 unless jax_enable_x64
            specs = tuple(jax.ShapeDtypeStruct(s, dtype) for s in shapes)
            return list(jax.pure_callback(call, specs, *tensors, vmap_method="sequential"))
    result = call(*[_placement.to_numpy(t) for t in tensors])
    return [keras.ops.convert_to_tensor(r, dtype=dtype.name) for r in result]
