"""Streaming binary and multilabel confusion counts at many thresholds; the stateless counts of one batch
at fixed thresholds (the Keras metrics) and at every distinct score (the exact ranking metrics)."""

from __future__ import annotations

import numpy as np

from . import _core
from . import _validation as v
from ._accumulator import Accumulator, CorePool
from .formulas import confusion as formulas
from .formulas import numpy_ops
from .formulas import ranking as ranking_formulas


# Per cell: int64 counts and float64 sums, and three float64 arrays of that size for a result.
_CELL_BYTES = 40
# Per threshold: the thresholds, their order, and the core's sorted and padded copies.
_THRESHOLD_BYTES = 32


def _cells(thresholds: int, labels: int, slices: int) -> int:
    return slices * labels * (thresholds + 1) * 2


def _thresholds(thresholds) -> np.ndarray:
    if isinstance(thresholds, (int, np.integer)) and not isinstance(thresholds, (bool, np.bool_)):
        if thresholds < 2:
            raise ValueError(f"thresholds={thresholds}: an evenly spaced grid needs at least 2 thresholds")
        count = int(thresholds)
        v.check_memory(count * _THRESHOLD_BYTES + _cells(count, 1, 1) * _CELL_BYTES, "thresholds",
                       f"ThresholdCounts(thresholds={count})")
        return np.linspace(0.0, 1.0, count)
    if isinstance(thresholds, (float, bool, np.floating, np.bool_, complex, str, bytes)) or (
            isinstance(thresholds, np.ndarray) and thresholds.ndim == 0):
        raise TypeError(
            f"thresholds={thresholds!r}: expected a number of evenly spaced thresholds (an integer) or a "
            "sequence of threshold values"
        )
    try:
        t = np.asarray(thresholds, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise TypeError(f"thresholds could not be read as a sequence of numbers: {e}") from None
    if t.ndim != 1 or t.size == 0:
        raise ValueError("thresholds must be a positive integer or a non-empty 1-D sequence of numbers")
    if not np.isfinite(t).all():
        raise ValueError("thresholds must be finite")
    if np.unique(t).size != t.size:
        raise ValueError("thresholds must not repeat")
    return t


def _count(name: str, doc: str) -> property:
    """A property of ThresholdCounts: one of its four counts."""
    return property(lambda self: self._counts()[name], doc=doc)


class ThresholdCounts(Accumulator):
    """True/false positives and negatives at each threshold, for binary or multilabel scores.

    A score counts as positive at threshold t when ``score > t`` (strictly, as in
    Keras). ``thresholds`` is a number of evenly spaced thresholds on [0, 1] or any
    sequence of distinct values; results follow the order given. Each score is
    bucketed once (O(N + T)), whatever the thresholds.

    >>> tc = ThresholdCounts([0.25, 0.5, 0.75])
    >>> tc.update([0, 1, 1, 0], [0.1, 0.6, 0.8, 0.5]).tp
    array([2, 2, 1])
    """

    def __init__(self, thresholds=200, *, num_labels: int | None = None, num_slices: int | None = None,
                 ignore_out_of_range: bool = False):
        t = _thresholds(thresholds)
        self._order = np.argsort(t, kind="stable")
        self.thresholds = t
        self.num_labels = None if num_labels is None else v.positive_int(num_labels, "num_labels")
        self.num_slices = None if num_slices is None else v.positive_int(num_slices, "num_slices")
        self.ignore_out_of_range = bool(ignore_out_of_range)
        slices = self.num_slices or 1
        v.check_memory(self._memory(slices), "thresholds, num_labels or num_slices",
                       f"ThresholdCounts(thresholds={t.size}, num_labels={self.num_labels}, num_slices={self.num_slices})")
        self._state = _core.ThresholdCounts(t[self._order], self.num_labels or 1, slices)

    def _memory(self, slices: int) -> int:
        return self.thresholds.size * _THRESHOLD_BYTES + _cells(self.thresholds.size, self.num_labels or 1,
                                                                slices) * _CELL_BYTES

    def update(self, y_true, y_score, sample_weight=None, slice_ids=None) -> "ThresholdCounts":
        """Add a batch: labels 0/1 and scores, shape (N,) or, with num_labels=L, (N, L)."""
        t = v.binary_labels(y_true, "y_true")
        s = v.floats(y_score, "y_score")
        labels = self.num_labels or 1
        if self.num_labels is None:
            t, s = v.column(t, "y_true"), v.column(s, "y_score")
        elif s.ndim != 2 or s.shape[1] != labels:
            raise ValueError(f"y_score has shape {s.shape}; expected (n_samples, num_labels={labels})")
        if t.shape != s.shape:
            raise ValueError(f"y_true and y_score have different shapes: {t.shape} and {s.shape}")
        rows = len(s)
        w, ids = self._weights_and_slices(sample_weight, slice_ids, rows, s.shape if labels > 1 else None)
        if rows:
            self._state.update(t.reshape(-1), s.reshape(-1), w, ids, self.ignore_out_of_range)
        return self

    def _compatible(self, other: "ThresholdCounts") -> None:
        if not np.array_equal(self.thresholds, other.thresholds) or (self.num_labels, self.num_slices) != (
            other.num_labels, other.num_slices):
            raise ValueError("cannot merge ThresholdCounts with different thresholds, num_labels or num_slices")

    @property
    def weighted(self) -> bool:
        return self._state.weighted

    def _histogram(self) -> np.ndarray:
        sums = self._state.sums()
        return sums if sums is not None else self._state.counts()

    def _shaped(self, a: np.ndarray) -> np.ndarray:
        if self.num_labels is None:
            a = a[:, 0]
        return a if self.num_slices is not None else a[0]

    def _counts(self) -> dict[str, np.ndarray]:
        sorted_counts = formulas.counts_at_thresholds(numpy_ops, self._histogram())  # (4, S, L, T)
        counts = np.empty_like(sorted_counts)
        counts[..., self._order] = sorted_counts  # the thresholds in the order given
        return {name: self._shaped(a) for name, a in zip(("tp", "fp", "tn", "fn"), counts)}

    tp = _count("tp", "Positives scoring above each threshold (their weight, when weighted).")
    fp = _count("fp", "Negatives scoring above each threshold (their weight, when weighted).")
    tn = _count("tn", "Negatives scoring at or below each threshold (their weight, when weighted).")
    fn = _count("fn", "Positives scoring at or below each threshold (their weight, when weighted).")

    def result(self) -> dict[str, np.ndarray]:
        """{"tp", "fp", "tn", "fn"}: arrays of shape (T,), (L, T), (S, T) or (S, L, T)."""
        return self._counts()

    def plot(self, kind: str = "roc", labels=None, *, ax=None):
        """The ROC (``kind="roc"``) or precision-recall (``"pr"``) curve through the thresholds, one per label,
        summed over slices, with matplotlib: see ``accumetrics.plot``."""
        from . import plot

        draw = {"roc": plot.roc_curve_from_counts, "pr": plot.precision_recall_curve_from_counts}.get(kind)
        if draw is None:
            raise ValueError(f"kind={kind!r}; expected 'roc' or 'pr'")
        counts = {k: v.sum(axis=0) if self.num_slices else v for k, v in self.result().items()}
        return draw(counts, labels, ax=ax)

    def __repr__(self) -> str:
        extra = "".join(f", {k}={getattr(self, k)}" for k in ("num_labels", "num_slices") if getattr(self, k))
        n = int(self._state.counts()[:, 0].sum())
        return f"ThresholdCounts(thresholds={self.thresholds.size}{extra}, samples={n})"



class ThresholdBatch:
    """The weighted (negatives, positives) per label and bucket of one batch, as a ThresholdCounts of these
    thresholds would add them, with no state kept: for callers that keep their own (the Keras metrics).

    ``thresholds`` are sorted and distinct; bucket b holds the scores above exactly b of them. Core objects
    (with their lookup table of thresholds) are made once per batch counter and reused.
    """

    # What the core refuses unless finite, by argument, with its message: for callers that count the same
    # quantities where the core cannot run (keras.ops in a graph) and check there what it would.
    must_be_finite = {"y_score": v.not_finite("y_score"), "sample_weight": v.not_finite("sample_weight", "weights")}

    def __init__(self, thresholds: np.ndarray, num_labels: int = 1, num_slices: int = 1):
        self.num_labels = num_labels
        self._cores = CorePool(lambda: _core.ThresholdCounts(thresholds, num_labels, num_slices))

    def __call__(self, y_true: np.ndarray, y_score: np.ndarray, sample_weight: np.ndarray | None = None,
                 slice_ids: np.ndarray | None = None) -> np.ndarray:
        """int64 counts, or float64 sums of ``sample_weight`` (the shape of ``y_score``), shape
        (num_slices, num_labels, T + 1, 2). ``y_true`` is read as a boolean (non-zero is positive);
        ``y_score`` (float32/float64) has shape (N, num_labels), or any shape with one label;
        ``slice_ids`` has one id per sample."""
        s = y_score.reshape(-1)
        with self._cores.borrow() as core:
            if s.size:
                core.update(y_true.reshape(-1) != 0, s, None if sample_weight is None else sample_weight.reshape(-1),
                            v.row_ids(slice_ids, s.size // self.num_labels), False)
            counts = core.counts()
            if sample_weight is None:
                return counts
            sums = core.sums()  # None before any weight was added: an empty batch
            return np.zeros(counts.shape) if sums is None else sums


# The label dtypes the exact ranking reads as they are (others are converted to uint8 first).
RANKED_LABEL_DTYPES = (np.dtype(bool), np.dtype(np.uint8), np.dtype(np.int32), np.dtype(np.int64))


def _ranked_labels(y01: np.ndarray) -> np.ndarray:
    """0/1 (or bool) labels in a dtype the core reads as they are: nonzero is positive."""
    if y01.dtype in RANKED_LABEL_DTYPES and y01.flags.c_contiguous:
        return y01
    return np.ascontiguousarray(y01, dtype=np.uint8)


def counts_at_every_score(y01: np.ndarray, score: np.ndarray, sample_weight: np.ndarray | None = None):
    """(thresholds, tps, fps) of a 1-D column: its distinct scores decreasing, and the weights of the
    positives and negatives scored at or above each. ``y01`` holds 0/1 labels (non-zero is positive),
    ``score`` float32/float64 scores, ``sample_weight`` non-negative float64 weights or None. One sort
    (a radix sort of the score bits) and one walk in the core."""
    return _core.ranking_curve(_ranked_labels(y01), np.ascontiguousarray(score), sample_weight)


def ranking_summary(y01: np.ndarray, score: np.ndarray, sample_weight: np.ndarray | None = None,
                    average_precision: bool = True):
    """Per column of (N,) or (N, L) 0/1 labels and scores: (positive weight, negative weight, ROC AUC,
    average precision, NaN unless ``average_precision``), each of shape (L,), from the same walk as
    :func:`counts_at_every_score`. The core refuses non-finite scores and bad weights."""
    return _core.ranking_summary(_ranked_labels(y01), np.ascontiguousarray(score), sample_weight, average_precision)


def _floats(*counts):
    return [np.asarray(x, np.float64) for x in counts]


def average_precision_at_thresholds(tp, fp, tn, fn) -> np.ndarray:
    """Average precision of scores binned at increasing thresholds, from counts along the last axis.

    ``tp[..., k]`` and ``fp[..., k]`` are the positives and negatives scored above threshold k
    (thresholds increasing), ``fn`` and ``tn`` those at or below it, as ``ThresholdCounts.result()``
    gives them. The operating points are the thresholds from the highest down, then every sample
    predicted positive: the value is sklearn's ``average_precision_score`` of the scores' bin numbers
    (how many thresholds each score exceeds). NaN where there are no positives.

    >>> float(average_precision_at_thresholds(np.array([2, 1]), np.array([1, 0]), np.array([1, 2]),
    ...                                      np.array([0, 1])))
    0.8333333333333333
    """
    return ranking_formulas.average_precision_at_thresholds(numpy_ops, *_floats(tp, fp, tn, fn))


def roc_auc_at_thresholds(tp, fp, tn, fn) -> np.ndarray:
    """ROC AUC of scores binned at increasing thresholds (the trapezoids through the same operating points):
    sklearn's ``roc_auc_score`` of the scores' bin numbers. NaN without positives or negatives.

    >>> float(roc_auc_at_thresholds(np.array([2, 1]), np.array([1, 0]), np.array([1, 2]), np.array([0, 1])))
    0.875
    """
    return ranking_formulas.roc_auc_at_thresholds(numpy_ops, *_floats(tp, fp, tn, fn))
