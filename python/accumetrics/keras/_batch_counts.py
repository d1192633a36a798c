"""The batch contributions the metrics add to their state: the accumulators' batch counts, or the same
quantities from ``keras.ops``.

Each engine returns tensors of the state's dtype. Through the bridge the accumulator layer's stateless
batch counts (``ThresholdBatch``, ``ConfusionBatch``, ``MomentBatch``) do the counting in the core; where
no host call can run (XLA), or where it would cost more than the counting (small batches in a graph or a
trace), the same quantities come from ``keras.ops`` with the same semantics (a score is above a threshold
when strictly greater), checked in the graph for what the core refuses (``must_be_finite``).
"""

from __future__ import annotations

import numpy as np
from ._ops import ops

from ..confusion import ConfusionBatch, class_matches as count_class_matches, crossentropy_sums
from ..moments import STAT, MomentBatch
from ..thresholds import ThresholdBatch
from ._bridge import after_checks, backend, by_batch_size, check_in_graph, host_available, host_call, plain_python
from . import _xla_kernels
from ._slicing import sliceable

_NUM_STATS = len(STAT)
# Up to this many thresholds, a score's bucket is found by comparing it with each (one vector pass per
# threshold), as cheap in a graph as Keras's own counting: such histograms never leave the graph.
FEW_THRESHOLDS = 4


@sliceable
@plain_python
def threshold_histogram(y_true, y_score, sample_weight, thresholds: np.ndarray, num_labels: int, dtype, *,
                        clamp=None, slice_ids=None, num_slices=1):
    """Weighted (negatives, positives) per label and bucket: shape (num_labels, T + 1, 2).

    ``thresholds`` are sorted and distinct; bucket b holds the scores above exactly
    b of them. ``y_true`` is read as a boolean (non-zero is positive), as Keras
    does. Inputs have shape (N, num_labels), or any shape when num_labels is 1;
    ``sample_weight`` has the shape of ``y_score`` or is None. With ``clamp`` (lo, hi), a score's bucket
    is clamped to [lo, hi]: the histogram of the scores clipped to a range whose ends lie in buckets lo
    and hi (a bucket is monotone in the score). With ``slice_ids`` (one per
    sample), one histogram per slice: shape (num_slices, num_labels, T + 1, 2).
    """
    shape = _sliced((num_labels, thresholds.size + 1, 2), slice_ids, num_slices)
    if not host_available():
        # Under XLA nothing can raise: a batch with a NaN or infinite score makes the state NaN, so the
        # result shows it, where a count would pass for a valid one.
        counts = _threshold_histogram_ops(y_true, y_score, sample_weight, thresholds, num_labels, dtype,
                                          slice_ids, num_slices, clamp)
        return ops.where(ops.all(ops.isfinite(y_score)), counts, ops.full_like(counts, np.nan))

    batch = ThresholdBatch(thresholds, num_labels, num_slices)

    def by_ops():
        return after_checks(_finite_checks(batch, y_score=y_score, sample_weight=sample_weight),
                            lambda: _threshold_histogram_ops(y_true, y_score, sample_weight, thresholds, num_labels,
                                                             dtype, slice_ids, num_slices, clamp))

    def by_kernel():
        h, finite = _xla_kernels.threshold_histogram(y_true, y_score, sample_weight, thresholds, num_labels, dtype)
        checks = [check_in_graph(finite[0], batch.must_be_finite["y_score"])]
        if sample_weight is not None:
            checks.append(check_in_graph(finite[1], batch.must_be_finite["sample_weight"]))
        return after_checks(checks, clamped(ops, h, clamp))

    def small():
        if slice_ids is None and _xla_kernels.in_use(y_score):
            return _xla_kernels.on_cpu(by_kernel, by_ops)
        return by_ops()

    def count(t, s, w, ids):
        return clamped(np, batch(t, s, w, ids), clamp),

    return by_batch_size(y_score, small,
                         lambda: host_call(count, [y_true, y_score, sample_weight, slice_ids], [shape], dtype)[0],
                         few_passes=thresholds.size <= FEW_THRESHOLDS,
                         grid=slice_ids is None and backend() == "tensorflow" and _computed_grid(thresholds))


