"""Ranking metrics, as in sklearn.metrics: ROC AUC, average precision and their curves.

Each binary column is sorted once in the core (radix sort of the score bits, O(N)) and
walked once over its distinct scores, so results, tie handling and the points of each
curve are sklearn's; only the arrangement of inputs, warnings and averaging live here.
"""

from __future__ import annotations

import numbers
import warnings
from itertools import combinations

import numpy as np

from .._validation import SKLEARN, check_finite, column, read
from .._validation import parameters as checks
from .._validation.encoding import positive_label
from .._validation.targets import BINARY, MULTICLASS, MULTILABEL, as_target, numeric
from .._validation.targets import sample_weight as checked_weight
from .._validation.targets import type_of_target
from ..thresholds import RANKED_LABEL_DTYPES, counts_at_every_score, ranking_summary
from ..exceptions import UndefinedMetricWarning
from ..formulas import numpy_ops
from ..formulas import ranking as ranking_formulas

_AVERAGES = ("micro", "macro", "samples", "weighted")


def _scores(y_score, func: str, finite: bool = True) -> np.ndarray:
    """Scores as sklearn's check_array reads them (see _validation.targets.numeric); the core checks the scores it reads anyway,
    see _summary, where `finite` is False."""
    return numeric(y_score, "y_score", func, finite=finite, what="numeric scores")


def _check_finite(a: np.ndarray) -> None:
    check_finite(a, "y_score")


def _integer_classes(t: np.ndarray) -> np.ndarray | None:
    """The distinct values of 1-D integer or bool labels without a sort: two reductions when they
    span at most two consecutive values, else one counting pass; None when they span too wide a range."""
    a = t.view(np.uint8) if t.dtype.kind == "b" else t
    if a.dtype.kind not in "iu" or not a.size:
        return None
    lo, hi = int(a.min()), int(a.max())
    if hi - lo <= 1:
        return np.array([lo] if lo == hi else [lo, hi]).astype(t.dtype)
    if hi - lo < 1 << 20:
        return (np.flatnonzero(np.bincount(a - lo if lo else a)) + lo).astype(t.dtype)
    return None


def _unique(t: np.ndarray) -> np.ndarray:
    """np.unique of labels; integers in a modest range without a sort."""
    classes = _integer_classes(t) if t.ndim == 1 else None
    return np.unique(t) if classes is None else classes


def _type_of_target(t: np.ndarray):
    """sklearn's type_of_target, with binary/multiclass of integer labels decided without a sort;
    also the classes of 1-D labels where that found them (else None)."""
    flat = t[:, 0] if t.ndim == 2 and t.shape[1] == 1 else t
    if flat.ndim == 1 and flat.size and flat.dtype.kind in "biu":
        classes = _unique(flat)
        return (BINARY if len(classes) <= 2 else MULTICLASS), classes
    return type_of_target(t, "y_true"), None


def _column(sample_weight):
    """sklearn's column_or_1d of the ranking functions' weights: (n,) or (n, 1)."""
    if sample_weight is None or isinstance(sample_weight, (numbers.Number, str)):
        return sample_weight
    return column(read(sample_weight, "sample_weight"), "y", SKLEARN)


def _summary(y01: np.ndarray, score: np.ndarray, w: np.ndarray | None, average_precision: bool = True):
    """Per column of 0/1 labels: (positive weight, negative weight, ROC AUC, AP or NaN) from the core,
    which rejects non-finite scores (here with sklearn's message) and bad weights."""
    if w is not None and not w.any():
        raise ValueError("Sample weights must contain at least one non-zero number.")
    try:
        return ranking_summary(y01, score, w, average_precision)
    except ValueError:
        _check_finite(score)
        raise


def _warn_one_class() -> None:
    warnings.warn("Only one class is present in y_true. ROC AUC score is not defined in that case.",
                  UndefinedMetricWarning, stacklevel=3)


def _warn_no_positive_for_recall() -> None:
    warnings.warn("No positive class found in y_true, recall is set to one for all thresholds.", stacklevel=3)


