"""The keras.ops paths of the engines (small batches and cheap work in a graph, XLA) against the core path:
the accumulators' batch counts that the engines call on the host."""

import numpy as np
import pytest
import keras

from accumetrics.confusion import ConfusionBatch
from accumetrics.keras import _batch_counts
from accumetrics.moments import STAT, MomentBatch
from accumetrics.thresholds import ThresholdBatch
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
    got = _batch_counts._threshold_histogram_ops(y, s, w, thresholds, 1, "float64")
    want = ThresholdBatch(thresholds)(y, s, w)
    np.testing.assert_allclose(np.asarray(got).reshape(want.shape), want, rtol=1e-5, atol=1e-4)
    if not weighted:
        np.testing.assert_array_equal(np.asarray(got).reshape(want.shape), want)


@pytest.mark.parametrize("thresholds", [keras_grid(200), keras_grid(3), keras_grid(13), np.linspace(0, 1, 11),
                                        np.linspace(0.1, 0.9, 9), np.array([-0.5, 0.5, 1.5]), np.array([0.5])])
@pytest.mark.parametrize("weighted", [False, True])
def test_clamped_histogram_is_the_histogram_of_clipped_scores(rng, thresholds, weighted):
    """Buckets clamped to those of 0 and 1, in the graph's ops and by the core: the scores clipped to [0, 1],
    as Keras's AUC and Precision on an even grid clip them."""
    thresholds = np.unique(thresholds.astype(np.float32).astype(np.float64))
    clamp = tuple(int(b) for b in np.searchsorted(thresholds, [0.0, 1.0], side="left"))
    s = np.concatenate([adversarial_scores(rng, thresholds), np.float32([-1e-7, -1e-8, 1 + 2**-23, 1.5, -3])])
    y = rng.integers(0, 2, s.size).astype(np.float32)
    w = rng.normal(size=s.size).astype(np.float32) if weighted else None
    want = ThresholdBatch(thresholds)(y, np.clip(s, 0, 1), w)
    got = _batch_counts._threshold_histogram_ops(y, s, w, thresholds, 1, "float64", clamp=clamp)
    by_core = _batch_counts.clamped(np, ThresholdBatch(thresholds)(y, s, w), clamp)
    np.testing.assert_allclose(by_core, want, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(np.asarray(got).reshape(want.shape), want, rtol=1e-5, atol=1e-4)
    if not weighted:
        np.testing.assert_array_equal(np.asarray(got).reshape(want.shape), want)


@pytest.mark.parametrize("columns", [None, ("sum_pred", "sum_weight"), ("sum_squared_error", "sum_weight")])
@pytest.mark.parametrize("weighted", [False, True])
def test_moment_sums_ops_equals_the_core(rng, columns, weighted):
    x, y = rng.normal(size=(500, 3)), rng.normal(size=(500, 3))
    w = rng.random(500) if weighted else None
    dtype = state_dtype()  # float32 on JAX without x64
    got = np.asarray(_batch_counts._moment_sums_ops(y, x, w, 3, dtype, columns))
    tolerance = {"rtol": 1e-12, "atol": 1e-9} if dtype == "float64" else {"rtol": 1e-5, "atol": 1e-3}
    want = MomentBatch(3)(y, x, w).reshape(got.shape)
    for name, column in STAT.items():
        expected = want[:, column] if columns is None or name in columns else np.zeros(3)
        np.testing.assert_allclose(got[:, column], expected, err_msg=name, **tolerance)


@pytest.mark.parametrize("weighted", [False, True])
def test_sliced_histogram_and_sums_ops_equal_the_core(rng, weighted):
    thresholds = np.unique(np.linspace(0, 1, 21).astype(np.float32).astype(np.float64))
    s, y = rng.random((300, 2), dtype=np.float32), rng.integers(0, 2, (300, 2)).astype(np.float32)
    ids = rng.integers(0, 3, 300)
    w = rng.normal(size=(300, 2)).astype(np.float32) if weighted else None
    got = _batch_counts._threshold_histogram_ops(y, s, w, thresholds, 2, "float64", ids, 3)
    want = ThresholdBatch(thresholds, 2, 3)(y, s, w, ids)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5, atol=1e-4)
    x, t = rng.normal(size=(300, 2)), rng.normal(size=(300, 2))
    dtype = state_dtype()
    # torch's keras.ops sum float64 inputs in float32 (floatx); torch never takes this path in a metric (it is
    # eager, so every batch goes to the core), but the ops must still agree to float32's precision
    exact = dtype == "float64" and keras.backend.backend() != "torch"
    tolerance = {"rtol": 1e-12, "atol": 1e-9} if exact else {"rtol": 1e-5, "atol": 1e-3}
    rows_weight = None if w is None else np.abs(w[:, 0]).astype(np.float64)
    got = _batch_counts._moment_sums_ops(t, x, rows_weight, 2, dtype, None, ids, 3)
    np.testing.assert_allclose(np.asarray(got), MomentBatch(2, 3)(t, x, rows_weight, ids), **tolerance)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore", [(), (2,)])
