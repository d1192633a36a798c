"""Comparing two models: DeLong's variance against a direct implementation and a published example, paired
bootstrap coverage by simulation, and results that do not depend on how the data is split."""

import math
import pickle
from statistics import NormalDist

import numpy as np
import pytest
from sklearn import metrics as skm

from accumetrics import Paired, PairedAUC, compare
from accumetrics.bootstrap import poisson_counts


def delong_direct(y, a, b, w=None):
    """DeLong, DeLong and Clarke-Pearson (1988) from every (positive, negative) pair, integer weights as repeats."""
    if w is not None:
        y, a, b = (np.repeat(x, w) for x in (y, a, b))
    pos, neg = y == 1, y == 0

    def placements(s):
        sp, sn = s[pos][:, None], s[neg][None, :]
        pair = (sp > sn) + 0.5 * (sp == sn)
        return pair.mean(axis=1), pair.mean(axis=0)  # V10 per positive, V01 per negative

    (v10a, v01a), (v10b, v01b) = placements(a), placements(b)
    s = np.cov(np.vstack([v10a, v10b])) / pos.sum() + np.cov(np.vstack([v01a, v01b])) / neg.sum()
    return {"roc_auc_a": v10a.mean(), "roc_auc_b": v10b.mean(), "var_a": s[0, 0], "var_b": s[1, 1], "cov": s[0, 1]}


def correlated(rng, n, shift_a=0.8, shift_b=1.0, rho=0.6):
    y = rng.integers(0, 2, n)
    shared = rng.standard_normal(n)
    a = shift_a * y + math.sqrt(rho) * shared + math.sqrt(1 - rho) * rng.standard_normal(n)
    b = shift_b * y + math.sqrt(rho) * shared + math.sqrt(1 - rho) * rng.standard_normal(n)
    return y, a.astype(np.float32), b.astype(np.float32)


@pytest.mark.parametrize("ties", [False, True])
def test_delong_equals_the_direct_computation(ties):
    rng = np.random.default_rng(3)
    y, a, b = correlated(rng, 700)
    if ties:
        a, b = np.round(a, 1), np.round(b, 0)
    r = PairedAUC().update(y, a, b).result()
    ref = delong_direct(y, a.astype(np.float64), b.astype(np.float64))
    for key, value in ref.items():
        assert r[key] == pytest.approx(value, rel=1e-10, abs=1e-15), key
    assert r["roc_auc_a"] == pytest.approx(skm.roc_auc_score(y, a), rel=1e-12)
    assert r["variance"] == pytest.approx(ref["var_a"] + ref["var_b"] - 2 * ref["cov"], rel=1e-9)


def test_integer_weights_count_as_repeats():
    rng = np.random.default_rng(4)
    y, a, b = correlated(rng, 300)
    w = rng.integers(1, 4, 300)
    r = PairedAUC().update(y, a, b, sample_weight=w.astype(np.float64)).result()
    ref = delong_direct(y, a, b, w)
    for key, value in ref.items():
        assert r[key] == pytest.approx(value, rel=1e-10), key


def test_hanley_mcneil_published_example():
    """Hanley & McNeil (1982), Radiology 143:29-36, Table 1: CT ratings 1-5 of 58 normal and 51 abnormal
    subjects; the area they report is 0.893. Model B reads the same ratings, so B - A is 0 with variance 0."""
    normal, abnormal = [33, 6, 6, 11, 2], [3, 2, 2, 11, 33]
    rating = np.repeat(np.tile(np.arange(1.0, 6.0), 2), normal + abnormal)
    y = np.repeat([0, 1], [58, 51])
    r = PairedAUC().update(y, rating, rating).result()
    assert round(r["roc_auc_a"], 3) == 0.893
    # DeLong's variance from the table by hand: V10 of an abnormal case rated r is (normals rated below r + half
    # of those rated r) / 58, and V01 of a normal case the same over the abnormals above.
    below_n = np.concatenate([[0], np.cumsum(normal)[:-1]])
    v10 = (below_n + 0.5 * np.array(normal)) / 58
    above_a = 51 - np.cumsum(abnormal)
    v01 = (above_a + 0.5 * np.array(abnormal)) / 51
    auc = (v10 * abnormal).sum() / 51
    s10 = ((v10 - auc) ** 2 * abnormal).sum() / 50
    s01 = ((v01 - auc) ** 2 * normal).sum() / 57
    assert r["var_a"] == pytest.approx(s10 / 51 + s01 / 58, rel=1e-12)
    assert math.sqrt(r["var_a"]) == pytest.approx(0.032, abs=0.002)  # the standard error the paper reports
    assert r["difference"] == 0 and r["variance"] == pytest.approx(0, abs=1e-15)