def clamped(xp, histogram, clamp):
    """``histogram`` (..., T + 1, 2) with the buckets below lo counted in lo and those above hi in hi, for
    ``clamp`` (lo, hi); as it is for None. ``xp``: numpy or keras.ops."""
    if clamp is None:
        return histogram
    lo, hi = clamp
    buckets = histogram.shape[-2]
    if lo == hi:
        parts = [xp.sum(histogram, axis=-2, keepdims=True)]
    else:
        parts = [xp.sum(histogram[..., : lo + 1, :], axis=-2, keepdims=True), histogram[..., lo + 1 : hi, :],
                 xp.sum(histogram[..., hi:, :], axis=-2, keepdims=True)]
    if lo:
        parts.insert(0, xp.zeros_like(histogram[..., :lo, :]))
    if hi + 1 < buckets:
        parts.append(xp.zeros_like(histogram[..., hi + 1 :, :]))
    return xp.concatenate(parts, axis=-2) if len(parts) > 1 else parts[0]


def _finite_checks(batch, **inputs):
    """Checks in the graph of what the core refuses: each of ``inputs`` that the batch counter ``batch``
    needs finite, with the core's message."""
    return [check_in_graph(ops.isfinite(ops.convert_to_tensor(x)), batch.must_be_finite[name])
            for name, x in inputs.items() if x is not None and name in batch.must_be_finite]


def _column_major(x, num_labels):
    """``x`` as (N, num_labels). One label under JAX: the flat values, seen as a column. A consumer of the
    (N, 1) tensor itself keeps XLA from flattening the model's loss, whose (N, 1) operands its CPU code runs
    ~3x slower (16,384 rows: ~1.6 ms a step, not ~0.5)."""
    if num_labels == 1 and backend() == "jax":
        return ops.reshape(x, (-1,))[:, None]
    return ops.reshape(x, (-1, num_labels))


def _sliced(shape, slice_ids, num_slices):
    return shape if slice_ids is None else (num_slices, *shape)


def _slice_of_each(slice_ids, x):
    """The slice id of each value of ``x`` (whose first axis is the batch's samples), shape of ``x``."""
    ids = ops.reshape(ops.cast(slice_ids, "int32"), (-1, 1))
    per_sample = ops.reshape(x, (ops.shape(ids)[0], -1))
    return ops.reshape(ops.broadcast_to(ids, ops.shape(per_sample)), ops.shape(x))


@plain_python
def few_threshold_counts(y_true, y_score, sample_weight, thresholds: np.ndarray, num_labels: int, dtype, counts):
    """(tp, fp, tn, fn) per label at each of a few (at most FEW_THRESHOLDS) sorted ``thresholds``, stacked:
    shape (4, num_labels, T). In a graph or trace, one comparison per threshold and three sums (one masked sum
    per count when weighted), with the core's finite check; eagerly ``counts()``, from the core's histogram.
    Inputs as for :func:`threshold_histogram`."""
    def in_graph():
        score = _column_major(y_score, num_labels)[..., None]
        positive = ops.not_equal(_column_major(y_true, num_labels)[..., None], 0)
        above = ops.greater(score, ops.convert_to_tensor(thresholds.astype(np.float32), dtype=score.dtype))
        if sample_weight is None:
            # three sums in int32 (a batch has fewer than 2**31 values), the other counts exact differences
            tp = ops.sum(ops.cast(ops.logical_and(above, positive), "int32"), axis=0)
            predicted = ops.sum(ops.cast(above, "int32"), axis=0)
            fn = ops.sum(ops.cast(positive, "int32"), axis=0) - tp
            samples = ops.cast(ops.shape(score)[0], "int32")
            return ops.cast(ops.stack([tp, predicted - tp, samples - predicted - fn, fn]), dtype)
        w = ops.reshape(ops.cast(sample_weight, dtype), (-1, num_labels, 1))
        negative, below = ops.logical_not(positive), ops.logical_not(above)
        cells = []  # weighted: each count its own sum (a difference of sums would round)
        for cell in (ops.logical_and(above, positive), ops.logical_and(above, negative),
                     ops.logical_and(below, negative), ops.logical_and(below, positive)):
            cells.append(ops.sum(ops.where(cell, w, ops.zeros_like(w)), axis=0))
        return ops.cast(ops.stack(cells), dtype)

    if not host_available():  # as threshold_histogram: NaN counts where a score is not finite
        c = in_graph()
        return ops.where(ops.all(ops.isfinite(y_score)), c, ops.full_like(c, np.nan))
    batch = ThresholdBatch(thresholds, num_labels, 1)
    return by_batch_size(
        y_score, lambda: after_checks(_finite_checks(batch, y_score=y_score, sample_weight=sample_weight), in_graph()),
        counts, few_passes=True)


