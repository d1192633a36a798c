"""Streaming weighted moments: the state behind the regression metrics and means, and the stateless sums
of one batch that the Keras metrics read from the same core."""

from __future__ import annotations

import numpy as np

from . import _core
from . import _validation as v
from ._accumulator import CorePool, OutputSums
from .formulas import moments as formulas
from .formulas import numpy_ops

STAT = {name: int(value) for name, value in _core.Stat.__members__.items()}  # the column of each sum
_STATS = sorted(STAT, key=STAT.get)

# Per slice and output: 13 compensated sums (16 bytes each), as many partial sums in an update, and a
# plain float64 accumulator per sum for sliced updates. Per slice: counts, in the state and in an update.
_SUMS = 13
_OUTPUT_BYTES = _SUMS * (16 + 16 + 8)
_SLICE_BYTES = 16


def _weighted_mean(numerator: str, doc: str) -> property:
    """A property of Moments: one of its sums over the sum of weights."""
    return property(lambda self: self._ratio(numerator), doc=doc)


class Moments(OutputSums):
    """Weighted sums of y_true, y_pred, their squares and product, ``|error|`` and error².

    Sums are float64 with compensated summation: results do not drift with the
    number of samples and do not depend on how the data was split into batches.
    ``y_true`` and ``y_pred`` have shape (N,) or (N, K); each of the K outputs gets
    its own sums. With ``y_true=None`` only ``y_pred`` is tracked (a weighted mean).

    >>> m = Moments()
    >>> m.update([1.0, 2.0, 3.0], [1.5, 2.0, 2.0])
    Moments(num_outputs=1, samples=3)
    >>> float(m.mean_absolute_error)
    0.5
    """

    def __init__(self, num_outputs: int | None = None, *, num_slices: int | None = None):
        self.num_outputs = None if num_outputs is None else v.positive_int(num_outputs, "num_outputs")
        self.num_slices = None if num_slices is None else v.positive_int(num_slices, "num_slices")
        self._check_memory(self.num_outputs or 1)
        self._state = None if self.num_outputs is None else _core.Moments(self.num_outputs, self.num_slices or 1)

    def _check_memory(self, outputs: int) -> None:
        arguments = [a for a in ("num_outputs", "num_slices") if getattr(self, a) is not None] or ["num_outputs"]
        v.check_memory(self._memory(self.num_slices or 1, outputs), " or ".join(arguments),
                       f"Moments(num_outputs={outputs}, num_slices={self.num_slices})")

    def _memory(self, slices: int, outputs: int | None = None) -> int:
        outputs = outputs or self.num_outputs or 1
        return slices * (outputs * _OUTPUT_BYTES + _SLICE_BYTES) + outputs * 8

    def update(self, y_true, y_pred, sample_weight=None, slice_ids=None) -> "Moments":
        x = v.floats(y_pred, "y_pred")
        y = None if y_true is None else v.floats(y_true, "y_true")
        if x.ndim not in (1, 2):
            raise ValueError(f"y_pred has shape {x.shape}; expected (n_samples,) or (n_samples, n_outputs)")
        if y is not None and y.shape != x.shape:
            if sorted([x.shape, y.shape], key=len) == [(len(x),), (len(x), 1)]:  # (N,) against (N, 1)
                y = y.reshape(x.shape)
            else:
                raise ValueError(f"y_true and y_pred have different shapes: {y.shape} and {x.shape}")
        outputs = 1 if x.ndim == 1 else x.shape[1]
        self._check_outputs(outputs)
        rows = len(x)
        w, ids = self._weights_and_slices(sample_weight, slice_ids, rows, x.shape if outputs > 1 else None)
        if not rows:
            return self
        args = (x.reshape(-1), None if y is None else y.reshape(-1), w, ids)
        if self._state is not None:
            self._state.update(*args)
            return self
        self._check_memory(outputs)
        state = _core.Moments(outputs, self.num_slices or 1)
        state.update(*args)
        self._add_first(state, outputs)
        return self

    def _compatible(self, other: "Moments") -> None:
        if self.num_slices != other.num_slices or None not in (self.num_outputs, other.num_outputs) and (
                self.num_outputs != other.num_outputs):
            raise ValueError(
                f"cannot merge Moments with num_outputs={other.num_outputs}, num_slices={other.num_slices} "
                f"into one with num_outputs={self.num_outputs}, num_slices={self.num_slices}"
            )

    def _sums(self) -> np.ndarray:
        if self._state is None:
            return np.zeros((self.num_slices or 1, 1, len(_STATS)))
        return self._state.sums()

    @property
    def sums(self) -> dict[str, np.ndarray]:
        """The raw weighted sums, by name (sum_weight, sum_pred, ..., sum_squared_error)."""
        s = self._sums()
        return {name: self._shaped(s[..., i]) for i, name in enumerate(_STATS)}

    def _ratio(self, numerator: str) -> np.ndarray:
        s = self._sums()
        with np.errstate(invalid="ignore", divide="ignore"):
            return self._shaped(s[..., _STATS.index(numerator)] / s[..., 0])

    mean_pred = _weighted_mean("sum_pred", "Weighted mean of y_pred.")
    mean_true = _weighted_mean("sum_true", "Weighted mean of y_true.")
    mean_absolute_error = _weighted_mean("sum_absolute_error", "Weighted mean of ``|y_pred - y_true|``.")
    mean_squared_error = _weighted_mean("sum_squared_error", "Weighted mean of (y_pred - y_true)².")

    @property
    def root_mean_squared_error(self):
        return np.sqrt(self.mean_squared_error)

    def _centered_sums(self) -> np.ndarray:
        """The sums about the core's origin (the first y_true seen), so that a large mean against a small
        spread does not cancel the variance away."""
        return self._state.centered_sums() if self._state is not None else self._sums()

    @property
    def r2(self):
        """Coefficient of determination, 1 - SSE / SST, as sklearn's r2_score (force_finite=True).

        With a constant y_true: 1.0 for a perfect fit, else 0.0.
        """
        return self._shaped(formulas.r2(numpy_ops, self._centered_sums()))

    @property
    def explained_variance(self):
        """1 - Var(y_true - y_pred) / Var(y_true), as sklearn's explained_variance_score."""
        return self._shaped(formulas.explained_variance(numpy_ops, self._centered_sums()))

    @property
    def pearson(self):
        return self._shaped(formulas.pearson(numpy_ops, self._centered_sums()))

    @property
    def concordance(self):
        """Lin's concordance correlation coefficient."""
        return self._shaped(formulas.concordance(numpy_ops, self._centered_sums()))

    def result(self) -> dict[str, np.ndarray]:
        """The common regression metrics at once."""
        return {
            "mean_absolute_error": self.mean_absolute_error,
            "mean_squared_error": self.mean_squared_error,
            "root_mean_squared_error": self.root_mean_squared_error,
            "r2": self.r2,
        }

    def __repr__(self) -> str:
        slices = "" if self.num_slices is None else f", num_slices={self.num_slices}"
        n = self.count if self.num_slices is None else int(np.sum(self.count))
        return f"Moments(num_outputs={self.num_outputs}{slices}, samples={n})"


