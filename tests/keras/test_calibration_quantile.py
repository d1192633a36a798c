"""Equal-mass (quantile) bins of ExpectedCalibrationError / MaximumCalibrationError against sklearn's
calibration_curve(strategy="quantile") and accumetrics' functions."""

import numpy as np
import pytest

import keras
import accumetrics as am
from accumetrics import keras as ak
from accumetrics.calibration import calibration_errors
from accumetrics.keras._bridge import state_dtype

calibration = pytest.importorskip("sklearn.calibration")
REL = 1e-9 if state_dtype() == "float64" else 1e-4  # JAX without jax_enable_x64: float32 state and sums


def feed(feeder, metric, y, p, w=None):
    for part in (slice(0, 3), slice(3, 700), slice(700, None)):  # uneven batches
        feeder.update(metric, y[part], p[part], None if w is None else w[part])
    return float(metric.result())


def float16_probabilities(rng, y, distinct=None):
    p = np.clip(rng.normal(0.3 + 0.4 * y, 0.25), 0, 1)
    if distinct:  # many ties, and edges on them
        p = np.round(p * distinct) / distinct
    return p.astype(np.float16).astype(np.float32)


def errors_from_curve(y, p, n_bins):
    """ECE and MCE from sklearn's quantile reliability curve (unweighted): each bin's gap, by its count."""
    prob_true, prob_pred = calibration.calibration_curve(y, p, n_bins=n_bins, strategy="quantile")
    edges = np.percentile(p, np.linspace(0, 1, n_bins + 1) * 100)
    counts = np.bincount(np.searchsorted(edges[1:-1], p), minlength=n_bins)
    counts = counts[counts > 0]
    gaps = np.abs(prob_true - prob_pred)
    return np.sum(gaps * counts) / counts.sum(), gaps.max()


@pytest.mark.parametrize("n_bins", [1, 4, 10, 37])
@pytest.mark.parametrize("distinct", [None, 12])
def test_float16_probabilities_equal_sklearn(feeder, rng, n_bins, distinct):
    n = 1500
    y = rng.integers(0, 2, n)
    p = float16_probabilities(rng, y, distinct)
    ece, mce = errors_from_curve(y, p, n_bins)
    assert ece == pytest.approx(am.expected_calibration_error(y, p, n_bins=n_bins, strategy="quantile"), rel=1e-12)
    got_ece = feed(feeder, ak.ExpectedCalibrationError(n_bins=n_bins, strategy="quantile", dtype="float64"),
                   y.astype(np.float32), p)
    got_mce = feed(feeder, ak.MaximumCalibrationError(n_bins=n_bins, strategy="quantile", dtype="float64"),
                   y.astype(np.float32), p)
    assert got_ece == pytest.approx(ece, rel=REL, abs=1e-12)
    assert got_mce == pytest.approx(mce, rel=REL, abs=1e-12)


def test_weighted_equals_the_numpy_face(feeder, rng):
    """With weights the edges stay percentiles of the probabilities (unweighted), as sklearn's."""
    n = 2000
    y = rng.integers(0, 2, n)
    p = float16_probabilities(rng, y, distinct=30)
    w = (rng.random(n) * (rng.random(n) > 0.2)).astype(np.float32)
    for cls, fn in ((ak.ExpectedCalibrationError, am.expected_calibration_error),
                    (ak.MaximumCalibrationError, am.maximum_calibration_error)):
        got = feed(feeder, cls(n_bins=8, strategy="quantile", dtype="float64"), y.astype(np.float32), p, w)
        assert got == pytest.approx(fn(y, p, n_bins=8, strategy="quantile", sample_weight=w), rel=REL), cls


