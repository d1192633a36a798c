"""Poisson bootstrap: the counts, coverage of a known value, reproducibility across batches, threads and merges."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accumetrics import (
    Bootstrap,
    ConfusionMatrix,
    Moments,
    ThresholdCounts,
    accuracy_score,
    confidence_interval,
    f1_score,
    mean_squared_error,
)
from accumetrics.bootstrap import poisson_counts
from property_depth import examples
from references import confusion_reference


def accuracy(cm):
    c = cm.result()
    return np.trace(c) / c.sum()


def test_poisson_counts_are_poisson_one():
    k = np.concatenate([poisson_counts(100_000, b, seed=5) for b in range(4)])
    assert abs(k.mean() - 1) < 0.01 and abs(k.var() - 1) < 0.02
    expected = np.exp(-1) / np.array([1, 1, 2, 6, 24])
    np.testing.assert_allclose(np.bincount(k, minlength=5)[:5] / k.size, expected, atol=3e-3)
    # replicates and seeds are not correlated
    a, b = poisson_counts(100_000, 0, seed=5), poisson_counts(100_000, 1, seed=5)
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.02
    assert abs(np.corrcoef(a, poisson_counts(100_000, 0, seed=6))[0, 1]) < 0.02


def test_poisson_counts_depend_on_position_only():
    whole = poisson_counts(1000, 3, seed=1)
    np.testing.assert_array_equal(whole[400:], poisson_counts(600, 3, seed=1, offset=400))


def test_replicates_are_resamples(rng):
    """Replicate b counts each row k_b times, with k_b the core's Poisson counts."""
    n, classes = 3000, 4
    t, p = rng.integers(0, classes, n), rng.integers(0, classes, n)
    w = rng.choice([0.5, 1.0, 2.0], n)
    boot = Bootstrap(ConfusionMatrix(classes), n_replicates=7, seed=11).update(t, p)
    weighted = Bootstrap(ConfusionMatrix(classes), n_replicates=7, seed=11).update(t, p, sample_weight=w)
    for b, (r, rw) in enumerate(zip(boot.replicates(), weighted.replicates())):
        k = poisson_counts(n, b, seed=11)
        np.testing.assert_array_equal(r.counts, confusion_reference(np.repeat(t, k), np.repeat(p, k), num_classes=classes)[0])
        assert r.result().dtype == np.int64
        np.testing.assert_array_equal(rw.result(), confusion_reference(t, p, w * k, num_classes=classes)[0])
    np.testing.assert_array_equal(boot.accumulator.counts, confusion_reference(t, p, num_classes=classes)[0])


def test_thresholds_and_moments_replicates(rng):
    n = 2000
    y = rng.integers(0, 2, (n, 3))
    s = rng.random((n, 3))
    boot = Bootstrap(ThresholdCounts([0.2, 0.5, 0.9], num_labels=3), n_replicates=5, seed=2).update(y, s)
    x, target = rng.normal(size=(n, 2)), rng.normal(size=(n, 2))
    w = rng.random((n, 2))
    mboot = Bootstrap(Moments(), n_replicates=5, seed=2).update(target, x, sample_weight=w)
    for b in range(5):
        k = poisson_counts(n, b, seed=2)
        ref = ThresholdCounts([0.2, 0.5, 0.9], num_labels=3).update(np.repeat(y, k, 0), np.repeat(s, k, 0))
        np.testing.assert_array_equal(boot.replicates()[b].tp, ref.tp)
        mref = Moments(2).update(np.repeat(target, k, 0), np.repeat(x, k, 0), sample_weight=np.repeat(w, k, 0))
        np.testing.assert_allclose(mboot.replicates()[b].mean_squared_error, mref.mean_squared_error, rtol=1e-12)
        assert mboot.replicates()[b].count == k.sum()


def test_slices_stay_apart(rng):
    n = 1500
    t, p, ids = rng.integers(0, 3, n), rng.integers(0, 3, n), rng.integers(0, 4, n)
    boot = Bootstrap(ConfusionMatrix(3, num_slices=4), n_replicates=3, seed=9).update(t, p, slice_ids=ids)
    for b, r in enumerate(boot.replicates()):
        k = poisson_counts(n, b, seed=9)
        ref = confusion_reference(np.repeat(t, k), np.repeat(p, k), num_classes=3, slice_ids=np.repeat(ids, k), num_slices=4)
        np.testing.assert_array_equal(r.counts, ref)


