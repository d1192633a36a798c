"""Multi-class ROC AUC and average precision, one class against the rest, as scikit-learn computes them.

Each class keeps the histogram of ``ExactAUC`` (one bucket per float16 value) of its
column of ``y_pred``, its samples as positives and the others' as negatives, all
from one pass over the batch (the classes are the labels of one ``ThresholdCounts``).
Macro, weighted and micro averages are read from those histograms: the micro
average from their sum, which is the histogram of every (sample, class) entry.
"""

from __future__ import annotations

import keras
from ._ops import ops

from ._class_columns import class_columns
from .threshold_metric import ThresholdMetric
from ..formulas import ranking as formulas
from .exact_auc import float16_values

_register = keras.saving.register_keras_serializable(package="accumetrics")
_AVERAGES = ("macro", "weighted", "micro", None)


@_register
class OneVsRestAUC(ThresholdMetric):
    """sklearn's ``roc_auc_score(y, p, multi_class="ovr", average=...)`` (``curve="ROC"``) or
    ``average_precision_score(y, p, average=...)`` (``curve="PR"``) of ``num_classes`` classes.

    ``y_true`` holds integer class ids, shape (N,) or (N, 1), or one-hot rows (N, C);
    ``y_pred`` the scores, shape (N, C). ``average`` is ``"macro"`` (the mean over
    classes), ``"weighted"`` (weighted by each class's total sample weight),
    ``"micro"`` (every (sample, class) entry in one binary problem) or ``None``
    (one value per class). Exact for scores that are float16 values (as softmax
    outputs of a float16 or bfloat16 model are); otherwise within
    :meth:`error_bound` of the exact value. A class without samples, or seen in
    every sample, has no ROC AUC: NaN, and so are the averages over it (as sklearn,
    which warns); its average precision is 0. The state is 1 MB per class.

    >>> m = OneVsRestAUC(num_classes=3)  # sklearn: roc_auc_score(y, p, multi_class="ovr") == 0.8611...
    >>> m.update_state([0, 1, 2, 2], [[0.5, 0.25, 0.25], [0.25, 0.5, 0.25], [0.25, 0.5, 0.25], [0.125, 0.125, 0.75]])
    >>> round(float(m.result()), 4)
    0.8611
    """

    def __init__(self, num_classes, curve="ROC", average="macro", from_logits=False, name="ovr_auc", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(f"num_classes must be an integer >= 2; got {num_classes!r}")
        curve = str(getattr(curve, "value", curve)).upper()
        if curve not in ("ROC", "PR"):
            raise ValueError(f'curve={curve!r}; expected "ROC" or "PR"')
        if average not in _AVERAGES:
            raise ValueError(f"average={average!r}; expected one of {_AVERAGES}")
        self.num_classes = num_classes
        self.curve = curve
        self.average = average
        self.from_logits = from_logits
        self._set_thresholds(float16_values(), clip=False, num_labels=num_classes)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.convert_to_tensor(y_pred)
        y_true = class_columns(y_true, y_pred, self.num_classes)
        if self.from_logits:
            y_pred = ops.softmax(ops.cast(y_pred, "float32"), axis=-1)
        self._accumulate(y_true, y_pred, sample_weight, multi_label=True)

    def _negatives_positives(self):
        """(negatives, positives) per bucket and class: shape (buckets, C) each."""
        h = ops.transpose(self._histogram.value(), (1, 0, 2))
        return h[..., 0], h[..., 1]

    def _average(self, per_class, neg, pos, pooled):
        if self.average is None:
            return per_class
        if self.average == "micro":
            return pooled(ops.sum(neg, axis=1), ops.sum(pos, axis=1))
        if self.average == "macro":
            return ops.mean(per_class)
        weight = ops.sum(pos, axis=0)
        return ops.divide_no_nan(ops.sum(per_class * weight), ops.sum(weight))

    def result(self):
        neg, pos = self._negatives_positives()
        formula = formulas.roc_auc if self.curve == "ROC" else formulas.average_precision

        def value(n, p):
            return formula(ops, n, p)

        return ops.cast(self._average(value(neg, pos), neg, pos, value), self.result_dtype)

    def error_bound(self):
        """A bound on ``|result - exact ROC AUC|`` (the same average of the classes' bounds; 0 for float16 scores)."""
        neg, pos = self._negatives_positives()

        def bound(n, p):
            return formulas.roc_auc_bound(ops, n, p)

        return ops.cast(self._average(bound(neg, pos), neg, pos, bound), self.result_dtype)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes, "curve": self.curve,
                "average": self.average, "from_logits": self.from_logits}
