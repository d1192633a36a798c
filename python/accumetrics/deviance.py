"""Streaming Tweedie deviances and pinball (quantile) losses: weighted sums of per-sample losses.

The per-sample losses and their sums are the core's (``LossSums``: one pass, float64 with
compensated summation, mergeable, sliceable). ``mean_tweedie_deviance``, ``mean_pinball_loss``
and the D² scores of ``accumetrics.metrics`` are computed with these accumulators.
"""

from __future__ import annotations

import numbers

import numpy as np

from . import _core
from . import _validation as v
from ._accumulator import OutputSums
from .exceptions import InvalidParameterError
from .formulas import moments as formulas
from .formulas import numpy_ops

_WEIGHT, _LOSS, _TRUE, _OWN, _CENTERED, _CENTERED_SQUARED = range(_core.num_loss_stats)


def check_power(power, func: str):
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


def tweedie_domain(power) -> str:
    """What the deviance of a power is defined on, in sklearn's words."""
    message = f"Mean Tweedie deviance error with power={power} can only be used on "
    if power < 0:
        return message + "strictly positive y_pred."
    if power < 2:
        return message + "non-negative y and strictly positive y_pred."
    return message + "strictly positive y and y_pred."


def _outputs(y_true, y_pred):
    y = v.floats(y_true, "y_true")
    p = v.floats(y_pred, "y_pred")
    if y.shape != p.shape:
        if y.ndim + p.ndim == 3 and y.size == p.size:
            y = y.reshape(p.shape)
        else:
            raise ValueError(f"y_true and y_pred have different shapes: {y.shape} and {p.shape}")
    if p.ndim not in (1, 2):
        raise ValueError(f"y_pred has shape {p.shape}; expected (n_samples,) or (n_samples, n_outputs)")
    for name, a in (("y_true", y), ("y_pred", p)):
        if not np.isfinite(a).all():
            raise ValueError(f"Input {name} contains NaN or infinity; losses need finite values.")
    return y, p


class _LossSums(OutputSums):
    """The core's sums of one loss, per output (fixed by the first update unless given) and slice."""

    _kind: object
    _parameter: float

    def __init__(self, num_outputs: int | None, num_slices: int | None):
        self.num_outputs = None if num_outputs is None else v.positive_int(num_outputs, "num_outputs")
        self.num_slices = None if num_slices is None else v.positive_int(num_slices, "num_slices")
        self._state = None if self.num_outputs is None else self._new(self.num_outputs)

    def _new(self, outputs: int):
        slices = self.num_slices or 1
        # Per slice and output: 6 compensated sums in the state and in each thread's partial sums.
        v.check_memory(slices * (outputs * _core.num_loss_stats * 32 + 16), "num_outputs or num_slices",
                       f"{type(self).__name__}(num_outputs={outputs}, num_slices={self.num_slices})")
        return _core.LossSums(self._kind, self._parameter, outputs, slices)

    def update(self, y_true, y_pred, sample_weight=None, slice_ids=None):
        """Add a batch: y_true and y_pred of shape (N,) or (N, K), one weight per sample."""
        y, p = _outputs(y_true, y_pred)
        outputs = 1 if p.ndim == 1 else p.shape[1]
        self._check_outputs(outputs)
        rows = len(p)
        w, ids = self._weights_and_slices(sample_weight, slice_ids, rows)
        if not rows:
            return self
        args = (y.reshape(-1), p.reshape(-1), w, ids)
        if self._state is not None:
            self._add(self._state, args)
            return self
        state = self._new(outputs)
        self._add(state, args)
        self._add_first(state, outputs)
        return self

    def _add(self, state, args) -> None:
        if state.update(*args) >= 0:
            raise ValueError(tweedie_domain(self._parameter_given))

    def _compatible(self, other) -> None:
        if self.num_slices != other.num_slices or None not in (self.num_outputs, other.num_outputs) and (
                self.num_outputs != other.num_outputs):
            raise ValueError(f"cannot merge a {type(self).__name__} with num_outputs={other.num_outputs}, "
                             f"num_slices={other.num_slices} into one with num_outputs={self.num_outputs}, "
                             f"num_slices={self.num_slices}")

    def _sums(self) -> np.ndarray:
        """(S, K, stats)."""
        if self._state is None:
            return np.zeros((self.num_slices or 1, 1, _core.num_loss_stats))
        return self._state.sums()

    def result(self) -> np.ndarray:
        """The weighted mean loss, per output (and slice)."""
        s = self._sums()
        with np.errstate(invalid="ignore", divide="ignore"):
            return self._shaped(s[..., _LOSS] / s[..., _WEIGHT])


