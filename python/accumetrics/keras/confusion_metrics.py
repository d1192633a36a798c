"""Metrics read from binary confusion counts at thresholds: TP/FP/TN/FN, Precision, Recall,
the *At* metrics and AUC.

All of them share one engine: a histogram of (bucket, label) computed by the core's
``ThresholdCounts``, where a score's bucket is the number of thresholds strictly
below it. Each batch's histogram becomes TP, FP, TN and FN at every threshold,
added to the variables Keras's metrics have (``true_positives``, ...), kept in
float64 (``StateVariable``; a double-float32 pair on JAX without x64), so counts stay
exact far past float32's 2**24.
"""

from __future__ import annotations

import numpy as np
import keras
from ._ops import ops

from keras.src.metrics.metrics_utils import AUCCurve, AUCSummationMethod  # Keras's enums (AUC.curve, ...)

from .._validation import check_memory
from ..formulas import confusion as formulas
from ..formulas import ranking as ranking_formulas
from .threshold_metric import FIELDS, NEG_INF, ThresholdMetric

_EPSILON = 1e-7
_register = keras.saving.register_keras_serializable(package="accumetrics")

_STRICT = """
    A score counts as positive at threshold ``t`` when ``score > t`` (strictly), at
    every threshold. (Keras's evenly-spaced fast path can count a score that lies
    exactly on an interior grid value, after float32 rounding, as above it.)
"""


def _to_list(x):
    return list(x) if isinstance(x, (list, tuple, np.ndarray)) else [x]


def _parse_thresholds(thresholds, default):
    if thresholds is not None:
        bad = [t for t in _to_list(thresholds) if t is None or not t >= 0 or t > 1]  # NaN is not >= 0
        if bad:
            raise ValueError(f"Threshold values must be in [0, 1]. Received: {bad}")
    return _to_list(default if thresholds is None else thresholds)


def _finite_thresholds(thresholds):
    values = [float(t) for t in _to_list(thresholds)]
    bad = [t for t in values if not np.isfinite(t)]
    if bad:
        raise ValueError(f"thresholds must be finite numbers. Received: {bad}")
    return values


def _check_memory(num_thresholds: int, num_labels: int | None, what: str) -> None:
    """Refuses, before anything is allocated, thresholds whose state and per-batch scratch (four counts,
    the histogram and the thresholds themselves, float64 each) exceed the memory limit."""
    check_memory(int(num_thresholds) * max(int(num_labels or 1), 1) * 8 * 10 + int(num_thresholds) * 8 * 4,
                 "num_thresholds", what)


def _evenly_spaced(thresholds) -> bool:
    n = len(thresholds)
    if n < 3:
        return False
    return bool(np.allclose(thresholds, np.arange(n, dtype=np.float32) / (n - 1), atol=_EPSILON))


def checked_max_fpr(max_fpr, curve: str, summation: str = "interpolation"):
    """``max_fpr`` checked: None (also for 1, the whole curve) or a float in (0, 1) on the interpolated ROC."""
    if max_fpr is None:
        return None
    if isinstance(max_fpr, (bool, np.bool_)) or not isinstance(max_fpr, (int, float, np.integer, np.floating)) \
            or not 0 < max_fpr <= 1:
        raise ValueError(f"max_fpr={max_fpr!r}: expected a float in (0, 1], or None")
    if curve != "ROC":
        raise ValueError(f"max_fpr={max_fpr!r} is a partial ROC AUC: it needs curve='ROC', got curve={curve!r}")
    if summation != "interpolation":
        raise ValueError(f"max_fpr={max_fpr!r} needs summation_method='interpolation' (the trapezoidal ROC curve, "
                         f"as scikit-learn's), got summation_method={summation!r}")
    return None if max_fpr == 1 else float(max_fpr)


class _ConfusionMatrixConditionCount(ThresholdMetric):
    _field = "tp"
    _kept = {"tp": "accumulator"}

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = _parse_thresholds(thresholds, 0.5)
        self._set_thresholds(self.thresholds, clip=_evenly_spaced(self.thresholds))

    def update_state(self, y_true, y_pred, sample_weight=None):
        self._accumulate(y_true, y_pred, sample_weight)

    def result(self):
        r = self._count(self._field)
        return self._out(r[0] if len(self.thresholds) == 1 else r)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


