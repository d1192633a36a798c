"""Calibration against sklearn's calibration_curve and brier_score_loss, and a direct reference for ECE and MCE."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import sklearn.calibration
import sklearn.metrics
from hypothesis import given, settings
from hypothesis import strategies as st

from accumetrics import Calibration, calibration_curve, expected_calibration_error, maximum_calibration_error
from property_depth import examples


def reference_bins(y, p, edges, w=None):
    """(weight, mean label, mean probability) per bin with an explicit loop (edges[i] < p <= edges[i + 1])."""
    w = np.ones_like(p) if w is None else w
    out = []
    for i in range(len(edges) - 1):
        inside = p > edges[i] if i else np.ones_like(p, bool)
        inside &= p <= edges[i + 1] if i < len(edges) - 2 else True
        if w[inside].sum() > 0:
            out.append((w[inside].sum(), np.average(y[inside], weights=w[inside]), np.average(p[inside], weights=w[inside])))
    return np.array(out).reshape(-1, 3)


@settings(max_examples=examples(60), deadline=None)
@given(st.integers(1, 400), st.integers(1, 20), st.sampled_from(["uniform", "quantile"]), st.integers(0, 2**32 - 1),
       st.booleans())
def test_calibration_curve_matches_sklearn(n, n_bins, strategy, seed, coarse):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    # coarse: probabilities on a grid, many exactly on bin edges
    p = rng.integers(0, 11, n) / 10 if coarse else rng.random(n)
    ours = calibration_curve(y, p, n_bins=n_bins, strategy=strategy)
    theirs = sklearn.calibration.calibration_curve(y, p, n_bins=n_bins, strategy=strategy)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_pos_label_and_label_types():
    y = np.array(["spam", "ham", "spam", "ham", "spam"])
    p = np.array([0.9, 0.2, 0.6, 0.4, 0.3])
    ours = calibration_curve(y, p, pos_label="spam", n_bins=2)
    theirs = sklearn.calibration.calibration_curve(y, p, pos_label="spam", n_bins=2)
    np.testing.assert_allclose(ours, theirs)
    y = np.array([-1, 1, 1, -1])
    np.testing.assert_allclose(calibration_curve(y, p[:4]), sklearn.calibration.calibration_curve(y, p[:4]))


@pytest.mark.parametrize("call, message", [
    (lambda: calibration_curve(["a", "b"], [0.1, 0.2]), "pos_label is not specified"),
    (lambda: calibration_curve([0, 1, 2], [0.1, 0.2, 0.3]), "pos_label is not specified"),
    (lambda: calibration_curve([0, 1, 2], [0.1, 0.2, 0.3], pos_label=1), "Only binary classification"),
    (lambda: calibration_curve([0, 1], [0.1, 1.2]), r"outside \[0, 1\]"),
    (lambda: calibration_curve([0, 1], [0.1, 0.2], strategy="kmeans"), "Strategy must be either"),
    (lambda: calibration_curve([0, 1], [0.1]), "different lengths"),
])
def test_errors_as_sklearn(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_accumulator_errors():
    with pytest.raises(ValueError, match=r"y_prob\[1\] = nan is outside \[0, 1\]"):
        Calibration().update([0, 1], [0.5, np.nan])
    with pytest.raises(ValueError, match="n_bins must be positive"):
        Calibration(0)
    with pytest.raises(ValueError, match="bin edges"):
        Calibration(bins=[0.5, 0.2, 1.0])
    with pytest.raises(ValueError, match="cannot merge"):
        Calibration(5).merge(Calibration(6))


@settings(max_examples=examples(50), deadline=None)
@given(st.integers(1, 300), st.integers(1, 12), st.integers(0, 2**32 - 1), st.booleans())
def test_errors_and_brier_match_references(n, n_bins, seed, weighted):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    p = np.clip(rng.beta(2, 2, n) * 0.5 + y * 0.3, 0, 1)
    w = rng.random(n) * (rng.random(n) < 0.9) if weighted else None
    bins = reference_bins(y, p, np.linspace(0, 1, n_bins + 1), w)
    cal = Calibration(n_bins).update(y, p, sample_weight=w)
    if bins.size == 0:
        assert np.isnan(cal.expected_calibration_error)
        return
    gap = np.abs(bins[:, 1] - bins[:, 2])
    np.testing.assert_allclose(cal.expected_calibration_error, np.dot(gap, bins[:, 0]) / bins[:, 0].sum(), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(cal.maximum_calibration_error, gap.max(), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(cal.brier_score, sklearn.metrics.brier_score_loss(y, p, sample_weight=w), rtol=1e-10)
    np.testing.assert_allclose(expected_calibration_error(y, p, n_bins=n_bins, sample_weight=w), cal.expected_calibration_error)
    np.testing.assert_allclose(maximum_calibration_error(y, p, n_bins=n_bins, sample_weight=w), cal.maximum_calibration_error)


def test_streaming_merge_and_pickle(rng):
    y, p = rng.integers(0, 2, 1000), rng.random(1000)
    whole = Calibration(10).update(y, p)
    a, b = Calibration(10).update(y[:300], p[:300]), Calibration(10).update(y[300:], p[300:])
    merged = pickle.loads(pickle.dumps(a + b))
    for x, z in zip(whole.curve(), merged.curve()):
        np.testing.assert_allclose(x, z, rtol=1e-14)
    assert merged.expected_calibration_error == pytest.approx(whole.expected_calibration_error, rel=1e-13)
    np.testing.assert_array_equal(merged.bin_count, whole.bin_count)
    np.testing.assert_allclose(whole.curve(), sklearn.calibration.calibration_curve(y, p, n_bins=10), rtol=1e-12)


def test_perfectly_calibrated_scores_have_small_error(rng):
    p = rng.random(200_000)
    y = rng.random(200_000) < p
    assert expected_calibration_error(y, p) < 0.01
    assert expected_calibration_error(y, p ** 2) > 0.1


def test_a_third_label_is_refused_and_changes_nothing():
    cal = Calibration(5).update([0, 1], [0.1, 0.5])
    before = cal.bin_count.copy()
    with pytest.raises(ValueError, match=r"y_true holds the labels 0 and 2 besides pos_label=1"):
        cal.update([0, 2], [0.1, 0.5])
    np.testing.assert_array_equal(cal.bin_count, before)
    with pytest.raises(ValueError, match="labels 3 and 4"):
        Calibration(5).update([3, 4], [0.1, 0.5])
    other = Calibration(5).update([2, 1], [0.2, 0.3])
    with pytest.raises(ValueError, match="labels 0 and 2"):
        cal.merge(other)
    np.testing.assert_array_equal(cal.bin_count, before)
    np.testing.assert_array_equal(Calibration(5).merge(other).merge(Calibration(5).update([1], [0.9])).bin_count,
                                  [1, 1, 0, 0, 1])
