"""Hinge metrics: weighted means of Keras's hinge losses, accumulated by the core."""

from __future__ import annotations

import keras

from .reduction_metrics import FixedMeanMetric

_register = keras.saving.register_keras_serializable(package="accumetrics")


@_register
class Hinge(FixedMeanMetric):
    """Mean of ``max(1 - y_true * y_pred, 0)`` (labels -1/1, or 0/1 mapped to -1/1)."""

    _function = staticmethod(keras.losses.hinge)

    def __init__(self, name="hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)


@_register
class SquaredHinge(FixedMeanMetric):
    """Mean of ``max(1 - y_true * y_pred, 0) ** 2``."""

    _function = staticmethod(keras.losses.squared_hinge)

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)


@_register
class CategoricalHinge(FixedMeanMetric):
    """Mean of ``max(0, neg - pos + 1)`` over one-hot labels."""

    _function = staticmethod(keras.losses.categorical_hinge)

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)
