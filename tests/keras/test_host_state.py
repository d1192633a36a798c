"""Eager calls keep a metric's newest state on the host (keras/_placement.py, keras/_state.py): every order
of eager updates, traced updates, reads of the variables, writes to them, resets and stateless calls gives
keras.metrics' values on the same data."""

import numpy as np
import pytest

import keras
from accumetrics import keras as ak
from accumetrics.keras import _placement

BACKEND = keras.backend.backend()

# (ours, Keras's, what a batch holds)
METRICS = {
    "Precision": (lambda: ak.Precision(), lambda: keras.metrics.Precision(), "binary"),
    "AUC": (lambda: ak.AUC(num_thresholds=50), lambda: keras.metrics.AUC(num_thresholds=50), "binary"),
    "Mean": (lambda: ak.Mean(), lambda: keras.metrics.Mean(), "values"),
    "BinaryAccuracy": (lambda: ak.BinaryAccuracy(), lambda: keras.metrics.BinaryAccuracy(), "binary"),
    "MeanIoU": (lambda: ak.MeanIoU(num_classes=4, dtype="float32"),
                lambda: keras.metrics.MeanIoU(num_classes=4, dtype="float32"), "labels"),
    "F1Score": (lambda: ak.F1Score(threshold=0.5), lambda: keras.metrics.F1Score(threshold=0.5), "binary_2d"),
    "SparseCategoricalAccuracy": (lambda: ak.SparseCategoricalAccuracy(),
                                  lambda: keras.metrics.SparseCategoricalAccuracy(), "sparse"),
}


def batches(kind, seed, count=3, rows=40):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        w = rng.random(rows).astype(np.float32)
        if kind == "values":
            out.append((rng.normal(size=rows).astype(np.float32), w))
        elif kind == "binary":
            out.append(((rng.random(rows) < 0.4).astype(np.float32), rng.random(rows).astype(np.float32), w))
        elif kind == "binary_2d":
            out.append(((rng.random((rows, 1)) < 0.4).astype(np.float32), rng.random((rows, 1)).astype(np.float32),
                        w))
        elif kind == "sparse":
            out.append((rng.integers(0, 5, rows), rng.random((rows, 5)).astype(np.float32), w))
        else:
            out.append((rng.integers(0, 4, rows), rng.integers(0, 4, rows), w))
    return [tuple(keras.ops.convert_to_tensor(x) for x in b) for b in out]


def keras_result(name, data):
    theirs = METRICS[name][1]()
    for b in data:
        theirs.update_state(*b)
    return np.asarray(theirs.result())


def close(ours, expected, atol=1e-6):
    np.testing.assert_allclose(np.asarray(ours, dtype=np.float64), np.asarray(expected, dtype=np.float64),
                               rtol=1e-5, atol=atol)


def traced_update(metric, *batch):
    """update_state as a trainer runs it: in a tf.function, or under jax.jit through the stateless API."""
    if BACKEND == "tensorflow":
        import tensorflow as tf

        fn = metric.__dict__.get("_test_traced")
        if fn is None:
            fn = metric.__dict__["_test_traced"] = tf.function(metric.update_state)
        fn(*batch)
    elif BACKEND == "jax":
        import jax

        new = jax.jit(metric.stateless_update_state)([v.value for v in metric.variables], *batch)
        for v, x in zip(metric.variables, new):
            v.assign(x)
    else:
        pytest.skip("torch traces no update here")


@pytest.fixture(params=sorted(METRICS))
def name(request):
    return request.param


def test_eager_calls_run_on_the_host():
    y = keras.ops.convert_to_tensor(np.array([0.0, 1.0]))
    assert _placement.runs_on_host((y, y), {})
    assert not _placement.runs_on_host((y, None), {"sample_weight": object()})


def test_eager_updates_then_result(name):
    data = batches(METRICS[name][2], 0)
    ours = METRICS[name][0]()
    for seen in range(1, len(data) + 1):
        ours.update_state(*data[seen - 1])
        close(ours.result(), keras_result(name, data[:seen]))