def test_chunks_and_merges_do_not_change_delong():
    rng = np.random.default_rng(5)
    y, a, b = correlated(rng, 5000)
    whole = PairedAUC().update(y, a, b).result()
    pieces = [PairedAUC().update(y[i:j], a[i:j], b[i:j]) for i, j in [(0, 1), (1, 1234), (1234, 5000)]]
    merged = pieces[0] + pieces[1] + pieces[2]
    assert merged.result() == whole
    chunked = PairedAUC()
    for i in range(0, 5000, 777):
        chunked.update(y[i:i + 777], a[i:i + 777], b[i:i + 777])
    assert chunked.result() == whole


def test_bounded_cells_stay_close():
    rng = np.random.default_rng(6)
    y, a, b = correlated(rng, 20000)
    small = PairedAUC(max_cells=4096).update(y, a, b)
    assert small._state.num_cells <= 4096 and small._state.shift > 0
    r, exact = small.result(), PairedAUC().update(y, a, b).result()
    assert r["difference"] == pytest.approx(exact["difference"], abs=2e-3)
    assert r["std_error"] == pytest.approx(exact["std_error"], rel=0.05)


def test_delong_interval_coverage():
    """95% DeLong intervals of AUC_B - AUC_A cover the true difference in about 95% of 200 experiments."""
    shift_a, shift_b = 0.8, 1.0
    truth = NormalDist().cdf(shift_b / math.sqrt(2)) - NormalDist().cdf(shift_a / math.sqrt(2))
    rng = np.random.default_rng(7)
    hits = 0
    for _ in range(200):
        y, a, b = correlated(rng, 600, shift_a, shift_b)
        d = PairedAUC().update(y, a, b).interval(0.95)
        hits += d.low <= truth <= d.high
    assert 0.90 <= hits / 200 <= 0.99


def test_paired_bootstrap_coverage_of_a_known_accuracy_difference():
    """95% paired intervals of accuracy_B - accuracy_A cover the true 0.05 in about 95% of 200 experiments,
    and are narrower than unpaired ones would be: the models err on shared samples."""
    rng = np.random.default_rng(8)
    hits, widths = 0, []
    for experiment in range(200):
        n = 500
        y = rng.integers(0, 2, n)
        u = rng.random(n)
        right_a, right_b = u < 0.80, u < 0.85  # B is right wherever A is, and on 5% more
        a, b = np.where(right_a, y, 1 - y), np.where(right_b, y, 1 - y)
        d = Paired("binary", scores=False, n_replicates=200, seed=experiment).update(y, a, b).result()
        acc = d["overall"]["accuracy"]
        hits += acc.low <= 0.05 <= acc.high
        widths.append(acc.high - acc.low)
    assert 0.90 <= hits / 200 <= 0.99
    unpaired = 2 * 1.96 * math.sqrt(0.8 * 0.2 / 500 + 0.85 * 0.15 / 500)
    assert np.median(widths) < 0.6 * unpaired


def test_both_models_get_the_same_replicate_weights():
    rng = np.random.default_rng(9)
    y, a, _ = correlated(rng, 3000)
    grid = np.linspace(a.min(), a.max(), 300)
    d = Paired("binary", n_replicates=50, ranking_thresholds=grid).update(y, a, a.copy()).result()
    for metric in ("accuracy", "precision", "recall", "f1", "roc_auc", "average_precision"):
        x = d["overall"][metric]
        assert (x.difference, x.low, x.high) == (0, 0, 0), metric
        assert x.verdict == "no significant difference"


def population_average_precision(shift: float, positive_share: float = 0.5) -> float:
    """Area under the precision-recall curve of N(shift, 1) positives against N(0, 1) negatives."""
    from scipy.stats import norm

    recall = (np.arange(400_000) + 0.5) / 400_000
    threshold = shift - norm.ppf(recall)
    false_alarms = norm.sf(threshold)
    return float(np.mean(positive_share * recall / (positive_share * recall + (1 - positive_share) * false_alarms)))


def sigmoid(x):
    return 1 / (1 + np.exp(-x.astype(np.float64)))


