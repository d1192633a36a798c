"""Two models on the same samples: each metric for A, for B and B - A, with paired confidence intervals.

Both models' accumulators see the same labels, weights and slices. Intervals of a
difference are paired, so that what the two models share (the luck of the sample)
cancels:

- ROC AUC (binary scores): DeLong's variance of AUC_B - AUC_A, from a joint histogram
  of the two models' scores (``PairedAUC``, in the core), around the difference of the
  two models' AUCs from their own histograms.
- Average precision (binary scores): the paired Poisson bootstrap of both models' scores
  binned at ``ranking_thresholds``, in one ``ThresholdCounts`` of two labels (A and B), so one
  count per sample and replicate weighs both models; the spread of the replicates' B - A
  around the binned B - A is placed around the exact difference.
- One-vs-rest ROC AUC, macro and weighted (multiclass scores): the same paired bootstrap, of
  one ``ThresholdCounts`` of 2C labels (each class's score under A and under B).
- Every other metric: the Poisson bootstrap. The core draws each sample's count in a
  replicate from the sample's position and the seed, so the two models' bootstraps,
  fed the same rows from the same position, resample exactly the same samples; the
  interval is the percentile interval of B - A over the replicates.

Like every accumulator, a ``Paired`` merges across chunks and Dask partitions (give each
piece its ``offset``, its first row's position in the whole data, as ``accumetrics.dask``
does), and its results do not depend on how the data was split.
"""

from __future__ import annotations

import math
import warnings
from statistics import NormalDist
from typing import NamedTuple

import numpy as np

from . import _core
from . import _validation as v
from ._accumulator import Accumulator
from .binned_auc import BinnedAUC
from .bootstrap import Bootstrap, _ci, percentile_interval
from .confusion import ConfusionMatrix
from .metrics import prf
from .moments import Moments
from .thresholds import ThresholdCounts, average_precision_at_thresholds, roc_auc_at_thresholds

__all__ = ["Difference", "Paired", "PairedAUC", "compare", "classification_metrics", "regression_metrics"]

KINDS = ("binary", "multiclass", "regression")
LOWER_IS_BETTER = {"mean_absolute_error", "mean_squared_error", "root_mean_squared_error"}


def classification_metrics(matrix: np.ndarray) -> dict[str, float]:
    """accuracy and precision / recall / F1 (of class 1 for two classes, else macro) of a (C, C) matrix."""
    m = np.asarray(matrix, np.float64)
    tp, pred, true = np.diag(m), m.sum(axis=0), m.sum(axis=1)
    total = m.sum()
    out = {"accuracy": float(tp.sum() / total) if total else float("nan")}
    with np.errstate(all="ignore"):
        if m.shape[0] == 2:
            p, r, f, _ = prf.scores(tp, pred, true, beta=1.0, average=None, warn_for=(), zero_division=0.0,
                                     sample_weight=None)
            out.update(precision=float(p[1]), recall=float(r[1]), f1=float(f[1]))
        else:
            present = (pred + true) > 0
            p, r, f, _ = prf.scores(tp[present], pred[present], true[present], beta=1.0, average="macro",
                                     warn_for=(), zero_division=0.0, sample_weight=None)
            out.update({"macro precision": float(p), "macro recall": float(r), "macro f1": float(f)})
    return out


def regression_metrics(moments: Moments) -> dict[str, float]:
    """MAE, MSE, RMSE and R² of a Moments (averaged uniformly over its outputs)."""
    with np.errstate(all="ignore"):
        return {attr: float(np.mean(getattr(moments, attr))) for attr in
                ("mean_absolute_error", "mean_squared_error", "root_mean_squared_error", "r2")}


