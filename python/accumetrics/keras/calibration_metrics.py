"""Calibration as Keras metrics: expected and maximum calibration error, Brier score.

The state is ``accumetrics.Calibration``'s: per bin, the weight and the weighted sums
of the outcomes and of the probabilities (the core's moments with the bin as slice
id), and the errors are read from it by the same formula
(``accumetrics.calibration.calibration_errors``), so on the same data the metrics
equal ``accumetrics.expected_calibration_error`` / ``maximum_calibration_error``.

Equal-mass bins (``strategy="quantile"``, as sklearn's ``calibration_curve``) have edges
at percentiles of all the probabilities seen, which a stream only knows at the end. The
state is then the same sums per cell of a fixed grid, one cell per float16 value in
[0, 1] (15,361 cells: a probability p falls in the cell of the smallest float16 value
>= p), plus the number of probabilities per cell; ``result`` finds the percentiles from
the cell counts and gathers the cells into bins. For probabilities that are float16
values this is exact: the edges are ``np.percentile``'s and the bins sklearn's. Other
probabilities are placed, for the edges and the binning only, at their value rounded
up to float16 (less than one float16 step above it: 2**-10 relative, 4.9e-4 absolute); each bin's
mean probability still uses the values themselves.
"""

from __future__ import annotations

import numpy as np
import keras
from ._metric import Metric
from ._ops import ops

from ..calibration import _edges, calibration_errors
from ._checks import ensure
from ._class_columns import class_columns, class_ids, is_sparse
from ._batch_counts import STAT, moment_sums
from ._state import StateVariable

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


def _float16_cells() -> np.ndarray:
    """Every float16 value in [0, 1], sorted: the cells of the quantile strategy."""
    v = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16)
    v = v[np.isfinite(v) & (v >= 0) & (v <= 1)]
    return np.unique(v.astype(np.float64))


def _percentiles(values, counts, levels):
    """``np.percentile(data, levels * 100)`` (linear) of the data with ``counts[j]`` copies of ``values[j]``."""
    n = ops.sum(counts)
    rank = (n - 1) * ops.convert_to_tensor(levels, dtype=counts.dtype)
    below = ops.floor(rank)
    gamma = rank - below
    last = ops.cast(ops.shape(values)[0] - 1, "int32")
    ends = ops.cumsum(counts, axis=0)  # the k-th value (from 0) is in the first cell whose end exceeds k

    def kth(k):
        cell = ops.searchsorted(ends, ops.clip(k, 0, n - 1), side="right")
        return ops.take(values, ops.minimum(ops.cast(cell, "int32"), last))

    a, b = kth(below), kth(below + 1)
    diff = b - a
    return ops.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)  # numpy's _lerp


