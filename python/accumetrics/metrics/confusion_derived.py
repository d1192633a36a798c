"""sklearn.metrics' multilabel confusion matrix, zero-one loss and class likelihood ratios,
from the one confusion matrix the core counts (``_confusion``)."""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from .._validation import num_samples
from .._validation import parameters as checks
from .._validation.targets import MULTILABEL, as_target, check_targets
from ..exceptions import UndefinedMetricWarning
from .class_counts import class_confusion
from .classification import _confusion_for, _multilabel_counts, _warn_if_single, accuracy_score


def multilabel_confusion_matrix(y_true, y_pred, *, sample_weight=None, labels=None, samplewise=False):
    """One 2 x 2 matrix [[tn, fp], [fn, tp]] per label (or per sample), as sklearn's multilabel_confusion_matrix.

    >>> multilabel_confusion_matrix(["cat", "ant", "cat"], ["ant", "ant", "cat"], labels=["ant", "cat"]).tolist()
    [[[1, 1], [0, 1]], [[1, 0], [1, 1]]]
    """
    func = "multilabel_confusion_matrix"
    samplewise = checks.flag(samplewise, "samplewise", func)
    targets = check_targets(y_true, y_pred, sample_weight, func)
    if targets.kind == MULTILABEL:
        mcm = _multilabel_counts(targets, labels, samplewise)
        if samplewise and targets.weight_is_integer:  # integer weights times counts, as sklearn's
            return np.rint(mcm).astype(np.int64)
        return mcm
    if samplewise:
        raise ValueError("Samplewise metrics are not available outside of multilabel classification.")
    cc = class_confusion(targets)
    tp, pred, true = cc.per_label(None if labels is None else np.asarray(labels).reshape(-1))
    fp, fn = pred - tp, true - tp
    total = cc.matrix.sum()
    tn = total - tp - fp - fn
    return np.stack([tn, fp, fn, tp], axis=-1).reshape(-1, 2, 2)


def zero_one_loss(y_true, y_pred, *, normalize=True, sample_weight=None):
    """Fraction (or, with ``normalize=False``, weighted number) of misclassified samples; for multilabel
    indicators a sample is misclassified unless every label is right. As sklearn.metrics.zero_one_loss.

    >>> zero_one_loss([1, 2, 3, 4], [2, 2, 3, 4])
    0.25
    """
    score = accuracy_score(y_true, y_pred, normalize=normalize, sample_weight=sample_weight)
    if normalize:
        return 1 - score
    n = num_samples(as_target(y_true, "y_true", "zero_one_loss")) if sample_weight is None else np.sum(sample_weight)
    return float(n - score)


_LR_MESSAGE = (
    "The dictionary passed as `replace_undefined_by` needs to be in the form `{{'LR+': `value_1`, 'LR-': "
    "`value_2`}}` where the value for `LR+` ranges from `1.0` to `np.inf` or is `np.nan` and the value for `LR-` "
    "ranges from `0.0` to `1.0` or is `np.nan`; got `{}`."
)


def _undefined_values(replace_undefined_by) -> tuple[float, float]:
    """(LR+, LR-) to report where each ratio is undefined."""
    func = "class_likelihood_ratios"
    if isinstance(replace_undefined_by, dict):
        given = replace_undefined_by
        if "LR+" not in given or "LR-" not in given:
            raise ValueError(_LR_MESSAGE.format(given))
        positive, negative = given["LR+"], given["LR-"]
        numbers_ok = all(isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_)) for x in (positive, negative))
        if not numbers_ok or not (np.isnan(positive) or positive >= 1) or not (np.isnan(negative) or 0 <= negative <= 1):
            raise ValueError(_LR_MESSAGE.format(given))
        return float(positive), float(negative)
    if (isinstance(replace_undefined_by, numbers.Real) and not isinstance(replace_undefined_by, (bool, np.bool_))
            and (replace_undefined_by == 1.0 or np.isnan(replace_undefined_by))):
        return (1.0, 1.0) if replace_undefined_by == 1.0 else (np.nan, np.nan)
    raise checks.invalid(func, "replace_undefined_by", "a float among {1.0, nan} or an instance of 'dict'",
                         replace_undefined_by)


def class_likelihood_ratios(y_true, y_pred, *, labels=None, sample_weight=None, replace_undefined_by=np.nan):
    """Positive and negative likelihood ratios (LR+, LR-) of a binary classification, as sklearn's.

    LR+ = sensitivity / (1 - specificity), LR- = (1 - sensitivity) / specificity.

    >>> class_likelihood_ratios([0, 1, 0, 1, 0], [1, 1, 0, 0, 0])
    (1.5, 0.75)
    """
    undefined_positive, undefined_negative = _undefined_values(replace_undefined_by)
    targets = check_targets(y_true, y_pred, sample_weight, "class_likelihood_ratios")
    kind = MULTILABEL if targets.kind == MULTILABEL else class_confusion(targets).kind
    if kind != "binary":
        raise ValueError(f"class_likelihood_ratios only supports binary classification problems, got targets of type: "
                         f"{kind}")
    cm = _confusion_for(class_confusion(targets), labels)
    if targets.sample_weight is not None and targets.weight_is_integer:
        cm = np.rint(cm).astype(np.int64)
    _warn_if_single(cm)
    tn, fp, fn, tp = cm.ravel()
    support_pos, support_neg = tp + fn, tn + fp
    if support_pos == 0:
        warnings.warn(
            "No samples of the positive class are present in `y_true`. `positive_likelihood_ratio` and "
            "`negative_likelihood_ratio` are both set to `np.nan`. Use the `replace_undefined_by` param to control "
            "this behavior. To suppress this warning or turn it into an error, see Python's `warnings` module and "
            "`warnings.catch_warnings()`.",
            UndefinedMetricWarning,
            stacklevel=2,
        )
    if fp == 0:
        start = ("No samples were predicted for the positive class and `positive_likelihood_ratio` is " if tp == 0
                 else "`positive_likelihood_ratio` is ill-defined and ")
        warnings.warn(start + "set to `np.nan`. Use the `replace_undefined_by` param to ", UndefinedMetricWarning,
                      stacklevel=2)
        positive = undefined_positive
    else:
        positive = (tp * support_neg) / (fp * support_pos)
    if tn == 0:
        warnings.warn(
            "`negative_likelihood_ratio` is ill-defined and set to `np.nan`. Use the `replace_undefined_by` param to "
            "control this behavior. To suppress this warning or turn it into an error, see Python's `warnings` module "
            "and `warnings.catch_warnings()`.",
            UndefinedMetricWarning,
            stacklevel=2,
        )
        negative = undefined_negative
    else:
        negative = (fn * support_neg) / (tn * support_pos)
    return float(positive), float(negative)
