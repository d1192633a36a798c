"""MatthewsCorrelation and CohenKappa against scikit-learn's matthews_corrcoef and cohen_kappa_score on all
the data seen: weights, uneven batches, every input form, in a graph, in fit and evaluate."""

import numpy as np
import pytest

import keras
from accumetrics import keras as ak
from accumetrics.keras._bridge import state_dtype

sklearn_metrics = pytest.importorskip("sklearn.metrics")

METRICS = [
    ("MatthewsCorrelation", {}),
    ("CohenKappa", {}),
    ("CohenKappa", {"weights": "linear"}),
    ("CohenKappa", {"weights": "quadratic"}),
]


def tolerance():
    """The result is computed in the state's dtype: float32 where the backend has no float64 (JAX without x64)."""
    return {"rtol": 1e-6, "atol": 1e-7} if state_dtype() == "float64" else {"rtol": 1e-4, "atol": 1e-6}


def reference(name, kwargs, y_true, y_pred, w):
    if name == "MatthewsCorrelation":
        return sklearn_metrics.matthews_corrcoef(y_true, y_pred, sample_weight=w)
    return sklearn_metrics.cohen_kappa_score(y_true, y_pred, sample_weight=w, **kwargs)


def batches(rng, classes, form, sizes, weighted):
    """[(args, kwargs)] for update_state, and the classes and weights they hold."""
    out, truth, predicted, weights = [], [], [], []
    for n in sizes:
        t = rng.integers(0, classes, n)
        scores = rng.random((n, classes)).astype(np.float32)
        scores[np.arange(n), t] += np.where(rng.random(n) < 0.6, 1.0, 0.0).astype(np.float32)  # mostly right
        if form == "binary":
            s = (scores[:, 1] / scores.sum(axis=1)).astype(np.float32)
            p, y_pred = (s > 0.5).astype(int), s
        else:
            p, y_pred = scores.argmax(axis=1), scores
        if form == "pred_ids":
            y_pred = p.astype(np.int64)
        y_true = {"ids": t, "pred_ids": t, "column": t[:, None], "one_hot": np.eye(classes, dtype=np.float32)[t],
                  "binary": t}[form]
        w = rng.integers(0, 4, n).astype(np.float32) * rng.random(n).astype(np.float32) if weighted else None
        out.append(((y_true, y_pred), {"sample_weight": w}))
        truth.append(t)
        predicted.append(p)
        weights.append(np.ones(n, np.float32) if w is None else w)
    return out, np.concatenate(truth), np.concatenate(predicted), np.concatenate(weights)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("classes,form", [(2, "binary"), (2, "ids"), (4, "ids"), (4, "column"), (5, "one_hot"), (3, "pred_ids")])
@pytest.mark.parametrize("name,kwargs", METRICS, ids=[f"{n}-{k.get('weights')}" for n, k in METRICS])
def test_equals_sklearn(feeder, rng, name, kwargs, classes, form, weighted):
    metric = getattr(ak, name)(num_classes=classes, **kwargs)
    data, t, p, w = batches(rng, classes, form, [400, 123, 1, 57], weighted)
    for args, kw in data:
        feeder.update(metric, *args, **kw)
    expected = reference(name, kwargs, t, p, w if weighted else None)
    np.testing.assert_allclose(float(metric.result()), expected, **tolerance())
    assert -1 <= expected <= 1 and abs(expected) > 0.05  # a value that tells a wrong formula apart


@pytest.mark.parametrize("name,kwargs", METRICS, ids=[f"{n}-{k.get('weights')}" for n, k in METRICS])
def test_reset_and_batches_of_one(rng, name, kwargs):
    metric = getattr(ak, name)(num_classes=3, **kwargs)
    metric.update_state([0, 1, 2], np.eye(3, dtype=np.float32))
    metric.reset_state()
    t, p = rng.integers(0, 3, 40), rng.integers(0, 3, 40)
    for i in range(40):
        metric.update_state(t[i:i + 1], np.eye(3, dtype=np.float32)[p[i:i + 1]])
    np.testing.assert_allclose(float(metric.result()), reference(name, kwargs, t, p, None), **tolerance())


def test_undefined_values_as_sklearn():
    mcc, kappa = ak.MatthewsCorrelation(), ak.CohenKappa()
    assert float(mcc.result()) == 0.0  # no data
    assert np.isnan(float(kappa.result()))
    for m in (mcc, kappa):
        m.update_state([1, 1, 1], [0.9, 0.8, 0.7])  # one class, always right
    with pytest.warns(Warning):
        expected = sklearn_metrics.cohen_kappa_score([1, 1, 1], [1, 1, 1])
    assert np.isnan(expected) and np.isnan(float(kappa.result()))
    assert float(mcc.result()) == sklearn_metrics.matthews_corrcoef([1, 1, 1], [1, 1, 1]) == 0.0


def test_threshold_and_config():
    m = ak.MatthewsCorrelation(threshold=0.3, name="mcc")
    m.update_state([0, 1, 0, 1], [0.2, 0.4, 0.35, 0.1])
    np.testing.assert_allclose(float(m.result()), sklearn_metrics.matthews_corrcoef([0, 1, 0, 1], [0, 1, 1, 0]))
    k = ak.CohenKappa(num_classes=4, weights="quadratic", name="qwk")
    for metric in (m, k):
        clone = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(metric))
        assert type(clone) is type(metric) and clone.get_config() == metric.get_config()
    assert k.get_config()["weights"] == "quadratic" and m.get_config()["threshold"] == 0.3


@pytest.mark.parametrize("make,message", [
    (lambda: ak.MatthewsCorrelation(num_classes=1), "num_classes"),
    (lambda: ak.CohenKappa(num_classes=3, weights="cubic"), "weights"),
    (lambda: ak.CohenKappa(threshold=2.0), "threshold"),
])
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_bad_shapes():
    with pytest.raises(ValueError, match="num_classes=3"):
        ak.MatthewsCorrelation(num_classes=3).update_state([0, 1], np.eye(2, dtype=np.float32))
    with pytest.raises(ValueError, match="num_classes=2"):
        ak.CohenKappa(num_classes=3).update_state([0, 1], [0.2, 0.9])


@pytest.mark.requires_trainable_backend
def test_fit_and_evaluate(rng):
    classes, n = 4, 600
    x = rng.normal(size=(n, 6)).astype(np.float32)
    y = (x[:, :classes] + 0.8 * rng.normal(size=(n, classes))).argmax(axis=1)
    w = rng.random(n).astype(np.float32) + 0.5
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(classes, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy",  # weighted_metrics: Keras gives them sample_weight
                  weighted_metrics=[ak.MatthewsCorrelation(classes, name="mcc"),
                                    ak.CohenKappa(classes, weights="quadratic", name="qwk")])
    history = model.fit(x, y, sample_weight=w, batch_size=64, epochs=2, verbose=0)
    assert np.isfinite(history.history["mcc"]).all() and np.isfinite(history.history["qwk"]).all()
    logs = model.evaluate(x, y, sample_weight=w, batch_size=128, verbose=0, return_dict=True)
    p = model.predict(x, batch_size=128, verbose=0).argmax(axis=1)
    np.testing.assert_allclose(logs["mcc"], sklearn_metrics.matthews_corrcoef(y, p, sample_weight=w), rtol=1e-5)
    np.testing.assert_allclose(logs["qwk"], sklearn_metrics.cohen_kappa_score(y, p, sample_weight=w,
                                                                              weights="quadratic"), rtol=1e-5)
