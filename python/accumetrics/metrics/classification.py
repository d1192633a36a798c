"""sklearn.metrics' classification functions: same names, arguments, results, warnings and errors.

Every label metric counts one confusion matrix with the core (``class_counts``) and derives its
value from it: per-class true positives, predicted and true sums, as sklearn's
``multilabel_confusion_matrix`` does.
"""

from __future__ import annotations

import warnings

import numpy as np

from .._validation import check_consistent_length
from .._validation import parameters as checks
from .._validation.encoding import positive_label
from .._validation.targets import BINARY, MULTILABEL, Targets, as_target, check_targets, check_weight_sum, numeric
from .._validation.targets import sample_weight as checked_weight
from .._validation.targets import type_of_target
from ..exceptions import UndefinedMetricWarning
from ..formulas import confusion as confusion_formulas
from ..formulas import numpy_ops
from . import prf
from .class_counts import ClassConfusion, class_confusion, label_confusion, select_columns


def _one_d(targets: Targets, exact_weights: bool = False) -> ClassConfusion:
    if targets.kind == MULTILABEL:
        raise ValueError(f"{MULTILABEL} is not supported")
    return class_confusion(targets, exact_weights)


def confusion_matrix(y_true, y_pred, *, labels=None, sample_weight=None, normalize=None):
    """Confusion matrix, rows true labels and columns predicted labels, as sklearn's.

    >>> confusion_matrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2])
    array([[2, 0, 0],
           [0, 0, 1],
           [1, 0, 2]])
    """
    checks.option(normalize, "normalize", "confusion_matrix", ("true", "pred", "all"))
    targets = check_targets(y_true, y_pred, sample_weight, "confusion_matrix")
    cm = _confusion_for(_one_d(targets, exact_weights=True), labels)
    with np.errstate(all="ignore"):
        if normalize == "true":
            cm = cm / cm.sum(axis=1, keepdims=True)
        elif normalize == "pred":
            cm = cm / cm.sum(axis=0, keepdims=True)
        elif normalize == "all":
            cm = cm / cm.sum()
        cm = np.nan_to_num(cm)
    _warn_if_single(cm)
    return cm


def _warn_if_single(cm: np.ndarray) -> None:
    """sklearn warns for a 1 x 1 matrix (in every metric that goes through its confusion_matrix)."""
    if cm.shape == (1, 1):
        warnings.warn(
            "A single label was found in 'y_true' and 'y_pred'. For the confusion matrix to have the correct "
            "shape, use the 'labels' parameter to pass all known labels.",
            UserWarning,
            stacklevel=3,
        )


def _confusion_for(cc: ClassConfusion, labels) -> np.ndarray:
    """The matrix over `labels` (in their order); samples with other labels are left out."""
    if labels is None:
        return cc.matrix
    labels = np.asarray(labels).reshape(-1)
    if labels.size == 0:
        raise ValueError("'labels' should contain at least one label.")
    at, found = cc.find(labels)
    if not (found & (cc.counts.sum(axis=1)[at] > 0)).any():
        raise ValueError("At least one label specified must be in y_true")
    # A repeated label indexes its last position, as in sklearn's label-to-index dict.
    rows = np.array(sorted({int(a): i for i, a in enumerate(at) if found[i]}.values()), dtype=np.intp)
    cm = np.zeros((labels.size, labels.size), dtype=cc.matrix.dtype)
    cm[np.ix_(rows, rows)] = cc.matrix[np.ix_(at[rows], at[rows])]
    return cm


def accuracy_score(y_true, y_pred, *, normalize=True, sample_weight=None):
    """Fraction (or, with ``normalize=False``, number) of correct predictions; exact match per sample for multilabel.

    >>> accuracy_score([0, 1, 2, 3], [0, 2, 1, 3])
    0.5
    """
    normalize = checks.flag(normalize, "normalize", "accuracy_score")
    targets = check_targets(y_true, y_pred, sample_weight, "accuracy_score")
    w = targets.sample_weight
    if targets.kind == MULTILABEL:
        correct = ~(targets.y_true != targets.y_pred).any(axis=1)
        if normalize:
            return float(np.average(correct, weights=w))
        return float(np.sum(correct) if w is None else np.dot(correct, w))
    m = class_confusion(targets).matrix
    correct = np.trace(m)
    if normalize:
        check_weight_sum(w)
    return float(correct / m.sum()) if normalize else float(correct)


