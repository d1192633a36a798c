"""Plots of metric results with matplotlib: ROC and precision-recall curves, confusion-matrix heatmap,
reliability diagram, per-slice bars.

Each function draws on ``ax`` when given, else on a new ``matplotlib.figure.Figure`` (not pyplot:
no global state, no display needed), and returns the Axes; ``save`` writes its figure to a file.

>>> import accumetrics as am
>>> from accumetrics import plot
>>> cm = am.ConfusionMatrix(3).update([0, 1, 2, 2], [0, 2, 2, 1])
>>> ax = plot.confusion_matrix(cm.result(), ["cat", "dog", "fox"])
>>> plot.save(ax, "confusion.png")  # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np


def _figure(figsize):
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError("plots need matplotlib: pip install 'accumetrics[plot]'") from None
    return Figure(figsize=figsize, layout="constrained")


def _axes(ax, figsize=(5.0, 4.5)):
    return ax if ax is not None else _figure(figsize).add_subplot()


def save(ax_or_figure, path: str, dpi: int = 120) -> str:
    """Write the figure of an Axes (or a Figure) to ``path``; the format follows the file name."""
    fig = getattr(ax_or_figure, "figure", ax_or_figure)
    fig.savefig(path, dpi=dpi)
    return path


def _ratio(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1), np.nan)


def roc_curve(fpr, tpr, *, label: str | None = None, ax=None):
    """A ROC curve: false positive rate against true positive rate, with the chance diagonal."""
    ax = _axes(ax)
    fpr, tpr = np.asarray(fpr, np.float64), np.asarray(tpr, np.float64)
    order = np.lexsort((tpr, fpr))
    ax.plot(fpr[order], tpr[order], label=label, lw=1.5)
    if not any(line.get_label() == "chance" for line in ax.get_lines()):
        ax.plot([0, 1], [0, 1], ls=":", c="0.6", lw=1, label="chance")
    ax.set(xlim=(-0.01, 1.01), ylim=(-0.01, 1.01), xlabel="false positive rate", ylabel="true positive rate",
           title="ROC curve")
    ax.set_aspect("equal")
    if label is not None:
        _legend(ax, "lower right")
    return ax


def _legend(ax, loc: str) -> None:
    """The legend with the curves first and the reference lines (chance) last."""
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: labels[i] == "chance")
    ax.legend([handles[i] for i in order], [labels[i] for i in order], loc=loc, fontsize="small")


def precision_recall_curve(precision, recall, *, label: str | None = None, ax=None):
    """A precision-recall curve (recall on x)."""
    ax = _axes(ax)
    precision, recall = np.asarray(precision, np.float64), np.asarray(recall, np.float64)
    keep = ~np.isnan(precision) & ~np.isnan(recall)
    order = np.lexsort((-precision[keep], recall[keep]))
    ax.plot(recall[keep][order], precision[keep][order], label=label, lw=1.5, drawstyle="steps-post")
    ax.set(xlim=(-0.01, 1.01), ylim=(-0.01, 1.01), xlabel="recall", ylabel="precision",
           title="Precision-recall curve")
    if label is not None:
        _legend(ax, "lower left")
    return ax


def _curves(counts, labels):
    """(label, tp, fp, tn, fn) per curve from ThresholdCounts.result() of shape (T,) or (L, T)."""
    tp, fp, tn, fn = (np.atleast_2d(np.asarray(counts[k], np.float64)) for k in ("tp", "fp", "tn", "fn"))
    if labels is None:
        labels = [None] if len(tp) == 1 else [str(i) for i in range(len(tp))]
    return zip(labels, tp, fp, tn, fn)


def _with_values(labels, values, name: str):
    if values is None:
        return labels
    labels = [None] * len(values) if labels is None else list(labels)
    return [f"{label + ', ' if label else ''}{name} {v:.4f}" for label, v in zip(labels, values)]


def roc_curve_from_counts(counts, labels=None, *, roc_auc=None, ax=None):
    """ROC curves from ``ThresholdCounts.result()`` (one per label for multilabel counts).

    ``roc_auc`` (one value per curve, e.g. the exact ones of ``BinnedAUC``) goes into the legend.
    """
    ax = _axes(ax)
    for label, tp, fp, tn, fn in _curves(counts, _with_values(labels, roc_auc, "AUC")):
        fpr = np.concatenate([[0.0], _ratio(fp, fp + tn), [1.0]])
        tpr = np.concatenate([[0.0], _ratio(tp, tp + fn), [1.0]])
        roc_curve(fpr, tpr, label=label, ax=ax)
    return ax


def precision_recall_curve_from_counts(counts, labels=None, *, average_precision=None, ax=None):
    """Precision-recall curves from ``ThresholdCounts.result()``; ``average_precision`` goes into the legend."""
    ax = _axes(ax)
    for label, tp, fp, _, fn in _curves(counts, _with_values(labels, average_precision, "AP")):
        precision_recall_curve(_ratio(tp, tp + fp), _ratio(tp, tp + fn), label=label, ax=ax)
    return ax


def confusion_matrix(matrix, labels=None, *, normalize: bool = True, ax=None):
    """A heatmap of a confusion matrix (rows true, columns predicted), colored by the share of each row.

    Cells are annotated with their counts (or sums of weights) when the matrix is at most 20 x 20.
    """
    m = np.asarray(matrix, np.float64)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(f"matrix has shape {m.shape}; a square (C, C) matrix is expected")
    k = m.shape[0]
    labels = [str(i) for i in range(k)] if labels is None else [str(x) for x in labels]
    if len(labels) != k:
        raise ValueError(f"{len(labels)} labels for a {k} x {k} matrix")
    size = min(max(4.0, 0.45 * k + 2), 14.0)
    ax = _axes(ax, (size + 1, size))
    shown = _ratio(m, m.sum(axis=1, keepdims=True)) if normalize else m
    image = ax.imshow(np.nan_to_num(shown), cmap="Blues", vmin=0, vmax=1 if normalize else None)
    ax.figure.colorbar(image, ax=ax, label="share of the true class" if normalize else "count")
    ticks = np.arange(k)
    ax.set_xticks(ticks, labels, rotation=90 if k > 8 else 0)
    ax.set_yticks(ticks, labels)
    ax.set(xlabel="predicted", ylabel="true", title="Confusion matrix")
    if k <= 20:
        whole = np.all(m == np.round(m))
        for i in range(k):
            for j in range(k):
                dark = np.nan_to_num(shown[i, j]) > 0.6 * (1 if normalize else np.nanmax(shown) or 1)
                ax.text(j, i, f"{m[i, j]:.0f}" if whole else f"{m[i, j]:.3g}", ha="center", va="center",
                        fontsize="small" if k <= 10 else "x-small", color="white" if dark else "black")
    return ax


def reliability_diagram(mean_predicted, fraction_positive, counts=None, *, label: str | None = None, ax=None):
    """Calibration: the fraction of positives against the mean predicted probability per bin.

    With ``counts`` (samples per bin), a histogram of the bins is drawn underneath.
    """
    ax = _axes(ax)
    x, y = np.asarray(mean_predicted, np.float64), np.asarray(fraction_positive, np.float64)
    keep = ~np.isnan(x) & ~np.isnan(y)
    ax.plot([0, 1], [0, 1], ls=":", c="0.6", lw=1, label="perfectly calibrated")
    ax.plot(x[keep], y[keep], marker="o", ms=4, lw=1.5, label=label or "model")
    if counts is not None:
        c = np.asarray(counts, np.float64)[keep]
        twin = ax.twinx()
        twin.bar(x[keep], c, width=0.8 / max(len(c), 1), alpha=0.25, color="C0")
        twin.set_ylabel("samples per bin")
        twin.set_ylim(0, c.max() * 4 if c.size and c.max() > 0 else 1)
    ax.set(xlim=(-0.01, 1.01), ylim=(-0.01, 1.01), xlabel="mean predicted probability",
           ylabel="fraction of positives", title="Reliability diagram")
    ax.legend(loc="upper left", fontsize="small")
    return ax


def slice_bars(names, values, *, metric: str = "", errors=None, interval: str | None = None, ax=None,
               max_slices: int = 40, digits: int = 4):
    """A horizontal bar per slice, its value written on it; ``errors`` (half-widths, or (2, S) distances
    below and above) draw error bars, ``interval`` says what they are in the title.

    The value axis spans the values (and intervals), not 0 to the largest, so that close values
    stay apart; with more than ``max_slices`` slices, the first ``max_slices`` are drawn.
    """
    names, values = [str(n) for n in names], np.asarray(values, np.float64)
    if len(names) != len(values):
        raise ValueError(f"{len(names)} slice names for {len(values)} values")
    shown = min(len(names), max_slices)
    ax = _axes(ax, (6.5, min(max(2.5, 0.3 * shown + 1.4), 14.0)))
    err = None if errors is None else np.asarray(errors, np.float64)[..., :shown]
    v = values[:shown]
    positions = np.arange(shown)
    below, above = (np.zeros(shown), np.zeros(shown)) if err is None else (err, err) if err.ndim == 1 else err
    low, high = np.nanmin(v - below) if shown else 0.0, np.nanmax(v + above) if shown else 1.0
    pad = max((high - low) * 0.15, abs(high) * 1e-3, 1e-6)
    start = low - pad
    if low >= 0 and start < 0:
        start = 0.0
    bars = ax.barh(positions, v - start, left=start, xerr=err, color="C0", alpha=0.8,
                   capsize=3 if err is not None else 0)
    ax.bar_label(bars, labels=[f"{x:.{digits}f}" for x in v], label_type="center", color="white",
                 fontsize="small")
    ax.set_xlim(start, high + pad)
    ax.set_yticks(positions, names[:shown])
    ax.invert_yaxis()
    ax.set_xlabel(metric)
    title = f"{metric} per slice" if metric else "per slice"
    if interval:
        title += f" ({interval})"
    if shown < len(names):
        title += f" (first {shown} of {len(names)})"
    ax.set_title(title)
    return ax
