"""Sliced metrics equal the metric on each partition alone (and sklearn), eagerly, in graphs and in fit."""

import doctest

import numpy as np
import pytest

import keras
from accumetrics import keras as ak
from accumetrics.keras import partition
from accumetrics.keras.partition import PartitionedModel, Sliced

metrics = pytest.importorskip("sklearn.metrics")

S = 4

# (class, kwargs, y_true kind, y_pred kind): one or more per engine (thresholds, confusion, moments)
CASES = [
    ("AUC", {}, "binary", "score"),
    ("AUC", {"curve": "PR", "num_thresholds": 50}, "binary", "score"),
    ("Precision", {"thresholds": [0.3, 0.7]}, "binary", "score"),
    ("Recall", {}, "binary", "score"),
    ("FalseNegatives", {}, "binary", "score"),
    ("SensitivityAtSpecificity", {"specificity": 0.5}, "binary", "score"),
    ("BinaryAccuracy", {}, "binary", "score"),
    ("BinaryCrossentropy", {}, "binary", "score"),
    ("BinaryIoU", {}, "binary", "score"),
    ("F1Score", {"average": "macro"}, "onehot", "probs"),
    ("AUC", {"multi_label": True}, "onehot", "probs"),
    ("SparseCategoricalAccuracy", {}, "sparse", "probs"),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse", "probs"),
    ("MeanIoU", {"num_classes": 3, "sparse_y_pred": False}, "sparse", "probs"),
    ("CategoricalCrossentropy", {}, "onehot", "probs"),
    ("MeanSquaredError", {}, "real", "real"),
    ("MeanAbsoluteError", {}, "real", "real"),
    ("RootMeanSquaredError", {}, "real", "real"),
    ("R2Score", {}, "real", "real"),
    ("PearsonCorrelation", {}, "real", "real"),
    ("CosineSimilarity", {}, "real", "real"),
]


def data(rng, n, y_kind, p_kind):
    if y_kind == "binary":
        y = rng.integers(0, 2, (n, 1)).astype(np.float32)
    elif y_kind == "sparse":
        y = rng.integers(0, 3, n)
    elif y_kind == "onehot":
        y = np.eye(3, dtype=np.float32)[rng.integers(0, 3, n)]
    else:
        y = rng.normal(size=(n, 2)).astype(np.float32)
    if p_kind == "score":
        p = rng.random((n, 1)).astype(np.float32)
    elif p_kind == "probs":
        p = rng.dirichlet(np.ones(3), n).astype(np.float32)
    else:
        p = (y + rng.normal(size=y.shape)).astype(np.float32)
    return y, p


def alone(cls, kwargs, y, p, w):
    m = getattr(ak, cls)(**kwargs)
    m.update_state(y, p, w)
    return np.asarray(m.result())


@pytest.mark.parametrize("cls,kwargs,y_kind,p_kind", CASES, ids=[f"{c[0]}{i}" for i, c in enumerate(CASES)])
def test_each_partition_equals_the_metric_on_it_alone(feeder, rng, cls, kwargs, y_kind, p_kind):
    n = 150
    y, p = data(rng, n, y_kind, p_kind)
    w = rng.random(n).astype(np.float32)
    ids = rng.integers(0, S, n)
    ids[:S] = np.arange(S)
    sliced = Sliced(getattr(ak, cls)(**kwargs), ["a", "b", "c", "d"])
    for lo, hi in [(0, 64), (64, 128), (128, 150)]:  # a ragged last batch
        feeder.update(sliced, y[lo:hi], p[lo:hi], w[lo:hi], slice_ids=ids[lo:hi])
    result = sliced.result()
    name = sliced.name
    assert set(result) == {name} | {f"{name}/{x}" for x in "abcd"}
    for s, label in enumerate("abcd"):
        k = ids == s
        np.testing.assert_allclose(np.asarray(result[f"{name}/{label}"]), alone(cls, kwargs, y[k], p[k], w[k]),
                                   rtol=2e-5, atol=1e-6, err_msg=f"{cls} partition {label}")
    np.testing.assert_allclose(np.asarray(result[name]), alone(cls, kwargs, y, p, w), rtol=2e-5, atol=1e-6)


