"""Metrics per partition of the data (client, region, data source), filled in one pass.

:class:`Sliced` wraps any accumetrics.keras metric and keeps one state per
partition: the core fills all of them from one call per batch, using a partition
id per sample (the core's slice dimension). ``result()`` gives the overall value
and each partition's, as ``{"auc": ..., "auc/eu": ..., "auc/us": ...}``, which
``fit``/``evaluate`` put straight into their logs (so History and TensorBoard
show them).

During ``fit``, :class:`PartitionedModel` carries the partition ids from the data
to the metrics with no extra forward pass: the inputs are a dict holding the
features and a ``"partition"`` entry, and ``compute_metrics`` (which Keras
calls with ``x``) hands those ids to the sliced metrics::

    model = PartitionedModel(base_model, metrics=[ak.AUC()], partitions=["eu", "us"])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit({"x": features, "partition": ids}, y, validation_data=({"x": fv, "partition": iv}, yv))
    # history keys: loss, auc, auc/eu, auc/us, val_loss, val_auc, val_auc/eu, val_auc/us

With ``tf.data``, yield ``({"x": features, "partition": ids}, y)``.
"""

from __future__ import annotations

import keras
from ._ops import ops

from . import metrics as _metrics
from ._bridge import plain_python
from ._slicing import SliceScope

_register = keras.saving.register_keras_serializable(package="accumetrics")


def _metric(metric):
    if isinstance(metric, keras.metrics.Metric):
        return metric
    if isinstance(metric, str) and metric in _metrics.__all__:
        return getattr(_metrics, metric)()
    raise TypeError(f"metric must be an accumetrics.keras metric or the name of its class (e.g. 'AUC'); "
                    f"got {metric!r}")


def _names(partitions) -> list[str]:
    if isinstance(partitions, int) and not isinstance(partitions, bool):
        if partitions < 1:
            raise ValueError(f"partitions must be a positive number of partitions or a list of names; got {partitions}")
        return [str(i) for i in range(partitions)]
    if isinstance(partitions, (str, bytes)) or not hasattr(partitions, "__iter__"):
        raise TypeError(f"partitions must be a number of partitions or a list of names; got {partitions!r}")
    names = [p.decode() if isinstance(p, bytes) else str(p) for p in partitions]
    if not names:
        raise ValueError("partitions is empty; give at least one partition")
    if len(set(names)) != len(names):
        raise ValueError(f"partition names must be distinct; got {names}")
    return names


