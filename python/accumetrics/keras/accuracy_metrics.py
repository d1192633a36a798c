"""Accuracy metrics: the weighted mean of Keras's per-sample match functions, accumulated by the core."""

from __future__ import annotations

import keras
from ._ops import ops

from ._batch_counts import class_matches
from ._shapes import same_rank
from .class_score_rows import ClassScoreRowsMetric
from .reduction_metrics import MeanMetricWrapper

_register = keras.saving.register_keras_serializable(package="accumetrics")


def accuracy(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = same_rank(y_true, y_pred)
    return ops.cast(ops.equal(y_true, y_pred), dtype=keras.backend.floatx())


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where ``y_pred > threshold`` matches ``y_true``, else 0.0 (Keras's function; the threshold a floatx
    number, as Keras's is)."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    y_true, y_pred = same_rank(y_true, y_pred)
    above = ops.cast(ops.greater(y_pred, ops.cast(threshold, keras.backend.floatx())), y_true.dtype)
    return ops.cast(ops.equal(y_true, above), dtype=keras.backend.floatx())


def categorical_accuracy(y_true, y_pred):
    """1.0 where the argmax of ``y_pred`` is the argmax of one-hot ``y_true``, else 0.0 (Keras's function)."""
    true_class = ops.argmax(y_true, axis=-1)
    y_pred = ops.convert_to_tensor(y_pred)
    shape = tuple(true_class.shape)
    if len(true_class.shape) == len(y_pred.shape):  # labels (N, 1): matches (N,), shaped back
        true_class = ops.squeeze(true_class, -1)
    matches = ops.cast(ops.equal(true_class, ops.argmax(y_pred, axis=-1)), keras.backend.floatx())
    return ops.reshape(matches, shape) if len(shape) == len(y_pred.shape) else matches


@_register
class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels.

    >>> m = Accuracy()
    >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    >>> float(m.result())
    0.75
    """

    _values_finite = True

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(fn=accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@_register
class BinaryAccuracy(MeanMetricWrapper):
    """How often a score ``> threshold`` matches its binary label."""

    _values_finite = True

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(fn=binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


@_register
class CategoricalAccuracy(MeanMetricWrapper):
    """How often the argmax of the scores matches the argmax of one-hot labels."""

    _values_finite = True

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class _ClassScoreMatches(ClassScoreRowsMetric):
    """A match function over rows of class scores and integer labels, counted by the core in one pass
    (``_how``: "argmax" or "top_k"; Keras's function costs an op and a pass over the scores each for the
    argmax or top k, the comparison and the cast). Sorted ids go through Keras's function."""

    _how = "argmax"

    def _core_reads(self, y_true, y_pred, sample_weight) -> bool:
        return not getattr(self, "from_sorted_ids", False)

    def _batch_sums(self, y_true, y_pred, sample_weight, dtype, in_graph):
        return class_matches(y_true, y_pred, sample_weight, self._how, self._fn_kwargs.get("k", 1), dtype, in_graph)


@_register
class SparseCategoricalAccuracy(_ClassScoreMatches):
    """How often the argmax of the scores matches an integer label."""

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(fn=keras.metrics.sparse_categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@_register
class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label is among the ``k`` highest scores."""

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(fn=keras.metrics.top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


@_register
class SparseTopKCategoricalAccuracy(_ClassScoreMatches):
    """How often the integer label is among the ``k`` highest scores (or the first k sorted ids)."""

    _how = "top_k"

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None, from_sorted_ids=False):
        super().__init__(fn=keras.metrics.sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=from_sorted_ids)
        self.k = k
        self.from_sorted_ids = from_sorted_ids
        self._direction = "up"

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
