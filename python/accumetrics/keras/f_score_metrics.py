"""F-beta and F1 scores, per class or averaged, from the core's threshold counts.

Each class is one label of a multilabel ``ThresholdCounts`` with a single
threshold: the same engine as Precision and Recall.
"""

from __future__ import annotations

import numpy as np
import keras
from ._ops import ops

from ._keras_version import KERAS_VERSION
from ._shapes import two_dimensional_outputs
from ._state import StateVariable
from ..formulas import confusion as formulas
from .threshold_metric import ThresholdMetric

_register = keras.saving.register_keras_serializable(package="accumetrics")
_EPSILON = 1e-7


def sample_weight_per_value(sample_weight, y_pred):
    """``sample_weight`` broadcast to ``y_pred`` (N, classes) as the installed Keras does: Keras 3.16
    broadcasts any weight of lower rank (a scalar, (N,)) or of the same shape; earlier versions take
    only one weight per sample, shape (N,)."""
    if sample_weight is None:
        return None
    w = ops.convert_to_tensor(sample_weight, dtype="float32")
    if KERAS_VERSION < (3, 16) and len(w.shape) != 1:
        raise ValueError(f"sample_weight has shape {tuple(w.shape)}; FBetaScore of Keras {keras.version()} takes "
                         "one weight per sample, shape (batch_size,) (Keras 3.16 also broadcasts scalar and "
                         "per-class weights)")
    for _ in range(len(y_pred.shape) - len(w.shape)):
        w = ops.expand_dims(w, -1)
    return ops.broadcast_to(w, ops.shape(y_pred))


@_register
class FBetaScore(ThresholdMetric):
    """F-beta score, ``(1 + beta²) P R / (beta² P + R)``, per class or averaged.

    Arguments as ``keras.metrics.FBetaScore``. With ``threshold=None`` a sample's
    highest score (and any score tied with it) is its prediction; otherwise a
    score counts when ``score > threshold``. Beyond Keras, ``y_true`` may also be
    integer class ids of shape (N,) or (N, 1); labels are read as 0/1 (non-zero is
    positive).

    >>> m = F1Score(average="macro")
    >>> m.update_state(np.array([[0, 1], [1, 0], [1, 0]]), np.array([[0.2, 0.8], [0.6, 0.4], [0.3, 0.7]]))
    >>> round(float(m.result()), 4)
    0.6667
    """

    _kept = {"tp": "true_positives", "fp": "false_positives", "fn": "false_negatives"}

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError("Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', "
                             f"'weighted'}}. Received: average={average}")
        if not isinstance(beta, float):
            raise ValueError(f"Invalid `beta` argument value. It should be a Python float. Received: beta={beta} "
                             f"of type '{type(beta)}'")
        if beta <= 0.0:
            raise ValueError(f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}")
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError("Invalid `threshold` argument value. It should be a Python float. "
                                 f"Received: threshold={threshold} of type '{type(threshold)}'")
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError("Invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
                                 f"Received: threshold={threshold}")
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._set_thresholds([0.5 if threshold is None else threshold], clip=False, num_labels=None,
                             multi_label=True)
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        self._num_labels = two_dimensional_outputs("FBetaScore", y_true_shape, y_pred_shape)
        shape = () if self.average == "micro" else (self._num_labels,)
        self._state = {field: StateVariable(self, name, shape) for field, name in self._kept.items()}
        self._positives = StateVariable(self, "intermediate_weights", shape)
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.convert_to_tensor(y_pred, dtype="float32")
        y_true = ops.convert_to_tensor(y_true)
        classes = y_pred.shape[-1] if len(y_pred.shape) == 2 else None
        if ("int" in str(y_true.dtype) and classes is not None
                and (len(y_true.shape) == 1 or (y_true.shape[-1] == 1 and classes > 1))):
            y_true = ops.one_hot(ops.reshape(y_true, (-1,)), int(classes))
        if not self._built:
            self._build(tuple(y_true.shape), tuple(y_pred.shape))
        if self.threshold is None:
            top = ops.max(y_pred, axis=-1, keepdims=True)
            y_pred = ops.cast(ops.logical_and(y_pred >= top, ops.abs(y_pred) > 1e-9), "float32")
        self._accumulate(y_true, y_pred, sample_weight_per_value(sample_weight, y_pred))

    def _add(self, counts):
        counts = counts[:, 0]  # (4, classes) at the one threshold
        if self.average == "micro":
            counts = ops.sum(counts, axis=-1)
        super()._add(counts)
        self._positives.add(counts[0] + counts[3])

    def result(self):
        if self._state is None:
            return ops.convert_to_tensor(0.0, dtype=self.result_dtype)
        tp, fp, fn = (self._count(f) for f in ("tp", "fp", "fn"))
        positives = self._positives.value()
        f = formulas.f_beta_smoothed(ops, tp, fp, fn, self.beta, _EPSILON)
        if self.average == "weighted":
            f = ops.sum(f * positives / (ops.sum(positives) + _EPSILON))
        elif self.average is not None:
            f = ops.mean(f)
        return ops.cast(f, self.result_dtype)

    def reset_state(self):
        super().reset_state()
        if self._built:
            self._positives.reset()

    def get_config(self):
        return {**super().get_config(), "name": self.name, "dtype": self.dtype, "average": self.average,
                "beta": self.beta, "threshold": self.threshold}


@_register
class F1Score(FBetaScore):
    """F1 score, the harmonic mean of precision and recall; see :class:`FBetaScore`."""

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
