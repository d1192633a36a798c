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
from ._ops import ops

from ..formulas import ranking as formulas
from .confusion_metrics import checked_max_fpr
from .threshold_metric import ThresholdMetric

_register = keras.saving.register_keras_serializable(package="accumetrics")


def float16_values() -> np.ndarray:
    """Every finite float16 value, sorted, as float64 (-0 and +0 once)."""
    v = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16)
    return np.unique(v[np.isfinite(v)].astype(np.float64))


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
            value = formulas.partial_roc_auc(ops, neg, pos, self.max_fpr)
        else:
            value = (formulas.roc_auc if self.curve == "ROC" else formulas.average_precision)(ops, neg, pos)
        return ops.cast(value, self.result_dtype)

    def error_bound(self):
        """A bound on ``|result - exact ROC AUC|``: (pairs of a positive and a negative that share a bucket)
        / 2 / (positives * negatives). 0 when no bucket holds both classes."""
        return ops.cast(formulas.roc_auc_bound(ops, *self._negatives_positives()), self.result_dtype)

    def get_config(self):
        return {**super().get_config(), "curve": self.curve, "from_logits": self.from_logits, "max_fpr": self.max_fpr}
