"""The base of the Keras metrics read from confusion counts at thresholds: Precision, Recall, the
TP/FP/TN/FN counts, the *At* metrics, AUC, ExactAUC, the F-scores and the one-vs-rest AUC."""

from __future__ import annotations

import numpy as np
from . import _placement
from ._metric import Metric
from ._ops import ops

from ..formulas import confusion as formulas
from ._bridge import state_dtype
from ._batch_counts import FEW_THRESHOLDS, few_threshold_counts, threshold_histogram
from ._eager_result import compiled_when_eager
from ._shared import once_per_graph
from ._shapes import align_weight, same_rank
from ._slicing import _SCOPE
from ._state import StateVariable

FIELDS = ("tp", "fp", "tn", "fn")
NEG_INF = -1e10


def _filter_top_k(x, k):
    _, idx = ops.top_k(x, k)
    mask = ops.sum(ops.one_hot(idx, ops.shape(x)[-1], axis=-1), axis=-2)
    return x * mask + NEG_INF * (1 - mask)


class ThresholdMetric(Metric):
    """Base of the metrics read from confusion counts at thresholds.

    Subclasses name the counts they keep in ``_kept`` (``"tp"``, ``"fp"``, ``"tn"``,
    ``"fn"`` -> Keras's variable name), call :meth:`_set_thresholds` in ``__init__``,
    :meth:`_accumulate` in ``update_state`` and read :meth:`_count` in ``result``. Each
    batch's histogram is turned into counts at the thresholds before it is added, so the
    variables hold what Keras's do, in float64: shape (T,), or (T, labels) when counted
    per label. Subclasses that keep nothing in ``_kept`` keep the histogram itself
    (``_histogram``, shape (labels, T + 1, 2)).
    """

    _kept: dict = {}

    def __init_subclass__(cls, **kwargs):
        if "result" in cls.__dict__:  # placed by Metric (below), compiled where it runs eagerly in JAX's ops
            cls.result = compiled_when_eager(cls.__dict__["result"])
        super().__init_subclass__(**kwargs)

    def _set_thresholds(self, thresholds, clip: bool, num_labels: int | None = 1, multi_label: bool = False):
        # Keras compares float32 scores with float32 thresholds; so do we, exactly. With ``clip``,
        # scores count as clipped to [0, 1] (see _clipped).
        t = np.asarray(thresholds, dtype=np.float32).astype(np.float64)
        self._sorted, self._index = np.unique(t, return_inverse=True)
        self._in_order = bool(np.array_equal(self._index, np.arange(self._sorted.size)))
        self._clip = clip
        # clipped scores: a score below 0 counts as 0, in the bucket of 0 (the number of thresholds below it),
        # and one above 1 as 1; clamping each score's bucket costs nothing per score (see threshold_histogram)
        ends = tuple(int(b) for b in np.searchsorted(self._sorted, [0.0, 1.0], side="left"))
        self._clamp = ends if clip and ends != (0, self._sorted.size) else None
        self._multi_label = multi_label
        self._each_column = False  # count each column of y_pred as its own label (count_each_column)
        self._state = None
        if num_labels is not None:
            self._build_state(num_labels)

    def _build_state(self, num_labels: int):
        """The state for ``num_labels`` labels (counted per label when more than one, or multi-label)."""
        self._num_labels = num_labels
        if not self._kept:
            self._state = {"histogram": StateVariable(self, "histogram", (num_labels, self._sorted.size + 1, 2))}
            return
        per_label = self._multi_label or num_labels > 1
        shape = (self._index.size, num_labels) if per_label else (self._index.size,)
        self._state = {field: StateVariable(self, name, shape) for field, name in self._kept.items()}

    @property
    def _histogram(self):
        return self._state["histogram"]

    def count_each_column(self):
        """From now on, counts each column of ``y_pred`` (N, C) as a label of its own, as ``multi_label=True``
        does, where the metric would pool them: what ``PerClass`` reads one class at a time."""
        self._each_column = True

    def _accumulate(self, y_true, y_pred, sample_weight=None, *, top_k=None, class_id=None, multi_label=None,
                    label_weights=None):
        per_label = self._each_column or (self._multi_label if multi_label is None else multi_label)
        if per_label:
            if len(y_pred.shape) != 2:
                raise ValueError("`y_pred` must have rank 2 when `multi_label=True`. Found rank "
                                 f"{len(y_pred.shape)}. Full shape received for `y_pred`: {y_pred.shape}")
            if self._state is None:
                self._build_state(int(y_pred.shape[-1]))
            elif y_pred.shape[-1] is not None and int(y_pred.shape[-1]) != self._num_labels:
                raise ValueError(f"y_pred has {y_pred.shape[-1]} labels (shape {tuple(y_pred.shape)}); this metric "
                                 f"counts {self._num_labels} (num_labels or the first batch's last axis)")
        labels = self._num_labels if per_label else 1
        per_label = per_label and (self._multi_label or labels > 1)  # one label counted per label: the same
        if not self._kept:
            self._histogram.add(self._batch_histogram(y_true, y_pred, sample_weight, top_k, class_id, labels,
                                                      label_weights))
            return
        self._add(self._batch_counts(y_true, y_pred, sample_weight, top_k, class_id, labels, per_label,
                                     label_weights))

    def _add(self, counts):
        """Adds the batch's ``counts`` (tp, fp, tn, fn stacked) to the counts kept."""
        parts = ops.unstack(counts, axis=0)  # one op, shared by the metrics of the same counts (not four slices)
        for field, state in self._state.items():
            state.add(parts[FIELDS.index(field)])

    def _batch_counts(self, y_true, y_pred, sample_weight, top_k, class_id, labels, per_label, label_weights):
        """(tp, fp, tn, fn) of the batch at each threshold, stacked: shape (4, T), or (4, T, labels) per label;
        computed once per graph for every metric with the same inputs and thresholds."""
        config = ("threshold_counts", self._sorted.tobytes(), self._index.tobytes(), self._clip, labels,
                  per_label, state_dtype(), top_k, class_id)

        def histogram():
            return self._batch_histogram(y_true, y_pred, sample_weight, top_k, class_id, labels, label_weights)

        def counts():
            if (self._clip or self._sorted.size > FEW_THRESHOLDS or _SCOPE.get() is not None
                    or _placement.on_host()):  # the core's histogram, whose sums are the counts
                return self._confusion(histogram(), per_label)
            inputs = self._aligned(y_true, y_pred, sample_weight, top_k, class_id, label_weights)
            c = few_threshold_counts(*inputs, self._sorted, labels, state_dtype(),
                                     lambda: formulas.counts_at_thresholds(ops, histogram()))
            if not self._in_order:
                c = ops.take(c, ops.convert_to_tensor(self._index.astype(np.int32)), axis=2)
            return ops.transpose(c, (0, 2, 1)) if per_label else c[:, 0]

        return once_per_graph((y_true, y_pred, sample_weight, label_weights), config, counts)

    def _batch_histogram(self, y_true, y_pred, sample_weight, top_k, class_id, labels, label_weights):
        config = ("threshold_histogram", self._sorted.tobytes(), self._clamp, labels, state_dtype(), top_k, class_id)
        return once_per_graph((y_true, y_pred, sample_weight, label_weights), config,
                              lambda: self._histogram_of(y_true, y_pred, sample_weight, top_k, class_id, labels,
                                                         label_weights))

    def _histogram_of(self, y_true, y_pred, sample_weight, top_k, class_id, labels, label_weights):
        y_true, y_pred, w = self._aligned(y_true, y_pred, sample_weight, top_k, class_id, label_weights)
        return threshold_histogram(y_true, y_pred, w, self._sorted, labels, state_dtype(), clamp=self._clamp)

    def _aligned(self, y_true, y_pred, sample_weight, top_k, class_id, label_weights):
        """(y_true, y_pred, weight or None) as counted: float32, lined up, ``top_k`` and ``class_id`` applied,
        the weight broadcast to the scores' shape and times ``label_weights``."""
        y_true = ops.cast(y_true, "float32")
        y_pred = ops.cast(y_pred, "float32")
        y_pred, y_true = same_rank(y_pred, y_true)
        if None not in y_pred.shape and None not in y_true.shape and tuple(y_pred.shape) != tuple(y_true.shape):
            raise ValueError(f"y_true and y_pred have different shapes: {tuple(y_true.shape)} and "
                             f"{tuple(y_pred.shape)}")
        w = align_weight(sample_weight, y_true, "float32")
        if top_k is not None:
            y_pred = _filter_top_k(y_pred, top_k)
        if class_id is not None:
            if len(y_pred.shape) == 1:
                raise ValueError("When class_id is provided, y_pred must be a 2D array with shape "
                                 f"(num_samples, num_classes), found shape: {y_pred.shape}")
            y_true, y_pred = y_true[..., class_id, None], y_pred[..., class_id, None]
        if w is not None:
            w = ops.broadcast_to(w, ops.shape(y_pred))
        if label_weights is not None:
            lw = ops.broadcast_to(ops.expand_dims(ops.cast(label_weights, "float32"), 0), ops.shape(y_pred))
            w = lw if w is None else w * lw
        return y_true, y_pred, w

    def _confusion(self, h, per_label: bool):
        """(tp, fp, tn, fn) at each threshold in the order given, from a histogram (L, T + 1, 2), stacked:
        shape (4, T), or (4, T, L) per label."""
        counts = formulas.counts_at_thresholds(ops, h)  # (4, L, T), thresholds sorted
        if not self._in_order:
            counts = ops.take(counts, ops.convert_to_tensor(self._index.astype(np.int32)), axis=2)
        return ops.transpose(counts, (0, 2, 1)) if per_label else counts[:, 0]

    def _count(self, field: str):
        """The accumulated count ``field`` ("tp", "fp", "tn" or "fn") at each threshold."""
        return self._state[field].value()

    def _label_values(self, label=None):
        """The state's values for one ``label`` of a state counted per label (None: all labels pooled), shaped
        as the state of one label: what ``result`` reads for that label alone."""
        values = {name: state.value() for name, state in self._state.items()}
        if not self._kept:  # histogram (L, T + 1, 2)
            return {name: ops.sum(v, axis=0, keepdims=True) if label is None else v[label:label + 1]
                    for name, v in values.items()}
        if self._multi_label:  # (T, L), read as (T, 1)
            return {name: ops.sum(v, axis=-1, keepdims=True) if label is None else v[:, label:label + 1]
                    for name, v in values.items()}
        return {name: ops.sum(v, axis=-1) if label is None else v[:, label] for name, v in values.items()}

    def reset_state(self):
        for state in (self._state or {}).values():
            state.reset()

    def _out(self, x):
        return ops.cast(x, self.result_dtype)
