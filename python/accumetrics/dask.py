"""Accumulators and metrics over dask arrays and dataframes, without moving the data.

Each block (chunk or partition) is fed to its own accumulator on the worker that
holds it; the states, a few kilobytes each, are merged pairwise in a tree, and only
the final state reaches the client. Because the core's results do not depend on
how the data is split, the merged state equals the one a single pass would give.

>>> import dask.array as da
>>> import accumetrics
>>> from accumetrics.dask import accumulate, compute
>>> y = da.from_array([0, 1, 1, 0, 1, 1], chunks=2)
>>> p = da.from_array([0, 1, 0, 0, 1, 1], chunks=2)
>>> accumulate(lambda: accumetrics.ConfusionMatrix(2), y, p).result()
array([[2, 0],
       [1, 3]])
>>> compute("f1_score", y, p)
0.8571428571428571
"""

from __future__ import annotations

import numpy as np

from . import metrics as _metrics
from ._validation.encoding import lookup
from ._validation.targets import check_targets
from .metrics.class_counts import class_confusion
from .moments import Moments

__all__ = ["accumulate", "compute"]


def _dask():
    try:
        import dask
        import dask.array as da
    except ImportError:  # pragma: no cover
        raise ImportError("accumetrics.dask needs dask: pip install 'accumetrics[dask]'") from None
    return dask, da


def _is_frame(x) -> bool:
    _, da = _dask()
    return hasattr(x, "to_delayed") and hasattr(x, "npartitions") and not isinstance(x, da.Array)


def _blocks(arrays: dict) -> tuple[list[dict], list[int] | None]:
    """Per block, the name -> delayed piece of every input; and the blocks' lengths where known."""
    dask, da = _dask()
    names = [k for k, x in arrays.items() if x is not None]
    if not names:
        raise ValueError("no inputs given")
    frames = [k for k in names if _is_frame(arrays[k])]
    if frames and len(frames) != len(names):
        raise TypeError("mix of dask dataframes and other inputs: pass columns of one dataframe, or dask arrays")
    if frames:
        parts = {k: arrays[k].to_delayed() for k in names}
        counts = {len(p) for p in parts.values()}
        if len(counts) > 1:
            raise ValueError(f"the inputs have different numbers of partitions: { {k: len(p) for k, p in parts.items()} }")
        return [{k: parts[k][i] for k in names} for i in range(counts.pop())], None
    arrays = {k: arrays[k] if isinstance(arrays[k], da.Array) else da.asarray(arrays[k]) for k in names}
    first = arrays[names[0]]
    lengths = {k: a.shape[0] for k, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"the inputs have different lengths: {lengths}")
    rows = first.chunks[0]
    aligned = {}
    for k, a in arrays.items():
        a = a.rechunk({0: rows, **{axis: -1 for axis in range(1, a.ndim)}})
        aligned[k] = a.to_delayed().reshape(len(rows), -1)[:, 0]
    return [{k: aligned[k][i] for k in names} for i in range(len(rows))], list(rows)


def _update(make, offset, pieces: dict, args: tuple):
    acc = make()
    if hasattr(acc, "seek") and offset is not None:  # a Bootstrap (or Paired): fed from the block's position
        acc.seek(acc.offset + offset)
    positional = [np.asarray(pieces[name]) for name in args]
    keywords = {k: np.asarray(v) for k, v in pieces.items() if k not in args}
    return acc.update(*positional, **keywords)


def _merge(*states):
    total = states[0]
    for s in states[1:]:
        total.merge(s)
    return total


def _tree(states: list, fan_in: int = 8):
    dask, _ = _dask()
    merge = dask.delayed(_merge, pure=True)
    while len(states) > 1:
        states = [merge(*states[i:i + fan_in]) for i in range(0, len(states), fan_in)]
    return states[0]


def _lengths(blocks: list[dict]) -> list[int]:
    dask, _ = _dask()
    name = next(iter(blocks[0]))
    return list(dask.compute(*[dask.delayed(len)(b[name]) for b in blocks]))


def accumulate(make, *arrays, sample_weight=None, slice_ids=None, compute: bool = True, **kwargs):
    """An accumulator fed all the data of dask arrays or dataframe columns, one state per block.

    ``make`` returns an empty accumulator (``lambda: ConfusionMatrix(10)``); ``arrays``
    are its ``update`` arguments (y_true, y_pred or y_score), as dask arrays or
    columns of one dask dataframe. A ``Bootstrap`` accumulator feeds each block from
    the block's position in the whole data, so its replicates equal a single pass's (so does a ``Paired``).
    With ``compute=False`` the delayed merged accumulator is returned.
    """
    dask, _ = _dask()
    if not callable(make):
        raise TypeError("make must be a function that returns an empty accumulator, e.g. lambda: ConfusionMatrix(3)")
    inputs = {f"_{i}": a for i, a in enumerate(arrays)}
    inputs.update(sample_weight=sample_weight, slice_ids=slice_ids, **kwargs)
    blocks, lengths = _blocks(inputs)
    offsets = [None] * len(blocks)
    if hasattr(make(), "seek"):
        lengths = lengths if lengths is not None and not any(np.isnan(lengths)) else _lengths(blocks)
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(int).tolist()
    args = tuple(inputs)[: len(arrays)]
    update = dask.delayed(_update, pure=True)
    merged = _tree([update(make, off, b, args) for b, off in zip(blocks, offsets)])
    return merged.compute() if compute else merged


