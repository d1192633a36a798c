"""The hinge loss of decision values, as sklearn.metrics.hinge_loss: the margin of each sample
(Crammer-Singer for more than two classes), then their weighted mean, summed as sklearn sums it."""

from __future__ import annotations

import numpy as np

from .._validation import SKLEARN, check_consistent_length, check_finite, column
from .._validation.targets import as_target


def _decision(pred_decision) -> np.ndarray:
    d = as_target(pred_decision, "pred_decision", "hinge_loss")
    if d.dtype.kind not in "biuf":
        raise ValueError(f"pred_decision has dtype {d.dtype}; numbers are needed")
    if d.ndim > 2:
        raise ValueError(f"Found array with dim {d.ndim}. None expected <= 2.")
    d = d.astype(np.float64)
    check_finite(d, "pred_decision")
    return d


def hinge_loss(y_true, pred_decision, *, labels=None, sample_weight=None):
    """Average hinge loss max(0, 1 - margin), binary (labels as -1/+1) or multiclass (Crammer-Singer).

    >>> round(hinge_loss([-1, 1, 1], [-2.2, 1.3, 0.6]), 6)
    0.133333
    """
    t = as_target(y_true, "y_true", "hinge_loss")
    w = None if sample_weight is None else np.asarray(sample_weight)
    check_consistent_length(y_true=t, pred_decision=np.asarray(pred_decision), sample_weight=w)
    decision = _decision(pred_decision)
    t = column(t, "y", SKLEARN)
    classes = np.unique(t if labels is None else np.asarray(labels))
    if classes.size > 2:
        if decision.ndim <= 1:
            raise ValueError(
                "The shape of pred_decision cannot be 1d arraywith a multiclass target. pred_decision shape must be "
                f"(n_samples, n_classes), that is ({t.shape[0]}, {classes.size}). Got: {decision.shape}")
        if classes.size != decision.shape[1]:
            if labels is None:
                raise ValueError("Please include all labels in y_true or pass labels as third argument")
            raise ValueError(
                "The shape of pred_decision is not consistent with the number of classes. With a multiclass target, "
                f"pred_decision shape must be (n_samples, n_classes), that is ({t.shape[0]}, {classes.size}). "
                f"Got: {decision.shape}")
        unseen = np.setdiff1d(t, classes)
        if unseen.size:
            raise ValueError(f"y contains previously unseen labels: {[x for x in unseen]}")
        codes = np.searchsorted(classes, t)
        rows = np.arange(len(t))
        true_score = decision[rows, codes]
        others = decision.copy()
        others[rows, codes] = -np.inf
        margin = true_score - others.max(axis=1)
    else:
        decision = column(decision, "y", SKLEARN)
        present = np.unique(t)
        sign = np.where(t == present[-1], 1.0, -1.0) if present.size == 2 else np.full(len(t), -1.0)
        margin = sign * decision
    losses = np.maximum(1 - margin, 0)
    return float(np.average(losses, weights=None if w is None else np.broadcast_to(w, losses.shape)))
