"""Moments against math.fsum, np.average and sklearn's regression metrics."""

import math

import numpy as np
import pytest
from sklearn.metrics import explained_variance_score, mean_absolute_error, mean_squared_error, r2_score

from accumetrics import Moments

from references import MOMENT_NAMES, assert_close, moments_reference, random_splits


def check_sums(m, y, x, w=None, rtol=1e-13):
    expected = moments_reference(y, x, w)
    for name in MOMENT_NAMES:
        assert_close(m.sums[name], expected[name], rtol=rtol, atol=1e-300)


@pytest.mark.parametrize("n", [1, 2, 3, 255, 256, 257, 10_000])
@pytest.mark.parametrize("weighted", [False, True])
def test_sums_match_fsum(rng, n, weighted):
    y = rng.normal(3.0, 2.0, n)
    x = y + rng.normal(0.0, 0.5, n)
    w = rng.exponential(size=n) if weighted else None
    m = Moments().update(y, x, sample_weight=w)
    assert m.count == n
    check_sums(m, y, x, w)


def test_metrics_match_sklearn(rng):
    n = 5000
    y = rng.normal(size=n)
    x = 0.8 * y + rng.normal(0.0, 0.3, n) + 0.1
    w = rng.random(n)
    m = Moments().update(y, x, sample_weight=w)
    assert_close(m.mean_absolute_error, mean_absolute_error(y, x, sample_weight=w))
    assert_close(m.mean_squared_error, mean_squared_error(y, x, sample_weight=w))
    assert_close(m.root_mean_squared_error, math.sqrt(mean_squared_error(y, x, sample_weight=w)))
    assert_close(m.r2, r2_score(y, x, sample_weight=w), rtol=1e-10)
    assert_close(m.explained_variance, explained_variance_score(y, x, sample_weight=w), rtol=1e-10)
    assert_close(m.mean_pred, np.average(x, weights=w))
    assert_close(m.mean_true, np.average(y, weights=w))
    result = m.result()
    assert set(result) == {"mean_absolute_error", "mean_squared_error", "root_mean_squared_error", "r2"}
    assert_close(result["r2"], m.r2)


def test_correlations_match_numpy(rng):
    n = 4000
    y = rng.normal(size=n)
    x = 0.5 * y + rng.normal(0.0, 1.0, n) + 2.0
    m = Moments().update(y, x)
    assert_close(m.pearson, np.corrcoef(x, y)[0, 1], rtol=1e-10)
    mx, my = x.mean(), y.mean()
    ccc = 2 * np.mean((x - mx) * (y - my)) / (x.var() + y.var() + (mx - my) ** 2)
    assert_close(m.concordance, ccc, rtol=1e-10)


def test_perfect_and_constant_predictions():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    perfect = Moments().update(y, y)
    assert perfect.mean_absolute_error == 0.0 and perfect.r2 == 1.0
    assert_close(perfect.pearson, 1.0)
    constant = Moments().update(np.full(4, 2.0), y)
    assert constant.r2 == 0.0 == r2_score(np.full(4, 2.0), y)  # no variance in y_true: as sklearn's r2_score


@pytest.mark.parametrize("offset", [1e4, 1e6, 1e8])
def test_r2_and_pearson_with_a_large_mean(rng, offset):
    y = offset + rng.normal(size=10_000)
    x = y + rng.normal(0.0, 0.5, 10_000)
    m = Moments().update(y, x)
    assert_close(m.r2, r2_score(y, x), rtol=1e-9)
    assert_close(m.pearson, np.corrcoef(x, y)[0, 1], rtol=1e-9)
    # Accumulators that started from different origins merge to the same values.
    parts = [Moments().update(y[i:i + 2500], x[i:i + 2500]) for i in range(0, 10_000, 2500)]
    merged = parts[3] + parts[1] + parts[0] + parts[2]
    assert_close(merged.r2, r2_score(y, x), rtol=1e-9)
    assert_close(merged.pearson, np.corrcoef(x, y)[0, 1], rtol=1e-9)
    assert_close(merged.concordance, m.concordance, rtol=1e-9)


def test_empty_results_are_nan():
    m = Moments()
    assert m.count == 0
    assert np.isnan(m.mean_absolute_error) and np.isnan(m.mean_pred)


def test_mean_only_without_y_true(rng):
    x, w = rng.normal(size=1000), rng.random(1000)
    m = Moments().update(None, x, sample_weight=w)
    assert_close(m.mean_pred, np.average(x, weights=w))
    check_sums(m, None, x, w)


