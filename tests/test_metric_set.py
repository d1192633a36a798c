"""MetricSet: many metrics from one pass per batch, equal to sklearn's functions on all the data."""

import pickle

import numpy as np
import pytest

import accumetrics as am

sk = pytest.importorskip("sklearn.metrics")

C = 4
MULTICLASS = {
    "accuracy": "accuracy_score",
    "balanced": "balanced_accuracy_score",
    "precision_macro": ("precision_score", {"average": "macro"}),
    "recall_weighted": ("recall_score", {"average": "weighted"}),
    "f1_micro": ("f1_score", {"average": "micro"}),
    "f1_each": ("f1_score", {"average": None}),
    "f2": ("fbeta_score", {"beta": 2.0, "average": "macro"}),
    "cm": "confusion_matrix",
    "auc_macro": ("roc_auc_score", {"average": "macro"}),
    "auc_weighted": ("roc_auc_score", {"average": "weighted"}),
    "auc_micro": ("roc_auc_score", {"average": "micro"}),
    "ap_macro": ("average_precision_score", {"average": "macro"}),
}


def multiclass_data(rng, n=2000):
    y = rng.integers(0, C, n)
    p = rng.dirichlet(np.ones(C), n) + 0.5 * np.eye(C)[y]
    p = (p / p.sum(1, keepdims=True)).astype(np.float32)
    return y, p, rng.random(n)


def sklearn_values(y, p, w):
    pred, labels, onehot = np.argmax(p, 1), list(range(C)), np.eye(C)[y]
    return {
        "accuracy": sk.accuracy_score(y, pred, sample_weight=w),
        "balanced": sk.balanced_accuracy_score(y, pred, sample_weight=w),
        "precision_macro": sk.precision_score(y, pred, average="macro", labels=labels, sample_weight=w),
        "recall_weighted": sk.recall_score(y, pred, average="weighted", labels=labels, sample_weight=w),
        "f1_micro": sk.f1_score(y, pred, average="micro", labels=labels, sample_weight=w),
        "f1_each": sk.f1_score(y, pred, average=None, labels=labels, sample_weight=w),
        "f2": sk.fbeta_score(y, pred, beta=2.0, average="macro", labels=labels, sample_weight=w),
        "cm": sk.confusion_matrix(y, pred, labels=labels, sample_weight=w),
        "auc_macro": sk.roc_auc_score(y, p, multi_class="ovr", average="macro", sample_weight=w),
        "auc_weighted": sk.roc_auc_score(y, p, multi_class="ovr", average="weighted", sample_weight=w),
        "auc_micro": sk.roc_auc_score(y, p, multi_class="ovr", average="micro", sample_weight=w),
        "ap_macro": sk.average_precision_score(onehot, p, average="macro", sample_weight=w),
    }


def batches(n, rng):
    cuts = np.sort(rng.choice(np.arange(1, n), 6, replace=False))
    return [slice(a, b) for a, b in zip([0, *cuts], [*cuts, n])]


@pytest.mark.parametrize("weighted", [False, True])
def test_multiclass_equals_sklearn_in_uneven_batches(rng, weighted):
    y, p, w = multiclass_data(rng)
    w = w if weighted else None
    ms = am.MetricSet(MULTICLASS, num_classes=C)
    for part in batches(len(y), rng):
        ms.update(y[part], p[part], None if w is None else w[part])
    got, expected = ms.result(), sklearn_values(y, p, w)
    for name in MULTICLASS:
        np.testing.assert_allclose(got[name], expected[name], rtol=1e-10, atol=1e-12, err_msg=name)
    # shared state: one confusion matrix, one score histogram per class and one for micro
    kinds = [key[0] for key in ms.accumulators]
    assert kinds.count("confusion") == 1 and kinds.count("ranking") == C + 1


