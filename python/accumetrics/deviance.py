"""Streaming Tweedie deviances and pinball (quantile) losses: weighted sums of per-sample losses.

The per-sample formulas live here once; the sums are the core's (``Moments``: float64 with
compensated summation, mergeable, sliceable). ``mean_tweedie_deviance``, ``mean_pinball_loss``
and the D² scores of ``accumetrics.metrics`` are computed through the same functions.
"""

from __future__ import annotations

import numbers

import numpy as np

from . import _validation as v
from ._accumulator import Accumulator
from .exceptions import InvalidParameterError
from .moments import _STATS, Moments, explained_fraction, variance


def check_power(power, func: str) -> float:
    """A Tweedie power: p <= 0 or p >= 1 (there is no Tweedie distribution in between)."""
    if isinstance(power, (bool, np.bool_)) or not isinstance(power, numbers.Real) or np.isnan(power) or 0 < power < 1:
        raise InvalidParameterError(
            f"The 'power' parameter of {func} must be a float in the range (-inf, 0.0] or a float in the range "
            f"[1.0, inf). Got {power!r} instead."
        )
    return power


def check_alpha(alpha, func: str) -> float:
    if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, numbers.Real) or not 0 <= alpha <= 1:
        raise InvalidParameterError(
            f"The 'alpha' parameter of {func} must be a float in the range [0.0, 1.0]. Got {alpha!r} instead."
        )
    return float(alpha)


def check_tweedie_domain(y_true: np.ndarray, y_pred: np.ndarray, power: float) -> None:
    """The values each Tweedie power is defined on, with sklearn's messages."""
    message = f"Mean Tweedie deviance error with power={power} can only be used on "
    if power < 0:
        if (y_pred <= 0).any():
            raise ValueError(message + "strictly positive y_pred.")
    elif 1 <= power < 2:
        if (y_true < 0).any() or (y_pred <= 0).any():
            raise ValueError(message + "non-negative y and strictly positive y_pred.")
    elif power >= 2:
        if (y_true <= 0).any() or (y_pred <= 0).any():
            raise ValueError(message + "strictly positive y and y_pred.")


def unit_deviance(y_true: np.ndarray, y_pred, power: float) -> np.ndarray:
    """The Tweedie deviance of each sample: (y - mu)² for power 0, Poisson for 1, Gamma for 2."""
    y, mu = np.asarray(y_true, dtype=np.float64), np.asarray(y_pred, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        if power == 0:
            return (y - mu) ** 2
        if power == 1:
            return 2 * (_xlogy(y, y / mu) - y + mu)
        if power == 2:
            return 2 * (np.log(mu / y) + y / mu - 1)
        return 2 * (_own_term(y, power) / ((1 - power) * (2 - power)) - y * mu ** (1 - power) / (1 - power)
                    + mu ** (2 - power) / (2 - power))


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x * log(y), 0 where x is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, 0.0, x * np.log(np.where(x == 0, 1.0, y)))


def _own_term(y: np.ndarray, power: float) -> np.ndarray:
    """The part of the deviance that depends on y alone (up to constants), for the null deviance."""
    if power == 1:
        return _xlogy(y, y)
    if power == 2:
        with np.errstate(divide="ignore"):
            return np.log(y)
    return np.where(y > 0, y, 0.0) ** (2 - power)


def pinball(y_true: np.ndarray, y_pred, alpha: float) -> np.ndarray:
    """The pinball loss of each sample: alpha * (y - q) above q, (1 - alpha) * (q - y) below."""
    diff = np.asarray(y_true, dtype=np.float64) - np.asarray(y_pred, dtype=np.float64)
    above = diff >= 0
    return np.where(above, alpha * diff, (alpha - 1) * diff)


def _outputs(y_true, y_pred, name: str):
    y = v.floats(y_true, "y_true")
    p = v.floats(y_pred, "y_pred")
    if y.shape != p.shape:
        if y.ndim + p.ndim == 3 and y.size == p.size:
            y = y.reshape(p.shape)
        else:
            raise ValueError(f"y_true and y_pred have different shapes: {y.shape} and {p.shape}")
    if p.ndim not in (1, 2):
        raise ValueError(f"y_pred has shape {p.shape}; expected (n_samples,) or (n_samples, n_outputs)")
    if not (np.isfinite(y).all() and np.isfinite(p).all()):
        bad = "y_true" if not np.isfinite(y).all() else "y_pred"
        raise ValueError(f"Input {bad} contains NaN or infinity; {name} needs finite values.")
    return y, p


