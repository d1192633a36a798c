"""Calibration as Keras metrics: expected and maximum calibration error, Brier score.

The state is ``accumetrics.Calibration``'s: per bin, the weight and the weighted sums
of the outcomes and of the probabilities (the core's moments with the bin as slice
id), and the errors are read from it by the same formula
(``accumetrics.calibration.calibration_errors``), so on the same data the metrics
equal ``accumetrics.expected_calibration_error`` / ``maximum_calibration_error``.
"""

from __future__ import annotations

import numpy as np
import keras
from keras import ops

from ..calibration import _edges, calibration_errors
from ._checks import ensure
from ._class_columns import class_columns, class_ids, is_sparse
from ._engines import STAT, moment_sums
from ._state import Accumulated

_register = keras.saving.register_keras_serializable(package="accumetrics")


def _float32_edges(edges: np.ndarray) -> np.ndarray:
    """Edges e' such that, for every float32 p, ``p > e'`` exactly when ``p > e`` (e rounded down to float32)."""
    e32 = edges.astype(np.float32)
    above = e32.astype(np.float64) > edges
    e32[above] = np.nextafter(e32[above], np.float32(-np.inf))
    return e32


def _weights(sample_weight):
    return None if sample_weight is None else ops.reshape(ops.cast(sample_weight, "float32"), (-1,))


def confidence_and_outcome(y_true, y_pred):
    """(probability, outcome) per sample, float32. Binary: ``y_pred`` (N,) or (N, 1) is the probability of
    the positive class and a non-zero ``y_true`` is positive. Multi-class (``y_pred`` (N, C), C > 1), top-label:
    the highest probability, and whether its class is the true one (``y_true`` class ids or one-hot rows)."""
    y_pred = ops.cast(ops.convert_to_tensor(y_pred), "float32")
    y_true = ops.convert_to_tensor(y_true)
    if len(y_pred.shape) == 2 and y_pred.shape[-1] != 1:
        classes = int(y_pred.shape[-1])
        truth = class_ids(y_true, classes) if is_sparse(y_true, classes) else ops.argmax(y_true, axis=-1)
        correct = ops.equal(ops.cast(ops.argmax(y_pred, axis=-1), "int32"), ops.cast(truth, "int32"))
        return ops.max(y_pred, axis=-1), ops.cast(correct, "float32")
    return ops.reshape(y_pred, (-1,)), ops.cast(ops.not_equal(ops.reshape(y_true, (-1,)), 0), "float32")