def _ovr_averages(per_class: np.ndarray, support: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Macro and weighted (by ``support``) means over the last axis of one-vs-rest values, skipping NaN."""
    per_class, support = np.broadcast_arrays(np.asarray(per_class, np.float64), np.asarray(support, np.float64))
    defined = ~np.isnan(per_class)
    with np.errstate(all="ignore"):
        macro = np.where(defined, per_class, 0).sum(axis=-1) / defined.sum(axis=-1)
        weighted = (np.where(defined, per_class * support, 0).sum(axis=-1)
                    / np.where(defined, support, 0).sum(axis=-1))
    return macro, weighted


def _grid(thresholds, labels: int, slices: int | None) -> ThresholdCounts:
    """The ThresholdCounts of the ranking bootstrap, its thresholds increasing."""
    counts = ThresholdCounts(thresholds, num_labels=labels, num_slices=slices)
    if (np.diff(counts.thresholds) < 0).any():
        counts = ThresholdCounts(np.sort(counts.thresholds), num_labels=labels, num_slices=slices)
    return counts


class Difference(NamedTuple):
    """A metric of models A and B, B - A, its paired confidence interval and what it says."""

    a: float
    b: float
    difference: float
    low: float
    high: float
    verdict: str        # "B better", "B worse" or "no significant difference"
    method: str         # "bootstrap" or "DeLong"


def _verdict(metric: str, low: float, high: float) -> str:
    if math.isnan(low) or math.isnan(high):
        return "undefined"
    better, worse = (high < 0, low > 0) if metric in LOWER_IS_BETTER else (low > 0, high < 0)
    return "B better" if better else "B worse" if worse else "no significant difference"


class PairedAUC(Accumulator):
    """Two models' ROC AUCs on the same binary samples, and DeLong's variance of their difference.

    A joint histogram of the two scores (one bin per float32 value while it holds at most
    ``max_cells`` cells, coarser after) gives both AUCs (samples sharing a bin count as tied,
    exact for float32 scores) and DeLong's variances and covariance.

    >>> auc = PairedAUC().update([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], [0.1, 0.3, 0.35, 0.8])
    >>> r = auc.result()
    >>> r["roc_auc_a"], r["roc_auc_b"], r["difference"]
    (0.75, 1.0, 0.25)
    """

    def __init__(self, max_cells: int = 1 << 20):
        self.max_cells = v.positive_int(max_cells, "max_cells")
        if self.max_cells < 2:
            raise ValueError(f"max_cells must be at least 2, got {max_cells}")
        self._state = _core.PairedHistogram(self.max_cells)

    def update(self, y_true, score_a, score_b, sample_weight=None) -> "PairedAUC":
        t = v.column(v.binary_labels(y_true, "y_true"), "y_true")
        a = v.column(v.floats(score_a, "score_a"), "score_a")
        b = v.column(v.floats(score_b, "score_b"), "score_b")
        v.same_length(y_true=t, score_a=a, score_b=b)
        if a.dtype != b.dtype:
            a, b = a.astype(np.float64), b.astype(np.float64)
        w = v.weights(sample_weight, len(t))
        if len(t):
            self._state.update(t, a, b, w)
        return self

    def _compatible(self, other: "PairedAUC") -> None:
        if self.max_cells != other.max_cells:
            raise ValueError(f"cannot merge PairedAUC with max_cells={other.max_cells} into one with "
                             f"max_cells={self.max_cells}")

    def result(self) -> dict[str, float]:
        """roc_auc_a, roc_auc_b, difference (B - A), its DeLong variance and standard error; the raw terms."""
        r = self._state.delong()
        variance = r["var_a"] + r["var_b"] - 2 * r["cov"]
        return {"roc_auc_a": r["roc_auc_a"], "roc_auc_b": r["roc_auc_b"],
                "difference": r["roc_auc_b"] - r["roc_auc_a"], "variance": max(variance, 0.0),
                "std_error": math.sqrt(max(variance, 0.0)) if not math.isnan(variance) else float("nan"),
                "var_a": r["var_a"], "var_b": r["var_b"], "cov": r["cov"],
                "positives": r["positives"], "negatives": r["negatives"]}

    def interval(self, ci: float = 0.95) -> Difference:
        """The AUCs, B - A and its normal (DeLong) confidence interval at level ``ci``."""
        ci = _ci(ci)
        r = self.result()
        half = NormalDist().inv_cdf(0.5 + ci / 2) * r["std_error"]
        low, high = r["difference"] - half, r["difference"] + half
        return Difference(r["roc_auc_a"], r["roc_auc_b"], r["difference"], low, high,
                          _verdict("roc_auc", low, high), "DeLong")

    def __repr__(self) -> str:
        return f"PairedAUC(max_cells={self.max_cells}, cells={self._state.num_cells})"


class Paired(Accumulator):
    """Models A and B on the same samples, accumulated side by side, overall and per slice.

    ``kind`` is "binary" (``a``, ``b``: scores, positive when ``> threshold``, or 0/1
    predictions with ``scores=False``), "multiclass" (``num_classes``; (N, C) scores, or (N,)
    predicted classes with ``scores=False``) or "regression" (predictions, (N,) or (N, outputs)).
    ``result(ci)`` gives, overall and per slice, a :class:`Difference` for each metric.

    For up to 8 classes the two models share one confusion table of (true, A's, B's) class,
    bootstrapped once: each sample's replicate count is drawn once and serves both models.
    Binary scores also feed a ``BinnedAUC`` per model (the AUC and AP values, exact or with a
    bound) and a ``PairedAUC`` (DeLong's variance of the difference), overall and per slice,
    and a bootstrapped ``ThresholdCounts`` of both models' scores at ``ranking_thresholds`` (a number
    of evenly spaced thresholds on [0, 1], or the values; they should span the scores) for the
    interval of the average precision difference. Multiclass scores of up to 10 classes feed a
    ``BinnedAUC`` per class and model and one such ``ThresholdCounts`` of every class's score
    under both models, for the one-vs-rest macro and weighted ROC AUC (overall). Where a score
    falls outside the thresholds those intervals are NaN, with the verdict "no interval".

    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 5000)
    >>> a, b = 0.4 * y + 0.6 * rng.random(5000), 0.5 * y + 0.5 * rng.random(5000)
    >>> d = Paired("binary", n_replicates=100).update(y, a, b).result()["overall"]["roc_auc"]
    >>> d.verdict, bool(d.low > 0)
    ('B better', True)
    """

    JOINT_CLASSES = 8
    RANKED_CLASSES = 10

    def __init__(self, kind: str = "binary", *, num_classes: int | None = None, num_outputs: int | None = None,
                 threshold: float = 0.5, scores: bool = True, num_slices: int | None = None,
                 n_replicates: int = 200, seed: int = 0, offset: int = 0, max_bins: int = 1 << 20,
                 slice_bins: int = 1 << 16, ranking_thresholds=1001):
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        self.kind = kind
        self.num_slices = None if num_slices is None else v.positive_int(num_slices, "num_slices")
        self.threshold = float(threshold)
        self.scores = bool(scores)
        self.n_replicates = v.positive_int(n_replicates, "n_replicates")
        boot = dict(n_replicates=self.n_replicates, seed=seed, offset=offset)
        self._sliced = None
        self._auc, self._slice_auc, self.rankers = None, [], []
        self._curves, self._outside = None, 0
        self._refined: list = []
        if kind == "regression":
            self.num_classes, self.joint = None, False
            self._overall = [Bootstrap(Moments(num_outputs), **boot) for _ in "ab"]
            if self.num_slices:
                self._sliced = [Bootstrap(Moments(num_outputs, num_slices=self.num_slices), **boot) for _ in "ab"]
            return
        if kind == "binary":
            self.num_classes = 2
        elif num_classes is None or v.positive_int(num_classes, "num_classes") < 2:
            raise ValueError(f"multiclass needs num_classes of at least 2, got {num_classes!r}")
        else:
            self.num_classes = int(num_classes)
        k = self.num_classes
        self.joint = k <= self.JOINT_CLASSES
        tables = [ConfusionMatrix(k * k if self.joint else k, num_slices=self.num_slices)]
        self._overall = [Bootstrap(t.copy(), **boot) for t in tables * (1 if self.joint else 2)]
        if kind == "binary" and self.scores:
            slices = self.num_slices or 0
            self._auc = PairedAUC(max_bins)
            self._slice_auc = [PairedAUC(slice_bins) for _ in range(slices)]
            self.rankers = [BinnedAUC(max_bins) for _ in "ab"] + [BinnedAUC(slice_bins) for _ in range(2 * slices)]
            self._curves = Bootstrap(_grid(ranking_thresholds, 2, self.num_slices), **boot)
        elif self.scores and k <= self.RANKED_CLASSES:
            self.rankers = [BinnedAUC(max_bins) for _ in range(2 * k)]
            self._curves = Bootstrap(_grid(ranking_thresholds, 2 * k, None), **boot)

    @property
    def _state(self):
        return self._overall[0]._resampled

    def _boots(self) -> list[Bootstrap]:
        return self._overall + (self._sliced or []) + ([self._curves] if self._curves is not None else [])

    def _aucs(self) -> list[Accumulator]:
        return ([self._auc] if self._auc is not None else []) + self._slice_auc + self.rankers

    @property
    def offset(self) -> int:
        return self._overall[0].offset

    @property
    def position(self) -> int:
        return self._overall[0].position

    def seek(self, offset: int) -> "Paired":
        """Feed the next sample at stream position ``offset`` (see ``Bootstrap.seek``)."""
        for boot in self._boots():
            boot.seek(offset)
        return self

    def _classes(self, x, name: str) -> np.ndarray:
        x = np.asarray(x)
        if self.kind == "binary" and self.scores and name != "y_true":
            return (v.column(v.floats(x, name), name) > self.threshold).astype(np.int32)
        if name != "y_true" and self.kind == "multiclass" and (x.ndim == 2) != self.scores:
            raise ValueError(f"{name} has shape {x.shape}: this Paired takes " + (
                f"(N, {self.num_classes}) scores (pass scores=False for predicted classes)" if self.scores else
                "(N,) predicted classes (scores=True takes (N, C) scores)"))
        if x.ndim == 2 and name != "y_true":
            if x.shape[1] != self.num_classes:
                raise ValueError(f"{name} has {x.shape[1]} columns of scores; num_classes is {self.num_classes}")
            return np.argmax(v.floats(x, name), axis=1).astype(np.int32)
        if x.dtype.kind == "f" and len(x) and not (x == np.floor(x)).all():
            raise ValueError(f"{name} holds non-integer values; class indices are expected")
        c = x.astype(np.int64, copy=False)
        if len(c) and (c.min() < 0 or c.max() >= self.num_classes):
            bad = int(np.flatnonzero((c < 0) | (c >= self.num_classes))[0])
            raise ValueError(f"{name}[{bad}] = {x[bad]} is not a class index in [0, {self.num_classes})")
        return c.astype(np.int32)

    def _ranked(self, y, a, b, w, ids):
        """(index in rankers, labels, scores, weights) for each BinnedAUC a batch feeds."""
        if not self.rankers:
            return
        if self.kind == "multiclass":
            k = self.num_classes
            for c in range(k):
                yield c, y == c, a[:, c], w
                yield k + c, y == c, b[:, c], w
            return
        yield 0, y, a, w
        yield 1, y, b, w
        for i, part in self._parts(ids):
            ww = None if w is None else w[part]
            yield 2 + 2 * i, y[part], a[part], ww
            yield 3 + 2 * i, y[part], b[part], ww

    def _parts(self, ids):
        if ids is None or not self.num_slices:
            return
        order = np.argsort(ids, kind="stable")
        edges = np.searchsorted(ids[order], np.arange(self.num_slices + 1))
        for i, (lo, hi) in enumerate(zip(edges[:-1], edges[1:])):
            if hi > lo:
                yield i, order[lo:hi]

    def update(self, y_true, a, b, sample_weight=None, slice_ids=None) -> "Paired":
        """Add a batch: labels (or targets), model A's and model B's scores or predictions."""
        if self.num_slices is None and slice_ids is not None:
            raise ValueError("slice_ids given, but this Paired was made without num_slices")
        if self.num_slices is not None and slice_ids is None:
            raise ValueError("slice_ids are needed: this Paired was made with num_slices")
        ids = None if slice_ids is None else np.asarray(slice_ids, dtype=np.int64)
        if self.kind == "regression":
            y = np.asarray(y_true, np.float64)
            a, b = (np.asarray(x, np.float64) for x in (a, b))
            for boot, x in zip(self._overall, (a, b)):
                boot.accumulator.copy().update(y, x, sample_weight)  # both checked before either changes
            for boot, x in zip(self._overall, (a, b)):
                boot.update(y, x, sample_weight)
            for boot, x in zip(self._sliced or [], (a, b)):
                boot.update(y, x, sample_weight, ids)
            return self
        y = self._classes(y_true, "y_true")
        pa, pb = self._classes(a, "a"), self._classes(b, "b")
        v.same_length(y_true=y, a=pa, b=pb)
        w = v.weights(sample_weight, len(y))
        if ids is not None:
            v.same_length(y_true=y, slice_ids=ids)
            if len(ids) and (ids.min() < 0 or ids.max() >= self.num_slices):
                raise ValueError(f"slice_ids must be in [0, {self.num_slices})")
        if self._auc is not None:
            a, b = self._scores_of(a, b)
            self._auc.update(y, a, b, w)
        elif self.rankers:
            a, b = self._scores_of(a, b)
            for x, n in ((a, "a"), (b, "b")):
                if not np.isfinite(x).all():
                    raise ValueError(f"{n} holds NaN or infinite scores")
            if w is not None and (w < 0).any():
                raise ValueError("sample_weight holds negative weights; one-vs-rest ROC AUC orders samples by "
                                 "score and needs non-negative weights")
        k = self.num_classes
        if self.joint:
            self._overall[0].update(y, pa * k + pb, w, ids)
        else:
            for boot, p in zip(self._overall, (pa, pb)):
                boot.update(y, p, w, ids)
        if self._curves is not None:
            labels = y[:, None] if self.kind == "binary" else (y[:, None] == np.arange(k)).astype(np.int8)
            scores = np.column_stack([a, b])
            self._curves.update(np.hstack([labels, labels]), scores, w, ids if self.kind == "binary" else None)
            t = self._curves.accumulator.thresholds
            self._outside += int(np.count_nonzero((scores < t[0]) | (scores > t[-1])))
        for i, part in self._parts(ids) if self._slice_auc else ():
            self._slice_auc[i].update(y[part], a[part], b[part], None if w is None else w[part])
        for j, t, s, ww in self._ranked(y, a, b, w, ids):
            self.rankers[j].update(t, s, ww)
        return self

    def refinement(self, target: float = 0.0, max_values: int = 1 << 22) -> bool:
        """Prepares a second pass (``refine``, with the same batches) that makes the AUC and AP values exact, or
        their bounds at most ``target`` (see ``BinnedAUC.refinement``); False when none is needed."""
        self._refined = [r.refinement(target, max(1 << 16, max_values // max(len(self.rankers), 1)))
                         for r in self.rankers]
        return any(r.needed for r in self._refined)

    def refine(self, y_true, a, b, sample_weight=None, slice_ids=None) -> "Paired":
        if not self._refined:
            raise ValueError("call refinement() before refine()")
        y = self._classes(y_true, "y_true")
        ids = None if slice_ids is None else np.asarray(slice_ids, dtype=np.int64)
        w = v.weights(sample_weight, len(y))
        a, b = self._scores_of(a, b)
        for j, t, s, ww in self._ranked(y, a, b, w, ids):
            if self._refined[j].needed:
                self._refined[j].update(t, s, ww)
        return self

    def _scores_of(self, a, b):
        if self.kind == "multiclass":
            return v.floats(np.asarray(a), "a"), v.floats(np.asarray(b), "b")
        return (v.column(v.floats(x, n), n) for x, n in ((a, "a"), (b, "b")))

    def _compatible(self, other: "Paired") -> None:
        if (self.kind, self.num_classes, self.num_slices, self.n_replicates, self.scores) != (
                other.kind, other.num_classes, other.num_slices, other.n_replicates, other.scores):
            raise ValueError("cannot merge Paired accumulators of different kinds, classes, slices or replicates")

    def _merge_state(self, other: "Paired") -> None:
        for mine, theirs in zip(self._boots() + self._aucs(), other._boots() + other._aucs()):
            mine.merge(theirs)
        self._outside += other._outside
        self._refined = []

    def reset(self) -> "Paired":
        for acc in self._boots() + self._aucs():
            acc.reset()
        self._outside = 0
        self._refined = []
        return self

    def __deepcopy__(self, memo):
        import copy

        new = object.__new__(type(self))
        new.__dict__.update({k: copy.deepcopy(x, memo) for k, x in self.__dict__.items() if k != "_refined"})
        new._refined = []
        return new

    def __getstate__(self):
        return {k: x for k, x in self.__dict__.items() if k != "_refined"}

    def __setstate__(self, state):
        self.__dict__.update(state, _refined=[])

    def _matrices(self, accs) -> list[np.ndarray]:
        """A's and B's confusion weights, shape ([slices,] k, k), of the overall accumulators (or a replicate)."""
        if not self.joint:
            return [acc.weights for acc in accs]
        k = self.num_classes
        m = accs[0].weights
        cells = m[..., :k, :].reshape(m.shape[:-2] + (k, k, k))  # [true, A's class, B's class]
        return [cells.sum(axis=-1), cells.sum(axis=-2)]

    def _tables(self, overall, sliced) -> list[list[dict[str, float]]]:
        """Per model, [overall, slice 0, ...] metrics of the accumulators (or of one replicate)."""
        if self.kind == "regression":
            out = []
            for k in (0, 1):
                rows = [regression_metrics(overall[k])]
                if sliced is not None:
                    rows += self._slice_regression(sliced[k])
                out.append(rows)
            return out
        out = []
        for m in self._matrices(overall):
            rows = [classification_metrics(m if self.num_slices is None else m.sum(axis=0))]
            if self.num_slices is not None:
                rows += [classification_metrics(x) for x in m]
            out.append(rows)
        return out

    def _slice_regression(self, acc) -> list[dict[str, float]]:
        attrs = ("mean_absolute_error", "mean_squared_error", "root_mean_squared_error", "r2")
        with np.errstate(all="ignore"):
            values = {a: np.asarray(getattr(acc, a), np.float64).reshape(self.num_slices, -1).mean(axis=1)
                      for a in attrs}
        return [{a: float(values[a][i]) for a in attrs} for i in range(self.num_slices)]

    def _ranked_names(self) -> list[str]:
        return ["average_precision"] if self.kind == "binary" else ["macro roc_auc", "weighted roc_auc"]

    def _binned(self, acc: ThresholdCounts, replicates: int = 1) -> np.ndarray:
        """(replicates, rows, metrics, 2): A's and B's ranking metrics of the binned scores, of the accumulator
        or of the replicates stacked in one. Binary: average precision, overall then per slice; multiclass: the
        macro and weighted one-vs-rest ROC AUC, overall."""
        counts = acc.result()
        slices = self.num_slices if self.kind == "binary" else None
        counts = {key: x.reshape(replicates, slices or 1, -1, x.shape[-1]) for key, x in counts.items()}
        if self.kind == "multiclass":  # labels: A's classes, then B's
            c = {key: x.reshape(replicates, 1, 2, self.num_classes, -1) for key, x in counts.items()}
            per_class = roc_auc_at_thresholds(c["tp"], c["fp"], c["tn"], c["fn"])
            return np.stack(_ovr_averages(per_class, c["tp"][..., 0] + c["fn"][..., 0]), axis=-2)
        if slices:
            counts = {key: np.concatenate([x.sum(axis=1, keepdims=True), x], axis=1) for key, x in counts.items()}
        return average_precision_at_thresholds(counts["tp"], counts["fp"], counts["tn"], counts["fn"])[:, :, None]

    def _spread(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Binned B - A on all the data and on each replicate: (rows, metrics) and (replicates, rows, metrics)."""
        if self._curves is None or self._outside:
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            plain = self._binned(self._curves.accumulator)[0]
            reps = self._binned(self._curves.stacked(), self.n_replicates)
        return plain[..., 1] - plain[..., 0], reps[..., 1] - reps[..., 0]

    def _bootstrapped(self, name: str, value_a: float, value_b: float, spread, row: int, ci: float) -> Difference:
        """The exact B - A with the spread of the binned replicates' B - A around the binned one."""
        diff = value_b - value_a
        if spread is None:
            return Difference(value_a, value_b, diff, math.nan, math.nan, "no interval", "none")
        binned, reps = spread
        m = self._ranked_names().index(name)
        with np.errstate(all="ignore"):
            low, high = (diff + float(x) - binned[row, m] for x in percentile_interval(reps[:, row, m], ci))
        return Difference(value_a, value_b, diff, low, high, _verdict(name, low, high), "bootstrap")

    def _ovr_rows(self, spread, ci: float) -> tuple[dict, dict]:
        """The macro and weighted one-vs-rest ROC AUC rows, and their error bounds."""
        k = self.num_classes
        ranks = [self._ranking(j) for j in range(2 * k)]
        per_class = np.array([[r["roc_auc"] for r in ranks[:k]], [r["roc_auc"] for r in ranks[k:]]])
        bound = np.array([[r["roc_auc_bound"] for r in ranks[:k]], [r["roc_auc_bound"] for r in ranks[k:]]])
        counts = self._curves.accumulator.result()
        support = (counts["tp"][:k, 0] + counts["fn"][:k, 0]).astype(np.float64)
        values, bounds = _ovr_averages(per_class, support), _ovr_averages(bound, support)
        rows, out = {}, {}
        for name, value, b in zip(self._ranked_names(), values, bounds):
            rows[name] = self._bootstrapped(name, float(value[0]), float(value[1]), spread, 0, ci)
            key = name.replace(" ", "_")
            out.update({f"a_{key}": float(b[0]), f"b_{key}": float(b[1])})
        return rows, out

    def _ranking(self, j: int) -> dict:
        return self._refined[j].result() if self._refined else self.rankers[j].result()

    def result(self, ci: float = 0.95) -> dict:
        """{"overall": {metric: Difference}, "slices": [{metric: Difference}, ...]} at level ``ci``.

        Binary scores add roc_auc (DeLong's interval), average_precision (the paired bootstrap's
        interval; NaN bounds where a score fell outside ``ranking_thresholds``) and, in ``"bounds"``, the
        AUC and AP error bounds of each model (0 when exact). Multiclass scores add "macro roc_auc" and
        "weighted roc_auc" (one-vs-rest, overall; the paired bootstrap's interval) and their bounds."""
        ci = _ci(ci)
        plain = [b.accumulator for b in self._overall]
        values = self._tables(plain, None if self._sliced is None else [b.accumulator for b in self._sliced])
        reps = [boot.replicates() for boot in self._overall]
        sliced_reps = [boot.replicates() for boot in self._sliced] if self._sliced else None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rep_values = [self._tables([r[i] for r in reps], None if sliced_reps is None else
                                       [r[i] for r in sliced_reps]) for i in range(self.n_replicates)]
        out, bounds = [], []
        spread = self._spread()
        for row, (va, vb) in enumerate(zip(*values)):
            table = {}
            for name in va:
                diffs = np.array([rv[1][row][name] - rv[0][row][name] for rv in rep_values])
                with np.errstate(all="ignore"):
                    low, high = (float(x) for x in percentile_interval(diffs, ci))
                table[name] = Difference(va[name], vb[name], vb[name] - va[name], low, high,
                                         _verdict(name, low, high), "bootstrap")
            if self.kind == "multiclass" and self.rankers and row == 0:
                rows, row_bounds = self._ovr_rows(spread, ci)
                table.update(rows)
                bounds.append(row_bounds)
            elif self.rankers and (row == 0 or self._slice_auc):
                ra, rb = self._ranking(2 * row), self._ranking(2 * row + 1)
                delong = (self._auc if row == 0 else self._slice_auc[row - 1]).interval(ci)
                diff = rb["roc_auc"] - ra["roc_auc"]
                half = (delong.high - delong.low) / 2
                table["roc_auc"] = Difference(ra["roc_auc"], rb["roc_auc"], diff, diff - half, diff + half,
                                              _verdict("roc_auc", diff - half, diff + half), "DeLong")
                table["average_precision"] = self._bootstrapped("average_precision", ra["average_precision"],
                                                                rb["average_precision"], spread, row, ci)
                bounds.append({f"{m}_{key}": r[f"{key}_bound"] for m, r in (("a", ra), ("b", rb))
                               for key in ("roc_auc", "average_precision")})
            out.append(table)
        result = {"overall": out[0], "slices": out[1:]}
        if bounds:
            result["bounds"] = bounds
        return result

    def __repr__(self) -> str:
        slices = "" if self.num_slices is None else f", num_slices={self.num_slices}"
        return f"Paired({self.kind!r}{slices}, n_replicates={self.n_replicates}, position={self.position})"