def test_partitions_equal_sklearn(rng):
    n = 400
    y = rng.integers(0, 2, n)
    score = np.clip(y * 0.3 + rng.random(n) * 0.7, 0, 1).astype(np.float32)
    w = rng.random(n)
    ids = rng.integers(0, 3, n)
    acc, prec, rec = (Sliced(m, 3) for m in (ak.BinaryAccuracy(), ak.Precision(), ak.Recall()))
    mse = Sliced(ak.MeanSquaredError(), 3)
    for m in (acc, prec, rec, mse):
        m.update_state(y[:, None], score[:, None], w, slice_ids=ids)
    pred = (score > 0.5).astype(int)
    for s in range(3):
        k = ids == s
        assert acc.by_partition()[str(s)] == pytest.approx(metrics.accuracy_score(y[k], pred[k], sample_weight=w[k]),
                                                           rel=1e-6)
        assert prec.by_partition()[str(s)] == pytest.approx(metrics.precision_score(y[k], pred[k], sample_weight=w[k]),
                                                            rel=1e-6)
        assert rec.by_partition()[str(s)] == pytest.approx(metrics.recall_score(y[k], pred[k], sample_weight=w[k]),
                                                           rel=1e-6)
        assert mse.by_partition()[str(s)] == pytest.approx(
            metrics.mean_squared_error(y[k], score[k], sample_weight=w[k]), rel=1e-5)


def test_empty_partition_and_reset(rng):
    m = Sliced(ak.BinaryAccuracy(), ["x", "y", "empty"])
    m.update_state([[1], [0], [1]], [[0.9], [0.2], [0.1]], slice_ids=[0, 1, 0])
    r = {k: float(v) for k, v in m.result().items()}
    assert r == {"binary_accuracy": pytest.approx(2 / 3), "binary_accuracy/x": 0.5, "binary_accuracy/y": 1.0,
                 "binary_accuracy/empty": 0.0}
    m.reset_state()
    assert all(float(v) == 0.0 for v in m.result().values())


def test_docstring_example():
    failures, tried = doctest.testmod(partition)
    assert tried and not failures


def test_config_round_trip():
    m = Sliced(ak.AUC(num_thresholds=20, name="roc"), ["eu", "us"], overall=False)
    again = Sliced.from_config(m.get_config())
    assert again.partitions == ["eu", "us"] and not again.overall
    assert isinstance(again.metric, ak.AUC) and again.metric.num_thresholds == 20 and again.name == "roc"
    assert Sliced.from_config(Sliced(ak.Mean(), 3).get_config()).partitions == ["0", "1", "2"]


def test_bad_input():
    with pytest.raises(ValueError, match="needs slice_ids"):
        Sliced(ak.AUC(), 2).update_state([1], [0.5])
    with pytest.raises(TypeError, match="cannot be sliced"):
        Sliced(keras.metrics.AUC(), 2).update_state([[1]], [[0.5]], slice_ids=[0])
    with pytest.raises(TypeError, match="accumetrics.keras metric"):
        Sliced("accuracy", 2)
    with pytest.raises(ValueError, match="distinct"):
        Sliced(ak.AUC(), ["a", "a"])
    with pytest.raises(ValueError, match="positive"):
        Sliced(ak.AUC(), 0)
    with pytest.raises(ValueError, match="slice"):
        Sliced(ak.BinaryAccuracy(), 2).update_state([[1], [0]], [[0.5], [0.5]], slice_ids=[0, 5])
    with pytest.raises(ValueError, match="one slice id per sample"):
        Sliced(ak.BinaryAccuracy(), 2).update_state([[1], [0]], [[0.5], [0.5]], slice_ids=[0, 1, 1])


# --- in fit and evaluate, through PartitionedModel --------------------------------------------------------------


@pytest.fixture(scope="module")
def blobs():
    rng = np.random.default_rng(7)
    n = 600
    x = rng.normal(size=(n, 6)).astype(np.float32)
    ids = rng.integers(0, 3, n)
    y = ((x[:, 0] + 0.5 * ids + rng.normal(size=n)) > 0.7).astype(np.float32)[:, None]
    w = rng.random(n).astype(np.float32)
    return x, y, ids, w