class TweedieDeviance(_LossSums):
    """Mean Tweedie deviance of a stream, and its D² against the weighted mean of y_true.

    ``power`` 0 is the squared error, 1 the Poisson deviance, 2 the Gamma deviance; as
    sklearn's ``mean_tweedie_deviance`` (p <= 0 or p >= 1). ``d2`` is ``d2_tweedie_score``:
    the deviance of the weighted mean is a function of sums of w, w*y and w*f(y), so it
    streams too.

    >>> d = TweedieDeviance(power=1).update([2.0, 0.0, 1.0], [1.5, 0.5, 1.0])
    >>> round(float(d.result()), 6)
    0.383576
    """

    _kind = _core.LossKind.tweedie

    def __init__(self, power: float = 0, num_outputs: int | None = None, *, num_slices: int | None = None):
        self._parameter_given = check_power(power, "TweedieDeviance")
        self.power = self._parameter = float(power)
        super().__init__(num_outputs, num_slices)

    def _compatible(self, other) -> None:
        if self.power != other.power:
            raise ValueError(f"cannot merge a TweedieDeviance of power {other.power} into one of power {self.power}")
        super()._compatible(other)

    @property
    def null_deviance(self) -> np.ndarray:
        """The mean deviance of predicting the weighted mean of y_true everywhere."""
        p, s = self.power, self._sums()
        w, own = s[..., _WEIGHT], s[..., _OWN]
        with np.errstate(invalid="ignore", divide="ignore"):
            mu = s[..., _TRUE] / w
            if p == 0:
                null = formulas.variance(numpy_ops, w, s[..., _CENTERED], s[..., _CENTERED_SQUARED])
            elif p == 1:
                null = 2 * (own / w - np.where(mu == 0, 0.0, mu * np.log(mu)))
            elif p == 2:
                null = 2 * (np.log(mu) - own / w)
            else:
                null = 2 * (own / w - mu ** (2 - p)) / ((1 - p) * (2 - p))
        return self._shaped(null)

    @property
    def d2(self) -> np.ndarray:
        """1 - deviance / null deviance (sklearn's d2_tweedie_score; NaN or -inf for a constant y_true)."""
        return formulas.explained_fraction(numpy_ops, np.asarray(self.result(), dtype=np.float64),
                                           np.asarray(self.null_deviance, dtype=np.float64), force_finite=False)

    def __repr__(self) -> str:
        return f"TweedieDeviance(power={self.power:g}, num_outputs={self.num_outputs}, samples={np.sum(self.count)})"


class PinballLoss(_LossSums):
    """Mean pinball (quantile) loss of a stream at level ``alpha``, per output; sklearn's mean_pinball_loss.

    >>> round(float(PinballLoss(alpha=0.1).update([1, 2, 3], [0, 2, 3]).result()), 6)
    0.033333
    """

    _kind = _core.LossKind.pinball

    def __init__(self, alpha: float = 0.5, num_outputs: int | None = None, *, num_slices: int | None = None):
        self.alpha = self._parameter = check_alpha(alpha, "PinballLoss")
        super().__init__(num_outputs, num_slices)

    def _compatible(self, other) -> None:
        if self.alpha != other.alpha:
            raise ValueError(f"cannot merge a PinballLoss of alpha {other.alpha} into one of alpha {self.alpha}")
        super()._compatible(other)

    def __repr__(self) -> str:
        return f"PinballLoss(alpha={self.alpha:g}, num_outputs={self.num_outputs}, samples={np.sum(self.count)})"