class _BinnedCalibration(Metric):
    """Per-bin weight and sums of outcomes and probabilities, bins as ``accumetrics.Calibration``'s; for
    ``strategy="quantile"``, the same per float16 cell, gathered into bins in ``result``."""

    _which = 0

    def __init__(self, n_bins=15, bins=None, strategy="uniform", name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "down"
        if strategy not in ("uniform", "quantile"):
            raise ValueError(f"strategy={strategy!r}: expected 'uniform' or 'quantile'")
        if strategy == "quantile" and bins is not None:
            raise ValueError("strategy='quantile' finds the bin edges from the data: pass n_bins, not bins")
        self.strategy = strategy
        self.edges = _edges(n_bins, bins)
        self.n_bins = self.edges.size - 1
        self.bins = None if bins is None else [float(b) for b in self.edges]
        if strategy == "quantile":
            self._cells = _float16_cells()
            # np.percentile's levels, rounded as it rounds them (q * 100 / 100)
            self._levels = np.linspace(0, 1, self.n_bins + 1) * 100 / 100
            self._sums = StateVariable(self, "cell_sums", (self._cells.size, 1, len(STAT)))
            self._counts = StateVariable(self, "cell_counts", (self._cells.size,))
        else:
            self._inner = _float32_edges(self.edges[1:-1])
            self._sums = StateVariable(self, "bin_sums", (self.n_bins, 1, len(STAT)))

    def update_state(self, y_true, y_pred, sample_weight=None):
        p, outcome = confidence_and_outcome(y_true, y_pred)
        p = ensure(ops.logical_and(p >= 0, p <= 1), "y_pred: probabilities must lie in [0, 1]", p)
        if self.strategy == "quantile":
            ids = ops.searchsorted(ops.convert_to_tensor(self._cells.astype(np.float32)), p, side="left")
            slices = self._cells.size
        elif self._inner.size:
            ids, slices = ops.searchsorted(ops.convert_to_tensor(self._inner), p, side="left"), self.n_bins
        else:
            ids, slices = ops.zeros_like(p, dtype="int32"), self.n_bins
        w = _weights(sample_weight)
        sums = moment_sums(ops.expand_dims(outcome, -1), ops.expand_dims(p, -1), w, 1, self._sums.dtype,
                           slice_ids=ids, num_slices=slices)
        self._sums.add(sums)
        if self.strategy == "quantile":  # edges are percentiles of the unweighted data, as sklearn's
            counts = sums[:, 0, STAT["sum_weight"]] if w is None else ops.bincount(ids, minlength=slices)
            self._counts.add(counts)

    def _bin_sums(self):
        """(weight, sum of outcomes, sum of probabilities) per bin."""
        s = self._sums.value()[:, 0, :]
        columns = ops.stack([s[:, STAT["sum_weight"]], s[:, STAT["sum_true"]], s[:, STAT["sum_pred"]]], axis=1)
        if self.strategy == "uniform":
            return columns[:, 0], columns[:, 1], columns[:, 2]
        values = ops.convert_to_tensor(self._cells, dtype=columns.dtype)
        edges = _percentiles(values, self._counts.value(), self._levels)
        # The cells are sorted, so each bin is a run of them: bin i ends after the cells <= its upper edge.
        ends = ops.searchsorted(values, edges[1:-1], side="right") if self.n_bins > 1 else ops.zeros((0,), "int32")
        ends = ops.concatenate([ops.cast(ends, "int32"), ops.convert_to_tensor([self._cells.size], "int32")])
        running = ops.concatenate([ops.zeros_like(columns[:1]), ops.cumsum(columns, axis=0)], axis=0)
        starts = ops.concatenate([ops.zeros((1,), "int32"), ends[:-1]])
        by_bin = ops.take(running, ends, axis=0) - ops.take(running, starts, axis=0)
        return by_bin[:, 0], by_bin[:, 1], by_bin[:, 2]

    def result(self):
        errors = calibration_errors(*self._bin_sums(), ops)
        return ops.cast(errors[self._which], self.result_dtype)

    def reset_state(self):
        self._sums.reset()
        if self.strategy == "quantile":
            self._counts.reset()

    def get_config(self):
        return {**super().get_config(), "n_bins": self.n_bins, "bins": self.bins, "strategy": self.strategy}


@_register
class ExpectedCalibrationError(_BinnedCalibration):
    """The weighted mean over bins of ``|fraction of positives - mean probability|``, as
    ``accumetrics.expected_calibration_error``: ``n_bins`` equal-width bins (``strategy="uniform"``),
    the given ``bins`` edges, or ``n_bins`` equal-mass bins (``strategy="quantile"``, exact for
    float16 probabilities; see the module's notes).

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

    def __init__(self, n_bins=15, bins=None, name="expected_calibration_error", dtype=None, strategy="uniform"):
        super().__init__(n_bins=n_bins, bins=bins, strategy=strategy, name=name, dtype=dtype)


@_register
class MaximumCalibrationError(_BinnedCalibration):
    """The largest ``|fraction of positives - mean probability|`` over the non-empty bins, as
    ``accumetrics.maximum_calibration_error``; inputs as :class:`ExpectedCalibrationError`."""

    _which = 1

    def __init__(self, n_bins=15, bins=None, name="maximum_calibration_error", dtype=None, strategy="uniform"):
        super().__init__(n_bins=n_bins, bins=bins, strategy=strategy, name=name, dtype=dtype)


@_register
class BrierScore(Metric):
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
            self._sums = StateVariable(self, "sums", (classes, len(STAT)))
            self.sums = self._sums.variable
        elif self._sums.shape[0] != classes:
            raise ValueError(f"y_pred has {classes} columns; this BrierScore has seen {self._sums.shape[0]}")
        self._sums.add(moment_sums(truth, y_pred, _weights(sample_weight), classes, self._sums.dtype))

    def result(self):
        if self._sums is None:
            return ops.convert_to_tensor(float("nan"), dtype=self.result_dtype)
        s = self._sums.value()
        score = ops.divide_no_nan(ops.sum(s[:, STAT["sum_squared_error"]]), s[0, STAT["sum_weight"]])
        score = score / 2 if s.shape[0] == 2 else score
        return ops.cast(ops.where(s[0, STAT["sum_weight"]] > 0, score, float("nan")), self.result_dtype)

    def reset_state(self):
        if self._sums is not None:
            self._sums.reset()
