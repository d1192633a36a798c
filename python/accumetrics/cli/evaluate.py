"""The metrics of a report, streamed: one set of accumulators per task, fed batch by batch, then read
out as report sections. Every number comes from the accumulators' counts and sums."""

from __future__ import annotations

import numpy as np

from .._validation.encoding import lookup
from ..binned_auc import BinnedAUC
from ..calibration import Calibration
from ..confusion import ConfusionMatrix
from ..metrics import prf
from ..moments import Moments
from ..paired import classification_metrics, regression_metrics
from ..thresholds import ThresholdCounts
from .errors import UserError
from .read import Batch
from .render import BoundedValue, Section
from .task import Roles, Task

CURVE_POINTS = 201
MAX_AUC_LABELS = 32        # one BinnedAUC per class or label up to this many
MAX_CURVES = 10            # ROC / PR curves drawn for at most this many classes
MAX_SLICE_AUC = 1000       # one BinnedAUC per slice up to this many slices ...
SLICE_BINS = 1 << 14       # ... each with at most this many bins
MATRIX_CLASSES = 20        # the confusion matrix shows the classes with the largest support
CALIBRATION_BINS = 10
REFINED_VALUES = 1 << 23   # distinct scores kept, over all AUCs, by the pass that makes them exact
_BOUND_NOTE = ("error bound: how far the value can be from the exact one, given the binned scores (a certainty, "
               "not a confidence interval)")


def _bound_notes(*bounds) -> list[str]:
    return [_BOUND_NOTE] if any(b and b > 0 for b in bounds) else []


def evaluation(task: Task, roles: Roles, drop_nan: bool, ci: float | None = None,
               replicates: int = 200) -> "Evaluation":
    kind = {"binary": Classification, "multiclass": Classification, "multilabel": Multilabel,
            "regression": Regression}[task.kind]
    ev = kind(task, roles, drop_nan)
    if ci is not None:
        ev.bootstrap(ci, replicates)
    return ev


def _resampled(acc, replicates: int):
    """The accumulator wrapped in a Poisson bootstrap (confidence intervals)."""
    try:
        from ..bootstrap import Bootstrap
    except ImportError:
        raise UserError("--ci: confidence intervals need accumetrics.bootstrap, missing from this build") from None
    return Bootstrap(acc, n_replicates=replicates, seed=0)


def _intervals(boot, metrics, ci: float) -> dict[str, tuple[float, float]]:
    """{name: (low, high)}: percentile bootstrap intervals of ``metrics(acc) -> {name: value}``."""
    from ..bootstrap import percentile_interval

    names = list(metrics(boot.accumulator))
    values = np.array([[metrics(r)[n] for n in names] for r in boot.replicates()])
    with np.errstate(all="ignore"):
        low, high = percentile_interval(values, ci)
    return {n: (float(a), float(b)) for n, a, b in zip(names, low, high)}


def _ci_section(values: dict, intervals: dict, ci: float, replicates: int) -> Section:
    data = {n: {"value": values[n], "low": lo, "high": hi} for n, (lo, hi) in intervals.items()}
    pairs = [(n, BoundedValue(values[n], ci=intervals[n])) for n in intervals]
    return Section("confidence_intervals", f"Confidence intervals ({ci:.0%})", {"level": ci, **data}, pairs=pairs,
                   notes=[f"Poisson bootstrap, {replicates} replicates, percentile intervals"])


def _scores(tp, pred, true, average):
    """precision, recall, F1 (and support) from per-class counts, with sklearn's rules; 0 where undefined."""
    return prf.scores(np.asarray(tp, np.float64), np.asarray(pred, np.float64), np.asarray(true, np.float64),
                       beta=1.0, average=average, warn_for=(), zero_division=0.0, sample_weight=None)


def _codes(values: np.ndarray, classes: np.ndarray, role: str) -> np.ndarray:
    codes, wrong = lookup(values, classes)
    if wrong.any():
        raise UserError(f"--{role} holds {values[wrong][0]!r}, which is not one of the classes")
    return codes.astype(np.int32)


