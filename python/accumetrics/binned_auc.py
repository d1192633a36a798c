"""Streaming ROC AUC and average precision in bounded memory, with a certified error bound."""

from __future__ import annotations

import numpy as np

from . import _core
from . import _validation as v
from ._accumulator import Accumulator


def _scores(y_score) -> np.ndarray:
    if getattr(getattr(y_score, "dtype", None), "name", None) == "bfloat16":
        # ml_dtypes: every bfloat16 value is a float32 value
        y_score = np.asarray(y_score).astype(np.float32)
    return v.floats(y_score, "y_score")


class BinnedAUC(Accumulator):
    """ROC AUC and average precision of binary scores, streamed into a bounded histogram.

    Scores are binned by their float32 value: at first one bin per distinct float32
    value (exact), and, only when more than ``max_bins`` bins would be needed, every
    bin is merged with its neighbour (one bit of resolution less), as often as
    needed. Memory stays below ``max_bins`` bins (24 bytes each), and the result
    comes with a bound on its distance from the exact (sklearn) value that follows
    from the bins alone:

    - ROC AUC: only (positive, negative) pairs that share a bin can be misordered,
      and each counts 1/2 instead of 0 or 1, so the error is at most
      ``sum_b pos_b * neg_b / (2 * P * N)`` (weights for counts).
    - Average precision: inside a bin the precision at which each positive adds
      recall lies between the precision before any of the bin's negatives and after
      all of them; the bound adds, per bin, the positives' share of recall times the
      widest gap between that range and the binned precision.

    Both bounds are 0 while the histogram is exact, which is always the case for
    float16, bfloat16 and float32 scores with at most ``max_bins`` distinct values.

    >>> auc = BinnedAUC()
    >>> auc.update([0, 0, 1, 1], [0.125, 0.5, 0.375, 0.75]).result()
    {'roc_auc': 0.75, 'roc_auc_bound': 0.0, 'average_precision': 0.8333333333333333, 'average_precision_bound': 0.0}
    """

    def __init__(self, max_bins: int = 1 << 20):
        self.max_bins = v.positive_int(max_bins, "max_bins")
        if self.max_bins < 2:
            raise ValueError(f"max_bins must be at least 2, got {max_bins}")
        v.check_memory(self._memory(1), "max_bins", f"BinnedAUC(max_bins={self.max_bins})")
        self._state = _core.ScoreHistogram(self.max_bins)

    def _memory(self, slices: int) -> int:
        # Per bin: 24 bytes of state, 16 of pending samples, 24 more while bins are merged.
        return slices * self.max_bins * 64

    def update(self, y_true, y_score, sample_weight=None) -> "BinnedAUC":
        """Add a batch of 0/1 labels and scores, shape (N,) or (N, 1)."""
        t = v.column(v.binary_labels(y_true, "y_true"), "y_true")
        s = v.column(_scores(y_score), "y_score")
        v.same_length(y_true=t, y_score=s)
        w = v.weights(sample_weight, len(s))
        if len(s):
            self._state.update(t, s, w)
        return self

    def _compatible(self, other: "BinnedAUC") -> None:
        if self.max_bins != other.max_bins:
            raise ValueError(f"cannot merge BinnedAUC with max_bins={other.max_bins} into one with "
                             f"max_bins={self.max_bins}")

    @property
    def exact(self) -> bool:
        """Whether every bin still holds a single score value (results equal the exact ones)."""
        r = self._state.result()
        return r["roc_auc_bound"] == 0 and r["average_precision_bound"] == 0 and self._state.shift == 0

    @property
    def num_bins(self) -> int:
        return self._state.num_bins

    def result(self) -> dict[str, float]:
        """roc_auc and average_precision, each with its certified bound on ``|binned - exact|``.

        ROC AUC (and its bound) is NaN until both classes have been seen; average
        precision is 0 without positives, as in sklearn.
        """
        r = self._state.result()
        return {key: float(r[key]) for key in ("roc_auc", "roc_auc_bound", "average_precision",
                                               "average_precision_bound")}

    @property
    def roc_auc(self) -> float:
        return self.result()["roc_auc"]

    @property
    def average_precision(self) -> float:
        return self.result()["average_precision"]

    def refinement(self, target: float = 0.0, max_values: int = 1 << 22) -> "Refinement":
        """A second pass over the same data that makes the result exact, or its bounds at most ``target``.

        Feed the returned object's ``update`` the same batches again (in any order and split);
        only the samples of the bins with the largest error terms are kept, one entry per distinct
        score, at most ``max_values`` (past that, the refinement gives up: ``complete`` is False and
        ``result`` is this accumulator's).

        >>> rng = np.random.default_rng(0)
        >>> y, s = rng.integers(0, 2, 10000), rng.random(10000)
        >>> auc = BinnedAUC(max_bins=64).update(y, s)
        >>> exact = auc.refinement()
        >>> r = exact.update(y, s).result()
        >>> r["roc_auc_bound"], r["average_precision_bound"]
        (0.0, 0.0)
        """
        return Refinement(self, target, max_values)

    def __repr__(self) -> str:
        r = self._state.result()
        return (f"BinnedAUC(max_bins={self.max_bins}, bins={self._state.num_bins}, "
                f"samples_weight={r['positives'] + r['negatives']:g})")


class Refinement:
    """The second pass of :meth:`BinnedAUC.refinement`: ``update`` with the data again, then ``result``."""

    def __init__(self, auc: BinnedAUC, target: float = 0.0, max_values: int = 1 << 22):
        if not isinstance(target, (int, float, np.integer, np.floating)) or not target >= 0:
            raise ValueError(f"target must be a non-negative bound, got {target!r}")
        self._state = _core.HistogramRefinement(auc._state, float(target), v.positive_int(max_values, "max_values"))

    @property
    def needed(self) -> bool:
        """Whether any bin was chosen (False: the histogram's bounds are already at most the target)."""
        return self._state.chosen_bins > 0

    @property
    def complete(self) -> bool:
        """False once the chosen bins held more than ``max_values`` distinct scores."""
        return self._state.complete

    def update(self, y_true, y_score, sample_weight=None) -> "Refinement":
        t = v.column(v.binary_labels(y_true, "y_true"), "y_true")
        s = v.column(_scores(y_score), "y_score")
        v.same_length(y_true=t, y_score=s)
        w = v.weights(sample_weight, len(s))
        if len(s) and self.needed:
            self._state.update(t, s, w)
        return self

    def result(self) -> dict[str, float]:
        """As :meth:`BinnedAUC.result`, with the chosen bins counted at full precision."""
        return {key: float(x) for key, x in self._state.result().items()}
