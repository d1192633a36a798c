"""Inputs on which accumetrics.keras once differed from keras.metrics, each fed to both on the same data:
eagerly, in a tf.function and in an XLA-compiled tf.function (jit_compile=True)."""

import numpy as np
import pytest

import keras
from sklearn.metrics import r2_score

from accumetrics import keras as ak
from accumetrics.keras._keras_version import KERAS_VERSION
from peer_versions import older_than

MODES = ["eager", "tf.function", "jit_compile"]


@pytest.fixture(params=MODES)
def mode(request):
    if request.param != "eager" and keras.backend.backend() != "tensorflow":
        pytest.skip("tf.function needs the TensorFlow backend")
    return request.param


def update(mode, metric, *args, **kwargs):
    """``metric.update_state(*args, **kwargs)`` as ``mode`` runs it."""
    if mode == "eager":
        return metric.update_state(*args, **kwargs)
    import tensorflow as tf

    return tf.function(metric.update_state, jit_compile=mode == "jit_compile")(*args, **kwargs)


def both(mode, ours, theirs, *args, **kwargs):
    update(mode, ours, *args, **kwargs)
    update(mode, theirs, *args, **kwargs)
    return np.asarray(ours.result()), np.asarray(theirs.result())


Y10 = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
P10 = np.array([0, 0.1, 0.2, 0.5, 0.6, 0.2, 0.5, 0.6, 0.8, 0.9], np.float32)


@pytest.mark.parametrize("name, value, y, p, w, expected", [
    ("PrecisionAtRecall", 0.6, Y10, P10, None, 0.75),
    ("PrecisionAtRecall", 0.8, Y10, P10, None, 2 / 3),
    ("SpecificityAtSensitivity", 0.6, Y10, P10, None, 0.8),
    ("RecallAtPrecision", 0.6, np.array([1, 1, 1, 0, 0]), np.full(5, 0.9, np.float32), None, 1.0),
    ("SensitivityAtSpecificity", 0.4, Y10, np.array([0, .1, .2, .3, .4, .01, .02, .25, .26, .26], np.float32),
     np.arange(1, 11, dtype=np.float32), 0.675),
], ids=["PrecisionAtRecall(0.6)", "PrecisionAtRecall(0.8)", "SpecificityAtSensitivity(0.6)",
        "RecallAtPrecision(0.6)", "SensitivityAtSpecificity(0.4) weighted"])
def test_rate_equal_to_the_target_is_feasible(mode, name, value, y, p, w, expected):
    """Keras compares rates with the target in float32: 3/5 meets 0.6."""
    ours, theirs = both(mode, getattr(ak, name)(value), getattr(keras.metrics, name)(value), y, p, sample_weight=w)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    np.testing.assert_allclose(ours, expected, rtol=1e-6)


@pytest.mark.parametrize("name", ["MeanSquaredError", "MeanAbsoluteError", "RootMeanSquaredError"])
def test_integer_labels_with_float_weights(mode, name):
    y = np.array([[0, 1, 0, 1, 0], [0, 0, 1, 1, 1], [1, 1, 1, 1, 0], [0, 0, 0, 0, 1]])
    p = np.array([[0, 0, 1, 1, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0], [1, 1, 1, 1, 1]])
    w = np.array([1.0, 1.5, 2.0, 2.5])
    ours, theirs = both(mode, getattr(ak, name)(), getattr(keras.metrics, name)(), y, p, sample_weight=w)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    if name == "MeanSquaredError":
        np.testing.assert_allclose(ours, 0.542857, rtol=1e-5)


def test_iou_skips_labels_out_of_range(mode):
    if older_than("keras", "3.14"):  # our values on every version: tests/keras/test_iou_metrics.py
        pytest.skip("Keras skips labels out of range from 3.14; before, its scatter raises on them")
    ours, theirs = both(mode, ak.IoU(2, target_class_ids=[0, 1]), keras.metrics.IoU(2, target_class_ids=[0, 1]),
                        np.array([0, 2, 1, 1]), np.array([0, 1, 1, 0]))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    np.testing.assert_allclose(ours, 0.5, rtol=1e-6)
    t, p = np.array([0, 255, 1, -1, 2]), np.array([0, 0, 1, 1, 7])
    ours, theirs = both(mode, ak.MeanIoU(3), keras.metrics.MeanIoU(3), t, p)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


