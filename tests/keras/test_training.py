"""Our metrics inside real training: compile/fit/evaluate logs equal keras.metrics', custom loops,
saving, and an XLA-compiled model."""

import numpy as np
import pytest

import keras
from accumetrics import keras as ak

sklearn_datasets = pytest.importorskip("sklearn.datasets")


def pairs(specs):
    """(keras metric, ours) with our names prefixed so both can sit in one model."""
    out = []
    for name, kwargs in specs:
        theirs = getattr(keras.metrics, name)(**kwargs)
        ours = getattr(ak, name)(name="ak_" + theirs.name, **kwargs)
        out.append((theirs, ours))
    return out


# On torch, Keras's TruePositives (FalsePositives, ...) with one threshold returns a view of its state
# variable, so fit's training log of the epoch is overwritten in place by the validation run that follows
# (test_keras_torch_count_result_is_a_view). Ours returns a new tensor; its training value is the right one.
_ALIASED_ON_TORCH = ("true_positives", "false_positives", "true_negatives", "false_negatives")


def assert_logs_agree(logs, pairs_, rtol=1e-5):
    assert logs, "no logs"
    for theirs, ours in pairs_:
        for prefix in ("", "val_"):
            aliased = keras.backend.backend() == "torch" and theirs.name.rstrip("_0123456789") in _ALIASED_ON_TORCH
            if prefix == "" and aliased and "val_" + theirs.name in logs:
                continue
            if prefix + theirs.name in logs:
                a = np.asarray(logs[prefix + "ak_" + theirs.name])
                b = np.asarray(logs[prefix + theirs.name])
                np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-6, err_msg=prefix + theirs.name)


def binary_model(jit_compile="auto"):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((30,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    return model


BINARY = [("AUC", {}), ("AUC", {"curve": "PR"}), ("Precision", {}), ("Recall", {"thresholds": [0.3, 0.6]}),
          ("TruePositives", {}), ("BinaryAccuracy", {}), ("BinaryCrossentropy", {}),
          ("SensitivityAtSpecificity", {"specificity": 0.9}), ("MeanSquaredError", {}), ("BinaryIoU", {})]


@pytest.fixture(scope="module")
def cancer():
    x, y = sklearn_datasets.load_breast_cancer(return_X_y=True)
    x = ((x - x.mean(0)) / x.std(0)).astype(np.float32)
    return x, y.astype(np.float32)[:, None]


def test_fit_and_evaluate_logs_agree(cancer):
    x, y = cancer
    model = binary_model()
    metric_pairs = pairs(BINARY)
    weight_pairs = pairs([("AUC", {}), ("Precision", {}), ("BinaryAccuracy", {})])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[m for p in metric_pairs for m in p],
                  weighted_metrics=[m for p in weight_pairs for m in p])
    w = np.random.default_rng(0).random(len(y)).astype(np.float32)
    history = model.fit(x[:400], y[:400], sample_weight=w[:400], batch_size=64, epochs=3, verbose=0,
                        validation_data=(x[400:], y[400:], w[400:]))  # 400 = 6 * 64 + 16: an uneven last batch
    for epoch in range(3):
        logs = {k: v[epoch] for k, v in history.history.items()}
        assert_logs_agree(logs, metric_pairs + weight_pairs)
    logs = model.evaluate(x, y, sample_weight=w, batch_size=100, verbose=0, return_dict=True)
    assert_logs_agree(logs, metric_pairs + weight_pairs)


def test_keras_torch_count_result_is_a_view():
    """Why the training logs of Keras's count metrics are not compared on torch (Keras's issue, not ours)."""
    if keras.backend.backend() != "torch":
        pytest.skip("torch only")
    theirs, ours = keras.metrics.TruePositives(), ak.TruePositives()
    for m in (theirs, ours):
        m.update_state(np.array([1.0, 1.0]), np.array([0.9, 0.9]))
    before = theirs.result(), ours.result()
    for m in (theirs, ours):
        m.update_state(np.array([1.0, 1.0]), np.array([0.9, 0.9]))
    assert float(before[0]) == 4.0  # changed after it was read
    assert float(before[1]) == 2.0


def test_multiclass_fit_on_digits():
    x, y = sklearn_datasets.load_digits(return_X_y=True)
    x = (x / 16.0).astype(np.float32)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    metric_pairs = pairs([("SparseCategoricalAccuracy", {}), ("SparseTopKCategoricalAccuracy", {"k": 3}),
                          ("SparseCategoricalCrossentropy", {}), ("MeanIoU", {"num_classes": 10, "sparse_y_pred": False})])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=[m for p in metric_pairs for m in p])
    history = model.fit(x, y, batch_size=128, epochs=2, verbose=0, validation_split=0.2)
    for epoch in range(2):
        assert_logs_agree({k: v[epoch] for k, v in history.history.items()}, metric_pairs)

    onehot = np.eye(10, dtype=np.float32)[y]
    model.compile(optimizer="adam", loss="categorical_crossentropy",
                  metrics=[m for p in pairs([("F1Score", {"average": "macro"}), ("AUC", {"multi_label": True}),
                                             ("CategoricalAccuracy", {}), ("R2Score", {})]) for m in p])
    logs = model.evaluate(x, onehot, batch_size=256, verbose=0, return_dict=True)
    for name in ("f1_score", "auc", "categorical_accuracy", "r2_score"):
        key = next(k for k in logs if k.startswith(name))
        np.testing.assert_allclose(logs["ak_" + key], logs[key], rtol=1e-5, err_msg=name)