def _roc_auc_columns(y01: np.ndarray, score: np.ndarray, w, max_fpr, both_present=None) -> np.ndarray:
    """ROC AUC of each column of (n, C) 0/1 labels and scores, with sklearn's warnings.
    both_present: whether each column has both classes, where the caller knows (y01 then need not be bool)."""
    if both_present is None:
        has_pos, has_neg = y01.any(axis=0), (~y01).any(axis=0)
    else:
        has_pos = has_neg = np.broadcast_to(both_present, y01.shape[1:])
    from .curves import auc as area  # curves reads its inputs with this module's checks

    if not (has_pos & has_neg).any():  # NaN, before sklearn reads the weights
        auc = np.full(y01.shape[1], np.nan)
        has_pos = has_neg = np.zeros(y01.shape[1], bool)
    else:
        _, _, auc, _ = _summary(y01, score, w, average_precision=False)
    auc = np.array(auc)
    partial = max_fpr is not None and max_fpr != 1
    negative_weights = w is not None and bool((w < 0).any())
    for k in range(y01.shape[1]):
        if not (has_pos[k] and has_neg[k]):
            _warn_one_class()
            auc[k] = np.nan
        elif not np.isfinite(auc[k]) or partial or negative_weights:
            # A class present only with weight 0, a partial AUC, or negative weights, whose curve may turn back
            # (sklearn's area under it then raises): from the curve, as sklearn.
            fpr, tpr, _ = _roc(y01[:, k], score[:, k], w, drop_intermediate=True)
            if partial and not np.isfinite(fpr[-1]):  # sklearn cuts a NaN curve to one point
                raise ValueError("At least 2 points are needed to compute area under curve, but x.shape = 1")
            if not partial:
                auc[k] = area(fpr, tpr) if negative_weights else np.nan
            elif not np.isfinite(tpr[-1]):
                auc[k] = np.nan
            else:
                auc[k] = float(ranking_formulas.standardized_partial_auc(numpy_ops, fpr, tpr, max_fpr))
    return auc


def _ap_columns(y01: np.ndarray, score: np.ndarray, w) -> np.ndarray:
    pos, _, _, ap = _summary(y01, score, w)
    if (np.asarray(pos) == 0).any():
        _warn_no_positive_for_recall()
    return np.asarray(ap, dtype=np.float64)


