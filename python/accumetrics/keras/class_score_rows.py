"""Mean metrics over rows of class scores and integer labels whose batch sums the core computes in one pass
(the argmax and top-k matches, the sparse categorical cross-entropy), where Keras's function costs an op
and a pass over the scores for each step of its formula."""

from __future__ import annotations

from ._ops import ops

from ._bridge import backend, host_available, state_dtype
from ._masks import keras_mask
from ._slicing import _SCOPE
from .reduction_metrics import MeanMetricWrapper, weighted_sums


class ClassScoreRowsMetric(MeanMetricWrapper):
    """A mean of ``fn(y_true, y_pred)`` whose (weighted sum, sum of weights) of a batch of rows of class
    scores (N, C) and labels (N,) or (N, 1) come from :meth:`_batch_sums`. Scores of another shape, a Keras
    mask, a sliced update (``partition.Sliced``) or what :meth:`_core_reads` refuses go through Keras's
    function."""

    def _core_reads(self, y_true, y_pred, sample_weight) -> bool:
        return True

    def _batch_sums(self, y_true, y_pred, sample_weight, dtype, in_graph):
        """(weighted sum of the values, sum of the weights) of the batch, tensors of ``dtype``;
        ``in_graph()`` gives the same from Keras's function, for small batches in a graph."""
        raise NotImplementedError

    def _rows_of_scores(self, y_true, y_pred, sample_weight) -> bool:
        if len(y_pred.shape) != 2 or y_pred.shape[-1] is None or "float" not in str(y_pred.dtype):
            return False
        if keras_mask(y_pred) is not None:
            return False
        if _SCOPE.get() is not None:  # a sliced update: the per-slice sums come from the sliceable mean engine
            return False
        labels = len(y_true.shape) == 1 or (len(y_true.shape) == 2 and y_true.shape[-1] == 1)
        weights = sample_weight is None or len(sample_weight.shape) == 1 or (
            len(sample_weight.shape) == 2 and sample_weight.shape[-1] == 1)
        return labels and weights and self._core_reads(y_true, y_pred, sample_weight)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.convert_to_tensor(y_pred)
        y_true = ops.convert_to_tensor(y_true)
        w = None if sample_weight is None else ops.convert_to_tensor(sample_weight)
        if not self._rows_of_scores(y_true, y_pred, w):
            return super().update_state(y_true, y_pred, sample_weight=sample_weight)
        dtype = state_dtype()
        if w is not None:  # Keras weighs in the metric's dtype
            w = ops.reshape(ops.cast(w, self.dtype), (-1,))

        def in_graph():
            scores = y_pred
            if backend() == "jax" or not host_available():
                # XLA (JAX's, TensorFlow's jit_compile) ranks a NaN score highest; the core never picks it
                scores = ops.where(ops.isnan(y_pred), float("-inf"), y_pred)
            values = self._fn(y_true, scores, **self._fn_kwargs)
            total, count, _ = weighted_sums(ops.reshape(values, (-1,)), w, self.dtype, self._values_name)
            return ops.stack([ops.cast(total, dtype), ops.cast(count, dtype)])

        sums = self._batch_sums(y_true, y_pred, w, dtype, in_graph)
        self._total.add(sums[0])
        self._count.add(sums[1])
