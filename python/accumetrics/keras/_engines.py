"""The batch contributions the metrics add to their state, computed by the C++ core.

Each engine returns tensors of the state's dtype. Through the bridge the core
does the counting; where no host call can run (XLA) the same quantities come
from ``keras.ops`` with the same semantics (a score is above a threshold when
strictly greater).
"""

from __future__ import annotations

import numpy as np
from keras import ops

from .. import _core
from ._bridge import host_available, host_call, plain_python

STAT = {name: int(value) for name, value in _core.Stat.__members__.items()}  # column of each sum
_NUM_STATS = len(STAT)


@plain_python
def threshold_histogram(y_true, y_score, sample_weight, thresholds: np.ndarray, num_labels: int, dtype,
                        clip=False):
    """Weighted (negatives, positives) per label and bucket: shape (num_labels, T + 1, 2).

    ``thresholds`` are sorted and distinct; bucket b holds the scores above exactly
    b of them. ``y_true`` is read as a boolean (non-zero is positive), as Keras
    does. Inputs have shape (N, num_labels), or any shape when num_labels is 1;
    ``sample_weight`` has the shape of ``y_score`` or is None. With ``clip``, scores
    are first clipped to [0, 1].
    """
    shape = (num_labels, thresholds.size + 1, 2)
    if not host_available():
        if clip:
            y_score = ops.clip(y_score, 0.0, 1.0)
        return _threshold_histogram_ops(y_true, y_score, sample_weight, thresholds, num_labels, dtype)

    def count(t, s, w):
        s = s.reshape(-1)
        if clip:
            s = np.clip(s, 0.0, 1.0, dtype=s.dtype)
        core = _core.ThresholdCounts(thresholds, num_labels, 1)
        if s.size:
            core.update((t.reshape(-1) != 0), s, None if w is None else np.ascontiguousarray(w.reshape(-1)),
                        None, False)
        sums = core.sums() if w is not None else None
        return (sums if sums is not None else core.counts()),

    return host_call(count, [y_true, y_score, sample_weight], [shape], dtype)[0]


def _threshold_histogram_ops(y_true, y_score, sample_weight, thresholds, num_labels, dtype):
    score = ops.reshape(y_score, (-1, num_labels))
    positive = ops.cast(ops.not_equal(ops.reshape(y_true, (-1, num_labels)), 0), "int32")
    t = ops.convert_to_tensor(thresholds.astype(np.float32), dtype=score.dtype)
    bucket = ops.sum(ops.cast(ops.expand_dims(score, -1) > t, "int32"), axis=-1)
    label = ops.expand_dims(ops.arange(num_labels, dtype="int32"), 0) * (thresholds.size + 1)
    ids = ops.reshape((label + bucket) * 2 + positive, (-1,))
    w = ops.ones_like(score, dtype=dtype) if sample_weight is None else ops.cast(sample_weight, dtype)
    sums = ops.segment_sum(ops.reshape(w, (-1,)), ids, num_segments=num_labels * (thresholds.size + 1) * 2)
    return ops.reshape(sums, (num_labels, thresholds.size + 1, 2))


@plain_python
def confusion_counts(y_true, y_pred, sample_weight, num_classes: int, dtype, ignore=()):
    """Weighted (true class, predicted class) counts of integer labels: shape (C, C).

    Samples whose true class is in ``ignore`` are skipped; any other label outside
    [0, num_classes) is an error (skipped silently on the XLA path, which cannot raise).
    """
    shape = (num_classes, num_classes)
    ignore = tuple(int(i) for i in ignore)
    if not host_available():
        return _confusion_counts_ops(y_true, y_pred, sample_weight, num_classes, dtype, ignore)

    def count(t, p, w):
        t, p = t.reshape(-1), p.reshape(-1)
        if w is not None:
            w = w.reshape(-1)
        if ignore:
            keep = ~np.isin(t, ignore)
            t, p, w = t[keep], p[keep], None if w is None else w[keep]
        core = _core.ConfusionMatrix(num_classes, 1)
        if t.size:
            try:
                core.update(np.ascontiguousarray(t), np.ascontiguousarray(p),
                            None if w is None else np.ascontiguousarray(w), None, False)
            except ValueError as e:
                message = str(e).split("; pass ignore_out_of_range")[0]
                raise ValueError(f"{message}; labels must lie in [0, num_classes={num_classes}) "
                                 "unless listed in ignore_class") from None
        sums = core.sums() if w is not None else None
        return (sums if sums is not None else core.counts()),

    return host_call(count, [y_true, y_pred, sample_weight], [shape], dtype)[0]


