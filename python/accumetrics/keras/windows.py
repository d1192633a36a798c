"""A metric over the last N batches only: for monitoring long runs.

``Windowed(metric, batches=N)`` keeps, beside the wrapped metric's state, the
contribution of each of the last N batches (a ring of N copies of the state). Each
update adds the new batch's counts to the state and subtracts those of the batch
that leaves the window, so the state is always the sum of the last N batches'
counts: exact for counts (float64 state), nothing recomputed from data.
"""

from __future__ import annotations

import keras
from keras import ops

_register = keras.saving.register_keras_serializable(package="accumetrics")


@_register
class Windowed(keras.metrics.Metric):
    """``metric`` over the last ``batches`` updates (``update_state`` calls; in ``fit``, training steps).

    Works for every metric of this package whose state exists once it is made (its
    counts and sums are additive); the memory is ``batches`` times the metric's
    state. ``reset_state`` empties the window.

    >>> from accumetrics.keras import Precision
    >>> m = Windowed(Precision(), batches=2)
    >>> for y, p in (([1, 0], [0.9, 0.8]), ([1, 1], [0.9, 0.9]), ([0, 1], [0.9, 0.2])):
    ...     m.update_state(y, p)
    >>> float(m.result())  # the last two batches: 2 true positives, 1 false positive
    0.6666666865348816
    """

    def __init__(self, metric, batches, name=None, dtype=None):
        if isinstance(metric, dict):
            metric = keras.saving.deserialize_keras_object(metric)
        if isinstance(batches, bool) or not isinstance(batches, int) or batches < 1:
            raise ValueError(f"batches must be a positive integer; got {batches!r}")
        if not metric.variables:
            raise ValueError(f"Windowed needs a metric whose state exists when it is made; {type(metric).__name__} "
                             "creates its state at its first update")
        super().__init__(name=name or f"{metric.name}_last_{batches}", dtype=dtype or metric.dtype)
        self._direction = getattr(metric, "_direction", "up")
        self.metric = metric
        self.batches = batches
        self._state = list(metric.variables)
        self._ring = [self.add_variable(shape=(batches, *v.shape), initializer="zeros", dtype=v.dtype,
                                        name=f"window_{i}") for i, v in enumerate(self._state)]
        self._slot = self.add_variable(shape=(), initializer="zeros", dtype="int32", name="slot")

    def update_state(self, y_true, y_pred, sample_weight=None):
        before = [ops.copy(ops.convert_to_tensor(v)) for v in self._state]  # a copy: a read may alias the variable
        self.metric.update_state(y_true, y_pred, sample_weight)
        slot = ops.convert_to_tensor(self._slot)
        leaving = ops.one_hot(slot, self.batches)
        for v, ring, old in zip(self._state, self._ring, before):
            delta = ops.convert_to_tensor(v) - old
            at = ops.reshape(ops.cast(leaving, ring.dtype), (self.batches,) + (1,) * len(v.shape))
            oldest = ops.sum(ring * at, axis=0)
            v.assign(ops.convert_to_tensor(v) - oldest)
            ring.assign(ring * (1 - at) + at * ops.expand_dims(delta, 0))
        self._slot.assign((slot + 1) % self.batches)

    def result(self):
        return self.metric.result()

    def reset_state(self):
        self.metric.reset_state()
        for v in [*self._ring, self._slot]:
            v.assign(ops.zeros(v.shape, dtype=v.dtype))

    def get_config(self):
        return {"metric": keras.saving.serialize_keras_object(self.metric), "batches": self.batches,
                "name": self.name, "dtype": self.dtype}