def partitioned(jit_compile):
    keras.utils.set_random_seed(1)
    base = keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu"),
                             keras.layers.Dense(1, activation="sigmoid")])
    model = PartitionedModel(base, metrics=[ak.AUC(name="auc"), ak.BinaryAccuracy(name="acc")],
                             weighted_metrics=[ak.Precision(name="wprec")], partitions=["eu", "us", "asia"])
    model.compile(optimizer="adam", loss="binary_crossentropy", jit_compile=jit_compile)
    return base, model


def per_partition_evaluate(base, x, y, w, ids):
    base.compile(loss="binary_crossentropy", metrics=[ak.AUC(name="auc"), ak.BinaryAccuracy(name="acc")],
                 weighted_metrics=[ak.Precision(name="wprec")])
    return {name: base.evaluate(x[ids == s], y[ids == s], sample_weight=w[ids == s], verbose=0, return_dict=True)
            for s, name in enumerate(["eu", "us", "asia"])}


@pytest.mark.parametrize("jit_compile", [False, True])
def test_fit_logs_partition_metrics_and_evaluate_matches_each_partition(blobs, jit_compile):
    x, y, ids, w = blobs
    base, model = partitioned(jit_compile)
    history = model.fit({"x": x[:400], "partition": ids[:400]}, y[:400], sample_weight=w[:400], batch_size=64,
                        epochs=2, verbose=0,
                        validation_data=({"x": x[400:], "partition": ids[400:]}, y[400:], w[400:]))
    for key in ("auc/eu", "acc/us", "wprec/asia", "val_auc/eu", "val_acc/asia", "val_wprec/us", "auc", "loss"):
        assert len(history.history[key]) == 2, key
    # the last epoch's validation values: the trained model on each validation partition
    reference = per_partition_evaluate(base, x[400:], y[400:], w[400:], ids[400:])
    for part, values in reference.items():
        for name in ("auc", "acc", "wprec"):
            assert history.history[f"val_{name}/{part}"][-1] == pytest.approx(values[name], rel=1e-5), (name, part)
    # and sklearn on the same predictions
    pred = (base.predict(x[400:], verbose=0)[:, 0] > 0.5).astype(int)
    for s, part in enumerate(["eu", "us", "asia"]):
        k = ids[400:] == s
        assert history.history[f"val_acc/{part}"][-1] == pytest.approx(
            metrics.accuracy_score(y[400:][k, 0], pred[k]), rel=1e-6)
        assert history.history[f"val_wprec/{part}"][-1] == pytest.approx(
            metrics.precision_score(y[400:][k, 0], pred[k], sample_weight=w[400:][k]), rel=1e-5)


def test_tf_data_gives_the_numpy_values(blobs):
    tf = pytest.importorskip("tensorflow")
    x, y, ids, w = blobs
    base, model = partitioned("auto")
    from_numpy = model.evaluate({"x": x, "partition": ids}, y, sample_weight=w, batch_size=50, verbose=0,
                                return_dict=True)
    dataset = tf.data.Dataset.from_tensor_slices(({"x": x, "partition": ids}, y, w)).batch(77)
    from_dataset = model.evaluate(dataset, verbose=0, return_dict=True)
    assert set(from_numpy) == set(from_dataset)
    for key, value in from_numpy.items():
        assert from_dataset[key] == pytest.approx(value, rel=1e-5), key
    reference = per_partition_evaluate(base, x, y, w, ids)
    for part, values in reference.items():
        assert from_dataset[f"auc/{part}"] == pytest.approx(values["auc"], rel=1e-5)
    # training on tf.data fills the training logs too
    history = model.fit(dataset, epochs=1, verbose=0)
    assert {"auc/eu", "acc/us", "wprec/asia"} <= set(history.history)


def test_partitioned_model_needs_the_partition_entry(blobs):
    x, y, _, _ = blobs
    _, model = partitioned(False)
    with pytest.raises(ValueError, match="'partition' entry"):
        model.evaluate(x, y, verbose=0)
    with pytest.raises(ValueError, match="partitions is needed"):
        PartitionedModel(keras.Sequential([keras.layers.Dense(1)]), metrics=[ak.AUC()])
