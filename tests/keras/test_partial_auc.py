"""AUC(max_fpr): the standardized partial ROC AUC from the binned counts, against scikit-learn."""

import numpy as np
import pytest

import keras
import accumetrics as am
from accumetrics import keras as ak
from accumetrics.keras._bridge import state_dtype

sklearn_metrics = pytest.importorskip("sklearn.metrics")
RTOL = 1e-9 if state_dtype() == "float64" else 1e-5  # JAX without jax_enable_x64: float32 state


def on_the_grid(m, rng, n):
    """Scores that are thresholds of ``m`` (the binned curve is then sklearn's exactly), as float32."""
    grid = np.asarray(m.thresholds, np.float32)
    inside = grid[(grid >= 0) & (grid <= 1)]
    return rng.choice(inside, n)


def ceil_to_grid(m, s):
    """Each score replaced by the smallest threshold >= it: the binned curve's view of the scores."""
    grid = np.asarray(m.thresholds, np.float32)
    return grid[np.searchsorted(grid, s.astype(np.float32), side="left")]


@pytest.mark.parametrize("max_fpr", [0.01, 0.2, 0.5, 0.9])
@pytest.mark.parametrize("weighted", [False, True])
def test_equals_sklearn_on_the_threshold_grid(feeder, rng, max_fpr, weighted):
    n = 3000
    m = ak.AUC(num_thresholds=50, max_fpr=max_fpr, dtype="float64")
    y = (rng.random(n) < 0.35).astype(np.float32)
    s = on_the_grid(m, rng, n)
    s = np.where(y == 1, ceil_to_grid(m, np.minimum(s * 1.4, 1)), s)  # better than chance, ties kept
    w = rng.random(n).astype(np.float32) if weighted else None
    for part in (slice(0, 7), slice(7, 2000), slice(2000, None)):
        feeder.update(m, y[part], s[part], None if w is None else w[part])
    expected = sklearn_metrics.roc_auc_score(y, s, sample_weight=w, max_fpr=max_fpr)
    assert 0.5 < expected < 1
    np.testing.assert_allclose(float(m.result()), expected, rtol=RTOL)
    np.testing.assert_allclose(float(m.result()), am.roc_auc_score(y, s, sample_weight=w, max_fpr=max_fpr),
                               rtol=RTOL)
    exact = ak.ExactAUC(max_fpr=max_fpr, dtype="float64")  # grid spacing > float16 resolution: exact too
    exact.update_state(y, s, w)
    np.testing.assert_allclose(float(m.result()), float(exact.result()), rtol=RTOL)


def test_uneven_thresholds_and_scores_between_them(rng):
    n = 2000
    y = (rng.random(n) < 0.5).astype(np.float32)
    s = np.clip(rng.normal(0.4 + 0.2 * y, 0.25), 0, 1).astype(np.float32)
    for m in (ak.AUC(thresholds=np.sort(rng.random(30)), max_fpr=0.3, dtype="float64"),
              ak.AUC(num_thresholds=200, max_fpr=0.3, dtype="float64")):
        m.update_state(y, s)
        # The binned curve is the exact curve of the scores raised to the next threshold.
        expected = sklearn_metrics.roc_auc_score(y, ceil_to_grid(m, s), max_fpr=0.3)
        np.testing.assert_allclose(float(m.result()), expected, rtol=RTOL)
        assert abs(float(m.result()) - sklearn_metrics.roc_auc_score(y, s, max_fpr=0.3)) < 0.05


@pytest.mark.parametrize("label_weights", [None, [0.2, 0.5, 0.3]])
def test_multi_label_averages_the_labels(rng, label_weights):
    n = 1500
    m = ak.AUC(num_thresholds=20, multi_label=True, label_weights=label_weights, max_fpr=0.25, dtype="float64")
    y = (rng.random((n, 3)) < [0.2, 0.5, 0.7]).astype(np.float32)
    s = np.stack([on_the_grid(m, rng, n) for _ in range(3)], axis=1)
    s = np.where(y == 1, ceil_to_grid(m, np.minimum(s * 1.5, 1)), s)
    m.update_state(y[:600], s[:600])
    m.update_state(y[600:], s[600:])
    per_label = [sklearn_metrics.roc_auc_score(y[:, k], s[:, k], max_fpr=0.25) for k in range(3)]
    weights = None if label_weights is None else np.float32(label_weights)  # Keras keeps them as float32
    np.testing.assert_allclose(float(m.result()), np.average(per_label, weights=weights), rtol=RTOL)


