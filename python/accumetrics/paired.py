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
from .metrics import _prf
from .moments import Moments
from .thresholds import ThresholdCounts, average_precision_at_thresholds

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
            p, r, f, _ = _prf.scores(tp, pred, true, beta=1.0, average=None, warn_for=(), zero_division=0.0,
                                     sample_weight=None)
            out.update(precision=float(p[1]), recall=float(r[1]), f1=float(f[1]))
        else:
            present = (pred + true) > 0
            p, r, f, _ = _prf.scores(tp[present], pred[present], true[present], beta=1.0, average="macro",
                                     warn_for=(), zero_division=0.0, sample_weight=None)
            out.update({"macro precision": float(p), "macro recall": float(r), "macro f1": float(f)})
    return out


def regression_metrics(moments: Moments) -> dict[str, float]:
    """MAE, MSE, RMSE and R² of a Moments (averaged uniformly over its outputs)."""
    with np.errstate(all="ignore"):
        return {attr: float(np.mean(getattr(moments, attr))) for attr in
                ("mean_absolute_error", "mean_squared_error", "root_mean_squared_error", "r2")}


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
    predictions with ``scores=False``), "multiclass" (``num_classes``; (N, C) scores or (N,)
    predicted classes) or "regression" (predictions, (N,) or (N, outputs)). ``result(ci)``
    gives, overall and per slice, a :class:`Difference` for each metric.

    For up to 8 classes the two models share one confusion table of (true, A's, B's) class,
    bootstrapped once: each sample's replicate count is drawn once and serves both models.
    Binary scores also feed a ``BinnedAUC`` per model (the AUC and AP values, exact or with a
    bound) and a ``PairedAUC`` (DeLong's variance of the difference), overall and per slice,
    and a bootstrapped ``ThresholdCounts`` of both models' scores at ``ranking_thresholds`` (a number
    of evenly spaced thresholds on [0, 1], or the values; they should span the scores) for the
    interval of the average precision difference. Where a score falls outside them that
    interval is NaN, with the verdict "no interval".

    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 5000)
    >>> a, b = 0.4 * y + 0.6 * rng.random(5000), 0.5 * y + 0.5 * rng.random(5000)
    >>> d = Paired("binary", n_replicates=100).update(y, a, b).result()["overall"]["roc_auc"]
    >>> d.verdict, bool(d.low > 0)
    ('B better', True)
    """

    JOINT_CLASSES = 8

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
        self._ap, self._ap_outside = None, 0
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
            grid = ThresholdCounts(ranking_thresholds, num_labels=2, num_slices=self.num_slices)
            if (np.diff(grid.thresholds) < 0).any():
                grid = ThresholdCounts(np.sort(grid.thresholds), num_labels=2, num_slices=self.num_slices)
            self._ap = Bootstrap(grid, **boot)

    @property
    def _state(self):
        return self._overall[0]._resampled

    def _boots(self) -> list[Bootstrap]:
        return self._overall + (self._sliced or []) + ([self._ap] if self._ap is not None else [])

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
            a, b = (v.column(v.floats(x, n), n) for x, n in ((a, "a"), (b, "b")))
            self._auc.update(y, a, b, w)
        k = self.num_classes
        if self.joint:
            self._overall[0].update(y, pa * k + pb, w, ids)
        else:
            for boot, p in zip(self._overall, (pa, pb)):
                boot.update(y, p, w, ids)
        if self._ap is not None:
            self._ap.update(np.column_stack([y, y]), np.column_stack([a, b]), w, ids)
            t = self._ap.accumulator.thresholds
            self._ap_outside += int(np.count_nonzero((a < t[0]) | (a > t[-1]))
                                    + np.count_nonzero((b < t[0]) | (b > t[-1])))
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
        a, b = (v.column(v.floats(x, n), n) for x, n in ((a, "a"), (b, "b")))
        for j, t, s, ww in self._ranked(y, a, b, w, ids):
            if self._refined[j].needed:
                self._refined[j].update(t, s, ww)
        return self

    def _compatible(self, other: "Paired") -> None:
        if (self.kind, self.num_classes, self.num_slices, self.n_replicates, self.scores) != (
                other.kind, other.num_classes, other.num_slices, other.n_replicates, other.scores):
            raise ValueError("cannot merge Paired accumulators of different kinds, classes, slices or replicates")

    def _merge_state(self, other: "Paired") -> None:
        for mine, theirs in zip(self._boots() + self._aucs(), other._boots() + other._aucs()):
            mine.merge(theirs)
        self._ap_outside += other._ap_outside
        self._refined = []

    def reset(self) -> "Paired":
        for acc in self._boots() + self._aucs():
            acc.reset()
        self._ap_outside = 0
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

    def _binned_ap(self, acc: ThresholdCounts) -> np.ndarray:
        """(1 + slices, 2): A's and B's average precision at the thresholds, overall then per slice."""
        counts = acc.result()  # each ([slices,] 2, thresholds)
        if self.num_slices is None:
            counts = {k: x[None] for k, x in counts.items()}
        else:
            counts = {k: np.concatenate([x.sum(axis=0, keepdims=True), x]) for k, x in counts.items()}
        return average_precision_at_thresholds(counts["tp"], counts["fp"], counts["tn"], counts["fn"])

    def _ap_spread(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Binned B - A on all the data, and on each replicate: shapes (1 + slices,), (replicates, 1 + slices)."""
        if self._ap is None or self._ap_outside:
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            plain = self._binned_ap(self._ap.accumulator)
            reps = np.array([self._binned_ap(r) for r in self._ap.replicates()])
        return plain[:, 1] - plain[:, 0], reps[..., 1] - reps[..., 0]

    def _ap_difference(self, ra: dict, rb: dict, spread, row: int, ci: float) -> Difference:
        value_a, value_b = ra["average_precision"], rb["average_precision"]
        diff = value_b - value_a
        if spread is None:
            return Difference(value_a, value_b, diff, math.nan, math.nan, "no interval", "none")
        binned, reps = spread
        with np.errstate(all="ignore"):
            low, high = (diff + float(x) - binned[row] for x in percentile_interval(reps[:, row], ci))
        return Difference(value_a, value_b, diff, low, high, _verdict("average_precision", low, high), "bootstrap")

    def _ranking(self, j: int) -> dict:
        return self._refined[j].result() if self._refined else self.rankers[j].result()

    def result(self, ci: float = 0.95) -> dict:
        """{"overall": {metric: Difference}, "slices": [{metric: Difference}, ...]} at level ``ci``.

        Binary scores add roc_auc (DeLong's interval), average_precision (the paired bootstrap's
        interval; NaN bounds where a score fell outside ``ranking_thresholds``) and, in ``"bounds"``, the
        AUC and AP error bounds of each model (0 when exact)."""
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
        spread = self._ap_spread()
        for row, (va, vb) in enumerate(zip(*values)):
            table = {}
            for name in va:
                diffs = np.array([rv[1][row][name] - rv[0][row][name] for rv in rep_values])
                with np.errstate(all="ignore"):
                    low, high = (float(x) for x in percentile_interval(diffs, ci))
                table[name] = Difference(va[name], vb[name], vb[name] - va[name], low, high,
                                         _verdict(name, low, high), "bootstrap")
            if self.rankers and (row == 0 or self._slice_auc):
                ra, rb = self._ranking(2 * row), self._ranking(2 * row + 1)
                delong = (self._auc if row == 0 else self._slice_auc[row - 1]).interval(ci)
                diff = rb["roc_auc"] - ra["roc_auc"]
                half = (delong.high - delong.low) / 2
                table["roc_auc"] = Difference(ra["roc_auc"], rb["roc_auc"], diff, diff - half, diff + half,
                                              _verdict("roc_auc", diff - half, diff + half), "DeLong")
                table["average_precision"] = self._ap_difference(ra, rb, spread, row, ci)
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
    if slice_ids is not None and "num_slices" not in kwargs:
        kwargs["num_slices"] = int(np.max(slice_ids)) + 1
    return Paired(kind, **kwargs).update(y, a, b, sample_weight, slice_ids).result(ci)