def _threshold_histogram_ops(y_true, y_score, sample_weight, thresholds, num_labels, dtype, slice_ids=None,
                             num_slices=1, clamp=None):
    score = _column_major(y_score, num_labels)
    positive = ops.not_equal(_column_major(y_true, num_labels), 0)
    t = ops.convert_to_tensor(thresholds.astype(np.float32), dtype=score.dtype)
    if thresholds.size <= FEW_THRESHOLDS and slice_ids is None:
        return _few_thresholds_histogram_ops(score, positive, sample_weight, t, thresholds.size, dtype, clamp)
    bucket = _buckets_ops(score, t, thresholds, clamp)
    label = ops.expand_dims(ops.arange(num_labels, dtype="int32"), 0) * (thresholds.size + 1)
    cells = num_labels * (thresholds.size + 1) * 2
    ids = (label + bucket) * 2 + ops.cast(positive, "int32")
    if slice_ids is not None:
        ids = ids + _slice_of_each(slice_ids, score) * cells
    ids = ops.reshape(ids, (-1,))
    if sample_weight is None and backend() == "tensorflow" and host_available():
        # counted in int32 (a batch has fewer than 2**31 values) and cast once: TensorFlow's bincount
        # costs about half its segment sum of float64 ones (its op alone: tf.math.bincount adds six)
        import tensorflow as tf

        sums = ops.cast(tf.raw_ops.DenseBincount(input=ids, size=cells * num_slices, weights=tf.zeros((0,), "int32")),
                        dtype)
    else:
        w = ops.ones_like(ids, dtype=dtype) if sample_weight is None else ops.cast(sample_weight, dtype)
        sums = ops.segment_sum(ops.reshape(w, (-1,)), ids, num_segments=cells * num_slices)
    return ops.reshape(sums, _sliced((num_labels, thresholds.size + 1, 2), slice_ids, num_slices))


def _buckets_ops(score, t, thresholds, clamp=None):
    """The number of thresholds strictly below each score, clamped to ``clamp`` (lo, hi) if given. On a grid
    within a quarter step of evenly spaced values from 0 to 1 (Keras's default thresholds), the nearest grid
    index k of a score has every threshold before it below the score and every one after it above, so one
    comparison with threshold k settles the bucket exactly. Otherwise a binary search (tf's is slow: ~70 ns
    a score).

    Threshold k is gathered, or, on TensorFlow where Keras's own grid is computed exactly by
    fl32(k * fl64(1 / (n - 1))) (checked here), computed: TensorFlow's gather costs ~5 ns a score, more than
    the rest of the histogram. Scores that are not finite are refused before these ops run, or (XLA, JAX)
    make the counts NaN; an index from one stays in range either way (XLA's conversion and gather clamp)."""
    n = thresholds.size
    if not _near_even_grid(thresholds):
        flat = ops.searchsorted(t, ops.reshape(score, (-1,)), side="left")
        return _clamp(ops.reshape(ops.cast(flat, "int32"), ops.shape(score)), clamp)
    # in float32 whatever the score's dtype: the position must be right to a quarter step, which bfloat16
    # (8 bits) cannot promise at 200 thresholds, nor float16 at 1,000
    position = ops.cast(score, "float32") * np.float32(n - 1)
    if backend() == "tensorflow" and _computed_grid(thresholds):
        # inner thresholds only: the ends are compared on their own, or not at all where the clamp makes
        # them moot (Keras's ends, 0 - 1e-7 and 1 + 1e-7, clamped to (1, n - 1) as scores clipped to [0, 1])
        nearest = ops.round(ops.clip(position, 1.0, float(n - 2)))
        inner = ops.cast(ops.cast(ops.cast(nearest, "float64") * (1.0 / (n - 1)), "float32"), score.dtype)
        bucket = ops.cast(nearest, "int32") + ops.cast(ops.greater(score, inner), "int32")  # from 1 to n - 1
        if clamp is not None and clamp[0] >= 1 and clamp[1] <= n - 1:
            return bucket if tuple(clamp) == (1, n - 1) else _clamp(bucket, clamp)
        ends = ops.cast(ops.greater(score, t[0]), "int32") + ops.cast(ops.greater(score, t[n - 1]), "int32")
        return _clamp(bucket - 1 + ends, clamp)
    nearest = ops.cast(ops.round(ops.clip(position, 0.0, float(n - 1))), "int32")
    return _clamp(nearest + ops.cast(ops.greater(score, ops.take_in_range(t, nearest)), "int32"), clamp)


