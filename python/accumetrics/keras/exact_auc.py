"""ROC AUC and average precision equal to scikit-learn's, streamed into a fixed-size histogram.

The state is the kind of threshold histogram Precision, Recall and AUC count each batch into (the core's
``ThresholdCounts``), with one threshold at every finite float16 value: 63,488
buckets, each holding the scores in (previous float16 value, float16 value]. Scores
that are float16 (or bfloat16, or any float32 equal to a float16 value) fall in a
bucket of their own value, and the result is exactly sklearn's ``roc_auc_score`` /
``average_precision_score`` (ties handled as sklearn does). Other scores share a
bucket with neighbours closer than float16's resolution (a relative 2**-11);
:meth:`ExactAUC.error_bound` then bounds the distance to the exact ROC AUC.
"""

from __future__ import annotations

import numpy as np
import keras
from keras import ops

from ..metrics.ranking import standardized_partial_auc
from ._ops import cumsum, divide_no_nan
from .confusion_metrics import ThresholdMetric, checked_max_fpr

_register = keras.saving.register_keras_serializable(package="accumetrics")


def float16_values() -> np.ndarray:
    """Every finite float16 value, sorted, as float64 (-0 and +0 once)."""
    v = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16)
    return np.unique(v[np.isfinite(v)].astype(np.float64))


def roc_auc(neg, pos):
    """ROC AUC from the weighted negatives and positives per bucket (axis 0, in increasing score order;
    any further axes are labels), ties counting one half, as sklearn: NaN where a class is missing."""
    below = cumsum(neg, axis=0) - neg  # negatives in lower buckets; ties count one half
    area = ops.sum(pos * (below + 0.5 * neg), axis=0)
    pairs = ops.sum(pos, axis=0) * ops.sum(neg, axis=0)
    return ops.where(pairs > 0, ops.divide_no_nan(area, pairs), float("nan"))


def partial_roc_auc(neg, pos, max_fpr: float):
    """sklearn's standardized partial ROC AUC up to ``max_fpr`` (McClish correction), from the histogram of
    :func:`roc_auc`: the area under the ROC curve (ties as diagonal segments) left of ``max_fpr``, rescaled so
    that chance is 0.5 and perfect 1. NaN where a class is missing."""
    zero = ops.zeros_like(neg[:1])
    fp = ops.concatenate([zero, cumsum(ops.flip(neg, axis=0), axis=0)], axis=0)  # from the highest scores down
    tp = ops.concatenate([zero, cumsum(ops.flip(pos, axis=0), axis=0)], axis=0)
    negatives, positives = fp[-1:], tp[-1:]
    value = standardized_partial_auc(divide_no_nan(fp, negatives), divide_no_nan(tp, positives), max_fpr, ops)
    return ops.where(negatives[0] * positives[0] > 0, value, float("nan"))


def average_precision(neg, pos):
    """Average precision from the histogram of :func:`roc_auc`, as sklearn: 0 without positives."""
    above = ops.flip(cumsum(ops.flip(pos, axis=0), axis=0), axis=0)  # true positives at each bucket
    predicted = above + ops.flip(cumsum(ops.flip(neg, axis=0), axis=0), axis=0)
    precision = ops.divide_no_nan(above, predicted)
    return ops.divide_no_nan(ops.sum(pos * precision, axis=0), ops.sum(pos, axis=0))


def roc_auc_bound(neg, pos):
    """A bound on ``|roc_auc - exact ROC AUC|``: pairs of a positive and a negative sharing a bucket count 1/2."""
    return ops.divide_no_nan(ops.sum(pos * neg, axis=0) / 2, ops.sum(pos, axis=0) * ops.sum(neg, axis=0))


@_register
class ExactAUC(ThresholdMetric):
    """ROC AUC (``curve="ROC"``) or average precision (``curve="PR"``) as scikit-learn computes them.

    Unlike ``AUC``, whose 200 thresholds make it an approximation, this is exact
    for scores that are float16 values, and within :meth:`error_bound` of exact
    otherwise. Memory is fixed (a 63,489 x 2 float64 histogram, 1 MB), whatever the
    number of samples; the state is a Keras variable like every other metric's, so
    it works in ``fit``, ``evaluate``, custom loops and distribution strategies.
    Labels are read as 0/1 (non-zero is positive); with no positives or no
    negatives the ROC AUC is NaN (undefined, as sklearn warns) and the
    average precision 0 (as sklearn). With ``max_fpr``, the standardized partial ROC AUC
    up to that false positive rate, as sklearn's ``roc_auc_score(max_fpr=...)`` (McClish
    correction).

    >>> m = ExactAUC()
    >>> m.update_state([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> float(m.result())
    0.75
    """

    def __init__(self, curve="ROC", from_logits=False, name="exact_auc", dtype=None, max_fpr=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        curve = str(getattr(curve, "value", curve)).upper()
        if curve not in ("ROC", "PR"):
            raise ValueError(f'Invalid ExactAUC curve value: "{curve}". Expected "ROC" or "PR"')
        self.curve = curve
        self.from_logits = from_logits
        self.max_fpr = checked_max_fpr(max_fpr, curve)
        self._set_thresholds(float16_values(), clip=False)

    def update_state(self, y_true, y_pred, sample_weight=None):
        if self.from_logits:
            y_pred = ops.sigmoid(ops.cast(y_pred, "float32"))
        self._accumulate(y_true, y_pred, sample_weight)

    def _negatives_positives(self):
        h = self._histogram.value()
        return h[0, :, 0], h[0, :, 1]

    def result(self):
        neg, pos = self._negatives_positives()
        if self.max_fpr is not None:
            value = partial_roc_auc(neg, pos, self.max_fpr)
        else:
            value = roc_auc(neg, pos) if self.curve == "ROC" else average_precision(neg, pos)
        return ops.cast(value, self.dtype)

    def error_bound(self):
        """A bound on ``|result - exact ROC AUC|``: (pairs of a positive and a negative that share a bucket)
        / 2 / (positives * negatives). 0 when no bucket holds both classes."""
        return ops.cast(roc_auc_bound(*self._negatives_positives()), self.dtype)

    def get_config(self):
        return {**super().get_config(), "curve": self.curve, "from_logits": self.from_logits, "max_fpr": self.max_fpr}