def test_without_max_fpr_it_is_keras_auc(rng):
    y = (rng.random(500) < 0.4).astype(np.float32)
    s = rng.random(500).astype(np.float32)
    ours, theirs = ak.AUC(num_thresholds=30, name="auc"), keras.metrics.AUC(num_thresholds=30, name="auc")
    assert ours.get_config() == theirs.get_config()
    whole = ak.AUC(num_thresholds=30, max_fpr=1.0, name="auc")  # 1: the whole curve
    assert whole.get_config() == theirs.get_config()
    for m in (ours, theirs):
        m.update_state(y, s)
    np.testing.assert_allclose(float(ours.result()), float(theirs.result()), rtol=1e-6)


def test_config_round_trip_and_one_class(rng):
    m = ak.AUC(num_thresholds=40, max_fpr=0.3, name="pauc")
    config = m.get_config()
    assert config["max_fpr"] == 0.3
    again = ak.AUC.from_config(config)
    assert again.max_fpr == 0.3 and again.get_config() == config
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(m))
    assert isinstance(restored, ak.AUC) and restored.max_fpr == 0.3
    m.update_state(np.ones(5), rng.random(5))
    assert np.isnan(float(m.result()))  # undefined, as in sklearn; the full AUC returns Keras's 0


@pytest.mark.parametrize("kwargs, match", [
    (dict(max_fpr=0), "max_fpr=0: expected a float in"),
    (dict(max_fpr=1.5), "max_fpr=1.5"),
    (dict(max_fpr=True), "max_fpr=True"),
    (dict(max_fpr="0.5"), "max_fpr='0.5'"),
    (dict(max_fpr=0.5, curve="PR"), "needs curve='ROC'"),
    (dict(max_fpr=0.5, summation_method="minoring"), "needs summation_method='interpolation'"),
])
def test_bad_max_fpr(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ak.AUC(**kwargs)


def test_in_evaluate(rng):
    n = 640
    m = ak.AUC(num_thresholds=25, max_fpr=0.4)
    y = (rng.random(n) < 0.4).astype(np.float32)
    s = on_the_grid(m, rng, n)
    s = np.where(y == 1, ceil_to_grid(m, np.minimum(s * 1.3, 1)), s)
    inputs = keras.Input((1,))
    model = keras.Model(inputs, keras.layers.Identity()(inputs))
    model.compile(loss="mse", metrics=[m])
    logs = model.evaluate(s[:, None], y[:, None], batch_size=100, verbose=0, return_dict=True)
    np.testing.assert_allclose(logs[m.name], sklearn_metrics.roc_auc_score(y, s, max_fpr=0.4), rtol=1e-5)


def test_per_class(rng):
    from accumetrics.keras.per_class import PerClass

    n, c = 600, 3
    y = rng.integers(0, c, n)
    p = rng.dirichlet(np.ones(c), n) + np.eye(c)[y] * 0.3
    p = (np.round(p / p.sum(1, keepdims=True) * 10) / 10).astype(np.float32)  # on the thresholds 0, 0.1, ..., 1
    m = PerClass(ak.AUC(num_thresholds=11, max_fpr=0.3, name="pauc", dtype="float64"), num_classes=c)
    m.update_state(y, p)
    values = m.result()
    for k in range(c):
        expected = sklearn_metrics.roc_auc_score(y == k, p[:, k], max_fpr=0.3)
        np.testing.assert_allclose(float(values[f"pauc/{k}"]), expected, rtol=RTOL)
