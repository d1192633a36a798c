"""Agreement of true and predicted classes, read from the confusion matrix the core counts:
Matthews correlation and Cohen's kappa (TensorFlow Addons had both; ``keras.metrics`` has neither).

The state is the (true class, predicted class) matrix of weights, kept in float64 (``StateVariable``);
``result`` applies the formula of ``accumetrics.formulas.confusion`` that scikit-learn's
``matthews_corrcoef`` and ``cohen_kappa_score`` also read here, in ``keras.ops``, in the graph.
"""

from __future__ import annotations

import keras
from ._metric import Metric
from ._ops import ops

from ..formulas import confusion as formulas
from ._bridge import state_dtype
from ._batch_counts import confusion_counts
from ._state import StateVariable

_register = keras.saving.register_keras_serializable(package="accumetrics")

_INPUTS = """
    ``y_pred`` holds a score per class (shape (N, num_classes): the predicted class is the
    highest, the first of equal ones), class ids of an integer dtype, or, for two classes, one
    score per sample (shape (N,) or (N, 1): class 1 where ``score > threshold``). ``y_true``
    holds class ids (shape (N,) or (N, 1)) or, with class scores of the same shape, one-hot
    rows. Class ids outside [0, num_classes) are skipped, as Keras's IoU metrics skip them.
"""


class _ClassAgreement(Metric):
    """The confusion matrix of the predicted classes (``confusion_matrix``, (C, C)); subclasses read it."""

    def __init__(self, num_classes=2, threshold=0.5, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(f"num_classes={num_classes!r}: expected an integer >= 2")
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
            raise ValueError(f"threshold={threshold!r}: expected a number in [0, 1]")
        self.num_classes = num_classes
        self.threshold = float(threshold)
        self._matrix = StateVariable(self, "confusion_matrix", (num_classes, num_classes))

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.convert_to_tensor(y_pred)
        y_true = ops.convert_to_tensor(y_true)
        ids = "int" in str(y_pred.dtype)
        scores = not ids and len(y_pred.shape) >= 2 and y_pred.shape[-1] is not None and y_pred.shape[-1] > 1
        if scores and y_pred.shape[-1] != self.num_classes:
            raise ValueError(f"y_pred has {y_pred.shape[-1]} class scores (shape {tuple(y_pred.shape)}); this "
                             f"metric counts num_classes={self.num_classes}")
        if not scores and not ids and self.num_classes != 2:
            raise ValueError(f"y_pred has one score per sample (shape {tuple(y_pred.shape)}): that needs "
                             f"num_classes=2, not {self.num_classes} (or class ids of an integer dtype)")
        if scores and len(y_true.shape) == len(y_pred.shape) and y_true.shape[-1] == self.num_classes:
            y_true = ops.argmax(y_true, axis=-1)  # one-hot rows
        y_true = ops.reshape(ops.cast(y_true, "int32"), (-1,))
        if scores:
            y_pred = ops.reshape(y_pred, (-1, self.num_classes))
        elif ids:
            y_pred = ops.reshape(ops.cast(y_pred, "int32"), (-1,))
        else:
            y_pred = ops.reshape(ops.cast(ops.cast(y_pred, "float32") > self.threshold, "int32"), (-1,))
        if sample_weight is not None:
            w = ops.reshape(ops.cast(ops.convert_to_tensor(sample_weight), "float32"), (-1,))
            sample_weight = ops.broadcast_to(w, ops.shape(y_true))
        self._matrix.add(confusion_counts(y_true, y_pred, sample_weight, self.num_classes, state_dtype(),
                                          pred_scores=scores))

    def reset_state(self):
        self._matrix.reset()

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes, "threshold": self.threshold}


@_register
class MatthewsCorrelation(_ClassAgreement):
    __doc__ = """Matthews correlation coefficient of the predicted classes, as scikit-learn's ``matthews_corrcoef``
    on all the data seen (Gorodkin's R_K for more than two classes; 0 where undefined).
""" + _INPUTS + """
    >>> m = MatthewsCorrelation(num_classes=2)
    >>> m.update_state([1, 1, 1, 0], [0.9, 0.2, 0.8, 0.7])
    >>> round(float(m.result()), 4)
    -0.3333
    """

    def __init__(self, num_classes=2, threshold=0.5, name="matthews_correlation", dtype=None):
        super().__init__(num_classes=num_classes, threshold=threshold, name=name, dtype=dtype)

    def result(self):
        return ops.cast(formulas.matthews_corrcoef(ops, self._matrix.value()), self.result_dtype)


@_register
class CohenKappa(_ClassAgreement):
    __doc__ = """Cohen's kappa of the true and predicted classes, as scikit-learn's ``cohen_kappa_score`` on all the
    data seen: ``weights`` is None, ``"linear"`` or ``"quadratic"`` (disagreement weighted by the distance
    between class ids, for ordered classes). NaN where undefined (no sample, or no disagreement
    expected by chance), as scikit-learn's default.
""" + _INPUTS + """
    >>> m = CohenKappa(num_classes=3)
    >>> m.update_state([0, 2, 0, 1, 2], [0, 2, 0, 1, 0])
    >>> float(m.result())
    0.6875
    """

    def __init__(self, num_classes=2, weights=None, threshold=0.5, name="cohen_kappa", dtype=None):
        super().__init__(num_classes=num_classes, threshold=threshold, name=name, dtype=dtype)
        if weights not in (None, "linear", "quadratic"):
            raise ValueError(f"weights={weights!r}: expected None, 'linear' or 'quadratic'")
        self.weights = weights
        self._disagreement = formulas.kappa_weights(num_classes, weights)

    def result(self):
        matrix = self._matrix.value()
        disagreement = ops.convert_to_tensor(self._disagreement, dtype=matrix.dtype)
        return ops.cast(formulas.cohen_kappa(ops, matrix, disagreement), self.result_dtype)

    def get_config(self):
        return {**super().get_config(), "weights": self.weights}
