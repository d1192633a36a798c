"""Which columns play which role, and what the task is: a first pass over the file finds the classes,
the slices and the score range, and decides binary / multiclass / multilabel / regression the way
sklearn's ``type_of_target`` does."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .errors import UserError
from .read import Batch

TASKS = ("binary", "multiclass", "multilabel", "regression")
MAX_CLASSES = 1000
MAX_SLICES = 10000
DEFAULTS = {
    "label": ("label", "y_true", "target", "y"),
    "score": ("score", "y_score", "proba", "probability"),
    "pred": ("pred", "y_pred", "prediction"),
}


@dataclass
class Roles:
    """Column names for each role; label, score and pred may name several columns (stacked into (rows, k))."""

    label: list[str]
    score: list[str] = field(default_factory=list)
    pred: list[str] = field(default_factory=list)
    weight: str | None = None
    slice: str | None = None

    @classmethod
    def choose(cls, names: list[str], label, score, pred, weight, slice_) -> "Roles":
        def pick(role, given):
            if given:
                return list(given)
            found = next((n for n in DEFAULTS[role] if n in names), None)
            return [found] if found else []

        roles = cls(pick("label", label), pick("score", score), pick("pred", pred), weight, slice_)
        shown = ", ".join(names[:30]) + (", ..." if len(names) > 30 else "")
        if not roles.label:
            raise UserError("no label column: name it with --label (tried " + ", ".join(DEFAULTS["label"])
                            + f"); the file's columns: {shown}")
        if not roles.score and not roles.pred:
            raise UserError("no score or prediction column: name one with --score or --pred (tried "
                            + ", ".join(DEFAULTS["score"] + DEFAULTS["pred"]) + f"); the file's columns: {shown}")
        return roles

    @property
    def columns(self) -> list[str]:
        names = self.label + self.score + self.pred + [self.weight, self.slice]
        return list(dict.fromkeys(n for n in names if n))

    def get(self, batch: Batch, role: str) -> np.ndarray | None:
        names = getattr(self, role)
        if isinstance(names, str):
            names = [names]
        if not names:
            return None
        arrays = [batch.columns[n] for n in names]
        if len(arrays) == 1:
            return arrays[0]
        if any(a.ndim != 1 for a in arrays):
            raise UserError(f"--{role}: several columns are stacked only when each holds one value per row")
        return np.column_stack(arrays)


class _Values:
    """What the scan learns about one role: dtype kind, width, distinct values (while few), range."""

    def __init__(self, role: str, limit: int):
        self.role, self.limit = role, limit
        self.kind = None          # "number", "bool" or "string"
        self.width = None         # 1 for (rows,), k for (rows, k)
        self.unique = np.array([])
        self.many = False         # more distinct values than the limit
        self.whole = True         # every number is a whole number
        self.low, self.high = np.inf, -np.inf

    def add(self, a: np.ndarray, column: str) -> None:
        kind = "bool" if a.dtype.kind == "b" else "string" if a.dtype.kind in "US" else "number"
        if a.dtype.kind not in "biufUS":
            raise UserError(f"column {column!r} has dtype {a.dtype}; numbers, booleans or strings are expected")
        width = 1 if a.ndim == 1 else a.shape[1]
        if self.kind is None:
            self.kind, self.width = kind, width
        elif kind != self.kind and {kind, self.kind} != {"bool", "number"}:
            raise UserError(f"column {column!r} holds both {self.kind}s and {kind}s")
        if len(a) == 0:
            return
        if kind != "string":
            self.low, self.high = min(self.low, float(a.min())), max(self.high, float(a.max()))
            if a.dtype.kind == "f" and self.whole:
                self.whole = bool((a == np.floor(a)).all())
        if not self.many and self.limit:
            u = np.unique(a)
            self.unique = u if self.unique.size == 0 else np.union1d(self.unique, u)
            if self.unique.size > self.limit:
                self.many, self.unique = True, self.unique[: self.limit + 1]


@dataclass
class Task:
    kind: str
    classes: np.ndarray | None = None   # binary / multiclass: sorted class values; the positive is the last
    labels: int = 1                     # multilabel: number of labels; regression: number of outputs
    slices: np.ndarray | None = None    # sorted slice values
    score_range: tuple[float, float] = (0.0, 1.0)
    threshold: float = 0.5              # score > threshold is positive (binary, multilabel)
    score_columns: str | None = None    # how several --score columns were matched to the classes: "name", "position"


class Scan:
    """The first pass: reads the role columns and learns what the task needs to know up front."""

    def __init__(self, roles: Roles):
        self.roles = roles
        self.values = {
            "label": _Values("label", MAX_CLASSES),
            "pred": _Values("pred", MAX_CLASSES),
            "score": _Values("score", 0),
            "slice": _Values("slice", MAX_SLICES),
        }
        self.rows = 0
        self.missing = 0
        self.first_missing: int | None = None

    def add(self, batch: Batch, drop_nan: bool) -> None:
        n = len(batch.missing)
        self.rows += n
        keep = None
        if batch.missing.any():
            bad = np.flatnonzero(batch.missing)
            self.missing += len(bad)
            if self.first_missing is None:
                self.first_missing = batch.start + int(bad[0])
            if not drop_nan:
                return  # the count is what matters now: the report stops after the scan
            keep = ~batch.missing
        for role, values in self.values.items():
            a = self.roles.get(batch, role)
            if a is not None:
                values.add(a if keep is None else a[keep], ",".join(np.atleast_1d(getattr(self.roles, role))))

    def task(self, given: str | None, threshold: float | None) -> Task:
        label, pred, score, slice_ = (self.values[k] for k in ("label", "pred", "score", "slice"))
        if not self.rows:
            raise UserError("the file has no rows")
        if self.missing == self.rows:
            raise UserError("every row holds a missing value")
        kind = given or self._infer()
        task = Task(kind)
        if slice_.kind is not None:
            if slice_.many:
                raise UserError(f"--slice {self.roles.slice!r} has more than {MAX_SLICES} distinct values")
            task.slices = slice_.unique
        if score.kind == "string" or pred.kind == "string" and kind in ("multilabel", "regression"):
            raise UserError(f"{'--score' if score.kind == 'string' else '--pred'} holds strings; numbers are expected")
        if score.kind is not None:
            task.score_range = (score.low, score.high)
        if kind == "regression":
            if label.kind == "string":
                raise UserError("--task regression needs numeric labels; the label column holds strings")
            task.labels = label.width
            outputs = (pred if pred.kind is not None else score).width
            if outputs != label.width:
                raise UserError(f"labels have {label.width} output(s) per row, predictions {outputs}")
            return task
        default = 0.5 if score.kind is None or (score.low >= 0 and score.high <= 1) else 0.0
        task.threshold = default if threshold is None else threshold
        if kind == "multilabel":
            bad = label.kind == "string" or label.many or not np.isin(label.unique, [0, 1]).all()
            if bad or label.width < 2:
                raise UserError("--task multilabel needs a 0/1 label matrix: a list column or several --label columns")
            task.labels = label.width
            other = score if score.kind is not None else pred
            if other.width != label.width:
                raise UserError(f"labels have {label.width} columns, {'scores' if other is score else 'predictions'} "
                                f"{other.width}")
            return task
        return self._classes(task, label, pred, score)

    def _infer(self) -> str:
        label, pred, score = self.values["label"], self.values["pred"], self.values["score"]
        if label.width > 1:
            if label.kind != "string" and not label.many and np.isin(label.unique, [0, 1]).all():
                return "multilabel"
            if label.kind == "number" and not label.whole:
                return "regression"
            raise UserError(f"labels have {label.width} columns but are not 0/1: a multiclass-multioutput "
                            "target is not supported")
        if label.kind == "number" and not label.whole:
            return "regression"
        if pred.kind == "number" and not pred.whole and score.kind is None:
            return "regression"
        if label.many:
            raise UserError(f"labels have more than {MAX_CLASSES} distinct values; "
                            "for a continuous target pass --task regression")
        if score.kind is not None and score.width > 2:
            return "multiclass"
        classes = label.unique if pred.kind is None else np.union1d(label.unique, pred.unique)
        return "binary" if classes.size <= 2 else "multiclass"

    def _classes(self, task: Task, label: _Values, pred: _Values, score: _Values) -> Task:
        if label.width != 1:
            raise UserError(f"--task {task.kind} needs one label per row; the labels have {label.width} columns")
        if pred.kind is not None and ("string" in (label.kind, pred.kind)) and label.kind != pred.kind:
            raise UserError(f"labels are {label.kind}s but predictions are {pred.kind}s")
        if label.many or pred.many:
            raise UserError(f"more than {MAX_CLASSES} classes")
        classes = label.unique if pred.kind is None else np.union1d(label.unique, pred.unique)
        width = score.width if score.kind is not None else None
        if width is not None and width > 1 and not (task.kind == "binary" and width == 2):
            if task.kind == "binary":
                raise UserError(f"--task binary takes one score per row (or two columns); --score has {width}")
            if label.kind != "string" and label.whole and classes.min() >= 0 and classes.max() < width:
                classes = np.arange(width, dtype=classes.dtype)
            elif classes.size != width:
                raise UserError(f"--score has {width} columns but the labels hold {classes.size} classes")
        if task.kind == "multiclass" and width == 1 and pred.kind is None:
            raise UserError(f"--task multiclass needs one --score column per class ({classes.size}), or --pred; "
                            "--score has 1")
        if task.kind == "binary":
            if classes.size == 1 and label.kind != "string":
                classes = np.array([False, True]) if label.kind == "bool" else np.union1d(classes, [0, 1])
            if classes.size != 2:
                raise UserError(f"--task binary needs 2 classes; the labels hold {classes.size}: "
                                + ", ".join(map(str, classes[:10])))
        elif classes.size < 2 and width is None:
            raise UserError("the labels hold a single class")
        task.classes = classes
        if len(self.roles.score) > 1 and len(self.roles.score) == classes.size:
            task.score_columns = self._match_score_columns(classes)
        return task

    def _match_score_columns(self, classes: np.ndarray) -> str:
        """Orders --score columns as the sorted classes: by name where they are named as the classes, else by
        position. Returns which."""
        names = [str(c) for c in classes]
        columns = self.roles.score
        named = [c for c in columns if c in names]
        if not named:
            return "position"
        if len(named) != len(columns) or len(set(named)) != len(names):
            unmatched = [c for c in columns if c not in names]
            missing = [n for n in names if n not in columns]
            raise UserError(f"--score columns {', '.join(unmatched)} are not named as classes while "
                            f"{', '.join(named)} are; the classes are {', '.join(names)}"
                            + (f" (no column for {', '.join(missing)})" if missing else "")
                            + ": name every score column as its class, or none")
        self.roles.score = sorted(columns, key=names.index)
        return "name"
