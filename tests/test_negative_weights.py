"""Negative sample weights, which sklearn and Keras accept, give their values; results that assume
non-negative weights refuse them and say why."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.metrics as sk

import accumetrics as am


@pytest.fixture
def data():
    rng = np.random.default_rng(4)
    n = 400
    y = rng.integers(0, 3, n)
    pred = np.where(rng.random(n) < 0.7, y, rng.integers(0, 3, n))
    w = rng.normal(0.5, 1.0, n)  # about a third negative
    assert (w < 0).sum() > 50
    return y, pred, w


def test_confusion_matrix(data):
    y, pred, w = data
    cm = am.ConfusionMatrix(3).update(y[:150], pred[:150], sample_weight=w[:150])
    cm.update(y[150:], pred[150:], sample_weight=w[150:])
    np.testing.assert_allclose(cm.result(), sk.confusion_matrix(y, pred, sample_weight=w), rtol=1e-12, atol=1e-12)
    assert cm.counts.sum() == len(y)


def test_threshold_counts(data):
    y, _, w = data
    binary = (y == 1).astype(int)
    score = np.random.default_rng(1).random(len(y))
    thresholds = [0.1, 0.5, 0.8]
    tc = am.ThresholdCounts(thresholds).update(binary, score, sample_weight=w)
    for k, t in enumerate(thresholds):
        above = score > t
        np.testing.assert_allclose(tc.tp[k], w[above & (binary == 1)].sum(), rtol=1e-12)
        np.testing.assert_allclose(tc.fp[k], w[above & (binary == 0)].sum(), rtol=1e-12)
        np.testing.assert_allclose(tc.fn[k], w[~above & (binary == 1)].sum(), rtol=1e-12)
        np.testing.assert_allclose(tc.tn[k], w[~above & (binary == 0)].sum(), rtol=1e-12)


def test_moments(data):
    y, pred, w = data
    t, p = y.astype(float), pred + 0.25
    m = am.Moments().update(t, p, sample_weight=w)
    np.testing.assert_allclose(m.sums["sum_weight"], w.sum(), rtol=1e-12)
    np.testing.assert_allclose(m.mean_squared_error, np.sum(w * (t - p) ** 2) / w.sum(), rtol=1e-10)
    np.testing.assert_allclose(m.mean_absolute_error, np.sum(w * np.abs(t - p)) / w.sum(), rtol=1e-10)


@pytest.mark.parametrize("name", ["mean_squared_error", "mean_absolute_error", "r2_score",
                                  "explained_variance_score", "root_mean_squared_error"])
def test_regression_functions(data, name):
    y, pred, w = data
    t, p = y.astype(float), pred + 0.25
    np.testing.assert_allclose(getattr(am, name)(t, p, sample_weight=w), getattr(sk, name)(t, p, sample_weight=w),
                               rtol=1e-9)


@pytest.mark.parametrize("name, kwargs", [
    ("confusion_matrix", {}),
    ("accuracy_score", {}),
    ("precision_recall_fscore_support", {"average": None}),
    ("f1_score", {"average": "macro"}),
    ("f1_score", {"average": "weighted"}),
    ("balanced_accuracy_score", {}),
])
def test_classification_functions(data, name, kwargs):
    y, pred, w = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = getattr(am, name)(y, pred, sample_weight=w, **kwargs), getattr(sk, name)(y, pred, sample_weight=w, **kwargs)
    np.testing.assert_allclose(np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float), rtol=1e-9)


def test_bootstrap_accepts_them(data):
    y, pred, w = data
    boot = am.Bootstrap(am.ConfusionMatrix(3), n_replicates=3, seed=1).update(y, pred, sample_weight=w)
    np.testing.assert_allclose(boot.accumulator.result(), sk.confusion_matrix(y, pred, sample_weight=w), atol=1e-12)


def test_binned_auc_refuses_them_and_says_why():
    auc = am.BinnedAUC().update([0, 1], [0.2, 0.7])
    before = auc.result()
    with pytest.raises(ValueError, match=r"sample_weight\[1\] = -0.5: weights must be finite and non-negative "
                                         r"\(the certified error bounds"):
        auc.update([0, 1], [0.3, 0.6], sample_weight=[1.0, -0.5])
    assert auc.result() == before


def test_nan_and_infinite_weights_are_still_refused(data):
    y, pred, _ = data
    cm = am.ConfusionMatrix(3)
    for bad in (np.nan, np.inf, -np.inf):
        with pytest.raises(ValueError, match="sample_weight.*finite"):
            cm.update([0, 1], [0, 1], sample_weight=[1.0, bad])
    assert cm.counts.sum() == 0