def test_merge_copy_and_pickle_equal_one_pass(rng):
    y, p, w = multiclass_data(rng, 1200)
    whole = am.MetricSet(MULTICLASS, num_classes=C).update(y, p, w)
    left = am.MetricSet(MULTICLASS, num_classes=C).update(y[:500], p[:500], w[:500])
    right = am.MetricSet(MULTICLASS, num_classes=C).update(y[500:], p[500:], w[500:])
    restored = pickle.loads(pickle.dumps(right))
    for merged in (left + restored, left.copy().merge(right)):
        for name, value in whole.result().items():
            np.testing.assert_allclose(merged.result()[name], value, rtol=1e-12, err_msg=name)
    assert left.result()["accuracy"] == pytest.approx(sk.accuracy_score(y[:500], np.argmax(p[:500], 1),
                                                                        sample_weight=w[:500]))
    with pytest.raises(ValueError, match="cannot merge"):
        left.merge(am.MetricSet(["accuracy_score"], num_classes=C))


def test_binary_with_calibration(rng):
    n = 3000
    y = rng.integers(0, 2, n)
    p = np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0, 1)
    w = rng.random(n)
    ms = am.MetricSet({"precision": "precision_score", "auc": "roc_auc_score", "ap": "average_precision_score",
                       "ece": ("expected_calibration_error", {"n_bins": 10}), "mce": ("maximum_calibration_error",
                                                                                      {"n_bins": 10}),
                       "brier": "brier_score_loss"}, num_classes=2)
    for part in batches(n, rng):
        ms.update(y[part], p[part], w[part])
    r = ms.result()
    assert r["precision"] == pytest.approx(sk.precision_score(y, p > 0.5, sample_weight=w), rel=1e-12)
    assert r["auc"] == pytest.approx(sk.roc_auc_score(y, p, sample_weight=w), rel=1e-12)
    assert r["ap"] == pytest.approx(sk.average_precision_score(y, p, sample_weight=w), rel=1e-12)
    assert r["brier"] == pytest.approx(sk.brier_score_loss(y, p, sample_weight=w), rel=1e-12)
    assert r["ece"] == pytest.approx(am.expected_calibration_error(y, p, n_bins=10, sample_weight=w), rel=1e-12)
    assert r["mce"] == pytest.approx(am.maximum_calibration_error(y, p, n_bins=10, sample_weight=w), rel=1e-12)
    assert sum(key[0] == "calibration" for key in ms.accumulators) == 1  # ECE and MCE share their bins


def test_regression(rng):
    y = rng.normal(size=999)
    pred = y + rng.normal(scale=0.3, size=999)
    w = rng.random(999)
    ms = am.MetricSet(["mean_absolute_error", "mean_squared_error", "root_mean_squared_error", "r2_score",
                       "explained_variance_score"])
    for part in batches(999, rng):
        ms.update(y[part], pred[part], w[part])
    r = ms.result()
    for name in ("mean_absolute_error", "mean_squared_error", "root_mean_squared_error", "r2_score",
                 "explained_variance_score"):
        assert r[name] == pytest.approx(getattr(sk, name)(y, pred, sample_weight=w), rel=1e-10), name
    assert len(ms.accumulators) == 1


def test_bad_input():
    with pytest.raises(ValueError, match="unknown metric 'f1'"):
        am.MetricSet(["f1"], num_classes=2)
    with pytest.raises(ValueError, match="need num_classes"):
        am.MetricSet(["accuracy_score"])
    with pytest.raises(ValueError, match="given twice"):
        am.MetricSet(["accuracy_score", "accuracy_score"], num_classes=2)
    ms = am.MetricSet(["accuracy_score"], num_classes=3)
    with pytest.raises(ValueError, match="labels outside"):
        ms.update([0, 3], np.full((2, 3), 1 / 3))
    with pytest.raises(ValueError, match="columns"):
        ms.update([0, 1], np.full((2, 4), 0.25))
    with pytest.raises(ValueError, match="different lengths|length"):
        ms.update([0, 1, 2], np.full((2, 3), 1 / 3))
    assert ms.result() == {"accuracy_score": pytest.approx(float("nan"), nan_ok=True)}


def test_docstring_example():
    import doctest

    from accumetrics import metric_set

    assert doctest.testmod(metric_set, optionflags=doctest.ELLIPSIS).failed == 0
