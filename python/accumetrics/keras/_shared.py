"""A batch's contribution computed once per TensorFlow graph for every metric that needs it.

In a training or evaluation step all of a model's metrics receive the same
``y_true``, ``y_pred`` and ``sample_weight`` tensors, and many need the same
contribution: Precision, Recall and TruePositives at one threshold read the same
histogram, as do ROC and PR AUC at the same thresholds. While a graph is traced
the first metric's result is kept with the graph and the others reuse it, so a
step makes one core call per distinct contribution, not one per metric.
"""

from __future__ import annotations

import weakref

from ._bridge import backend
from ._slicing import _SCOPE

_BY_GRAPH: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def once_per_graph(inputs: tuple, config: tuple, compute):
    """``compute()``, or the result of the same computation already traced in this graph: the same
    ``inputs`` (by identity) and an equal ``config``. Outside a TensorFlow graph, always ``compute()``."""
    if backend() != "tensorflow" or _SCOPE.get() is not None:
        return compute()
    import tensorflow as tf

    if tf.executing_eagerly():
        return compute()
    graph = tf.compat.v1.get_default_graph()
    cache = _BY_GRAPH.setdefault(graph, {})
    key = (tuple(id(x) for x in inputs), config)
    hit = cache.get(key)
    # The entry holds its inputs, so their ids cannot be reused by other objects while it lives.
    if hit is not None and all(a is b for a, b in zip(hit[0], inputs)):
        return hit[1]
    result = compute()
    cache[key] = (inputs, result)
    return result