@_register
class TruePositives(_ConfusionMatrixConditionCount):
    __doc__ = """The weighted number of true positives, at each threshold (default 0.5).
""" + _STRICT + """
    Counts are kept in float64: exact up to 2**53 samples (float32 stops at 2**24).

    >>> m = TruePositives()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> float(m.result())
    2.0
    """
    _field = "tp"
    _kept = {"tp": "accumulator"}


@_register
class FalsePositives(_ConfusionMatrixConditionCount):
    __doc__ = "The weighted number of false positives, at each threshold (default 0.5).\n" + _STRICT
    _field = "fp"
    _kept = {"fp": "accumulator"}


@_register
class TrueNegatives(_ConfusionMatrixConditionCount):
    __doc__ = "The weighted number of true negatives, at each threshold (default 0.5).\n" + _STRICT
    _field = "tn"
    _kept = {"tn": "accumulator"}


@_register
class FalseNegatives(_ConfusionMatrixConditionCount):
    __doc__ = "The weighted number of false negatives, at each threshold (default 0.5).\n" + _STRICT
    _field = "fn"
    _kept = {"fn": "accumulator"}


class _PrecisionRecall(ThresholdMetric):
    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        self.thresholds = _parse_thresholds(thresholds, 0.5 if top_k is None else NEG_INF)
        self._set_thresholds(self.thresholds, clip=_evenly_spaced(self.thresholds))

    def update_state(self, y_true, y_pred, sample_weight=None):
        self._accumulate(y_true, y_pred, sample_weight, top_k=self.top_k, class_id=self.class_id)

    def result(self):
        tp = self._count("tp")
        if self._precision:
            r = formulas.precision(ops, tp, tp + self._count("fp"))
        else:
            r = formulas.recall(ops, tp, tp + self._count("fn"))
        return self._out(r[0] if len(self.thresholds) == 1 else r)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


@_register
class Precision(_PrecisionRecall):
    __doc__ = """TP / (TP + FP) at each threshold (default 0.5), optionally over the top_k scores or one class_id.
""" + _STRICT + """
    >>> m = Precision()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(m.result()), 4)
    0.6667
    """
    _precision = True
    _kept = {"tp": "true_positives", "fp": "false_positives"}


@_register
class Recall(_PrecisionRecall):
    __doc__ = """TP / (TP + FN) at each threshold (default 0.5), optionally over the top_k scores or one class_id.
""" + _STRICT + """
    >>> m = Recall()
    >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    >>> round(float(m.result()), 4)
    0.6667
    """
    _precision = False
    _kept = {"tp": "true_positives", "fn": "false_negatives"}


class SensitivitySpecificityBase(ThresholdMetric):
    """Base of the metrics that maximise one rate subject to a bound on another."""

    _value_name = ""
    _kept = {"tp": "true_positives", "fp": "false_positives", "tn": "true_negatives", "fn": "false_negatives"}

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if num_thresholds <= 0:
            raise ValueError("Argument `num_thresholds` must be an integer > 0. "
                             f"Received: num_thresholds={num_thresholds}")
        if value < 0 or value > 1:
            raise ValueError(f"Argument `{self._value_name}` must be in the range [0, 1]. "
                             f"Received: {self._value_name}={value}")
        self.value = value
        setattr(self, self._value_name, value)
        _check_memory(num_thresholds, 1, f"{type(self).__name__}(num_thresholds={num_thresholds})")
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds, even = [0.5], False
        else:
            self.thresholds = [0.0] + [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)] + [1.0]
            even = True
        self._set_thresholds(self.thresholds, clip=even)

    def update_state(self, y_true, y_pred, sample_weight=None):
        self._accumulate(y_true, y_pred, sample_weight, class_id=self.class_id)

    def _rates(self):
        tp, fp, tn, fn = (self._count(f) for f in FIELDS)
        recall = formulas.recall(ops, tp, tp + fn)
        return {"sensitivity": recall, "recall": recall, "specificity": formulas.specificity(ops, tn, tn + fp),
                "precision": formulas.precision(ops, tp, tp + fp)}

    def _feasible(self, constrained):
        # Keras compares float32 rates with the float32 target: a rate of exactly the target
        # (3/5 against 0.6) is feasible there, and must be here.
        return ops.greater_equal(ops.cast(constrained, "float32"), ops.cast(self.value, "float32"))

    def _max_under_constraint(self, constrained, dependent):
        feasible = self._feasible(constrained)
        return self._out(ops.max(ops.where(feasible, dependent, ops.zeros_like(dependent)), initial=0))

    _constrained, _dependent = "", ""  # the rates result() reads: the bound one and the maximised one

    def threshold_reached(self):
        """The threshold at which ``result()`` is reached: the lowest one among those meeting the bound
        where the maximised rate is highest; NaN when no threshold meets the bound."""
        r = self._rates()
        feasible = self._feasible(r[self._constrained])
        best = ops.argmax(ops.where(feasible, r[self._dependent], -ops.ones_like(r[self._dependent])))
        t = ops.take(ops.convert_to_tensor(np.asarray(self.thresholds, dtype=np.float32)), best)
        return self._out(ops.where(ops.any(feasible), t, float("nan")))

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id, "num_thresholds": self.num_thresholds,
                self._value_name: self.value}


