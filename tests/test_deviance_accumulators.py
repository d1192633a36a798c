"""Streaming TweedieDeviance and PinballLoss: batches, merges, slices and pickling against sklearn.metrics."""

import copy
import pickle

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st
from property_depth import examples
from references import random_splits

import accumetrics as am

SETTINGS = settings(max_examples=examples(40), deadline=None)
POWERS = [-1, 0, 1, 1.5, 2, 3]


def _data(rng, n, power=1.0):
    y = rng.gamma(2.0, size=n) + (0.01 if power >= 2 else 0.0)
    if power >= 1 and power < 2:
        y[rng.random(n) < 0.2] = 0.0  # Poisson-like zeros
    return y, rng.gamma(2.0, size=n) + 0.01, rng.random(n)


@SETTINGS
@given(st.integers(2, 300), st.integers(1, 6), st.sampled_from(POWERS), st.integers(0, 2**32 - 1))
def test_tweedie_in_batches_is_sklearn(n, pieces, power, seed):
    rng = np.random.default_rng(seed)
    y, p, w = _data(rng, n, power)
    parts = [am.TweedieDeviance(power) for _ in range(pieces)]
    cuts = [0, *random_splits(rng, n, pieces), n]
    for part, a, b in zip(parts, cuts, cuts[1:]):
        part.update(y[a:b], p[a:b], w[a:b])
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    np.testing.assert_allclose(total.result(), skm.mean_tweedie_deviance(y, p, sample_weight=w, power=power),
                               rtol=1e-10)
    np.testing.assert_allclose(total.d2, skm.d2_tweedie_score(y, p, sample_weight=w, power=power), rtol=1e-7,
                               atol=1e-9)


@SETTINGS
@given(st.integers(1, 300), st.integers(1, 6), st.sampled_from([0.0, 0.1, 0.5, 0.95]), st.integers(1, 3),
       st.integers(0, 2**32 - 1))
def test_pinball_in_batches_is_sklearn(n, pieces, alpha, outputs, seed):
    rng = np.random.default_rng(seed)
    y, p = rng.standard_normal((n, outputs)), rng.standard_normal((n, outputs))
    w = rng.random(n)
    loss = am.PinballLoss(alpha)
    cuts = [0, *random_splits(rng, n, pieces), n]
    for a, b in zip(cuts, cuts[1:]):
        loss.update(y[a:b], p[a:b], w[a:b])
    expected = skm.mean_pinball_loss(y, p, sample_weight=w, alpha=alpha, multioutput="raw_values")
    np.testing.assert_allclose(np.atleast_1d(loss.result()), expected, rtol=1e-10, atol=1e-15)


def test_slices_are_separate_streams(rng):
    y, p, w = _data(rng, 500)
    ids = rng.integers(0, 3, 500)
    d = am.TweedieDeviance(1, num_slices=3).update(y, p, w, slice_ids=ids)
    q = am.PinballLoss(0.3, num_slices=3).update(y, p, w, slice_ids=ids)
    for s in range(3):
        mask = ids == s
        np.testing.assert_allclose(d.result()[s], skm.mean_poisson_deviance(y[mask], p[mask], sample_weight=w[mask]),
                                   rtol=1e-10)
        np.testing.assert_allclose(q.result()[s], skm.mean_pinball_loss(y[mask], p[mask], sample_weight=w[mask],
                                                                        alpha=0.3), rtol=1e-10)


def test_constant_y_true_d2_and_large_mean(rng):
    y = np.full(50, 3.0)
    d = am.TweedieDeviance(0).update(y, y + rng.standard_normal(50))
    assert d.null_deviance == 0.0 and d.d2 == -np.inf
    y = 1e8 + rng.standard_normal(1000)
    p = y + 0.1 * rng.standard_normal(1000)
    d = am.TweedieDeviance(0).update(y[:400], p[:400]).merge(am.TweedieDeviance(0).update(y[400:], p[400:]))
    np.testing.assert_allclose(d.d2, skm.d2_tweedie_score(y, p), rtol=1e-9)


@pytest.mark.parametrize("make", [lambda: am.TweedieDeviance(1.5), lambda: am.PinballLoss(0.2, 2)])
def test_copy_pickle_reset(rng, make):
    acc = make()
    y = rng.gamma(2.0, size=(40, 2 if isinstance(acc, am.PinballLoss) else 1)) + 0.1
    if isinstance(acc, am.TweedieDeviance):
        y = y[:, 0]
    acc.update(y, y + 0.5)
    for clone in [copy.copy(acc), copy.deepcopy(acc), acc.copy()] + [pickle.loads(pickle.dumps(acc, protocol))
                                                                     for protocol in range(pickle.HIGHEST_PROTOCOL + 1)]:
        np.testing.assert_array_equal(clone.result(), acc.result())
        assert type(clone) is type(acc)
    acc.copy().update(y, y)
    before = acc.result()
    np.testing.assert_array_equal(acc.result(), before)
    assert np.isnan(acc.reset().result()).all()


def test_bad_input_is_refused_before_any_change():
    d = am.TweedieDeviance(2).update([1.0, 2.0], [1.0, 1.0])
    before = d.result()
    for y, p in (([1.0, 0.0], [1.0, 1.0]), ([1.0, 2.0], [1.0, -1.0]), ([1.0, np.nan], [1.0, 1.0]),
                 ([1.0, 2.0], [1.0, 2.0, 3.0])):
        with pytest.raises(ValueError):
            d.update(y, p)
    assert d.result() == before
    with pytest.raises(ValueError, match="power"):
        am.TweedieDeviance(0.5)
    with pytest.raises(ValueError, match="alpha"):
        am.PinballLoss(1.5)
    with pytest.raises(ValueError, match="of power 2"):
        am.TweedieDeviance(1).merge(am.TweedieDeviance(2))
    with pytest.raises(ValueError, match="outputs"):
        am.PinballLoss(0.5).update(np.ones((3, 2)), np.ones((3, 2))).update(np.ones(3), np.ones(3))