def test_out_of_range_rows_are_skipped_in_every_replicate(rng):
    t, p = np.array([0, 1, 5, 1]), np.array([0, 1, 1, 1])
    boot = Bootstrap(ConfusionMatrix(2, ignore_out_of_range=True), n_replicates=20, seed=0).update(t, p)
    for b, r in enumerate(boot.replicates()):
        k = poisson_counts(4, b)
        assert r.counts.sum() == k.sum() - k[2]


def test_coverage_of_a_known_accuracy():
    """95% intervals of accuracy cover the true p in about 95% of 200 experiments."""
    p_true, n, hits = 0.8, 400, 0
    rng = np.random.default_rng(1234)
    for experiment in range(200):
        correct = rng.random(n) < p_true
        y = rng.integers(0, 2, n)
        boot = Bootstrap(ConfusionMatrix(2), accuracy, n_replicates=200, seed=experiment)
        _, low, high = boot.update(y, np.where(correct, y, 1 - y)).result(0.95)
        hits += low <= p_true <= high
    assert 0.90 <= hits / 200 <= 0.99


def test_coverage_of_a_known_mean():
    """Intervals of a mean squared error whose expectation is 1 (standard normal errors)."""
    rng = np.random.default_rng(99)
    hits = 0
    for experiment in range(150):
        y = rng.normal(size=300)
        boot = Bootstrap(Moments(), lambda m: m.mean_squared_error, n_replicates=200, seed=experiment)
        _, low, high = boot.update(y, y + rng.normal(size=300)).result(0.9)
        hits += low <= 1.0 <= high
    assert 0.83 <= hits / 150 <= 0.96


@settings(max_examples=examples(25), deadline=None)
@given(st.lists(st.integers(0, 500), min_size=1, max_size=6), st.integers(0, 2**64 - 1))
def test_batches_do_not_change_the_replicates(cuts, seed):
    rng = np.random.default_rng(len(cuts))
    n = 500
    t, p = rng.integers(0, 3, n), rng.integers(0, 3, n)
    w = rng.choice([0.25, 1.0, 3.0], n)  # dyadic: float sums are exact, in any order
    whole = Bootstrap(ConfusionMatrix(3), n_replicates=9, seed=seed).update(t, p, sample_weight=w)
    parts = Bootstrap(ConfusionMatrix(3), n_replicates=9, seed=seed)
    for a, b in zip([0, *sorted(cuts)], [*sorted(cuts), n]):
        parts.update(t[a:b], p[a:b], sample_weight=w[a:b])
    for r1, r2 in zip(whole.replicates(), parts.replicates()):
        np.testing.assert_array_equal(r1.result(), r2.result())


def test_threads_do_not_change_the_replicates(rng, num_threads):
    n = 300_000  # enough rows for several threads
    t = rng.integers(0, 2, n)
    s = rng.integers(0, 64, n) / 64  # dyadic scores: exact moments in any order
    results = []
    for threads in (1, 2, 3):
        num_threads(threads)
        cm = Bootstrap(ConfusionMatrix(2), accuracy, n_replicates=4, seed=3).update(t, (s > 0.5).astype(int))
        tc = Bootstrap(ThresholdCounts(5), n_replicates=4, seed=3).update(t, s)
        mo = Bootstrap(Moments(), lambda m: m.mean_squared_error, n_replicates=4, seed=3).update(t.astype(float), s)
        results.append((cm.replicate_values(), [r.result()["tp"] for r in tc.replicates()], mo.replicate_values()))
    for other in results[1:]:
        np.testing.assert_array_equal(results[0][0], other[0])
        np.testing.assert_array_equal(results[0][1], other[1])
        np.testing.assert_array_equal(results[0][2], other[2])


