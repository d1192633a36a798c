"""Results do not depend on how the data is split into batches: any split (batches of one, a ragged last
batch), with weights, for every accumulator and a metric of every Keras family; and docs/aggregation.md runs."""

import pathlib
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import accumetrics
from property_depth import examples

DOC = pathlib.Path(__file__).resolve().parents[1] / "docs" / "aggregation.md"


@st.composite
def splits(draw, max_n):
    """(n, batch sizes summing to n): random sizes, all ones, or equal batches and a ragged last one."""
    n = draw(st.integers(1, max_n))
    kind = draw(st.sampled_from(["random", "ones", "ragged"]))
    if kind == "ones":
        return n, [1] * n
    if kind == "ragged":
        size = draw(st.integers(1, n))
        return n, [size] * (n // size) + ([n % size] if n % size else [])
    sizes = []
    while sum(sizes) < n:
        sizes.append(draw(st.integers(1, n)))
    sizes[-1] -= sum(sizes) - n
    return n, sizes


def batches(sizes, *arrays):
    start = 0
    for size in sizes:
        yield tuple(None if a is None else a[start:start + size] for a in arrays)
        start += size


def data(seed, n):
    rng = np.random.default_rng(seed)
    return {
        "binary": rng.integers(0, 2, n),
        "score": np.round(rng.random(n), 2),  # ties, and scores on the thresholds
        "classes": rng.integers(0, 4, n),
        "predicted": rng.integers(0, 4, n),
        "real": rng.normal(size=(n, 2)),
        "weight": rng.random(n) * rng.integers(0, 3, n),  # zeros too
        "slices": rng.integers(0, 3, n),
    }


def assert_same(a, b):
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            assert_same(a[k], b[k])
    else:
        np.testing.assert_allclose(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64), rtol=1e-11,
                                   atol=1e-12, equal_nan=True)


ACCUMULATORS = {
    "ConfusionMatrix": (lambda: accumetrics.ConfusionMatrix(4, num_slices=3), ("classes", "predicted"),
                        lambda m: m.result()),
    "ThresholdCounts": (lambda: accumetrics.ThresholdCounts(11, num_slices=3), ("binary", "score"),
                        lambda m: m.result()),
    # the sums, and the errors; R² and correlations of a slice whose variance is zero (one sample, or
    # zero weights) are 0/0, where the last bit of a sum decides between -inf and a huge number
    "Moments": (lambda: accumetrics.Moments(2, num_slices=3), ("real", "real_pred"),
                lambda m: {**m.sums, "mse": m.mean_squared_error, "mae": m.mean_absolute_error}),
    "BinnedAUC": (lambda: accumetrics.BinnedAUC(), ("binary", "score"), lambda m: m.result()),
    "Calibration": (lambda: accumetrics.Calibration(5), ("binary", "score"),
                    lambda m: {k: v for k, v in m.result().items() if not isinstance(v, str)}),
}


@pytest.mark.parametrize("name", sorted(ACCUMULATORS))
@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(split=splits(80), seed=st.integers(0, 2**32 - 1))
def test_numpy_accumulators(name, split, seed):
    n, sizes = split
    d = data(seed, n)
    d["real_pred"] = d["real"] * 0.5 + 1.0
    make, (t, p), read = ACCUMULATORS[name]
    sliced = name in ("ConfusionMatrix", "ThresholdCounts", "Moments")
    s = d["slices"] if sliced else None

    def update(m, *args):
        return m.update(*args[:3], slice_ids=args[3]) if sliced else m.update(*args[:3])

    whole = update(make(), d[t], d[p], d["weight"], s)
    parts = make()
    for bt, bp, bw, bs in batches(sizes, d[t], d[p], d["weight"], s):
        update(parts, bt, bp, bw, bs)
    assert_same(read(parts), read(whole))
    # accumulators of each batch, merged, give the same too
    merged = make()
    for bt, bp, bw, bs in batches(sizes, d[t], d[p], d["weight"], s):
        merged += update(make(), bt, bp, bw, bs)
    assert_same(read(merged), read(whole))


def keras_cases():
    from accumetrics import keras as ak
    from accumetrics.keras.partition import Sliced

    def col(a):
        return a[:, None].astype(np.float32)

    binary = lambda d: (col(d["binary"]), col(d["score"]))  # noqa: E731
    sparse = lambda d: (d["classes"], np.eye(4, dtype=np.float32)[d["predicted"]] * 0.7 + 0.075)  # noqa: E731
    real = lambda d: (d["real"].astype(np.float32), (d["real"] * 0.5 + 1).astype(np.float32))  # noqa: E731
    return {  # one or more per family: thresholds, confusion, moments, means, and a sliced metric
        "AUC": (lambda: ak.AUC(num_thresholds=11), binary),
        "Precision": (lambda: ak.Precision(thresholds=[0.25, 0.5]), binary),
        "BinaryAccuracy": (lambda: ak.BinaryAccuracy(), binary),
        "F1Score": (lambda: ak.F1Score(average="macro"),
                    lambda d: (np.eye(4, dtype=np.float32)[d["classes"]], sparse(d)[1])),
        "MeanIoU": (lambda: ak.MeanIoU(num_classes=4), lambda d: (d["classes"], d["predicted"])),
        "SparseCategoricalAccuracy": (lambda: ak.SparseCategoricalAccuracy(), sparse),
        "MeanSquaredError": (lambda: ak.MeanSquaredError(), real),
        "R2Score": (lambda: ak.R2Score(), real),
        "PearsonCorrelation": (lambda: ak.PearsonCorrelation(), real),
        "Sliced(AUC)": (lambda: Sliced(ak.AUC(num_thresholds=11), 3), binary),
    }


@pytest.mark.parametrize("name", ["AUC", "Precision", "BinaryAccuracy", "F1Score", "MeanIoU",
                                  "SparseCategoricalAccuracy", "MeanSquaredError", "R2Score", "PearsonCorrelation",
                                  "Sliced(AUC)"])
@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(split=splits(24), seed=st.integers(0, 2**32 - 1))
def test_keras_metrics(name, split, seed):
    pytest.importorskip("keras.ops")  # not "keras": tests/keras alone passes for a namespace package
    n, sizes = split
    d = data(seed, n)
    make, inputs = keras_cases()[name]
    y, p = inputs(d)
    w = d["weight"].astype(np.float32)
    extra = name.startswith("Sliced")

    def update(m, y, p, w, s):
        if extra:
            m.update_state(y, p, w, slice_ids=s)
        else:
            m.update_state(y, p, w)

    def results(m):
        r = m.result()
        return [np.asarray(v) for v in r.values()] if isinstance(r, dict) else [np.asarray(r)]

    whole = make()
    update(whole, y, p, w, d["slices"])
    parts = make()
    for by, bp, bw, bs in batches(sizes, y, p, w, d["slices"]):
        update(parts, by, bp, bw, bs)
    for got, expected in zip(results(parts), results(whole), strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_the_aggregation_page_runs(capsys):
    pytest.importorskip("keras.ops")  # not "keras": tests/keras alone passes for a namespace package
    text = DOC.read_text()
    code = "\n".join(re.findall(r"```python\n(.*?)```", text, flags=re.S))
    exec(compile(code, str(DOC), "exec"), {})
    printed = re.findall(r"```text\n(.*?)```", text, flags=re.S)[0]
    assert capsys.readouterr().out.strip() == printed.strip()
