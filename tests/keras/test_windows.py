"""Windowed: a metric over the last N batches equals the metric fed only those batches."""

import numpy as np
import pytest

import keras
from accumetrics import keras as ak
from accumetrics.keras.windows import Windowed

METRICS = [lambda: ak.Precision(), lambda: ak.AUC(num_thresholds=50), lambda: ak.MeanSquaredError(),
           lambda: ak.ExactAUC(), lambda: ak.BinaryIoU(dtype="float32"),
           lambda: ak.ExpectedCalibrationError(n_bins=5)]


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


def test_bad_input():
    with pytest.raises(ValueError, match="batches"):
        Windowed(ak.Precision(), batches=0)
    with pytest.raises(ValueError, match="first update"):
        Windowed(ak.F1Score(), batches=3)


def test_docstring_example():
    import doctest

    from accumetrics.keras import windows

    assert doctest.testmod(windows, optionflags=doctest.ELLIPSIS).failed == 0