def _average(column_metric, y01: np.ndarray, score: np.ndarray, average, w):
    """sklearn's _average_binary_score over indicator columns (n, C)."""
    if average == "micro":
        y01 = y01.reshape(-1, 1)
        score = score.reshape(-1, 1)
        w = None if w is None else np.repeat(w, y01.size // len(w))
        return float(column_metric(y01, score, w)[0])
    average_weight = None
    score_weight = w
    if average == "weighted":
        average_weight = y01.sum(axis=0, dtype=np.float64) if w is None else (y01 * w[:, None]).sum(axis=0)
        if np.isclose(average_weight.sum(), 0.0):
            return 0
    elif average == "samples":
        average_weight, score_weight = w, None
        y01, score = np.ascontiguousarray(y01.T), np.ascontiguousarray(score.T)
    scores = column_metric(y01, score, score_weight)
    if average is None:
        return scores
    if average_weight is not None:
        scores[average_weight == 0] = 0
    return float(np.average(scores, weights=average_weight))


def _check_average(average, func: str) -> None:
    checks.average(average, func, _AVERAGES)


def _positive_column(y_true: np.ndarray, pos_label, classes=None) -> np.ndarray:
    """y_true == pos_label; labels that are already 0/1 with 1 the positive class as they are."""
    if (classes is not None and y_true.dtype in RANKED_LABEL_DTYPES and pos_label == 1 and not isinstance(pos_label, str)
            and set(classes.tolist()) <= {0, 1}):
        return y_true
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return np.asarray(y_true == pos_label, dtype=bool)


def roc_auc_score(y_true, y_score, *, average="macro", sample_weight=None, max_fpr=None, multi_class="raise",
                  labels=None):
    """Area under the ROC curve, as sklearn.metrics.roc_auc_score (binary, multilabel, multiclass ovr/ovo).

    >>> roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    func = "roc_auc_score"
    _check_average(average, func)
    if max_fpr is not None and (isinstance(max_fpr, (bool, np.bool_)) or not isinstance(max_fpr, numbers.Real)
                                or not 0 < max_fpr <= 1):
        raise checks.invalid(func, "max_fpr", "a float in the range (0.0, 1.0] or None", max_fpr)
    checks.option(multi_class, "multi_class", func, ("raise", "ovr", "ovo"))
    t = as_target(y_true, "y_true", func)
    y_type, classes = _type_of_target(t)
    s = _scores(y_score, func, finite=False)
    if y_type != BINARY or s.ndim == 2 and s.shape[1] > 2:
        _check_finite(s)
    if y_type == MULTICLASS or (y_type == BINARY and s.ndim == 2 and s.shape[1] > 2):
        if max_fpr is not None and max_fpr != 1.0:
            raise ValueError("Partial AUC computation not available in multiclass setting, 'max_fpr' must be set "
                             f"to `None`, received `max_fpr={max_fpr}` instead")
        if multi_class == "raise":
            raise ValueError("multi_class must be in ('ovo', 'ovr')")
        return _multiclass_roc_auc(column(t, "y", SKLEARN), s, labels, multi_class, average, sample_weight)
    w = checked_weight(_column(sample_weight), t, s, func=func, allow_all_zero=True)
    if y_type == BINARY:
        t = column(t, "y", SKLEARN)
        if classes is None:
            classes = _unique(t)
        y01 = _positive_column(t, classes[-1], classes) if len(classes) == 2 else np.zeros(len(t), bool)
        s = column(s, "y", SKLEARN)
        return float(_roc_auc_columns(y01[:, None], s[:, None], w, max_fpr, len(classes) == 2)[0])
    if y_type != MULTILABEL:
        raise ValueError(f"{y_type} format is not supported")
    if s.shape != t.shape:
        raise ValueError(f"y_true and y_score have different shapes: {t.shape} and {s.shape}")
    return _average(lambda y, sc, ww: _roc_auc_columns(y, sc, ww, max_fpr), t.astype(bool), s, average, w)


def _multiclass_roc_auc(t, s, labels, multi_class, average, sample_weight):
    if s.ndim != 2:
        raise ValueError("`y_score` needs to be of shape `(n_samples, n_classes)`, since `y_true` contains multiple "
                         f"classes. Got `y_score.shape={s.shape}`.")
    if not np.allclose(1, s.sum(axis=1)):
        raise ValueError("Target scores need to be probabilities for multiclass roc_auc, i.e. they should sum up "
                         "to 1.0 over classes")
    options = ("macro", "weighted", None)
    if multi_class == "ovr":
        options = ("micro",) + options
    if average not in options:
        raise ValueError(f"average must be one of {options} for multiclass problems")
    if average is None and multi_class == "ovo":
        raise NotImplementedError("average=None is not implemented for multi_class='ovo'.")
    if labels is not None:
        labels = np.ravel(np.asarray(labels))
        classes = np.unique(labels)
        if len(classes) != len(labels):
            raise ValueError("Parameter 'labels' must be unique")
        if not np.array_equal(classes, labels):
            raise ValueError("Parameter 'labels' must be ordered")
        if len(classes) != s.shape[1]:
            raise ValueError(f"Number of given labels, {len(classes)}, not equal to the number of columns in "
                             f"'y_score', {s.shape[1]}")
        if len(np.setdiff1d(t, classes)):
            raise ValueError("'y_true' contains labels not in parameter 'labels'")
    else:
        classes = np.unique(t)
        if len(classes) != s.shape[1]:
            raise ValueError("Number of classes in y_true not equal to the number of columns in 'y_score'")
    if multi_class == "ovr":
        w = checked_weight(_column(sample_weight), t, s, func="roc_auc_score", allow_all_zero=True)
        indicator = t[:, None] == classes[None, :]
        return _average(lambda y, sc, ww: _roc_auc_columns(y, sc, ww, None), indicator, s, average, w)
    if sample_weight is not None:
        raise ValueError("sample_weight is not supported for multiclass one-vs-one ROC AUC, 'sample_weight' must "
                         "be None in this case.")
    codes = np.searchsorted(classes, t)
    present = np.unique(codes)
    pair_scores, prevalence = [], []
    for a, b in combinations(present, 2):
        mask = (codes == a) | (codes == b)
        is_a = codes[mask] == a
        pair = np.stack([is_a, ~is_a], axis=1)
        aucs = _roc_auc_columns(pair, s[mask][:, [a, b]], None, None)
        pair_scores.append((aucs[0] + aucs[1]) / 2)
        prevalence.append(np.average(mask))
    return float(np.average(pair_scores, weights=prevalence if average == "weighted" else None))


def average_precision_score(y_true, y_score, *, average="macro", pos_label=1, sample_weight=None):
    """Average precision, as sklearn.metrics.average_precision_score: sum over thresholds of
    (recall increase) x precision, ties grouped.

    >>> average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.8333333333333333
    """
    func = "average_precision_score"
    _check_average(average, func)
    checks.pos_label(pos_label, func)
    if pos_label is None:
        raise checks.invalid(func, "pos_label", "an instance of 'numbers.Real', 'str' or 'bool'", pos_label)
    t = as_target(y_true, "y_true", func)
    y_type, present = _type_of_target(t)
    s = _scores(y_score, func, finite=False)
    w = checked_weight(_column(sample_weight), t, s, func=func, allow_all_zero=True)
    if y_type != BINARY:
        _check_finite(s)
    if y_type == BINARY:
        t = column(t, "y", SKLEARN)
        if present is None:
            present = _unique(t)
        if len(present) == 2 and pos_label not in present.tolist():
            raise ValueError(f"pos_label={pos_label} is not a valid label. It should be one of {present}")
        y01 = _positive_column(t, pos_label, present)
        return float(_ap_columns(y01[:, None], column(s, "y", SKLEARN)[:, None], w)[0])
    if y_type == MULTILABEL:
        if pos_label != 1:
            raise ValueError("Parameter pos_label is fixed to 1 for multilabel-indicator y_true. Do not set "
                             "pos_label or set pos_label to 1.")
        indicator = t.astype(bool)
    elif y_type == MULTICLASS:
        if pos_label != 1:
            raise ValueError("Parameter pos_label is fixed to 1 for multiclass y_true. Do not set pos_label or set "
                             "pos_label to 1.")
        t = column(t, "y", SKLEARN)
        indicator = t[:, None] == np.unique(t)[None, :]
        if s.shape != indicator.shape:
            raise ValueError("`y_score` needs to be of shape `(n_samples, n_classes)`, since `y_true` contains "
                             f"multiple classes. Got `y_score.shape={s.shape}`.")
    else:
        raise ValueError(f"{y_type} format is not supported")
    if s.shape != indicator.shape:
        raise ValueError(f"y_true and y_score have different shapes: {indicator.shape} and {s.shape}")
    return _average(_ap_columns, indicator, s, average, w)


def _binary_target(y_true, y_score, pos_label, sample_weight, func):
    """sklearn's confusion_matrix_at_thresholds inputs: 0/1 column, scores, weights, the score dtype."""
    checks.pos_label(pos_label, func)
    t = as_target(y_true, "y_true", func)
    y_type, _ = _type_of_target(t)
    if not (y_type == BINARY or (y_type == MULTICLASS and pos_label is not None)):
        raise ValueError(f"{y_type} format is not supported")
    t = column(t, "y", SKLEARN)
    raw = read(y_score, "y_score")
    s = column(_scores(y_score, func), "y", SKLEARN)
    w = checked_weight(_column(sample_weight), t, s, func=func)
    return _positive_column(t, positive_label(t, pos_label)), s, w, raw.dtype


def _roc(y01, s, w, drop_intermediate):
    thresholds, tps, fps = counts_at_every_score(y01, s, w)
    if drop_intermediate and len(fps) > 2:
        keep = np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    tps = np.r_[0.0, tps]
    fps = np.r_[0.0, fps]
    thresholds = np.r_[np.inf, thresholds]
    return _rate(fps, "negative", "false positive"), _rate(tps, "positive", "true positive"), thresholds


def _rate(counts, samples: str, rate: str):
    """Cumulative counts over their total; NaN, with sklearn's warning to _roc's caller, where that is 0."""
    if counts[-1] <= 0:
        warnings.warn(f"No {samples} samples in y_true, {rate} value should be meaningless", UndefinedMetricWarning,
                      stacklevel=4)
        return np.full(counts.shape, np.nan)
    return counts / counts[-1]


def roc_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=True):
    """Receiver operating characteristic, as sklearn.metrics.roc_curve: (fpr, tpr, thresholds),
    thresholds decreasing from inf.

    >>> fpr, tpr, thresholds = roc_curve([1, 1, 2, 2], [0.1, 0.4, 0.35, 0.8], pos_label=2)
    >>> fpr.tolist(), tpr.tolist()
    ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0])
    """
    drop_intermediate = checks.flag(drop_intermediate, "drop_intermediate", "roc_curve")
    y01, s, w, _ = _binary_target(y_true, y_score, pos_label, sample_weight, "roc_curve")
    return _roc(y01, s, w, drop_intermediate)


def precision_recall_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=False):
    """Precision-recall pairs, as sklearn.metrics.precision_recall_curve: (precision, recall,
    thresholds), thresholds increasing, with a final point (1, 0).

    >>> p, r, t = precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> r.tolist()
    [1.0, 1.0, 0.5, 0.5, 0.0]
    """
    func = "precision_recall_curve"
    drop_intermediate = checks.flag(drop_intermediate, "drop_intermediate", func)
    y01, s, w, dtype = _binary_target(y_true, y_score, pos_label, sample_weight, func)
    thresholds, tps, fps = counts_at_every_score(y01, s, w)
    if drop_intermediate and len(fps) > 2:
        keep = np.r_[True, np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:])), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    ps = tps + fps
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(ps != 0, tps / ps, 0.0)
    if tps[-1] == 0:
        warnings.warn("No positive class found in y_true, recall is set to one for all thresholds.", stacklevel=2)
        recall = np.ones_like(tps)
    else:
        recall = tps / tps[-1]
    if dtype.kind in "biuf" and dtype != np.float16:
        thresholds = thresholds.astype(dtype)
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], thresholds[::-1]
