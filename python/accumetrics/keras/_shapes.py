"""Keras's rules for lining up y_true, y_pred and sample_weight."""

from __future__ import annotations

from ._ops import ops


def same_rank(x1, x2, expand_rank_1=True):
    """Squeeze a trailing 1 (or expand a rank-1 tensor) so both have the same rank, as Keras losses do."""
    r1, r2 = len(x1.shape), len(x2.shape)
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = ops.expand_dims(x2, -1)
        else:
            x1 = ops.squeeze(x1, -1)
    elif r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = ops.expand_dims(x1, -1)
        else:
            x2 = ops.squeeze(x2, -1)
    return x1, x2


def align_weight(sample_weight, y_true, dtype):
    """``sample_weight`` lined up with ``y_true`` as Keras's confusion metrics do, or None.

    Broadcast it to the scores' shape once top_k and class_id have been applied.
    """
    if sample_weight is None:
        return None
    w = ops.expand_dims(ops.cast(sample_weight, dtype), -1)
    _, w = same_rank(y_true, w, expand_rank_1=False)
    return w


def two_dimensional_outputs(metric: str, y_true_shape, y_pred_shape) -> int:
    """The number of outputs of (batch_size, outputs) inputs, as Keras's metrics of 2D inputs check them."""
    if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
        raise ValueError(f"{metric} expects 2D inputs with shape (batch_size, output_dim). Received input shapes: "
                         f"y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}.")
    if y_pred_shape[-1] is None or y_true_shape[-1] is None:
        raise ValueError(f"{metric} expects 2D inputs with shape (batch_size, output_dim), with output_dim fully "
                         f"defined (not None). Received input shapes: y_pred.shape={y_pred_shape} and "
                         f"y_true.shape={y_true_shape}.")
    return int(y_pred_shape[-1])
