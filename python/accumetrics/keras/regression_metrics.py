"""Regression metrics. Errors are averaged with the core's compensated float64 sums,
so a mean error over millions of samples does not drift as a float32 total does."""

from __future__ import annotations

import warnings

import keras
from ._metric import Metric
from ._ops import ops

from ..formulas import moments as formulas
from ._bridge import host_available, state_dtype
from ._batch_counts import STAT, moment_sums
from ._keras_version import KERAS_VERSION
from ._masks import keras_mask
from ._shapes import same_rank, two_dimensional_outputs
from ._slicing import _SCOPE
from ._state import StateVariable
from .reduction_metrics import FixedMeanMetric, Mean, MeanMetricWrapper

_register = keras.saving.register_keras_serializable(package="accumetrics")


class _ErrorMoments:
    """Feeds (N, K) labels and predictions straight to the core's ``Moments``, which computes the
    errors in float64; other shapes, weights, XLA and masked predictions (which the wrappers of
    Keras's losses weight by the mask) take the per-sample path of the base class."""

    _stat = ""

    def update_state(self, y_true, y_pred, sample_weight=None):
        if isinstance(self, MeanMetricWrapper) and keras_mask(y_pred) is not None:
            return super().update_state(y_true, y_pred, sample_weight=sample_weight)
        y_pred = ops.convert_to_tensor(y_pred)
        if "float" not in str(y_pred.dtype):  # integer or boolean predictions: their errors are exact in float64
            y_pred = ops.cast(y_pred, state_dtype())
        y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
        y_true, y_pred = same_rank(y_true, y_pred)
        if len(y_pred.shape) == 1 and len(y_true.shape) == 1:  # one output per sample
            y_true, y_pred = ops.expand_dims(y_true, -1), ops.expand_dims(y_pred, -1)
        w = None if sample_weight is None else ops.convert_to_tensor(sample_weight)
        direct = (len(y_pred.shape) == 2 and y_pred.shape[-1] is not None
                  and tuple(y_true.shape) == tuple(y_pred.shape)
                  and (w is None or len(w.shape) == 1 or (len(w.shape) == 2 and w.shape[-1] == 1))
                  and host_available())
        if not direct:
            return super().update_state(y_true, y_pred, sample_weight=sample_weight)
        outputs = int(y_pred.shape[-1])
        if w is not None:
            w = ops.reshape(ops.cast(w, y_pred.dtype), (-1,))
        sums = moment_sums(y_true, y_pred, w, outputs, self.total.dtype)
        # Keras averages over the outputs of a sample, then weights samples.
        self._total.add(ops.sum(sums[:, STAT[self._stat]]) / outputs)
        self._count.add(sums[0, STAT["sum_weight"]])


@_register
class MeanSquaredError(_ErrorMoments, FixedMeanMetric):
    """Mean of ``(y_true - y_pred) ** 2`` (averaged over the last axis, then weighted over samples)."""

    _function = staticmethod(keras.losses.mean_squared_error)
    _stat = "sum_squared_error"

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


@_register
class MeanAbsoluteError(_ErrorMoments, FixedMeanMetric):
    """Mean of ``|y_true - y_pred|``, exact where a float32 running total drifts.

    >>> m = MeanAbsoluteError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> float(m.result())
    0.25
    """

    _function = staticmethod(keras.losses.mean_absolute_error)
    _stat = "sum_absolute_error"

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


@_register
class MeanAbsolutePercentageError(FixedMeanMetric):
    """Mean of ``100 * |y_true - y_pred| / |y_true|``."""

    _function = staticmethod(keras.losses.mean_absolute_percentage_error)

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


@_register
class MeanSquaredLogarithmicError(FixedMeanMetric):
    """Mean of ``(log(y_true + 1) - log(y_pred + 1)) ** 2``."""

    _function = staticmethod(keras.losses.mean_squared_logarithmic_error)

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


@_register
class LogCoshError(FixedMeanMetric):
    """Mean of ``log(cosh(y_pred - y_true))``."""

    _function = staticmethod(keras.losses.log_cosh)

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(name=name, dtype=dtype)


def cosine_similarity(y_true, y_pred, axis=-1):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=y_pred.dtype)
    y_true, y_pred = same_rank(y_true, y_pred)
    return ops.sum(keras.utils.normalize(y_true, axis=axis) * keras.utils.normalize(y_pred, axis=axis), axis=axis)


@_register
class CosineSimilarity(FixedMeanMetric):
    """Mean cosine similarity between labels and predictions along ``axis``."""

    _function = staticmethod(cosine_similarity)
    _higher_is_better = True

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(name=name, dtype=dtype, axis=axis)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class _SquaredErrorMean(Mean):
    def __init__(self, name, dtype):
        super().__init__(name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.convert_to_tensor(y_true, self._dtype)
        y_pred = ops.convert_to_tensor(y_pred, self._dtype)
        y_true, y_pred = same_rank(y_true, y_pred)
        return super().update_state(ops.square(y_pred - y_true), sample_weight=sample_weight)


@_register
class RootMeanSquaredError(_ErrorMoments, _SquaredErrorMean):
    """Square root of the mean of ``(y_true - y_pred) ** 2``.

    >>> m = RootMeanSquaredError()
    >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
    >>> float(m.result())
    0.5
    """

    _stat = "sum_squared_error"

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name, dtype=dtype)
        self._direction = "down"

    def result(self):
        return ops.cast(ops.sqrt(self._mean()), self.result_dtype)


