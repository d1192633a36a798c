"""D² skill scores of probabilistic predictions, as in sklearn.metrics: the log loss and the Brier
score of the predictions against those of the weighted class frequencies (the null model).

The losses of the predictions are accumetrics' own ``log_loss`` and ``brier_score_loss`` (inputs,
checks and formulas are theirs). The null model predicts the class frequencies pi in every row,
so its mean losses need no second pass: -sum(pi * log(pi)) (pi clipped as log_loss clips) and
sum(pi * (1 - pi)).
"""

from __future__ import annotations

import warnings

import numpy as np

from .._validation import check_consistent_length
from .._validation import parameters as checks
from .._validation.encoding import positive_label
from .._validation.targets import as_target, numeric
from ..exceptions import UndefinedMetricWarning
from ..moments import Moments
from .classification import _one_hot, brier_score_loss, log_loss


def _too_few(y_true, y_proba, sample_weight) -> bool:
    """sklearn's first checks: consistent lengths, then fewer than two samples warn and give NaN."""
    t = as_target(y_true, "y_true", "")
    p = np.asarray(y_proba)
    check_consistent_length(y_proba=p, y_true=t, sample_weight=None if sample_weight is None or np.ndim(
        sample_weight) == 0 else np.asarray(sample_weight))
    if (p.shape[0] if p.ndim else 1) < 2:
        warnings.warn("D^2 score is not well-defined with less than two samples.", UndefinedMetricWarning,
                      stacklevel=3)
        return True
    return False


def _frequencies(indicator: np.ndarray, sample_weight) -> np.ndarray:
    """The weighted frequency of each column of a 0/1 indicator, the null model's probabilities."""
    w = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    columns = np.ascontiguousarray(indicator, dtype=np.float64)
    return np.atleast_1d(Moments(columns.shape[1]).update(None, columns, w).mean_pred)


def d2_log_loss_score(y_true, y_proba=None, *, sample_weight=None, labels=None, y_pred="deprecated"):
    """1 - log loss / log loss of predicting the weighted class frequencies, as sklearn's d2_log_loss_score.

    >>> round(d2_log_loss_score([1, 0, 1, 1], [0.9, 0.2, 0.8, 0.6]), 6)
    0.527651
    """
    y_proba = checks.renamed_y_proba(y_proba, y_pred)
    if _too_few(y_true, y_proba, sample_weight):
        return float("nan")
    loss = log_loss(y_true, y_proba, sample_weight=sample_weight, labels=labels)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        encoded, _ = _one_hot(as_target(y_true, "y_true", "log_loss"), labels, numeric(y_proba, "y_proba"))
    pi = _frequencies(encoded, sample_weight)
    eps = np.finfo(np.float64).eps
    null_loss = -np.sum(np.where(pi == 0, 0.0, pi * np.log(np.clip(pi, eps, 1 - eps))))
    return float(1 - np.float64(loss) / null_loss)  # 0 / 0 warns and gives NaN, as in sklearn


def d2_brier_score(y_true, y_proba, *, sample_weight=None, pos_label=None, labels=None):
    """1 - Brier score / Brier score of predicting the weighted class frequencies, as sklearn's d2_brier_score.

    >>> round(d2_brier_score([1, 0, 1, 1], [0.9, 0.2, 0.8, 0.6]), 6)
    0.666667
    """
    if _too_few(y_true, y_proba, sample_weight):
        return float("nan")
    score = brier_score_loss(y_true, y_proba, sample_weight=sample_weight, pos_label=pos_label, labels=labels,
                             scale_by_half=False)
    proba = numeric(y_proba, "y_proba")
    t = as_target(y_true, "y_true", "brier_score_loss")
    if proba.ndim == 1 or proba.shape[1] == 1:
        t = t.reshape(-1)
        positive = _frequencies((t == positive_label(t, pos_label, otherwise="largest")).reshape(-1, 1), sample_weight)[0]
        pi = np.array([1 - positive, positive])
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            encoded, _ = _one_hot(t, labels, proba)
        pi = _frequencies(encoded, sample_weight)
    null_score = np.sum(pi * (1 - pi))
    return float(1 - np.float64(score) / null_score)
