"""Curves and counts at every distinct score, as in sklearn.metrics: the confusion matrix at each
threshold, the detection error tradeoff (DET) curve, a metric at each threshold, and the
trapezoidal area under any curve.

The counts at thresholds are the core's one sort-and-walk of the scores (``ranking_curve``),
as for roc_curve and precision_recall_curve.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np

from .._validation import check_consistent_length
from .._validation import parameters as checks
from .._validation.targets import as_target
from .._validation.targets import sample_weight as checked_weight
from ..thresholds import counts_at_every_score
from .ranking import _binary_target


def _column(a: np.ndarray) -> np.ndarray:
    if a.ndim == 2 and a.shape[1] == 1:
        return a[:, 0]
    if a.ndim != 1:
        raise ValueError(f"y should be a 1d array, got an array of shape {a.shape} instead.")
    return a


def auc(x, y):
    """Area under the curve through the points (x, y) by the trapezoidal rule; x monotonic. As sklearn.metrics.auc.

    >>> auc([0, 0.5, 1], [0, 0.75, 1])
    0.625
    """
    xs, ys = as_target(x, "x", "auc"), as_target(y, "y", "auc")
    check_consistent_length(x=xs, y=ys)
    xs, ys = _column(xs), _column(ys)
    for name, a in (("x", xs), ("y", ys)):
        if a.dtype.kind not in "biuf":
            raise ValueError(f"{name} has dtype {a.dtype}; numbers are needed")
    if xs.shape[0] < 2:
        raise ValueError(f"At least 2 points are needed to compute area under curve, but x.shape = {xs.shape[0]}")
    dx = np.diff(xs)
    direction = 1
    if (dx < 0).any():
        if not (dx <= 0).all():
            raise ValueError(f"x is neither increasing nor decreasing : {xs}.")
        direction = -1
    trapezoid = np.trapezoid if hasattr(np, "trapezoid") else np.trapz
    return float(direction * trapezoid(ys, xs))


def _counts(y_true, y_score, pos_label, sample_weight, func):
    """(tps, fps, thresholds, y_true array): cumulative weights above each distinct score, decreasing."""
    y01, s, w, dtype = _binary_target(y_true, y_score, pos_label, sample_weight, func)
    thresholds, tps, fps = counts_at_every_score(y01, s, w)
    if dtype.kind in "biuf" and dtype != np.float16:
        thresholds = thresholds.astype(dtype)
    return tps, fps, thresholds


def _keywords_once_positional(func):
    """Accepts pos_label and sample_weight by position too, with sklearn's FutureWarning (they became keyword-only)."""
    names = ("pos_label", "sample_weight")

    @functools.wraps(func)
    def accepting(y_true, y_score, *args, **kwargs):
        if len(args) > len(names):
            raise TypeError(f"{func.__name__}() takes 2 positional arguments but {2 + len(args)} were given")
        if args:
            given = ", ".join(f"{name}={value}" for name, value in zip(names, args))
            warnings.warn(f"Pass {given} as keyword args. From version 1.11 passing these as positional arguments "
                          "will result in an error", FutureWarning, stacklevel=2)
            kwargs.update(zip(names, args))
        return func(y_true, y_score, **kwargs)

    return accepting


@_keywords_once_positional
def confusion_matrix_at_thresholds(y_true, y_score, *, pos_label=None, sample_weight=None):
    """(tns, fps, fns, tps, thresholds): the binary confusion matrix when predicting positive at score >= each
    distinct score, thresholds decreasing, as sklearn.metrics.confusion_matrix_at_thresholds.

    >>> tns, fps, fns, tps, thresholds = confusion_matrix_at_thresholds([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> tps.tolist(), fps.tolist()
    ([1.0, 1.0, 2.0, 2.0], [0.0, 1.0, 1.0, 2.0])
    """
    tps, fps, thresholds = _counts(y_true, y_score, pos_label, sample_weight, "confusion_matrix_at_thresholds")
    return fps[-1] - fps, fps, tps[-1] - tps, tps, thresholds


def det_curve(y_true, y_score, pos_label=None, sample_weight=None, drop_intermediate=False):
    """Detection error tradeoff: (fpr, fnr, thresholds), false positive rate decreasing, as sklearn.metrics.det_curve.

    >>> fpr, fnr, thresholds = det_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> fpr.tolist(), fnr.tolist()
    ([0.5, 0.5, 0.0], [0.0, 0.5, 0.5])
    """
    func = "det_curve"
    drop_intermediate = checks.flag(drop_intermediate, "drop_intermediate", func)
    tps, fps, thresholds = _counts(y_true, y_score, pos_label, sample_weight, func)
    tps, fps = np.r_[0.0, tps], np.r_[0.0, fps]
    thresholds = np.r_[np.inf, thresholds.astype(np.float64)]
    if drop_intermediate and len(fps) > 2:
        keep = np.r_[True, np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:])), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    if len(np.unique(np.asarray(y_true))) != 2:
        raise ValueError("Only one class is present in y_true. Detection error tradeoff curve is not defined in that "
                         "case.")
    fns = tps[-1] - tps
    first = np.searchsorted(fps, fps[0], side="right") - 1
    last = np.searchsorted(tps, tps[-1]) + 1
    window = slice(first if first >= 0 else None, last)
    return fps[window][::-1] / fps[-1], fns[window][::-1] / tps[-1], thresholds[window][::-1]


def _descending(a: np.ndarray) -> np.ndarray:
    """A stable argsort, largest first (ties in their original order)."""
    return len(a) - 1 - np.argsort(a[::-1], kind="stable")[::-1]


def metric_at_thresholds(y_true, y_score, metric_func, *, sample_weight=None, metric_params=None):
    """(values, thresholds): ``metric_func(y_true, y_score >= t, **metric_params)`` at each distinct score t,
    thresholds decreasing, samples of zero weight left out; as sklearn.metrics.metric_at_thresholds.

    >>> from accumetrics import accuracy_score
    >>> values, thresholds = metric_at_thresholds([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], accuracy_score)
    >>> values.tolist(), thresholds.tolist()
    ([0.75, 0.5, 0.75, 0.5], [0.8, 0.4, 0.35, 0.1])
    """
    func = "metric_at_thresholds"
    if not callable(metric_func):
        raise checks.invalid(func, "metric_func", "a callable", metric_func)
    if metric_params is not None and not isinstance(metric_params, dict):
        raise checks.invalid(func, "metric_params", "an instance of 'dict' or None", metric_params)
    t, s = as_target(y_true, "y_true", func), as_target(y_score, "y_score", func)
    check_consistent_length(y_true=t, y_score=s, sample_weight=None if sample_weight is None else np.asarray(sample_weight))
    t, s = _column(t), _column(s)
    for name, a in (("y_true", t), ("y_score", s)):
        if a.dtype.kind == "f" and not np.isfinite(a).all():
            raise ValueError(f"Input {name} contains NaN." if np.isnan(a).any() else f"Input {name} contains infinity "
                             "or a value too large for dtype('float64').")
    w = None
    if sample_weight is not None:
        w = checked_weight(np.ravel(sample_weight), len(t))
        keep = w != 0
        t, s, w = t[keep], s[keep], w[keep]
    order = _descending(s)
    t, s = t[order], s[order]
    params = dict(metric_params or {})
    if w is not None:
        params["sample_weight"] = w[order]
    thresholds = s[np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]]
    values = [metric_func(t, (s >= threshold).astype(np.int32), **params) for threshold in thresholds]
    return np.asarray(values), thresholds