def test_confusion_counts_ops_equals_the_core(rng, weighted, ignore):
    t = rng.integers(-1, 6, 1000)  # labels outside [0, 5) are skipped, as Keras's IoU metrics skip them
    scores = rng.random((1000, 5), dtype=np.float32)
    w = rng.normal(size=1000).astype(np.float32) if weighted else None
    ids = rng.integers(0, 2, 1000)
    got = _batch_counts._confusion_counts_ops(t, np.argmax(scores, axis=-1), w, 5, "float64", ignore, ids, 2)
    want = ConfusionBatch(5, 2, ignore)(t, scores, w, ids, pred_scores=True)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5, atol=1e-4)
    if not weighted:
        np.testing.assert_array_equal(np.asarray(got), want)


def test_the_checks_in_a_graph_say_what_the_core_says():
    """A NaN refused by the core and by the in-graph check: both messages name the argument the same way."""
    batch = MomentBatch(1, values_name="values")
    with pytest.raises(ValueError) as core_error:
        batch(None, np.array([1.0, np.nan]))
    assert str(core_error.value) == "values[1] = nan: values must be finite (no NaN or infinity)"
    assert batch.must_be_finite["y_pred"] == "values: values must be finite (no NaN or infinity)"
    with pytest.raises(ValueError, match=r"y_score\[0\] = inf: values must be finite"):
        ThresholdBatch(np.array([0.5]))(np.array([1.0]), np.array([np.inf]))
    assert ThresholdBatch.must_be_finite["y_score"] == "y_score: values must be finite (no NaN or infinity)"
    with pytest.raises(ValueError, match=r"sample_weight\[0\] = nan: weights must be finite"):
        ConfusionBatch(2)(np.array([0]), np.array([1]), np.array([np.nan]))
    assert ConfusionBatch.must_be_finite["sample_weight"] == "sample_weight: weights must be finite (no NaN or infinity)"


def traced(fn, *args):
    """``fn(*args)`` inside a trace: a tf.function with an unknown batch size, or jax.jit."""
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        specs = [tf.TensorSpec([None, *np.shape(a)[1:]], tf.as_dtype(a.dtype)) for a in args]
        return np.asarray(tf.function(fn, input_signature=specs)(*args))
    if keras.backend.backend() == "jax":
        import jax

        return np.asarray(jax.jit(fn)(*args))
    pytest.skip("torch metrics count on the host: no trace to test")


@pytest.mark.parametrize("thresholds", [np.array([0.5]), np.array([0.2, 0.5, 0.9]), np.array([0.1, 0.2, 0.3, 0.4])])
@pytest.mark.parametrize("labels", [1, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_few_threshold_counts_in_a_trace_equal_the_core(rng, thresholds, labels, weighted):
    thresholds = thresholds.astype(np.float32).astype(np.float64)
    s = adversarial_scores(rng, thresholds, n=3000)
    s = s[: s.size // labels * labels].reshape(-1, labels)
    y = rng.integers(0, 2, s.shape).astype(np.float32)
    w = rng.normal(size=s.shape).astype(np.float32)
    dtype = state_dtype()

    def counts(y, s, *w):
        return _batch_counts.few_threshold_counts(y, s, w[0] if w else None, thresholds, labels, dtype,
                                                  counts=None)

    got = traced(counts, y, s, *([w] if weighted else []))
    h = ThresholdBatch(thresholds, labels)(y, s, w if weighted else None).reshape(labels, thresholds.size + 1, 2)
    # (negatives, positives) scoring above each threshold, and in all: (labels, T, 2)
    above = np.stack([h[:, j + 1:].sum(axis=1) for j in range(thresholds.size)], axis=1)
    total = h.sum(axis=1)[:, None]
    want = np.stack([above[..., 1], above[..., 0], total[..., 0] - above[..., 0], total[..., 1] - above[..., 1]])
    if weighted:
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-3)
    else:
        np.testing.assert_array_equal(got, want)