def test_merge_of_pieces_fed_from_their_offsets_equals_one_pass(rng):
    n = 2000
    t, p = rng.integers(0, 2, n), rng.integers(0, 2, n)
    whole = Bootstrap(ConfusionMatrix(2), accuracy, n_replicates=20, seed=4).update(t, p)
    first = Bootstrap(ConfusionMatrix(2), accuracy, n_replicates=20, seed=4).update(t[:700], p[:700])
    second = Bootstrap(ConfusionMatrix(2), accuracy, n_replicates=20, seed=4, offset=700).update(t[700:], p[700:])
    merged = first + second
    np.testing.assert_array_equal(merged.replicate_values(), whole.replicate_values())
    assert merged.result() == whole.result()
    assert merged.position == n
    # same seed, same offset: the pieces would share counts, so the merge is refused and changes nothing
    clash = Bootstrap(ConfusionMatrix(2), accuracy, n_replicates=20, seed=4).update(t[700:], p[700:])
    before = first.replicate_values()
    with pytest.raises(ValueError, match="same stream positions"):
        first.merge(clash)
    np.testing.assert_array_equal(first.replicate_values(), before)
    assert first.position == 700 and first.accumulator.counts.sum() == 700
    # merged in any order, disjoint pieces are accepted; the same piece twice is not
    third = Bootstrap(ConfusionMatrix(2), accuracy, n_replicates=20, seed=4, offset=1400).update(t[:10], p[:10])
    assert (third + first).position == 1410
    with pytest.raises(ValueError, match="same stream positions"):
        (first + third).merge(first)


def test_merge_refuses_other_seeds(rng):
    t, p = rng.integers(0, 2, 50), rng.integers(0, 2, 50)
    a = Bootstrap(ConfusionMatrix(2), n_replicates=5, seed=1).update(t, p)
    b = Bootstrap(ConfusionMatrix(2), n_replicates=5, seed=2, offset=50).update(t, p)
    with pytest.raises(ValueError, match="seed"):
        a.merge(b)
    assert a.accumulator.counts.sum() == 50 and a.position == 50


def test_merge_of_a_pickled_piece_keeps_its_coverage(rng):
    t, p = rng.integers(0, 2, 50), rng.integers(0, 2, 50)
    a = Bootstrap(ConfusionMatrix(2), n_replicates=5, seed=1).update(t, p)
    b = pickle.loads(pickle.dumps(Bootstrap(ConfusionMatrix(2), n_replicates=5, seed=1, offset=50).update(t, p),
                                  protocol=0))
    assert (a + b).position == 100
    with pytest.raises(ValueError, match="same stream positions"):
        b.merge(pickle.loads(pickle.dumps(b, protocol=1)))


def test_pickle_copy_reset(rng):
    t, p = rng.integers(0, 2, 100), rng.integers(0, 2, 100)
    boot = Bootstrap(ConfusionMatrix(2), accuracy, n_replicates=10, seed=1, offset=5).update(t, p)
    again = pickle.loads(pickle.dumps(boot))
    assert again.result() == boot.result() and again.position == 105 and again.offset == 5
    copy = boot.copy().update(t, p)
    assert boot.position == 105 and copy.position == 205
    boot.reset()
    assert boot.position == 5 and boot.accumulator.counts.sum() == 0
    assert all(r.counts.sum() == 0 for r in boot.replicates())
    assert boot.update(t, p).result() == again.result()


def test_moments_learns_its_outputs_on_first_update(rng):
    boot = Bootstrap(Moments, lambda m: m.mean_absolute_error, n_replicates=5)
    boot.update(np.zeros((0,)), np.zeros((0,)))
    boot.update(rng.random((10, 3)), rng.random((10, 3)))
    assert boot.replicate_values().shape == (5, 3)
    value, low, high = boot.result()
    assert value.shape == (3,) and (low <= high).all()


def test_confidence_interval_agrees_with_the_accumulator(rng):
    n = 1000
    t, p = rng.integers(0, 2, n), rng.integers(0, 2, n)
    boot = Bootstrap(ConfusionMatrix(2), accuracy, n_replicates=50, seed=8).update(t, p)
    ci = confidence_interval(accuracy_score, t, p, n_replicates=50, seed=8)
    assert ci == boot.result()


def test_confidence_interval_any_metric(rng):
    n = 800
    y = rng.integers(0, 3, n)
    pred = np.where(rng.random(n) < 0.7, y, rng.integers(0, 3, n))
    value, low, high = confidence_interval(f1_score, y, pred, average="macro", n_replicates=40, seed=2)
    assert value == f1_score(y, pred, average="macro")
    assert low < value < high
    w = rng.random(n)
    value, low, high = confidence_interval(mean_squared_error, y.astype(float), pred.astype(float), sample_weight=w,
                                           n_replicates=40)
    assert value == mean_squared_error(y, pred, sample_weight=w) and low < value < high


