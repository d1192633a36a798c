"""PerClass: per-class values in the logs of fit and evaluate, equal to sklearn's and keras.metrics' per class."""

import io
import contextlib

import numpy as np
import pytest

import keras
from accumetrics import keras as ak
from accumetrics.keras.per_class import PerClass
from peer_versions import changed_in

metrics = pytest.importorskip("sklearn.metrics")

NAMES = ["cat", "dog", "bird", "fish"]


def data(n=700, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 8)).astype(np.float32)
    y = (np.argmax(x[:, :4] + rng.normal(scale=1.0, size=(n, 4)), axis=1)).astype(np.int32)
    w = rng.random(n).astype(np.float32)
    return x, y, w


def model_of(loss="sparse_categorical_crossentropy", metrics_=()):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(4, activation="softmax")])
    model.compile(optimizer="adam", loss=loss, weighted_metrics=list(metrics_))
    return model


def per_class_metrics():
    return [PerClass(ak.Precision(name="precision"), class_names=NAMES),
            PerClass(ak.Recall(name="recall"), class_names=NAMES),
            PerClass(ak.AUC(name="auc"), class_names=NAMES),
            PerClass(ak.SensitivityAtSpecificity(0.8, name="sens"), class_names=NAMES),
            PerClass(ak.F1Score(average="macro", name="f1"), class_names=NAMES),
            PerClass(ak.MeanIoU(num_classes=4, sparse_y_pred=False, name="iou", dtype="float32"), class_names=NAMES)]


def references(y, p, w):
    """The expected log entries, from sklearn and keras.metrics, per class and overall."""
    onehot = np.eye(4, dtype=np.float32)[y]
    out = {}
    for i, c in enumerate(NAMES):
        above = p[:, i] > 0.5
        out[f"precision/{c}"] = metrics.precision_score(onehot[:, i], above, sample_weight=w, zero_division=0)
        out[f"recall/{c}"] = metrics.recall_score(onehot[:, i], above, sample_weight=w, zero_division=0)
        for name, m in (("auc", keras.metrics.AUC()), ("sens", keras.metrics.SensitivityAtSpecificity(0.8))):
            m.update_state(onehot[:, i], p[:, i], sample_weight=w)
            out[f"{name}/{c}"] = float(m.result())
    predicted = np.argmax(p, axis=1)
    out.update({f"f1/{c}": v for c, v in zip(NAMES, metrics.f1_score(y, predicted, average=None, labels=range(4),
                                                                        sample_weight=w))})
    out.update({f"iou/{c}": v for c, v in zip(NAMES, metrics.jaccard_score(y, predicted, average=None,
                                                                             labels=range(4), sample_weight=w))})
    out["f1"] = metrics.f1_score(y, predicted, average="macro", labels=range(4), sample_weight=w)
    out["iou"] = metrics.jaccard_score(y, predicted, average="macro", labels=range(4), sample_weight=w)
    for name, m in (("precision", keras.metrics.Precision()), ("recall", keras.metrics.Recall()),
                    ("auc", keras.metrics.AUC()), ("sens", keras.metrics.SensitivityAtSpecificity(0.8))):
        m.update_state(onehot, p, sample_weight=w)  # Keras's value over all entries
        out[name] = float(m.result())
    return out


def assert_matches(logs, expected, prefix=""):
    for key, value in expected.items():
        assert prefix + key in logs, f"{prefix + key} missing from {sorted(logs)}"
        np.testing.assert_allclose(logs[prefix + key], value, rtol=2e-5, atol=2e-6, err_msg=prefix + key)


def test_fit_and_evaluate_log_every_class():
    x, y, w = data()
    model = model_of(metrics_=per_class_metrics())
    # 500 = 7 * 64 + 52 and 200 = 3 * 64 + 8: uneven last batches
    history = model.fit(x[:500], y[:500], sample_weight=w[:500], batch_size=64, epochs=1, verbose=0,
                        validation_data=(x[500:], y[500:], w[500:]))
    for key in ("precision/cat", "recall/fish", "auc/dog", "sens/bird", "f1/cat", "iou/fish", "val_iou/dog"):
        assert len(history.history[key]) == 1, key
    p_val = model.predict(x[500:], batch_size=64, verbose=0)
    assert_matches({k: v[-1] for k, v in history.history.items()}, references(y[500:], p_val, w[500:]), "val_")

    logs = model.evaluate(x, y, sample_weight=w, batch_size=97, verbose=0, return_dict=True)
    assert_matches(logs, references(y, model.predict(x, batch_size=97, verbose=0), w))