def compare(y_true, a, b, *, kind: str | None = None, sample_weight=None, slice_ids=None, ci: float = 0.95,
            **kwargs) -> dict:
    """Models A and B on the same samples, in one call: ``Paired(kind, ...).update(...).result(ci)``.

    ``kind`` defaults to "binary" for 0/1 labels with 1-D scores, "multiclass" for (N, C) scores,
    else "regression". Other keywords go to :class:`Paired`.

    >>> y = [0, 1] * 500
    >>> r = compare(y, [0.4, 0.6] * 500, [0.45, 0.55] * 499 + [0.6, 0.4], n_replicates=50)
    >>> round(r["overall"]["accuracy"].difference, 6)
    -0.002
    """
    y = np.asarray(y_true)
    a_arr = np.asarray(a)
    if kind is None:
        if a_arr.ndim == 2 and a_arr.shape[1] > 1:
            kind = "multiclass"
        elif np.isin(np.unique(y), [0, 1]).all():
            kind = "binary"
        else:
            kind = "regression"
    if kind == "multiclass" and "num_classes" not in kwargs:
        kwargs["num_classes"] = a_arr.shape[1] if a_arr.ndim == 2 else int(max(y.max(), a_arr.max())) + 1
    if kind == "multiclass" and "scores" not in kwargs:
        kwargs["scores"] = a_arr.ndim == 2
    if slice_ids is not None and "num_slices" not in kwargs:
        kwargs["num_slices"] = int(np.max(slice_ids)) + 1
    return Paired(kind, **kwargs).update(y, a, b, sample_weight, slice_ids).result(ci)