class _BinnedCalibration(keras.metrics.Metric):
    """Per-bin weight and sums of outcomes and probabilities, bins as ``accumetrics.Calibration``'s."""

    _which = 0

    def __init__(self, n_bins=15, bins=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "down"
        self.edges = _edges(n_bins, bins)
        self.n_bins = self.edges.size - 1
        self.bins = None if bins is None else [float(b) for b in self.edges]
        self._inner = _float32_edges(self.edges[1:-1])
        self._sums = Accumulated(self, "bin_sums", (self.n_bins, 1, len(STAT)))

    def update_state(self, y_true, y_pred, sample_weight=None):
        p, outcome = confidence_and_outcome(y_true, y_pred)
        p = ensure(ops.logical_and(p >= 0, p <= 1), "y_pred: probabilities must lie in [0, 1]", p)
        if self._inner.size:
            bin_ids = ops.searchsorted(ops.convert_to_tensor(self._inner), p, side="left")
        else:
            bin_ids = ops.zeros_like(p, dtype="int32")
        sums = moment_sums(ops.expand_dims(outcome, -1), ops.expand_dims(p, -1), _weights(sample_weight), 1,
                           self._sums.dtype, slice_ids=bin_ids, num_slices=self.n_bins)
        self._sums.add(sums)

    def result(self):
        s = self._sums.value()[:, 0, :]
        errors = calibration_errors(s[:, STAT["sum_weight"]], s[:, STAT["sum_true"]], s[:, STAT["sum_pred"]], ops)
        return ops.cast(errors[self._which], self.dtype)

    def reset_state(self):
        self._sums.reset()

    def get_config(self):
        return {**super().get_config(), "n_bins": self.n_bins, "bins": self.bins}


@_register
class ExpectedCalibrationError(_BinnedCalibration):
    """The weighted mean over bins of ``|fraction of positives - mean probability|``, as
    ``accumetrics.expected_calibration_error`` (``strategy="uniform"``, or the given ``bins`` edges).

    Binary: ``y_pred`` is the probability of the positive class, shape (N,) or (N, 1).
    Multi-class, shape (N, C): top-label calibration, the highest probability against
    whether its class is right (``y_true`` class ids or one-hot rows). Probabilities
    are compared with the bin edges as float32; NaN before any data.

    >>> m = ExpectedCalibrationError(n_bins=2)
    >>> m.update_state([0, 0, 1, 1], [0.1, 0.4, 0.6, 0.9])
    >>> round(float(m.result()), 4)
    0.25
    """

    _which = 0

    def __init__(self, n_bins=15, bins=None, name="expected_calibration_error", dtype=None):
        super().__init__(n_bins=n_bins, bins=bins, name=name, dtype=dtype)


@_register
class MaximumCalibrationError(_BinnedCalibration):
    """The largest ``|fraction of positives - mean probability|`` over the non-empty bins, as
    ``accumetrics.maximum_calibration_error``; inputs as :class:`ExpectedCalibrationError`."""

    _which = 1

    def __init__(self, n_bins=15, bins=None, name="maximum_calibration_error", dtype=None):
        super().__init__(n_bins=n_bins, bins=bins, name=name, dtype=dtype)


@_register
class BrierScore(keras.metrics.Metric):
    """sklearn's ``brier_score_loss``: the weighted mean squared distance between the probabilities and the
    outcome. Binary: ``y_pred`` (N,) or (N, 1) is the probability of the positive class (non-zero ``y_true``
    is positive). Multi-class, ``y_pred`` (N, C): the squared distance to the one-hot true class, summed over
    classes (halved for C = 2, which is the binary score), ``y_true`` class ids or one-hot rows.

    >>> m = BrierScore()
    >>> m.update_state([0, 1, 1], [0.2, 0.7, 0.4])
    >>> round(float(m.result()), 4)
    0.1633
    """

    def __init__(self, name="brier_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "down"
        self._sums = None
        self.sums = None

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.cast(ops.convert_to_tensor(y_pred), "float32")
        if len(y_pred.shape) == 2 and y_pred.shape[-1] != 1:
            classes = int(y_pred.shape[-1])
            truth = ops.cast(class_columns(y_true, y_pred, classes), "float32")
        else:
            classes = 1
            _, truth = confidence_and_outcome(y_true, y_pred)
            truth, y_pred = ops.expand_dims(truth, -1), ops.reshape(y_pred, (-1, 1))
        if self._sums is None:
            self._sums = Accumulated(self, "sums", (classes, len(STAT)))
            self.sums = self._sums.variable
        elif self._sums.shape[0] != classes:
            raise ValueError(f"y_pred has {classes} columns; this BrierScore has seen {self._sums.shape[0]}")
        self._sums.add(moment_sums(truth, y_pred, _weights(sample_weight), classes, self._sums.dtype))

    def result(self):
        if self._sums is None:
            return ops.convert_to_tensor(float("nan"), dtype=self.dtype)
        s = self._sums.value()
        score = ops.divide_no_nan(ops.sum(s[:, STAT["sum_squared_error"]]), s[0, STAT["sum_weight"]])
        score = score / 2 if s.shape[0] == 2 else score
        return ops.cast(ops.where(s[0, STAT["sum_weight"]] > 0, score, float("nan")), self.dtype)

    def reset_state(self):
        if self._sums is not None:
            self._sums.reset()