def _clamp(bucket, clamp):
    return bucket if clamp is None else ops.clip(bucket, clamp[0], clamp[1])


def _near_even_grid(thresholds) -> bool:
    """Whether the n >= 3 thresholds are each within a quarter step of k / (n - 1)."""
    n = thresholds.size
    return n >= 3 and bool(np.max(np.abs(thresholds - np.arange(n) / (n - 1))) <= 0.25 / (n - 1))


def _computed_grid(thresholds) -> bool:
    """Whether the thresholds are near an even grid (:func:`_near_even_grid`) whose inner ones are
    fl32(k * fl64(1 / (n - 1))) for k = 1 .. n - 2, as Keras's are."""
    n = thresholds.size
    k = np.arange(1, n - 1, dtype=np.float64)
    return _near_even_grid(thresholds) and bool(
        np.array_equal((k * (1.0 / (n - 1))).astype(np.float32), thresholds[1:-1].astype(np.float32)))


def _few_thresholds_histogram_ops(score, positive, sample_weight, t, num_thresholds, dtype, clamp=None):
    """The histogram from a comparison with each threshold and one masked sum per cell: a few vector
    passes, with no scatter (a segment sum costs several times as much on CPU). Unweighted cells are
    counted in int32 (a batch has fewer than 2**31 values) and cast once."""
    above = [ops.greater(score, t[j]) for j in range(num_thresholds)]
    if num_thresholds == 1 and clamp is None:
        buckets = [ops.logical_not(above[0]), above[0]]
    else:
        bucket = _clamp(sum(ops.cast(a, "int32") for a in above), clamp)
        buckets = [ops.equal(bucket, b) for b in range(num_thresholds + 1)]
    w = None if sample_weight is None else ops.reshape(ops.cast(sample_weight, dtype), ops.shape(score))
    negative = ops.logical_not(positive)
    cells = []
    for in_bucket in buckets:
        for label in (negative, positive):
            cell = ops.logical_and(in_bucket, label)
            if w is None:
                cells.append(ops.sum(ops.cast(cell, "int32"), axis=0))
            else:
                cells.append(ops.sum(ops.where(cell, w, ops.zeros_like(w)), axis=0))
    histogram = ops.cast(ops.stack(cells, axis=-1), dtype)  # (labels, 2 (T + 1))
    return ops.reshape(histogram, (-1, num_thresholds + 1, 2))


@sliceable
@plain_python
def confusion_counts(y_true, y_pred, sample_weight, num_classes: int, dtype, ignore=(), *, pred_scores=False,
                     slice_ids=None, num_slices=1):
    """Weighted (true class, predicted class) counts of integer labels: shape (C, C).

    Samples whose true class is in ``ignore``, or with a label outside [0, num_classes),
    are skipped, as Keras's IoU metrics skip them. With ``pred_scores``, ``y_pred`` holds class
    scores on its last axis and the predicted class is their argmax (the first of equal maxima),
    found by the core in the same call. With ``slice_ids`` (one per sample), one matrix per slice:
    shape (num_slices, C, C).
    """
    shape = _sliced((num_classes, num_classes), slice_ids, num_slices)
    ignore = tuple(int(i) for i in ignore)

    def predicted():
        return ops.argmax(y_pred, axis=-1) if pred_scores else y_pred

    if not host_available():
        return _confusion_counts_ops(y_true, predicted(), sample_weight, num_classes, dtype, ignore, slice_ids,
                                     num_slices)

    batch = ConfusionBatch(num_classes, num_slices, ignore)

    def small():
        return after_checks(_finite_checks(batch, sample_weight=sample_weight),
                            _confusion_counts_ops(y_true, predicted(), sample_weight, num_classes, dtype, ignore,
                                                  slice_ids, num_slices))

    def count(t, p, w, ids):
        return batch(t, p, w, ids, pred_scores=pred_scores),

    return by_batch_size(y_true, small,
                         lambda: host_call(count, [y_true, y_pred, sample_weight, slice_ids], [shape], dtype)[0])


