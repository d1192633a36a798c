"""Per-class values of a metric as separate log entries: ``precision/cat``, ``iou/road``, ...

``PerClass(metric, class_names=...)`` keeps the wrapped metric's counts per class
(the same histogram or confusion matrix, one row per class, filled in the same
single pass over the batch) and reports a dict: the metric's own value under its
name, and one value per class under ``name/class``. Keras flattens a metric's dict
result into the logs, so every entry appears in ``History``, the progress bar,
``evaluate(return_dict=True)`` and TensorBoard.

Each value is read by the wrapped metric's own ``result``, applied to one class's
counts: no formula is repeated here.
"""

from __future__ import annotations

import keras
from ._metric import Metric
from ._ops import ops

from ._class_columns import class_columns
from ._eager_result import reading
from .threshold_metric import ThresholdMetric
from .exact_auc import ExactAUC
from .f_score_metrics import FBetaScore
from .iou_metrics import IoU

_register = keras.saving.register_keras_serializable(package="accumetrics")


@_register
class PerClass(Metric):
    """A metric's value overall and for each class, from one pass over the data.

    ``metric`` is a confusion or threshold metric of this package: ``Precision``,
    ``Recall``, ``TruePositives`` (..., at one threshold), ``AUC``, ``ExactAUC``, the
    ``*At*`` metrics, ``F1Score`` / ``FBetaScore``, or an IoU metric (``IoU``,
    ``MeanIoU``, ``OneHotIoU``, ``OneHotMeanIoU``). Classes are the columns of
    ``y_pred`` (shape (N, C)); ``y_true`` is one-hot (N, C) or, for the threshold
    metrics, integer class ids (N,) or (N, 1). For the IoU metrics classes are the
    metric's ``num_classes``.

    The value under the metric's name is the metric's usual value on the same
    data (for Precision, Recall, AUC and the other threshold metrics on (N, C)
    inputs, the one over all entries, as in Keras); ``name/class`` is the value of
    that class alone: its column one-vs-rest, or for IoU its own IoU.

    >>> from accumetrics.keras import Precision
    >>> m = PerClass(Precision(name="precision"), class_names=["cat", "dog"])
    >>> m.update_state([[1, 0], [0, 1], [0, 1]], [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]])
    >>> {k: round(float(v), 4) for k, v in m.result().items()}
    {'precision': 0.6667, 'precision/cat': 0.5, 'precision/dog': 1.0}
    """

    def __init__(self, metric, class_names=None, num_classes=None, name=None, dtype=None):
        if isinstance(metric, dict):
            metric = keras.saving.deserialize_keras_object(metric)
        if not isinstance(metric, (ThresholdMetric, IoU)):
            raise TypeError(f"PerClass wraps a confusion, threshold or IoU metric of accumetrics.keras; got "
                            f"{type(metric).__name__}")
        names = _class_names(metric, class_names, num_classes)
        super().__init__(name=name or metric.name, dtype=dtype or metric.dtype)
        self._direction = getattr(metric, "_direction", "up")
        self.metric = metric
        self.class_names = names
        if isinstance(metric, ThresholdMetric):
            if getattr(metric, "class_id", None) is not None:
                raise ValueError("PerClass reports every class: pass the metric without class_id")
            if getattr(metric, "label_weights", None) is not None and not getattr(metric, "multi_label", False):
                raise ValueError("PerClass reports every class: pass the metric without label_weights")
            if metric._state is not None and metric._num_labels != len(names):
                metric._build_state(len(names))  # counts per class
            if not isinstance(metric, FBetaScore) and not getattr(metric, "multi_label", False):
                metric.count_each_column()

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    def update_state(self, y_true, y_pred, sample_weight=None):
        m = self.metric
        if isinstance(m, IoU):
            return m.update_state(y_true, y_pred, sample_weight)
        y_pred = ops.convert_to_tensor(y_pred)
        y_true = class_columns(y_true, y_pred, self.num_classes)
        return m.update_state(y_true, y_pred, sample_weight)

    def _per_class(self):
        m = self.metric
        if isinstance(m, IoU):
            ids = m.target_class_ids
            try:
                values = []
                for i in range(self.num_classes):
                    m.target_class_ids = [i]
                    values.append(m.result())
            finally:
                m.target_class_ids = ids
            return values
        if isinstance(m, FBetaScore):
            average, m.average = m.average, None
            try:
                f = m.result()
            finally:
                m.average = average
            return [f[i] if len(f.shape) else f for i in range(self.num_classes)]
        values = []
        for i in range(self.num_classes):
            with reading(m, m._label_values(i)):
                values.append(m.result())
        return values

    def _overall(self):
        m = self.metric
        if isinstance(m, (IoU, FBetaScore)) or getattr(m, "multi_label", False):
            return m.result()
        with reading(m, m._label_values()):
            return m.result()

    def result(self):
        if isinstance(self.metric, ThresholdMetric) and self.metric._state is None:
            values = [ops.convert_to_tensor(0.0, dtype=self.result_dtype)] * self.num_classes  # nothing seen yet
            overall = values[0]
        else:
            values, overall = self._per_class(), self._overall()
        out = {self.name: overall}
        out.update({f"{self.name}/{c}": v for c, v in zip(self.class_names, values)})
        return out

    def reset_state(self):
        self.metric.reset_state()

    def get_config(self):
        return {"metric": keras.saving.serialize_keras_object(self.metric), "class_names": list(self.class_names),
                "name": self.name, "dtype": self.dtype}


def _class_names(metric, class_names, num_classes) -> list[str]:
    if class_names is None and num_classes is None:
        num_classes = getattr(metric, "num_classes", None) if isinstance(metric, IoU) else None
        num_classes = num_classes or getattr(metric, "num_labels", None)
        if num_classes is None:
            raise ValueError("PerClass needs class_names (or num_classes) to know the classes")
    if class_names is None:
        class_names = [str(i) for i in range(int(num_classes))]
    names = [str(c) for c in class_names]
    if not names:
        raise ValueError("class_names must name at least one class")
    if len(set(names)) != len(names):
        raise ValueError(f"class_names must be distinct; got {names}")
    if num_classes is not None and int(num_classes) != len(names):
        raise ValueError(f"class_names has {len(names)} names but num_classes={num_classes}")
    if isinstance(metric, IoU) and metric.num_classes != len(names):
        raise ValueError(f"class_names has {len(names)} names but the metric has num_classes={metric.num_classes}")
    return names
