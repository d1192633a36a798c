"""IoU metrics against keras.metrics, with weights, uneven batches and ignored classes."""

import numpy as np
import pytest

import keras
from accumetrics import keras as ak
from accumetrics.keras._bridge import state_dtype
from peer_versions import older_than

C = 5
CASES = [
    ("MeanIoU", {"num_classes": C}),
    ("MeanIoU", {"num_classes": C, "ignore_class": 0}),
    ("IoU", {"num_classes": C, "target_class_ids": [1, 3]}),
    ("BinaryIoU", {}),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}),
    ("OneHotIoU", {"num_classes": C, "target_class_ids": [0, 2, 4]}),
    ("OneHotMeanIoU", {"num_classes": C}),
    ("MeanIoU", {"num_classes": C, "sparse_y_pred": False}),
]


def batches(rng, name, sizes, weighted):
    out = []
    for n in sizes:
        if name == "BinaryIoU":
            y_true, y_pred = rng.integers(0, 2, (n, 3)), rng.random((n, 3)).astype(np.float32)
        else:
            y_true = rng.integers(0, C, (n, 3))
            y_pred = np.where(rng.random((n, 3)) < 0.6, y_true, rng.integers(0, C, (n, 3)))
            if name.startswith("OneHot"):
                y_true = np.eye(C, dtype=np.float32)[y_true]
            if name.startswith("OneHot") or "sparse_y_pred" in name:
                y_pred = (np.eye(C)[y_pred] + rng.random((n, 3, C)) * 0.5).astype(np.float32)
        w = rng.integers(0, 4, (n, 3)).astype(np.int32) if weighted else None
        out.append(((y_true, y_pred), {"sample_weight": w}))
    return out


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_matches_keras(feeder, rng, name, kwargs, weighted):
    ours, theirs = getattr(ak, name)(**kwargs), getattr(keras.metrics, name)(**kwargs)
    if kwargs.get("sparse_y_pred") is False:
        name += "-sparse_y_pred"
    a, b = feeder.both(ours, theirs, batches(rng, name, [400, 123, 1], weighted))
    np.testing.assert_allclose(a, b, rtol=1e-6)


def test_float_weights_with_float_dtype(rng):
    ours, theirs = ak.MeanIoU(4, dtype="float32"), keras.metrics.MeanIoU(4, dtype="float32")
    for n in (300, 17):
        t, p, w = rng.integers(0, 4, n), rng.integers(0, 4, n), rng.random(n).astype(np.float32)
        ours.update_state(t, p, w)
        theirs.update_state(t, p, w)
    np.testing.assert_allclose(ours.result(), theirs.result(), rtol=1e-6)


def test_several_ignored_classes(rng):
    t, p = rng.integers(0, 6, 1000), rng.integers(0, 4, 1000)
    m = ak.MeanIoU(4, ignore_class=[4, 5])
    m.update_state(t, p)
    keep = t < 4
    ref = ak.MeanIoU(4)
    ref.update_state(t[keep], p[keep])
    assert float(m.result()) == float(ref.result())


def test_labels_out_of_range_are_skipped_as_in_keras(feeder):
    t, p = np.array([0, 1, 7, -1, 2, 255, 1, 2]), np.array([0, 1, 2, 2, -3, 1, 9, 1])
    ours = ak.MeanIoU(3)
    feeder.update(ours, t, p)
    assert float(ours.result()) == pytest.approx(0.5, rel=1e-6)  # IoU 1, 1/2 and 0 from (0, 0), (1, 1), (2, 1)
    if not older_than("keras", "3.14"):  # Keras skips them from 3.14; before, its scatter raises on them
        theirs = keras.metrics.MeanIoU(3)
        feeder.update(theirs, t, p)
        np.testing.assert_allclose(ours.result(), theirs.result(), rtol=1e-6)


def test_counts_exact_beyond_float32():
    if state_dtype() != "float64":
        pytest.skip("float32 state: JAX without jax_enable_x64")
    m = ak.MeanIoU(2)
    n = 2**24 + 1
    m.update_state(np.zeros(n, np.int8), np.zeros(n, np.int8))
    assert m.total_cm.numpy()[0, 0] == n
