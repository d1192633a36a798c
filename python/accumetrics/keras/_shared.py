"""A batch's contribution computed once per traced graph for every metric that needs it.

In a training or evaluation step all of a model's metrics receive the same
``y_true``, ``y_pred`` and ``sample_weight`` tensors, and many need the same
contribution: Precision, Recall and TruePositives at one threshold read the same
histogram, as do ROC and PR AUC at the same thresholds. While a TensorFlow graph
or a JAX trace is built, the first metric's result is kept with it and the others
reuse it, so a step makes one core call per distinct contribution, not one per metric.
"""

from __future__ import annotations

import weakref

from ._bridge import backend
from ._slicing import _SCOPE

# graph or trace -> {key: (weak references to the inputs, weak reference to the result)}. Only weak
# references: a graph's tensors refer to the graph, and strong ones would keep it alive forever.
_BY_SCOPE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def once_per_graph(inputs: tuple, config: tuple, compute):
    """``compute()``, or the result of the same computation already traced in this graph or trace: the
    same ``inputs`` (by identity; None allowed) and an equal ``config``. Outside one, always ``compute()``."""
    scope = _scope(inputs) if _SCOPE.get() is None else None
    if scope is None:
        return compute()
    try:
        refs = tuple(None if x is None else weakref.ref(x) for x in inputs)
    except TypeError:  # an input that cannot be weakly referenced: no sharing
        return compute()
    cache = _BY_SCOPE.setdefault(scope, {})
    key = (tuple(id(x) for x in inputs), config)
    hit = cache.get(key)
    if hit is not None and all((r is None and x is None) or (r is not None and r() is x)
                               for r, x in zip(hit[0], inputs)):
        result = hit[1]()
        if result is not None:
            return result
    result = compute()
    try:
        cache[key] = (refs, weakref.ref(result))
    except TypeError:
        pass
    return result


def _scope(inputs):
    """The TensorFlow graph or JAX trace being built, if any, where a result can be reused."""
    name = backend()
    if name == "tensorflow":
        import tensorflow as tf

        return None if tf.executing_eagerly() else tf.compat.v1.get_default_graph()
    if name == "jax":
        import jax

        tracers = [x for x in inputs if isinstance(x, jax.core.Tracer)]
        if not tracers:
            return None
        from jax._src import core

        # Only inputs of the trace being built: a result made in an inner trace (a lax.cond branch)
        # must not reach the outer one.
        trace = getattr(getattr(core, "trace_ctx", None), "trace", None)
        if trace is None or any(getattr(t, "_trace", None) is not trace for t in tracers):
            return None
        return trace
    return None
