"""Labels of a multi-class batch as one 0/1 column per class."""

from __future__ import annotations

from keras import ops

from ._bridge import after_checks, backend, check_in_graph, host_available


def class_columns(y_true, y_pred, num_classes: int):
    """``y_true`` as (N, num_classes) one-hot rows: integer class ids (N,) or (N, 1) are expanded (an id
    outside [0, num_classes) raises ValueError), one-hot rows kept. ``y_pred`` must have shape
    (N, num_classes)."""
    if len(y_pred.shape) != 2 or y_pred.shape[-1] != num_classes:
        raise ValueError(f"y_pred has shape {tuple(y_pred.shape)}; expected (batch_size, num_classes={num_classes}), "
                         "one column per class")
    y_true = ops.convert_to_tensor(y_true)
    if not (len(y_true.shape) == 1 or (y_true.shape[-1] == 1 and num_classes > 1)):
        return y_true
    ids = ops.reshape(ops.cast(y_true, "int32"), (-1,))
    ok = ops.logical_and(ids >= 0, ids < num_classes)
    message = f"y_true: class ids must lie in [0, num_classes={num_classes})"
    if _concrete(ok):
        if not bool(ops.all(ok)):
            raise ValueError(message)
    elif host_available():
        ids = after_checks([check_in_graph(ok, message)], ids)
    return ops.one_hot(ids, num_classes)


def _concrete(x) -> bool:
    name = backend()
    if name == "tensorflow":
        import tensorflow as tf

        return tf.executing_eagerly()
    if name == "jax":
        import jax

        return not isinstance(x, jax.core.Tracer)
    return True