def test_average_precision_interval_equals_a_brute_force_paired_bootstrap():
    """Each replicate's B - A is sklearn's average precision of the binned scores under the core's Poisson
    counts; the percentile interval of those, moved from the binned B - A to the exact one, is the interval."""
    rng = np.random.default_rng(13)
    n, replicates, seed = 800, 60, 4
    y, a, b = correlated(rng, n)
    a, b = sigmoid(a), sigmoid(b)
    s = rng.integers(0, 2, n)
    w = rng.uniform(0.5, 2.0, n)
    grid = np.linspace(0, 1, 101)
    r = Paired("binary", num_slices=2, n_replicates=replicates, seed=seed, ranking_thresholds=grid).update(
        y, a, b, w, s).result(0.9)
    bins_a, bins_b = (np.searchsorted(grid, x, side="left") for x in (a, b))
    counts = np.array([poisson_counts(n, k, seed=seed) for k in range(replicates)], np.float64)
    for table, m in [(r["overall"], np.ones(n, bool)), (r["slices"][0], s == 0), (r["slices"][1], s == 1)]:
        def ap(score, weight):
            return skm.average_precision_score(y[m], score[m], sample_weight=weight[m])

        exact = ap(b, w) - ap(a, w)
        binned = ap(bins_b, w) - ap(bins_a, w)
        reps = np.array([ap(bins_b, w * k) - ap(bins_a, w * k) for k in counts])
        low, high = np.percentile(reps, [5, 95])
        d = table["average_precision"]
        assert d.difference == pytest.approx(exact, rel=1e-9)
        assert d.low == pytest.approx(exact + low - binned, rel=1e-9, abs=1e-12)
        assert d.high == pytest.approx(exact + high - binned, rel=1e-9, abs=1e-12)
        assert d.low < d.difference < d.high


def test_average_precision_interval_coverage():
    """95% paired intervals of AP_B - AP_A cover the population difference in about 95% of 200 experiments, and
    are narrower than unpaired ones: the models' scores share noise."""
    shift_a, shift_b = 0.8, 1.0
    truth = population_average_precision(shift_b) - population_average_precision(shift_a)
    rng = np.random.default_rng(14)
    hits, widths, spread_a = 0, [], []
    for experiment in range(200):
        y, a, b = correlated(rng, 600, shift_a, shift_b)
        p = Paired("binary", n_replicates=200, seed=experiment).update(y, sigmoid(a), sigmoid(b))
        d = p.result(0.95)["overall"]["average_precision"]
        hits += d.low <= truth <= d.high
        widths.append(d.high - d.low)
        spread_a.append(d.a)
    assert 0.90 <= hits / 200 <= 0.99
    unpaired = 2 * 1.96 * math.sqrt(2) * np.std(spread_a)  # A's and B's spreads are about the same
    assert np.median(widths) < 0.8 * unpaired


def test_average_precision_has_no_interval_when_scores_leave_the_thresholds():
    rng = np.random.default_rng(15)
    y, a, b = correlated(rng, 500)  # normal scores, outside [0, 1]
    p = Paired("binary", n_replicates=20).update(y, a, b)
    d = p.result()["overall"]["average_precision"]
    assert d.difference == pytest.approx(skm.average_precision_score(y, b) - skm.average_precision_score(y, a))
    assert math.isnan(d.low) and math.isnan(d.high) and (d.verdict, d.method) == ("no interval", "none")
    make = lambda: Paired("binary", n_replicates=20, ranking_thresholds=np.linspace(-6, 6, 121))  # noqa: E731
    inside = make().update(y, a, b)
    assert inside.result()["overall"]["average_precision"].method == "bootstrap"
    merged = inside + make().seek(500).update(y, 10 * a, b)
    assert math.isnan(merged.result()["overall"]["average_precision"].low)


def test_values_equal_sklearn_overall_and_per_slice():
    rng = np.random.default_rng(10)
    y, a, b = correlated(rng, 4000)
    a, b = 1 / (1 + np.exp(-a)), 1 / (1 + np.exp(-b))
    s = rng.integers(0, 3, 4000)
    w = rng.random(4000)
    r = Paired("binary", num_slices=3, n_replicates=20).update(y, a, b, w, s).result()
    for table, m in [(r["overall"], np.ones(4000, bool))] + [(r["slices"][i], s == i) for i in range(3)]:
        for model, x in (("a", a), ("b", b)):
            pred = (x[m] > 0.5).astype(int)
            assert getattr(table["accuracy"], model) == pytest.approx(
                skm.accuracy_score(y[m], pred, sample_weight=w[m]), rel=1e-12)
            assert getattr(table["f1"], model) == pytest.approx(skm.f1_score(y[m], pred, sample_weight=w[m]), rel=1e-12)
            assert getattr(table["roc_auc"], model) == pytest.approx(
                skm.roc_auc_score(y[m], x[m], sample_weight=w[m]), rel=1e-9)
            assert getattr(table["average_precision"], model) == pytest.approx(
                skm.average_precision_score(y[m], x[m], sample_weight=w[m]), rel=1e-9)
        assert table["average_precision"].method == "bootstrap"


