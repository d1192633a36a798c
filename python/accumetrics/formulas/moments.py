"""Values read from weighted sums (the columns of the core's ``Moments``), each written once for numpy and
``keras.ops`` (``xp``): variances, R², explained variance, Pearson and concordance correlations.

The sums are best centered (y_true and y_pred shifted by one common origin near their mean, which
leaves every error untouched): then a large mean against a small spread does not cancel the
variance away. Divisions by a zero weight give NaN, as numpy's do (without its warnings).
"""

from __future__ import annotations

import numpy as np

# The order of the core's Stat sums (accumetrics._core.Stat), the last axis of ``sums``.
COLUMNS = ("sum_weight", "sum_pred", "sum_true", "sum_pred_squared", "sum_true_squared", "sum_pred_true",
           "sum_absolute_error", "sum_squared_error")
WEIGHT, PRED, TRUE, PRED_SQUARED, TRUE_SQUARED, PRED_TRUE, ABSOLUTE_ERROR, SQUARED_ERROR = range(len(COLUMNS))
_EPS = float(np.finfo(np.float64).eps)


def _quiet():
    return np.errstate(invalid="ignore", divide="ignore", over="ignore")


def variance(xp, sum_weight, sum_x, sum_x_squared):
    """Weighted variance per unit weight from sums of w, w*x and w*x².

    A variance within the rounding error of the sums (a few ulp of the second moment) cannot be
    told from zero and is zero: a constant x has no variance, whatever its sums round to. Negative
    weights may make it negative, as they make scikit-learn's.
    """
    with _quiet():
        mean, second = sum_x / sum_weight, sum_x_squared / sum_weight
        var = second - mean * mean
        return xp.where(xp.abs(var) <= 8 * _EPS * xp.abs(second), xp.zeros_like(var), var)


def _columns(xp, sums):
    """The sums by column, in one op (a slice per column costs four ops in a graph)."""
    return xp.unstack(sums, axis=-1)


def covariance(xp, sums):
    """Weighted covariance of y_true and y_pred per unit weight."""
    c = _columns(xp, sums)
    with _quiet():
        return c[PRED_TRUE] / c[WEIGHT] - (c[TRUE] / c[WEIGHT]) * (c[PRED] / c[WEIGHT])


def explained_fraction(xp, unexplained, total, force_finite: bool = True):
    """1 - unexplained / total (R², explained variance, D²), as scikit-learn's.

    With ``force_finite``: 1.0 where nothing is unexplained, 0.0 where only the total is zero;
    otherwise the plain ratio (-inf or NaN there).
    """
    with _quiet():
        scores = 1.0 - unexplained / total
    if force_finite:
        ones, zeros = xp.ones_like(scores), xp.zeros_like(scores)
        scores = xp.where(unexplained == 0, ones, xp.where(total == 0, zeros, scores))
    return scores


def mean_squared_error(xp, sums):
    c = _columns(xp, sums)
    with _quiet():
        return c[SQUARED_ERROR] / c[WEIGHT]


def true_variance(xp, sums):
    c = _columns(xp, sums)
    return variance(xp, c[WEIGHT], c[TRUE], c[TRUE_SQUARED])


def pred_variance(xp, sums):
    c = _columns(xp, sums)
    return variance(xp, c[WEIGHT], c[PRED], c[PRED_SQUARED])


def error_variance(xp, sums):
    """Var(y_pred - y_true) per unit weight."""
    c = _columns(xp, sums)
    return variance(xp, c[WEIGHT], c[PRED] - c[TRUE], c[SQUARED_ERROR])


def r2(xp, sums, force_finite: bool = True):
    """R² = 1 - MSE / Var(y_true) per output (``sums``: the columns on the last axis)."""
    return explained_fraction(xp, mean_squared_error(xp, sums), true_variance(xp, sums), force_finite)


def explained_variance(xp, sums, force_finite: bool = True):
    """1 - Var(y_true - y_pred) / Var(y_true) per output."""
    return explained_fraction(xp, error_variance(xp, sums), true_variance(xp, sums), force_finite)


def pearson(xp, sums):
    """Pearson's correlation of y_true and y_pred per output: NaN where either is constant."""
    with _quiet():
        return covariance(xp, sums) / xp.sqrt(true_variance(xp, sums) * pred_variance(xp, sums))


def concordance(xp, sums):
    """Lin's concordance correlation coefficient of y_true and y_pred per output."""
    c = _columns(xp, sums)
    with _quiet():
        mean_error = c[PRED] / c[WEIGHT] - c[TRUE] / c[WEIGHT]
        return 2 * covariance(xp, sums) / (true_variance(xp, sums) + pred_variance(xp, sums) + mean_error**2)
