"""Values read from confusion counts, each written once for numpy and ``keras.ops`` (``xp``).

Per-label rates take the counts as scikit-learn names them: ``tp``, ``predicted`` (tp + fp) and
``actual`` (tp + fn); a matrix is indexed (true class, predicted class). Where a value is undefined
(a zero denominator) these formulas give 0, or NaN where scikit-learn's default is NaN; the
sklearn-style functions then apply ``zero_division`` and warn.
"""

from __future__ import annotations

import numpy as np


def counts_at_thresholds(xp, histogram):
    """(tp, fp, tn, fn) at each threshold, stacked on a new first axis: shape (4, ..., T).

    ``histogram`` has shape (..., T + 1, 2): the weighted (negatives, positives) per bucket, bucket
    b holding the scores above exactly b of the T sorted thresholds. TP and FP are sums of the
    buckets above a threshold, TN and FN of those at or below it (sums rather than a difference
    from the total, which would turn infinite sums of weights into NaN).
    """
    above = xp.flip(xp.cumsum(xp.flip(histogram[..., 1:, :], axis=-2), axis=-2), axis=-2)  # buckets k + 1 .. T
    below = xp.cumsum(histogram[..., :-1, :], axis=-2)  # buckets 0 .. k
    return xp.stack([above[..., 1], above[..., 0], below[..., 0], below[..., 1]])


def precision(xp, tp, predicted):
    """TP / (TP + FP); 0 where nothing is predicted positive."""
    return xp.divide_no_nan(tp, predicted)


def recall(xp, tp, actual):
    """TP / (TP + FN) (sensitivity); 0 where nothing is positive."""
    return xp.divide_no_nan(tp, actual)


def specificity(xp, tn, negatives):
    """TN / (TN + FP); 0 where nothing is negative."""
    return xp.divide_no_nan(tn, negatives)


def false_positive_rate(xp, fp, negatives):
    """FP / (FP + TN), 1 - specificity; 0 where nothing is negative."""
    return xp.divide_no_nan(fp, negatives)


def f_beta(xp, tp, predicted, actual, beta: float):
    """(1 + β²) TP / (β² (TP + FN) + TP + FP), as scikit-learn: 0 where nothing is true nor predicted."""
    beta2 = beta**2
    return xp.divide_no_nan((1 + beta2) * tp, beta2 * actual + predicted)


def f_beta_smoothed(xp, tp, fp, fn, beta: float, epsilon: float):
    """F-beta as Keras computes it: ``epsilon`` added to the denominators of precision, recall and
    F, so that it is 0 rather than undefined without positives (Keras's values depend on it)."""
    beta2 = beta**2
    p = tp / (tp + fp + epsilon)
    r = tp / (tp + fn + epsilon)
    return p * r / (beta2 * p + r + epsilon) * (1 + beta2)


def balanced_accuracy(xp, matrix):
    """The mean recall of the classes present in the true labels (rows of ``matrix`` with a weight)."""
    actual = xp.sum(matrix, axis=1)
    present = actual != 0
    recalls = xp.divide_no_nan(xp.diagonal(matrix), actual)
    return xp.divide_no_nan(xp.sum(recalls), xp.sum(xp.where(present, 1.0, 0.0)))


def matthews_corrcoef(xp, matrix):
    """Matthews correlation coefficient of a confusion ``matrix`` (C, C), Gorodkin's R_K for more than two
    classes, as scikit-learn computes it: 0 where it is undefined (one true or one predicted class)."""
    actual = xp.sum(matrix, axis=1)
    predicted = xp.sum(matrix, axis=0)
    n = xp.sum(predicted)
    cov_true_pred = xp.trace(matrix) * n - xp.inner(actual, predicted)
    cov_pred = n * n - xp.inner(predicted, predicted)
    cov_true = n * n - xp.inner(actual, actual)
    return xp.divide_no_nan(cov_true_pred, xp.sqrt(cov_pred * cov_true))


def kappa_weights(num_classes: int, weights: str | None) -> np.ndarray:
    """The disagreement weight of each (class, class) cell: 1 off the diagonal (``None``), ``|i - j|``
    (``"linear"``) or ``(i - j)²`` (``"quadratic"``)."""
    i = np.arange(num_classes)
    distance = np.abs(i[:, None] - i[None, :]).astype(np.float64)
    if weights is None:
        return np.minimum(distance, 1.0)
    return distance if weights == "linear" else distance**2


def cohen_kappa(xp, matrix, disagreement):
    """Cohen's kappa of a confusion ``matrix`` (C, C) of two raters, 1 - observed / chance disagreement,
    each cell weighted by ``disagreement`` (:func:`kappa_weights`), as scikit-learn computes it: NaN where
    it is undefined (no sample, or no disagreement expected by chance)."""
    sum0, sum1 = xp.sum(matrix, axis=0), xp.sum(matrix, axis=1)
    expected = xp.divide_no_nan(xp.outer(sum0, sum1), xp.sum(sum0))
    observed, chance = xp.sum(disagreement * matrix), xp.sum(disagreement * expected)
    return xp.where(chance != 0, 1 - xp.divide_no_nan(observed, chance), float("nan"))
