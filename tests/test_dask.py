"""accumetrics.dask on a LocalCluster of two worker processes: results equal the single-machine ones."""

from __future__ import annotations

import numpy as np
import pytest

import accumetrics as am

dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")
distributed = pytest.importorskip("distributed")

from accumetrics.dask import accumulate, compute  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(2024)
    n = 20_011
    y = rng.integers(0, 5, n)
    p = np.where(rng.random(n) < 0.7, y, rng.integers(0, 5, n))
    w = rng.choice([0.25, 0.5, 1.0, 2.0], n)  # dyadic: sums are exact in any order
    score = rng.random(n)
    x = rng.normal(size=n)
    return {"y": y, "p": p, "w": w, "score": score, "x": x, "z": x + rng.normal(size=n), "ids": rng.integers(0, 3, n)}


def arrays(data, *names, chunks=(3000, 2500, 4000)):
    """Dask arrays of the named columns with different chunkings (realigned by accumulate)."""
    return [da.from_array(data[k], chunks=chunks[i % len(chunks)]) for i, k in enumerate(names)]


def accuracy(cm):
    c = cm.result()
    return np.trace(c) / c.sum()


def test_accumulators_equal_one_pass(client, data):
    y, p, w, ids, s = arrays(data, "y", "p", "w", "ids", "score")
    cm = accumulate(lambda: am.ConfusionMatrix(5, num_slices=3), y, p, sample_weight=w, slice_ids=ids)
    one = am.ConfusionMatrix(5, num_slices=3).update(data["y"], data["p"], sample_weight=data["w"], slice_ids=data["ids"])
    np.testing.assert_array_equal(cm.result(), one.result())
    np.testing.assert_array_equal(cm.counts, one.counts)
    binary = da.from_array(data["y"] % 2, chunks=3333)
    tc = accumulate(lambda: am.ThresholdCounts(50), binary, s)
    np.testing.assert_array_equal(tc.tp, am.ThresholdCounts(50).update(data["y"] % 2, data["score"]).tp)
    x, z = arrays(data, "x", "z")
    m = accumulate(am.Moments, x, z)
    ref = am.Moments().update(data["x"], data["z"])
    np.testing.assert_allclose(m.r2, ref.r2, rtol=1e-13)
    assert m.count == ref.count


def test_dataframe_columns(client, data):
    frame = pd.DataFrame({k: data[k] for k in ("y", "p", "w")})
    ddf = dd.from_pandas(frame, npartitions=7)
    cm = accumulate(lambda: am.ConfusionMatrix(5), ddf.y, ddf.p, sample_weight=ddf.w)
    np.testing.assert_array_equal(cm.result(), am.confusion_matrix(data["y"], data["p"], sample_weight=data["w"]))
    assert compute("f1_score", ddf.y, ddf.p, average="macro") == am.f1_score(data["y"], data["p"], average="macro")


@pytest.mark.parametrize("name, kwargs", [
    ("accuracy_score", {}),
    ("balanced_accuracy_score", {}),
    ("cohen_kappa_score", {}),
    ("confusion_matrix", {}),
    ("f1_score", {"average": "macro"}),
    ("fbeta_score", {"beta": 2, "average": "weighted"}),
    ("jaccard_score", {"average": None}),
    ("matthews_corrcoef", {}),
    ("precision_score", {"average": "micro"}),
    ("recall_score", {"average": None, "labels": [4, 1]}),
])
@pytest.mark.parametrize("weighted", [False, True])
def test_label_metrics_equal_single_machine(client, data, name, kwargs, weighted):
    y, p, w = arrays(data, "y", "p", "w")
    function = getattr(am, name)
    sw = data["w"] if weighted else None
    ours = compute(name, y, p, sample_weight=w if weighted else None, **kwargs)
    np.testing.assert_array_equal(ours, function(data["y"], data["p"], sample_weight=sw, **kwargs))
    assert np.asarray(ours).dtype == np.asarray(function(data["y"], data["p"], sample_weight=sw, **kwargs)).dtype


def test_string_labels_spread_over_blocks(client):
    y = np.array(["cat", "dog", "emu"] * 300 + ["yak"] * 10)
    p = np.roll(y, 7)
    frame = dd.from_pandas(pd.DataFrame({"y": y, "p": p}), npartitions=4)
    assert compute(am.precision_score, frame.y, frame.p, average="macro") == am.precision_score(y, p, average="macro")


@pytest.mark.parametrize("name", ["mean_absolute_error", "mean_squared_error", "root_mean_squared_error", "r2_score",
                                  "explained_variance_score"])
def test_regression_metrics(client, data, name):
    x, z, w = arrays(data, "x", "z", "w")
    ours = compute(name, x, z, sample_weight=w)
    np.testing.assert_allclose(ours, getattr(am, name)(data["x"], data["z"], sample_weight=data["w"]), rtol=1e-12)


def test_bootstrap_over_blocks_equals_one_pass(client, data):
    y, p = arrays(data, "y", "p")
    make = lambda: am.Bootstrap(am.ConfusionMatrix(5), accuracy, n_replicates=30, seed=17)  # noqa: E731
    merged = accumulate(make, y, p)
    one = make().update(data["y"], data["p"])
    np.testing.assert_array_equal(merged.replicate_values(), one.replicate_values())
    assert merged.result() == one.result()
    frame = dd.from_pandas(pd.DataFrame({"y": data["y"], "p": data["p"]}), npartitions=5)
    np.testing.assert_array_equal(accumulate(make, frame.y, frame.p).replicate_values(), one.replicate_values())


def test_errors(client, data):
    y, p = arrays(data, "y", "p")
    with pytest.raises(ValueError, match="does not know the metric 'roc_curve'"):
        compute("roc_curve", y, p)
    with pytest.raises(ValueError, match="different lengths"):
        accumulate(lambda: am.ConfusionMatrix(5), y, p[:-1])
    with pytest.raises(TypeError, match="make must be a function"):
        accumulate(am.ConfusionMatrix(5), y, p)
    with pytest.raises(ValueError, match=r"y_true\[.*is not a class"):
        accumulate(lambda: am.ConfusionMatrix(3), y, p)
