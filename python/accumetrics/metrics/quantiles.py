"""Order statistics of the errors, as in sklearn.metrics: max error, median absolute error, and
the D² scores of the pinball loss against a (weighted) quantile of y_true.

Quantiles are not sums: they are computed exactly, in memory, by sorting each output once
(sklearn's weighted "averaged inverted CDF"; plain ``np.median`` without weights). The
pinball losses themselves are the core's sums (``deviance.PinballLoss``).
"""

from __future__ import annotations

import warnings

import numpy as np

from ..exceptions import UndefinedMetricWarning
from ..deviance import check_alpha
from .deviances import pinball_per_output
from .regression import _combine, _explained_fraction, _targets


def max_error(y_true, y_pred):
    """The largest absolute error, as sklearn.metrics.max_error (in memory: a maximum is an order statistic).

    >>> max_error([3, 2, 7, 1], [4, 2, 7, 1])
    1.0
    """
    t, p, _, _, _ = _targets(y_true, y_pred, None, "raw_values", "max_error")
    if t.shape[1] > 1:
        raise ValueError("Multioutput not supported in max_error")
    return float(np.max(np.abs(t - p)))


def weighted_quantile(a: np.ndarray, weight: np.ndarray, q: float) -> np.ndarray:
    """Per column of `a` (n, K): sklearn's weighted quantile at level q, "averaged inverted CDF".

    The smallest value whose cumulative weight reaches q of the total; where the cumulative
    weight meets that level exactly, the mean of it and the next value of non-zero weight.
    """
    dtype = np.float32 if a.dtype == np.float32 else np.float64
    a = np.asarray(a, dtype=dtype)
    weight = np.asarray(weight, dtype=dtype)
    order = np.argsort(a, axis=0)
    values = np.take_along_axis(a, order, axis=0)
    cdf = np.cumsum(weight[order], axis=0)
    out = np.empty(a.shape[1], dtype=dtype)
    last = len(a) - 1
    for k in range(a.shape[1]):
        column_cdf = cdf[:, k]
        level = dtype(dtype(q * 100) / 100 * column_cdf[-1])
        if level == 0:
            level = np.nextafter(level, dtype(1))
        at = min(int(np.searchsorted(column_cdf, level)), last)
        if column_cdf[at] - level > np.finfo(dtype).eps:
            out[k] = values[at, k]
            continue
        following = min(at + 1, last)
        if weight[order[following, k]] == 0:
            following = int(np.searchsorted(column_cdf, column_cdf[at], side="right"))
            following = at if following > last else following
        out[k] = (values[at, k] + values[following, k]) / 2
    return out


def median_absolute_error(y_true, y_pred, *, multioutput="uniform_average", sample_weight=None):
    """Median of ``|y_true - y_pred|`` per output, as sklearn.metrics.median_absolute_error.

    Computed exactly in memory (sorting each output); weighted as sklearn's weighted median.

    >>> median_absolute_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    0.5
    """
    t, p, w, multioutput, dtype = _targets(y_true, y_pred, sample_weight, multioutput, "median_absolute_error")
    errors = np.abs(p - t)
    per_output = np.median(errors, axis=0) if w is None else weighted_quantile(errors, w, 0.5)
    return _combine(np.asarray(per_output), multioutput, per_output.dtype)


def d2_pinball_score(y_true, y_pred, *, sample_weight=None, alpha=0.5, multioutput="uniform_average"):
    """D² of the pinball loss: 1 - loss / loss of the weighted alpha-quantile of y_true, as sklearn's.

    The quantile of y_true is computed exactly in memory; the losses are the core's sums.

    >>> round(d2_pinball_score([1, 2, 3], [1, 3, 3], alpha=0.9), 6)
    0.666667
    """
    func = "d2_pinball_score"
    alpha = check_alpha(alpha, func)
    t, p, w, multioutput, dtype = _targets(y_true, y_pred, sample_weight, multioutput, func)
    return _d2_pinball(t, p, w, alpha, multioutput, dtype)


def _d2_pinball(t, p, w, alpha, multioutput, dtype):
    if len(p) < 2:
        warnings.warn("D^2 score is not well-defined with less than two samples.", UndefinedMetricWarning,
                      stacklevel=3)
        return float("nan")
    dtype_t = np.float32 if t.dtype == np.float32 and p.dtype == np.float32 else np.float64
    t = t.astype(dtype_t, copy=False)
    numerator = pinball_per_output(t, p, w, alpha)
    quantile = weighted_quantile(t, np.ones(len(t)) if w is None else w, alpha)
    denominator = pinball_per_output(t, np.broadcast_to(quantile, t.shape), w, alpha)
    return _explained_fraction(numerator, denominator, multioutput, True, dtype)


def d2_absolute_error_score(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """D² of the absolute error against the weighted median of y_true, as sklearn's d2_absolute_error_score.

    The median is computed exactly in memory; the absolute errors are the core's sums.

    >>> round(d2_absolute_error_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]), 6)
    0.764706
    """
    t, p, w, multioutput, dtype = _targets(y_true, y_pred, sample_weight, multioutput, "d2_absolute_error_score")
    return _d2_pinball(t, p, w, 0.5, multioutput, dtype)