def test_regression_and_multiclass():
    rng = np.random.default_rng(11)
    y = rng.standard_normal(3000)
    a, b = y + rng.standard_normal(3000), y + 0.5 * rng.standard_normal(3000)
    r = compare(y, a, b, n_replicates=100)["overall"]
    assert r["mean_absolute_error"].a == pytest.approx(skm.mean_absolute_error(y, a), rel=1e-12)
    assert r["r2"].b == pytest.approx(skm.r2_score(y, b), rel=1e-12)
    assert r["mean_absolute_error"].verdict == "B better" and r["r2"].verdict == "B better"
    labels = rng.integers(0, 4, 3000)
    pa = np.where(rng.random(3000) < 0.6, labels, rng.integers(0, 4, 3000))
    pb = np.where(rng.random(3000) < 0.6, labels, rng.integers(0, 4, 3000))
    r = compare(labels, pa, pb, kind="multiclass", num_classes=4, n_replicates=100)["overall"]
    assert r["accuracy"].a == pytest.approx(skm.accuracy_score(labels, pa), rel=1e-12)
    assert r["macro f1"].b == pytest.approx(skm.f1_score(labels, pb, average="macro"), rel=1e-12)


def test_chunks_merges_and_dask_do_not_change_the_result():
    rng = np.random.default_rng(12)
    y, a, b = correlated(rng, 6000)
    s = rng.integers(0, 2, 6000)
    make = lambda: Paired("binary", threshold=0.4, num_slices=2, n_replicates=30, seed=3,  # noqa: E731
                          ranking_thresholds=np.linspace(-8, 8, 201))
    whole = make().update(y, a, b, slice_ids=s).result()
    assert not math.isnan(whole["slices"][1]["average_precision"].low)
    first = make().update(y[:2500], a[:2500], b[:2500], slice_ids=s[:2500])
    second = make().seek(2500).update(y[2500:], a[2500:], b[2500:], slice_ids=s[2500:])
    assert (first + second).result() == whole
    chunked = make()
    for i in range(0, 6000, 1000):
        chunked.update(y[i:i + 1000], a[i:i + 1000], b[i:i + 1000], slice_ids=s[i:i + 1000])
    assert chunked.result() == whole
    da = pytest.importorskip("dask.array")
    from accumetrics.dask import accumulate

    chunks = (1500, 1000, 3500)
    merged = accumulate(make, da.from_array(y, chunks=(chunks,)), da.from_array(a, chunks=(chunks,)),
                        da.from_array(b, chunks=(chunks,)), slice_ids=da.from_array(s, chunks=(chunks,)))
    assert merged.result() == whole
    assert pickle.loads(pickle.dumps(merged)).result() == whole


def test_bad_input_leaves_the_state_alone():
    p = Paired("binary", n_replicates=5).update([0, 1], [0.2, 0.7], [0.3, 0.6])
    before = repr(p.result())  # where NaN equals NaN
    with pytest.raises(ValueError, match="y_true"):
        p.update([0, 2], [0.2, 0.7], [0.3, 0.6])
    with pytest.raises(ValueError, match="score_b|different lengths|same length"):
        p.update([0, 1], [0.2, 0.7], [0.3])
    with pytest.raises(ValueError, match="finite|NaN"):
        p.update([0, 1], [0.2, np.nan], [0.3, 0.6])
    assert repr(p.result()) == before
    m = Paired("multiclass", num_classes=3, n_replicates=5).update([0, 2], np.eye(3)[[0, 2]], np.eye(3)[[1, 2]])
    before = repr(m.result())
    with pytest.raises(ValueError, match="b holds NaN"):
        m.update([0, 1], np.eye(3)[[0, 1]], np.full((2, 3), np.nan))
    with pytest.raises(ValueError, match="negative weights"):
        m.update([0, 1], np.eye(3)[[0, 1]], np.eye(3)[[0, 1]], sample_weight=[1.0, -1.0])
    with pytest.raises(ValueError, match=r"scores=False for predicted classes"):
        m.update([0, 1], [0, 1], [1, 1])
    with pytest.raises(ValueError, match="a has 2 columns"):
        m.update([0, 1], np.eye(2), np.eye(3)[[0, 1]])
    assert repr(m.result()) == before
    with pytest.raises(ValueError, match="kind"):
        Paired("ranking")
    with pytest.raises(ValueError, match="num_classes"):
        Paired("multiclass")