@pytest.mark.parametrize("weights", ["none", "row", "value"])
def test_multi_output(rng, weights):
    n, k = 3000, 4
    y = rng.normal(size=(n, k)) * [1.0, 10.0, 0.1, 1e3]
    x = y + rng.normal(size=(n, k))
    w = {"none": None, "row": rng.random(n), "value": rng.random((n, k))}[weights]
    m = Moments(k).update(y, x, sample_weight=w)
    assert m.mean_squared_error.shape == (k,)
    for j in range(k):
        wj = None if w is None else (w if w.ndim == 1 else w[:, j])
        expected = moments_reference(y[:, j], x[:, j], wj)
        for name in MOMENT_NAMES:
            assert_close(m.sums[name][j], expected[name], rtol=1e-13)
        assert_close(m.mean_absolute_error[j], mean_absolute_error(y[:, j], x[:, j], sample_weight=wj))
    if w is None or w.ndim == 1:
        assert_close(m.mean_squared_error, mean_squared_error(y, x, sample_weight=w, multioutput="raw_values"))


def test_num_outputs_inferred_from_first_update(rng):
    m = Moments().update(rng.random((10, 3)), rng.random((10, 3)))
    assert m.num_outputs == 3 and m.mean_pred.shape == (3,)


def test_column_against_vector(rng):
    y, x = rng.random(100), rng.random(100)
    a = Moments().update(y, x.reshape(-1, 1))
    b = Moments().update(y.reshape(-1, 1), x)
    assert_close(a.mean_squared_error, b.mean_squared_error)


@pytest.mark.parametrize("outputs", [None, 2])
def test_slices(rng, outputs):
    n, slices = 5000, 5
    shape = (n,) if outputs is None else (n, outputs)
    y, x, w = rng.normal(size=shape), rng.normal(size=shape), rng.random(n)
    ids = rng.integers(0, slices, n)
    ids[ids == 4] = 0  # one slice never seen
    m = Moments(outputs, num_slices=slices).update(y, x, sample_weight=w, slice_ids=ids)
    np.testing.assert_array_equal(m.count, np.bincount(ids, minlength=slices))
    for s in range(slices):
        sel = ids == s
        for j in range(outputs or 1):
            col = (lambda a: a[sel]) if outputs is None else (lambda a: a[sel, j])
            expected = moments_reference(col(y), col(x), w[sel])
            for name in MOMENT_NAMES:
                got = m.sums[name][s] if outputs is None else m.sums[name][s, j]
                assert_close(got, expected[name], rtol=1e-13)
    assert np.isnan(m.mean_pred[4]).all()


def test_no_drift_over_ten_million_float32_values(rng):
    n = 10_000_000
    x = (rng.random(n, dtype=np.float32) + np.float32(1000.0)).astype(np.float32)
    y = rng.random(n, dtype=np.float32)
    m = Moments().update(y, x)
    x64, y64 = x.astype(np.float64), y.astype(np.float64)
    assert m.count == n
    # Only the short plain sums inside a block round; a running float64 sum of the squares is off by ~2e-13.
    assert_close(m.sums["sum_weight"], float(n), rtol=0)
    assert_close(m.sums["sum_pred"], math.fsum(x64), rtol=1e-14)
    assert_close(m.sums["sum_true"], math.fsum(y64), rtol=1e-14)
    assert_close(m.sums["sum_pred_squared"], math.fsum(x64 * x64), rtol=1e-14)
    assert_close(m.sums["sum_absolute_error"], math.fsum(np.abs(x64 - y64)), rtol=1e-14)


def test_batches_agree_within_1e12(rng):
    n = 300_000
    y = rng.normal(5.0, 1.0, n)
    x = y + rng.normal(0.0, 1e-3, n)  # small errors on a large mean: where naive sums lose digits
    w = rng.random(n)
    whole = Moments().update(y, x, sample_weight=w)
    cuts = [0, *random_splits(rng, n, 40), n]
    batched = Moments()
    for a, b in zip(cuts, cuts[1:]):
        batched.update(y[a:b], x[a:b], sample_weight=w[a:b])
    assert batched.count == n
    for name in MOMENT_NAMES:
        assert_close(batched.sums[name], whole.sums[name], rtol=1e-12)
    check_sums(whole, y, x, w, rtol=1e-12)


def test_reset_repr_merge(rng):
    y, x = rng.random(100), rng.random(100)
    a = Moments().update(y[:30], x[:30])
    assert repr(a) == "Moments(num_outputs=1, samples=30)"
    b = Moments().update(y[30:], x[30:])
    total = a + b
    assert total.count == 100
    check_sums(total, y, x)
    assert a.count == 30
    a.reset()
    assert a.count == 0 and a.sums["sum_weight"] == 0.0
    empty = Moments()
    empty += total
    check_sums(empty, y, x)
    assert repr(Moments(num_slices=3)) == "Moments(num_outputs=None, num_slices=3, samples=0)"


def test_formula_columns_are_the_core_stats():
    from accumetrics import _core
    from accumetrics.formulas.moments import COLUMNS

    assert COLUMNS == tuple(sorted(_core.Stat.__members__, key=lambda name: int(_core.Stat.__members__[name])))
