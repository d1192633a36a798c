"""Metrics of one model that need the same batch histogram share one core call per step (TF graphs)."""

import gc
import weakref

import numpy as np
import pytest

import keras
from accumetrics import keras as ak
from accumetrics._accumulator import CorePool

pytestmark = pytest.mark.skipif(keras.backend.backend() != "tensorflow",
                                reason="the contributions are shared within a TensorFlow graph")


@pytest.fixture
def core_calls(monkeypatch):
    """The number of core objects handed out to count a batch (one per host call), with the histograms at a
    few thresholds, and those on AUC's grid of these batches, sent to the core too (they stay in the graph
    otherwise), so that every one is counted."""
    from accumetrics.keras import _bridge

    monkeypatch.setattr(_bridge, "FEW_PASSES_STAY_IN_GRAPH", False)
    monkeypatch.setattr(_bridge, "SMALL_GRID_BATCH", _bridge.SMALL_BATCH)
    calls = []
    borrow = CorePool.borrow
    monkeypatch.setattr(CorePool, "borrow", lambda self: calls.append(1) or borrow(self))
    return calls


def data(n=10_000, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype(np.float32)
    y = (x[:, :1] + rng.normal(size=(n, 1)) > 0).astype(np.float32)
    return x, y, rng.random(n).astype(np.float32)


def model(metrics, weighted_metrics=None):
    keras.utils.set_random_seed(0)
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    m.compile(loss="binary_crossentropy", metrics=metrics, weighted_metrics=weighted_metrics)
    return m


SPECS = [("Precision", {}), ("Recall", {}), ("TruePositives", {}), ("FalseNegatives", {}),
         ("AUC", {}), ("AUC", {"curve": "PR"}), ("Precision", {"thresholds": 0.3}),
         ("Recall", {"thresholds": [0.3, 0.5]})]


def both(specs):
    theirs = [getattr(keras.metrics, name)(**kwargs) for name, kwargs in specs]
    ours = [getattr(ak, name)(name="ak_" + t.name, **kwargs) for t, (name, kwargs) in zip(theirs, specs)]
    return theirs, ours


def test_one_core_call_per_distinct_histogram(core_calls):
    x, y, _ = data()
    theirs, ours = both(SPECS)
    logs = model(theirs + ours).evaluate(x, y, batch_size=5000, verbose=0, return_dict=True)
    # per step: thresholds {0.5}, AUC's 200, {0.3}, {0.3, 0.5}: 4 histograms, not 8
    assert len(core_calls) == 2 * 4
    for t in theirs:
        np.testing.assert_allclose(logs["ak_" + t.name], logs[t.name], rtol=1e-5, err_msg=t.name)


def test_few_thresholds_stay_in_the_graph(monkeypatch):
    """At up to four thresholds the histogram is counted by the graph's own ops: only AUC's 200 thresholds
    go to the core (as they do above SMALL_GRID_BATCH scores), once a step for ROC and PR alike, and the
    values are Keras's."""
    from accumetrics.keras import _bridge

    monkeypatch.setattr(_bridge, "SMALL_GRID_BATCH", _bridge.SMALL_BATCH)
    calls = []
    borrow = CorePool.borrow
    monkeypatch.setattr(CorePool, "borrow", lambda self: calls.append(1) or borrow(self))
    x, y, _ = data()
    theirs, ours = both(SPECS)
    logs = model(theirs + ours).evaluate(x, y, batch_size=5000, verbose=0, return_dict=True)
    assert len(calls) == 2
    for t in theirs:
        np.testing.assert_allclose(logs["ak_" + t.name], logs[t.name], rtol=1e-5, err_msg=t.name)


def test_grid_histograms_of_large_batches_stay_in_the_graph(monkeypatch):
    """Batches of 5,000 scores (over SMALL_BATCH, under SMALL_GRID_BATCH): AUC's and PR AUC's histogram on
    Keras's grid is counted by the graph's ops, with no host call, and the values are Keras's."""
    calls = []
    borrow = CorePool.borrow
    monkeypatch.setattr(CorePool, "borrow", lambda self: calls.append(1) or borrow(self))
    x, y, _ = data()
    theirs, ours = both([("AUC", {}), ("AUC", {"curve": "PR"}), ("AUC", {"num_thresholds": 37})])
    logs = model(theirs + ours).evaluate(x, y, batch_size=5000, verbose=0, return_dict=True)
    assert calls == []
    for t in theirs:
        np.testing.assert_allclose(logs["ak_" + t.name], logs[t.name], rtol=1e-5, err_msg=t.name)


def test_weighted_and_unweighted_metrics_do_not_share(core_calls):
    x, y, w = data()
    k_plain, plain = keras.metrics.Precision(name="precision"), ak.Precision(name="ak_precision")
    k_weighted, weighted = keras.metrics.Precision(name="w_precision"), ak.Precision(name="ak_w_precision")
    m = model([k_plain, plain], weighted_metrics=[k_weighted, weighted])
    logs = m.evaluate(x, y, sample_weight=w, batch_size=5000, verbose=0, return_dict=True)
    assert len(core_calls) == 2 * 2
    assert logs["ak_precision"] != pytest.approx(logs["ak_w_precision"])
    np.testing.assert_allclose(logs["ak_precision"], logs["precision"], rtol=1e-5)
    np.testing.assert_allclose(logs["ak_w_precision"], logs["w_precision"], rtol=1e-5)


def test_class_id_and_top_k_keep_their_own_histograms(core_calls):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(12_000, 4)).astype(np.float32)
    y = keras.utils.to_categorical(rng.integers(0, 3, 12_000), 3).astype(np.float32)
    specs = [("Precision", {}), ("Precision", {"class_id": 1}), ("Precision", {"top_k": 2}),
             ("Recall", {"class_id": 1})]
    theirs, ours = both(specs)
    keras.utils.set_random_seed(0)
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    m.compile(loss="categorical_crossentropy", metrics=theirs + ours)
    logs = m.evaluate(x, y, batch_size=6000, verbose=0, return_dict=True)
    assert len(core_calls) == 2 * 3  # Recall(class_id=1) shares Precision(class_id=1)'s
    values = {round(logs["ak_" + t.name], 6) for t in theirs[:3]}
    assert len(values) == 3
    for t in theirs:
        np.testing.assert_allclose(logs["ak_" + t.name], logs[t.name], rtol=1e-5, err_msg=t.name)