@_register
class SensitivityAtSpecificity(SensitivitySpecificityBase):
    __doc__ = "The best sensitivity (recall) among thresholds whose specificity is >= `specificity`.\n" + _STRICT
    _value_name = "specificity"
    _constrained, _dependent = "specificity", "sensitivity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._max_under_constraint(r["specificity"], r["sensitivity"])


@_register
class SpecificityAtSensitivity(SensitivitySpecificityBase):
    __doc__ = "The best specificity among thresholds whose sensitivity is >= `sensitivity`.\n" + _STRICT
    _value_name = "sensitivity"
    _constrained, _dependent = "sensitivity", "specificity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._max_under_constraint(r["sensitivity"], r["specificity"])


@_register
class PrecisionAtRecall(SensitivitySpecificityBase):
    __doc__ = "The best precision among thresholds whose recall is >= `recall`.\n" + _STRICT
    _value_name = "recall"
    _constrained, _dependent = "recall", "precision"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._max_under_constraint(r["recall"], r["precision"])


@_register
class RecallAtPrecision(SensitivitySpecificityBase):
    __doc__ = "The best recall among thresholds whose precision is >= `precision`.\n" + _STRICT
    _value_name = "precision"
    _constrained, _dependent = "precision", "recall"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._max_under_constraint(r["precision"], r["recall"])