@pytest.mark.parametrize("name, kwargs, sparse", [
    ("IoU", {"num_classes": 3, "target_class_ids": [0, 2]}, True),
    ("MeanIoU", {"num_classes": 3}, True),
    ("BinaryIoU", {"target_class_ids": [0, 1]}, None),
    ("OneHotIoU", {"num_classes": 3, "target_class_ids": [1, 2]}, False),
    ("OneHotMeanIoU", {"num_classes": 3}, False),
])
def test_fractional_iou_weights_are_kept(mode, rng, name, kwargs, sparse):
    """Keras's default integer matrix truncates weights below 1 to 0; ours keeps them, as Keras does with
    dtype="float32"."""
    n = 64
    if sparse is None:
        t, p = rng.integers(0, 2, n), rng.random(n).astype(np.float32)
    else:
        t, p = rng.integers(0, 3, n), rng.integers(0, 3, n)
        if not sparse:
            t, p = np.eye(3, dtype=np.float32)[t], rng.random((n, 3)).astype(np.float32)
    w = rng.uniform(0.05, 0.95, n).astype(np.float32)
    ours, theirs = both(mode, getattr(ak, name)(**kwargs), getattr(keras.metrics, name)(dtype="float32", **kwargs),
                        t, p, sample_weight=w)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5)
    assert float(ours) > 0
    truncating = getattr(keras.metrics, name)(**kwargs)
    with pytest.warns(UserWarning):
        truncating.update_state(t, p, sample_weight=w)
    assert float(truncating.result()) == 0.0


def test_multi_label_auc_refuses_another_label_count(mode):
    y, p = np.zeros((4, 3), np.float32), np.full((4, 3), 0.5, np.float32)
    with pytest.raises(Exception):
        update(mode, keras.metrics.AUC(multi_label=True, num_labels=2), y, p)
    ours = ak.AUC(multi_label=True, num_labels=2)
    with pytest.raises(ValueError, match="3 labels.*counts 2"):
        update(mode, ours, y, p)
    fitted = ak.AUC(multi_label=True)
    update(mode, fitted, y[:, :2], p[:, :2])
    with pytest.raises(ValueError, match="3 labels.*counts 2"):
        update(mode, fitted, y, p)


@pytest.mark.parametrize("make", [
    lambda: ak.AUC(thresholds=[0.2, float("nan")]),
    lambda: ak.Precision(thresholds=[float("nan")]),
    lambda: ak.TruePositives(thresholds=[0.5, np.nan]),
], ids=["AUC", "Precision", "TruePositives"])
def test_nan_threshold_is_refused_at_construction(make):
    with pytest.raises(ValueError, match="[Tt]hreshold.*nan"):
        make()


def test_auc_thresholds_outside_0_1_are_accepted_as_in_keras(mode):
    y, p = np.array([0, 1, 1, 0]), np.array([0.1, 0.9, 0.4, 0.6], np.float32)
    ours, theirs = both(mode, ak.AUC(thresholds=[-0.5, 0.5, 1.5]), keras.metrics.AUC(thresholds=[-0.5, 0.5, 1.5]),
                        y, p)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_nan_in_y_true_is_reported_as_y_true(mode):
    if mode == "jit_compile":
        pytest.skip("nothing raises under XLA")
    tf_errors = _graph_errors()
    for shape in [(4,), (4, 1), (2, 2)]:
        y = np.zeros(shape, np.float32)
        y.flat[0] = np.nan
        with pytest.raises((ValueError, *tf_errors), match="y_true"):
            update(mode, ak.MeanSquaredError(), y, np.zeros(shape, np.float32))


def _graph_errors():
    if keras.backend.backend() != "tensorflow":
        return ()
    import tensorflow as tf

    return (tf.errors.InvalidArgumentError,)


def test_sum_and_mean_keep_float64_values(mode):
    if keras.backend.backend() != "tensorflow":  # JAX without x64 and torch's Mean reach float32 on the way
        pytest.skip("checked on TensorFlow, where both reach the result in float64")
    big = np.array([1e308, 1.0])
    ours, theirs = both(mode, ak.Sum(dtype="float64"), keras.metrics.Sum(dtype="float64"), big)
    assert float(ours) == float(theirs) == 1e308
    ours, theirs = both(mode, ak.Sum(), keras.metrics.Sum(), big)  # float32 results: infinite in both
    assert np.isinf(ours) and np.isinf(theirs)
    ours, theirs = both(mode, ak.Mean(dtype="float64"), keras.metrics.Mean(dtype="float64"), big)
    assert float(ours) == float(theirs) == 5e307