def _grid(task: Task) -> np.ndarray:
    low, high = task.score_range
    if low >= 0 and high <= 1:
        low, high = 0.0, 1.0
    if not high > low:
        high = low + 1.0
    return np.union1d(np.linspace(low, high, CURVE_POINTS), [task.threshold])


class Evaluation:
    """Accumulators for one task; ``update`` takes a batch, ``sections`` reads out the report."""

    def __init__(self, task: Task, roles: Roles, drop_nan: bool):
        self.task, self.roles, self.drop_nan = task, roles, drop_nan
        self.rows = 0
        self.dropped = 0
        self.num_slices = None if task.slices is None else len(task.slices)
        self.curves: dict[str, object] = {}  # what plots need, filled by sections()
        self.ci: float | None = None
        self.boot = None
        self.rankers: list[BinnedAUC] = []   # every BinnedAUC, in the order _ranked numbers them
        self._refined: list = []

    def bootstrap(self, ci: float, replicates: int) -> None:
        if not 0 < ci < 1:
            raise UserError(f"--ci must be a level between 0 and 1, such as 0.95; got {ci:g}")
        self.ci, self.replicates = ci, replicates

    def _ci(self, values: dict) -> list[Section]:
        if self.boot is None:
            return []
        return [_ci_section(values, _intervals(self.boot, self._ci_metrics, self.ci), self.ci, self.replicates)]

    def _columns(self, batch: Batch, count: bool) -> dict | None:
        """The batch's role columns without the rows that hold a missing value; None when none is left."""
        keep = None
        if batch.missing.any():
            if not self.drop_nan:  # the scan has already refused such a file
                raise UserError(f"row {batch.start + int(np.flatnonzero(batch.missing)[0])} (counting from 0) "
                                "holds a missing value")
            keep = ~batch.missing
            if count:
                self.dropped += int(batch.missing.sum())
        get = {role: self.roles.get(batch, role) for role in ("label", "score", "pred", "weight", "slice")}
        if keep is not None:
            get = {k: None if a is None else a[keep] for k, a in get.items()}
        if count:
            self.rows += len(get["label"])
        if not len(get["label"]):
            return None
        get["slice"] = None if get["slice"] is None else _codes(get["slice"], self.task.slices, "slice")
        return get

    def update(self, batch: Batch) -> None:
        get = self._columns(batch, count=True)
        if get is None:
            return
        try:
            self._update(get["label"], get["score"], get["pred"], get["weight"], get["slice"])
        except (ValueError, TypeError) as e:
            raise UserError(f"in the batch of rows {batch.start} to {batch.start + len(batch.missing) - 1} (counting "
                            f"from 0): {e}") from None

    def _update(self, y, score, pred, w, ids) -> None:
        raise NotImplementedError

    def _ranked(self, y, score, w, ids):
        """(index in rankers, labels, scores, weights) for each BinnedAUC a batch feeds."""
        return []

    def refinement(self, target: float) -> bool:
        """Prepares a pass that brings every AUC's bound to at most ``target``; False when none is needed."""
        budget = max(1 << 16, REFINED_VALUES // max(len(self.rankers), 1))
        self._refined = [auc.refinement(target, budget) for auc in self.rankers]
        return any(r.needed for r in self._refined)

    def refine(self, batch: Batch) -> None:
        get = self._columns(batch, count=False)
        if get is None or not any(r.needed for r in self._refined):
            return
        y = self._labels(get["label"])
        for k, t, s, w in self._ranked(y, get["score"], get["weight"], get["slice"]):
            if self._refined[k].needed:
                self._refined[k].update(t, s, w)

    def _labels(self, y):
        return y

    def _ranking(self, k: int) -> dict:
        """Result of rankers[k]: refined when a refinement pass ran."""
        return self._refined[k].result() if self._refined else self.rankers[k].result()

    def sections(self) -> list[Section]:
        raise NotImplementedError

    def _slice_names(self) -> list[str]:
        return [str(s) for s in self.task.slices]

    def _slice_section(self, header, rows, data, notes=()) -> Section:
        return Section("slices", f"Per slice ({self.roles.slice})", data, header=header, rows=rows,
                       notes=list(notes))


class Classification(Evaluation):
    """Binary and multiclass: a confusion matrix (per slice), AUC and AP from BinnedAUC, ROC/PR curves."""

    def __init__(self, task, roles, drop_nan):
        super().__init__(task, roles, drop_nan)
        self.classes = task.classes
        k = len(self.classes)
        self.binary = task.kind == "binary"
        self.cm = ConfusionMatrix(k, num_slices=self.num_slices)
        self.has_score = bool(roles.score)
        self.auc: list[BinnedAUC] = []
        self.slice_auc: list[BinnedAUC] = []
        self.curve = None
        self.calibration = None
        if self.has_score:
            if self.binary:
                self.auc = [BinnedAUC()]
                low, high = task.score_range
                if low >= 0.0 and high <= 1.0:  # probabilities, not logits
                    self.calibration = Calibration(CALIBRATION_BINS)
                if self.num_slices and self.num_slices <= MAX_SLICE_AUC:
                    self.slice_auc = [BinnedAUC(SLICE_BINS) for _ in range(self.num_slices)]
                self.curve = ThresholdCounts(_grid(task))
            else:
                if k <= MAX_AUC_LABELS:
                    self.auc = [BinnedAUC() for _ in range(k)]
                if k <= MAX_CURVES:
                    self.curve = ThresholdCounts(_grid(task), num_labels=k)
        self.rankers = self.auc + self.slice_auc

    def bootstrap(self, ci, replicates):
        super().bootstrap(ci, replicates)
        self.boot = _resampled(self.cm, replicates)
        self.cm = self.boot.accumulator

    @staticmethod
    def _ci_metrics(cm) -> dict[str, float]:
        return classification_metrics(cm.weights.reshape(-1, *cm.weights.shape[-2:]).sum(axis=0))

    def _positive_scores(self, score: np.ndarray) -> np.ndarray:
        return score[:, 1] if score.ndim == 2 else score

    def _labels(self, y):
        return _codes(y, self.classes, "label")

    def _ranked(self, t, score, w, ids):
        if score is None:
            return
        if not self.binary:
            onehot = t[:, None] == np.arange(len(self.classes))
            for c in range(len(self.auc)):
                yield c, onehot[:, c], score[:, c], w
            return
        s = self._positive_scores(score)
        yield 0, t, s, w
        if self.slice_auc:
            order = np.argsort(ids, kind="stable")
            edges = np.searchsorted(ids[order], np.arange(self.num_slices + 1))
            for i, (a, b) in enumerate(zip(edges[:-1], edges[1:])):
                if b > a:
                    part = order[a:b]
                    yield 1 + i, t[part], s[part], None if w is None else w[part]

    def _update(self, y, score, pred, w, ids):
        t = self._labels(y)
        if pred is not None:
            p = _codes(pred, self.classes, "pred")
        elif self.binary:
            p = (self._positive_scores(score) > self.task.threshold).astype(np.int32)
        else:
            p = np.argmax(score, axis=1).astype(np.int32)
        (self.boot or self.cm).update(t, p, w, ids)
        if score is None:
            return
        for k, yt, s, ww in self._ranked(t, score, w, ids):
            self.rankers[k].update(yt, s, ww)
        if self.binary:
            s = self._positive_scores(score)
            self.curve.update(t, s, w)
            if self.calibration is not None:
                self.calibration.update(t, s, w)
        elif self.curve is not None:
            onehot = t[:, None] == np.arange(len(self.classes))
            self.curve.update(onehot, score, None if w is None else np.repeat(w[:, None], onehot.shape[1], 1))

    def _matrix(self) -> tuple[np.ndarray, np.ndarray]:
        """(counts, weights) over all slices."""
        counts, weights = self.cm.counts, self.cm.weights
        if self.num_slices:
            counts, weights = counts.sum(axis=0), weights.sum(axis=0)
        return counts, weights

    def sections(self):
        counts, m = self._matrix()
        weighted = self.cm.weighted
        names = [str(c) for c in self.classes]
        tp, pred, true = np.diag(m), m.sum(axis=0), m.sum(axis=1)
        p, r, f1, _ = _scores(tp, pred, true, None)
        aucs = [self._ranking(k) for k in range(len(self.auc))]
        support = true if weighted else counts.sum(axis=1)
        per_class = {name: {"precision": float(p[i]), "recall": float(r[i]), "f1-score": float(f1[i]),
                            "support": float(support[i])} for i, name in enumerate(names)}
        if aucs and not self.binary:
            for name, a in zip(names, aucs):
                per_class[name]["roc_auc"] = a["roc_auc"]
        total = float(m.sum())
        report = dict(per_class)
        report["accuracy"] = float(tp.sum() / total) if total else float("nan")
        for average in ("macro", "weighted"):
            ap, ar, af, _ = _scores(tp, pred, true, average)
            report[f"{average} avg"] = {"precision": ap, "recall": ar, "f1-score": af, "support": float(support.sum())}
        header = ["", "precision", "recall", "f1-score", "support"] + (["roc_auc"] if aucs and not self.binary else [])
        rows = [[n] + [v[h] for h in header[1:]] for n, v in per_class.items()]
        rows.append(["accuracy", None, None, report["accuracy"], float(support.sum())])
        rows += [[k] + [report[k][h] for h in header[1:4]] + [report[k]["support"]]
                 for k in ("macro avg", "weighted avg")]
        if not weighted:
            for row in rows:
                row[4] = int(row[4])
        sections = [Section("classification_report", "Classification report", report, header=header, rows=rows,
                            notes=self._class_notes())]
        sections += self._ci(self._ci_metrics(self.cm) if self.boot else {})
        sections.append(self._confusion_section(m, counts, names))
        if aucs:
            sections.append(self._ranking_section(aucs, names))
        if self.calibration is not None:
            sections.append(self._calibration_section())
        if self.num_slices:
            sections.append(self._slices())
        self._keep_curves(m, names)
        return sections

    def _class_notes(self) -> list[str]:
        notes = []
        if self.binary:
            notes.append(f"positive class: {self.classes[1]}")
            if not self.roles.pred:
                notes.append(f"predicted positive when score > {self.task.threshold:g}")
        elif not self.roles.pred:
            notes.append("predicted class: the one with the highest score")
        if self.cm.weighted:
            notes.append(f"weighted by {self.roles.weight}: supports are sums of weights")
        return notes

    def _confusion_section(self, m, counts, names) -> Section:
        k = len(names)
        shown = np.arange(k) if k <= MATRIX_CLASSES else np.sort(np.argsort(-counts.sum(axis=1), kind="stable")
                                                                  [:MATRIX_CLASSES])
        sub = m[np.ix_(shown, shown)]
        sub = sub if self.cm.weighted else sub.astype(np.int64)
        labels = [names[i] for i in shown]
        data = {"labels": labels, "matrix": sub.tolist(), "classes": k}
        notes = ["rows: true class, columns: predicted class"]
        if len(shown) < k:
            notes.append(f"the {len(shown)} classes with the largest support, of {k}")
        rows = [[labels[i]] + [x if self.cm.weighted else int(x) for x in sub[i]] for i in range(len(shown))]
        return Section("confusion_matrix", "Confusion matrix", data, header=["true \\ pred"] + labels, rows=rows,
                       notes=notes)

    def _ranking_section(self, aucs, names) -> Section:
        if self.binary:
            a = aucs[0]
            data = dict(a)
            pairs = [("ROC AUC", BoundedValue(a["roc_auc"], a["roc_auc_bound"])),
                     ("average precision", BoundedValue(a["average_precision"], a["average_precision_bound"]))]
        else:
            auc = np.array([x["roc_auc"] for x in aucs])
            bound = np.array([x["roc_auc_bound"] for x in aucs])
            data = {"roc_auc_ovr_macro": float(np.mean(auc)), "roc_auc_ovr_macro_bound": float(np.mean(bound)),
                    "roc_auc_per_class": dict(zip(names, auc.tolist()))}
            pairs = [("ROC AUC, one-vs-rest, macro", BoundedValue(data["roc_auc_ovr_macro"],
                                                              data["roc_auc_ovr_macro_bound"]))]
        if not self.binary:
            data["roc_auc_per_class_bound"] = dict(zip(names, bound.tolist()))
            notes = _bound_notes(*bound)
        else:
            notes = _bound_notes(a["roc_auc_bound"], a["average_precision_bound"])
        return Section("ranking", "Ranking", data, pairs=pairs, notes=notes)

    def _calibration_section(self) -> Section:
        cal = self.calibration
        r = cal.result()
        data = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in r.items()}
        pairs = [("expected calibration error", r["expected_calibration_error"]),
                 ("maximum calibration error", r["maximum_calibration_error"]),
                 ("Brier score", r["brier_score"])]
        keep = (cal.bin_count > 0) & (cal.bin_weight > 0)
        self.curves["calibration"] = (r["prob_pred"], r["prob_true"], cal.bin_count[keep])
        return Section("calibration", "Calibration", data, pairs=pairs,
                       notes=[f"{cal.n_bins} equal-width bins of the score of class {self.classes[1]}"])

    def _slices(self) -> Section:
        counts, weights = self.cm.counts, self.cm.weights
        header = ["slice", "rows"] + (["weight"] if self.cm.weighted else []) + ["accuracy"]
        header += ["precision", "recall", "f1"] if self.binary else ["macro precision", "macro recall", "macro f1"]
        if self.slice_auc:
            header.append("roc_auc")
        rows, data, bounds = [], [], []
        for i, name in enumerate(self._slice_names()):
            m, c = weights[i], counts[i]
            tp, pred, true = np.diag(m), m.sum(axis=0), m.sum(axis=1)
            total = m.sum()
            acc = float(tp.sum() / total) if total else float("nan")
            if self.binary:
                p, r, f = (float(x[1]) for x in _scores(tp, pred, true, None)[:3])
            else:
                present = (c.sum(axis=0) + c.sum(axis=1)) > 0
                p, r, f, _ = _scores(tp[present], pred[present], true[present], "macro")
            entry = {"slice": name, "rows": int(c.sum())}
            if self.cm.weighted:
                entry["weight"] = float(total)
            entry.update(accuracy=acc, precision=p, recall=r, f1=f)
            row = list(entry.values())
            if self.slice_auc:
                a = self._ranking(1 + i)
                entry.update(roc_auc=a["roc_auc"], roc_auc_bound=a["roc_auc_bound"])
                row.append(BoundedValue(a["roc_auc"], a["roc_auc_bound"]))
                bounds.append(a["roc_auc_bound"])
            data.append(entry)
            rows.append(row)
        notes = [] if self.binary else ["macro averages over the classes present in the slice"]
        return self._slice_section(header, rows, data, notes + _bound_notes(*bounds))

    def _keep_curves(self, m, names) -> None:
        self.curves["confusion_matrix"] = (m, names)
        if self.curve is not None:
            r = self.curve.result()
            labels = [f"positive class {names[-1]}"] if self.binary else names
            ranks = [self._ranking(k) for k in range(len(self.auc))]
            self.curves["thresholds"] = (r, labels, [x["roc_auc"] for x in ranks] or None,
                                         [x["average_precision"] for x in ranks] or None)
        if self.num_slices:
            w = self.cm.weights
            acc = np.array([np.trace(x) / x.sum() if x.sum() else np.nan for x in w])
            self.curves["slices"] = (self._slice_names(), acc, "accuracy") + self._slice_intervals(acc)

    def _slice_intervals(self, acc):
        """(errors below and above, what they are) of each slice's accuracy: the bootstrap's with --ci, else
        Wilson's 95% score interval from the slice's rows."""
        if self.boot is not None:
            reps = np.array([[np.trace(x) / x.sum() if x.sum() else np.nan for x in r.weights]
                             for r in self.boot.replicates()])
            from ..bootstrap import percentile_interval

            with np.errstate(all="ignore"):
                low, high = percentile_interval(reps, self.ci)
            return np.vstack([acc - low, high - acc]), f"{self.ci:.0%} bootstrap intervals"
        if self.cm.weighted:
            return None, None
        n = self.cm.counts.sum(axis=(1, 2)).astype(np.float64)
        z = 1.959963984540054
        with np.errstate(all="ignore"):
            centre = (acc + z * z / (2 * n)) / (1 + z * z / n)
            half = z * np.sqrt(acc * (1 - acc) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return np.vstack([acc - (centre - half), centre + half - acc]), "95% Wilson intervals"


class Multilabel(Evaluation):
    """Multilabel: counts per label at the threshold (per slice), BinnedAUC per label, subset accuracy."""

    def __init__(self, task, roles, drop_nan):
        super().__init__(task, roles, drop_nan)
        n = task.labels
        self.names = roles.label if len(roles.label) == n else [str(i) for i in range(n)]
        self.has_score = bool(roles.score)
        self.at = ThresholdCounts([task.threshold if self.has_score else 0.5], num_labels=n,
                                  num_slices=self.num_slices)
        self.exact = Moments(num_slices=self.num_slices)  # mean of 1{every label right}: subset accuracy
        self.auc = [BinnedAUC() for _ in range(n)] if self.has_score and n <= MAX_AUC_LABELS else []
        self.curve = ThresholdCounts(_grid(task), num_labels=n) if self.has_score and n <= MAX_CURVES else None
        self.rankers = self.auc

    def bootstrap(self, ci, replicates):
        raise UserError("--ci: confidence intervals are not available for multilabel reports")

    def _labels(self, y):
        return y.astype(np.int8)

    def _ranked(self, t, score, w, ids):
        if score is not None:
            for j in range(len(self.auc)):
                yield j, t[:, j], score[:, j], w

    def _update(self, y, score, pred, w, ids):
        s = score if pred is None else pred.astype(np.float64)
        t = self._labels(y)
        cut = self.task.threshold if pred is None else 0.5
        wide = None if w is None else np.repeat(w[:, None], t.shape[1], 1)
        self.at.update(t, s, wide, ids)
        self.exact.update(None, ((s > cut) == (t == 1)).all(axis=1).astype(np.float64), w, ids)
        for k, yt, sc, ww in self._ranked(t, score, w, ids):
            self.rankers[k].update(yt, sc, ww)
        if score is not None and self.curve is not None:
            self.curve.update(t, score, wide)

    def _counts(self, r, i=None):
        tp, fp, fn = (r[k][..., 0] if i is None else r[k][i, ..., 0] for k in ("tp", "fp", "fn"))
        return tp, tp + fp, tp + fn

    def sections(self):
        r = self.at.result()
        if self.num_slices:
            r = {k: v.sum(axis=0) for k, v in r.items()}
        tp, pred, true = self._counts(r)
        p, rec, f1, _ = _scores(tp, pred, true, None)
        aucs = [self._ranking(k) for k in range(len(self.auc))]
        weighted = self.at.weighted
        report = {}
        for j, name in enumerate(self.names):
            report[name] = {"precision": float(p[j]), "recall": float(rec[j]), "f1-score": float(f1[j]),
                            "support": float(true[j])}
            if aucs:
                report[name]["roc_auc"] = aucs[j]["roc_auc"]
        for average in ("micro", "macro", "weighted"):
            ap, ar, af, _ = _scores(tp, pred, true, average)
            report[f"{average} avg"] = {"precision": ap, "recall": ar, "f1-score": af, "support": float(true.sum())}
        header = ["", "precision", "recall", "f1-score", "support"] + (["roc_auc"] if aucs else [])
        rows = [[n] + [v.get(h) for h in header[1:]] for n, v in report.items()]
        if not weighted:
            for row in rows:
                row[4] = int(row[4])
        subset = float(np.sum(self.exact.sums["sum_pred"]) / np.sum(self.exact.sums["sum_weight"]))
        notes = [f"predicted positive when score > {self.task.threshold:g}" if self.has_score else
                 "predictions are read as 0/1"]
        sections = [Section("classification_report", "Classification report", report, header=header, rows=rows,
                            notes=notes),
                    Section("multilabel", "Multilabel", {"subset_accuracy": subset},
                            pairs=[("subset accuracy (every label right)", subset)])]
        if aucs:
            auc = float(np.mean([a["roc_auc"] for a in aucs]))
            bounds = [a["roc_auc_bound"] for a in aucs]
            bound = float(np.mean(bounds))
            sections.append(Section("ranking", "Ranking", {"roc_auc_macro": auc, "roc_auc_macro_bound": bound},
                                    pairs=[("ROC AUC, macro over labels", BoundedValue(auc, bound))],
                                    notes=_bound_notes(*bounds)))
        if self.num_slices:
            sections.append(self._slices())
        if self.curve is not None:
            self.curves["thresholds"] = (self.curve.result(), self.names, [a["roc_auc"] for a in aucs] or None,
                                         [a["average_precision"] for a in aucs] or None)
        return sections

    def _slices(self) -> Section:
        r = self.at.result()
        counts = self.exact.count
        means = self.exact.mean_pred
        header = ["slice", "rows", "micro precision", "micro recall", "micro f1", "subset accuracy"]
        rows, data = [], []
        for i, name in enumerate(self._slice_names()):
            tp, pred, true = self._counts(r, i)
            p, rec, f, _ = _scores(tp, pred, true, "micro")
            entry = {"slice": name, "rows": int(counts[i]), "precision": p, "recall": rec, "f1": f,
                     "subset_accuracy": float(means[i])}
            data.append(entry)
            rows.append(list(entry.values()))
        self.curves["slices"] = (self._slice_names(), np.array([d["f1"] for d in data]), "micro f1")
        return self._slice_section(header, rows, data)


class Regression(Evaluation):
    """Regression, one or several outputs: weighted moments (per slice)."""

    METRICS = [("mean_absolute_error", "MAE"), ("mean_squared_error", "MSE"), ("root_mean_squared_error", "RMSE"),
               ("r2", "R²"), ("explained_variance", "explained variance"), ("pearson", "Pearson r")]

    def __init__(self, task, roles, drop_nan):
        super().__init__(task, roles, drop_nan)
        self.outputs = task.labels
        self.m = Moments(self.outputs, num_slices=self.num_slices)
        self.total = Moments(self.outputs) if self.num_slices else self.m

    def bootstrap(self, ci, replicates):
        super().bootstrap(ci, replicates)
        self.boot = _resampled(self.total, replicates)
        self.total = self.boot.accumulator
        if not self.num_slices:
            self.m = self.total

    @staticmethod
    def _ci_metrics(m) -> dict[str, float]:
        return regression_metrics(m)

    def _update(self, y, score, pred, w, ids):
        x = (pred if pred is not None else score).astype(np.float64, copy=False)
        y = y.astype(np.float64, copy=False)
        if w is not None and x.ndim == 2:
            w = np.repeat(w[:, None], x.shape[1], 1)
        if self.num_slices:
            self.m.update(y, x, w, ids)
        (self.boot or self.total).update(y, x, w)

    def sections(self):
        data, pairs = {}, []
        for attr, name in self.METRICS:
            v = np.atleast_1d(getattr(self.total, attr))
            data[attr] = float(np.mean(v))
            if len(v) > 1:
                data[attr + "_per_output"] = v.tolist()
            pairs.append((name, data[attr]))
        notes = ["averaged uniformly over the outputs"] if self.outputs > 1 else []
        sections = [Section("regression", "Regression", data, pairs=pairs, notes=notes)]
        sections += self._ci(self._ci_metrics(self.total) if self.boot else {})
        if self.num_slices:
            header = ["slice", "rows", "MAE", "RMSE", "R²"]
            rows, entries = [], []
            mae, rmse, r2 = (np.asarray(getattr(self.m, a)).reshape(self.num_slices, -1).mean(axis=1)
                             for a in ("mean_absolute_error", "root_mean_squared_error", "r2"))
            counts = self.m.count
            for i, name in enumerate(self._slice_names()):
                entry = {"slice": name, "rows": int(counts[i]), "mean_absolute_error": float(mae[i]),
                         "root_mean_squared_error": float(rmse[i]), "r2": float(r2[i])}
                entries.append(entry)
                rows.append(list(entry.values()))
            sections.append(self._slice_section(header, rows, entries))
            self.curves["slices"] = (self._slice_names(), mae, "MAE")
        return sections