def test_float32_probabilities_are_binned_at_float16(rng):
    """Other probabilities: edges and bins of the values rounded up to float16, bin means of the values."""
    n = 3000
    y = rng.integers(0, 2, n)
    p = np.clip(rng.normal(0.3 + 0.4 * y, 0.25), 0, 1).astype(np.float32)
    w = rng.random(n).astype(np.float32)
    cells = np.unique(np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16).astype(np.float64))
    cells = cells[(cells >= 0) & (cells <= 1)]
    up = cells[np.searchsorted(cells, p.astype(np.float64), side="left")]
    assert (up >= p).all() and (up - p <= 2.0**-11).all()
    edges = np.percentile(up, np.linspace(0, 1, 11) * 100)
    bin_of = np.searchsorted(edges[1:-1], up)
    sums = [np.bincount(bin_of, weights=x, minlength=10) for x in (w, w * y, w * p)]
    expected_ece, expected_mce = calibration_errors(*sums)
    ece = ak.ExpectedCalibrationError(n_bins=10, strategy="quantile", dtype="float64")
    mce = ak.MaximumCalibrationError(n_bins=10, strategy="quantile", dtype="float64")
    for m in (ece, mce):
        m.update_state(y[:1000].astype(np.float32), p[:1000], w[:1000])
        m.update_state(y[1000:].astype(np.float32), p[1000:], w[1000:])
    # bins as the reference's (one sample in another bin moves the error by ~1e-4); sums to float32 products
    assert float(ece.result()) == pytest.approx(expected_ece, rel=max(REL, 1e-6))
    assert float(mce.result()) == pytest.approx(expected_mce, rel=max(REL, 1e-6))
    exact = am.expected_calibration_error(y, p, n_bins=10, strategy="quantile", sample_weight=w)
    assert abs(float(ece.result()) - exact) < 0.01


def test_multiclass_top_label(rng):
    n, c = 1200, 4
    y = rng.integers(0, c, n)
    p = rng.dirichlet(np.ones(c), n) + np.eye(c)[y] * 0.5
    p = (p / p.sum(1, keepdims=True)).astype(np.float16).astype(np.float32)
    m = ak.ExpectedCalibrationError(n_bins=6, strategy="quantile", dtype="float64")
    m.update_state(y.astype(np.int32), p)
    correct, confidence = (np.argmax(p, 1) == y), p.max(1)
    assert float(m.result()) == pytest.approx(
        am.expected_calibration_error(correct, confidence, n_bins=6, strategy="quantile"), rel=REL)


def test_empty_reset_config_and_bad_arguments(rng):
    m = ak.ExpectedCalibrationError(n_bins=5, strategy="quantile")
    assert np.isnan(float(m.result()))
    m.update_state([0, 1, 1], [0.25, 0.5, 0.75])
    assert float(m.result()) >= 0
    m.reset_state()
    assert np.isnan(float(m.result()))
    config = m.get_config()
    assert config["strategy"] == "quantile"
    again = ak.ExpectedCalibrationError.from_config(config)
    assert again.strategy == "quantile" and again.get_config() == config
    assert ak.MaximumCalibrationError().get_config()["strategy"] == "uniform"
    with pytest.raises(ValueError, match="strategy='median'"):
        ak.ExpectedCalibrationError(strategy="median")
    with pytest.raises(ValueError, match="pass n_bins, not bins"):
        ak.MaximumCalibrationError(bins=[0, 0.5, 1], strategy="quantile")


def test_in_evaluate(rng):
    n = 600
    y = rng.integers(0, 2, n).astype(np.float32)
    p = float16_probabilities(rng, y)
    inputs = keras.Input((1,))
    model = keras.Model(inputs, keras.layers.Identity()(inputs))
    model.compile(loss="mse", metrics=[ak.ExpectedCalibrationError(n_bins=7, strategy="quantile", name="ece")])
    logs = model.evaluate(p[:, None], y[:, None], batch_size=128, verbose=0, return_dict=True)
    assert logs["ece"] == pytest.approx(am.expected_calibration_error(y, p, n_bins=7, strategy="quantile"),
                                        rel=1e-5)