class MomentBatch:
    """The weighted sums of one batch per output, as a ``Moments(num_outputs, num_slices=num_slices)`` would
    add them, with no state kept: for callers that keep their own (the Keras metrics). ``STAT`` names the
    columns. Errors name the values ``values_name`` (the values of a Keras Mean, say). Core objects are made
    once per batch counter and reused.
    """

    def __init__(self, num_outputs: int, num_slices: int = 1, values_name: str = "y_pred"):
        self.num_outputs = num_outputs
        self.values_name = values_name
        # What the core refuses unless finite, by argument, with its message: for callers that count the
        # same sums where the core cannot run (keras.ops in a graph) and check there what it would.
        self.must_be_finite = {"y_pred": v.not_finite(values_name), "y_true": v.not_finite("y_true"),
                               "sample_weight": v.not_finite("sample_weight", "weights")}
        self._cores = CorePool(lambda: _core.Moments(num_outputs, num_slices))

    def __call__(self, y_true: np.ndarray | None, y_pred: np.ndarray, sample_weight: np.ndarray | None = None,
                 slice_ids: np.ndarray | None = None) -> np.ndarray:
        """float64 sums, shape (num_slices, num_outputs, len(STAT)). ``y_pred`` has num_outputs values per
        sample; ``y_true`` as many, or None (then only the weight and pred sums mean anything);
        ``sample_weight`` one per sample or per value; ``slice_ids`` one per sample."""
        with self._cores.borrow() as core:
            if y_pred.size:
                x, y = v.flat_reals(y_pred), None if y_true is None else v.flat_reals(y_true)
                w = None if sample_weight is None else np.ascontiguousarray(sample_weight.reshape(-1))
                try:
                    core.update(x, y, w, v.row_ids(slice_ids, x.size // self.num_outputs))
                except ValueError:
                    if self.values_name != "y_pred":  # the core names them y_pred
                        v.check_finite(x, self.values_name, style=v.ACCUMULATOR)
                    raise
            return core.sums()
