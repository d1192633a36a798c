"""Labels of a multi-class batch as one 0/1 column per class."""

from __future__ import annotations

from ._ops import ops

from ._checks import ensure


def class_ids(y_true, num_classes: int):
    """Integer class ids (N,) or (N, 1) as a flat int32 tensor; an id outside [0, num_classes) raises."""
    ids = ops.reshape(ops.cast(y_true, "int32"), (-1,))
    ok = ops.logical_and(ids >= 0, ids < num_classes)
    return ensure(ok, f"y_true: class ids must lie in [0, num_classes={num_classes})", ids)


def is_sparse(y_true, num_classes: int) -> bool:
    """Whether ``y_true`` holds class ids ((N,) or (N, 1)) rather than one-hot rows."""
    return len(y_true.shape) == 1 or (y_true.shape[-1] == 1 and num_classes > 1)


def class_columns(y_true, y_pred, num_classes: int):
    """``y_true`` as (N, num_classes) one-hot rows: integer class ids (N,) or (N, 1) are expanded (an id
    outside [0, num_classes) raises ValueError), one-hot rows kept. ``y_pred`` must have shape
    (N, num_classes)."""
    if len(y_pred.shape) != 2 or y_pred.shape[-1] != num_classes:
        raise ValueError(f"y_pred has shape {tuple(y_pred.shape)}; expected (batch_size, num_classes={num_classes}), "
                         "one column per class")
    y_true = ops.convert_to_tensor(y_true)
    if not is_sparse(y_true, num_classes):
        return y_true
    return ops.one_hot(class_ids(y_true, num_classes), num_classes)
