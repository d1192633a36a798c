"""OneVsRestAUC against sklearn's roc_auc_score(multi_class="ovr") and average_precision_score."""

import numpy as np
import pytest

import keras
from accumetrics import keras as ak

sk = pytest.importorskip("sklearn.metrics")

C = 4


def reference(curve, y, p, w, average):
    if curve == "ROC":
        return sk.roc_auc_score(y, p, multi_class="ovr", average=average, sample_weight=w, labels=range(C))
    return sk.average_precision_score(np.eye(C)[y], p, average=average, sample_weight=w)


def probabilities(rng, n, resolution=64):
    """Rows of multiples of 1/resolution summing to 1: float16 values, with many ties."""
    return (rng.multinomial(resolution, rng.dirichlet(np.ones(C)), size=n) / resolution).astype(np.float32)


@pytest.mark.parametrize("curve", ["ROC", "PR"])
@pytest.mark.parametrize("average", ["macro", "weighted", "micro", None])
@pytest.mark.parametrize("one_hot", [False, True])
def test_equal_to_sklearn_for_float16_scores(feeder, rng, curve, average, one_hot):
    n = 1500
    y = rng.integers(0, C, n)
    p = probabilities(rng, n, resolution=64 if one_hot else 1024)
    w = rng.random(n).astype(np.float32)
    labels = np.eye(C, dtype=np.float32)[y] if one_hot else y.astype(np.int32)
    m = ak.OneVsRestAUC(C, curve=curve, average=average, dtype="float64")
    for part in (slice(0, 7), slice(7, 1100), slice(1100, None)):  # uneven batches
        feeder.update(m, labels[part], p[part], w[part])
    np.testing.assert_allclose(np.asarray(m.result()), reference(curve, y, p, w, average), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("average", ["macro", "weighted", "micro"])
def test_float32_scores_within_the_bound(rng, average):
    n = 5000
    y = rng.integers(0, C, n)
    logits = rng.normal(size=(n, C)) + 1.5 * np.eye(C)[y]
    p = (np.exp(logits) / np.exp(logits).sum(1, keepdims=True)).astype(np.float32)
    m = ak.OneVsRestAUC(C, average=average)
    m.update_state(y, p)
    bound = float(m.error_bound())
    assert 0 < bound < 1e-3
    assert abs(float(m.result()) - reference("ROC", y, p, None, average)) <= bound + 1e-6


def test_a_missing_class_is_nan_as_in_sklearn(rng):
    y = rng.integers(0, C - 1, 200)  # class 3 never occurs
    p = probabilities(rng, 200)
    m = ak.OneVsRestAUC(C, average=None)
    m.update_state(y, p)
    per_class = np.asarray(m.result())
    with pytest.warns(pytest.importorskip("sklearn.exceptions").UndefinedMetricWarning):
        expected = sk.roc_auc_score(y, p, multi_class="ovr", average=None, labels=range(C))
    np.testing.assert_allclose(per_class[:3], expected[:3], rtol=1e-6)
    assert np.isnan(per_class[3]) and np.isnan(expected[3])
    macro = ak.OneVsRestAUC(C)
    macro.update_state(y, p)
    assert np.isnan(float(macro.result()))
    ap = ak.OneVsRestAUC(C, curve="PR", average=None)
    ap.update_state(y, p)
    assert float(np.asarray(ap.result())[3]) == 0.0


def test_fit_and_evaluate(rng):
    n = 600
    x = rng.normal(size=(n, 6)).astype(np.float32)
    y = np.argmax(x[:, :C] + rng.normal(size=(n, C)), axis=1).astype(np.int32)
    w = rng.random(n).astype(np.float32)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(C, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  weighted_metrics=[ak.OneVsRestAUC(C, name="auc_macro"),
                                    ak.OneVsRestAUC(C, average="weighted", name="auc_weighted"),
                                    ak.OneVsRestAUC(C, average="micro", name="auc_micro"),
                                    ak.OneVsRestAUC(C, curve="PR", name="ap")])
    history = model.fit(x, y, sample_weight=w, batch_size=64, epochs=1, verbose=0)
    assert "auc_macro" in history.history
    logs = model.evaluate(x, y, sample_weight=w, batch_size=97, verbose=0, return_dict=True)
    p = model.predict(x, batch_size=97, verbose=0)
    for name, curve, average in (("auc_macro", "ROC", "macro"), ("auc_weighted", "ROC", "weighted"),
                                 ("auc_micro", "ROC", "micro")):
        assert abs(logs[name] - reference(curve, y, p, w, average)) <= 1e-3, name
    assert abs(logs["ap"] - reference("PR", y, p, w, "macro")) <= 1e-2


def test_config_and_bad_input():
    m = ak.OneVsRestAUC(3, curve="PR", average="weighted", name="ap")
    assert ak.OneVsRestAUC.from_config(m.get_config()).get_config() == m.get_config()
    with pytest.raises(ValueError, match="num_classes"):
        ak.OneVsRestAUC(1)
    with pytest.raises(ValueError, match="average"):
        ak.OneVsRestAUC(3, average="samples")
    with pytest.raises(ValueError, match=r"num_classes=3\)"):
        m.update_state([0, 3], np.full((2, 3), 1 / 3, np.float32))
    with pytest.raises(ValueError, match="one column per class"):
        m.update_state([0, 1], np.full((2, 4), 0.25, np.float32))


def test_docstring_example():
    import doctest

    from accumetrics.keras import one_vs_rest

    assert doctest.testmod(one_vs_rest, optionflags=doctest.ELLIPSIS).failed == 0