def test_variables_hold_every_eager_update(name):
    """What Keras reads (``variables``) and the attributes Keras's tests read hold all of the state."""
    data = batches(METRICS[name][2], 1)
    ours, theirs = METRICS[name][0](), METRICS[name][1]()
    for b in data:
        ours.update_state(*b)
        theirs.update_state(*b)
    ours_vars = {v.name: np.asarray(v, dtype=np.float64) for v in ours.variables}
    for v in theirs.variables:
        if v.name in ours_vars:
            close(ours_vars[v.name], np.asarray(v), atol=1e-4)  # Keras's float32 sums round
    if name == "Precision":
        close(ours.true_positives, theirs.true_positives)


def test_eager_and_traced_updates_interleaved(name):
    data = batches(METRICS[name][2], 2, count=4)
    ours = METRICS[name][0]()
    ours.update_state(*data[0])
    traced_update(ours, *data[1])
    ours.update_state(*data[2])
    close(ours.result(), keras_result(name, data[:3]))
    traced_update(ours, *data[3])
    close(ours.result(), keras_result(name, data))


@pytest.mark.skipif(BACKEND != "tensorflow", reason="a tf.function holds the variables")
def test_a_traced_result_sees_later_eager_updates():
    """Once a graph holds the variables, eager updates are written to them at once: a tf.function traced
    before them reads them."""
    import tensorflow as tf

    data = batches("binary", 3)
    ours = ak.Precision()
    read = tf.function(ours.result)
    read()  # traced: the graph holds the variables
    ours.update_state(*data[0])
    ours.update_state(*data[1])
    close(read(), keras_result("Precision", data[:2]))


def test_writes_to_the_variables_are_read(name):
    """A value assigned to the variables (``set_weights``-style) is the state: eager updates add to it."""
    data = batches(METRICS[name][2], 4)
    ours, reference = METRICS[name][0](), METRICS[name][0]()
    ours.update_state(*data[0])  # pending on the host, then replaced
    for b in data[1:]:
        reference.update_state(*b)
    for v, r in zip(ours.variables, reference.variables):
        v.assign(r.value)
    ours.update_state(*data[0])
    close(ours.result(), keras_result(name, data))


def test_reset_between_eager_updates(name):
    data = batches(METRICS[name][2], 5)
    ours = METRICS[name][0]()
    ours.update_state(*data[0])
    ours.result()
    ours.reset_state()
    fresh = METRICS[name][0]()
    fresh.update_state(*data[0])
    fresh.reset_state()
    close(ours.result(), fresh.result())
    for b in data[1:]:
        ours.update_state(*b)
    close(ours.result(), keras_result(name, data[1:]))


def test_stateless_calls_see_eager_updates(name):
    data = batches(METRICS[name][2], 6)
    ours = METRICS[name][0]()
    ours.update_state(*data[0])
    values = [v.value for v in ours.variables]
    close(ours.stateless_result(values), keras_result(name, data[:1]))
    values = ours.stateless_update_state(values, *data[1])
    close(ours.stateless_result(values), keras_result(name, data[:2]))
    close(ours.result(), keras_result(name, data[:1]))  # the stateless update left the metric alone


def test_a_refused_batch_adds_nothing():
    data = batches("binary", 7)
    ours = ak.AUC(num_thresholds=50)
    ours.update_state(*data[0])
    bad = np.asarray(data[1][1]).copy()
    bad[3] = np.nan
    with pytest.raises(ValueError, match="finite"):
        ours.update_state(data[1][0], keras.ops.convert_to_tensor(bad))
    close(ours.result(), keras_result("AUC", data[:1]))


def test_in_backend_ops_the_variables_are_updated(name):
    """Inside ``in_backend_ops`` (a wrapper working on the variables) calls update the variables themselves,
    with the values the host gives."""
    data = batches(METRICS[name][2], 8)
    ours = METRICS[name][0]()
    ours.update_state(*data[0])
    with _placement.in_backend_ops():
        ours.update_state(*data[1])
        close(ours.result(), keras_result(name, data[:2]))
    ours.update_state(*data[2])
    close(ours.result(), keras_result(name, data))
