"""Tweedie deviances and the pinball loss, as in sklearn.metrics, summed by the core.

The per-sample losses and their weighted sums are the core's, through the streaming
accumulators of accumetrics.deviance (TweedieDeviance, PinballLoss); D² of a Tweedie deviance
compares with the deviance of the weighted mean of y_true, in a second pass over the data.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..deviance import PinballLoss, TweedieDeviance, check_alpha, check_power
from .._validation.targets import check_weight_sum
from ..exceptions import UndefinedMetricWarning
from ..moments import Moments
from .regression import _combine, _targets


def mean_pinball_loss(y_true, y_pred, *, sample_weight=None, alpha=0.5, multioutput="uniform_average"):
    """Pinball loss for quantile regression at level ``alpha``, as sklearn.metrics.mean_pinball_loss.

    >>> round(mean_pinball_loss([1, 2, 3], [0, 2, 3], alpha=0.1), 6)
    0.033333
    """
    func = "mean_pinball_loss"
    alpha = check_alpha(alpha, func)
    t, p, w, multioutput, dtype = _targets(y_true, y_pred, sample_weight, multioutput, func)
    return _combine(pinball_per_output(t, p, w, alpha), multioutput, dtype)


def pinball_per_output(t: np.ndarray, p: np.ndarray, w, alpha: float) -> np.ndarray:
    check_weight_sum(w)
    return np.atleast_1d(PinballLoss(alpha, t.shape[1]).update(t, p, w).result())


def _single_output(y_true, y_pred, sample_weight, func: str):
    t, p, w, _, _ = _targets(y_true, y_pred, sample_weight, "raw_values", func)
    if t.shape[1] > 1:
        raise ValueError(f"Multioutput not supported in {func}")
    return t[:, 0].astype(np.float64), p[:, 0].astype(np.float64), w


def mean_tweedie_deviance(y_true, y_pred, *, sample_weight=None, power=0):
    """Mean Tweedie deviance at ``power``, as sklearn.metrics.mean_tweedie_deviance.

    >>> round(mean_tweedie_deviance([2, 0, 1, 4], [0.5, 0.5, 2., 2.], power=1), 6)
    1.426015
    """
    return _mean_deviance(y_true, y_pred, sample_weight, check_power(power, "mean_tweedie_deviance"))


def _mean_deviance(y_true, y_pred, sample_weight, power, func: str = "mean_tweedie_deviance") -> float:
    t, p, w = _single_output(y_true, y_pred, sample_weight, func)
    check_weight_sum(w)
    return float(TweedieDeviance(power).update(t, p, w).result())


def mean_poisson_deviance(y_true, y_pred, *, sample_weight=None):
    """Mean Poisson deviance (Tweedie power 1), as sklearn.metrics.mean_poisson_deviance.

    >>> round(mean_poisson_deviance([2, 0, 1, 4], [0.5, 0.5, 2., 2.]), 6)
    1.426015
    """
    return _mean_deviance(y_true, y_pred, sample_weight, 1)


def mean_gamma_deviance(y_true, y_pred, *, sample_weight=None):
    """Mean Gamma deviance (Tweedie power 2), as sklearn.metrics.mean_gamma_deviance.

    >>> round(mean_gamma_deviance([2, 0.5, 1, 4], [0.5, 0.5, 2., 2.]), 6)
    1.056853
    """
    return _mean_deviance(y_true, y_pred, sample_weight, 2)


def d2_tweedie_score(y_true, y_pred, *, sample_weight=None, power=0):
    """D² of the Tweedie deviance: 1 - deviance / deviance of the weighted mean, as sklearn's d2_tweedie_score.

    >>> round(d2_tweedie_score([0.5, 1, 2.5, 7], [1, 1, 5, 3.5], power=1), 6)
    0.487915
    """
    func = "d2_tweedie_score"
    power = check_power(power, func)
    t, p, w = _single_output(y_true, y_pred, sample_weight, func)
    if len(p) < 2:
        warnings.warn("D^2 score is not well-defined with less than two samples.", UndefinedMetricWarning,
                      stacklevel=2)
        return float("nan")
    check_weight_sum(w)
    deviance = TweedieDeviance(power).update(t, p, w)
    numerator = float(deviance.result())
    weighted = t if w is None else t[w != 0]
    constant = weighted.min() == weighted.max()
    mean = weighted[0] if constant else float(Moments().update(None, t, w).mean_pred)
    if power < 0 and mean <= 0:  # outside the deviance's domain: from the sums (NaN for a negative mean)
        denominator = float(deviance.null_deviance)
    else:
        denominator = float(TweedieDeviance(power).update(t, np.full(len(t), mean), w).result())
    if denominator == 0:
        raise ZeroDivisionError(f"{func} is undefined for a constant y_true: the deviance of its mean is 0")
    return 1 - numerator / denominator
