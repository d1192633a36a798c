"""Intersection-over-union metrics, read from a multiclass confusion matrix computed by the core."""

from __future__ import annotations

import numpy as np
import keras
from ._metric import Metric
from ._ops import ops

from .._validation import check_memory
from ._bridge import state_dtype
from ._batch_counts import confusion_counts
from ._state import StateVariable

_register = keras.saving.register_keras_serializable(package="accumetrics")
_EPSILON = 1e-7


def _classes(ignore_class) -> tuple[int, ...]:
    if ignore_class is None:
        return ()
    if isinstance(ignore_class, (list, tuple, np.ndarray)):
        return tuple(int(c) for c in ignore_class)
    return (int(ignore_class),)


class _IoUBase(Metric):
    """The confusion matrix behind the IoU metrics (``total_cm``), kept in float64: exact counts to 2**53,
    and sample weights kept as given.

    Labels outside [0, num_classes) are skipped, as in Keras. ``ignore_class`` may be one
    class id or several. Keras's default integer ``dtype`` truncates fractional sample
    weights (and warns); here they count as given, whatever ``dtype``.
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(name=name, dtype=dtype or "int")
        self._direction = "up"
        # the matrix (and a low part on JAX without float64) and a batch's counts, float64 each: refused before
        # anything is allocated where they exceed the memory limit
        check_memory(int(num_classes) ** 2 * 8 * 3, "num_classes", f"{type(self).__name__}(num_classes={num_classes})")
        self.num_classes = num_classes
        self.ignore_class = list(ignore_class) if isinstance(ignore_class, (list, tuple)) else ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self._total_cm = StateVariable(self, "total_confusion_matrix", (num_classes, num_classes), attribute="total_cm")

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.sparse_y_true:
            y_true = ops.argmax(y_true, axis=self.axis)
        y_pred = ops.convert_to_tensor(y_pred)
        # scores on the last axis: the core takes their argmax in the counting call
        pred_scores = (not self.sparse_y_pred and self.axis in (-1, len(y_pred.shape) - 1)
                       and y_pred.shape[-1] is not None and "float" in str(y_pred.dtype))
        if not self.sparse_y_pred and not pred_scores:
            y_pred = ops.argmax(y_pred, axis=self.axis)
        y_true = ops.reshape(ops.cast(y_true, "int32"), (-1,))
        if pred_scores:
            y_pred = ops.reshape(y_pred, (-1, y_pred.shape[-1]))
        else:
            y_pred = ops.reshape(ops.cast(y_pred, "int32"), (-1,))
        if sample_weight is not None:
            w = ops.cast(ops.convert_to_tensor(sample_weight), "float32")
            if len(w.shape) > 1:
                w = ops.reshape(w, (-1,))
            sample_weight = ops.broadcast_to(w, ops.shape(y_true))
        cm = confusion_counts(y_true, y_pred, sample_weight, self.num_classes, state_dtype(),
                              ignore=_classes(self.ignore_class), pred_scores=pred_scores)
        self._total_cm.add(cm)

    def reset_state(self):
        self._total_cm.reset()


@_register
class IoU(_IoUBase):
    """Mean intersection-over-union over ``target_class_ids``: TP / (TP + FP + FN) per class.

    Arguments as ``keras.metrics.IoU``; ``ignore_class`` also accepts a list of classes.

    >>> m = IoU(num_classes=2, target_class_ids=[0])
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> round(float(m.result()), 4)
    0.3333
    """

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(name=name, num_classes=num_classes, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis, dtype=dtype)
        if max(target_class_ids) >= num_classes:
            raise ValueError(f"Target class id {max(target_class_ids)} is out of range, which is [0, {num_classes}).")
        self.target_class_ids = list(target_class_ids)

    def result(self):
        cm = ops.cast(self._total_cm.value(), state_dtype())
        tp = ops.diagonal(cm)
        denominator = ops.sum(cm, axis=0) + ops.sum(cm, axis=1) - tp
        ids = ops.convert_to_tensor(np.asarray(self.target_class_ids, dtype=np.int32))
        tp, denominator = ops.take(tp, ids), ops.take(denominator, ids)
        valid = ops.greater(denominator, 1e-9)
        iou = ops.where(valid, tp / (denominator + _EPSILON), 0.0)
        mean = ops.sum(iou) / (ops.sum(ops.cast(valid, cm.dtype)) + _EPSILON)
        return ops.cast(mean, "float32")

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes, "target_class_ids": self.target_class_ids,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


@_register
class BinaryIoU(IoU):
    """IoU of binary labels, a score counting as class 1 when ``score >= threshold`` (as in Keras).

    >>> m = BinaryIoU(target_class_ids=[0, 1], threshold=0.3)
    >>> m.update_state([0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7])
    >>> round(float(m.result()), 4)
    0.3333
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.cast(ops.cast(y_pred, "float32") >= self.threshold, "int32")
        return super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold, "name": self.name,
                "dtype": self._dtype}


@_register
class MeanIoU(IoU):
    """IoU averaged over all ``num_classes`` classes (those that occur).

    >>> m = MeanIoU(num_classes=2)
    >>> m.update_state([0, 0, 1, 1], [0, 1, 0, 1])
    >>> round(float(m.result()), 4)
    0.3333
    """

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(name=name, num_classes=num_classes, target_class_ids=list(range(num_classes)), axis=axis,
                         dtype=dtype, ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self._dtype,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


@_register
class OneHotIoU(IoU):
    """IoU of one-hot labels and per-class scores (argmax along ``axis``)."""

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes=num_classes, target_class_ids=target_class_ids, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False, sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "target_class_ids": self.target_class_ids, "name": self.name,
                "dtype": self._dtype, "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


@_register
class OneHotMeanIoU(MeanIoU):
    """MeanIoU of one-hot labels and per-class scores (argmax along ``axis``)."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1):
        super().__init__(num_classes=num_classes, axis=axis, name=name, dtype=dtype, ignore_class=ignore_class,
                         sparse_y_true=False, sparse_y_pred=sparse_y_pred)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self._dtype,
                "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}
