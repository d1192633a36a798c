"""ThresholdCounts against an explicit loop over thresholds (strict `score > t`)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import confusion_matrix

from accumetrics import ThresholdCounts

from property_depth import examples
from references import assert_close, random_splits, threshold_reference


def keras_thresholds(count):
    """The grid keras.metrics.AUC builds: epsilon below 0 and above 1 at the ends."""
    inner = [(i + 1) / (count - 1) for i in range(count - 2)]
    return [-1e-7, *inner, 1.0 + 1e-7]


def jittered_grid(rng, count):
    """Even-looking thresholds, each moved by up to 0.24 of a step (still sorted)."""
    step = 1.0 / (count - 1)
    return np.linspace(0.0, 1.0, count) + rng.uniform(-0.24, 0.24, count) * step


def adversarial_scores(rng, thresholds, n):
    """Random scores in and around [0, 1] plus every threshold, its neighbours, and ties."""
    t = np.asarray(thresholds, np.float64)
    on = np.concatenate([t, np.nextafter(t, -np.inf), np.nextafter(t, np.inf)])
    far = np.array([-1e300, -5.0, -0.0, 0.0, 1.0, 2.0, 1e300, np.finfo(np.float64).max, -np.finfo(np.float64).max])
    s = np.concatenate([rng.uniform(-0.2, 1.2, n), on, far, np.full(50, 0.5)])
    return rng.permutation(s)


def check(tc, y, s, thresholds, w=None):
    expected = threshold_reference(y, s, thresholds, w)
    result = tc.result()
    for name in ("tp", "fp", "tn", "fn"):
        if w is None:
            assert result[name].dtype == np.int64
            np.testing.assert_array_equal(result[name], expected[name], err_msg=name)
        else:
            assert_close(result[name], expected[name], atol=1e-9)
        np.testing.assert_array_equal(getattr(tc, name), result[name])


GRIDS = {
    "int 200": (200, np.linspace(0, 1, 200)),
    "int 2": (2, np.linspace(0, 1, 2)),
    "int 3": (3, np.linspace(0, 1, 3)),
    "keras 200": (keras_thresholds(200), keras_thresholds(200)),
    "keras 3": (keras_thresholds(3), keras_thresholds(3)),
    "one": ([0.5], [0.5]),
    "two uneven": ([0.1, 0.7], [0.1, 0.7]),
    "uneven sorted": (sorted([0.0, 1e-9, 0.01, 0.02, 0.3, 0.31, 0.5, 0.9999, 1.0]),) * 2,
    "unsorted": ([0.9, 0.1, 0.5, -3.0, 0.3, 7.0, 0.0], [0.9, 0.1, 0.5, -3.0, 0.3, 7.0, 0.0]),
    "negative even": (list(np.linspace(-4, 4, 33)),) * 2,
}


@pytest.mark.parametrize("grid", list(GRIDS), ids=list(GRIDS))
@pytest.mark.parametrize("weighted", [False, True])
def test_matches_explicit_loop(rng, grid, weighted):
    arg, thresholds = GRIDS[grid]
    s = adversarial_scores(rng, thresholds, 3000)
    y = rng.integers(0, 2, s.size)
    w = rng.exponential(size=s.size) if weighted else None
    tc = ThresholdCounts(arg).update(y, s, sample_weight=w)
    np.testing.assert_array_equal(tc.thresholds, np.asarray(thresholds, np.float64))
    check(tc, y, s, thresholds, w)


@pytest.mark.parametrize("count", [3, 10, 200, 1000])
def test_jittered_grid(rng, count):
    thresholds = jittered_grid(rng, count)
    s = adversarial_scores(rng, thresholds, 2000)
    y = rng.integers(0, 2, s.size)
    check(ThresholdCounts(thresholds).update(y, s), y, s, thresholds)


@pytest.mark.parametrize("thresholds", [
    128.0 + np.linspace(0.0, 1e-12, 3),  # steps of ~18 ulps: grid points round onto off-grid thresholds
    np.array([0.0, 1e-310, 2e-310]),  # subnormal step: 1 / step overflows
    np.array([1e15, 1e15 + 0.25, 1e15 + 0.5, 1e15 + 0.875]),
], ids=["few ulps", "subnormal", "large origin"])
def test_grids_at_the_limit_of_float64(rng, thresholds):
    s = adversarial_scores(rng, thresholds, 100)
    s = np.concatenate([s, thresholds[0] + (thresholds[-1] - thresholds[0]) * rng.random(200)])
    y = rng.integers(0, 2, s.size)
    check(ThresholdCounts(thresholds).update(y, s), y, s, thresholds)


@settings(max_examples=examples(80), deadline=None)
@given(count=st.integers(1, 300), origin=st.floats(-1e3, 1e3), span=st.floats(1e-12, 1e6),
       jitter=st.sampled_from([0.0, 1e-9, 1e-4, 9e-4, 1.1e-3, 0.2]), seed=st.integers(0, 2**32 - 1))
def test_any_grid_matches_explicit_loop(count, origin, span, jitter, seed):
    """Grids on, near and off an even spacing: the arithmetic and the search buckets agree with `>`."""
    rng = np.random.default_rng(seed)
    step = span / max(count - 1, 1)
    thresholds = np.unique(origin + np.linspace(0, span, count) + rng.uniform(-jitter, jitter, count) * step)
    s = np.concatenate([adversarial_scores(rng, thresholds, 100),
                        rng.uniform(thresholds[0] - span / 10, thresholds[-1] + span / 10, 100)])
    y = rng.integers(0, 2, s.size)
    with np.errstate(over="ignore"):
        single = s.astype(np.float32)
    for scores, labels in ((s, y), (single[np.isfinite(single)], y[np.isfinite(single)])):
        check(ThresholdCounts(thresholds).update(labels, scores), labels, scores, thresholds)


def bucketing_cases(rng):
    """Threshold sets for each way the core buckets scores (see bucketing.hpp)."""
    spread = np.sort(rng.random(400))
    neighbours = np.nextafter(spread[::40], np.inf)  # ten cells of the table hold two thresholds
    clustered = np.concatenate([np.linspace(0.0, 1e-6, 100), [0.5, 1.0]])
    return {
        "linear": [0.1, 0.35, 0.5, 0.9],
        "even": np.linspace(-1.0, 1.0, 41),
        "lookup": np.sort(rng.random(198)),
        "lookup, crowded cells": np.unique(np.concatenate([spread, neighbours])),
        "search, clustered": clustered,
        "search, span overflows": [-1e308, -1.0, 0.0, 1.0, 1e308],
    }


@pytest.mark.parametrize("case", ["linear", "even", "lookup", "lookup, crowded cells", "search, clustered",
                                  "search, span overflows"])
@pytest.mark.parametrize("weighted", [False, True])
def test_each_bucketing_matches_explicit_loop(rng, case, weighted):
    thresholds = np.asarray(bucketing_cases(rng)[case], np.float64)
    tc = ThresholdCounts(thresholds)
    assert tc._state.bucketing == case.split(",")[0]
    s = adversarial_scores(rng, thresholds, 5000)
    low, high = np.clip(thresholds[[0, -1]], -10.0, 10.0)
    s = np.concatenate([s, rng.uniform(low, high, 5000)])
    y = rng.integers(0, 2, s.size)
    w = rng.exponential(size=s.size) if weighted else None
    check(tc.update(y, s, sample_weight=w), y, s, thresholds, w)
    with np.errstate(over="ignore"):
        single = s.astype(np.float32)
    finite = np.isfinite(single)
    y32, w32 = y[finite], None if w is None else w[finite]
    check(ThresholdCounts(thresholds).update(y32, single[finite], sample_weight=w32), y32, single[finite],
          thresholds, w32)


@pytest.mark.parametrize("thresholds", [[0.5], [0.2, 0.6], [0.1, 0.5, 0.9]])
def test_rejected_update_on_a_small_table_changes_nothing(rng, thresholds):
    """A few thresholds are counted by comparison, not a scatter; a bad score still undoes the update."""
    y = rng.integers(0, 2, 3000)
    s = rng.random(3000)
    tc = ThresholdCounts(thresholds).update(y, s)
    before = tc.result()
    bad = s.copy()
    bad[2500] = np.nan
    with pytest.raises(ValueError, match=r"y_score\[2500\] = nan"):
        tc.update(y, bad)
    for name, value in tc.result().items():
        np.testing.assert_array_equal(value, before[name], err_msg=name)
    check(tc, y, s, thresholds)


def test_scores_on_thresholds_are_negative():
    tc = ThresholdCounts([0.0, 0.5, 1.0]).update([1, 1, 1, 0], [0.0, 0.5, 1.0, 0.5])
    np.testing.assert_array_equal(tc.tp, [2, 1, 0])
    np.testing.assert_array_equal(tc.fn, [1, 2, 3])
    np.testing.assert_array_equal(tc.fp, [1, 0, 0])
    np.testing.assert_array_equal(tc.tn, [0, 1, 1])


def test_float32_scores_compare_in_float64(rng):
    s = np.array([0.1, 0.3, 0.7], np.float32)  # as float64: just above 0.1, above 0.3, below 0.7
    thresholds = [0.1, 0.3, 0.7]
    tc = ThresholdCounts(thresholds).update([1, 1, 1], s)
    np.testing.assert_array_equal(tc.tp, threshold_reference([1, 1, 1], s, thresholds)["tp"])
    np.testing.assert_array_equal(tc.tp, [3, 2, 0])


def test_each_threshold_matches_sklearn(rng):
    s = np.round(rng.random(2000), 2)  # many ties and scores on the grid
    y = rng.integers(0, 2, 2000)
    w = rng.random(2000)
    tc = ThresholdCounts(101).update(y, s, sample_weight=w)
    for k, t in enumerate(np.linspace(0, 1, 101)):
        (tn, fp), (fn, tp) = confusion_matrix(y, s > t, labels=[0, 1], sample_weight=w)
        assert_close([tc.tn[k], tc.fp[k], tc.fn[k], tc.tp[k]], [tn, fp, fn, tp], atol=1e-10)


@pytest.mark.parametrize("label", [0, 1])
def test_all_one_class(rng, label):
    s = rng.random(500)
    tc = ThresholdCounts(11).update(np.full(500, label), s)
    other = ("fp", "tn") if label == 1 else ("tp", "fn")
    for name in other:
        assert not getattr(tc, name).any()
    check(tc, np.full(500, label), s, np.linspace(0, 1, 11))


def test_one_sample():
    tc = ThresholdCounts(5).update([1], [0.5], sample_weight=[2.0])
    np.testing.assert_array_equal(tc.tp, [2.0, 2.0, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(tc.fn, [0.0, 0.0, 2.0, 2.0, 2.0])
    np.testing.assert_array_equal(tc.fp + tc.tn, np.zeros(5))


def test_totals_are_constant_across_thresholds(rng):
    y, s = rng.integers(0, 2, 1000), rng.random(1000)
    tc = ThresholdCounts(50).update(y, s)
    np.testing.assert_array_equal(tc.tp + tc.fn, np.full(50, y.sum()))
    np.testing.assert_array_equal(tc.fp + tc.tn, np.full(50, 1000 - y.sum()))


@pytest.mark.parametrize("weights", ["none", "row", "value"])
def test_multilabel_matches_per_label_reference(rng, weights):
    n, labels = 3000, 5
    thresholds = keras_thresholds(20)
    y = rng.integers(0, 2, (n, labels))
    y[:, 2] = 1  # one label with positives only
    s = rng.random((n, labels))
    s[:100] = 0.5  # ties
    w = {"none": None, "row": rng.random(n), "value": rng.random((n, labels))}[weights]
    tc = ThresholdCounts(thresholds, num_labels=labels).update(y, s, sample_weight=w)
    result = tc.result()
    for label in range(labels):
        lw = None if w is None else (w if w.ndim == 1 else w[:, label])
        expected = threshold_reference(y[:, label], s[:, label], thresholds, lw)
        for name in expected:
            assert result[name].shape == (labels, 20)
            assert_close(result[name][label], expected[name], atol=1e-10)


def test_multilabel_with_one_label_column(rng):
    y, s = rng.integers(0, 2, (200, 1)), rng.random((200, 1))
    tc = ThresholdCounts(7, num_labels=1).update(y, s)
    assert tc.tp.shape == (1, 7)
    np.testing.assert_array_equal(tc.tp[0], threshold_reference(y, s, np.linspace(0, 1, 7))["tp"])


@pytest.mark.parametrize("labels", [None, 3])
def test_slices_match_per_slice_reference(rng, labels):
    n, slices = 2000, 4
    shape = (n,) if labels is None else (n, labels)
    y, s = rng.integers(0, 2, shape), rng.random(shape)
    ids = rng.integers(0, slices, n)
    w = rng.random(n)
    tc = ThresholdCounts(9, num_labels=labels, num_slices=slices).update(y, s, sample_weight=w, slice_ids=ids)
    tp = tc.tp
    assert tp.shape == (slices, 9) if labels is None else (slices, labels, 9)
    for k in range(slices):
        m = ids == k
        for label in range(labels or 1):
            col = (lambda a: a[m]) if labels is None else (lambda a: a[m, label])
            expected = threshold_reference(col(y), col(s), np.linspace(0, 1, 9), w[m])["tp"]
            assert_close(tp[k] if labels is None else tp[k, label], expected, atol=1e-10)


def test_ignore_out_of_range_equals_filtered_reference(rng):
    n = 3000
    y = rng.choice(np.array([0.0, 1.0, 2.0, -1.0, 0.5]), n)
    s, w = rng.random(n), rng.random(n)
    tc = ThresholdCounts(13, ignore_out_of_range=True).update(y, s, sample_weight=w)
    ok = (y == 0) | (y == 1)
    expected = threshold_reference(y[ok], s[ok], np.linspace(0, 1, 13), w[ok])
    for name in expected:
        assert_close(tc.result()[name], expected[name], atol=1e-10)
    np.testing.assert_array_equal(tc._state.counts().sum(), ok.sum())


def test_ignore_out_of_range_skips_bad_slices(rng):
    y, s, ids = rng.integers(0, 2, 1000), rng.random(1000), rng.integers(-1, 4, 1000)
    tc = ThresholdCounts(5, num_slices=3, ignore_out_of_range=True).update(y, s, slice_ids=ids)
    for k in range(3):
        m = ids == k
        np.testing.assert_array_equal(tc.tp[k], threshold_reference(y[m], s[m], np.linspace(0, 1, 5))["tp"])


def test_uneven_batches_equal_one_update(rng):
    n = 20_000
    thresholds = [0.05, 0.2, 0.21, 0.8, 0.99]
    y, s, w = rng.integers(0, 2, n), rng.random(n), rng.random(n)
    cuts = [0, *random_splits(rng, n, 10), n]
    tc = ThresholdCounts(thresholds)
    for a, b in zip(cuts, cuts[1:]):
        tc.update(y[a:b], s[a:b], sample_weight=w[a:b])
    whole = ThresholdCounts(thresholds).update(y, s, sample_weight=w)
    np.testing.assert_array_equal(tc._state.counts(), whole._state.counts())
    assert_close(tc._state.sums(), whole._state.sums())


def test_unweighted_after_weighted_counts_as_weight_one(rng):
    y, s, w = rng.integers(0, 2, 400), rng.random(400), rng.random(400)
    tc = ThresholdCounts(10).update(y[:200], s[:200]).update(y[200:], s[200:], sample_weight=w[200:])
    full_w = np.concatenate([np.ones(200), w[200:]])
    assert tc.weighted
    assert_close(tc.tp, threshold_reference(y, s, np.linspace(0, 1, 10), full_w)["tp"])


def test_reset_repr_and_merge(rng):
    y, s = rng.integers(0, 2, 100), rng.random(100)
    a = ThresholdCounts(4, num_labels=None).update(y[:60], s[:60])
    b = ThresholdCounts(4).update(y[60:], s[60:])
    assert repr(a) == "ThresholdCounts(thresholds=4, samples=60)"
    np.testing.assert_array_equal((a + b).tp, ThresholdCounts(4).update(y, s).tp)
    a.reset()
    assert repr(a) == "ThresholdCounts(thresholds=4, samples=0)" and not a.tp.any()


@pytest.mark.parametrize("weighted", [False, True])
def test_average_precision_at_thresholds_equals_sklearn_on_the_bin_numbers(weighted):
    from sklearn.metrics import average_precision_score

    from accumetrics.thresholds import average_precision_at_thresholds

    rng = np.random.default_rng(21)
    thresholds = np.sort(rng.uniform(0, 1, 40))
    y = rng.integers(0, 2, (3, 900))
    s = np.clip(rng.normal(0.35 + 0.3 * y, 0.25), -0.1, 1.1)
    w = rng.uniform(0, 3, 900) if weighted else None
    tc = ThresholdCounts(thresholds, num_labels=3).update(y.T, s.T, sample_weight=w)
    r = tc.result()
    got = average_precision_at_thresholds(r["tp"], r["fp"], r["tn"], r["fn"])
    bins = np.searchsorted(thresholds, s, side="left")  # how many thresholds each score exceeds
    want = [average_precision_score(y[k], bins[k], sample_weight=w) for k in range(3)]
    np.testing.assert_allclose(got, want, rtol=1e-12)
    empty = average_precision_at_thresholds(*(np.zeros(5) for _ in range(4)))
    assert np.isnan(empty)
