"""Mean-type metrics (accuracy, regression, probabilistic, hinge, correlation, reductions) against keras.metrics."""

import numpy as np
import pytest

import keras
from accumetrics import keras as ak
from accumetrics.keras._bridge import state_dtype

K = 4


def onehot(rng, n):
    return np.eye(K, dtype=np.float32)[rng.integers(0, K, n)]


def probs(rng, n):
    p = rng.random((n, K)).astype(np.float32) + 0.05
    return p / p.sum(axis=1, keepdims=True)


# name, kwargs, y_true maker, y_pred maker
DATA = {
    "binary": (lambda r, n: r.integers(0, 2, (n, K)).astype(np.float32), lambda r, n: r.random((n, K)).astype(np.float32)),
    "onehot": (onehot, probs),
    "sparse": (lambda r, n: r.integers(0, K, (n, 1)), probs),
    "sparse1d": (lambda r, n: r.integers(0, K, n), probs),
    "exact": (lambda r, n: r.integers(0, 3, (n, 2)).astype(np.float32), lambda r, n: r.integers(0, 3, (n, 2)).astype(np.float32)),
    "real": (lambda r, n: r.normal(size=(n, K)).astype(np.float32), lambda r, n: r.normal(size=(n, K)).astype(np.float32)),
    "positive": (lambda r, n: r.random((n, K)).astype(np.float32) + 0.1, lambda r, n: r.random((n, K)).astype(np.float32) + 0.1),
    "signs": (lambda r, n: r.choice([-1.0, 1.0], (n, K)).astype(np.float32), lambda r, n: r.normal(size=(n, K)).astype(np.float32)),
    "logits": (lambda r, n: r.integers(0, 2, (n, K)).astype(np.float32), lambda r, n: r.normal(size=(n, K)).astype(np.float32) * 3),
}

CASES = [
    ("Accuracy", {}, "exact"),
    ("BinaryAccuracy", {}, "binary"),
    ("BinaryAccuracy", {"threshold": 0.7}, "binary"),
    ("CategoricalAccuracy", {}, "onehot"),
    ("SparseCategoricalAccuracy", {}, "sparse"),
    ("SparseCategoricalAccuracy", {}, "sparse1d"),
    ("TopKCategoricalAccuracy", {"k": 2}, "onehot"),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse1d"),
    ("MeanSquaredError", {}, "real"),
    ("MeanAbsoluteError", {}, "real"),
    ("RootMeanSquaredError", {}, "real"),
    ("MeanAbsolutePercentageError", {}, "positive"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("LogCoshError", {}, "real"),
    ("CosineSimilarity", {}, "real"),
    ("Hinge", {}, "signs"),
    ("SquaredHinge", {}, "signs"),
    ("CategoricalHinge", {}, "onehot"),
    ("BinaryCrossentropy", {}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "logits"),
    ("CategoricalCrossentropy", {}, "onehot"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.2}, "onehot"),
    ("SparseCategoricalCrossentropy", {}, "sparse1d"),
    ("KLDivergence", {}, "onehot"),
    ("Poisson", {}, "positive"),
    ("PearsonCorrelation", {}, "real"),
    ("ConcordanceCorrelation", {}, "real"),
    ("R2Score", {}, "real"),
    ("R2Score", {"class_aggregation": "variance_weighted_average"}, "real"),
    ("R2Score", {"class_aggregation": None, "num_regressors": 2}, "real"),
]


@pytest.mark.parametrize("weights", [None, "rows"])
@pytest.mark.parametrize("name,kwargs,kind", CASES, ids=[f"{n}-{k}-{d}" for n, k, d in CASES])
def test_matches_keras(feeder, rng, name, kwargs, kind, weights):
    ours, theirs = getattr(ak, name)(**kwargs), getattr(keras.metrics, name)(**kwargs)
    make_true, make_pred = DATA[kind]
    data = []
    for n in (500, 77, 3):
        w = None if weights is None else rng.random(n if weights == "rows" else (n, 1)).astype(np.float32)
        data.append(((make_true(rng, n), make_pred(rng, n)), {"sample_weight": w}))
    a, b = feeder.both(ours, theirs, data)
    # float32 state (JAX without x64): both results are float32 arithmetic on sums of ~500 values
    rtol = 1e-6 if state_dtype() == "float64" else 1e-5
    np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * max(1.0, float(np.max(np.abs(b)))))


