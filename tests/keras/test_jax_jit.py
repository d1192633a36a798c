"""Updates traced by jax.jit: counted by JAX ops with checks that call back only to raise (or, with
JAX_STAYS_IN_TRACE off, large batches by the core through a host callback); both equal keras.metrics."""

import numpy as np
import pytest

import keras
from accumetrics import keras as ak

pytestmark = pytest.mark.skipif(keras.backend.backend() != "jax", reason="jax.jit traces only on JAX")


def jitted_updates(metric, batches):
    import jax

    step = jax.jit(lambda state, *args: metric.stateless_update_state(state, *args))
    state = [v.value for v in metric.variables]
    for args in batches:
        state = step(state, *args)
    for variable, value in zip(metric.variables, state):
        variable.assign(value)
    return np.asarray(metric.result(), np.float64)


def eager_updates(metric, batches):
    for args in batches:
        metric.update_state(*args)
    return np.asarray(metric.result(), np.float64)


def binary(rng, sizes, weighted):
    out = []
    for n in sizes:
        y = (rng.random(n) < 0.4).astype(np.float32)
        p = np.clip(0.3 * y + rng.random(n, dtype=np.float32) * 0.7, 0, 1)
        out.append((y[:, None], p[:, None]) + ((rng.random(n).astype(np.float32),) if weighted else ()))
    return out


SIZES = {"small": [100, 37, 512], "small and large": [64, 6000, 3], "large on the host": [64, 6000, 3]}


@pytest.fixture
def host_for_large(monkeypatch, sizes):
    """With ``sizes`` "large on the host", batches above SMALL_BATCH go through the host callback."""
    if sizes == "large on the host":
        from accumetrics.keras import _bridge

        monkeypatch.setattr(_bridge, "JAX_STAYS_IN_TRACE", False)


@pytest.mark.parametrize("sizes", list(SIZES))
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("name, kwargs", [("AUC", {}), ("AUC", {"curve": "PR", "num_thresholds": 50}),
                                          ("Precision", {}), ("Recall", {"thresholds": [0.3, 0.7]}),
                                          ("BinaryAccuracy", {}), ("MeanAbsoluteError", {}), ("BinaryIoU", {})])
def test_binary_metrics_equal_keras(rng, sizes, weighted, name, kwargs, host_for_large):
    batches = binary(rng, SIZES[sizes], weighted)
    if weighted and name == "BinaryIoU":  # Keras's IoU counts truncate fractional weights; ours keep them
        batches = [(y, p, np.ceil(3 * w)) for y, p, w in batches]
    ours = jitted_updates(getattr(ak, name)(**kwargs), batches)
    theirs = eager_updates(getattr(keras.metrics, name)(**kwargs), batches)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5)


@pytest.mark.parametrize("sizes", list(SIZES))
def test_mean_iou_equals_keras(rng, sizes, host_for_large):
    batches = [(rng.integers(0, 5, n), rng.integers(0, 5, n)) for n in SIZES[sizes]]
    ours = jitted_updates(ak.MeanIoU(num_classes=5), batches)
    theirs = eager_updates(keras.metrics.MeanIoU(num_classes=5), batches)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


@pytest.mark.parametrize("n", [10, 5000], ids=["small", "large"])
@pytest.mark.parametrize("make, args, match", [
    (lambda: ak.AUC(), lambda n: (np.ones(n, np.float32), np.r_[np.full(n - 1, 0.5), np.nan].astype(np.float32)),
     "y_score: values must be finite|y_score\\[.*\\] = nan"),
    (lambda: ak.Precision(), lambda n: (np.ones(n, np.float32), np.full(n, 0.5, np.float32),
                                        np.r_[np.ones(n - 1), np.nan].astype(np.float32)),
     "sample_weight"),
    (lambda: ak.MeanIoU(num_classes=3), lambda n: (np.zeros(n, np.int32), np.zeros(n, np.int32),
                                                   np.r_[np.ones(n - 1), np.inf].astype(np.float32)),
     "sample_weight"),
    (lambda: ak.MeanSquaredError(), lambda n: (np.zeros((n, 1), np.float32), np.r_[np.zeros(n - 1), np.inf]
                                               .astype(np.float32).reshape(n, 1)),
     "finite"),
], ids=["nan score", "nan weight", "infinite weight", "infinite prediction"])
def test_bad_input_raises_inside_jit(n, make, args, match):
    with pytest.raises(Exception, match=match):
        jitted_updates(make(), [args(n)])


def test_metrics_with_the_same_histogram_share_one_core_call(rng, monkeypatch):
    import jax

    from accumetrics._accumulator import CorePool
    from accumetrics.keras import _bridge

    calls = []
    borrow = CorePool.borrow
    monkeypatch.setattr(CorePool, "borrow", lambda self: calls.append(1) or borrow(self))
    monkeypatch.setattr(_bridge, "FEW_PASSES_STAY_IN_GRAPH", False)  # else thresholds {0.5}, {0.3} stay in the trace
    monkeypatch.setattr(_bridge, "JAX_STAYS_IN_TRACE", False)
    ours = [ak.Precision(), ak.Recall(), ak.TruePositives(), ak.AUC(), ak.AUC(curve="PR"), ak.Precision(thresholds=0.3)]
    theirs = [keras.metrics.Precision(), keras.metrics.Recall(), keras.metrics.TruePositives(), keras.metrics.AUC(),
              keras.metrics.AUC(curve="PR"), keras.metrics.Precision(thresholds=0.3)]

    @jax.jit
    def step(states, y, p):
        return [m.stateless_update_state(s, y, p) for m, s in zip(ours, states)]

    states = [[v.value for v in m.variables] for m in ours]
    for y, p in binary(rng, [6000, 7000], weighted=False):
        states = step(states, y, p)
        for m in theirs:
            m.update_state(y, p)
    assert len(calls) == 2 * 3  # thresholds {0.5}, AUC's 200, {0.3}
    for m, state, k in zip(ours, states, theirs):
        for variable, value in zip(m.variables, state):
            variable.assign(value)
        np.testing.assert_allclose(float(m.result()), float(k.result()), rtol=1e-5, err_msg=m.name)
