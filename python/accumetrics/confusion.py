"""Streaming multiclass confusion matrix, and the stateless counts of one batch that the Keras metrics,
the sklearn-style functions and the bootstrap read from the same core (with the matches and the
cross-entropy of rows of class scores against their labels)."""

from __future__ import annotations

import numpy as np

from . import _core
from . import _validation as v
from ._accumulator import Accumulator, CorePool

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
        w, s = self._weights_and_slices(sample_weight, slice_ids, n)
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


class ConfusionBatch:
    """The (true class, predicted class) counts of one batch, as a ``ConfusionMatrix(num_classes,
    num_slices=num_slices, ignore_out_of_range=True)`` would add them, with no state kept: for callers that
    keep their own (the Keras metrics). Samples whose true class is in ``ignore``, or with a label outside
    [0, num_classes), are skipped. Core objects are made once per batch counter and reused.
    """

    # What the core refuses unless finite, by argument, with its message: for callers that count the same
    # quantities where the core cannot run (keras.ops in a graph) and check there what it would.
    must_be_finite = {"sample_weight": v.not_finite("sample_weight", "weights")}

    def __init__(self, num_classes: int, num_slices: int = 1, ignore=()):
        self.ignore = tuple(int(i) for i in ignore)
        self._cores = CorePool(lambda: _core.ConfusionMatrix(num_classes, num_slices))

    def __call__(self, y_true: np.ndarray, y_pred: np.ndarray, sample_weight: np.ndarray | None = None,
                 slice_ids: np.ndarray | None = None, *, pred_scores: bool = False) -> np.ndarray:
        """int64 counts, or float64 sums of ``sample_weight`` (one per label), shape (num_slices, C, C).

        ``y_true`` holds integer labels of any shape; ``y_pred`` the same, or with ``pred_scores`` class
        scores on one more last axis (the predicted class is their argmax, the first of equal maxima).
        ``slice_ids`` has one id per sample (the first axis)."""
        t, p, w = y_true, y_pred, sample_weight
        if pred_scores:
            p = argmax(p)
        t, p = t.reshape(-1), p.reshape(-1)
        if w is not None:
            w = w.reshape(-1)
        ids = None if slice_ids is None or not t.size else v.row_ids(slice_ids, t.size)
        if self.ignore:
            keep = ~np.isin(t, self.ignore)
            t, p, w = t[keep], p[keep], None if w is None else w[keep]
            ids = None if ids is None else ids[keep]
        with self._cores.borrow() as core:
            if t.size:
                core.update(np.ascontiguousarray(t), np.ascontiguousarray(p),
                            None if w is None else np.ascontiguousarray(w),
                            None if ids is None else np.ascontiguousarray(ids), True)
            counts = core.counts()
            if w is None:
                return counts
            sums = core.sums()  # None before any weight was added: an empty batch
            return np.zeros(counts.shape) if sums is None else sums


def argmax(scores: np.ndarray) -> np.ndarray:
    """The class of each row of scores (the last axis): the first of equal maxima, int64, one pass."""
    return _core.argmax(np.ascontiguousarray(scores.reshape(-1, scores.shape[-1])))


def integer_weight_sums(y_true, y_pred, sample_weight: np.ndarray, num_classes: int) -> np.ndarray:
    """The exact int64 sums of int64 ``sample_weight`` per (true class, predicted class) cell, (C, C), of
    class indices in [0, num_classes) (others are skipped); sums wrap as numpy's int64 do."""
    t, p = v.labels(y_true, "y_true"), v.labels(y_pred, "y_pred")
    return _core.integer_weight_sums(t, p, sample_weight, num_classes)


def class_matches(y_true: np.ndarray, scores: np.ndarray, sample_weight: np.ndarray | None, how: str,
                  k: int = 1) -> tuple:
    """(rows, matching rows, their weight, matching weight) of rows of class ``scores`` (N, C) against
    integer labels ``y_true`` (N,): ``how`` is "argmax" (a row's argmax is its label) or "top_k" (the label
    is among its k highest scores). One pass of the core over the scores."""
    t = y_true.reshape(-1)
    if how == "top_k" and t.dtype.kind == "f":
        t = t.astype(np.int32)  # as Keras casts the labels of a top-k match
    match = _core.ClassMatch.argmax if how == "argmax" else _core.ClassMatch.top_k
    return _core.count_class_matches(t, np.ascontiguousarray(scores),
                                     None if sample_weight is None else np.ascontiguousarray(sample_weight.reshape(-1)),
                                     match, k)


CROSSENTROPY_FORMS = {"logits": _core.CrossentropyForm.logits, "normalized": _core.CrossentropyForm.normalized,
                      "softmax_of_log": _core.CrossentropyForm.softmax_of_log}


def crossentropy_sums(y_true: np.ndarray, scores: np.ndarray, sample_weight: np.ndarray | None, form: str,
                      lo: float, hi: float) -> tuple:
    """(rows, rows whose label is not a class, their weight, weighted sum of the losses) of the sparse
    categorical cross-entropy of rows of class ``scores`` (N, C) against integer labels ``y_true`` (N,), in
    one pass of the core. ``form`` is a key of ``CROSSENTROPY_FORMS``: "logits", or probabilities clipped
    to [lo, hi] after dividing by their row's sum ("normalized") or before ("softmax_of_log"). A row
    whose label is not a class adds its weight and a loss of 0."""
    return _core.sum_crossentropy(y_true.reshape(-1), np.ascontiguousarray(scores),
                                  None if sample_weight is None else np.ascontiguousarray(sample_weight.reshape(-1)),
                                  CROSSENTROPY_FORMS[form], lo, hi)