def balanced_accuracy_score(y_true, y_pred, *, sample_weight=None, adjusted=False):
    """Mean recall over the classes present in y_true; ``adjusted`` rescales chance to 0.

    >>> balanced_accuracy_score([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1])
    0.625
    """
    adjusted = checks.flag(adjusted, "adjusted", "balanced_accuracy_score")
    m = _one_d(check_targets(y_true, y_pred, sample_weight, "balanced_accuracy_score")).matrix
    _warn_if_single(m)
    present = np.count_nonzero(m.sum(axis=1))
    if present < m.shape[0]:
        warnings.warn("y_pred contains classes not in y_true", stacklevel=2)
    if not present:  # every weight 0: the mean of no recall
        return float("nan")
    score = np.float64(confusion_formulas.balanced_accuracy(numpy_ops, m.astype(np.float64)))
    if adjusted:  # one class present: 0 / 0, nan with numpy's RuntimeWarning, as sklearn
        chance = 1 / present
        score = (score - chance) / (1 - chance)
    return float(score)


def _multilabel_counts(targets: Targets, labels, samplewise: bool) -> np.ndarray:
    t, p = select_columns(targets.y_true, targets.y_pred, labels)
    return label_confusion(t, p, targets.sample_weight, samplewise)


def _set_wise_counts(func, y_true, y_pred, labels, pos_label, average, sample_weight):
    """tp, predicted and true sums of the labels a set-wise metric reports, and the checked sample weights.

    With ``average='samples'`` the sums are per sample (multilabel only).
    """
    checks.average(average, func)
    checks.pos_label(pos_label, func)
    targets = check_targets(y_true, y_pred, sample_weight, func)
    cc = None if targets.kind == MULTILABEL else class_confusion(targets)
    kind = MULTILABEL if cc is None else cc.kind
    if average == "binary":
        if kind != BINARY:
            options = [None, "micro", "macro", "weighted"] + (["samples"] if kind == MULTILABEL else [])
            raise ValueError(f"Target is {kind} but average='binary'. Please choose another average setting, one of {options!r}.")
        if not _contains(cc.labels, pos_label) and len(cc.labels) >= 2:
            raise ValueError(f"pos_label={pos_label} is not a valid label. It should be one of {cc.labels}")
        labels = [pos_label]
    elif pos_label not in (None, 1):
        warnings.warn(
            f"Note that pos_label (set to {pos_label!r}) is ignored when average != 'binary' (got {average!r}). "
            "You may use labels=[pos_label] to specify a single positive class.",
            UserWarning,
            stacklevel=3,
        )
    if cc is None:
        mcm = _multilabel_counts(targets, labels, samplewise=average == "samples")
        tp = mcm[:, 1, 1]
        return tp, tp + mcm[:, 0, 1], tp + mcm[:, 1, 0], targets.sample_weight
    if average == "samples":
        raise ValueError("Samplewise metrics are not available outside of multilabel classification.")
    return (*cc.per_label(labels), targets.sample_weight)


def _contains(values: np.ndarray, x) -> bool:
    if (values.dtype.kind == "U") != isinstance(x, str):
        return False
    return bool((values == x).any())


def precision_recall_fscore_support(
    y_true,
    y_pred,
    *,
    beta=1.0,
    labels=None,
    pos_label=1,
    average=None,
    warn_for=("precision", "recall", "f-score"),
    sample_weight=None,
    zero_division="warn",
):
    """Precision, recall, F-beta and support per label, or averaged (support is then None).

    >>> precision_recall_fscore_support([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average="macro")
    (0.2222222222222222, 0.3333333333333333, 0.26666666666666666, None)
    """
    func = "precision_recall_fscore_support"
    beta = checks.real(beta, "beta", func, 0.0)
    if not isinstance(warn_for, (list, tuple, set)):
        raise checks.invalid(func, "warn_for", "an instance of 'list', 'tuple' or 'set'", warn_for)
    checks.zero_division(zero_division, func)
    tp, pred, true, w = _set_wise_counts(func, y_true, y_pred, labels, pos_label, average, sample_weight)
    return prf.scores(tp, pred, true, beta=beta, average=average, warn_for=warn_for, zero_division=zero_division,
                       sample_weight=w)


