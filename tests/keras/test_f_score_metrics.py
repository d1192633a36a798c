"""F1Score and FBetaScore against keras.metrics, and sparse integer labels."""

import numpy as np
import pytest

import keras
from accumetrics import keras as ak

CASES = [
    ("F1Score", {}),
    ("F1Score", {"average": "macro"}),
    ("F1Score", {"average": "micro", "threshold": 0.4}),
    ("F1Score", {"average": "weighted"}),
    ("FBetaScore", {"beta": 2.0, "threshold": 0.3}),
    ("FBetaScore", {"beta": 0.5, "average": "macro"}),
]


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_matches_keras(feeder, rng, name, kwargs, weighted):
    ours, theirs = getattr(ak, name)(**kwargs), getattr(keras.metrics, name)(**kwargs)
    data = []
    for n in (400, 91, 2):
        y_true = np.eye(5, dtype=np.float32)[rng.integers(0, 5, n)]
        y_pred = rng.random((n, 5)).astype(np.float32)
        data.append(((y_true, y_pred), {"sample_weight": rng.random(n).astype(np.float32) if weighted else None}))
    a, b = feeder.both(ours, theirs, data)
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_multilabel_targets(rng):
    ours, theirs = ak.F1Score(threshold=0.5), keras.metrics.F1Score(threshold=0.5)
    y_true = rng.integers(0, 2, (300, 3)).astype(np.float32)
    y_pred = rng.random((300, 3)).astype(np.float32)
    ours.update_state(y_true, y_pred)
    theirs.update_state(y_true, y_pred)
    np.testing.assert_allclose(ours.result(), theirs.result(), rtol=1e-6)


def test_sparse_integer_labels(rng):
    labels = rng.integers(0, 4, 200)
    scores = rng.random((200, 4)).astype(np.float32)
    sparse, dense = ak.F1Score(average="macro"), ak.F1Score(average="macro")
    sparse.update_state(labels, scores)
    dense.update_state(np.eye(4, dtype=np.float32)[labels], scores)
    assert float(sparse.result()) == float(dense.result())


def test_bad_arguments():
    with pytest.raises(ValueError, match="average"):
        ak.F1Score(average="samples")
    with pytest.raises(ValueError, match="threshold"):
        ak.F1Score(threshold=1.5)
    with pytest.raises(ValueError, match="2D"):
        ak.F1Score().update_state(np.zeros(3), np.zeros(3, np.float32))