@_register
class R2Score(Metric):
    """Coefficient of determination per output, aggregated as ``keras.metrics.R2Score``.

    The per-output weighted sums of y, y² and squared error come from the core's
    ``Moments`` in compensated float64, taken about an origin per output (the first
    row of labels seen), so the total sum of squares of targets with a large mean
    and a small spread does not cancel away. ``num_samples`` counts as the installed
    Keras does: every value (Keras 3.15), or each sample with a non-zero weight in
    some output (3.16).

    >>> m = R2Score()
    >>> m.update_state([[1], [4], [3]], [[2], [4], [4]])
    >>> round(float(m.result()), 4)
    0.5714
    """

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        valid = (None, "uniform_average", "variance_weighted_average")
        if class_aggregation not in valid:
            raise ValueError(f"Invalid value for argument `class_aggregation`. Expected one of {valid}. "
                             f"Received: class_aggregation={class_aggregation}")
        if num_regressors < 0:
            raise ValueError(f"Invalid value for argument `num_regressors`. Expected a value >= 0. "
                             f"Received: num_regressors={num_regressors}")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self._num_samples = StateVariable(self, "num_samples", ())
        self.sums = None

    def _build(self, y_true_shape, y_pred_shape):
        self._outputs = two_dimensional_outputs("R2Score", y_true_shape, y_pred_shape)
        self._sums = StateVariable(self, "sums", (self._outputs, len(STAT)))
        self.origin = self.add_variable(shape=(self._outputs,), initializer="zeros", dtype=state_dtype(),
                                        name="origin")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.convert_to_tensor(y_true, dtype=self._dtype)
        y_pred = ops.convert_to_tensor(y_pred, dtype=self._dtype)
        y_true, y_pred = same_rank(y_true, y_pred)
        if self.sums is None:
            self._build(y_true.shape, y_pred.shape)
        w = None
        if sample_weight is not None:
            w = ops.convert_to_tensor(sample_weight, dtype=self._dtype)
            if len(w.shape) == 1:
                w = ops.expand_dims(w, axis=1)
            w = ops.broadcast_to(w, ops.shape(y_true))
        dtype = self.sums.dtype
        y_true, y_pred = ops.cast(y_true, dtype), ops.cast(y_pred, dtype)
        # The origin is the first row of labels, fixed while nothing has been counted (the sums are all zero
        # until a sample of non-zero weight comes): y - origin is exact, and small where y is near it.
        if _SCOPE.get() is None:
            unset = ops.equal(self._num_samples.value(), 0)
            origin = ops.where(unset, ops.sum(y_true[:1], axis=0), ops.convert_to_tensor(self.origin))
            self.origin.assign(origin)
        else:  # per-slice runs share the first run's core call, so they share its inputs: no origin
            origin = ops.zeros_like(ops.convert_to_tensor(self.origin))
        self._sums.add(moment_sums(y_true - origin, y_pred - origin, w, self._outputs, dtype))
        self._num_samples.add(self._samples(y_true, w))

    @staticmethod
    def _samples(y_true, w):
        if KERAS_VERSION < (3, 16):
            return ops.size(y_true)
        if w is None:
            return ops.shape(y_true)[0]
        return ops.sum(ops.cast(ops.any(ops.not_equal(w, 0), axis=-1), "int32"))

    def result(self):
        if self.sums is None:
            return ops.convert_to_tensor(0.0, dtype=self.result_dtype)
        s = self._sums.value()
        var_true = formulas.true_variance(ops, s)
        raw = formulas.explained_fraction(ops, formulas.mean_squared_error(ops, s), var_true,
                                          force_finite=False)
        raw = ops.where(ops.isinf(raw), 0.0, raw)  # Keras's rule: 0 for a constant y_true, NaN for 0 / 0
        if self.class_aggregation == "uniform_average":
            r2 = ops.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            total = var_true * s[:, formulas.WEIGHT]
            r2 = ops.sum(total * raw) / ops.sum(total)
        else:
            r2 = raw
        if self.num_regressors != 0:
            n, p = self._num_samples.value(), float(self.num_regressors)
            try:
                seen = float(n.numpy())
            except Exception:  # inside a traced function
                seen = None
            if seen is not None and p >= seen - 1:
                warnings.warn("Not enough samples for the adjusted R2 score (num_regressors >= samples - 1). "
                              "Falling back to standard R2 score.", stacklevel=2)
            adjusted = 1.0 - (1.0 - r2) * (n - 1.0) / (n - p - 1.0)
            r2 = ops.where(p < n - 1.0, adjusted, r2)
        return ops.cast(r2, self.result_dtype)

    def reset_state(self):
        for v in self.variables:
            v.assign(ops.zeros(v.shape, dtype=v.dtype))

    def get_config(self):
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
