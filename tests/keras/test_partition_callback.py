"""PartitionMetrics equals model.evaluate on each partition and sklearn; balanced weights equal sklearn's;
the values reach History and TensorBoard's event files."""

import glob

import numpy as np
import pytest

import keras
from accumetrics import keras as ak
from accumetrics.keras.callbacks import PartitionMetrics, balanced_sample_weight, partition_ids

metrics = pytest.importorskip("sklearn.metrics")
class_weight = pytest.importorskip("sklearn.utils.class_weight")

NAMES = ["north", "south", "east", "west"]


@pytest.fixture(scope="module")
def regions():
    rng = np.random.default_rng(3)
    n = 800
    x = rng.normal(size=(n, 5)).astype(np.float32)
    region = np.asarray(NAMES)[rng.choice(4, n, p=[0.4, 0.3, 0.2, 0.1])]
    shift = {"north": 1.5, "south": 0.0, "east": -1.0, "west": 0.5}
    y = (x[:, 0] + np.vectorize(shift.get)(region) + rng.normal(size=n) > 1.2).astype(np.int64)  # imbalanced
    return x, y, region


def classifier():
    keras.utils.set_random_seed(2)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  weighted_metrics=[ak.SparseCategoricalAccuracy(name="acc"), ak.SparseCategoricalCrossentropy(name="ce")])
    return model


@pytest.mark.parametrize("balanced", [False, True])
def test_values_equal_evaluate_per_partition_and_sklearn(regions, balanced):
    x, y, region = regions
    model = classifier()
    callback = PartitionMetrics(x[400:], y[400:], region[400:], ["SparseCategoricalAccuracy",
                                                                 ak.SparseCategoricalCrossentropy(name="ce")],
                                class_weight="balanced" if balanced else None)
    history = model.fit(x[:400], y[:400], batch_size=50, epochs=2, verbose=0, callbacks=[callback])
    y_pred = model.predict(x[400:], verbose=0)
    for part in NAMES:
        k = region[400:] == part
        w = class_weight.compute_sample_weight("balanced", y[400:][k]) if balanced else None
        expected = model.evaluate(x[400:][k], y[400:][k], sample_weight=w, batch_size=37, verbose=0, return_dict=True)
        logged = {name: history.history[f"val_{name}/{part}"][-1] for name in ("loss", "sparse_categorical_accuracy",
                                                                                "ce")}
        assert logged["loss"] == pytest.approx(expected["loss"], rel=1e-5), part
        assert logged["sparse_categorical_accuracy"] == pytest.approx(expected["acc"], rel=1e-6), part
        assert logged["ce"] == pytest.approx(expected["ce"], rel=1e-5), part
        # sklearn on the same predictions
        assert logged["sparse_categorical_accuracy"] == pytest.approx(
            metrics.accuracy_score(y[400:][k], y_pred[k].argmax(1), sample_weight=w), rel=1e-6)
        assert logged["ce"] == pytest.approx(metrics.log_loss(y[400:][k], y_pred[k], sample_weight=w, labels=[0, 1]),
                                             rel=1e-4)
        assert callback.results[f"loss/{part}"] == logged["loss"]


def test_balanced_weights_equal_sklearn_per_partition(rng):
    n = 500
    parts = rng.integers(0, 5, n)
    for y in (rng.integers(0, 4, n), rng.choice(["cat", "dog", "eel"], n, p=[0.7, 0.2, 0.1]),
              rng.integers(0, 3, (n, 2)),  # two outputs: the weights multiply, as in sklearn
              np.eye(3)[rng.integers(0, 3, n)]):
        w = balanced_sample_weight(y, parts)
        for p in range(5):
            k = parts == p
            np.testing.assert_allclose(w[k], class_weight.compute_sample_weight("balanced", y[k]), rtol=1e-12)
    y = rng.integers(0, 3, n)
    np.testing.assert_allclose(balanced_sample_weight(y), class_weight.compute_sample_weight("balanced", y),
                               rtol=1e-12)


def test_partition_ids():
    names, ids = partition_ids(["b", "a", "b", "c"])
    assert names == ["a", "b", "c"] and ids.tolist() == [1, 0, 1, 2]
    names, ids = partition_ids(["b", "a", "b"], names=["b", "a", "unused"])
    assert ids.tolist() == [0, 1, 0]
    with pytest.raises(ValueError, match="not in names"):
        partition_ids(["b", "z"], names=["a", "b"])
    with pytest.raises(ValueError, match="different lengths"):
        PartitionMetrics(np.zeros((3, 5)), [0, 1, 0], ["a", "b"])
    with pytest.raises(ValueError, match="class_weight"):
        PartitionMetrics(np.zeros((2, 5)), [0, 1], ["a", "b"], class_weight="auto")


def test_every_k_epochs_and_tensorboard(regions, tmp_path):
    tf = pytest.importorskip("tensorflow")
    pytest.importorskip("tensorboard")
    x, y, region = regions
    model = classifier()
    callback = PartitionMetrics(x[400:], y[400:], region[400:], [ak.SparseCategoricalAccuracy(name="acc")], every=2)
    board = keras.callbacks.TensorBoard(log_dir=str(tmp_path))
    history = model.fit(x[:400], y[:400], batch_size=100, epochs=4, verbose=0, callbacks=[callback, board])
    assert len(history.history["val_acc/north"]) == 2  # epochs 2 and 4
    files = glob.glob(str(tmp_path / "validation" / "events.out.tfevents.*"))
    assert files, "no validation event file"
    found = {}
    for path in files:
        for record in tf.data.TFRecordDataset(path):
            event = tf.compat.v1.Event.FromString(record.numpy())
            for value in event.summary.value:
                number = float(tf.make_ndarray(value.tensor)) if value.HasField("tensor") else value.simple_value
                found.setdefault(value.tag, {})[event.step] = number
    for part in NAMES:
        for name in ("acc", "loss"):
            steps = found[f"epoch_{name}/{part}"]
            assert sorted(steps) == [1, 3]
            np.testing.assert_allclose([steps[1], steps[3]], history.history[f"val_{name}/{part}"], rtol=1e-6)