def _one_score(func, which, warn_for, y_true, y_pred, beta, labels, pos_label, average, sample_weight, zero_division):
    beta = checks.real(beta, "beta", func, 0.0)
    checks.zero_division(zero_division, func)
    tp, pred, true, w = _set_wise_counts(func, y_true, y_pred, labels, pos_label, average, sample_weight)
    result = prf.scores(tp, pred, true, beta=beta, average=average, warn_for=warn_for, zero_division=zero_division,
                         sample_weight=w)
    return result[which]


def precision_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None, zero_division="warn"):
    """tp / (tp + fp).

    >>> precision_score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average="micro")
    0.3333333333333333
    """
    return _one_score("precision_score", 0, ("precision",), y_true, y_pred, 1.0, labels, pos_label, average,
                      sample_weight, zero_division)


def recall_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None, zero_division="warn"):
    """tp / (tp + fn).

    >>> recall_score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average="macro")
    0.3333333333333333
    """
    return _one_score("recall_score", 1, ("recall",), y_true, y_pred, 1.0, labels, pos_label, average,
                      sample_weight, zero_division)


def fbeta_score(y_true, y_pred, *, beta, labels=None, pos_label=1, average="binary", sample_weight=None,
                zero_division="warn"):
    """(1 + beta²) tp / ((1 + beta²) tp + beta² fn + fp).

    >>> round(fbeta_score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average="macro", beta=0.5), 6)
    0.238095
    """
    return _one_score("fbeta_score", 2, ("f-score",), y_true, y_pred, beta, labels, pos_label, average,
                      sample_weight, zero_division)


def f1_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None, zero_division="warn"):
    """Harmonic mean of precision and recall: 2 tp / (2 tp + fp + fn).

    >>> f1_score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average="macro")
    0.26666666666666666
    """
    return _one_score("f1_score", 2, ("f-score",), y_true, y_pred, 1.0, labels, pos_label, average,
                      sample_weight, zero_division)


def jaccard_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None,
                  zero_division="warn"):
    """tp / (tp + fp + fn) per label, or averaged.

    >>> jaccard_score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average=None)
    array([0.66666667, 0.        , 0.        ])
    """
    checks.zero_division(zero_division, "jaccard_score", allow_nan=False)
    tp, pred, true, w = _set_wise_counts("jaccard_score", y_true, y_pred, labels, pos_label, average, sample_weight)
    numerator, denominator = tp, pred + true - tp
    if average == "micro":
        numerator, denominator = np.reshape(np.sum(numerator), (1,)), np.reshape(np.sum(denominator), (1,))
    jaccard = prf.divide(numerator, denominator, "jaccard", "true or predicted", average, ("jaccard",), zero_division)
    if average is None:
        return jaccard
    weights = None
    if average == "weighted":
        weights = true if np.any(true) else None
    elif average == "samples":
        weights = w
    return float(np.average(jaccard, weights=weights))


def matthews_corrcoef(y_true, y_pred, *, sample_weight=None):
    """Matthews correlation coefficient (phi), multiclass as Gorodkin's R_K; 0.0 where undefined.

    >>> matthews_corrcoef([+1, +1, +1, -1], [+1, -1, +1, +1])
    -0.3333333333333333
    """
    m = _one_d(check_targets(y_true, y_pred, sample_weight, "matthews_corrcoef")).matrix
    _warn_if_single(m)
    return float(confusion_formulas.matthews_corrcoef(numpy_ops, m.astype(np.float64)))


