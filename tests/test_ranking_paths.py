"""The exact ranking core's paths against sklearn, on inputs large enough to reach each of them:
many buckets, scores of both signs (buckets split at zero), keys differing in few bits (counted,
not sorted), ties on the leading bits only (sorted during the walk), one heavy bucket, weights."""

import numpy as np
import pytest
import sklearn.metrics as skm

import accumetrics as am

N = 120_000


def scores(kind: str, rng: np.random.Generator) -> np.ndarray:
    u = rng.random(N)
    return {
        "uniform": u,
        "both signs": rng.standard_normal(N) * 1e3,
        "few bits": 0.5 + np.floor(u * 8) / 16,  # keys differ in 3 bits: counted per field, not sorted
        "quantized": np.round(u, 4),
        "float32": u.astype(np.float32),
        "clustered": 0.5 + u * 1e-9,  # all keys share their leading bits
        "leading ties": 1.0 + np.floor(u * 64) / 64 + rng.integers(0, 2**20, N) * 2.0**-52,
        "heavy bucket": np.where(u < 0.9, 0.25, u),  # 90% of samples on one score
        "extremes": np.where(u < 0.5, -1e300 * u, np.where(u < 0.99, 1e-300 * u, 1e308)),
        "zeros": np.where(u < 0.3, -0.0, np.where(u < 0.6, 0.0, u - 0.8)),
    }[kind]


KINDS = ["uniform", "both signs", "few bits", "quantized", "float32", "clustered", "leading ties",
         "heavy bucket", "extremes", "zeros"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("weighted", [False, True])
def test_scores_and_curves_match_sklearn(kind, weighted):
    rng = np.random.default_rng(KINDS.index(kind))
    s = scores(kind, rng)
    y = (rng.random(N) < 0.3 + 0.4 * (np.argsort(np.argsort(s)) / N)).astype(np.int64)
    w = rng.random(N) * (rng.random(N) > 0.2) if weighted else None
    for name in ("roc_auc_score", "average_precision_score"):
        ours, theirs = getattr(am, name)(y, s, sample_weight=w), getattr(skm, name)(y, s, sample_weight=w)
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    ours, theirs = am.roc_curve(y, s, sample_weight=w), skm.roc_curve(y, s, sample_weight=w)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    ours = am.precision_recall_curve(y, s, sample_weight=w)
    theirs = skm.precision_recall_curve(y, s, sample_weight=w)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("threads", [1, 2])
def test_threads_give_the_same_bits(threads):
    rng = np.random.default_rng(7)
    y = rng.integers(0, 2, 400_000)
    s = np.round(rng.standard_normal(len(y)), 5)
    w = rng.random(len(y))
    before = am.get_num_threads()
    try:
        am.set_num_threads(1)
        one = [am.roc_auc_score(y, s, sample_weight=w), am.average_precision_score(y, s, sample_weight=w)]
        am.set_num_threads(threads)
        assert [am.roc_auc_score(y, s, sample_weight=w), am.average_precision_score(y, s, sample_weight=w)] == one
    finally:
        am.set_num_threads(before)
