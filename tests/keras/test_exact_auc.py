"""ExactAUC against sklearn's roc_auc_score and average_precision_score."""

import numpy as np
import pytest

import keras
from accumetrics import keras as ak

sklearn_metrics = pytest.importorskip("sklearn.metrics")


def reference(curve, y, s, w=None):
    fn = sklearn_metrics.roc_auc_score if curve == "ROC" else sklearn_metrics.average_precision_score
    return fn(y, s, sample_weight=w)


def float16_scores(rng, n, distinct=None):
    s = rng.random(n).astype(np.float16)
    if distinct:  # many ties
        s = rng.choice(np.unique(s)[:distinct], n)
    return s.astype(np.float32)


@pytest.mark.parametrize("curve", ["ROC", "PR"])
@pytest.mark.parametrize("weighted", [False, True])
def test_exact_for_float16_scores_in_uneven_batches(feeder, rng, curve, weighted):
    n = 3000
    y = (rng.random(n) < 0.3).astype(np.float32)
    s = float16_scores(rng, n, distinct=50 if weighted else None)
    w = rng.random(n).astype(np.float32) if weighted else None
    m = ak.ExactAUC(curve=curve)
    for part in (slice(0, 1000), slice(1000, 2999), slice(2999, None)):
        feeder.update(m, y[part], s[part], None if w is None else w[part])
    np.testing.assert_allclose(float(m.result()), reference(curve, y, s, w), rtol=1e-6)


def test_adversarial_scores(rng):
    """Extremes of float16, negative scores, all tied, one class missing."""
    s = np.array([-65504, -1, -0.0, 0.0, 6e-8, 1e-4, 0.5, 0.5, 1, 65504], np.float32)
    y = np.array([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], np.float32)
    for curve in ("ROC", "PR"):
        m = ak.ExactAUC(curve=curve)
        m.update_state(y, s)
        np.testing.assert_allclose(float(m.result()), reference(curve, y, s), rtol=1e-6)
    tied = ak.ExactAUC()
    tied.update_state(y, np.full(10, 0.25, np.float32))
    assert float(tied.result()) == 0.5
    one_class = ak.ExactAUC()
    one_class.update_state(np.ones(4), np.array([0.1, 0.2, 0.3, 0.4]))
    assert np.isnan(float(one_class.result()))  # undefined, as in sklearn


def test_float32_scores_within_the_bound(rng):
    n = 20000
    y = (rng.random(n) < 0.5).astype(np.float32)
    s = np.clip(rng.normal(0.5 + 0.1 * y, 0.2), 0, 1).astype(np.float32)
    m = ak.ExactAUC()
    m.update_state(y, s)
    exact = reference("ROC", y, s)
    bound = float(m.error_bound())
    assert 0 < bound < 1e-3
    assert abs(float(m.result()) - exact) <= bound + 1e-7
    # closer than Keras's 200 thresholds
    k = keras.metrics.AUC()
    k.update_state(y, s)
    assert abs(float(m.result()) - exact) < abs(float(k.result()) - exact) / 10


def test_from_logits_and_config(rng):
    y = (rng.random(500) < 0.5).astype(np.float32)
    z = rng.normal(size=500).astype(np.float16).astype(np.float32)
    m = ak.ExactAUC(from_logits=True)
    m.update_state(y, z)
    # sigmoid is monotone: the AUC of the logits, within the bound (the probabilities are not float16 values)
    assert abs(float(m.result()) - reference("ROC", y, z)) <= float(m.error_bound()) + 1e-7
    c = ak.ExactAUC(curve="PR", name="ap").get_config()
    assert ak.ExactAUC.from_config(c).get_config() == c
    with pytest.raises(ValueError, match="curve"):
        ak.ExactAUC(curve="PRGAIN")


def test_in_fit_with_validation(rng):
    x = rng.normal(size=(600, 5)).astype(np.float32)
    y = (x[:, 0] + rng.normal(size=600) > 0).astype(np.float32)[:, None]
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[ak.ExactAUC(name="exact_auc")])
    model.fit(x[:400], y[:400], batch_size=64, epochs=1, verbose=0)
    logs = model.evaluate(x[400:], y[400:], batch_size=64, verbose=0, return_dict=True)
    p = np.asarray(model.predict(x[400:], batch_size=64, verbose=0), np.float32)
    bound = 1e-3  # float32 predictions: within the bound of the exact value
    assert abs(logs["exact_auc"] - reference("ROC", y[400:], p)) < bound


def test_xla_path_matches(rng):
    if keras.backend.backend() != "tensorflow":
        pytest.skip("XLA through tf.function")
    import tensorflow as tf

    y = (rng.random(700) < 0.4).astype(np.float32)
    s = float16_scores(rng, 700)
    m = ak.ExactAUC()
    tf.function(m.update_state, jit_compile=True)(y, s)
    np.testing.assert_allclose(float(m.result()), reference("ROC", y, s), rtol=1e-6)


@pytest.mark.parametrize("max_fpr", [0.05, 0.3, 0.5, 0.999])
@pytest.mark.parametrize("weighted", [False, True])
def test_partial_auc_equals_sklearn(feeder, rng, max_fpr, weighted):
    n = 2000
    y = (rng.random(n) < 0.4).astype(np.float32)
    s = float16_scores(rng, n, distinct=40 if weighted else None)  # ties on the curve too
    s = np.where(y == 1, np.minimum(s * 1.3, 1), s).astype(np.float16).astype(np.float32)
    w = rng.random(n).astype(np.float32) if weighted else None
    m = ak.ExactAUC(max_fpr=max_fpr, dtype="float64")
    for part in (slice(0, 5), slice(5, 1500), slice(1500, None)):
        feeder.update(m, y[part], s[part], None if w is None else w[part])
    expected = sklearn_metrics.roc_auc_score(y, s, sample_weight=w, max_fpr=max_fpr)
    np.testing.assert_allclose(float(m.result()), expected, rtol=1e-6)
    assert ak.ExactAUC.from_config(m.get_config()).max_fpr == max_fpr
    with pytest.raises(ValueError, match="max_fpr"):
        ak.ExactAUC(max_fpr=0)
    with pytest.raises(ValueError, match="max_fpr"):
        ak.ExactAUC(curve="PR", max_fpr=0.5)
