"""The keras.ops paths of the engines (small batches and cheap work in a graph, XLA) against the core."""

import numpy as np
import pytest

from accumetrics import _core
from accumetrics.keras import _engines
from accumetrics.keras._bridge import state_dtype

from keras import ops


def keras_grid(n):
    """Keras's default thresholds: n values evenly spaced in [0, 1], the ends moved by 1e-7, as float32."""
    return np.asarray([-1e-7] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1 + 1e-7], np.float32).astype(np.float64)


def adversarial_scores(rng, thresholds, n=4000):
    t32 = thresholds.astype(np.float32)
    on = rng.choice(t32, n // 4)
    near = np.concatenate([np.nextafter(on, np.float32(-np.inf)), np.nextafter(on, np.float32(np.inf))])
    rest = np.concatenate([rng.random(n // 4, dtype=np.float32), np.float32([0, 1, -0.0, -2, 3, 1e-8, -1e-8])])
    s = np.concatenate([on, near, rest]).astype(np.float32)
    return s[(s == 0) | (np.abs(s) >= np.finfo(np.float32).tiny)]  # TensorFlow's CPU ops flush subnormals to 0


@pytest.mark.parametrize("thresholds", [keras_grid(200), keras_grid(3), keras_grid(1000), np.linspace(0, 1, 11),
                                        np.sort(np.random.default_rng(3).random(50)), np.array([0.5]),
                                        np.array([0.2, 0.5, 0.9]), np.array([0.1, 0.2, 0.3, 0.4, 0.5]),
                                        np.linspace(0, 1, 11) + 0.02])
@pytest.mark.parametrize("weighted", [False, True])
def test_threshold_histogram_ops_equals_the_core(rng, thresholds, weighted):
    thresholds = np.unique(thresholds.astype(np.float32).astype(np.float64))
    s = adversarial_scores(rng, thresholds)
    y = rng.integers(0, 2, s.size).astype(np.float32)
    w = rng.normal(size=s.size).astype(np.float32) if weighted else None
    got = _engines._threshold_histogram_ops(y, s, w, thresholds, 1, "float64")
    core = _core.ThresholdCounts(thresholds, 1, 1)
    core.update(y != 0, s, w, None, False)
    want = core.sums() if weighted else core.counts()
    np.testing.assert_allclose(np.asarray(got).reshape(want.shape), want, rtol=1e-5, atol=1e-4)
    if not weighted:
        np.testing.assert_array_equal(np.asarray(got).reshape(want.shape), want)


@pytest.mark.parametrize("columns", [None, ("sum_pred", "sum_weight"), ("sum_squared_error", "sum_weight")])
@pytest.mark.parametrize("weighted", [False, True])
def test_moment_sums_ops_equals_the_core(rng, columns, weighted):
    x, y = rng.normal(size=(500, 3)), rng.normal(size=(500, 3))
    w = rng.random(500) if weighted else None
    dtype = state_dtype()  # float32 on JAX without x64
    got = np.asarray(_engines._moment_sums_ops(y, x, w, 3, dtype, columns))
    tolerance = {"rtol": 1e-12, "atol": 1e-9} if dtype == "float64" else {"rtol": 1e-5, "atol": 1e-3}
    core = _core.Moments(3, 1)
    core.update(x.reshape(-1), y.reshape(-1), w, None)
    want = core.sums().reshape(got.shape)
    for name, column in _engines.STAT.items():
        expected = want[:, column] if columns is None or name in columns else np.zeros(3)
        np.testing.assert_allclose(got[:, column], expected, err_msg=name, **tolerance)
