"""Probabilistic metrics: weighted means of Keras's cross-entropies, KL divergence and Poisson loss."""

from __future__ import annotations

import keras

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
class SparseCategoricalCrossentropy(FixedMeanMetric):
    """Mean categorical cross-entropy of integer labels."""

    _function = staticmethod(keras.losses.sparse_categorical_crossentropy)

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False, ignore_class=None,
                 axis=-1):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits, ignore_class=ignore_class, axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis
