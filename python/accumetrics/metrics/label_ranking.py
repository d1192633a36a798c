"""Ranking of labels per sample, as in sklearn.metrics: coverage error, label ranking average
precision, label ranking loss, DCG and NDCG.

Each sample's labels are sorted once (all samples at a time, along the label axis), tied
scores grouped; the per-sample values are then averaged with the sample weights by the
core's compensated sums (``Moments``).
"""

from __future__ import annotations

import numbers

import numpy as np

from .._validation import check_consistent_length
from .._validation import parameters as checks
from .._validation.targets import MULTILABEL, as_target, check_weight_sum, type_of_target
from .._validation.targets import sample_weight as checked_weight
from ..moments import Moments


def _matrix(y, name: str, func: str) -> np.ndarray:
    a = as_target(y, name, func)
    if a.dtype.kind not in "biuf":
        raise ValueError(f"{name} has dtype {a.dtype}; numbers are needed")
    if a.ndim > 2:
        raise ValueError(f"Found array with dim {a.ndim}. None expected <= 2.")
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        raise ValueError(f"Input {name} contains NaN." if np.isnan(a).any() else f"Input {name} contains infinity "
                         "or a value too large for dtype('float64').")
    return a


def _inputs(y_true, y_score, sample_weight, func: str, kinds=(MULTILABEL,), same_shape=True):
    t, s = _matrix(y_true, "y_true", func), _matrix(y_score, "y_score", func)
    n = check_consistent_length(y_true=t, y_score=s, sample_weight=None if sample_weight is None or np.ndim(
        sample_weight) == 0 else np.asarray(sample_weight))
    kind = type_of_target(t, "y_true")
    if kind not in kinds:
        raise ValueError(f"{kind} format is not supported")
    if same_shape and t.shape != s.shape:
        raise ValueError("y_true and y_score have different shape")
    w = None if sample_weight is None else checked_weight(np.ravel(sample_weight), n, allow_all_zero=True)
    return t, s.astype(np.float64), w


def _mean(values: np.ndarray, w) -> float:
    check_weight_sum(w)
    return float(Moments().update(None, np.asarray(values, dtype=np.float64), w).mean_pred)


class _Sorted:
    """Each row's labels in increasing score order, with the first position of each tie group."""

    def __init__(self, relevant: np.ndarray, score: np.ndarray):
        order = np.argsort(score, axis=1, kind="stable")
        self.score = np.take_along_axis(score, order, axis=1)
        self.relevant = np.take_along_axis(relevant, order, axis=1)
        n, width = score.shape
        starts = np.ones((n, width), dtype=bool)
        starts[:, 1:] = self.score[:, 1:] != self.score[:, :-1]
        positions = np.broadcast_to(np.arange(width), (n, width))
        self.group_start = np.maximum.accumulate(np.where(starts, positions, 0), axis=1)

    def at_or_above(self, mask: np.ndarray) -> np.ndarray:
        """For each position: how many labels of `mask` (sorted order) score at least as high."""
        from_end = np.cumsum(mask[:, ::-1], axis=1)[:, ::-1]
        return np.take_along_axis(from_end, self.group_start, axis=1)


def coverage_error(y_true, y_score, *, sample_weight=None):
    """How far down the ranking one must go to cover every true label, averaged; as sklearn's coverage_error.

    >>> coverage_error([[1, 0, 0], [0, 0, 1]], [[0.75, 0.5, 1], [1, 0.2, 0.1]])
    2.5
    """
    func = "coverage_error"
    if np.ndim(y_true) != 2 or np.ndim(y_score) != 2:
        which, a = ("y_true", y_true) if np.ndim(y_true) != 2 else ("y_score", y_score)
        raise ValueError(f"Expected 2D array, got {np.ndim(a)}D array instead for {which}. Reshape your data "
                         "either using array.reshape(-1, 1) if your data has a single feature or array.reshape(1, -1) "
                         "if it contains a single sample.")
    t, s, w = _inputs(y_true, y_score, sample_weight, func)
    lowest_true = np.where(t != 0, s, np.inf).min(axis=1, keepdims=True)
    return _mean((s >= lowest_true).sum(axis=1), w)


def label_ranking_average_precision_score(y_true, y_score, *, sample_weight=None):
    """For each true label, the fraction of labels ranked at or above it that are true, averaged; as sklearn's.

    >>> round(label_ranking_average_precision_score([[1, 0, 0], [0, 0, 1]], [[0.75, 0.5, 1], [1, 0.2, 0.1]]), 6)
    0.416667
    """
    func = "label_ranking_average_precision_score"
    t, s, w = _inputs(y_true, y_score, sample_weight, func, kinds=(MULTILABEL, "binary"))
    if t.ndim != 2:
        raise ValueError("binary format is not supported")
    relevant = t != 0
    n, width = t.shape
    per_sample = np.ones(n)
    if width:
        ranked = _Sorted(relevant, s)
        precision = ranked.at_or_above(ranked.relevant) / ranked.at_or_above(np.ones_like(ranked.relevant))
        count = relevant.sum(axis=1)
        ranked_rows = (count > 0) & (count < width)
        total = np.where(ranked.relevant, precision, 0.0).sum(axis=1)
        per_sample[ranked_rows] = total[ranked_rows] / count[ranked_rows]
    if w is not None and w.sum() == 0:  # sklearn divides by the sum as it is: inf or NaN, with numpy's warning
        return float(np.dot(per_sample, w) / w.sum())
    return _mean(per_sample, w)