class _Labels:
    """The one confusion matrix of 1-D labels as a mergeable state: labels and weights per (true, predicted) pair.

    Each block encodes its own labels; merging maps both onto their union.
    """

    def __init__(self, labels=None, counts=None, weights=None):
        self.labels = np.empty(0) if labels is None else labels
        self.counts = np.zeros((0, 0), np.int64) if counts is None else counts
        self.weights = weights

    def update(self, y_true, y_pred, sample_weight=None) -> "_Labels":
        targets = check_targets(y_true, y_pred, sample_weight, "accumetrics.dask")
        if targets.kind == "multilabel-indicator":
            raise ValueError("accumetrics.dask.compute supports 1-D labels, not multilabel indicators")
        cc = class_confusion(targets)
        weights = cc.matrix.astype(np.float64) if sample_weight is not None else None
        return self.merge(_Labels(cc.labels, cc.counts.astype(np.int64), weights))

    def merge(self, other: "_Labels") -> "_Labels":
        if not len(other.labels):
            return self
        if not len(self.labels):
            self.labels, self.counts, self.weights = other.labels, other.counts, other.weights
            return self
        labels = np.union1d(self.labels, other.labels)
        a, b = lookup(self.labels, labels)[0], lookup(other.labels, labels)[0]
        counts = np.zeros((len(labels),) * 2, np.int64)
        counts[np.ix_(a, a)] += self.counts
        counts[np.ix_(b, b)] += other.counts
        weights = None
        if self.weights is not None or other.weights is not None:
            weights = np.zeros(counts.shape)
            weights[np.ix_(a, a)] += self.counts if self.weights is None else self.weights
            weights[np.ix_(b, b)] += other.counts if other.weights is None else other.weights
        self.labels, self.counts, self.weights = labels, counts, weights
        return self

    def samples(self):
        """One weighted sample per non-empty (true, predicted) pair: the same metrics as the data."""
        t, p = np.nonzero(self.counts)
        w = (self.counts if self.weights is None else self.weights)[t, p].astype(np.float64)
        return self.labels[t], self.labels[p], w


_LABEL_METRICS = {
    "accuracy_score", "balanced_accuracy_score", "cohen_kappa_score", "confusion_matrix", "f1_score", "fbeta_score",
    "jaccard_score", "matthews_corrcoef", "precision_recall_fscore_support", "precision_score", "recall_score",
    "classification_report", "hamming_loss",
}


def _regression(name: str, m: Moments, multioutput="uniform_average"):
    values = {
        "mean_absolute_error": m.mean_absolute_error,
        "mean_squared_error": m.mean_squared_error,
        "root_mean_squared_error": m.root_mean_squared_error,
        "r2_score": m.r2,
        "explained_variance_score": m.explained_variance,
    }[name]
    if isinstance(multioutput, str) and multioutput == "raw_values":
        return np.atleast_1d(values)
    if isinstance(multioutput, str) and multioutput == "uniform_average":
        return float(np.mean(values))
    return float(np.average(np.atleast_1d(values), weights=multioutput))


_REGRESSION_METRICS = {"mean_absolute_error", "mean_squared_error", "root_mean_squared_error", "r2_score",
                       "explained_variance_score"}


def compute(metric, y_true, y_pred, *, sample_weight=None, **kwargs):
    """An sklearn-style metric of dask arrays or dataframe columns, computed where the data lives.

    ``metric`` is a name or function of ``accumetrics`` among the label metrics
    (accuracy, precision, recall, F-scores, Jaccard, kappa, MCC, balanced accuracy,
    confusion matrix, classification report: counted as one confusion matrix, then
    evaluated by the function itself on one weighted sample per matrix cell) and the
    regression metrics on moments (MAE, MSE, RMSE, R², explained variance).
    """
    name = metric if isinstance(metric, str) else getattr(metric, "__name__", None)
    if name in _LABEL_METRICS:
        state = accumulate(_Labels, y_true, y_pred, sample_weight=sample_weight)
        t, p, w = state.samples()
        function = getattr(_metrics, name)
        if sample_weight is None and name == "confusion_matrix":
            w = w.astype(np.int64)
        return function(t, p, sample_weight=w, **kwargs)
    if name in _REGRESSION_METRICS:
        m = accumulate(Moments, y_true, y_pred, sample_weight=sample_weight)
        return _regression(name, m, **kwargs)
    known = ", ".join(sorted(_LABEL_METRICS | _REGRESSION_METRICS))
    raise ValueError(f"accumetrics.dask.compute does not know the metric {metric!r}; one of: {known} "
                     "(or use accumulate with an accumulator)")
