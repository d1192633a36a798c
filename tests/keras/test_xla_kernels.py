"""The core's threshold histogram as an XLA custom call under jax.jit (accumetrics._xla through jax.ffi) against
the core on the host, and the metrics that count through it against keras.metrics."""

import platform
import re

import numpy as np
import pytest
import keras

from accumetrics.keras import _batch_counts, _xla_kernels
from accumetrics.keras._bridge import state_dtype
from accumetrics.thresholds import ThresholdBatch

from test_in_graph_counts import adversarial_scores, keras_grid

pytestmark = pytest.mark.skipif(keras.backend.backend() != "jax", reason="XLA custom calls are JAX's")

GRIDS = {"keras 200": keras_grid(200), "keras 11": keras_grid(11), "uneven": np.array([-0.5, 0.01, 0.3, 0.31, 0.9, 2.0])}


def test_the_custom_calls_are_built_and_accepted():
    # wheels and source builds on these machines carry them: a missing one would silently cost the speed
    if platform.machine() in ("x86_64", "AMD64", "aarch64", "arm64"):
        assert _xla_kernels._registered()


def jitted_histogram(thresholds, labels, weighted):
    import jax

    def histogram(y, s, *w):
        return _batch_counts.threshold_histogram(y, s, w[0] if w else None, thresholds, labels, state_dtype())

    return jax.jit(histogram)


@pytest.mark.parametrize("grid", GRIDS)
@pytest.mark.parametrize("labels", [1, 3])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("score_dtype", [np.float32, np.float64])
def test_histogram_in_a_jitted_call_equals_the_core(rng, grid, labels, weighted, score_dtype):
    thresholds = GRIDS[grid].astype(np.float32).astype(np.float64)
    s = adversarial_scores(rng, thresholds, n=3000)
    s = s[: s.size // labels * labels].reshape(-1, labels).astype(score_dtype)
    y = rng.choice(np.float32([0, 1, 2, -1]), s.shape)  # read as booleans: non-zero is positive
    w = rng.normal(size=s.shape).astype(np.float32)  # negative weights count, as in Keras
    args = (y, s, w) if weighted else (y, s)
    fn = jitted_histogram(thresholds, labels, weighted)
    assert _xla_kernels.HISTOGRAM in fn.lower(*args).as_text()
    got = np.asarray(fn(*args))
    want = ThresholdBatch(thresholds, labels)(y, s, w if weighted else None).reshape(got.shape)
    if weighted:
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-4)
    else:
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("bad", ["y_score", "sample_weight"])
def test_a_value_that_is_not_finite_raises_the_cores_error(rng, bad):
    thresholds = keras_grid(200)
    s = rng.random(500, dtype=np.float32)
    y = rng.integers(0, 2, 500).astype(np.float32)
    w = np.ones(500, np.float32)
    (s if bad == "y_score" else w)[7] = np.nan
    with pytest.raises(Exception, match=re.escape(ThresholdBatch.must_be_finite[bad])):  # JAX wraps the ValueError
        np.asarray(jitted_histogram(thresholds, 1, True)(y, s, w))


def test_auc_under_jit_with_and_without_the_custom_call_equal_keras(rng, monkeypatch):
    import jax

    import accumetrics.keras as ak

    y = rng.integers(0, 2, (4096, 1)).astype(np.float32)
    s = rng.random((4096, 1)).astype(np.float32)
    w = rng.random(4096).astype(np.float32)
    results = []
    for use in (True, False):
        monkeypatch.setattr(_xla_kernels, "USE_KERNELS", use)
        for metric in (ak.AUC(), ak.AUC(curve="PR"), keras.metrics.AUC(), keras.metrics.AUC(curve="PR")):
            metric.update_state(y[:10], s[:10])  # builds the variables
            metric.reset_state()

            @jax.jit
            def update(variables, y, s, w, metric=metric):
                return metric.stateless_update_state(variables, y, s, sample_weight=w)

            variables = [v.value for v in metric.variables]
            for part in np.array_split(np.arange(4096), 3):
                variables = update(variables, y[part], s[part], w[part])
            results.append(float(metric.stateless_result(variables)))
    ours_roc, ours_pr, keras_roc, keras_pr = results[:4]
    np.testing.assert_allclose([ours_roc, ours_pr], [keras_roc, keras_pr], rtol=1e-5)
    np.testing.assert_allclose(results[:2], results[4:6], rtol=1e-6)  # the keras.ops path counts the same
