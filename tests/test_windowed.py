"""accumetrics.Windowed: any accumulator over the last N batches equals the accumulator fed those batches."""

import pickle

import numpy as np
import pytest

import accumetrics as am


def make(kind):
    return {"confusion": lambda: am.ConfusionMatrix(4), "thresholds": lambda: am.ThresholdCounts(np.linspace(0, 1, 21)),
            "moments": lambda: am.Moments(), "auc": lambda: am.BinnedAUC()}[kind]()


def batch(kind, rng, n, weighted):
    w = rng.random(n) if weighted else None
    if kind == "confusion":
        return (rng.integers(0, 4, n), rng.integers(0, 4, n)), w
    if kind == "moments":
        return (rng.normal(size=n), rng.normal(size=n)), w
    return (rng.integers(0, 2, n), rng.random(n)), w


def read(acc):
    result = acc.result()
    if isinstance(result, dict):
        return np.concatenate([np.ravel(np.asarray(result[k], dtype=np.float64)) for k in sorted(result)])
    return np.asarray(result)


@pytest.mark.parametrize("kind", ["confusion", "thresholds", "moments", "auc"])
@pytest.mark.parametrize("weighted", [False, True])
def test_window_equals_the_accumulator_of_its_batches(rng, kind, weighted):
    window = am.Windowed(make(kind), batches=3)
    seen = []
    for n in (5, 40, 1, 17, 33, 8):
        args, w = batch(kind, rng, n, weighted)
        window.update(*args, sample_weight=w)
        seen.append((args, w))
        fresh = make(kind)
        for a, ww in seen[-3:]:
            fresh.update(*a, sample_weight=ww)
        np.testing.assert_allclose(read(window.accumulator), read(fresh), rtol=1e-12, atol=1e-15)
        assert len(window) == min(len(seen), 3)
    restored = pickle.loads(pickle.dumps(window))
    np.testing.assert_allclose(read(restored.accumulator), read(window.accumulator), rtol=0)


def test_results_are_read_through_the_window(rng):
    window = am.Windowed(am.ConfusionMatrix(3), batches=2)
    for _ in range(4):
        window.update(rng.integers(0, 3, 50), rng.integers(0, 3, 50))
    np.testing.assert_array_equal(window.counts, window.accumulator.counts)
    window.reset()
    assert len(window) == 0 and window.counts.sum() == 0


def test_a_refused_batch_leaves_the_window_unchanged(rng):
    window = am.Windowed(am.ConfusionMatrix(3), batches=2)
    window.update([0, 1, 2], [0, 1, 1])
    before = window.counts.copy()
    with pytest.raises(ValueError, match="y_true"):
        window.update([0, 7], [0, 1])
    np.testing.assert_array_equal(window.counts, before)
    assert len(window) == 1


@pytest.mark.parametrize("args, error, message", [
    ((object(), 3), TypeError, "accumetrics accumulator"),
    ((am.Moments(), 0), ValueError, "batches must be positive"),
    ((am.Moments(), 2.5), TypeError, "batches must be an integer"),
])
def test_bad_arguments(args, error, message):
    with pytest.raises(error, match=message):
        am.Windowed(*args)