def cohen_kappa_score(y1, y2, *, labels=None, weights=None, sample_weight=None, replace_undefined_by=np.nan):
    """Cohen's kappa of two annotators, optionally with linear or quadratic disagreement weights.

    >>> cohen_kappa_score(["neg", "pos", "neg", "neu", "pos"], ["neg", "pos", "neg", "neu", "neg"])
    0.6875
    """
    func = "cohen_kappa_score"
    checks.option(weights, "weights", func, ("linear", "quadratic"))
    if not (isinstance(replace_undefined_by, (int, float, np.floating)) and not isinstance(replace_undefined_by, bool)
            and (np.isnan(replace_undefined_by) or -1 <= replace_undefined_by <= 1)):
        raise checks.invalid(func, "replace_undefined_by", "a float in the range [-1.0, 1.0] or nan", replace_undefined_by)
    targets = check_targets(y1, y2, sample_weight, func)
    try:
        confusion = _confusion_for(_one_d(targets), labels).astype(np.float64)
    except ValueError as e:
        if "At least one label specified must be in y_true" in str(e):
            raise ValueError(
                "At least one label in `labels` must be present in `y1` (even though `cohen_kappa_score` is "
                "otherwise agnostic to the order of `y1` and `y2`)."
            ) from e
        raise
    _warn_if_single(confusion)
    if confusion.sum(axis=0).sum() == 0:
        warnings.warn(
            "`y2` contains no labels that are present in both `y1` and `labels`.`cohen_kappa_score` is undefined "
            "and set to the value defined by the `replace_undefined_by` param, which is set to "
            f"{replace_undefined_by}.",
            UndefinedMetricWarning,
            stacklevel=2,
        )
        return replace_undefined_by
    kappa = confusion_formulas.cohen_kappa(numpy_ops, confusion,
                                           confusion_formulas.kappa_weights(confusion.shape[0], weights))
    if np.isnan(kappa):
        warnings.warn(
            "`y1`, `y2` and `labels` have only one label in common. `cohen_kappa_score` is undefined and set to "
            f"the value defined by the the `replace_undefined_by` param, which is set to {replace_undefined_by}.",
            UndefinedMetricWarning,
            stacklevel=2,
        )
        return replace_undefined_by
    return float(kappa)


def hamming_loss(y_true, y_pred, *, sample_weight=None):
    """Fraction of labels predicted wrongly (per label for multilabel indicators).

    >>> hamming_loss([1, 2, 3, 4], [2, 2, 3, 4])
    0.25
    """
    targets = check_targets(y_true, y_pred, sample_weight, "hamming_loss")
    w = targets.sample_weight
    if targets.kind == MULTILABEL:
        n, width = targets.y_true.shape
        mcm = label_confusion(targets.y_true, targets.y_pred, w)
        differences = mcm[:, 0, 1].sum() + mcm[:, 1, 0].sum()
        return float(differences) / (n * width * (1.0 if w is None else np.average(w)))
    check_weight_sum(w)
    m = class_confusion(targets).matrix
    wrong = m[~np.eye(m.shape[0], dtype=bool)].sum()
    return float(wrong / m.sum())


