"""The one confusion matrix every label metric derives from, counted by the core.

For 1-D labels: a C x C matrix over the labels present in y_true or y_pred, rows true. For
multilabel indicators: one 2 x 2 matrix per label (or per sample), counted as a ConfusionMatrix
of two classes with the label (or sample) as its slice, laid out as sklearn's
``multilabel_confusion_matrix``: [[tn, fp], [fn, tp]].
Counts are exact int64; with sample weights they are sums of weights: exact int64 sums for integer
weights, float64 sums otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation.encoding import encode, label_dtype, lookup
from .._validation.targets import BINARY, MULTICLASS, Targets
from ..confusion import ConfusionMatrix, integer_weight_sums


@dataclass(frozen=True)
class ClassConfusion:
    """Rows are true labels, columns predicted labels, both in the order of ``labels``."""

    kind: str  # BINARY when at most two labels are present, else MULTICLASS
    labels: np.ndarray
    matrix: np.ndarray
    counts: np.ndarray  # unweighted counts (equal to matrix without weights)

    def find(self, wanted) -> tuple[np.ndarray, np.ndarray]:
        """Positions of `wanted` labels in ``labels`` and whether each was found."""
        wanted = np.asarray(wanted).reshape(-1)
        if self.labels.dtype.kind == "U" and wanted.dtype.kind != "U":
            wanted = wanted.astype(str)  # as numpy's concatenation of the two would
        if len(self.labels) == 0 or wanted.size == 0 or (wanted.dtype.kind == "U") != (self.labels.dtype.kind == "U"):
            return np.zeros(wanted.size, dtype=np.intp), np.zeros(wanted.size, dtype=bool)
        at, missing = lookup(wanted, self.labels)
        return at, ~missing

    def per_label(self, wanted=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """tp, predicted and true sums for each `wanted` label (zero for labels absent from the data)."""
        m = self.matrix
        if not np.trace(self.counts):
            m = m.astype(np.float64)  # sklearn's sums are floats when no prediction is right
        tp, pred, true = np.diagonal(m).copy(), m.sum(axis=0), m.sum(axis=1)
        if wanted is None:
            return tp, pred, true
        at, found = self.find(wanted)
        return tuple(np.where(found, x[at], 0).astype(m.dtype) for x in (tp, pred, true))


def class_confusion(targets: Targets, exact_weights: bool = False) -> ClassConfusion:
    """Counts (true label, predicted label) pairs of 1-D targets with one pass of the core.

    With `exact_weights`, integer weights are summed exactly into an int64 matrix (sklearn's
    confusion_matrix); otherwise weights are summed in float64 (its other metrics)."""
    codes = encode(targets.y_true, targets.y_pred)
    classes = max(len(codes.values), 1)
    cm = ConfusionMatrix(classes, ignore_out_of_range=True)
    exact = targets.exact_weight if exact_weights else None
    cm.update(codes.y_true, codes.y_pred, sample_weight=targets.sample_weight if exact is None else None)
    counts = cm.counts
    in_true, in_pred = counts.any(axis=1), counts.any(axis=0)
    present = in_true | in_pred
    if exact is None:
        matrix = cm.result()
    else:  # integer weights sum exactly, as in sklearn's int64 matrix
        matrix = integer_weight_sums(codes.y_true, codes.y_pred, exact, classes)
    labels = codes.values
    if not present.all():
        keep = np.flatnonzero(present)
        counts, matrix, labels = counts[np.ix_(keep, keep)], matrix[np.ix_(keep, keep)], labels[keep]
    dtype = label_dtype(targets.y_true, targets.y_pred, bool((in_pred & ~in_true).any()))
    if labels.dtype.kind != "U":
        labels = labels.astype(dtype)
    return ClassConfusion(BINARY if len(labels) <= 2 else MULTICLASS, labels, matrix, counts)


def label_confusion(y_true: np.ndarray, y_pred: np.ndarray, weight: np.ndarray | None, samplewise: bool = False) -> np.ndarray:
    """sklearn's ``multilabel_confusion_matrix`` of indicator arrays, shape (labels or samples, 2, 2).

    A label counts as set where the indicator is non-zero. Per sample (``samplewise``), the
    weighted counts are the sample's counts times its weight, as in sklearn.
    """
    n, width = y_true.shape
    slices = n if samplewise else width
    cm = ConfusionMatrix(2, num_slices=max(slices, 1), ignore_out_of_range=True)
    if n and width:
        ids = np.repeat(np.arange(n), width) if samplewise else np.tile(np.arange(width), n)
        rows_weight = None if weight is None or samplewise else np.repeat(weight, width)
        cm.update((y_true != 0).reshape(-1), (y_pred != 0).reshape(-1), sample_weight=rows_weight, slice_ids=ids)
    mcm = cm.result()[:slices]
    if samplewise and weight is not None:
        mcm = mcm * weight[:, None, None]
        mcm[:, 0, 0] = weight * width - mcm[:, 0, 1] - mcm[:, 1, 0] - mcm[:, 1, 1]
    return mcm


def select_columns(y_true: np.ndarray, y_pred: np.ndarray, labels) -> tuple[np.ndarray, np.ndarray]:
    """The indicator columns named by `labels` (column indices), all when None."""
    if labels is None:
        return y_true, y_pred
    width = y_true.shape[1]
    labels = np.asarray(labels).reshape(-1)
    full = np.concatenate([labels, np.setdiff1d(np.arange(width), labels, assume_unique=True)])
    if full.shape != (width,) or (full != np.arange(width)).any():
        if full.max() > width - 1:
            raise ValueError(f"All labels must be in [0, n labels) for multilabel targets. Got {full.max()} > {width - 1}")
        if full.min() < 0:
            raise ValueError(f"All labels must be in [0, n labels) for multilabel targets. Got {full.min()} < 0")
    return y_true[:, labels], y_pred[:, labels]