def softmax_scores(rng, labels, k, strength):
    logits = rng.standard_normal((len(labels), k)) + strength * np.eye(k)[labels]
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def test_multiclass_one_vs_rest_auc_equals_sklearn_with_a_brute_force_interval():
    """macro and weighted one-vs-rest ROC AUC of A and B equal sklearn's; each replicate's B - A is sklearn's on
    the binned scores under the core's Poisson counts, and the interval is their spread around the exact B - A."""
    rng = np.random.default_rng(16)
    n, k, replicates, seed = 1500, 4, 40, 2
    y = rng.integers(0, k, n)
    shared = rng.standard_normal((n, k))
    a = softmax_scores(rng, y, k, 1.0) * 0.5 + 0.5 * np.exp(shared) / np.exp(shared).sum(1, keepdims=True)
    b = softmax_scores(rng, y, k, 1.6) * 0.5 + 0.5 * np.exp(shared) / np.exp(shared).sum(1, keepdims=True)
    w = rng.choice([0.5, 1.0, 2.0], n)  # dyadic: float sums are exact in any order, so pieces merge to the whole
    grid = np.linspace(0, 1, 201)
    r = Paired("multiclass", num_classes=k, n_replicates=replicates, seed=seed, ranking_thresholds=grid).update(
        y, a, b, w).result(0.9)["overall"]
    bins_a, bins_b = (np.searchsorted(grid, x, side="left") for x in (a, b))
    counts = np.array([poisson_counts(n, j, seed=seed) for j in range(replicates)], np.float64)
    for average in ("macro", "weighted"):
        def auc(score, weight):
            return skm.roc_auc_score(y, score, multi_class="ovr", average=average, sample_weight=weight)

        def binned(bins, weight):  # bin numbers are not probabilities: one class at a time, as sklearn's ovr does
            per_class = [skm.roc_auc_score(y == c, bins[:, c], sample_weight=weight) for c in range(k)]
            support = [weight[y == c].sum() for c in range(k)]
            return np.average(per_class, weights=None if average == "macro" else support)

        d = r[f"{average} roc_auc"]
        assert d.a == pytest.approx(auc(a, w), rel=1e-12) and d.b == pytest.approx(auc(b, w), rel=1e-12)
        exact = auc(b, w) - auc(a, w)
        reps = np.array([binned(bins_b, w * c) - binned(bins_a, w * c) for c in counts])
        low, high = np.percentile(reps, [5, 95])
        shift = exact - (binned(bins_b, w) - binned(bins_a, w))
        assert d.difference == pytest.approx(exact, rel=1e-12)
        assert (d.low, d.high) == pytest.approx((low + shift, high + shift), rel=1e-9)
        assert d.verdict == "B better" and d.method == "bootstrap"
    make = lambda: Paired("multiclass", num_classes=k, n_replicates=replicates, seed=seed,  # noqa: E731
                          ranking_thresholds=grid)
    pieces = make().update(y[:700], a[:700], b[:700], w[:700]) + make().seek(700).update(y[700:], a[700:], b[700:],
                                                                                          w[700:])
    assert repr(pieces.result(0.9)["overall"]) == repr(r)
    assert repr(pickle.loads(pickle.dumps(pieces)).result(0.9)["overall"]) == repr(r)


def test_multiclass_auc_interval_coverage_and_identical_models():
    """95% intervals of the macro AUC difference cover the difference on a large sample in about 95% of 120
    experiments (with 200 thresholds); identical models give zero-width intervals."""
    k = 3
    rng = np.random.default_rng(17)

    def draw(n):
        y = rng.integers(0, k, n)
        shared = rng.standard_normal((n, k))
        a = shared + 0.7 * np.eye(k)[y] + 0.8 * rng.standard_normal((n, k))
        b = shared + 0.9 * np.eye(k)[y] + 0.8 * rng.standard_normal((n, k))
        return y, *(np.exp(x) / np.exp(x).sum(axis=1, keepdims=True) for x in (a, b))

    y, a, b = draw(400_000)
    truth = (skm.roc_auc_score(y, b, multi_class="ovr") - skm.roc_auc_score(y, a, multi_class="ovr"))
    hits = 0
    for experiment in range(120):
        y, a, b = draw(600)
        d = Paired("multiclass", num_classes=k, n_replicates=200, seed=experiment, max_bins=1 << 12,
                   ranking_thresholds=201).update(y, a, b).result()["overall"]["macro roc_auc"]
        hits += d.low <= truth <= d.high
    assert 0.88 <= hits / 120 <= 0.99
    same = Paired("multiclass", num_classes=k, n_replicates=30).update(y, a, a.copy()).result()["overall"]
    for name in ("macro roc_auc", "weighted roc_auc"):
        assert (same[name].difference, same[name].low, same[name].high) == (0, 0, 0)