def _confusion_counts_ops(y_true, y_pred, sample_weight, num_classes, dtype, ignore):
    t = ops.cast(ops.reshape(y_true, (-1,)), "int32")
    p = ops.cast(ops.reshape(y_pred, (-1,)), "int32")
    w = ops.ones_like(t, dtype=dtype) if sample_weight is None else ops.cast(ops.reshape(sample_weight, (-1,)), dtype)
    valid = (t >= 0) & (t < num_classes) & (p >= 0) & (p < num_classes)
    for i in ignore:
        valid = valid & (t != i)
    ids = ops.where(valid, t * num_classes + p, 0)
    sums = ops.segment_sum(ops.where(valid, w, ops.zeros_like(w)), ids, num_segments=num_classes * num_classes)
    return ops.reshape(sums, (num_classes, num_classes))


@plain_python
def moment_sums(y_true, y_pred, sample_weight, num_outputs: int, dtype):
    """Weighted sums per output, shape (num_outputs, len(STAT)); ``STAT`` names the columns
    (sum_weight, sum_pred, sum_true, sum_pred_squared, ..., sum_squared_error).

    ``y_pred`` has shape (N, num_outputs); ``y_true`` the same or None (then only
    the weight and pred sums are meaningful); ``sample_weight`` has shape (N,), the
    shape of ``y_pred``, or is None.
    """
    shape = (num_outputs, _NUM_STATS)
    if not host_available():
        return _moment_sums_ops(y_true, y_pred, sample_weight, num_outputs, dtype)

    def add(y, x, w):
        core = _core.Moments(num_outputs, 1)
        if x.size:
            x, y = _real(x), None if y is None else _real(y)
            w = None if w is None else np.ascontiguousarray(w.reshape(-1))
            core.update(x, y, w, None)
        return core.sums()[0],

    return host_call(add, [y_true, y_pred, sample_weight], [shape], dtype)[0]


def _real(a):
    """A flat float32/float64 array (integers and bools become float64)."""
    a = a.reshape(-1)
    return np.ascontiguousarray(a if a.dtype in (np.float32, np.float64) else a.astype(np.float64))


def _moment_sums_ops(y_true, y_pred, sample_weight, num_outputs, dtype):
    x = ops.reshape(ops.cast(y_pred, dtype), (-1, num_outputs))
    y = ops.zeros_like(x) if y_true is None else ops.reshape(ops.cast(y_true, dtype), (-1, num_outputs))
    if sample_weight is None:
        w = ops.ones_like(x)
    else:
        w = ops.cast(sample_weight, dtype)
        w = ops.broadcast_to(ops.reshape(w, (-1, 1)) if len(w.shape) <= 1 else ops.reshape(w, (-1, num_outputs)),
                             ops.shape(x))
    e = x - y
    terms = {"sum_weight": ops.ones_like(x), "sum_pred": x, "sum_true": y, "sum_pred_squared": x * x,
             "sum_true_squared": y * y, "sum_pred_true": x * y, "sum_absolute_error": ops.abs(e),
             "sum_squared_error": e * e}
    columns = sorted(STAT, key=STAT.get)
    return ops.stack([ops.sum(w * terms.get(c, ops.zeros_like(x)), axis=0) for c in columns], axis=-1)
