"""classification_report: sklearn's text (or dict) from one count of the labels."""

from __future__ import annotations

import warnings

import numpy as np

from .._validation import parameters as checks
from .._validation.targets import MULTILABEL, check_targets
from . import prf
from .class_counts import class_confusion, label_confusion, select_columns

_HEADERS = ["precision", "recall", "f1-score", "support"]


def classification_report(
    y_true,
    y_pred,
    *,
    labels=None,
    target_names=None,
    sample_weight=None,
    digits=2,
    output_dict=False,
    zero_division="warn",
):
    """Text report of precision, recall, F1 and support per label, and their averages.

    >>> print(classification_report([0, 1, 2, 2, 2], [0, 0, 2, 2, 1], target_names=["class 0", "class 1", "class 2"]))
                  precision    recall  f1-score   support
    <BLANKLINE>
         class 0       0.50      1.00      0.67         1
         class 1       0.00      0.00      0.00         1
         class 2       1.00      0.67      0.80         3
    <BLANKLINE>
        accuracy                           0.60         5
       macro avg       0.50      0.56      0.49         5
    weighted avg       0.70      0.60      0.61         5
    <BLANKLINE>
    """
    func = "classification_report"
    digits = checks.integer(digits, "digits", func, 0)
    output_dict = checks.flag(output_dict, "output_dict", func)
    checks.zero_division(zero_division, func)
    targets = check_targets(y_true, y_pred, sample_weight, func)
    w = targets.sample_weight
    labels_given = labels is not None
    cc = None
    if targets.kind == MULTILABEL:
        labels = np.asarray(labels) if labels_given else np.arange(targets.y_true.shape[1])
        yt, yp = select_columns(targets.y_true, targets.y_pred, labels if labels_given else None)
        mcm = label_confusion(yt, yp, w)
        tp, pred, true = mcm[:, 1, 1], mcm[:, 1, 1] + mcm[:, 0, 1], mcm[:, 1, 1] + mcm[:, 1, 0]
        micro_is_accuracy = False
        averages = ("micro", "macro", "weighted", "samples")
    else:
        cc = class_confusion(targets)
        labels = np.asarray(labels) if labels_given else cc.labels
        tp, pred, true = cc.per_label(labels)
        micro_is_accuracy = not labels_given or set(labels.tolist()) >= set(cc.labels.tolist())
        averages = ("micro", "macro", "weighted")
    if w is not None:
        tp, true = _sums_in_sample_order(targets, labels, cc, (yt, yp) if cc is None else None)

    if target_names is not None and len(labels) != len(target_names):
        if labels_given:
            warnings.warn(f"labels size, {len(labels)}, does not match size of target_names, {len(target_names)}", stacklevel=2)
        else:
            raise ValueError(
                f"Number of classes, {len(labels)}, does not match size of target_names, {len(target_names)}. "
                "Try specifying the labels parameter"
            )
    if target_names is None:
        target_names = ["%s" % label for label in labels]

    def scores(average):
        return prf.scores(tp, pred, true, beta=1.0, average=average, warn_for=("precision", "recall", "f-score"),
                           zero_division=zero_division, sample_weight=w)

    p, r, f1, s = scores(None)
    rows = zip(target_names, p, r, f1, s)
    if output_dict:
        report = {row[0]: dict(zip(_HEADERS, [float(x) for x in row[1:]])) for row in rows}
    else:
        width = max(max(len(name) for name in target_names), len("weighted avg"), digits)
        text = ("{:>{width}s} " + " {:>9}" * len(_HEADERS)).format("", *_HEADERS, width=width) + "\n\n"
        row_fmt = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
        for row in rows:
            text += row_fmt.format(*row, width=width, digits=digits)
        text += "\n"
    for average in averages:
        heading = "accuracy" if average == "micro" and micro_is_accuracy else average + " avg"
        if average == "samples":
            mcm = label_confusion(yt, yp, w, samplewise=True)
            stp = mcm[:, 1, 1]
            avg = list(prf.scores(stp, stp + mcm[:, 0, 1], stp + mcm[:, 1, 0], beta=1.0, average=average,
                                   warn_for=("precision", "recall", "f-score"), zero_division=zero_division,
                                   sample_weight=w)[:3])
        else:
            avg = list(scores(average)[:3])
        avg.append(np.sum(s))
        if output_dict:
            report[heading] = dict(zip(_HEADERS, [float(x) for x in avg]))
        elif heading == "accuracy":
            fmt = "{:>{width}s} " + " {:>9.{digits}}" * 2 + " {:>9.{digits}f}" + " {:>9}\n"
            text += fmt.format(heading, "", "", *avg[2:], width=width, digits=digits)
        else:
            text += row_fmt.format(heading, *avg, width=width, digits=digits)
    if output_dict:
        if "accuracy" in report:
            report["accuracy"] = report["accuracy"]["precision"]
        return report
    return text


def _sums_in_sample_order(targets, labels, cc, indicators) -> tuple[np.ndarray, np.ndarray]:
    """Weighted tp and support added up sample by sample, as sklearn's bincount does, so that the
    printed supports agree to the bit. The support is tp + fn with fn = true - tp, as in sklearn."""
    w = targets.sample_weight
    if targets.kind == MULTILABEL:
        yt, yp = indicators
        rows, cols = np.nonzero(yt)
        true = np.bincount(cols, weights=w[rows], minlength=len(labels))
        rows, cols = np.nonzero((yt != 0) & (yp != 0))
        tp = np.bincount(cols, weights=w[rows], minlength=len(labels))
    else:
        size = len(cc.labels)
        codes = np.searchsorted(cc.labels, targets.y_true)
        right = codes == np.searchsorted(cc.labels, targets.y_pred)
        true = np.bincount(codes, weights=w, minlength=size)
        tp = np.bincount(codes[right], weights=w[right], minlength=size)
        at, found = cc.find(labels)
        true, tp = np.where(found, true[at], 0.0), np.where(found, tp[at], 0.0)
    # np.bincount returns integers when it is given no sample at all, weights or not.
    tp, true = tp.astype(np.float64), true.astype(np.float64)
    return tp, tp + (true - tp)
