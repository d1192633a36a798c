"""Many metrics from one pass over each batch, sharing one accumulator wherever they need the same counts.

``MetricSet`` takes metrics by the names of their sklearn-compatible functions (with
their keyword arguments) and sorts them by the state they are read from: the label
metrics share one ``ConfusionMatrix``, the ranking metrics one ``BinnedAUC`` per
column of scores, the regression metrics one ``Moments``, the calibration metrics
one ``Calibration`` per binning. Each batch updates each accumulator once; the
values are read from them at the end, by the same formulas as the functions. The
rule is the one the Keras metrics follow when they share a batch's counts: metrics
that need the same counts from the same inputs get them once.
"""

from __future__ import annotations

import numpy as np

from . import _validation as v
from .binned_auc import BinnedAUC
from .calibration import Calibration
from .confusion import ConfusionMatrix
from .metrics import prf
from .moments import Moments

__all__ = ["MetricSet"]

_LABEL = {"accuracy_score", "balanced_accuracy_score", "precision_score", "recall_score", "f1_score",
          "fbeta_score", "confusion_matrix"}
_RANKING = {"roc_auc_score", "average_precision_score"}
_REGRESSION = {"mean_absolute_error": "mean_absolute_error", "mean_squared_error": "mean_squared_error",
               "root_mean_squared_error": "root_mean_squared_error", "r2_score": "r2",
               "explained_variance_score": "explained_variance"}
_CALIBRATION = {"expected_calibration_error", "maximum_calibration_error", "brier_score_loss"}
_KNOWN = sorted(_LABEL | _RANKING | set(_REGRESSION) | _CALIBRATION)


def _parse(metrics) -> dict[str, tuple[str, dict]]:
    items = metrics.items() if isinstance(metrics, dict) else [(None, m) for m in metrics]
    out = {}
    for name, spec in items:
        func, kwargs = (spec, {}) if isinstance(spec, str) else tuple(spec)
        if func not in _KNOWN:
            raise ValueError(f"MetricSet: unknown metric {func!r}; expected one of {_KNOWN}")
        name = name or func
        if name in out:
            raise ValueError(f"MetricSet: the name {name!r} is given twice; pass a dict to name each metric")
        out[name] = (func, dict(kwargs))
    if not out:
        raise ValueError("MetricSet needs at least one metric")
    return out


