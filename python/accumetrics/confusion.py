"""Streaming multiclass confusion matrix."""

from __future__ import annotations

import numpy as np

from . import _core
from . import _validation as v
from ._accumulator import Accumulator

# Per cell: int64 counts and float64 sums, and as much again for a result or a merge.
_CELL_BYTES = 32


class ConfusionMatrix(Accumulator):
    """Counts of (true class, predicted class) pairs, rows true and columns predicted.

    Counts are exact int64; once any update carries ``sample_weight``, float64 sums
    of weights are kept too and ``result()`` returns them (as sklearn's
    ``confusion_matrix`` does). With ``num_slices``, one matrix per slice id.

    >>> cm = ConfusionMatrix(3)
    >>> cm.update([0, 1, 2, 2], [0, 2, 2, 1]).result()
    array([[1, 0, 0],
           [0, 0, 1],
           [0, 1, 1]])
    """

    def __init__(self, num_classes: int, *, num_slices: int | None = None, ignore_out_of_range: bool = False):
        self.num_classes = v.positive_int(num_classes, "num_classes")
        self.num_slices = None if num_slices is None else v.positive_int(num_slices, "num_slices")
        self.ignore_out_of_range = bool(ignore_out_of_range)
        slices = self.num_slices or 1
        v.check_memory(self._memory(slices), "num_classes" if self.num_slices is None else "num_classes or num_slices",
                       f"ConfusionMatrix(num_classes={self.num_classes}, num_slices={self.num_slices})")
        self._state = _core.ConfusionMatrix(self.num_classes, slices)

    def _memory(self, slices: int) -> int:
        return slices * self.num_classes**2 * _CELL_BYTES

    def update(self, y_true, y_pred, sample_weight=None, slice_ids=None) -> "ConfusionMatrix":
        """Add a batch of integer class indices in [0, num_classes).

        Labels outside that range raise ValueError, or are skipped when the
        accumulator was made with ``ignore_out_of_range=True``.
        """
        t = v.column(v.labels(y_true, "y_true"), "y_true")
        p = v.column(v.labels(y_pred, "y_pred"), "y_pred")
        n = v.same_length(y_true=t, y_pred=p)
        w = v.weights(sample_weight, n)
        s = v.slice_ids(slice_ids, n)
        if s is not None and self.num_slices is None:
            raise ValueError("slice_ids given, but this ConfusionMatrix was made without num_slices")
        if n:
            self._state.update(t, p, w, s, self.ignore_out_of_range)
        return self

    def _compatible(self, other: "ConfusionMatrix") -> None:
        if (self.num_classes, self.num_slices) != (other.num_classes, other.num_slices):
            raise ValueError(
                f"cannot merge a ConfusionMatrix with num_classes={other.num_classes}, num_slices={other.num_slices} "
                f"into one with num_classes={self.num_classes}, num_slices={self.num_slices}"
            )

    def _shaped(self, a: np.ndarray) -> np.ndarray:
        return a if self.num_slices is not None else a[0]

    @property
    def weighted(self) -> bool:
        return self._state.weighted

    @property
    def counts(self) -> np.ndarray:
        """Exact sample counts, int64, shape (C, C) or (S, C, C)."""
        return self._shaped(self._state.counts())

    @property
    def weights(self) -> np.ndarray:
        """Sums of sample weights, float64 (equal to the counts when no update was weighted)."""
        sums = self._state.sums()
        return self._shaped(sums) if sums is not None else self.counts.astype(np.float64)

    def result(self) -> np.ndarray:
        """The matrix: int64 counts, or float64 sums of weights once any update was weighted."""
        return self.weights if self.weighted else self.counts

    def plot(self, labels=None, *, normalize: bool = True, ax=None):
        """A heatmap of ``result()`` (summed over slices) with matplotlib: see ``accumetrics.plot``."""
        from . import plot

        m = self.result()
        return plot.confusion_matrix(m.sum(axis=0) if self.num_slices else m, labels, normalize=normalize, ax=ax)

    def __repr__(self) -> str:
        slices = "" if self.num_slices is None else f", num_slices={self.num_slices}"
        return f"ConfusionMatrix(num_classes={self.num_classes}{slices}, samples={int(self.counts.sum())})"