@_register
class Sliced(keras.metrics.Metric):
    """``metric`` per partition: one state per partition, all filled in one pass per batch.

    Args:
        metric: an accumetrics.keras metric (instance or class name).
        partitions: the number of partitions, or their names (strings or anything
            ``str`` names). Partition ids are integers in ``[0, len(partitions))``.
        overall: also report the value over all partitions, under the metric's name.

    ``update_state(y_true, y_pred, sample_weight=None, slice_ids=...)`` takes one
    partition id per sample. ``result()`` is a dict: ``name`` (overall) and
    ``name/partition`` for each partition. Each partition's value equals the
    metric computed on that partition's samples alone.

    >>> from accumetrics.keras import MeanAbsoluteError
    >>> m = Sliced(MeanAbsoluteError(), ["a", "b"])
    >>> m.update_state([[0.0], [1.0], [2.0]], [[0.5], [1.0], [4.0]], slice_ids=[0, 0, 1])
    >>> {k: round(float(v), 3) for k, v in m.result().items()}
    {'mean_absolute_error': 0.833, 'mean_absolute_error/a': 0.25, 'mean_absolute_error/b': 2.0}

    Each update runs the wrapped metric's own arithmetic once per partition
    (on the core's per-partition counts), so graphs grow with the number of
    partitions: for hundreds of them, prefer the numpy accumulators
    (``num_slices=``) or :class:`~accumetrics.keras.callbacks.PartitionMetrics`.
    ``R2Score(num_regressors=k)`` adjusts with the whole batch's sample count.
    """

    def __init__(self, metric, partitions, *, overall=True, name=None, dtype=None):
        metric = _metric(metric)
        super().__init__(name=name or metric.name, dtype=dtype or metric.dtype)
        self.metric = metric
        self.partitions = _names(partitions)
        self._numbered = isinstance(partitions, int)
        self.overall = bool(overall)
        self._direction = getattr(metric, "_direction", None)
        self._state = None
        self._zeros = None

    @property
    def num_partitions(self) -> int:
        return len(self.partitions)

    def _build_state(self, y_true, y_pred, sample_weight):
        # An update with the first sample builds the metric's lazily-made variables (R2Score, F1Score, ...).
        w = None if sample_weight is None or len(ops.shape(sample_weight)) == 0 else sample_weight[:1]
        self.metric.update_state(y_true[:1], y_pred[:1], w)
        self.metric.reset_state()
        inner = self.metric.variables
        self._state = [self.add_variable(shape=(self.num_partitions, *v.shape), initializer="zeros", dtype=v.dtype,
                                         name=f"{v.name.split('/')[-1]}_per_partition") for v in inner]

    @plain_python
    def update_state(self, y_true, y_pred, sample_weight=None, slice_ids=None):
        if slice_ids is None:
            raise ValueError(f"{type(self).__name__}({self.metric.name}).update_state needs slice_ids: one partition "
                             f"id in [0, {self.num_partitions}) per sample")
        y_true, y_pred = ops.convert_to_tensor(y_true), ops.convert_to_tensor(y_pred)
        if sample_weight is not None:
            sample_weight = ops.convert_to_tensor(sample_weight)
        slice_ids = ops.convert_to_tensor(slice_ids)
        if self._state is None:
            self._build_state(y_true, y_pred, sample_weight)
        inner = self.metric.variables
        zeros = [ops.zeros(v.shape, dtype=v.dtype) for v in inner]
        parts = []
        with SliceScope(slice_ids, self.num_partitions) as scope:
            for s in range(self.num_partitions):
                scope.run(s)
                with keras.StatelessScope(state_mapping=list(zip(inner, zeros))) as state:
                    self.metric.update_state(y_true, y_pred, sample_weight)
                if not scope.calls:
                    raise TypeError(f"{type(self.metric).__name__} does not fill its state through the accumetrics "
                                    "core, so it cannot be sliced; use the accumetrics.keras metric of that name")
                parts.append([state.get_current_value(v) for v in inner])
        for i, (v, z) in enumerate(zip(self._state, zeros)):
            v.assign_add(ops.stack([z if p[i] is None else ops.cast(p[i], v.dtype) for p in parts]))

    def _value(self, values):
        return self.metric.stateless_result(values)

    def result(self):
        if self._state is None:
            value = self.metric.result()
            per = dict.fromkeys(self._keys(), value)
        else:
            per = {key: self._value([v[s] for v in self._state]) for s, key in enumerate(self._keys())}
        if not self.overall:
            return per
        total = self.metric.result() if self._state is None else self._value([ops.sum(v, axis=0)
                                                                               for v in self._state])
        return {self.name: total, **per}

    def _keys(self):
        return [f"{self.name}/{p}" for p in self.partitions]

    def by_partition(self) -> dict:
        """{partition name: value}, as numpy."""
        r = self.result()
        return {p: ops.convert_to_numpy(r[k]) for p, k in zip(self.partitions, self._keys())}

    def reset_state(self):
        for v in self.variables:
            v.assign(ops.zeros(v.shape, dtype=v.dtype))

    def get_config(self):
        return {"metric": keras.saving.serialize_keras_object(self.metric),
                "partitions": self.num_partitions if self._numbered else list(self.partitions),
                "overall": self.overall, "name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["metric"] = keras.saving.deserialize_keras_object(config["metric"])
        return cls(**config)


class PartitionedModel(keras.Model):
    """Wraps a model so that training and evaluation fill per-partition metrics, from the same forward pass.

    Inputs are a dict: ``{key: partition ids, ...features}``. The wrapped model
    gets the features (the single remaining entry's value, or the dict of the
    remaining entries); ``compute_metrics`` hands the ids to ``metrics`` and
    ``weighted_metrics`` (each wrapped in :class:`Sliced` unless it is one),
    the latter also getting ``sample_weight``, as in ``compile``. Their values
    appear in the logs as ``name`` and ``name/partition`` (``val_`` prefixed on
    validation data).

    Args:
        model: the model to train.
        metrics, weighted_metrics: accumetrics.keras metrics (or :class:`Sliced`).
        partitions: the number of partitions or their names, for metrics not already sliced.
        key: the input entry holding the partition ids (integers in ``[0, len(partitions))``).
    """

    def __init__(self, model, metrics=(), weighted_metrics=(), partitions=None, key="partition", **kwargs):
        super().__init__(**kwargs)
        if not metrics and not weighted_metrics:
            raise ValueError("PartitionedModel needs metrics or weighted_metrics to slice")

        def sliced(m):
            if isinstance(m, Sliced):
                return m
            if partitions is None:
                raise ValueError(f"partitions is needed to slice {m!r}: a number of partitions or their names")
            return Sliced(m, partitions)

        self.model = model
        self.key = key
        self.partition_metrics = [sliced(m) for m in metrics]
        self.weighted_partition_metrics = [sliced(m) for m in weighted_metrics]

    def _features(self, inputs):
        if not isinstance(inputs, dict) or self.key not in inputs:
            return inputs
        rest = {k: v for k, v in inputs.items() if k != self.key}
        return next(iter(rest.values())) if len(rest) == 1 else rest

    def call(self, inputs, training=None):
        return self.model(self._features(inputs), training=training)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        if not isinstance(x, dict) or self.key not in x:
            got = sorted(x) if isinstance(x, dict) else type(x).__name__
            raise ValueError(f"PartitionedModel needs its inputs as a dict with a {self.key!r} entry (one partition "
                             f"id per sample) next to the features; got {got}")
        ids = x[self.key]
        for m in self.partition_metrics:
            m.update_state(y, y_pred, slice_ids=ids)
        for m in self.weighted_partition_metrics:
            m.update_state(y, y_pred, sample_weight, slice_ids=ids)
        return super().compute_metrics(x, y, y_pred, sample_weight)