@_register
class AUC(ThresholdMetric):
    __doc__ = """Area under the ROC, PR or PR-gain curve, from confusion counts at thresholds.

    Arguments as ``keras.metrics.AUC``. Thresholds are ``num_thresholds`` evenly
    spaced on [0, 1] (the ends nudged by 1e-7), or the given ``thresholds`` plus
    those ends; uneven thresholds cost no more than even ones (each score is
    bucketed once).

    ``max_fpr`` (not in Keras; ``curve="ROC"`` with ``summation_method="interpolation"``
    only) gives the standardized partial ROC AUC up to that false positive rate, as
    scikit-learn's ``roc_auc_score(max_fpr=...)`` (McClish correction), from the same
    counts: equal to it when every score is one of the thresholds, an approximation of
    the binned curve otherwise. With one class present it is NaN, where the full
    ``AUC`` returns Keras's 0.
""" + _STRICT + """
    >>> m = AUC(num_thresholds=3)
    >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    >>> round(float(m.result()), 4)
    0.75
    """

    _kept = {"tp": "true_positives", "fp": "false_positives", "tn": "true_negatives", "fn": "false_negatives"}

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation", name=None, dtype=None,
                 thresholds=None, multi_label=False, num_labels=None, label_weights=None, from_logits=False,
                 max_fpr=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.curve = curve if isinstance(curve, AUCCurve) else AUCCurve.from_str(curve)
        self.summation_method = (summation_method if isinstance(summation_method, AUCSummationMethod)
                                 else AUCSummationMethod.from_str(summation_method))
        self.max_fpr = checked_max_fpr(max_fpr, self.curve.value, self.summation_method.value)
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            thresholds = sorted(_finite_thresholds(thresholds))
            self.num_thresholds = len(thresholds) + 2
            even = _evenly_spaced(np.array([0.0] + thresholds + [1.0]))
        else:
            if num_thresholds <= 1:
                raise ValueError("Argument `num_thresholds` must be an integer > 1. "
                                 f"Received: num_thresholds={num_thresholds}")
            _check_memory(num_thresholds, num_labels if multi_label else 1, f"AUC(num_thresholds={num_thresholds})")
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            even = True
        self._thresholds = np.array([0.0 - _EPSILON] + thresholds + [1.0 + _EPSILON])
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = None if label_weights is None else np.asarray(label_weights, dtype=np.float32)
        self._from_logits = from_logits
        if not multi_label and num_labels:
            raise ValueError("`num_labels` is needed only when `multi_label` is True.")
        self._set_thresholds(self._thresholds, clip=even, num_labels=num_labels if multi_label else 1,
                             multi_label=multi_label)

    @property
    def thresholds(self):
        return list(self._thresholds)

    def update_state(self, y_true, y_pred, sample_weight=None):
        if self._from_logits:
            y_pred = ops.sigmoid(ops.cast(y_pred, "float32"))
        self._accumulate(y_true, y_pred, sample_weight, label_weights=None if self.multi_label else self.label_weights)

    def _by_label(self, terms):
        if not self.multi_label:
            return ops.sum(terms)
        by_label = ops.sum(terms, axis=0)
        if self.label_weights is None:
            return ops.mean(by_label)
        lw = ops.cast(ops.convert_to_tensor(self.label_weights), by_label.dtype)
        return ops.divide_no_nan(ops.sum(by_label * lw), ops.sum(lw))

    def _interpolate_pr_auc(self, tp, fp, fn):
        n = self.num_thresholds
        dtp = tp[: n - 1] - tp[1:]
        p = tp + fp
        dp = p[: n - 1] - p[1:]
        slope = ops.divide_no_nan(dtp, ops.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        safe_ratio = ops.where(ops.logical_and(p[: n - 1] > 0, p[1:] > 0),
                               ops.divide_no_nan(p[: n - 1], ops.maximum(p[1:], 0)), ops.ones_like(p[1:]))
        increment = ops.divide_no_nan(slope * (dtp + intercept * ops.log(safe_ratio)),
                                      ops.maximum(tp[1:] + fn[1:], 0))
        return self._by_label(increment)

    def _partial_roc_auc(self, tp, fp, tn, fn):
        # Thresholds ascend, so the false positive rate descends: flipped, the curve runs from (0, 0).
        negatives, positives = fp + tn, tp + fn
        fpr = ops.flip(ops.divide_no_nan(fp, negatives), axis=0)
        tpr = ops.flip(ops.divide_no_nan(tp, positives), axis=0)
        value = ranking_formulas.standardized_partial_auc(ops, fpr, tpr, self.max_fpr)
        value = ops.where(negatives[0] * positives[0] > 0, value, float("nan"))
        if not self.multi_label:
            return value
        if self.label_weights is None:
            return ops.sum(value) / value.shape[0]  # not ops.mean: float32 on torch
        lw = ops.cast(ops.convert_to_tensor(self.label_weights), value.dtype)
        return ops.divide_no_nan(ops.sum(value * lw), ops.sum(lw))

    def result(self):
        if self._state is None:
            return ops.convert_to_tensor(0.0, dtype=self.result_dtype)
        tp, fp, tn, fn = (self._count(f) for f in FIELDS)
        if self.max_fpr is not None:
            return self._out(self._partial_roc_auc(tp, fp, tn, fn))
        curve, summation = self.curve.value, self.summation_method.value
        if curve == "PR" and summation == "interpolation":
            return self._out(self._interpolate_pr_auc(tp, fp, fn))
        recall = formulas.recall(ops, tp, tp + fn)
        if curve == "ROC":
            x, y = formulas.false_positive_rate(ops, fp, fp + tn), recall
        elif curve == "PR":
            x, y = recall, formulas.precision(ops, tp, tp + fp)
        else:
            scale = ops.divide_no_nan(tp + fn, tn + fp)
            no_tp = ops.equal(tp, 0.0)
            recall_gain = ops.where(no_tp, 0.0, 1.0 - scale * ops.divide_no_nan(fn, tp))
            precision_gain = ops.where(no_tp, 1.0, 1.0 - scale * ops.divide_no_nan(fp, tp))
            x, y = ops.maximum(recall_gain, 0.0), precision_gain
        n = self.num_thresholds
        if summation == "interpolation":
            heights = (y[: n - 1] + y[1:]) / 2.0
        elif summation == "minoring":
            heights = ops.minimum(y[: n - 1], y[1:])
        else:
            heights = ops.maximum(y[: n - 1], y[1:])
        return self._out(self._by_label((x[: n - 1] - x[1:]) * heights))

    def get_config(self):
        config = {"num_thresholds": self.num_thresholds, "curve": self.curve.value,
                  "summation_method": self.summation_method.value, "multi_label": self.multi_label,
                  "num_labels": self.num_labels,
                  "label_weights": None if self.label_weights is None else self.label_weights.tolist(),
                  "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        if self.max_fpr is not None:
            config["max_fpr"] = self.max_fpr
        return {**super().get_config(), **config}