def test_weight_errors_of_iou_name_the_weights_only():
    with pytest.raises(ValueError) as error:
        ak.MeanIoU(2).update_state([0, 1], [0, 1], sample_weight=[np.nan, 1.0])
    assert "sample_weight" in str(error.value) and "label" not in str(error.value)


def test_nan_score_under_xla_makes_the_state_nan():
    """Under XLA nothing can raise: a NaN score must not pass for a count; the result shows NaN."""
    if keras.backend.backend() != "tensorflow":
        pytest.skip("jit_compile=True is a tf.function option")
    y, p = np.array([0, 1, 1, 0]), np.array([0.1, np.nan, 0.4, 0.6], np.float32)
    for make in (ak.AUC, ak.Precision, lambda: ak.TruePositives(thresholds=[0.3, 0.5])):
        m = make()
        update("jit_compile", m, y, p)
        assert np.all(np.isnan(np.asarray(m.result())))
        m.reset_state()
        update("jit_compile", m, y, np.nan_to_num(p))
        assert not np.any(np.isnan(np.asarray(m.result())))
    for mode in ("eager", "tf.function"):
        with pytest.raises((ValueError, *_graph_errors()), match="finite"):
            update(mode, ak.AUC(), y, p)


def test_r2_of_targets_near_1e8(mode, rng):
    y = (1e8 + 8 * rng.integers(0, 100, (64, 2))).astype(np.float32)
    ours, theirs = both(mode, ak.R2Score(), keras.metrics.R2Score(), y, y)
    assert float(ours) == float(theirs) == 1.0
    noisy = (y + rng.normal(0, 100, y.shape)).astype(np.float32)
    m = ak.R2Score()
    update(mode, m, y[:40], noisy[:40])
    update(mode, m, y[40:], noisy[40:])
    np.testing.assert_allclose(m.result(), r2_score(y.astype(np.float64), noisy.astype(np.float64)), rtol=1e-5)


def test_r2_num_samples_as_the_installed_keras(mode, rng):
    y, p = rng.random((12, 3)).astype(np.float32), rng.random((12, 3)).astype(np.float32)
    w = np.r_[np.zeros(4), rng.random(8)].astype(np.float32)
    ours, theirs = ak.R2Score(num_regressors=2), keras.metrics.R2Score(num_regressors=2)
    a, b = both(mode, ours, theirs, y, p, sample_weight=w)
    assert float(ours.num_samples) == float(theirs.num_samples) == (36 if KERAS_VERSION < (3, 16) else 8)
    np.testing.assert_allclose(a, b, rtol=1e-5)


def test_fbeta_weights_as_the_installed_keras(mode, rng):
    y = np.eye(3, dtype=np.float32)[rng.integers(0, 3, 20)]
    p = rng.random((20, 3)).astype(np.float32)
    w = rng.random(20).astype(np.float32)
    for average in (None, "micro", "macro", "weighted"):
        ours, theirs = both(mode, ak.FBetaScore(average=average, beta=2.0),
                            keras.metrics.FBetaScore(average=average, beta=2.0), y, p, sample_weight=w)
        np.testing.assert_allclose(ours, theirs, rtol=1e-5)
    for other in (np.float32(2.0), np.tile(w[:, None], (1, 3))):
        if KERAS_VERSION < (3, 16):
            with pytest.raises(ValueError, match="one weight per sample"):
                update(mode, ak.FBetaScore(), y, p, sample_weight=other)
        else:
            ours, theirs = both(mode, ak.FBetaScore(), keras.metrics.FBetaScore(), y, p, sample_weight=other)
            np.testing.assert_allclose(ours, theirs, rtol=1e-5)


@pytest.mark.parametrize("make", [lambda: ak.AUC(num_thresholds=10**9),
                                  lambda: ak.AUC(num_thresholds=10**8, multi_label=True, num_labels=100),
                                  lambda: ak.PrecisionAtRecall(0.5, num_thresholds=10**9)],
                         ids=["AUC", "AUC multi-label", "PrecisionAtRecall"])
def test_impossible_threshold_counts_are_refused_at_once(make):
    """Refused by the constructor, before the thresholds are built (a list of 10**9 floats takes minutes)."""
    with pytest.raises(ValueError, match="num_thresholds.*memory limit"):
        make()
