"""Precision, recall and F-beta from per-label counts, with sklearn's zero-division and averaging rules."""

from __future__ import annotations

import warnings

import numpy as np

from .._validation import parameters as checks
from ..exceptions import UndefinedMetricWarning
from ..formulas import confusion as formulas
from ..formulas import numpy_ops


def divide(numerator, denominator, metric: str, modifier: str, average, warn_for, zero_division) -> np.ndarray:
    """numerator / denominator, with `zero_division` where the denominator is 0 (and a warning for 'warn')."""
    return undefined_as(np.divide(numerator, np.where(np.asarray(denominator) == 0, 1, denominator),
                                  dtype=np.float64), denominator, metric, modifier, average, warn_for, zero_division)


def undefined_as(values, denominator, metric: str, modifier: str, average, warn_for, zero_division) -> np.ndarray:
    """``values`` with `zero_division` where their ``denominator`` is 0 (and a warning for 'warn')."""
    mask = np.asarray(denominator) == 0
    result = np.array(values, dtype=np.float64)
    if not mask.any():
        return result
    result[mask] = checks.zero_division_value(zero_division)
    if not (isinstance(zero_division, str) and zero_division == "warn") or metric not in warn_for:
        return result
    _warn(average, modifier, f"{metric.capitalize()} is", result.shape[0])
    return result


def _warn(average, modifier: str, start: str, size: int) -> None:
    axis0, axis1 = ("label", "sample") if average == "samples" else ("sample", "label")
    where = "due to" if size == 1 else f"in {axis1}s with"
    warnings.warn(
        f"{start} ill-defined and being set to 0.0 {where} no {modifier} {axis0}s. "
        "Use `zero_division` parameter to control this behavior.",
        UndefinedMetricWarning,
        stacklevel=4,
    )


def nan_average(a: np.ndarray, weights=None) -> float:
    """Average ignoring NaN; weights that are all zero (after dropping NaN) are ignored."""
    if a.shape[0] == 0:
        return np.nan
    mask = np.isnan(a)
    if mask.all():
        return np.nan
    if weights is None:
        return np.nanmean(a)
    a, weights = a[~mask], np.asarray(weights)[~mask]
    try:
        return np.average(a, weights=weights)
    except ZeroDivisionError:
        return np.average(a)


def scores(tp, pred, true, *, beta, average, warn_for, zero_division, sample_weight):
    """precision, recall, F-beta and support as sklearn's ``precision_recall_fscore_support`` returns them."""
    if average == "micro":
        tp, pred, true = (np.reshape(np.sum(x), (1,)) for x in (tp, pred, true))
    precision = undefined_as(formulas.precision(numpy_ops, tp, pred), pred, "precision", "predicted", average,
                             warn_for, zero_division)
    recall = undefined_as(formulas.recall(numpy_ops, tp, true), true, "recall", "true", average, warn_for,
                          zero_division)
    if np.isposinf(beta):
        f_score = recall
    elif beta == 0:
        f_score = precision
    else:
        f_score = undefined_as(formulas.f_beta(numpy_ops, tp, pred, true, beta), beta**2 * true + pred, "f-score",
                               "true nor predicted", average, warn_for, zero_division)
    weights = true if average == "weighted" else sample_weight if average == "samples" else None
    if average is None:
        return precision, recall, f_score, true
    return (
        float(nan_average(precision, weights)),
        float(nan_average(recall, weights)),
        float(nan_average(f_score, weights)),
        None,
    )
