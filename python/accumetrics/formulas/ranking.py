"""Ranking values read from a histogram of scores, each written once for numpy and ``keras.ops`` (``xp``):
ROC AUC, average precision, partial ROC AUC, and the bound on the ROC AUC that the histogram's
resolution leaves.

``neg`` and ``pos`` are the weighted negatives and positives per bucket, along axis 0 in increasing
score order (further axes: labels); scores that share a bucket count as tied, as scikit-learn counts
equal scores. The ``*_at_thresholds`` formulas read the same values from confusion counts at
increasing thresholds, along the last axis (``ThresholdCounts.result()``).
"""

from __future__ import annotations

import numpy as np


def roc_auc(xp, neg, pos):
    """ROC AUC, ties counting one half, as scikit-learn: NaN where a class is missing."""
    below = xp.cumsum(neg, axis=0) - neg  # negatives in lower buckets
    area = xp.sum(pos * (below + 0.5 * neg), axis=0)
    pairs = xp.sum(pos, axis=0) * xp.sum(neg, axis=0)
    return xp.where(pairs > 0, xp.divide_no_nan(area, pairs), float("nan"))


def roc_auc_bound(xp, neg, pos):
    """A bound on ``|roc_auc - exact ROC AUC|``: the pairs of a positive and a negative that share a bucket,
    which the exact order could have put either way, count one half."""
    return xp.divide_no_nan(xp.sum(pos * neg, axis=0) / 2, xp.sum(pos, axis=0) * xp.sum(neg, axis=0))


def average_precision(xp, neg, pos):
    """Average precision, as scikit-learn: 0 without positives."""
    above = xp.flip(xp.cumsum(xp.flip(pos, axis=0), axis=0), axis=0)  # true positives at each bucket
    predicted = above + xp.flip(xp.cumsum(xp.flip(neg, axis=0), axis=0), axis=0)
    precision = xp.divide_no_nan(above, predicted)
    return xp.divide_no_nan(xp.sum(pos * precision, axis=0), xp.sum(pos, axis=0))


def standardized_partial_auc(xp, fpr, tpr, max_fpr: float):
    """scikit-learn's standardized partial ROC AUC up to ``max_fpr`` (McClish correction), from the points of a
    ROC curve in increasing false positive rate along axis 0 (further axes: labels): the trapezoidal area
    left of ``max_fpr``, the segment that crosses it cut by linear interpolation, rescaled so that chance
    is 0.5 and a perfect ranking 1."""
    x0, x1, y0, y1 = fpr[:-1], fpr[1:], tpr[:-1], tpr[1:]
    # min(x, max_fpr) by where, max_fpr in the curve's dtype: on torch, Keras's minimum, and a bare float
    # passed to where, turn float64 into float32
    limit = xp.zeros_like(x0) + max_fpr
    left, right = xp.where(x0 < limit, x0, limit), xp.where(x1 < limit, x1, limit)
    width = x1 - x0
    y_right = y0 + (y1 - y0) * (right - x0) / xp.where(width > 0, width, 1.0)
    area = xp.sum((right - left) * (y0 + y_right) / 2, axis=0)
    min_area, max_area = 0.5 * max_fpr**2, max_fpr
    return 0.5 * (1 + (area - min_area) / (max_area - min_area))


def partial_roc_auc(xp, neg, pos, max_fpr: float):
    """The standardized partial ROC AUC up to ``max_fpr`` (ties as diagonal segments of the curve): NaN where
    a class is missing."""
    zero = xp.zeros_like(neg[:1])
    fp = xp.concatenate([zero, xp.cumsum(xp.flip(neg, axis=0), axis=0)], axis=0)  # from the highest scores down
    tp = xp.concatenate([zero, xp.cumsum(xp.flip(pos, axis=0), axis=0)], axis=0)
    negatives, positives = fp[-1:], tp[-1:]
    value = standardized_partial_auc(xp, xp.divide_no_nan(fp, negatives), xp.divide_no_nan(tp, positives), max_fpr)
    return xp.where(negatives[0] * positives[0] > 0, value, float("nan"))



def _quiet():
    return np.errstate(all="ignore")


def _operating_points(xp, tp, fp, tn, fn):
    """(positives, negatives) predicted positive at each threshold from the highest down, then at every
    sample, and the totals (..., 1), from counts along the last axis at increasing thresholds."""
    positives, negatives = tp[..., :1] + fn[..., :1], fp[..., :1] + tn[..., :1]
    hits = xp.concatenate([xp.flip(tp, axis=-1), positives], axis=-1)
    alarms = xp.concatenate([xp.flip(fp, axis=-1), negatives], axis=-1)
    return hits, alarms, positives, negatives


def average_precision_at_thresholds(xp, tp, fp, tn, fn):
    """Average precision through the operating points of the thresholds, from the highest down, then every
    sample predicted positive: scikit-learn's of the scores' bin numbers. NaN where there are no positives."""
    hits, alarms, positives, _ = _operating_points(xp, tp, fp, tn, fn)
    gained = hits - xp.concatenate([xp.zeros_like(hits[..., :1]), hits[..., :-1]], axis=-1)
    with _quiet():
        precision = xp.where(gained > 0, hits / (hits + alarms), xp.zeros_like(hits))
        return xp.sum(gained * precision, axis=-1) / positives[..., 0]


def roc_auc_at_thresholds(xp, tp, fp, tn, fn):
    """ROC AUC, the trapezoids through the same operating points: scikit-learn's of the scores' bin numbers.
    NaN without positives or negatives."""
    hits, alarms, positives, negatives = _operating_points(xp, tp, fp, tn, fn)
    with _quiet():
        tpr, fpr = (xp.concatenate([xp.zeros_like(x[..., :1]), x], axis=-1)
                    for x in (hits / positives, alarms / negatives))
        return xp.sum((fpr[..., 1:] - fpr[..., :-1]) * (tpr[..., 1:] + tpr[..., :-1]) / 2, axis=-1)
