"""ExpectedCalibrationError, MaximumCalibrationError and BrierScore against accumetrics' functions and sklearn."""

import numpy as np
import pytest

import keras
import accumetrics as am
from accumetrics import keras as ak

sk = pytest.importorskip("sklearn.metrics")


def feed(feeder, metric, y, p, w):
    for part in (slice(0, 3), slice(3, 700), slice(700, None)):  # uneven batches
        feeder.update(metric, y[part], p[part], None if w is None else w[part])
    return float(metric.result())


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("bins", [{"n_bins": 10}, {"n_bins": 1}, {"bins": [0.0, 0.1, 0.25, 0.5, 0.8, 1.0]}])
def test_binary_equals_accumetrics_functions(feeder, rng, weighted, bins):
    n = 1500
    y = rng.integers(0, 2, n)
    p = np.clip(rng.normal(0.3 + 0.4 * y, 0.25), 0, 1).astype(np.float32)
    p[:20] = np.float32(0.1)  # on an edge
    w = rng.random(n).astype(np.float32) if weighted else None
    edges = bins.get("bins")
    expected = {
        ak.ExpectedCalibrationError: am.Calibration(bins=edges, n_bins=bins.get("n_bins", 15)).update(
            y, p, w).expected_calibration_error,
        ak.MaximumCalibrationError: am.Calibration(bins=edges, n_bins=bins.get("n_bins", 15)).update(
            y, p, w).maximum_calibration_error,
    }
    if edges is None:
        assert expected[ak.ExpectedCalibrationError] == pytest.approx(
            am.expected_calibration_error(y, p, n_bins=bins["n_bins"], sample_weight=w))
    for cls, value in expected.items():
        got = feed(feeder, cls(**bins, dtype="float64"), y.astype(np.float32), p, w)
        assert got == pytest.approx(value, rel=1e-6, abs=1e-7), cls.__name__
    brier = feed(feeder, ak.BrierScore(dtype="float64"), y.astype(np.float32), p, w)
    assert brier == pytest.approx(sk.brier_score_loss(y, p, sample_weight=w), rel=1e-6)


@pytest.mark.parametrize("one_hot", [False, True])
def test_multiclass_top_label_and_brier(feeder, rng, one_hot):
    n, c = 1200, 3
    y = rng.integers(0, c, n)
    p = rng.dirichlet(np.ones(c), n) + np.eye(c)[y] * 0.6
    p = (p / p.sum(1, keepdims=True)).astype(np.float32)
    w = rng.random(n).astype(np.float32)
    labels = np.eye(c, dtype=np.float32)[y] if one_hot else y.astype(np.int32)
    correct, confidence = (np.argmax(p, 1) == y), p.max(1)
    ece = feed(feeder, ak.ExpectedCalibrationError(dtype="float64"), labels, p, w)
    assert ece == pytest.approx(am.expected_calibration_error(correct, confidence, sample_weight=w), rel=1e-6)
    mce = feed(feeder, ak.MaximumCalibrationError(n_bins=5, dtype="float64"), labels, p, w)
    assert mce == pytest.approx(am.maximum_calibration_error(correct, confidence, n_bins=5, sample_weight=w), rel=1e-6)
    brier = feed(feeder, ak.BrierScore(dtype="float64"), labels, p, w)
    assert brier == pytest.approx(sk.brier_score_loss(y, p, sample_weight=w), rel=1e-6)
    two = np.stack([1 - p[:, 0], p[:, 0]], axis=1)  # two columns: the binary score
    binary = (y == 0).astype(np.float32)
    assert feed(feeder, ak.BrierScore(dtype="float64"), binary, two, w) == pytest.approx(
        sk.brier_score_loss(binary, p[:, 0], sample_weight=w), rel=1e-5)


def test_fit_and_evaluate(rng):
    n = 500
    x = rng.normal(size=(n, 5)).astype(np.float32)
    y = (x[:, 0] + rng.normal(size=n) > 0).astype(np.float32)
    w = rng.random(n).astype(np.float32)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy",
                  weighted_metrics=[ak.ExpectedCalibrationError(n_bins=10, name="ece"),
                                    ak.MaximumCalibrationError(n_bins=10, name="mce"), ak.BrierScore(name="brier")])
    history = model.fit(x, y, sample_weight=w, batch_size=64, epochs=1, verbose=0)
    assert {"ece", "mce", "brier"} <= set(history.history)
    logs = model.evaluate(x, y, sample_weight=w, batch_size=97, verbose=0, return_dict=True)
    p = model.predict(x, batch_size=97, verbose=0)[:, 0]
    assert logs["ece"] == pytest.approx(am.expected_calibration_error(y, p, n_bins=10, sample_weight=w), rel=1e-5)
    assert logs["mce"] == pytest.approx(am.maximum_calibration_error(y, p, n_bins=10, sample_weight=w), rel=1e-5)
    assert logs["brier"] == pytest.approx(sk.brier_score_loss(y, p, sample_weight=w), rel=1e-5)


def test_empty_config_and_bad_input():
    m = ak.ExpectedCalibrationError(bins=[0, 0.5, 1], name="ece")
    assert np.isnan(float(m.result())) and np.isnan(float(ak.BrierScore().result()))
    assert ak.ExpectedCalibrationError.from_config(m.get_config()).get_config() == m.get_config()
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        m.update_state([0, 1], [0.5, 1.5])
    with pytest.raises(ValueError, match="bins"):
        ak.MaximumCalibrationError(bins=[0.5, 0.2])


def test_docstring_examples():
    import doctest

    from accumetrics.keras import calibration_metrics

    assert doctest.testmod(calibration_metrics, optionflags=doctest.ELLIPSIS).failed == 0