def top_k_accuracy_score(y_true, y_score, *, k=2, normalize=True, sample_weight=None, labels=None):
    """Fraction of samples whose true label is among the k highest scores (ties: higher label index first).

    >>> top_k_accuracy_score([0, 1, 2, 2], [[0.5, 0.2, 0.2], [0.3, 0.4, 0.2], [0.2, 0.4, 0.3], [0.7, 0.2, 0.1]], k=2)
    0.75
    """
    func = "top_k_accuracy_score"
    k = checks.integer(k, "k", func, 1)
    normalize = checks.flag(normalize, "normalize", func)
    t = as_target(y_true, "y_true", func)
    if t.ndim == 2 and t.shape[1] == 1:
        t = t[:, 0]
    if t.ndim != 1:
        raise ValueError(f"y should be a 1d array, got an array of shape {t.shape} instead.")
    y_type = type_of_target(t, "y_true")
    if y_type == BINARY and labels is not None and len(labels) > 2:
        y_type = "multiclass"
    if y_type not in (BINARY, "multiclass"):
        raise ValueError(f"y type must be 'binary' or 'multiclass', got '{y_type}' instead.")
    score = numeric(y_score, "y_score")
    if y_type == BINARY:
        if score.ndim == 2 and score.shape[1] != 1:
            raise ValueError(
                f"`y_true` is binary while y_score is 2d with {score.shape[1]} classes. If `y_true` does not "
                "contain all the labels, `labels` must be provided."
            )
        score = score.reshape(-1) if score.ndim == 2 else score
    elif score.ndim != 2:
        raise ValueError(
            "`y_score` needs to be of shape `(n_samples, n_classes)`, since `y_true` contains multiple classes. "
            f"Got `y_score.shape={score.shape}`."
        )
    check_consistent_length(t, score)
    w = checked_weight(sample_weight, t, score, func=func, allow_all_zero=True)
    score_classes = score.shape[1] if score.ndim == 2 else 2
    if labels is None:
        classes = np.unique(t)
        if len(classes) != score_classes:
            raise ValueError(
                f"Number of classes in 'y_true' ({len(classes)}) not equal to the number of classes in 'y_score' "
                f"({score_classes}).You can provide a list of all known classes by assigning it to the `labels` "
                "parameter."
            )
    else:
        labels = np.asarray(labels).reshape(-1)
        classes = np.unique(labels)
        if len(classes) != len(labels):
            raise ValueError("Parameter 'labels' must be unique.")
        if not np.array_equal(classes, labels):
            raise ValueError("Parameter 'labels' must be ordered.")
        if len(classes) != score_classes:
            raise ValueError(
                f"Number of given labels ({len(classes)}) not equal to the number of classes in 'y_score' "
                f"({score_classes})."
            )
        if len(np.setdiff1d(t, classes)):
            raise ValueError("'y_true' contains labels not in parameter 'labels'.")
    if k >= len(classes):
        warnings.warn(
            f"'k' ({k}) greater than or equal to 'n_classes' ({len(classes)}) will result in a perfect score and "
            "is therefore meaningless.",
            UndefinedMetricWarning,
            stacklevel=2,
        )
    codes = np.searchsorted(classes, t)
    if y_type == BINARY:
        if k == 1:
            threshold = 0.5 if score.min() >= 0 and score.max() <= 1 else 0
            hits = (score > threshold).astype(np.int64) == codes
        else:
            hits = np.ones(score.shape, dtype=bool)
    else:
        # Rank of the true class in a stable descending sort: higher scores, then equal scores of higher index.
        true_score = np.take_along_axis(score, codes[:, None], axis=1)
        ahead = (score > true_score).sum(axis=1)
        ahead += ((score == true_score) & (np.arange(score.shape[1]) > codes[:, None])).sum(axis=1)
        hits = ahead < k
    if normalize:
        return float(np.average(hits, weights=w))
    return float(np.sum(hits) if w is None else np.dot(hits, w))


def _one_hot(y_true: np.ndarray, labels, probabilities: np.ndarray):
    """sklearn's LabelBinarizer encoding of y_true as (n_samples, n_classes) against y_prob's columns."""
    if probabilities.max() > 1:
        raise ValueError(f"y_prob contains values greater than 1: {probabilities.max()}")
    if probabilities.min() < 0:
        raise ValueError(f"y_prob contains values lower than 0: {probabilities.min()}")
    if y_true.ndim == 2 and y_true.shape[1] > 1:
        if type_of_target(y_true, "y_true") != MULTILABEL:
            raise ValueError("Multioutput target data is not supported with label binarization")
        classes = np.arange(y_true.shape[1]) if labels is None else np.unique(labels)
        encoded = (y_true != 0).astype(np.int64)
    else:
        y_true = y_true.reshape(-1)
        if labels is not None:
            given, labels = labels, np.asarray(labels)  # messages show the labels as given, as sklearn's
            classes = np.unique(labels)
            if classes.shape != labels.shape or not np.all(classes == labels):
                warnings.warn(
                    f"Labels passed were {given}. But this function assumes labels are ordered lexicographically. "
                    f"Pass the ordered labels={classes.tolist()} and ensure that the columns of y_prob correspond "
                    "to this ordering.",
                    UserWarning,
                    stacklevel=3,
                )
            if not np.isin(y_true, labels).all():
                raise ValueError(
                    f"y_true contains values {set(y_true.tolist()) - set(labels.tolist())} not belonging to the "
                    f"passed labels {given}."
                )
        else:
            classes = np.unique(y_true)
        if classes.shape[0] == 1:
            if labels is None:
                raise ValueError(
                    f"y_true contains only one label ({classes[0]}). Please provide the list of all expected class "
                    "labels explicitly through the labels argument."
                )
            raise ValueError(f"The labels array needs to contain at least two labels, got {classes}.")
        encoded = (y_true[:, None] == classes[None, :]).astype(np.int64)
    if probabilities.ndim == 1:
        probabilities = probabilities[:, None]
    if probabilities.shape[1] == 1:
        probabilities = np.concatenate([1 - probabilities, probabilities], axis=1)
    eps = np.finfo(probabilities.dtype).eps
    if not np.allclose(probabilities.sum(axis=1), 1, rtol=np.sqrt(eps), atol=0):
        warnings.warn("The y_prob values do not sum to one. Make sure to pass probabilities.", UserWarning, stacklevel=3)
    if classes.shape[0] != probabilities.shape[1]:
        if labels is None:
            raise ValueError(
                f"y_true and y_prob contain different number of classes: {encoded.shape[1]} vs "
                f"{probabilities.shape[1]}. Please provide the true labels explicitly through the labels argument. "
                f"Classes found in y_true: {classes}"
            )
        raise ValueError(
            f"The number of classes in labels is different from that in y_prob. Classes found in labels: {classes}"
        )
    return encoded, probabilities