class _LossSums(Accumulator):
    """Weighted sums of per-sample losses (and of what the loss of a constant prediction needs), on Moments."""

    def __init__(self, num_outputs: int | None, num_slices: int | None):
        self.num_outputs = None if num_outputs is None else v.positive_int(num_outputs, "num_outputs")
        self.num_slices = None if num_slices is None else v.positive_int(num_slices, "num_slices")
        self._state = Moments(num_slices=num_slices)

    def _add(self, loss: np.ndarray, y: np.ndarray, own: np.ndarray, sample_weight, slice_ids) -> None:
        """Per row: the losses (K), and y_true against a y-only term (K) for the constant-prediction loss."""
        outputs = 1 if loss.ndim == 1 else loss.shape[1]
        if self.num_outputs is not None and outputs != self.num_outputs:
            raise ValueError(f"y_pred has {outputs} outputs per sample; this {type(self).__name__} tracks "
                             f"{self.num_outputs}")
        rows = len(loss)
        w = v.weights(sample_weight, rows)
        stacked_true = np.column_stack([np.zeros_like(loss).reshape(rows, -1), y.reshape(rows, -1)])
        stacked_pred = np.column_stack([loss.reshape(rows, -1), own.reshape(rows, -1)])
        self._state.update(stacked_true, stacked_pred, w, slice_ids)
        self.num_outputs = outputs

    def _compatible(self, other) -> None:
        if (self.num_slices != other.num_slices or None not in (self.num_outputs, other.num_outputs)
                and self.num_outputs != other.num_outputs):
            raise ValueError(f"cannot merge {type(self).__name__}s of different num_outputs or num_slices")
        self._state._compatible(other._state)

    def _merge_state(self, other) -> None:
        self._state.merge(other._state)
        if self.num_outputs is None:
            self.num_outputs = other.num_outputs

    def reset(self):
        self._state.reset()
        return self

    def _split(self, name: str, centered: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """A sum of Moments, (S, 2K): the loss half and the y half (about the core's origin when centered)."""
        k = self.num_outputs or 1
        core = self._state._state
        sums = core.centered_sums() if centered and core is not None else self._state._sums()
        s = sums[..., _STATS.index(name)]
        if s.shape[1] != 2 * k:
            s = np.zeros((s.shape[0], 2 * k))
        return s[:, :k], s[:, k:]

    def _shaped(self, a: np.ndarray) -> np.ndarray:
        if self.num_outputs in (None, 1):
            a = a[:, 0]
        return a if self.num_slices is not None else a[0]

    @property
    def count(self):
        return self._state.count

    def _mean_loss(self) -> np.ndarray:
        loss, _ = self._split("sum_pred")
        weight, _ = self._split("sum_weight")
        with np.errstate(invalid="ignore", divide="ignore"):
            return loss / weight


class TweedieDeviance(_LossSums):
    """Mean Tweedie deviance of a stream, and its D² against the weighted mean of y_true.

    ``power`` 0 is the squared error, 1 the Poisson deviance, 2 the Gamma deviance; as
    sklearn's ``mean_tweedie_deviance`` (p <= 0 or p >= 1). ``d2`` is ``d2_tweedie_score``:
    the null deviance is a function of the sums of w, w*y and w*f(y), so it streams too.

    >>> d = TweedieDeviance(power=1).update([2.0, 0.0, 1.0], [1.5, 0.5, 1.0])
    >>> round(float(d.result()), 6)
    0.251372
    """

    def __init__(self, power: float = 0, num_outputs: int | None = None, *, num_slices: int | None = None):
        self.power = check_power(power, "TweedieDeviance")
        super().__init__(num_outputs, num_slices)

    def update(self, y_true, y_pred, sample_weight=None, slice_ids=None) -> "TweedieDeviance":
        y, p = _outputs(y_true, y_pred, "TweedieDeviance")
        check_tweedie_domain(y, p, self.power)
        if len(p):
            self._add(unit_deviance(y, p, self.power), y, _own_term(y, self.power), sample_weight, slice_ids)
        return self

    def _compatible(self, other) -> None:
        if self.power != other.power:
            raise ValueError(f"cannot merge a TweedieDeviance of power {other.power} into one of power {self.power}")
        super()._compatible(other)

    def result(self) -> np.ndarray:
        """The weighted mean deviance, per output (and slice)."""
        return self._shaped(self._mean_loss())

    @property
    def null_deviance(self) -> np.ndarray:
        """The mean deviance of predicting the weighted mean of y_true everywhere."""
        p = self.power
        w, _ = self._split("sum_weight")
        _, sum_y = self._split("sum_true")
        _, own = self._split("sum_pred")
        with np.errstate(invalid="ignore", divide="ignore"):
            mu = sum_y / w
            if p == 0:
                (_, centered_y), (_, centered_y2) = self._split("sum_true", True), self._split("sum_true_squared", True)
                null = variance(w, centered_y, centered_y2)
            elif p == 1:
                null = 2 * (own / w - _xlogy(mu, mu))
            elif p == 2:
                null = 2 * (np.log(mu) - own / w)
            else:
                null = 2 * (own / w - mu ** (2 - p)) / ((1 - p) * (2 - p))
        return self._shaped(null)

    @property
    def d2(self) -> np.ndarray:
        """1 - deviance / null deviance (sklearn's d2_tweedie_score; NaN or -inf for a constant y_true)."""
        return explained_fraction(self.result(), self.null_deviance, force_finite=False)

    def __repr__(self) -> str:
        return f"TweedieDeviance(power={self.power:g}, num_outputs={self.num_outputs}, samples={np.sum(self.count)})"


class PinballLoss(_LossSums):
    """Mean pinball (quantile) loss of a stream at level ``alpha``, per output; sklearn's mean_pinball_loss.

    >>> float(PinballLoss(alpha=0.1).update([1, 2, 3], [0, 2, 3]).result())
    0.03333333333333333
    """

    def __init__(self, alpha: float = 0.5, num_outputs: int | None = None, *, num_slices: int | None = None):
        self.alpha = check_alpha(alpha, "PinballLoss")
        super().__init__(num_outputs, num_slices)

    def update(self, y_true, y_pred, sample_weight=None, slice_ids=None) -> "PinballLoss":
        y, p = _outputs(y_true, y_pred, "PinballLoss")
        if len(p):
            loss = pinball(y, p, self.alpha)
            self._add(loss, y, np.zeros_like(loss), sample_weight, slice_ids)
        return self

    def _compatible(self, other) -> None:
        if self.alpha != other.alpha:
            raise ValueError(f"cannot merge a PinballLoss of alpha {other.alpha} into one of alpha {self.alpha}")
        super()._compatible(other)

    def result(self) -> np.ndarray:
        """The weighted mean pinball loss, per output (and slice)."""
        return self._shaped(self._mean_loss())

    def __repr__(self) -> str:
        return f"PinballLoss(alpha={self.alpha:g}, num_outputs={self.num_outputs}, samples={np.sum(self.count)})"