def _confusion_counts_ops(y_true, y_pred, sample_weight, num_classes, dtype, ignore, slice_ids=None, num_slices=1):
    t = ops.cast(ops.reshape(y_true, (-1,)), "int32")
    p = ops.cast(ops.reshape(y_pred, (-1,)), "int32")
    w = ops.ones_like(t, dtype=dtype) if sample_weight is None else ops.cast(ops.reshape(sample_weight, (-1,)), dtype)
    valid = (t >= 0) & (t < num_classes) & (p >= 0) & (p < num_classes)
    for i in ignore:
        valid = valid & (t != i)
    ids = ops.where(valid, t * num_classes + p, 0)
    if slice_ids is not None:
        ids = ids + _slice_of_each(slice_ids, t) * (num_classes * num_classes)
    sums = ops.segment_sum(ops.where(valid, w, ops.zeros_like(w)), ids,
                           num_segments=num_classes * num_classes * num_slices)
    return ops.reshape(sums, _sliced((num_classes, num_classes), slice_ids, num_slices))


@plain_python
def mean_sums(values, sample_weight, dtype, *, values_name="values", finite=False):
    """(sum of w * v, sum of w) of flat ``values`` (N,) and ``sample_weight`` (N,) or None (then the sum of w
    is N), stacked: shape (2,). The two sums of a mean: in a graph or trace a cast, two sums and the core's
    finite check (of the weights only where the values are ``finite`` by construction), at any batch size;
    eagerly the core's compensated sums."""
    batch = MomentBatch(1, 1, values_name)

    def in_graph():
        x = ops.cast(values, dtype)
        if sample_weight is None:
            sums = ops.stack([ops.sum(x), ops.cast(ops.size(x), dtype)])
        else:
            w = ops.cast(sample_weight, dtype)
            sums = ops.stack([ops.sum(w * x), ops.sum(w)])
        return after_checks(_finite_checks(batch, y_pred=None if finite else values, sample_weight=sample_weight),
                            sums)

    if not host_available():  # as threshold_histogram: NaN sums where a value is not finite
        sums = in_graph()
        finite = ops.all(ops.isfinite(values)) if sample_weight is None else ops.logical_and(
            ops.all(ops.isfinite(values)), ops.all(ops.isfinite(sample_weight)))
        return ops.where(finite, sums, ops.full_like(sums, np.nan))

    def add(x, w):
        sums = batch(None, x.reshape(-1, 1), w, None)
        return sums[0, 0, [STAT["sum_pred"], STAT["sum_weight"]]],

    return by_batch_size(values, in_graph, lambda: host_call(add, [values, sample_weight], [(2,)], dtype)[0],
                         few_passes=True)


@sliceable
@plain_python
def moment_sums(y_true, y_pred, sample_weight, num_outputs: int, dtype, *, values_name="y_pred", columns=None,
                slice_ids=None, num_slices=1):
    """Weighted sums per output, shape (num_outputs, len(STAT)); ``STAT`` names the columns
    (sum_weight, sum_pred, sum_true, sum_pred_squared, ..., sum_squared_error).

    ``y_pred`` has shape (N, num_outputs); ``y_true`` the same or None (then only
    the weight and pred sums are meaningful); ``sample_weight`` has shape (N,), the
    shape of ``y_pred``, or is None. With ``slice_ids`` (one per sample), sums
    per slice: shape (num_slices, num_outputs, len(STAT)). Errors name ``y_pred``
    ``values_name`` (the values of Mean and Sum, say). ``columns`` names the sums the caller reads (default
    all): in a graph or trace they are a few vector passes over the batch, computed there at any batch size
    (the others are zero), where all of them go to the core for large batches.
    """
    shape = _sliced((num_outputs, _NUM_STATS), slice_ids, num_slices)
    if not host_available():
        return _moment_sums_ops(y_true, y_pred, sample_weight, num_outputs, dtype, columns, slice_ids, num_slices)

    batch = MomentBatch(num_outputs, num_slices, values_name)

    def small():
        sums = _moment_sums_ops(y_true, y_pred, sample_weight, num_outputs, dtype, columns, slice_ids, num_slices)
        return after_checks(_finite_checks(batch, y_pred=y_pred, y_true=y_true, sample_weight=sample_weight), sums)

    def add(y, x, w, ids):
        return batch(y, x, w, ids),

    return by_batch_size(y_pred, small,
                         lambda: host_call(add, [y_true, y_pred, sample_weight, slice_ids], [shape], dtype)[0],
                         few_passes=columns is not None)


