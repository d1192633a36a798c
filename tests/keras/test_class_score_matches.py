"""SparseCategoricalAccuracy and SparseTopKCategoricalAccuracy counted by the core in one pass over the scores,
against keras.metrics: ties, non-finite scores, labels that are no class, weights, large batches in a graph."""

import numpy as np
import pytest

import keras
from accumetrics import _core
from accumetrics import keras as ak

CLASSES = 7


def scores(rng, n, ties=True, non_finite=False):
    s = rng.integers(0, 4, (n, CLASSES)).astype(np.float32) if ties else rng.random((n, CLASSES), dtype=np.float32)
    if non_finite:
        rows = rng.integers(0, n, max(n // 20, 1))
        s[rows, rng.integers(0, CLASSES, rows.size)] = rng.choice([np.inf, -np.inf], rows.size)
    return s


def labels(rng, n, odd=False):
    y = rng.integers(0, CLASSES, n)
    if odd:  # labels that are no class: negative, too large
        y[rng.integers(0, n, max(n // 10, 1))] = rng.choice([-1, CLASSES, CLASSES + 3], max(n // 10, 1))
    return y


@pytest.mark.parametrize("name, kwargs", [("SparseCategoricalAccuracy", {}),
                                          ("SparseTopKCategoricalAccuracy", {"k": 1}),
                                          ("SparseTopKCategoricalAccuracy", {"k": 3}),
                                          ("SparseTopKCategoricalAccuracy", {"k": CLASSES + 2})])
@pytest.mark.parametrize("ties", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("label_shape", ["flat", "column"])
def test_matches_keras(feeder, rng, name, kwargs, ties, weighted, label_shape):
    ours, theirs = getattr(ak, name)(**kwargs), getattr(keras.metrics, name)(**kwargs)
    if kwargs.get("k", 1) > CLASSES and keras.backend.backend() == "torch":  # torch's topk refuses k > classes
        theirs = getattr(keras.metrics, name)(k=CLASSES)
    # Labels that are no class never match, as in TensorFlow's in_top_k; Keras's top k on JAX and torch
    # reads a negative label as a class counted from the end, so those backends get classes only.
    odd = name == "SparseCategoricalAccuracy" or keras.backend.backend() == "tensorflow"
    batches = []
    for n in (1, 17, 300, 64):
        y = labels(rng, n, odd=odd)
        y = y.reshape(-1, 1) if label_shape == "column" else y
        w = (rng.random(n) - 0.2).astype(np.float32) if weighted else None  # negative weights too, as Keras takes
        batches.append(((y, scores(rng, n, ties)), {} if w is None else {"sample_weight": w}))
    got, want = feeder.both(ours, theirs, batches)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name, kwargs", [("SparseCategoricalAccuracy", {}), ("SparseTopKCategoricalAccuracy", {"k": 2})])
def test_large_batches_in_a_graph_match_keras(rng, name, kwargs):
    """Batches above the size that stays in the graph go to the core through one host call."""
    if keras.backend.backend() != "tensorflow":
        pytest.skip("tf.function needs the TensorFlow backend")
    import tensorflow as tf

    ours, theirs = getattr(ak, name)(**kwargs), getattr(keras.metrics, name)(**kwargs)
    spec = [tf.TensorSpec((None,), tf.int32), tf.TensorSpec((None, CLASSES), tf.float32), tf.TensorSpec((None,), tf.float32)]

    def step(metric):
        return tf.function(lambda y, s, w: metric.update_state(y, s, sample_weight=w), input_signature=spec)

    a, b = step(ours), step(theirs)
    for n in (5000, 20000, 3):
        y, s, w = labels(rng, n, odd=True).astype(np.int32), scores(rng, n), rng.random(n).astype(np.float32)
        a(y, s, w)
        b(y, s, w)
    np.testing.assert_allclose(float(ours.result()), float(theirs.result()), rtol=1e-6)


def test_eager_counts_are_exact(rng):
    n = 100_000
    y, s = labels(rng, n), scores(rng, n, ties=False)
    m = ak.SparseCategoricalAccuracy()
    m.update_state(y, s)
    m.update_state(y, s)
    assert m.count.numpy() == 2 * n
    assert m.total.numpy() == 2 * np.sum(s.argmax(axis=1) == y)


def test_core_argmax_and_top_k_against_numpy(rng):
    n = 2000
    s, y = scores(rng, n, ties=True, non_finite=True), labels(rng, n, odd=True)
    s[3, 2] = np.nan
    w = rng.random(n)
    finite = np.isfinite(s).all(axis=1)
    valid = (y >= 0) & (y < CLASSES)
    first_max = np.where(np.isnan(s), -np.inf, s).argmax(axis=1)
    np.testing.assert_array_equal(_core.argmax(s), first_max)
    label_score = np.where(valid, s[np.arange(n), np.clip(y, 0, CLASSES - 1)], np.nan)
    for k in (1, 2, 5):
        above = (s > label_score[:, None]).sum(axis=1)
        hit = valid & finite & (above < k)
        rows, matches, weight, matched = _core.count_class_matches(y, s, w, _core.ClassMatch.top_k, k)
        assert (rows, matches) == (n, hit.sum())
        np.testing.assert_allclose([weight, matched], [w.sum(), w[hit].sum()], rtol=1e-12)
    hit = valid & (first_max == y)
    assert _core.count_class_matches(y.astype(np.float64), s, None, _core.ClassMatch.argmax, 1)[1] == hit.sum()
    fractional = y.astype(np.float64) + 0.5  # a float label must hold a whole number to be a class
    assert _core.count_class_matches(fractional, s, None, _core.ClassMatch.argmax, 1)[1] == 0


@pytest.mark.parametrize("call, message", [
    (lambda: _core.count_class_matches(np.zeros(3, np.int64), np.zeros(3, np.float32)), "shape \\(samples, classes\\)"),
    (lambda: _core.count_class_matches(np.zeros(2, np.int64), np.zeros((3, 2), np.float32)), "one label per row"),
    (lambda: _core.count_class_matches(np.zeros(3, np.int64), np.zeros((3, 2), np.float32), np.ones(2)), "one per row"),
    (lambda: _core.count_class_matches(np.zeros(3, np.int64), np.zeros((3, 2), np.float32), k=0), "k must be at least 1"),
    (lambda: _core.count_class_matches(np.zeros(3, np.int64), np.zeros((3, 2), np.float32),
                                       np.array([1.0, np.nan, 1.0])), "sample_weight\\[1\\]"),
])
def test_core_refuses_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_mean_iou_of_tied_scores_matches_keras(feeder, rng):
    """MeanIoU(sparse_y_pred=False) takes the argmax in the core's counting call: the first of tied maxima."""
    ours, theirs = ak.MeanIoU(CLASSES, sparse_y_pred=False), keras.metrics.MeanIoU(CLASSES, sparse_y_pred=False)
    batches = [((labels(rng, 2 * n).reshape(n, 2), scores(rng, 2 * n).reshape(n, 2, CLASSES)), {}) for n in (600, 8, 90)]
    got, want = feeder.both(ours, theirs, batches)
    np.testing.assert_allclose(got, want, rtol=1e-6)
