"""Per-partition validation metrics at epoch end, from one batched prediction pass.

Calling ``model.evaluate`` once per partition at every epoch end runs N passes
with N times Keras's per-call overhead. :class:`PartitionMetrics` predicts all
partitions together once, then fills every partition's metrics in one grouped
pass of the core, and writes ``<prefix><metric>/<partition>`` into the epoch's
logs, where History, TensorBoard and the other callbacks listed after it see them.
"""

from __future__ import annotations

import numpy as np
import keras

from .. import _validation as v
from .._validation.encoding import lookup, numbered
from ..confusion import ConfusionMatrix
from .diagnostics import sample_losses
from ..moments import Moments
from .partition import Sliced, _metric


def partition_ids(partitions, names=None) -> tuple[list, np.ndarray]:
    """(names, ids): each sample's partition label (any values, e.g. strings) as an index into ``names``.

    ``names`` defaults to the sorted distinct labels; given, it fixes their order and
    every label must be in it.
    """
    labels = np.asarray(partitions)
    if labels.ndim != 1:
        raise ValueError(f"partitions has shape {labels.shape}; expected one partition label per sample")
    if names is None:
        distinct, ids = numbered(labels)
        return distinct.tolist(), ids.astype(np.int64)
    names = list(names)
    if len(set(np.asarray(names).tolist())) != len(names):
        raise ValueError(f"names must be distinct; got {names}")
    ids, missing = lookup(labels, names)
    if missing.any():
        raise ValueError(f"partition label {labels[np.argmax(missing)]!r} is not in names {names}")
    return names, ids


def balanced_sample_weight(y, partition_ids=None, num_partitions=None) -> np.ndarray:
    """sklearn's ``compute_sample_weight("balanced", y)`` within each partition, in one pass.

    A sample of class c in partition p weighs ``n_p / (k_p * n_pc)``: n_p samples in
    the partition, k_p classes present in it, n_pc of them of class c. For 2-D ``y``
    (several outputs, or one-hot rows) the weights of the columns multiply, as in
    sklearn. Class counts per partition come from the core's sliced ``ConfusionMatrix``.
    """
    y = np.asarray(y)
    if y.ndim == 1:
        y = y[:, None]
    if y.ndim != 2:
        raise ValueError(f"y has shape {y.shape}; expected (n_samples,) or (n_samples, n_outputs)")
    n = len(y)
    if partition_ids is None:
        ids, slices = np.zeros(n, dtype=np.int64), 1
    else:
        ids = v.slice_ids(partition_ids, n)
        if num_partitions is not None:
            slices = v.positive_int(num_partitions, "num_partitions")
        else:
            slices = int(ids.max()) + 1 if n else 1
    weight = np.ones(n)
    for column in y.T:
        classes, codes = numbered(column)
        counts = ConfusionMatrix(max(len(classes), 1), num_slices=slices).update(codes, codes, slice_ids=ids).counts
        per_class = np.diagonal(counts, axis1=1, axis2=2)  # (partitions, classes)
        present = np.count_nonzero(per_class, axis=1)
        size = per_class.sum(axis=1)
        weight *= size[ids] / (present[ids] * per_class[ids, codes])
    return weight


def _compiled(update):
    """``update`` as one TensorFlow graph on that backend: the wrapped metric's arithmetic,
    repeated per partition, then runs as one graph with the repeats merged."""
    if keras.backend.backend() != "tensorflow":
        return lambda y, y_pred, w, ids: update(y, y_pred, w, slice_ids=ids)
    import tensorflow as tf

    return tf.function(lambda y, y_pred, w, ids: update(y, y_pred, w, slice_ids=ids), reduce_retracing=True)


class PartitionMetrics(keras.callbacks.Callback):
    """Each partition's loss and metrics on held-out data, logged as ``<prefix><name>/<partition>``.

    At the end of every ``every``-th epoch: one ``model.predict`` over all of ``x``,
    then the loss and each metric per partition, all partitions in one grouped pass.
    Each value equals ``model.evaluate`` on that partition alone (with ``metrics``
    compiled as ``weighted_metrics``, which see ``sample_weight``). List this callback
    before ``TensorBoard`` so that the values reach it; History always sees them.

    Args:
        x, y: held-out inputs (anything ``model.predict`` takes) and labels.
        partitions: each sample's partition label (integers, strings, ...).
        metrics: accumetrics.keras metrics (instances or class names), computed per partition.
        names: the partitions' names in the order to log them (default: sorted labels).
        sample_weight: per-sample weights.
        class_weight: ``"balanced"`` to weight each partition's classes as sklearn's
            ``compute_sample_weight("balanced", y_partition)`` (multiplies ``sample_weight``).
        loss: also log each partition's loss (the model's compiled loss, as Keras computes it).
        every: compute every ``every`` epochs.
        prefix: put before each name in the logs (``"val_"`` groups them with the
            validation metrics in History and TensorBoard).
        batch_size: for the prediction pass.

    ``results`` holds the last values computed: ``{"<name>/<partition>": float}``.
    """

    def __init__(self, x, y, partitions, metrics=(), *, names=None, sample_weight=None, class_weight=None,
                 loss=True, every=1, prefix="val_", batch_size=1024):
        super().__init__()
        self.x = x
        self.y = y
        self.partitions, self.ids = partition_ids(partitions, names)
        n = len(self.ids)
        rows = len(y)
        if rows != n:
            raise ValueError(f"y and partitions have different lengths: {rows} and {n}")
        w = v.weights(sample_weight, n)
        if class_weight is not None:
            if class_weight != "balanced":
                raise ValueError(f"class_weight must be None or 'balanced'; got {class_weight!r}")
            balanced = balanced_sample_weight(y, self.ids, len(self.partitions))
            w = balanced if w is None else w * balanced
        self.sample_weight = w
        self.metrics = [Sliced(_metric(m), self.partitions, overall=False) for m in metrics]
        self._updates = [_compiled(m.update_state) for m in self.metrics]
        self.loss = bool(loss)
        self.every = v.positive_int(every, "every")
        self.prefix = prefix
        self.batch_size = v.positive_int(batch_size, "batch_size")
        self.results = {}

    def compute(self) -> dict:
        """Every partition's loss and metrics for the model as it is now."""
        y_pred = self.model.predict(self.x, batch_size=self.batch_size, verbose=0)
        results = {}
        if self.loss:
            losses = sample_losses(self.model.loss, self.y, y_pred)
            if self.sample_weight is not None:
                losses = losses * self.sample_weight  # Keras's "sum_over_batch_size": mean of w * loss
            per = Moments(num_slices=len(self.partitions)).update(None, losses, slice_ids=self.ids).mean_pred
            results.update({f"loss/{p}": float(value) for p, value in zip(self.partitions, per)})
        for metric, update in zip(self.metrics, self._updates):
            metric.reset_state()
            update(self.y, y_pred, self.sample_weight, self.ids)
            for key, value in metric.result().items():
                value = keras.ops.convert_to_numpy(value)
                results[key] = float(value) if value.size == 1 else value
        return results

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every:
            return
        self.results = self.compute()
        if logs is not None:
            logs.update({self.prefix + key: value for key, value in self.results.items()})
