"""Keras masks (``_keras_mask``) folded into sample weights, as ``keras.metrics`` does.

A masked entry gets weight 0 and the rest keep theirs, so the core sees only an
ordinary ``sample_weight``. Keras reads the mask of ``y_pred`` in
``MeanMetricWrapper`` (and of the values in ``Mean`` and ``Sum``, there only when
a weight is given); its other metrics ignore masks, and so do ours.
"""

from __future__ import annotations

from ._ops import ops
from keras.src.backend import get_keras_mask  # no public equivalent in Keras 3

from ._shapes import same_rank


def keras_mask(x):
    """The mask Keras attached to ``x`` (a layer's output), or None."""
    return get_keras_mask(x)


def masked_weight(sample_weight, mask, dtype):
    """``sample_weight`` times the mask (cast to ``dtype``, a trailing axis squeezed or expanded to the
    weight's rank), the mask alone without weights, or ``sample_weight`` unchanged without a mask:
    ``keras.losses.loss.apply_mask`` with ``reduction="sum"``."""
    if mask is None:
        return sample_weight
    mask = ops.cast(mask, dtype)
    if sample_weight is None:
        return mask
    mask, sample_weight = same_rank(mask, ops.cast(sample_weight, dtype))
    return sample_weight * mask
