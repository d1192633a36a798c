"""Windowed: a metric over the last N batches (or samples) equals the metric fed only those batches (samples)."""

import numpy as np
import pytest

import keras
from accumetrics import keras as ak
from accumetrics.keras.windows import Windowed

METRICS = [lambda: ak.Precision(), lambda: ak.AUC(num_thresholds=50), lambda: ak.MeanSquaredError(),
           lambda: ak.ExactAUC(), lambda: ak.BinaryIoU(dtype="float32"),
           lambda: ak.ExpectedCalibrationError(n_bins=5), lambda: ak.F1Score(threshold=0.5),
           lambda: ak.BrierScore()]


@pytest.mark.parametrize("make", METRICS)
def test_equals_the_metric_on_the_last_batches(feeder, rng, make):
    sizes = [5, 40, 1, 33, 17, 60, 8]
    batches = []
    for n in sizes:
        y = (rng.random(n) < 0.4).astype(np.float32)
        p = np.clip(0.3 * y + 0.7 * rng.random(n), 0, 1).astype(np.float32)
        batches.append((y[:, None], p[:, None], rng.random(n).astype(np.float32)))
    window = Windowed(make(), batches=3)
    for i, (y, p, w) in enumerate(batches):
        feeder.update(window, y, p, w)
        fresh = make()
        for yy, pp, ww in batches[max(0, i - 2): i + 1]:
            fresh.update_state(yy, pp, ww)
        np.testing.assert_allclose(np.asarray(window.result()), np.asarray(fresh.result()), rtol=1e-6, atol=1e-7,
                                   err_msg=f"after batch {i}")
    window.reset_state()
    feeder.update(window, *batches[0])
    fresh = make()
    fresh.update_state(*batches[0])
    np.testing.assert_allclose(np.asarray(window.result()), np.asarray(fresh.result()), rtol=1e-6)


def batches_of(rng, sizes, columns=1):
    out = []
    for n in sizes:
        y = (rng.random((n, columns)) < 0.4).astype(np.float32)
        p = np.clip(0.3 * y + 0.7 * rng.random((n, columns)), 0, 1).astype(np.float32)
        out.append((y, p, rng.random(n).astype(np.float32)))
    return out


@pytest.mark.parametrize("make", METRICS)
@pytest.mark.parametrize("weighted", [True, False])
def test_samples_equal_the_metric_on_the_last_samples(feeder, rng, make, weighted):
    """Batches smaller and larger than the window, one of exactly its size: the window cuts through them."""
    window_size = 50
    batches = batches_of(rng, [5, 40, 1, 33, 50, 17, 120, 8, 3])
    seen = [np.concatenate(parts) for parts in zip(*batches)]
    window = Windowed(make(), samples=window_size)
    total = 0
    for i, (y, p, w) in enumerate(batches):
        feeder.update(window, y, p, w if weighted else None)
        total += len(y)
        fresh, start = make(), max(0, total - window_size)
        fresh.update_state(seen[0][start:total], seen[1][start:total], seen[2][start:total] if weighted else None)
        np.testing.assert_allclose(np.asarray(window.result()), np.asarray(fresh.result()), rtol=1e-5, atol=1e-6,
                                   err_msg=f"after batch {i}")
    window.reset_state()
    feeder.update(window, *batches[1])
    fresh = make()
    fresh.update_state(*batches[1])
    np.testing.assert_allclose(np.asarray(window.result()), np.asarray(fresh.result()), rtol=1e-5, atol=1e-6)


def test_samples_of_a_multi_class_metric(rng):
    y = rng.integers(0, 3, 300)
    p = rng.dirichlet(np.ones(3), 300).astype(np.float32)
    window = Windowed(ak.SparseCategoricalAccuracy(), samples=64)
    for start in range(0, 300, 45):
        window.update_state(y[start:start + 45], p[start:start + 45])
    last = slice(300 - 64, 300)
    assert float(window.result()) == pytest.approx(np.mean(np.argmax(p[last], 1) == y[last]))


def test_in_fit(rng):
    x = rng.normal(size=(300, 4)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.float32)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy",
                  metrics=[Windowed(ak.Precision(name="precision"), batches=2, name="precision_last_2")])
    history = model.fit(x, y, batch_size=64, epochs=1, verbose=0)
    assert len(history.history["precision_last_2"]) == 1
    clone = Windowed.from_config(model.metrics[-1].metrics[0].get_config()) if hasattr(
        model.metrics[-1], "metrics") else None
    assert clone is None or clone.batches == 2


def test_samples_in_fit(rng):
    x = rng.normal(size=(300, 4)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.float32)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(loss="binary_crossentropy", metrics=[Windowed(ak.Recall(), samples=100, name="recall_last")])
    logs = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    p = model.predict(x, batch_size=64, verbose=0)
    last = slice(200, 300)
    fresh = ak.Recall()
    fresh.update_state(y[last], p[last])
    assert logs["recall_last"] == pytest.approx(float(fresh.result()), rel=1e-6)
    history = model.fit(x, y, batch_size=64, epochs=1, verbose=0)
    assert len(history.history["recall_last"]) == 1


def test_config_round_trip():
    for window in (Windowed(ak.Precision(name="p"), batches=4), Windowed(ak.Precision(name="p"), samples=500)):
        clone = Windowed.from_config(window.get_config())
        assert (clone.batches, clone.samples, clone.name) == (window.batches, window.samples, window.name)


def test_bad_input():
    with pytest.raises(ValueError, match="batches"):
        Windowed(ak.Precision(), batches=0)
    with pytest.raises(ValueError, match="samples must be a positive integer"):
        Windowed(ak.Precision(), samples=1.5)
    with pytest.raises(ValueError, match="one of batches or samples"):
        Windowed(ak.Precision(), batches=2, samples=10)
    with pytest.raises(ValueError, match="one of batches or samples"):
        Windowed(ak.Precision())
    with pytest.raises(ValueError, match="strategy='quantile'"):
        Windowed(ak.ExpectedCalibrationError(strategy="quantile"), samples=10)
    window = Windowed(ak.Precision(), samples=10)
    window.update_state(np.zeros((4, 2)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="keeps samples of shape"):
        window.update_state(np.zeros((4, 3)), np.zeros((4, 3)))


def test_docstring_example():
    import doctest

    from accumetrics.keras import windows

    assert doctest.testmod(windows, optionflags=doctest.ELLIPSIS).failed == 0
