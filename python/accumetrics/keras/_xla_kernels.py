"""The core's counting inside a jitted JAX step on CPU: XLA custom calls (``jax.ffi``) to the handlers of the
``accumetrics._xla`` extension.

A custom call reads the batch once, in the core, where the exact bucketing from ``keras.ops`` reads the scores
in several fused loops beside the model's own (in a binary model's ``evaluate`` step at 16,384 rows, ~1.2 ms
more than Keras's AUC; the step with the custom call costs what Keras's does). Other
platforms (GPU, TPU) lower the ``keras.ops`` path instead (:func:`on_cpu`), and so does every call when the
extension was built without the XLA headers or when the installed jaxlib does not accept its handlers (checked
once, by a call on a small batch).
"""

from __future__ import annotations

import functools

import numpy as np

from ._bridge import backend

HISTOGRAM = "accumetrics_threshold_histogram"
USE_KERNELS = True  # tests turn it off to compare the keras.ops path


def in_use(x) -> bool:
    """Whether ``x`` (float32 or float64) is traced by JAX and the custom calls can count it on CPU."""
    if not USE_KERNELS or backend() != "jax":
        return False
    import jax

    return isinstance(x, jax.core.Tracer) and str(x.dtype) in ("float32", "float64") and _registered()


@functools.cache
def _registered() -> bool:
    try:
        import jax

        from .. import _xla
    except ImportError:
        return False
    if not hasattr(jax, "ffi") or not hasattr(jax.lax, "platform_dependent"):
        return False
    try:
        for name, capsule in _xla.handlers().items():
            jax.ffi.register_ffi_target(name, capsule, platform="cpu")
        thresholds = np.array([0.25, 0.5], np.float64)
        y = np.array([0, 1, 1, 0], np.float32)
        s = np.array([0.1, 0.3, 0.9, 0.5], np.float32)
        with jax.ensure_compile_time_eval():
            h, finite = jax.jit(lambda y, s: threshold_histogram(y, s, None, thresholds, 1, "float32"))(y, s)
        return bool(np.array_equal(np.asarray(h).reshape(-1), [1, 0, 1, 1, 0, 1]) and np.all(np.asarray(finite)))
    except Exception:  # an older or newer runtime that refuses the handlers: the keras.ops path counts
        return False


def on_cpu(kernel, default):
    """``kernel()`` where the step is lowered for CPU, ``default()`` on any other platform."""
    import jax

    return jax.lax.platform_dependent(cpu=kernel, default=default)


def threshold_histogram(y_true, y_score, sample_weight, thresholds: np.ndarray, num_labels: int, dtype):
    """(histogram (num_labels, T + 1, 2) of ``dtype``, (scores finite, weights finite)) of float32 or float64
    ``y_score``, ``y_true`` of its shape read as a boolean, ``sample_weight`` of its shape or None: what
    ``ThresholdBatch`` counts, in one custom call."""
    import jax
    import jax.numpy as jnp

    dtype = jax.dtypes.canonicalize_dtype(np.dtype(dtype))
    out = (jax.ShapeDtypeStruct((num_labels, thresholds.size + 1, 2), dtype), jax.ShapeDtypeStruct((2,), jnp.bool_))
    weight = jnp.zeros((0,), dtype) if sample_weight is None else jnp.asarray(sample_weight, dtype)
    y_true = jnp.asarray(y_true)
    if str(y_true.dtype) not in ("bool", "float32", "float64"):  # the kernel reads these as booleans itself
        y_true = y_true != 0
    # flat operands: a consumer of (N, 1) predictions keeps XLA from flattening the model's loss
    # (_batch_counts._column_major)
    return jax.ffi.ffi_call(HISTOGRAM, out, vmap_method="sequential")(
        jnp.ravel(y_true), jnp.ravel(y_score), jnp.ravel(weight),
        thresholds=np.ascontiguousarray(thresholds, np.float64), num_labels=np.int64(num_labels),
        weighted=sample_weight is not None)
