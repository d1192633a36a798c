"""BinnedAUC: the reported bound always covers the distance to sklearn's exact value."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import average_precision_score, roc_auc_score

from accumetrics.binned_auc import BinnedAUC
from property_depth import examples

SETTINGS = settings(max_examples=examples(60), deadline=None)


@st.composite
def binary_data(draw):
    n = draw(st.integers(2, 300))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    y[0], y[1] = 0, 1
    kind = draw(st.sampled_from(["uniform", "ties", "wide", "float16"]))
    if kind == "uniform":
        s = rng.random(n)
    elif kind == "ties":
        s = rng.integers(0, draw(st.integers(1, 10)), n) / 7.0
    elif kind == "wide":
        s = rng.standard_normal(n) * 10.0 ** rng.integers(-30, 30, n)
    else:
        s = rng.standard_normal(n).astype(np.float16)
    w = rng.random(n) * (rng.random(n) > 0.2) if draw(st.booleans()) else None
    if w is not None:
        w[0] = w[1] = 1.0
    return y, s, w


@SETTINGS
@given(binary_data(), st.sampled_from([2, 3, 8, 64, 1 << 20]))
def test_error_never_exceeds_bound(data, max_bins):
    y, s, w = data
    r = BinnedAUC(max_bins).update(y, s, w).result()
    auc = roc_auc_score(y, s, sample_weight=w)
    ap = average_precision_score(y, s, sample_weight=w)
    slack = 1e-12
    assert abs(r["roc_auc"] - auc) <= r["roc_auc_bound"] + slack
    assert abs(r["average_precision"] - ap) <= r["average_precision_bound"] + slack
    assert 0 <= r["roc_auc_bound"] <= 0.5


@SETTINGS
@given(binary_data(), st.integers(1, 5), st.sampled_from([4, 64, 1 << 20]))
def test_batches_merge_and_pickle_give_the_same_result(data, parts, max_bins):
    y, s, w = data
    whole = BinnedAUC(max_bins).update(y, s, w).result()
    cuts = np.sort(np.random.default_rng(parts).integers(0, len(y) + 1, parts - 1))
    pieces = []
    for idx in np.split(np.arange(len(y)), cuts):
        acc = BinnedAUC(max_bins).update(y[idx], s[idx], None if w is None else w[idx])
        pieces.append(pickle.loads(pickle.dumps(acc)))
    merged = pieces[0]
    for p in pieces[1:]:
        merged += p
    streamed = BinnedAUC(max_bins)
    for idx in np.split(np.arange(len(y)), cuts):
        streamed.update(y[idx], s[idx], None if w is None else w[idx])
    for other in (merged.result(), streamed.result()):
        for key, value in whole.items():
            np.testing.assert_allclose(other[key], value, rtol=1e-12, atol=1e-15)


def test_exact_for_float16_and_bfloat16_scores():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 200_000)
    s16 = rng.standard_normal(len(y)).astype(np.float16)
    r = BinnedAUC().update(y, s16).result()
    assert r["roc_auc_bound"] == 0 and r["average_precision_bound"] == 0
    assert r["roc_auc"] == pytest.approx(roc_auc_score(y, s16), abs=1e-12)
    assert r["average_precision"] == pytest.approx(average_precision_score(y, s16), abs=1e-12)
    bf16 = (s16.astype(np.float32).view(np.uint32) & 0xFFFF0000).view(np.float32)  # bfloat16 values
    small = BinnedAUC(1 << 16).update(y, bf16).result()
    assert small["roc_auc_bound"] == 0
    assert small["roc_auc"] == pytest.approx(roc_auc_score(y, bf16), abs=1e-12)


def test_default_bound_on_a_million_random_floats():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 1_000_000)
    s = rng.random(len(y))
    acc = BinnedAUC()
    for part in np.array_split(np.arange(len(y)), 7):
        acc.update(y[part], s[part])
    r = acc.result()
    assert r["roc_auc_bound"] <= 1e-6 and r["average_precision_bound"] <= 1e-6
    assert abs(r["roc_auc"] - roc_auc_score(y, s)) <= r["roc_auc_bound"]
    assert abs(r["average_precision"] - average_precision_score(y, s)) <= r["average_precision_bound"]


def test_memory_is_bounded():
    rng = np.random.default_rng(3)
    acc = BinnedAUC(1000)
    for _ in range(5):
        acc.update(rng.integers(0, 2, 50_000), rng.standard_normal(50_000))
    assert acc.num_bins <= 1000
    assert acc.result()["roc_auc_bound"] > 0


def test_one_class_and_reset():
    acc = BinnedAUC().update([1, 1], [0.5, 0.25])
    r = acc.result()
    assert np.isnan(r["roc_auc"]) and r["average_precision"] == 1.0
    assert BinnedAUC().update([0, 0], [0.5, 0.25]).result()["average_precision"] == 0.0
    acc.reset()
    assert acc.num_bins == 0


def test_bad_input():
    with pytest.raises(ValueError, match="y_score"):
        BinnedAUC().update([0, 1], [0.5, np.nan])
    with pytest.raises(ValueError, match="y_true"):
        BinnedAUC().update([0, 2], [0.5, 0.25])
    with pytest.raises(ValueError, match=r"sample_weight\[1\] = -1: weights must be finite and non-negative "
                                         r"\(the certified error bounds"):
        BinnedAUC().update([0, 1], [0.5, 0.25], [1.0, -1.0])
    with pytest.raises(ValueError, match="lengths"):
        BinnedAUC().update([0, 1, 1], [0.5, 0.25])
    with pytest.raises(ValueError, match="max_bins"):
        BinnedAUC(4).merge(BinnedAUC(8))
