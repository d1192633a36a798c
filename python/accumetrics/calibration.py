"""Calibration of binary probabilities: reliability curve, expected and maximum calibration error, Brier score.

Probabilities are binned as sklearn's ``calibration_curve`` bins them: a probability
p falls in bin i when ``edges[i] < p <= edges[i + 1]`` (the first bin also takes
``edges[0]``), the inner edges found with ``np.searchsorted``. Each bin's weight,
mean probability and fraction of positives are the per-slice moments of the core
(``Moments`` with the bin as slice id), so the state is small, streams and merges.
"""

from __future__ import annotations

import numpy as np

from . import _validation as v
from ._validation.encoding import positive_label
from ._accumulator import Accumulator
from .moments import Moments

__all__ = ["Calibration", "calibration_curve", "calibration_errors", "expected_calibration_error",
           "maximum_calibration_error"]

_STRATEGIES = ("uniform", "quantile")


# Per bin: its edge, and the per-slice moments of one output.
def _memory(n_bins: int) -> int:
    return n_bins * 8 + Moments(1)._memory(n_bins)


def _edges(n_bins, bins) -> np.ndarray:
    if bins is None:
        n_bins = v.positive_int(n_bins, "n_bins")
        v.check_memory(_memory(n_bins), "n_bins", f"Calibration(n_bins={n_bins})")
        return np.linspace(0.0, 1.0, n_bins + 1)
    edges = np.asarray(bins, dtype=np.float64)
    if edges.ndim != 1 or edges.size < 2 or not np.isfinite(edges).all() or (np.diff(edges) < 0).any():
        raise ValueError("bins must be at least two finite, non-decreasing bin edges")
    v.check_memory(_memory(edges.size - 1), "bins", f"Calibration(bins=<{edges.size} edges>)")
    return edges


def calibration_errors(weight, sum_true, sum_pred, xp=np):
    """(expected, maximum) calibration error from each bin's weight and weighted sums of outcomes and
    probabilities; bins of weight <= 0 are empty; NaN without data. ``xp`` is numpy or ``keras.ops``."""
    nonempty = weight > 0
    safe = xp.where(nonempty, weight, 1.0)
    gap = xp.where(nonempty, xp.abs(sum_true / safe - sum_pred / safe), 0.0)
    total = xp.sum(xp.where(nonempty, weight, 0.0))
    seen = total > 0
    expected = xp.where(seen, xp.sum(gap * xp.where(nonempty, weight, 0.0)) / xp.where(seen, total, 1.0), float("nan"))
    return expected, xp.where(seen, xp.max(gap), float("nan"))


class Calibration(Accumulator):
    """Per-bin weight, mean probability and fraction of positives of a binary classifier.

    ``n_bins`` evenly spaced bins on [0, 1], or explicit ``bins`` edges (bins of
    sklearn's ``strategy="quantile"`` need all the data first: pass the edges, or use
    ``calibration_curve``). ``y_true`` equal to ``pos_label`` is the positive class; the
    targets are binary, so a second label other than ``pos_label`` is refused.

    >>> cal = Calibration(n_bins=2)
    >>> cal.update([0, 0, 1, 1], [0.1, 0.4, 0.6, 0.9]).curve()
    (array([0., 1.]), array([0.25, 0.75]))
    >>> round(cal.expected_calibration_error, 6), round(cal.brier_score, 6)
    (0.25, 0.085)
    """

    _negative_label = None

    def __init__(self, n_bins: int = 15, *, bins=None, pos_label=1):
        self.edges = _edges(n_bins, bins)
        self.n_bins = self.edges.size - 1
        self.pos_label = pos_label
        self._negative_label = None
        self._state = Moments(1, num_slices=self.n_bins)

    def update(self, y_true, y_prob, sample_weight=None) -> "Calibration":
        """Add a batch of labels and probabilities of the positive class, in [0, 1]."""
        t = v.column(v.read(y_true, "y_true", v.ACCUMULATOR, numbers=False), "y_true")
        p = v.column(v.floats(y_prob, "y_prob"), "y_prob")
        n = v.same_length(y_true=t, y_prob=p)
        if n and not (p.min() >= 0 and p.max() <= 1):  # also refuses NaN
            i = int(np.flatnonzero(~((p >= 0) & (p <= 1)))[0])
            raise ValueError(f"y_prob[{i}] = {p[i].item()!r} is outside [0, 1]; probabilities of the positive class are needed")
        positive = t == self.pos_label
        negative_label = self._check_binary(t[~positive])
        positive = positive.astype(p.dtype)
        bin_ids = np.searchsorted(self.edges[1:-1], p).astype(np.int64)
        self._state.update(positive, p, sample_weight=sample_weight, slice_ids=bin_ids)
        self._negative_label = negative_label
        return self

    def _check_binary(self, negatives: np.ndarray):
        """The one label other than pos_label, once seen; raises ValueError for a second one."""
        seen = [] if self._negative_label is None else [self._negative_label]
        labels = list(dict.fromkeys(seen + negatives.tolist()))
        if len(labels) > 1:
            raise ValueError(
                f"y_true holds the labels {labels[0]!r} and {labels[1]!r} besides pos_label={self.pos_label!r}: "
                "calibration needs binary targets (pos_label and one other label)"
            )
        return labels[0] if labels else None

    def _compatible(self, other: "Calibration") -> None:
        if not np.array_equal(self.edges, other.edges) or self.pos_label != other.pos_label:
            raise ValueError("cannot merge Calibration accumulators with different bins or pos_label")
        if other._negative_label is not None:
            self._check_binary(np.asarray([other._negative_label]))

    def _merge_state(self, other: "Calibration") -> None:
        self._state.merge(other._state)
        if self._negative_label is None:
            self._negative_label = other._negative_label

    @property
    def bin_weight(self) -> np.ndarray:
        """Sum of sample weights per bin (the number of samples without weights)."""
        return self._state.sums["sum_weight"]

    @property
    def bin_count(self) -> np.ndarray:
        """Number of samples per bin."""
        return self._state.count

    def _nonempty(self) -> np.ndarray:
        return (self.bin_count > 0) & (self.bin_weight > 0)

    def curve(self) -> tuple[np.ndarray, np.ndarray]:
        """(fraction of positives, mean probability) of the non-empty bins, as sklearn's ``calibration_curve``."""
        keep = self._nonempty()
        return self._state.mean_true[keep], self._state.mean_pred[keep]

    def _errors(self) -> tuple[float, float]:
        s = self._state.sums
        weight = np.where(self.bin_count > 0, s["sum_weight"], 0.0)
        return tuple(float(e) for e in calibration_errors(weight, s["sum_true"], s["sum_pred"]))

    @property
    def expected_calibration_error(self) -> float:
        """Weighted mean over bins of ``|fraction of positives - mean probability|`` (NaN without data)."""
        return self._errors()[0]

    @property
    def maximum_calibration_error(self) -> float:
        """Largest ``|fraction of positives - mean probability|`` over the non-empty bins (NaN without data)."""
        return self._errors()[1]

    @property
    def brier_score(self) -> float:
        """Weighted mean of (probability - outcome)², as sklearn's ``brier_score_loss`` for binary targets."""
        s = self._state.sums
        total = s["sum_weight"].sum()
        return float(s["sum_squared_error"].sum() / total) if total > 0 else float("nan")

    def result(self) -> dict:
        prob_true, prob_pred = self.curve()
        return {
            "expected_calibration_error": self.expected_calibration_error,
            "maximum_calibration_error": self.maximum_calibration_error,
            "brier_score": self.brier_score,
            "prob_true": prob_true,
            "prob_pred": prob_pred,
        }

    def __repr__(self) -> str:
        return f"Calibration(n_bins={self.n_bins}, samples={int(np.sum(self.bin_count))})"