def test_bad_arguments():
    with pytest.raises(TypeError, match="ConfusionMatrix, ThresholdCounts or Moments"):
        Bootstrap(object())
    with pytest.raises(ValueError, match="n_replicates must be positive"):
        Bootstrap(ConfusionMatrix(2), n_replicates=0)
    with pytest.raises(ValueError, match="seed"):
        Bootstrap(ConfusionMatrix(2), seed=-1)
    with pytest.raises(ValueError, match="offset"):
        Bootstrap(ConfusionMatrix(2), offset=-3)
    with pytest.raises(ValueError, match="ci must be"):
        Bootstrap(ConfusionMatrix(2), accuracy).result(ci=95)
    with pytest.raises(ValueError, match=r"y_true\[1\] = 7 is not a class"):
        Bootstrap(ConfusionMatrix(2)).update([0, 7], [0, 1])
    with pytest.raises(ValueError, match="different lengths"):
        Bootstrap(ConfusionMatrix(2)).update([0, 1], [0])
    with pytest.raises(ValueError, match="cannot merge a Bootstrap of 3 replicates"):
        Bootstrap(ConfusionMatrix(2), n_replicates=2).merge(Bootstrap(ConfusionMatrix(2), n_replicates=3))
    with pytest.raises(ValueError, match="cannot merge"):
        Bootstrap(ConfusionMatrix(2)).merge(Bootstrap(ConfusionMatrix(3)))
    with pytest.raises(ValueError, match="ci must be"):
        confidence_interval(accuracy_score, [0, 1], [0, 1], ci=0)


def _bad_updates():
    """(engine, its bootstrap's kind, an update's arguments that the engine refuses)."""
    from accumetrics import _core

    nan, i64 = np.nan, np.int64
    cm, tc, mo = _core.ConfusionMatrix(3, 2), _core.ThresholdCounts(np.array([0.5]), 2, 1), _core.Moments(2, 1)
    return [
        (cm, _core.ConfusionMatrixBootstrap, (np.array([0, 3], i64), np.array([0, 1], i64), None, None, False)),
        (cm, _core.ConfusionMatrixBootstrap, (np.array([0, 1], i64), np.array([0, -1], i64), np.ones(2), None, False)),
        (cm, _core.ConfusionMatrixBootstrap, (np.array([0, 1], i64), np.array([0, 1], i64), None, np.array([0, 2], i64),
                                               False)),
        (cm, _core.ConfusionMatrixBootstrap, (np.array([0, 1], i64), np.array([0, 1], i64), np.array([1.0, nan]), None,
                                               False)),
        (cm, _core.ConfusionMatrixBootstrap, (np.array([0, 1], i64), np.array([0], i64), None, None, False)),
        (tc, _core.ThresholdCountsBootstrap, (np.array([0, 2], i64), np.array([0.1, 0.7]), None, None, False)),
        (tc, _core.ThresholdCountsBootstrap, (np.array([0, 1], i64), np.array([0.1, nan]), None, None, False)),
        (tc, _core.ThresholdCountsBootstrap, (np.array([0, 1], i64), np.array([0.1, 0.2]), np.ones(3), None, False)),
        (tc, _core.ThresholdCountsBootstrap, (np.array([0, 1], i64), np.array([0.1, 0.2]), np.array([nan]), None, False)),
        (mo, _core.MomentsBootstrap, (np.array([1.0, np.inf]), np.array([1.0, 2.0]), None, None)),
        (mo, _core.MomentsBootstrap, (np.array([1.0, 2.0]), np.array([nan, 2.0]), None, None)),
        (mo, _core.MomentsBootstrap, (np.array([1.0, 2.0, 3.0]), None, None, None)),
        (mo, _core.MomentsBootstrap, (np.array([1.0, 2.0]), None, np.array([-np.inf]), None)),
    ]


@pytest.mark.parametrize("case", range(len(_bad_updates())))
def test_a_bootstrap_refuses_what_its_engine_refuses_in_the_same_words(case):
    engine, kind, args = _bad_updates()[case]
    boot = kind(engine, 3, 0)
    with pytest.raises(ValueError) as refused_by_engine:
        engine.update(*args)
    with pytest.raises(ValueError) as refused_by_bootstrap:
        boot.update(*args)
    assert str(refused_by_bootstrap.value) == str(refused_by_engine.value)
    assert boot.position == 0 and not boot.engine().counts().any()
