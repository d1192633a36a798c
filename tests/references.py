"""Reference implementations the fast core is checked against.

They are written the slow, obvious way (np.add.at, explicit loops over thresholds,
math.fsum), so that a match means the core is right.
"""

from __future__ import annotations

import math

import numpy as np


def confusion_reference(y_true, y_pred, weight=None, num_classes=None, slice_ids=None, num_slices=1):
    """(S, C, C) counts by np.add.at; float64 when weighted."""
    t, p = np.asarray(y_true, np.int64).ravel(), np.asarray(y_pred, np.int64).ravel()
    s = np.zeros_like(t) if slice_ids is None else np.asarray(slice_ids, np.int64)
    out = np.zeros((num_slices, num_classes, num_classes), np.int64 if weight is None else np.float64)
    np.add.at(out, (s, t, p), 1 if weight is None else np.broadcast_to(np.asarray(weight, np.float64), t.shape))
    return out


def threshold_reference(y_true, y_score, thresholds, weight=None):
    """TP/FP/TN/FN at each threshold for 1-D labels and scores, by an explicit loop over thresholds.

    Scores are compared in float64 (`score > t`), as the core does with float32 scores.
    """
    y = np.asarray(y_true).astype(np.float64).ravel()
    s = np.asarray(y_score).astype(np.float64).ravel()
    w = np.ones_like(s) if weight is None else np.broadcast_to(np.asarray(weight, np.float64), s.shape)
    dtype = np.int64 if weight is None else np.float64
    out = {k: np.zeros(len(thresholds), dtype) for k in ("tp", "fp", "tn", "fn")}
    for k, t in enumerate(thresholds):
        above = s > t
        for name, mask in (("tp", above & (y == 1)), ("fp", above & (y == 0)),
                           ("tn", ~above & (y == 0)), ("fn", ~above & (y == 1))):
            out[name][k] = w[mask].sum() if weight is not None else mask.sum()
    return out


MOMENT_NAMES = ["sum_weight", "sum_pred", "sum_true", "sum_pred_squared", "sum_true_squared", "sum_pred_true",
                "sum_absolute_error", "sum_squared_error"]


def moments_reference(y_true, y_pred, weight=None) -> dict[str, float]:
    """The weighted sums of one output column, each with math.fsum over float64 terms."""
    x = np.asarray(y_pred).astype(np.float64).ravel()
    y = np.zeros_like(x) if y_true is None else np.asarray(y_true).astype(np.float64).ravel()
    w = np.ones_like(x) if weight is None else np.broadcast_to(np.asarray(weight, np.float64), x.shape)
    d = x - y
    terms = [w, w * x, w * y, w * x * x, w * y * y, w * x * y, np.abs(w * d), w * d * d]
    return {name: math.fsum(t) for name, t in zip(MOMENT_NAMES, terms)}


def assert_close(actual, expected, rtol=1e-12, atol=0.0):
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


def random_splits(rng, n: int, pieces: int) -> list[int]:
    """Uneven cut points in [0, n], including empty pieces."""
    return sorted(rng.integers(0, n + 1, size=pieces - 1).tolist())
