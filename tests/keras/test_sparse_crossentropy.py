"""SparseCategoricalCrossentropy on rows of class scores, summed by the core in one pass, against keras.metrics:
each backend's formula, logits, unnormalized and clipped probabilities, weights, label shapes, out-of-range
labels, and the fall-backs to Keras's function (a softmax output Keras reads the logits of, ignore_class)."""

import numpy as np
import pytest

import keras
from accumetrics import keras as ak
from accumetrics.confusion import crossentropy_sums
from peer_versions import skip_unless_keras_has

C = 5


def scores(rng, n, kind):
    if kind == "logits":
        return (rng.normal(size=(n, C)) * 4).astype(np.float32)
    p = rng.random((n, C)).astype(np.float32)
    p[rng.random((n, C)) < 0.1] = 0.0  # clipped to epsilon
    p[rng.random(n) < 0.05, 0] = 1.0
    if kind == "normalized":
        p /= np.maximum(p.sum(axis=1, keepdims=True), 1e-6)
    return p  # "unnormalized": rows need not sum to 1


@pytest.mark.parametrize("kind", ["normalized", "unnormalized", "logits"])
@pytest.mark.parametrize("labels", ["1d", "column", "float"])
@pytest.mark.parametrize("weights", [None, "rows", "column"])
def test_matches_keras(feeder, rng, kind, labels, weights):
    kwargs = {"from_logits": kind == "logits"}
    ours, theirs = ak.SparseCategoricalCrossentropy(**kwargs), keras.metrics.SparseCategoricalCrossentropy(**kwargs)
    batches = []
    for n in (700, 33, 1):
        y = rng.integers(0, C, n)
        y = {"1d": y, "column": y[:, None], "float": y.astype(np.float32)}[labels]
        w = None if weights is None else rng.random(n if weights == "rows" else (n, 1)).astype(np.float32) * 3
        batches.append(((y, scores(rng, n, kind)), {"sample_weight": w}))
    a, b = feeder.both(ours, theirs, batches)
    np.testing.assert_allclose(a, b, rtol=2e-6)


def test_float64_scores_and_large_batches(rng):
    n = 50_000
    y, p = rng.integers(0, C, n), rng.dirichlet(np.ones(C), n)
    ours, theirs = ak.SparseCategoricalCrossentropy(dtype="float64"), keras.metrics.SparseCategoricalCrossentropy(
        dtype="float64")
    ours.update_state(y, p)
    theirs.update_state(y, p)
    # Keras's torch divide_no_nan returns float32 for float64 input: its mean is rounded to float32 there
    rtol = 1e-7 if keras.backend.backend() == "torch" else 1e-12
    np.testing.assert_allclose(float(ours.result()), float(theirs.result()), rtol=rtol)


def test_a_softmax_output_and_ignore_class_match_keras(rng):
    x = rng.normal(size=(64, 3)).astype(np.float32)
    y = rng.integers(0, C, 64)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(C, activation="softmax")])
    model.compile(loss="sparse_categorical_crossentropy",
                  metrics=[ak.SparseCategoricalCrossentropy(name="ours"),
                           keras.metrics.SparseCategoricalCrossentropy(name="theirs")])
    logs = model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True)
    np.testing.assert_allclose(logs["ours"], logs["theirs"], rtol=1e-6)
    skip_unless_keras_has("SparseCategoricalCrossentropy", "ignore_class")
    y[::3] = 4
    ours, theirs = (m(ignore_class=4) for m in (ak.SparseCategoricalCrossentropy,
                                                keras.metrics.SparseCategoricalCrossentropy))
    p = scores(rng, 64, "normalized")
    ours.update_state(y, p)
    theirs.update_state(y, p)
    np.testing.assert_allclose(float(ours.result()), float(theirs.result()), rtol=1e-6)


def test_a_label_outside_the_classes(rng):
    y, p = np.array([0, 1, C]), scores(rng, 3, "normalized")
    ours = ak.SparseCategoricalCrossentropy()
    if keras.backend.backend() == "jax":  # JAX's one-hot of it is all zeros: a loss of 0, its weight counted
        theirs = keras.metrics.SparseCategoricalCrossentropy()
        ours.update_state(y, p)
        theirs.update_state(y, p)
        np.testing.assert_allclose(float(ours.result()), float(theirs.result()), rtol=1e-6)
    else:  # TensorFlow and torch refuse it; so do we, and the state is unchanged
        with pytest.raises(ValueError, match=r"y_true\[2\] = 5 is not a class"):
            ours.update_state(y, p)
        assert not any(np.any(np.asarray(v)) for v in ours.variables)


@pytest.mark.parametrize("form", ["logits", "normalized", "softmax_of_log"])
def test_core_sums_match_numpy(rng, form):
    n, lo, hi = 1_000, 1e-7, 1 - 1e-7
    y = rng.integers(0, C, n)
    s = scores(rng, n, "logits" if form == "logits" else "unnormalized").astype(np.float64)
    w = rng.normal(size=n)  # negative weights are weights too
    if form == "logits":
        log_p = s - s.max(axis=1, keepdims=True)
        log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    elif form == "normalized":
        log_p = np.log(np.clip(s / s.sum(axis=1, keepdims=True), lo, hi))
    else:
        q = np.clip(s, lo, hi)
        log_p = np.log(q) - np.log(q.sum(axis=1, keepdims=True))
    loss = -log_p[np.arange(n), y]
    rows, unlabeled, weight, total = crossentropy_sums(y, s, w, form, lo, hi)
    assert (rows, unlabeled) == (n, 0)
    np.testing.assert_allclose([weight, total], [w.sum(), (w * loss).sum()], rtol=1e-12)
    y[:3] = [-1, C, C + 7]
    rows, unlabeled, weight, total = crossentropy_sums(y, s, None, form, lo, hi)
    assert (rows, unlabeled, weight) == (n, 3, n)
    np.testing.assert_allclose(total, loss[3:].sum(), rtol=1e-12)
