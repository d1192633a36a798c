"""Regression metrics, as in sklearn.metrics, from the core's weighted moments.

One pass of the core (accumetrics.Moments) gives, per output, the weighted sums of
y_true, y_pred, their squares and product, ``|error|`` and error²; every metric here is a
ratio of those sums. MAPE and MSLE transform the inputs first (numpy), then use the
same sums. R² and explained variance are those of ``formulas.moments``, from sums centered as
sklearn centers its sums of squares: y_true and y_pred shifted by the weighted mean of y_true
(and, for explained variance, y_pred also by the weighted mean error), so that a variance is a sum
of small numbers, not the difference of two large ones, even where one weight dwarfs the others.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from .._validation import check_consistent_length, read
from .._validation import parameters as checks
from .._validation.targets import array_like, check_weight_sum, regression_values
from .._validation.targets import sample_weight as checked_weight
from ..exceptions import UndefinedMetricWarning
from ..formulas import moments as formulas
from ..formulas import numpy_ops
from ..moments import Moments

_MULTIOUTPUT = ("raw_values", "uniform_average")
# sklearn reads these with dtype="numeric", which refuses strings; the others convert number strings to float.
_NUMERIC_ONLY = ("max_error", "median_absolute_error")


def _targets(y_true, y_pred, sample_weight, multioutput, func: str, options=_MULTIOUTPUT):
    """sklearn's _check_reg_targets: (y_true, y_pred) as (n, K), weights, multioutput checked, result dtype."""
    if isinstance(multioutput, str):
        if multioutput not in options:
            raise checks.invalid(func, "multioutput", f"a str among {set(options)} or an array-like", multioutput)
    elif multioutput is None or np.isscalar(multioutput):
        raise checks.invalid(func, "multioutput", f"a str among {set(options)} or an array-like", multioutput)
    t, p = array_like(y_true, "y_true", func), array_like(y_pred, "y_pred", func)
    if sample_weight is not None and not isinstance(sample_weight, numbers.Number):
        check_consistent_length(t, p, read(sample_weight, "sample_weight"))
    check_consistent_length(t, p)
    strings = func not in _NUMERIC_ONLY
    t, p = regression_values(t, "y_true", strings), regression_values(p, "y_pred", strings)
    w = checked_weight(sample_weight, t, func=func)
    dtype = np.float32 if t.dtype == np.float32 and p.dtype == np.float32 else np.float64
    t = t.reshape(-1, 1) if t.ndim == 1 else t
    p = p.reshape(-1, 1) if p.ndim == 1 else p
    if t.shape[1] != p.shape[1]:
        raise ValueError(f"y_true and y_pred have different number of output ({t.shape[1]}!={p.shape[1]})")
    if not isinstance(multioutput, str):
        multioutput = read(multioutput, "multioutput").astype(np.float64).reshape(-1)
        if t.shape[1] == 1:
            raise ValueError("Custom weights are useful only in multi-output cases.")
        if t.shape[1] != multioutput.shape[0]:
            raise ValueError(f"There must be equally many custom weights ({multioutput.shape[0]}) as outputs "
                             f"({t.shape[1]}).")
    return t, p, w, multioutput, dtype