@pytest.mark.parametrize("name,kwargs,kind", [c for c in CASES if c[0] in ("MeanAbsoluteError", "R2Score",
                                                                          "CategoricalCrossentropy", "BinaryAccuracy")])
def test_column_weights_match_keras(rng, name, kwargs, kind):
    test_matches_keras(_Eager(), rng, name, kwargs, kind, "column")


class _Eager:
    def both(self, ours, theirs, batches):
        for args, kwargs in batches:
            theirs.update_state(*args, **kwargs)
            ours.update_state(*args, **kwargs)
        return np.asarray(ours.result()), np.asarray(theirs.result())


@pytest.mark.parametrize("name", ["Mean", "Sum"])
@pytest.mark.parametrize("shape,wshape", [((50,), None), ((50,), (50,)), ((50, 3), (50,)), ((50, 3), (50, 3)),
                                          ((50, 3, 2), (50, 3)), ((50,), ()), ((50, 1), (50,)), ((), None)])
def test_reductions_match_keras(feeder, rng, name, shape, wshape):
    ours, theirs = getattr(ak, name)(), getattr(keras.metrics, name)()
    data = []
    for _ in range(3):
        v = rng.normal(size=shape).astype(np.float32)
        w = None if wshape is None else rng.random(wshape).astype(np.float32)
        data.append(((v,), {"sample_weight": w}))
    a, b = feeder.both(ours, theirs, data)
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


def test_mean_metric_wrapper_with_custom_function(rng):
    def fn(y_true, y_pred, power=1.0):
        return keras.ops.mean(keras.ops.abs(y_true - y_pred) ** power, axis=-1)

    ours = ak.MeanMetricWrapper(fn, power=2.0)
    theirs = keras.metrics.MeanMetricWrapper(fn, power=2.0)
    for n in (100, 13):
        y, p, w = rng.random((n, 2)), rng.random((n, 2)), rng.random(n)
        ours.update_state(y, p, w)
        theirs.update_state(y, p, w)
    np.testing.assert_allclose(ours.result(), theirs.result(), rtol=1e-6)


def test_mae_exact_where_float32_drifts():
    """2M float32 errors: Keras's float32 total drifts in the 5th digit; ours is the exact mean."""
    rng = np.random.default_rng(7)
    y = rng.random(2_000_000).astype(np.float32)
    p = (y + rng.normal(scale=0.1, size=y.size)).astype(np.float32)
    exact = np.mean(np.abs(p.astype(np.float64) - y.astype(np.float64)))
    ours, theirs = ak.MeanAbsoluteError(dtype="float64"), keras.metrics.MeanAbsoluteError()
    for i in range(0, y.size, 65536):
        ours.update_state(y[i:i + 65536, None], p[i:i + 65536, None])
        theirs.update_state(y[i:i + 65536, None], p[i:i + 65536, None])
    assert abs(float(ours.result()) - exact) < 1e-7 * exact  # per-sample errors are float32, as in Keras
    if keras.backend.backend() == "tensorflow":  # TF's float32 running total drifts (torch's sums differently)
        assert abs(float(theirs.result()) - exact) > 100 * abs(float(ours.result()) - exact)


def test_reset_and_config(rng):
    m = ak.BinaryCrossentropy(from_logits=True, label_smoothing=0.1)
    m.update_state([[1.0]], [[2.0]])
    m.reset_state()
    assert float(m.result()) == 0.0
    c = m.get_config()
    assert c["from_logits"] is True and c["label_smoothing"] == 0.1
    assert ak.BinaryCrossentropy.from_config(c).get_config() == c


def test_integer_inputs(rng):
    for name in ("MeanAbsoluteError", "MeanSquaredError", "RootMeanSquaredError"):
        ours, theirs = getattr(ak, name)(), getattr(keras.metrics, name)()
        y, p = rng.integers(0, 5, (20, 2)), rng.integers(0, 5, (20, 2))
        ours.update_state(y, p)
        theirs.update_state(y, p)
        np.testing.assert_allclose(ours.result(), theirs.result(), rtol=1e-6, err_msg=name)
