"""Labels as class codes, and the positive class of binary labels.

Integer (and bool, and whole float) labels in a small range are their own class codes, with no
relabelling pass; anything else (strings, wide integer ranges) is numbered by one ``np.unique``.
Labels are looked up in a given table of classes (a CLI's classes, a model's partitions, the union
of two blocks' labels) by one sort of the table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrays import SKLEARN, whole_numbers


@dataclass(frozen=True)
class Codes:
    """Labels as class codes: ``values[code]`` is the label; codes lie in [0, len(values))."""

    y_true: np.ndarray
    y_pred: np.ndarray
    values: np.ndarray


# A label range up to this wide is used as the class codes directly (the matrix has width**2 cells).
_DIRECT_WIDTH = 1 << 12


def _as_integers(a: np.ndarray) -> np.ndarray | None:
    if a.dtype.kind == "b":
        return a.view(np.uint8)
    if a.dtype.kind == "i" or (a.dtype.kind == "u" and a.dtype.itemsize < 8):
        return a
    if a.dtype.kind == "f":
        return whole_numbers(a, "labels", style=SKLEARN)
    return None


def numbered(labels) -> tuple[np.ndarray, np.ndarray]:
    """(the distinct labels, sorted; each label's index among them)."""
    values, inverse = np.unique(labels, return_inverse=True)
    return values, inverse.reshape(-1)


def encode(t: np.ndarray, p: np.ndarray) -> Codes:
    """Class codes for checked 1-D labels: the integers themselves when their range is small."""
    ti, pi = _as_integers(t), _as_integers(p)
    if ti is not None and pi is not None:
        lo = min(int(ti.min()), int(pi.min()))
        hi = max(int(ti.max()), int(pi.max()))
        base = min(lo, 0)
        width = hi - base + 1
        if width <= _DIRECT_WIDTH and width * width <= max(1 << 16, 4 * len(t)):
            if base < 0:
                ti, pi = ti.astype(np.int64) - base, pi.astype(np.int64) - base
            return Codes(ti, pi, np.arange(base, hi + 1))
    values, inverse = numbered(np.concatenate([t, p]))
    return Codes(inverse[: len(t)], inverse[len(t) :], values)


def lookup(labels, table) -> tuple[np.ndarray, np.ndarray]:
    """(each label's index in `table`, a sequence of distinct classes in any order, as int64; where a
    label is not in the table)."""
    labels, table = np.asarray(labels), np.asarray(table)
    if not len(table):
        return np.zeros(labels.shape, np.int64), np.ones(labels.shape, bool)
    order = np.argsort(table, kind="stable")
    at = np.searchsorted(table[order], labels).clip(max=len(table) - 1)
    codes = order[at]
    return codes.astype(np.int64), table[codes] != labels


def label_dtype(t: np.ndarray, p: np.ndarray, pred_adds_labels: bool) -> np.dtype:
    """The dtype of sklearn's ``unique_labels``: y_true's, promoted only when y_pred adds labels."""
    return np.result_type(t.dtype, p.dtype) if pred_adds_labels else t.dtype


_PLAIN_CLASSES = ([0, 1], [-1, 1], [0], [-1], [1])


def positive_label(y_true: np.ndarray, pos_label, *, otherwise: str = "raise"):
    """sklearn's ``_check_pos_label_consistency``: `pos_label` where given; else 1 when y_true's classes
    are {0, 1}, {-1, 1} or one of them. Other classes need `pos_label`: a ValueError, unless `otherwise`
    is "largest" (brier_score_loss), which takes the largest class of numeric labels."""
    if pos_label is not None:
        return pos_label
    classes = np.unique(y_true)
    strings = classes.dtype.kind in "OUS"
    if not strings and any(np.array_equal(classes, c) for c in _PLAIN_CLASSES):
        return 1
    if otherwise == "largest" and not strings:
        return classes[-1]
    shown = ", ".join(repr(c) for c in classes.tolist())
    raise ValueError(
        f"y_true takes value in {{{shown}}} and pos_label is not specified: either make y_true take value "
        "in {0, 1} or {-1, 1} or pass pos_label explicitly."
    )