def _moment_sums_ops(y_true, y_pred, sample_weight, num_outputs, dtype, columns=None, slice_ids=None, num_slices=1):
    x = ops.reshape(ops.cast(y_pred, dtype), (-1, num_outputs))
    y = ops.zeros_like(x) if y_true is None else ops.reshape(ops.cast(y_true, dtype), (-1, num_outputs))
    w = None
    if sample_weight is not None:
        w = ops.cast(sample_weight, dtype)
        w = ops.broadcast_to(ops.reshape(w, (-1, 1)) if len(w.shape) <= 1 else ops.reshape(w, (-1, num_outputs)),
                             ops.shape(x))
    wanted = set(STAT if columns is None else columns)
    order = sorted(STAT, key=STAT.get)

    def weighted(column):  # what the sum of ``column`` adds up, row by row
        if column == "sum_weight":
            return ops.ones_like(x) if w is None else w
        value = {"sum_pred": lambda: x, "sum_true": lambda: y, "sum_pred_squared": lambda: x * x,
                 "sum_true_squared": lambda: y * y, "sum_pred_true": lambda: x * y,
                 "sum_absolute_error": lambda: ops.abs(x - y),
                 "sum_squared_error": lambda: ops.square(x - y)}[column]()
        return value if w is None else w * value

    if slice_ids is not None:
        rows = ops.stack([weighted(c) if c in wanted else ops.zeros_like(x) for c in order], axis=-1)
        return ops.segment_sum(rows, _slice_of_each(slice_ids, x[:, 0]), num_segments=num_slices)

    def total(column):
        if column not in wanted:
            return ops.zeros((num_outputs,), dtype=dtype)
        if column == "sum_weight" and w is None:  # the number of rows, without a pass over them
            return ops.ones((num_outputs,), dtype=dtype) * ops.cast(ops.shape(x)[0], dtype)
        return ops.sum(weighted(column), axis=0)

    return ops.stack([total(c) for c in order], axis=-1)


@plain_python
def class_matches(y_true, y_pred, sample_weight, how: str, k: int, dtype, in_graph):
    """(weight of the matching rows, weight of all rows) of rows of class scores ``y_pred`` (N, C) against
    integer labels ``y_true`` (N,): ``how`` is "argmax" (a row's argmax is its label) or "top_k" (the label
    is among its k highest scores). ``sample_weight`` has shape (N,) or is None.

    The core finds each row's argmax or top k and counts the matches in one pass over the scores. Small
    batches in a graph or trace take ``in_graph()``, the same sums from keras.ops (Keras's match function).
    """
    if not host_available():
        return in_graph()

    def count(t, s, w):
        if s.dtype.itemsize < 4:  # float16 or bfloat16 scores: the same ranks in float32, which the core reads
            s = s.astype(np.float32)
        rows, matches, weight, matched = count_class_matches(t, s, w, how, k)
        return (np.array([matches, rows]) if w is None else np.array([matched, weight])),

    return by_batch_size(y_pred, in_graph,
                         lambda: host_call(count, [y_true, y_pred, sample_weight], [(2,)], dtype)[0])


@plain_python
def crossentropy(y_true, y_pred, sample_weight, form: str, bounds: tuple, dtype, in_graph, *,
                 unlabeled_loss_zero: bool):
    """(weighted sum of the sparse categorical cross-entropies, sum of the weights) of rows of class scores
    ``y_pred`` (N, C) against integer labels ``y_true`` (N,), in one pass of the core: ``form`` is "logits",
    "normalized" or "softmax_of_log" (how each Keras backend reads probabilities), ``bounds`` the clip
    bounds of probabilities. ``sample_weight`` has shape (N,) or is None. A label that is not a class has
    loss 0 when ``unlabeled_loss_zero`` (JAX's one-hot of it is all zeros) and is refused otherwise, as
    TensorFlow and torch refuse it. Small batches in a graph or trace take ``in_graph()``.
    """
    if not host_available():
        return in_graph()

    def add(t, s, w):
        rows, unlabeled, weight, loss = crossentropy_sums(t, s, w, form, *bounds)
        if unlabeled and not unlabeled_loss_zero:
            t = t.reshape(-1)
            bad = int(np.flatnonzero((t < 0) | (t >= s.shape[-1]))[0])
            raise ValueError(f"y_true[{bad}] = {t[bad]} is not a class: labels of a sparse categorical "
                             f"cross-entropy over {s.shape[-1]} classes are in [0, {s.shape[-1]})")
        return np.array([loss, weight]),

    return by_batch_size(y_pred, in_graph,
                         lambda: host_call(add, [y_true, y_pred, sample_weight], [(2,)], dtype)[0])