def _sums(t: np.ndarray, p: np.ndarray, w, centered: bool = False, centered_errors: bool = False
          ) -> dict[str, np.ndarray]:
    """Per-output weighted sums of the core. `centered`: of y_true and y_pred shifted by the weighted mean of
    y_true; `centered_errors`: y_pred also by the weighted mean of y_pred - y_true, so that the errors have mean 0."""
    check_weight_sum(w)
    t = np.asarray(t, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    if centered or centered_errors:
        origin = np.average(t, axis=0, weights=w)
        mean_error = np.average(p - t, axis=0, weights=w) if centered_errors else 0.0
        t, p = t - origin, p - origin - mean_error
    m = Moments(t.shape[1]).update(t, p, w)
    return {name: np.atleast_1d(np.asarray(v, dtype=np.float64)) for name, v in m.sums.items()}


def _stacked(s: dict[str, np.ndarray]) -> np.ndarray:
    """The sums as an array (K, columns), the columns of ``formulas.moments``."""
    return np.stack([s[name] for name in formulas.COLUMNS], axis=-1)


def _combine(per_output: np.ndarray, multioutput, dtype):
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return per_output.astype(dtype)
        multioutput = None
    return float(np.average(per_output, weights=multioutput))


def _weighted_mean(stat: str, y_true, y_pred, sample_weight, multioutput, func: str):
    """The weighted mean of a per-sample quantity the core sums, such as ``|error|`` for "sum_absolute_error"."""
    t, p, w, multioutput, dtype = _targets(y_true, y_pred, sample_weight, multioutput, func)
    s = _sums(t, p, w)
    return _combine(s[stat] / s["sum_weight"], multioutput, dtype)


def mean_absolute_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean absolute error, as sklearn.metrics.mean_absolute_error.

    >>> mean_absolute_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    0.5
    """
    return _weighted_mean("sum_absolute_error", y_true, y_pred, sample_weight, multioutput, "mean_absolute_error")


def mean_squared_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean squared error, as sklearn.metrics.mean_squared_error.

    >>> mean_squared_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    0.375
    """
    return _weighted_mean("sum_squared_error", y_true, y_pred, sample_weight, multioutput, "mean_squared_error")


def root_mean_squared_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Root mean squared error, as sklearn.metrics.root_mean_squared_error.

    >>> root_mean_squared_error([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    0.6123724356957945
    """
    func = "root_mean_squared_error"
    if isinstance(multioutput, str) or multioutput is None or np.isscalar(multioutput):
        _targets(y_true, y_pred, None, multioutput, func)  # checks multioutput
    else:  # as sklearn: output weights are applied to the raw values without a shape check of their own
        multioutput = read(multioutput, "multioutput").astype(np.float64)
    t, p, w, _, dtype = _targets(y_true, y_pred, sample_weight, "raw_values", func)
    s = _sums(t, p, w)
    return _combine(np.sqrt(s["sum_squared_error"] / s["sum_weight"]), multioutput, dtype)


def mean_absolute_percentage_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean absolute percentage error ``|y_pred - y_true| / max(|y_true|, eps)``, as sklearn's.

    >>> mean_absolute_percentage_error([1.0, 2.0, 4.0], [1.5, 2.0, 3.0])
    0.25
    """
    func = "mean_absolute_percentage_error"
    t, p, w, multioutput, dtype = _targets(y_true, y_pred, sample_weight, multioutput, func)
    check_weight_sum(w)
    t = t.astype(np.float64)
    ratio = np.abs(p - t) / np.maximum(np.abs(t), np.finfo(np.float64).eps)
    m = Moments(t.shape[1]).update(None, ratio, w)
    s = {name: np.atleast_1d(v) for name, v in m.sums.items()}
    return _combine(s["sum_pred"] / s["sum_weight"], multioutput, dtype)


def _log1p_targets(y_true, y_pred, sample_weight, multioutput, func: str, what: str):
    t, p, w, multioutput, dtype = _targets(y_true, y_pred, sample_weight, multioutput, func)
    if (t <= -1).any() or (p <= -1).any():
        raise ValueError(f"{what} cannot be used when targets contain values less than or equal to -1.")
    return np.log1p(t.astype(np.float64)), np.log1p(p.astype(np.float64)), w, multioutput, dtype


def mean_squared_log_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean squared logarithmic error, mean of (log1p(y_true) - log1p(y_pred))², as sklearn's.

    >>> round(mean_squared_log_error([3, 5, 2.5, 7], [2.5, 5, 4, 8]), 6)
    0.03973
    """
    t, p, w, multioutput, dtype = _log1p_targets(y_true, y_pred, sample_weight, multioutput, "mean_squared_log_error",
                                                 "Mean Squared Logarithmic Error")
    s = _sums(t, p, w)
    return _combine(s["sum_squared_error"] / s["sum_weight"], multioutput, dtype)


def root_mean_squared_log_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Root mean squared logarithmic error, as sklearn.metrics.root_mean_squared_log_error.

    >>> round(root_mean_squared_log_error([3, 5, 2.5, 7], [2.5, 5, 4, 8]), 6)
    0.199324
    """
    t, p, w, multioutput, dtype = _log1p_targets(y_true, y_pred, sample_weight, multioutput,
                                                 "root_mean_squared_log_error", "Root Mean Squared Logarithmic Error")
    s = _sums(t, p, w)
    return _combine(np.sqrt(s["sum_squared_error"] / s["sum_weight"]), multioutput, dtype)


def _explained_fraction(numerator, denominator, multioutput, force_finite, dtype):
    """sklearn's _assemble_fraction_of_explained_deviance: 1 - numerator / denominator per output."""
    nonzero_den = denominator != 0
    if not force_finite:
        scores = 1 - numerator / denominator  # 0 / 0 warns, as in sklearn
    else:
        scores = formulas.explained_fraction(numpy_ops, np.asarray(numerator, dtype=np.float64),
                                             np.asarray(denominator, dtype=np.float64))
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return scores.astype(dtype)
        weights = None
        if multioutput == "variance_weighted" and nonzero_den.any():
            weights = denominator
    else:
        weights = multioutput
    return float(np.average(scores, weights=weights))


def _fraction_targets(y_true, y_pred, sample_weight, multioutput, force_finite, func: str):
    """_targets of a fraction of explained variance, which also takes multioutput="variance_weighted", and its
    force_finite checked."""
    force_finite = checks.flag(force_finite, "force_finite", func)
    t, p, w, multioutput, dtype = _targets(y_true, y_pred, sample_weight, multioutput, func,
                                           _MULTIOUTPUT + ("variance_weighted",))
    return t, p, w, multioutput, force_finite, dtype


def r2_score(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average", force_finite=True):
    """Coefficient of determination 1 - SSE / SST, as sklearn.metrics.r2_score.

    >>> r2_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    0.9486081370449679
    """
    t, p, w, multioutput, force_finite, dtype = _fraction_targets(y_true, y_pred, sample_weight, multioutput,
                                                                  force_finite, "r2_score")
    if len(p) < 2:
        warnings.warn("R^2 score is not well-defined with less than two samples.", UndefinedMetricWarning,
                      stacklevel=2)
        return float("nan")
    s = _stacked(_sums(t, p, w, centered=True))
    return _explained_fraction(formulas.mean_squared_error(numpy_ops, s), formulas.true_variance(numpy_ops, s),
                               multioutput, force_finite, dtype)


def explained_variance_score(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average",
                             force_finite=True):
    """Explained variance 1 - Var(y_true - y_pred) / Var(y_true), as sklearn's.

    >>> explained_variance_score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])
    0.9571734475374732
    """
    t, p, w, multioutput, force_finite, dtype = _fraction_targets(y_true, y_pred, sample_weight, multioutput,
                                                                  force_finite, "explained_variance_score")
    s = _stacked(_sums(t, p, w, centered_errors=True))
    return _explained_fraction(formulas.error_variance(numpy_ops, s), formulas.true_variance(numpy_ops, s),
                               multioutput, force_finite, dtype)