def test_custom_tf_function_loop(cancer):
    tf = pytest.importorskip("tensorflow")
    if keras.backend.backend() != "tensorflow":
        pytest.skip("tf.function loop")
    x, y = cancer
    model = binary_model()
    metric_pairs = pairs([("AUC", {}), ("Precision", {}), ("MeanAbsoluteError", {}), ("F1Score", {"threshold": 0.5})])

    @tf.function
    def step(xb, yb):
        p = model(xb)
        for theirs, ours in metric_pairs:
            theirs.update_state(yb, p)
            ours.update_state(yb, p)

    for part in (slice(0, 300), slice(300, None)):
        for theirs, ours in metric_pairs:
            theirs.reset_state()
            ours.reset_state()
        ds = tf.data.Dataset.from_tensor_slices((x[part], y[part])).batch(50)
        for xb, yb in ds:
            step(xb, yb)
        for theirs, ours in metric_pairs:
            np.testing.assert_allclose(ours.result(), theirs.result(), rtol=1e-6, atol=1e-7)


def test_save_and_load_without_custom_objects(tmp_path, cancer):
    x, y = cancer
    model = binary_model()
    model.compile(optimizer="adam", loss="binary_crossentropy",
                  metrics=[ak.AUC(name="auc"), ak.Precision(thresholds=[0.3, 0.5], name="p"), ak.F1Score(name="f1"),
                           ak.MeanIoU(2, name="iou")])
    model.fit(x, y, epochs=1, batch_size=64, verbose=0)
    before = model.evaluate(x, y, verbose=0, return_dict=True)
    path = tmp_path / "m.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    after = loaded.evaluate(x, y, verbose=0, return_dict=True)
    for k in before:
        np.testing.assert_allclose(after[k], before[k], rtol=1e-6, err_msg=k)
    restored = getattr(getattr(loaded, "_compile_metrics", None), "metrics", [])
    assert restored and all(type(m).__module__.startswith("accumetrics.keras") for m in restored)


def test_jit_compiled_model_trains(cancer, monkeypatch):
    if keras.backend.backend() != "tensorflow":
        pytest.skip("the XLA fallback is for TensorFlow; JAX calls back to the host under jit")
    from accumetrics.keras import _batch_counts

    fallbacks = []
    ops_path = _batch_counts._threshold_histogram_ops
    monkeypatch.setattr(_batch_counts, "_threshold_histogram_ops", lambda *a: fallbacks.append(1) or ops_path(*a))
    x, y = cancer
    model = binary_model()
    metric_pairs = pairs([("AUC", {}), ("Precision", {}), ("MeanAbsoluteError", {}), ("BinaryIoU", {})])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[m for p in metric_pairs for m in p],
                  jit_compile=True)
    history = model.fit(x, y, batch_size=64, epochs=2, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert fallbacks, "the keras.ops path was not taken under XLA"
    assert_logs_agree({k: v[-1] for k, v in history.history.items()}, metric_pairs)


MIRRORED = r'''
import json
import numpy as np
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
import keras
from accumetrics import keras as ak
from sklearn.datasets import load_breast_cancer
x, y = load_breast_cancer(return_X_y=True)
x = ((x - x.mean(0)) / x.std(0)).astype(np.float32)
y = y.astype(np.float32)[:, None]

def run(strategy):
    with strategy.scope():
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((30,)), keras.layers.Dense(8, activation="relu"),
                                  keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="sgd", loss="binary_crossentropy",
                      metrics=[ak.AUC(name="auc"), ak.Precision(name="precision"), ak.BinaryIoU(name="iou"),
                               ak.MeanAbsoluteError(name="mae"), keras.metrics.AUC(name="keras_auc")])
    return model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)

one = run(tf.distribute.OneDeviceStrategy("/cpu:0"))
two = run(tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"]))
print("RESULT" + json.dumps({"one": one, "two": two}))
'''


def test_mirrored_strategy_matches_one_device():
    """Two logical CPU replicas give the same results as one (needs a fresh process to split the CPU)."""
    if keras.backend.backend() != "tensorflow":
        pytest.skip("tf.distribute")
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "2"}
    out = subprocess.run([sys.executable, "-c", MIRRORED], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.split("RESULT", 1)[1])
    for name in ("auc", "precision", "iou", "mae"):
        np.testing.assert_allclose(result["two"][name], result["one"][name], rtol=1e-6, err_msg=name)
    np.testing.assert_allclose(result["two"]["auc"], result["two"]["keras_auc"], rtol=1e-5)