# F1Score's overall value is one per class: Keras's progress bar shows the mean of such a log from 3.13 and
# fails on it before (with keras.metrics.F1Score as with ours)
@changed_in("keras", "3.13", "the progress bar's mean of an array-valued log")
def test_one_hot_labels_and_the_progress_bar():
    x, y, w = data(300, seed=1)
    onehot = np.eye(4, dtype=np.float32)[y]
    model = model_of("categorical_crossentropy", [PerClass(ak.Precision(name="precision"), class_names=NAMES),
                                                  PerClass(ak.F1Score(name="f1"), class_names=NAMES)])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        model.fit(x, onehot, sample_weight=w, batch_size=50, epochs=1, verbose=2)
    assert "precision/cat: " in out.getvalue() and "f1/fish: " in out.getvalue()
    logs = model.evaluate(x, onehot, sample_weight=w, batch_size=71, verbose=0, return_dict=True)
    p = model.predict(x, batch_size=71, verbose=0)
    expected = references(y, p, w)
    assert_matches(logs, {k: v for k, v in expected.items() if k.startswith(("precision", "f1/"))})


def test_tensorboard_gets_every_class(tmp_path):
    tf = pytest.importorskip("tensorflow")
    pytest.importorskip("tensorboard")  # the TensorBoard callback's writer
    x, y, w = data(200, seed=2)
    model = model_of(metrics_=[PerClass(ak.Recall(name="recall"), class_names=NAMES)])
    model.fit(x, y, batch_size=64, epochs=1, verbose=0, callbacks=[keras.callbacks.TensorBoard(str(tmp_path))])
    tags = set()
    for path in tmp_path.rglob("events.out.tfevents.*"):
        for event in tf.compat.v1.train.summary_iterator(str(path)):
            tags.update(v.tag for v in event.summary.value)
    assert {f"epoch_recall/{c}" for c in NAMES} <= tags, sorted(tags)


def test_exact_auc_per_class_equals_sklearn():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 3, 900)
    p = rng.random((900, 3)).astype(np.float16).astype(np.float32)  # float16 values: ExactAUC is exact
    w = rng.random(900).astype(np.float32)
    m = PerClass(ak.ExactAUC(name="auc"), class_names=["a", "b", "c"])
    for part in (slice(0, 10), slice(10, 611), slice(611, None)):
        m.update_state(y[part], p[part], sample_weight=w[part])
    r = m.result()
    onehot = np.eye(3)[y]
    for i, c in enumerate("abc"):
        assert float(r[f"auc/{c}"]) == pytest.approx(metrics.roc_auc_score(onehot[:, i], p[:, i], sample_weight=w),
                                                     rel=1e-6)  # float32 results
    assert float(r["auc"]) == pytest.approx(metrics.roc_auc_score(onehot.ravel(), p.ravel(),
                                                                  sample_weight=np.repeat(w, 3)), rel=1e-6)


def test_reset_serialise_and_bad_input():
    m = PerClass(ak.Recall(name="recall"), num_classes=2)
    m.update_state([0, 1], [[0.9, 0.1], [0.2, 0.8]])
    assert float(m.result()["recall/1"]) == 1.0
    m.reset_state()
    assert float(m.result()["recall/1"]) == 0.0
    clone = PerClass.from_config(m.get_config())
    assert clone.class_names == ["0", "1"] and isinstance(clone.metric, ak.Recall)
    with pytest.raises(ValueError, match="num_classes=2"):
        m.update_state([0, 1], [[0.9, 0.1, 0.0], [0.2, 0.8, 0.0]])
    with pytest.raises(ValueError, match="class_names"):
        PerClass(ak.Precision())
    with pytest.raises(ValueError, match="class_id"):
        PerClass(ak.Precision(class_id=1), num_classes=3)
    with pytest.raises(TypeError, match="PerClass wraps"):
        PerClass(ak.MeanSquaredError(), num_classes=3)


def test_docstring_example():
    import doctest

    from accumetrics.keras import per_class

    assert doctest.testmod(per_class, optionflags=doctest.ELLIPSIS).failed == 0
