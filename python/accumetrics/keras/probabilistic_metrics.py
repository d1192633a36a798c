"""Probabilistic metrics: weighted means of Keras's cross-entropies, KL divergence and Poisson loss."""

from __future__ import annotations

import keras
import numpy as np
from ._ops import ops

from ._batch_counts import crossentropy
from .class_score_rows import ClassScoreRowsMetric
from .reduction_metrics import FixedMeanMetric

_register = keras.saving.register_keras_serializable(package="accumetrics")


@_register
class KLDivergence(FixedMeanMetric):
    """Mean Kullback-Leibler divergence ``sum(y_true * log(y_true / y_pred))``."""

    _function = staticmethod(keras.losses.kl_divergence)

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(name=name, dtype=dtype)


@_register
class Poisson(FixedMeanMetric):
    """Mean Poisson loss ``y_pred - y_true * log(y_pred)``."""

    _function = staticmethod(keras.losses.poisson)

    def __init__(self, name="poisson", dtype=None):
        super().__init__(name=name, dtype=dtype)


@_register
class BinaryCrossentropy(FixedMeanMetric):
    """Mean binary cross-entropy, optionally from logits and with label smoothing."""

    _function = staticmethod(keras.losses.binary_crossentropy)

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits, label_smoothing=label_smoothing)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing


@_register
class CategoricalCrossentropy(FixedMeanMetric):
    """Mean categorical cross-entropy of one-hot labels."""

    _function = staticmethod(keras.losses.categorical_crossentropy)

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False, label_smoothing=0, axis=-1):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


@_register
class SparseCategoricalCrossentropy(FixedMeanMetric, ClassScoreRowsMetric):
    """Mean categorical cross-entropy of integer labels.

    On rows of class scores the core computes each row's loss from its label's score and the row's sum (or
    log-sum-exp of logits) in one pass, by the formula of the Keras backend in use: TensorFlow's softmax of
    the log of the clipped probabilities, or the clipped normalized probabilities of JAX and torch.
    """

    _function = staticmethod(keras.losses.sparse_categorical_crossentropy)

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False, ignore_class=None,
                 axis=-1):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits, ignore_class=ignore_class, axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis

    def _core_reads(self, y_true, y_pred, sample_weight) -> bool:
        if self.ignore_class is not None or self.axis not in (-1, 1):
            return False
        if keras.backend.standardize_dtype(y_pred.dtype) not in ("float32", "float64"):
            return False
        if keras.backend.backend() == "tensorflow":  # Keras takes the logits of a softmax it can see
            if hasattr(y_pred, "_keras_logits") or getattr(getattr(y_pred, "op", None), "type", None) == "Softmax":
                return False
        return True

    def _batch_sums(self, y_true, y_pred, sample_weight, dtype, in_graph):
        backend = keras.backend.backend()
        if self.from_logits:
            form = "logits"
        else:
            form = "softmax_of_log" if backend == "tensorflow" else "normalized"
        real = np.dtype(keras.backend.standardize_dtype(y_pred.dtype)).type
        epsilon = keras.backend.epsilon()
        if backend != "jax":  # JAX compares float labels with the classes; the others truncate them
            y_true = ops.cast(y_true, "int64")
        return crossentropy(y_true, y_pred, sample_weight, form, (float(real(epsilon)), float(real(1 - epsilon))),
                            dtype, in_graph, unlabeled_loss_zero=backend == "jax")