def test_fit_logs_agree_with_shared_histograms(core_calls):
    x, y, _ = data()
    theirs, ours = both(SPECS)
    history = model(theirs + ours).fit(x, y, batch_size=5000, epochs=2, verbose=0)
    assert len(core_calls) == 2 * 2 * 4
    for t in theirs:
        np.testing.assert_allclose(history.history["ak_" + t.name], history.history[t.name], rtol=1e-5,
                                   err_msg=t.name)


def test_traced_graphs_are_freed():
    """Neither the shared contributions nor the host calls keep a traced graph alive."""
    import tensorflow as tf

    metrics = [ak.Precision(), ak.Recall(), ak.MeanIoU(num_classes=2), ak.MeanAbsoluteError()]
    graphs, traced = weakref.WeakSet(), []
    y, p = tf.constant(np.ones((5000, 1), np.float32)), tf.constant(np.full((5000, 1), 0.7, np.float32))
    for _ in range(3):
        def step(y_true, y_pred):
            graphs.add(tf.compat.v1.get_default_graph())
            traced.append(1)
            for m in metrics:
                m.update_state(y_true, y_pred if m.name != "mean_io_u" else tf.cast(y_pred > 0.5, "int32"))

        tf.function(step)(y, p)
    assert len(traced) == 3
    gc.collect()
    assert len(graphs) == 0
    assert float(metrics[0].result()) == 1.0 and float(metrics[3].result()) == pytest.approx(0.3)
