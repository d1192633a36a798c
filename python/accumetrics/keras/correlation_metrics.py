"""Correlation metrics: Keras computes a correlation per sample (along ``axis``) and averages it;
the average is accumulated by the core."""

from __future__ import annotations

import keras

from .reduction_metrics import FixedMeanMetric

_register = keras.saving.register_keras_serializable(package="accumetrics")

# The per-sample functions, Keras's own: the metrics below average them.
pearson_correlation = keras.metrics.pearson_correlation
concordance_correlation = keras.metrics.concordance_correlation


@_register
class PearsonCorrelation(FixedMeanMetric):
    """Mean over samples of the Pearson correlation along ``axis``, as ``keras.metrics.PearsonCorrelation``."""

    _function = staticmethod(pearson_correlation)
    _higher_is_better = True

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(name=name, dtype=dtype, axis=axis)
        self.axis = axis


@_register
class ConcordanceCorrelation(FixedMeanMetric):
    """Mean over samples of Lin's concordance correlation along ``axis``."""

    _function = staticmethod(concordance_correlation)
    _higher_is_better = True

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(name=name, dtype=dtype, axis=axis)
        self.axis = axis