def log_loss(y_true, y_proba=None, *, normalize=True, sample_weight=None, labels=None, y_pred="deprecated"):
    """Mean negative log-likelihood of the true labels under ``y_proba`` (clipped to [eps, 1 - eps]).

    >>> round(log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]), 5)
    0.21616
    """
    y_proba = checks.renamed_y_proba(y_proba, y_pred)
    normalize = checks.flag(normalize, "normalize", "log_loss")
    proba = numeric(y_proba, "y_proba")
    t = as_target(y_true, "y_true", "log_loss")
    check_consistent_length(proba, t)
    w = checked_weight(sample_weight, proba, t, func="log_loss")
    encoded, proba = _one_hot(t, labels, proba)
    eps = np.finfo(proba.dtype).eps
    proba = np.clip(proba, eps, 1 - eps)
    encoded = encoded.astype(proba.dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(encoded == 0, proba.dtype.type(0), encoded * np.log(proba))
    loss = -np.sum(terms, axis=1)
    if normalize:
        return float(np.average(loss, weights=w))
    return float(np.sum(loss) if w is None else np.dot(loss, w))


def brier_score_loss(y_true, y_proba, *, sample_weight=None, pos_label=None, labels=None, scale_by_half="auto"):
    """Mean squared difference between predicted probabilities and the one-hot outcome.

    Binary (1-D ``y_proba``) or multiclass (one column per label); halved for binary by default.

    >>> round(brier_score_loss([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]), 6)
    0.0375
    """
    func = "brier_score_loss"
    checks.pos_label(pos_label, func)
    if not (isinstance(scale_by_half, (bool, np.bool_)) or (isinstance(scale_by_half, str) and scale_by_half == "auto")):
        raise checks.invalid(func, "scale_by_half", "an instance of 'bool' or a str among {'auto'}", scale_by_half)
    proba = numeric(y_proba, "y_proba")
    t = as_target(y_true, "y_true", func)
    if proba.ndim == 1 or proba.shape[1] == 1:
        if t.ndim == 2 and t.shape[1] == 1:
            t = t[:, 0]
        if t.ndim != 1:
            raise ValueError(f"y should be a 1d array, got an array of shape {t.shape} instead.")
        proba = proba.reshape(-1)
        w = checked_weight(sample_weight, proba, t, func=func)
        y_type = type_of_target(t, "y_true")
        if y_type != BINARY:
            raise ValueError(
                f"The type of the target inferred from y_true is {y_type} but should be binary according to the "
                "shape of y_prob."
            )
        if proba.max() > 1:
            raise ValueError(f"y_prob contains values greater than 1: {proba.max()}")
        if proba.min() < 0:
            raise ValueError(f"y_prob contains values less than 0: {proba.min()}")
        positive = (t == positive_label(t, pos_label, otherwise="largest")).astype(np.int64)
        encoded = np.stack([1 - positive, positive], axis=1)
        proba = np.stack([1 - proba, proba], axis=1)
    else:
        w = checked_weight(sample_weight, proba, t, func=func)
        encoded, proba = _one_hot(t, labels, proba)
    encoded = encoded.astype(proba.dtype)
    score = np.average(np.sum((encoded - proba) ** 2, axis=1), weights=w)
    if scale_by_half == "auto":
        scale_by_half = proba.shape[1] < 3
    if scale_by_half:
        score *= 0.5
    return float(score)