def label_ranking_loss(y_true, y_score, *, sample_weight=None):
    """The fraction of (true, false) label pairs ranked wrongly (false scored at least as high), averaged; as sklearn's.

    >>> label_ranking_loss([[1, 0, 0], [0, 0, 1]], [[0.75, 0.5, 1], [1, 0.2, 0.1]])
    0.75
    """
    t, s, w = _inputs(y_true, y_score, sample_weight, "label_ranking_loss")
    relevant = t != 0
    n, width = t.shape
    ranked = _Sorted(relevant, s)
    wrong = np.where(ranked.relevant, ranked.at_or_above(~ranked.relevant), 0).sum(axis=1)
    positives = relevant.sum(axis=1)
    pairs = (width - positives) * positives
    per_sample = np.zeros(n)
    ranked_rows = pairs > 0
    per_sample[ranked_rows] = wrong[ranked_rows] / pairs[ranked_rows]
    return _mean(per_sample, w)


_DCG_KINDS = ("multilabel-indicator", "continuous-multioutput", "multiclass-multioutput")


def _dcg_inputs(y_true, y_score, sample_weight, k, ignore_ties, func):
    if k is not None and (isinstance(k, (bool, np.bool_)) or not isinstance(k, numbers.Integral) or k < 1):
        raise checks.invalid(func, "k", "an int in the range [1, inf) or None", k)
    ignore_ties = checks.flag(ignore_ties, "ignore_ties", func)
    t, s = _matrix(y_true, "y_true", func), _matrix(y_score, "y_score", func)
    n = check_consistent_length(y_true=t, y_score=s, sample_weight=None if sample_weight is None or np.ndim(
        sample_weight) == 0 else np.asarray(sample_weight))
    return t, s, n, ignore_ties


def _check_dcg_kind(t: np.ndarray, s: np.ndarray) -> None:
    kind = type_of_target(t, "y_true")
    if kind not in _DCG_KINDS:
        raise ValueError(f"Only {_DCG_KINDS} formats are supported. Got {kind} instead")
    if t.shape != s.shape:
        raise ValueError(f"y_true and y_score have different shapes: {t.shape} and {s.shape}")


def _dcg(gains: np.ndarray, score: np.ndarray, k, log_base, ignore_ties: bool) -> np.ndarray:
    """Discounted cumulative gain of each row; tied scores share the mean gain of their group."""
    width = gains.shape[1]
    discount = 1 / (np.log(np.arange(width) + 2) / np.log(log_base))
    if k is not None:
        discount[k:] = 0
    if ignore_ties:
        ranking = np.argsort(score)[:, ::-1]
        return np.take_along_axis(gains, ranking, axis=1) @ discount
    order = np.argsort(-score, axis=1, kind="stable")
    ranked_score = np.take_along_axis(score, order, axis=1)
    ranked_gain = np.take_along_axis(np.asarray(gains, dtype=np.float64), order, axis=1)
    n = len(gains)
    ends = np.ones((n, width), dtype=bool)
    ends[:, :-1] = ranked_score[:, 1:] != ranked_score[:, :-1]
    cumulative_gain = np.cumsum(ranked_gain, axis=1)
    cumulative_discount = np.cumsum(discount)
    rows, last = np.nonzero(ends)
    first_in_row = np.r_[True, rows[1:] != rows[:-1]]
    previous = np.where(first_in_row, -1, np.r_[-1, last[:-1]])
    group_gain = cumulative_gain[rows, last] - np.where(previous >= 0, cumulative_gain[rows, np.maximum(previous, 0)], 0)
    group_discount = cumulative_discount[last] - np.where(previous >= 0, cumulative_discount[np.maximum(previous, 0)], 0)
    contribution = group_gain / (last - previous) * group_discount
    return np.bincount(rows, weights=contribution, minlength=n)


def dcg_score(y_true, y_score, *, k=None, log_base=2, sample_weight=None, ignore_ties=False):
    """Discounted cumulative gain: gains of the labels in score order, discounted by 1 / log_base(rank + 1),
    over the top k; averaged over samples. As sklearn.metrics.dcg_score.

    >>> round(dcg_score([[10, 0, 0, 1, 5]], [[.1, .2, .3, 4, 70]]), 6)
    9.499458
    """
    func = "dcg_score"
    if (isinstance(log_base, (bool, np.bool_)) or not isinstance(log_base, numbers.Real) or not log_base > 0):
        raise checks.invalid(func, "log_base", "a float in the range (0.0, inf)", log_base)
    t, s, n, ignore_ties = _dcg_inputs(y_true, y_score, sample_weight, k, ignore_ties, func)
    _check_dcg_kind(t, s)
    w = None if sample_weight is None else checked_weight(np.ravel(sample_weight), n, allow_all_zero=True)
    return _mean(_dcg(t, s, k, log_base, ignore_ties), w)


def ndcg_score(y_true, y_score, *, k=None, sample_weight=None, ignore_ties=False):
    """DCG divided by the DCG of the ideal ranking (0 where no label has gain), averaged; as sklearn's ndcg_score.

    >>> round(ndcg_score([[10, 0, 0, 1, 5]], [[.1, .2, .3, 4, 70]]), 6)
    0.695694
    """
    func = "ndcg_score"
    t, s, n, ignore_ties = _dcg_inputs(y_true, y_score, sample_weight, k, ignore_ties, func)
    if t.size and t.min() < 0:
        raise ValueError("ndcg_score should not be used on negative y_true values.")
    if t.ndim > 1 and t.shape[1] <= 1:
        raise ValueError(f"Computing NDCG is only meaningful when there is more than 1 document. Got {t.shape[1]} "
                         "instead.")
    _check_dcg_kind(t, s)
    w = None if sample_weight is None else checked_weight(np.ravel(sample_weight), n, allow_all_zero=True)
    gain = _dcg(t, s, k, 2, ignore_ties)
    ideal = _dcg(t, t, k, 2, True)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_sample = np.where(ideal == 0, 0.0, gain / ideal)
    return _mean(per_sample, w)