def _calibration(y_true, y_prob, n_bins, strategy, pos_label, sample_weight) -> Calibration:
    """Checks as sklearn's ``calibration_curve``, then one pass of the core."""
    t = np.asarray(y_true)
    t = t.reshape(-1) if t.ndim == 2 and t.shape[1] == 1 else t
    if t.ndim != 1:
        raise ValueError(f"y_true should be a 1d array, got an array of shape {t.shape} instead.")
    p = v.column(v.floats(y_prob, "y_prob"), "y_prob")
    v.same_length(y_true=t, y_prob=p)
    if strategy not in _STRATEGIES:
        raise ValueError("Invalid entry to 'strategy' input. Strategy must be either 'quantile' or 'uniform'.")
    n_bins = v.positive_int(n_bins, "n_bins")
    pos_label = positive_label(t, pos_label)
    if p.size and (p.min() < 0 or p.max() > 1):
        raise ValueError("y_prob has values outside [0, 1].")
    labels = np.unique(t)
    if len(labels) > 2:
        raise ValueError(f"Only binary classification is supported. Provided labels {labels}.")
    if strategy == "quantile":
        edges = np.percentile(p, np.linspace(0, 1, n_bins + 1) * 100)
    else:
        edges = np.linspace(0.0, 1.0, n_bins + 1)
    return Calibration(bins=edges, pos_label=pos_label).update(t, p, sample_weight)


def calibration_curve(y_true, y_prob, *, pos_label=None, n_bins=5, strategy="uniform", sample_weight=None):
    """(prob_true, prob_pred) per non-empty bin, as ``sklearn.calibration.calibration_curve``; optionally weighted.

    >>> calibration_curve([0, 0, 0, 0, 1, 1, 1, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0], n_bins=3)
    (array([0. , 0.5, 1. ]), array([0.2  , 0.525, 0.85 ]))
    """
    return _calibration(y_true, y_prob, n_bins, strategy, pos_label, sample_weight).curve()


def expected_calibration_error(y_true, y_prob, *, n_bins=15, strategy="uniform", pos_label=None, sample_weight=None):
    """Weighted mean over bins of ``|fraction of positives - mean probability|`` (bins as ``calibration_curve``).

    >>> round(expected_calibration_error([0, 0, 1, 1], [0.1, 0.4, 0.6, 0.9], n_bins=2), 6)
    0.25
    """
    return _calibration(y_true, y_prob, n_bins, strategy, pos_label, sample_weight).expected_calibration_error


def maximum_calibration_error(y_true, y_prob, *, n_bins=15, strategy="uniform", pos_label=None, sample_weight=None):
    """Largest ``|fraction of positives - mean probability|`` over the non-empty bins.

    >>> round(maximum_calibration_error([0, 0, 1, 1], [0.1, 0.2, 0.6, 0.9], n_bins=2), 6)
    0.25
    """
    return _calibration(y_true, y_prob, n_bins, strategy, pos_label, sample_weight).maximum_calibration_error
