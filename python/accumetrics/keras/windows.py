"""A metric over the last N batches or the last N samples only: for monitoring long runs.

``Windowed(metric, batches=N)`` keeps, beside the wrapped metric's state, the
contribution of each of the last N batches (a ring of N copies of the state). Each
update adds the new batch's counts to the state and subtracts those of the batch
that leaves the window, so the state is always the sum of the last N batches'
counts: exact for counts (float64 state), nothing recomputed from data.

``Windowed(metric, samples=N)`` keeps the last N samples themselves (a ring of N rows
of ``y_true``, ``y_pred`` and the weight). Each update adds the new samples' counts and
subtracts those of the samples they push out, counted by the wrapped metric's own
update on those rows alone: each sample is counted twice in all (in and out), the
window is never recounted. Rows not yet filled have weight 0 and count nothing.
"""

from __future__ import annotations

import keras
from . import _placement
from ._ops import ops

_register = keras.saving.register_keras_serializable(package="accumetrics")


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return value


def _copy(variables):
    return [ops.copy(ops.convert_to_tensor(v)) for v in variables]  # a copy: a read may alias the variable


@_register
class Windowed(keras.metrics.Metric):
    """``metric`` over the last ``batches`` updates (``update_state`` calls; in ``fit``, training steps), or
    over the last ``samples`` samples, however the batches split them.

    Works for every metric of this package (its counts and sums are additive),
    including those that make their state at their first update (``F1Score``,
    ``BrierScore``). Memory: ``batches`` times the metric's state, or ``samples``
    rows of ``y_true``, ``y_pred`` and weight plus two copies of the state while it
    updates. With ``samples``, a sample of weight 0 must change nothing, which holds
    for every metric here except ``strategy="quantile"`` calibration (its bin edges
    count every probability, weighted or not): that one is refused. ``reset_state``
    empties the window.

    >>> from accumetrics.keras import Precision
    >>> m = Windowed(Precision(), batches=2)
    >>> for y, p in (([1, 0], [0.9, 0.8]), ([1, 1], [0.9, 0.9]), ([0, 1], [0.9, 0.2])):
    ...     m.update_state(y, p)
    >>> float(m.result())  # the last two batches: 2 true positives, 1 false positive
    0.6666666865348816
    >>> m = Windowed(Precision(), samples=3)
    >>> for y, p in (([1, 0], [0.9, 0.8]), ([1, 1], [0.9, 0.9]), ([0, 1], [0.9, 0.2])):
    ...     m.update_state(y, p)
    >>> float(m.result())  # the last three samples: 1 true positive, 1 false positive
    0.5
    """

    def __init__(self, metric, batches=None, samples=None, name=None, dtype=None):
        if isinstance(metric, dict):
            metric = keras.saving.deserialize_keras_object(metric)
        if (batches is None) == (samples is None):
            raise ValueError(f"Windowed needs one of batches or samples; got batches={batches!r}, "
                             f"samples={samples!r}")
        if batches is not None:
            _positive_int(batches, "batches")
        else:
            _positive_int(samples, "samples")
            if getattr(metric, "strategy", None) == "quantile":
                raise ValueError(f"Windowed(samples=...) cannot window {type(metric).__name__}(strategy='quantile'): "
                                 "its bin edges count samples of weight 0; use batches=..., or strategy='uniform'")
        size = f"{batches}" if batches is not None else f"{samples}_samples"
        super().__init__(name=name or f"{metric.name}_last_{size}", dtype=dtype or metric.dtype)
        self._direction = getattr(metric, "_direction", "up")
        self.metric = metric
        self.batches, self.samples = batches, samples
        self._state = None
        self._ring = None  # batches: each state variable's last N deltas
        self._rows = None  # samples: the last N rows of y_true, y_pred and weight
        self._slot = self.add_variable(shape=(), initializer="zeros", dtype="int32", name="slot")
        if batches is not None and metric.variables:
            self._build_ring()

    def _build_ring(self):
        self._state = list(self.metric.variables)
        self._ring = [self.add_variable(shape=(self.batches, *v.shape), initializer="zeros", dtype=v.dtype,
                                        name=f"window_{i}") for i, v in enumerate(self._state)]

    def update_state(self, y_true, y_pred, sample_weight=None):
        with _placement.in_backend_ops():  # the window works on the metric's variables
            if self.batches is not None:
                self._add_batch(y_true, y_pred, sample_weight)
            else:
                self._add_samples(y_true, y_pred, sample_weight)

    def _add_batch(self, y_true, y_pred, sample_weight):
        before = _copy(self._state) if self._state is not None else None
        self.metric.update_state(y_true, y_pred, sample_weight)
        if self._ring is None:  # a metric that made its state at this first update: it was all zeros
            self._build_ring()
            before = [ops.zeros(v.shape, dtype=v.dtype) for v in self._state]
        slot = ops.convert_to_tensor(self._slot)
        leaving = ops.one_hot(slot, self.batches)
        for v, ring, old in zip(self._state, self._ring, before):
            delta = ops.convert_to_tensor(v) - old
            at = ops.reshape(ops.cast(leaving, ring.dtype), (self.batches,) + (1,) * len(v.shape))
            oldest = ops.sum(ring * at, axis=0)
            v.assign(ops.convert_to_tensor(v) - oldest)
            ring.assign(ring * (1 - at) + at * ops.expand_dims(delta, 0))
        self._slot.assign((slot + 1) % self.batches)

    def _build_rows(self, y_true, y_pred, weight):
        def ring(x, name):
            return self.add_variable(shape=(self.samples, *x.shape[1:]), initializer="zeros",
                                     dtype=keras.backend.standardize_dtype(x.dtype), name=name)

        self._rows = [ring(y_true, "window_y_true"), ring(y_pred, "window_y_pred"), ring(weight, "window_weight")]

    def _add_samples(self, y_true, y_pred, sample_weight):
        y_true, y_pred = ops.convert_to_tensor(y_true), ops.convert_to_tensor(y_pred)
        if len(y_pred.shape) == 0 or len(y_true.shape) == 0:
            raise ValueError("Windowed(samples=...) needs batches of samples along axis 0; got y_true of shape "
                             f"{tuple(y_true.shape)} and y_pred of shape {tuple(y_pred.shape)}")
        n = ops.shape(y_pred)[0]
        if sample_weight is None:
            weight = ops.ones((n,), dtype="float32")
        else:
            weight = ops.convert_to_tensor(sample_weight)
            if len(weight.shape) == 0:
                weight = ops.broadcast_to(weight, (n,))
        if self._rows is None:
            self._build_rows(y_true, y_pred, weight)
        for x, row, name in zip((y_true, y_pred, weight), self._rows, ("y_true", "y_pred", "sample_weight")):
            if tuple(x.shape[1:]) != tuple(row.shape[1:]):
                raise ValueError(f"{name} has shape {tuple(x.shape)}; this window keeps samples of shape "
                                 f"{tuple(row.shape[1:])} (the first batch's)")
        entering = min(n, self.samples) if isinstance(n, int) else ops.minimum(n, self.samples)
        if isinstance(n, int) and n <= self.samples:
            new = (y_true, y_pred, weight)
        else:  # only the batch's last samples fit in the window
            keep = ops.arange(n - entering, n)
            new = tuple(ops.take(x, keep, axis=0) for x in (y_true, y_pred, weight))
        self.metric.update_state(new[0], new[1], new[2] if sample_weight is not None else None)
        # The rows the new samples overwrite are the oldest ones (weight 0 where never written).
        slot = ops.convert_to_tensor(self._slot)
        at = (slot + ops.cast(ops.arange(entering), slot.dtype)) % self.samples
        old = [ops.take(ops.convert_to_tensor(row), at, axis=0) for row in self._rows]
        state = list(self.metric.variables)
        with_new = _copy(state)
        self.metric.update_state(*old)
        for v, kept in zip(state, with_new):
            v.assign(kept - (ops.convert_to_tensor(v) - kept))
        for row, x in zip(self._rows, new):
            row.assign(ops.scatter_update(ops.convert_to_tensor(row), ops.expand_dims(at, -1),
                                          ops.cast(x, row.dtype)))
        self._slot.assign(ops.cast((slot + ops.cast(entering, slot.dtype)) % self.samples, "int32"))

    def result(self):
        with _placement.in_backend_ops():
            return self.metric.result()

    def reset_state(self):
        self.metric.reset_state()
        for v in [*(self._ring or []), *(self._rows or []), self._slot]:
            v.assign(ops.zeros(v.shape, dtype=v.dtype))

    def get_config(self):
        return {"metric": keras.saving.serialize_keras_object(self.metric), "batches": self.batches,
                "samples": self.samples, "name": self.name, "dtype": self.dtype}
