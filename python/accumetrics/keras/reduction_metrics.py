"""Sum, Mean and MeanMetricWrapper with exact float64 state.

The state is float64 (a float32 pair on JAX without ``jax_enable_x64``), so a mean
over millions of samples does not drift the way a float32 running total does. A
batch's weighted sums come from the core's compensated float64 summation on the
host (eager calls); in a graph or a trace they are the backend's own sum of the
batch, in the state's dtype.
"""

from __future__ import annotations

import math

import keras
from ._metric import Metric
from ._ops import ops

from ._bridge import dtype_name, state_dtype
from ._batch_counts import STAT, mean_sums, moment_sums
from ._masks import keras_mask, masked_weight
from ._shapes import same_rank
from ._slicing import _SCOPE
from ._state import StateVariable

_register = keras.saving.register_keras_serializable(package="accumetrics")


def weighted_sums(values, sample_weight, values_dtype="float32", values_name="values", *, finite=False):
    """(sum of w * v, sum of w, values per sample), by Keras's weighting rules for Mean and Sum.

    ``sample_weight`` is lined up with ``values`` as Keras does (squeeze or expand a
    trailing axis, then broadcast); both are flattened and the core adds them up.
    Without weights the sum of w is the number of values. A scalar weight makes
    the whole batch one sample, as in Keras. A Keras mask on ``values`` zeroes the
    weights of masked entries, only when weights are given (as in Keras). float64
    values stay float64, the state's precision (Keras casts them to ``values_dtype``,
    turning a finite 1e308 into infinity). Errors name the values ``values_name``; values ``finite`` by
    construction (matches, 0 or 1) are not checked in a graph.
    """
    mask = keras_mask(values)
    values = ops.convert_to_tensor(values)
    if dtype_name(values.dtype) != "float64" or state_dtype() != "float64":
        values = ops.cast(values, values_dtype)
    w = None
    if sample_weight is not None:
        w = masked_weight(ops.cast(sample_weight, values.dtype), mask, values.dtype)
        values, w = same_rank(values, w)
        if len(w.shape) > len(values.shape):
            raise ValueError(f"sample_weight has shape {w.shape}; expected at most the rank of the values, "
                             f"shape {values.shape} (a Keras mask on y_pred counts as a weight of its shape)")
    dtype = state_dtype()
    if len(values.shape) == 0:
        per_sample = 1.0
    elif w is not None and len(w.shape) == 0:
        per_sample = ops.maximum(ops.cast(ops.size(values), dtype), 1.0)
    elif None not in values.shape[1:]:  # known when traced: a Python number, no ops
        per_sample = float(max(math.prod(values.shape[1:]), 1))
    else:
        size = ops.cast(ops.size(values), dtype)
        per_sample = ops.maximum(size / ops.maximum(ops.cast(ops.shape(values)[0], dtype), 1.0), 1.0)
    if w is not None:
        for _ in range(len(values.shape) - len(w.shape)):
            w = ops.expand_dims(w, -1)
        w = ops.reshape(ops.broadcast_to(w, ops.shape(values)), (-1,))
    if _SCOPE.get() is not None:  # a sliced update: per-slice sums
        sums = moment_sums(None, ops.reshape(values, (-1, 1)), w, 1, dtype, values_name=values_name,
                           columns=("sum_pred", "sum_weight"))
        return sums[0, STAT["sum_pred"]], sums[0, STAT["sum_weight"]], per_sample
    total, count = ops.unstack(mean_sums(ops.reshape(values, (-1,)), w, dtype, values_name=values_name,
                                         finite=finite))
    return total, count, per_sample


@_register
class Sum(Metric):
    """The weighted sum of the values, accumulated exactly in float64.

    >>> m = Sum()
    >>> m.update_state([1, 3, 5, 7])
    >>> float(m.result())
    16.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._total = StateVariable(self, "total", ())

    def update_state(self, values, sample_weight=None):
        total, _, _ = weighted_sums(values, sample_weight, self.dtype)
        self._total.add(total)

    def reset_state(self):
        self._total.reset()

    def result(self):
        return ops.cast(self._total.value(), self.result_dtype)


@_register
class Mean(Metric):
    """The weighted mean of the values, accumulated exactly in float64.

    >>> m = Mean()
    >>> m.update_state([1, 3, 5, 7])
    >>> float(m.result())
    4.0
    """

    _values_name = "values"
    _values_finite = False  # True where the values are matches (0 or 1): no finite check in a graph

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._total = StateVariable(self, "total", ())
        self._count = StateVariable(self, "count", ())

    def update_state(self, values, sample_weight=None):
        total, count, per_sample = weighted_sums(values, sample_weight, self.dtype, self._values_name,
                                                 finite=self._values_finite)
        if not (isinstance(per_sample, float) and per_sample == 1.0):  # Keras averages a sample's values first
            total, count = total / per_sample, count / per_sample
        self._total.add(total)
        self._count.add(count)

    def reset_state(self):
        self._total.reset()
        self._count.reset()

    def _mean(self):
        return ops.divide_no_nan(self._total.value(), self._count.value())

    def result(self):
        return ops.cast(self._mean(), self.result_dtype)


@_register
class MeanMetricWrapper(Mean):
    """The weighted mean of ``fn(y_true, y_pred, **kwargs)`` over all samples seen.

    A Keras mask on ``y_pred`` (the output of a masking layer) gives masked entries weight 0.

    >>> m = MeanMetricWrapper(keras.losses.mean_absolute_error)
    >>> m.update_state([[0.0], [1.0]], [[0.5], [1.0]])
    >>> float(m.result())
    0.25
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs
        self._values_name = f"{getattr(fn, '__name__', type(fn).__name__)}(y_true, y_pred)"
        losses = keras.losses
        if fn in vars(losses).values() or isinstance(fn, losses.Loss):
            self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        mask = keras_mask(y_pred)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        return super().update_state(values, sample_weight=masked_weight(sample_weight, mask, self.dtype))

    def get_config(self):
        config = {"fn": keras.saving.serialize_keras_object(self._fn)}
        config.update(keras.saving.serialize_keras_object(self._fn_kwargs))
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config):
        if "fn" in config:
            config = keras.saving.deserialize_keras_object(config)
        return cls(**config)


class FixedMeanMetric(MeanMetricWrapper):
    """A MeanMetricWrapper whose function the subclass fixes (``_function``); its config is its arguments."""

    _function = None
    _higher_is_better = False

    def __init__(self, name=None, dtype=None, **kwargs):
        super().__init__(fn=type(self)._function, name=name, dtype=dtype, **kwargs)
        self._direction = "up" if self._higher_is_better else "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, **self._fn_kwargs}