class MetricSet:
    """Metrics named as accumetrics' (sklearn's) functions, updated together, read together.

    ``metrics`` is a list of function names or ``(name, kwargs)`` pairs, or a dict
    from result names to those. Classification metrics need ``num_classes``: labels
    are integers in [0, num_classes), scores have shape (N, num_classes) (or (N,),
    the probability of class 1, when there are two classes) and the predicted label
    is the highest score (for one column of scores, ``score > 0.5``). Regression
    metrics read ``y_score`` as the predictions. ``merge`` adds another set's
    state (the same metrics), ``copy`` and pickling work as for every accumulator.

    >>> ms = MetricSet(["accuracy_score", ("f1_score", {"average": "macro"}), "roc_auc_score"], num_classes=2)
    >>> ms.update([0, 1, 1, 0], [0.2, 0.9, 0.4, 0.3]).result()
    {'accuracy_score': 0.75, 'f1_score': 0.7333333333333334, 'roc_auc_score': 1.0}
    """

    def __init__(self, metrics, *, num_classes: int | None = None, max_bins: int = 1 << 16):
        self.metrics = _parse(metrics)
        self.num_classes = None if num_classes is None else v.positive_int(num_classes, "num_classes")
        needs_classes = [n for n, (f, _) in self.metrics.items() if f in _LABEL | _RANKING | _CALIBRATION]
        if needs_classes and self.num_classes is None:
            raise ValueError(f"MetricSet: {needs_classes} need num_classes (labels are 0 .. num_classes - 1)")
        if self.num_classes is not None and self.num_classes < 2 and needs_classes:
            raise ValueError(f"num_classes must be at least 2; got {num_classes}")
        self.max_bins = max_bins
        binned = [kw.get("n_bins", 15) for f, kw in self.metrics.values() if f in _CALIBRATION - {"brier_score_loss"}]
        self._brier_bins = binned[0] if binned else 15  # the Brier score needs no bins: it shares any
        self._accumulators: dict[tuple, object] = {}
        for func, kwargs in self.metrics.values():
            for key in self._keys(func, kwargs):
                if key not in self._accumulators:
                    self._accumulators[key] = self._make(key)

    def _keys(self, func, kwargs) -> list[tuple]:
        if func in _LABEL:
            return [("confusion",)]
        if func in _REGRESSION:
            return [("moments",)]
        if func in _CALIBRATION:
            return [("calibration", self._bins(func, kwargs))]
        columns = [1] if self.num_classes == 2 else list(range(self.num_classes))
        keys = [("ranking", c) for c in columns]
        if kwargs.get("average") == "micro" and self.num_classes > 2:
            keys.append(("ranking", "all"))
        return keys

    def _bins(self, func, kwargs) -> int:
        return self._brier_bins if func == "brier_score_loss" else kwargs.get("n_bins", 15)

    def _make(self, key):
        kind = key[0]
        if kind == "confusion":
            return ConfusionMatrix(self.num_classes)
        if kind == "moments":
            return Moments()
        if kind == "calibration":
            return Calibration(n_bins=key[1])
        return BinnedAUC(max_bins=self.max_bins)

    @property
    def accumulators(self) -> dict:
        """The shared accumulators, by what they count."""
        return dict(self._accumulators)

    def update(self, y_true, y_score, sample_weight=None) -> "MetricSet":
        """Add a batch to every accumulator, each once."""
        if self.num_classes is None:
            self._accumulators[("moments",)].update(y_true, y_score, sample_weight)
            return self
        t = v.column(v.labels(y_true, "y_true"), "y_true")
        s = v.floats(y_score, "y_score")
        if s.ndim == 2 and s.shape[1] == 1:
            s = s[:, 0]
        if s.ndim == 1 and self.num_classes != 2:
            raise ValueError(f"y_score has shape {s.shape}; expected (n_samples, num_classes={self.num_classes})")
        if s.ndim == 2 and s.shape[1] != self.num_classes:
            raise ValueError(f"y_score has {s.shape[1]} columns; expected num_classes={self.num_classes}")
        v.same_length(y_true=t, y_score=s)
        w = None if sample_weight is None else v.weights(sample_weight, len(t))
        if len(t) and (t.min() < 0 or t.max() >= self.num_classes):
            raise ValueError(f"y_true has labels outside [0, num_classes={self.num_classes})")
        for key, acc in self._accumulators.items():
            kind = key[0]
            if kind == "confusion":
                acc.update(t, (s > 0.5).astype(np.int64) if s.ndim == 1 else np.argmax(s, axis=1), w)
            elif kind == "moments":
                acc.update(t, s, w)
            elif kind == "calibration":
                acc.update(t == 1, s if s.ndim == 1 else s[:, 1], w)  # binary: the probability of class 1
            elif key[1] == "all":
                acc.update(np.eye(self.num_classes, dtype=bool)[t].reshape(-1), s.reshape(-1),
                           None if w is None else np.repeat(w, self.num_classes))
            else:
                column = s if s.ndim == 1 else s[:, key[1]]
                acc.update(t == key[1], column, w)
        return self

    def result(self) -> dict:
        """Every metric's value, by name."""
        return {name: self._value(func, kwargs) for name, (func, kwargs) in self.metrics.items()}

    def _value(self, func, kwargs):
        if func in _REGRESSION:
            return float(np.squeeze(getattr(self._accumulators[("moments",)], _REGRESSION[func])))
        if func in _CALIBRATION:
            cal = self._accumulators[("calibration", self._bins(func, kwargs))]
            return cal.brier_score if func == "brier_score_loss" else getattr(cal, func)
        if func in _RANKING:
            return self._ranking(func, kwargs.get("average", "macro"))
        m = self._accumulators[("confusion",)].result()
        if func == "confusion_matrix":
            return m
        if func == "accuracy_score":
            return float(np.trace(m) / m.sum()) if m.sum() else float("nan")
        tp, pred, true = np.diagonal(m).astype(np.float64), m.sum(axis=0), m.sum(axis=1)
        if func == "balanced_accuracy_score":
            return float(np.mean(tp[true > 0] / true[true > 0]))
        average = kwargs.get("average", "binary")
        if average == "binary":
            if self.num_classes != 2:
                raise ValueError(f"{func}: average='binary' needs num_classes=2; pass average='macro', ...")
            tp, pred, true, average = tp[1:], pred[1:], true[1:], "macro"
        beta = kwargs.get("beta", 1.0)
        which = {"precision_score": 0, "recall_score": 1}.get(func, 2)
        value = prf.scores(tp, pred, true, beta=beta, average=average, warn_for=(),
                            zero_division=kwargs.get("zero_division", 0.0), sample_weight=None)[which]
        return value

    def _ranking(self, func, average):
        field = "roc_auc" if func == "roc_auc_score" else "average_precision"
        if self.num_classes == 2:
            return self._accumulators[("ranking", 1)].result()[field]
        if average == "micro":
            return self._accumulators[("ranking", "all")].result()[field]
        per_class = np.array([self._accumulators[("ranking", c)].result()[field] for c in range(self.num_classes)])
        if average is None:
            return per_class
        if average == "weighted":
            weight = np.array([self._accumulators[("ranking", c)]._state.result()["positives"]
                               for c in range(self.num_classes)])
            return float(np.average(per_class, weights=weight))
        return float(np.mean(per_class))

    def merge(self, other: "MetricSet") -> "MetricSet":
        """Add ``other``'s state (a MetricSet of the same metrics), as if its batches had been passed here."""
        if not isinstance(other, MetricSet) or other.metrics != self.metrics or other.num_classes != self.num_classes:
            raise ValueError("cannot merge MetricSets of different metrics or num_classes")
        for key, acc in self._accumulators.items():
            acc.merge(other._accumulators[key])
        return self

    def __iadd__(self, other):
        return self.merge(other)

    def __add__(self, other):
        return self.copy().merge(other)

    def copy(self) -> "MetricSet":
        new = object.__new__(MetricSet)
        new.__dict__.update(self.__dict__)
        new.metrics = {k: (f, dict(kw)) for k, (f, kw) in self.metrics.items()}
        new._accumulators = {k: a.copy() for k, a in self._accumulators.items()}
        return new

    def reset(self) -> "MetricSet":
        for acc in self._accumulators.values():
            acc.reset()
        return self

    def __repr__(self) -> str:
        return f"MetricSet({list(self.metrics)}, accumulators={len(self._accumulators)})"
