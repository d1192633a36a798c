"""accumetrics' classification functions against sklearn.metrics on generated and adversarial data.

Each case runs both implementations and requires the same outcome: equal values (exact for
integers, within 1e-12 for floats), the same result types, the same warning categories, or
an exception of the same kind.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import accumetrics
from accumetrics import exceptions
from peer_versions import needs_sklearn
from property_depth import examples

sk = pytest.importorskip("sklearn.metrics")

SETTINGS = settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(fn, *args, **kwargs):
    """(result, exception, warning categories) of one call."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result, error = fn(*args, **kwargs), None
        except Exception as e:  # noqa: BLE001 - the exception itself is compared
            result, error = None, e
    categories = {w.category.__name__ for w in caught if not issubclass(w.category, (DeprecationWarning, RuntimeWarning))}
    return result, error, categories


def assert_same(ours, ref, path="result"):
    if ref is None:
        assert ours is None, f"{path}: expected None, got {ours!r}"
    elif isinstance(ref, (tuple, list)):
        assert isinstance(ours, type(ref)) and len(ours) == len(ref), f"{path}: {ours!r} vs {ref!r}"
        for i, (a, b) in enumerate(zip(ours, ref)):
            assert_same(a, b, f"{path}[{i}]")
    elif isinstance(ref, dict):
        assert list(ours) == list(ref), f"{path}: keys {list(ours)} vs {list(ref)}"
        for key in ref:
            assert_same(ours[key], ref[key], f"{path}[{key!r}]")
    elif isinstance(ref, str):
        assert ours == ref, f"{path}:\n{ours}\nvs sklearn\n{ref}"
    elif isinstance(ref, np.ndarray):
        assert isinstance(ours, np.ndarray), f"{path}: {type(ours)}"
        assert ours.shape == ref.shape, f"{path}: shape {ours.shape} vs {ref.shape}"
        assert (ours.dtype.kind == "f") == (ref.dtype.kind == "f"), f"{path}: dtype {ours.dtype} vs {ref.dtype}"
        if ref.dtype.kind in "iub":
            np.testing.assert_array_equal(ours, ref, err_msg=path)
        else:
            np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-12, equal_nan=True, err_msg=path)
    else:
        assert type(ours) is type(ref) or (isinstance(ours, float) and isinstance(ref, float)), (
            f"{path}: type {type(ours)} vs {type(ref)}"
        )
        np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-12, equal_nan=True, err_msg=path)


def compare(name, *args, **kwargs):
    """Calls accumetrics.<name> and sklearn.metrics.<name> alike and requires the same outcome."""
    ours, our_error, our_warnings = run(getattr(accumetrics, name), *args, **kwargs)
    ref, ref_error, ref_warnings = run(getattr(sk, name), *args, **kwargs)
    if ref_error is not None:
        assert our_error is not None, f"{name}: sklearn raised {ref_error!r}, accumetrics returned {ours!r}"
        for base in (ValueError, TypeError, ZeroDivisionError):
            if isinstance(ref_error, base):
                assert isinstance(our_error, base), f"{name}: {our_error!r} vs sklearn's {ref_error!r}"
        return None
    if our_error is not None:
        raise AssertionError(f"{name}: accumetrics raised {our_error!r}; sklearn returned {ref!r}") from our_error
    assert_same(ours, ref, name)
    assert our_warnings == ref_warnings, f"{name}: warnings {our_warnings} vs sklearn's {ref_warnings}"
    return ours


# ---------------------------------------------------------------------------------------------
# Generated data


LABEL_KINDS = ("int", "str", "bool", "float", "negative", "sparse_int")


def as_kind(codes: np.ndarray, kind: str):
    if kind == "str":
        return np.array(["ant", "bee", "cat", "dog", "eel", "fox"])[codes]
    if kind == "bool":
        return (codes % 2).astype(bool)
    if kind == "float":
        return codes.astype(np.float64)
    if kind == "negative":
        return codes - 2
    if kind == "sparse_int":
        return codes * 1000 + 7
    return codes


@st.composite
def labelled(draw, max_classes=5):
    n = draw(st.integers(1, 30))
    classes = draw(st.integers(1, max_classes))
    kind = draw(st.sampled_from(LABEL_KINDS))
    codes = st.lists(st.integers(0, classes - 1), min_size=n, max_size=n)
    y_true = np.array(draw(codes))
    if draw(st.booleans()):
        y_pred = np.array(draw(codes))
    else:  # a prediction that misses classes, or hits y_true often
        y_pred = np.where(np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n))), y_true, 0)
    weight = None
    if draw(st.booleans()):
        weight = np.array(draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 1.25, 3.0, 0.1, 7.3]), min_size=n, max_size=n)))
    return as_kind(y_true, kind), as_kind(y_pred, kind), weight, kind


@st.composite
def label_subsets(draw, y_true, y_pred, kind):
    """None, or a list of labels: some present, maybe some absent, in any order."""
    if draw(st.booleans()):
        return None
    present = sorted(set(np.concatenate([y_true, y_pred]).tolist()))
    absent = {"str": ["zzz"], "bool": [], "float": [9.0], "negative": [17]}.get(kind, [99])
    pool = present + absent
    chosen = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=len(pool), unique=True))
    return chosen


@st.composite
def labelled_with_labels(draw):
    """labelled() data with, in place of its kind, a label_subsets() drawn for it."""
    y_true, y_pred, weight, kind = draw(labelled())
    return y_true, y_pred, weight, draw(label_subsets(y_true, y_pred, kind))


@st.composite
def multilabel(draw):
    n = draw(st.integers(1, 20))
    width = draw(st.integers(2, 5))
    cells = st.lists(st.integers(0, 1), min_size=n * width, max_size=n * width)
    y_true = np.array(draw(cells)).reshape(n, width)
    y_pred = np.array(draw(cells)).reshape(n, width)
    weight = None
    if draw(st.booleans()):
        weight = np.array(draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, 0.3]), min_size=n, max_size=n)))
    return y_true, y_pred, weight


AVERAGES = [None, "binary", "micro", "macro", "weighted", "samples"]
ZERO_DIVISION = ["warn", 0, 1, np.nan]
SET_WISE = ["precision_score", "recall_score", "f1_score", "jaccard_score"]


@SETTINGS
@given(data=labelled_with_labels(), choice=st.data())
def test_confusion_matrix(data, choice):
    y_true, y_pred, weight, labels = data
    normalize = choice.draw(st.sampled_from([None, "true", "pred", "all"]))
    compare("confusion_matrix", y_true, y_pred, labels=labels, sample_weight=weight, normalize=normalize)


@SETTINGS
@given(data=labelled())
@example(data=(np.array([0]), np.array([0]), None, "int"))  # one class: adjusted is 0 / 0, nan
def test_accuracy_family(data):
    y_true, y_pred, weight, _ = data
    for normalize in (True, False):
        compare("accuracy_score", y_true, y_pred, normalize=normalize, sample_weight=weight)
    for adjusted in (False, True):
        compare("balanced_accuracy_score", y_true, y_pred, sample_weight=weight, adjusted=adjusted)
    compare("matthews_corrcoef", y_true, y_pred, sample_weight=weight)
    compare("hamming_loss", y_true, y_pred, sample_weight=weight)


@SETTINGS
@given(data=labelled_with_labels(), choice=st.data())
def test_set_wise_scores(data, choice):
    y_true, y_pred, weight, labels = data
    average = choice.draw(st.sampled_from(AVERAGES))
    zero_division = choice.draw(st.sampled_from(ZERO_DIVISION))
    pos_label = choice.draw(st.sampled_from([1, "bee", True, 5]))
    kwargs = dict(labels=labels, average=average, sample_weight=weight, zero_division=zero_division, pos_label=pos_label)
    for name in SET_WISE:
        compare(name, y_true, y_pred, **kwargs)
    compare("fbeta_score", y_true, y_pred, beta=choice.draw(st.sampled_from([0.0, 0.5, 2.0, np.inf])), **kwargs)
    compare("precision_recall_fscore_support", y_true, y_pred, **kwargs)


@SETTINGS
@given(data=labelled_with_labels(), choice=st.data())
def test_classification_report(data, choice):
    y_true, y_pred, weight, labels = data
    zero_division = choice.draw(st.sampled_from(ZERO_DIVISION))
    digits = choice.draw(st.integers(0, 5))
    for output_dict in (False, True):
        compare("classification_report", y_true, y_pred, labels=labels, sample_weight=weight, digits=digits,
                output_dict=output_dict, zero_division=zero_division)


@SETTINGS
@given(data=multilabel(), choice=st.data())
def test_multilabel(data, choice):
    y_true, y_pred, weight = data
    width = y_true.shape[1]
    labels = choice.draw(st.none() | st.lists(st.integers(0, width - 1), min_size=1, max_size=width, unique=True))
    average = choice.draw(st.sampled_from(AVERAGES))
    zero_division = choice.draw(st.sampled_from(ZERO_DIVISION))
    for name in SET_WISE:
        compare(name, y_true, y_pred, labels=labels, average=average, sample_weight=weight, zero_division=zero_division)
    compare("precision_recall_fscore_support", y_true, y_pred, labels=labels, average=average, sample_weight=weight,
            zero_division=zero_division)
    compare("accuracy_score", y_true, y_pred, sample_weight=weight)
    compare("hamming_loss", y_true, y_pred, sample_weight=weight)
    for output_dict in (False, True):
        compare("classification_report", y_true, y_pred, labels=labels, sample_weight=weight, output_dict=output_dict,
                zero_division=zero_division)
    for name in ("confusion_matrix", "matthews_corrcoef", "balanced_accuracy_score"):
        compare(name, y_true, y_pred)


@SETTINGS
@given(data=labelled_with_labels())
def test_cohen_kappa(data):
    y_true, y_pred, weight, labels = data
    for weights in (None, "linear", "quadratic"):
        compare("cohen_kappa_score", y_true, y_pred, labels=labels, weights=weights, sample_weight=weight)


@needs_sklearn("cohen_kappa_score", "replace_undefined_by")
@SETTINGS
@given(data=labelled_with_labels())
def test_cohen_kappa_replace_undefined_by(data):
    y_true, y_pred, weight, labels = data
    compare("cohen_kappa_score", y_true, y_pred, labels=labels, replace_undefined_by=0.5)


@st.composite
def scored(draw):
    n = draw(st.integers(1, 25))
    classes = draw(st.integers(2, 5))
    y_true = np.array(draw(st.lists(st.integers(0, classes - 1), min_size=n, max_size=n)))
    # Few distinct values, so ties are common.
    raw = np.array(draw(st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.7, 1.0]), min_size=n * classes,
                                 max_size=n * classes))).reshape(n, classes)
    weight = None
    if draw(st.booleans()):
        weight = np.array(draw(st.lists(st.sampled_from([0.5, 1.0, 2.0, 0.0]), min_size=n, max_size=n)))
    return y_true, raw, classes, weight


@SETTINGS
@given(data=scored(), choice=st.data())
def test_top_k_accuracy(data, choice):
    y_true, scores, classes, weight = data
    k = choice.draw(st.integers(1, classes + 1))
    normalize = choice.draw(st.booleans())
    labels = list(range(classes)) if choice.draw(st.booleans()) else None
    compare("top_k_accuracy_score", y_true, scores, k=k, normalize=normalize, sample_weight=weight, labels=labels)
    if classes == 2:
        compare("top_k_accuracy_score", y_true, scores[:, 1], k=k, sample_weight=weight)


@SETTINGS
@given(data=scored(), choice=st.data())
def test_probabilistic_losses(data, choice):
    y_true, raw, classes, weight = data
    proba = raw + 0.05
    proba = proba / proba.sum(axis=1, keepdims=True)
    dtype = choice.draw(st.sampled_from([np.float64, np.float32]))
    proba = proba.astype(dtype)
    names = np.array(["ant", "bee", "cat", "dog", "eel"])
    y = names[y_true] if choice.draw(st.booleans()) else y_true
    labels = names[:classes].tolist() if isinstance(y[0], str) else list(range(classes))
    for normalize in (True, False):
        compare("log_loss", y, proba, normalize=normalize, sample_weight=weight, labels=labels)
    compare("log_loss", y, proba, sample_weight=weight)
    compare("brier_score_loss", y, proba, sample_weight=weight, labels=labels)
    for scale in (True, False, "auto"):
        compare("brier_score_loss", y, proba, sample_weight=weight, labels=labels, scale_by_half=scale)
    binary = y_true % 2
    p1 = proba[:, 0]
    compare("log_loss", binary, p1, sample_weight=weight)
    compare("brier_score_loss", binary, p1, sample_weight=weight)
    compare("brier_score_loss", names[binary], p1, sample_weight=weight, pos_label="bee")
    compare("brier_score_loss", names[binary], p1, sample_weight=weight)
    compare("brier_score_loss", binary * 3 + 2, p1, sample_weight=weight)


# ---------------------------------------------------------------------------------------------
# Adversarial and degenerate inputs


def every_label_function(y_true, y_pred, **kwargs):
    for name in ("confusion_matrix", "accuracy_score", "balanced_accuracy_score", "matthews_corrcoef",
                 "hamming_loss", "cohen_kappa_score", "classification_report", *SET_WISE,
                 "precision_recall_fscore_support"):
        compare(name, y_true, y_pred, **kwargs)


@pytest.mark.parametrize(
    "y_true, y_pred",
    [
        ([1], [1]),
        ([0], [1]),
        (["a"], ["a"]),
        ([True, True], [True, True]),
        ([2, 2, 2], [2, 2, 2]),
        ([0, 0, 0], [1, 1, 1]),
        ([0, 1, 2], [0.0, 1.0, 3.0]),  # float predictions add a label: the labels become floats
        ([0, 1, 2], [0.0, 1.0, 2.0]),
        ([True, False, True], [1, 0, 2]),
        ([-5, 3, 10**6], [3, 3, -5]),
        (np.array([[1], [0], [1]]), np.array([1, 1, 0])),  # column vector
        (np.array([0, 1], dtype=np.int8), np.array([1, 1], dtype=np.uint16)),
        (np.array(["x", "y"], dtype=object), np.array(["y", "y"], dtype=object)),
    ],
)
def test_degenerate_labels(y_true, y_pred):
    every_label_function(y_true, y_pred)
    every_label_function(y_true, y_pred, sample_weight=np.arange(1, len(y_pred) + 1) / 4)


@pytest.mark.parametrize(
    "y_true, y_pred",
    [
        ([0, 1, 2], [0, 1]),  # different lengths
        ([], []),  # empty
        ([0.5, 1.0], [0, 1]),  # continuous
        ([0, 1], ["a", "b"]),  # strings and numbers
        ([[0, 1], [1, 0]], [0, 1]),  # multilabel and binary
        ([[0, 1, 2], [2, 1, 0]], [[0, 1, 2], [2, 1, 0]]),  # multiclass-multioutput
        ([[0, 1], [1, 0]], [[0, 1, 1], [1, 0, 1]]),  # different numbers of labels
        ([np.nan, 1], [0, 1]),
        (np.zeros((2, 2, 2)), np.zeros((2, 2, 2))),
        (None, [0, 1]),
    ],
)
def test_bad_targets_raise_like_sklearn(y_true, y_pred):
    every_label_function(y_true, y_pred)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(sample_weight=[0, 0, 0]),
        dict(sample_weight=[1, 2]),
        dict(sample_weight=[[1, 2, 3]]),
        dict(sample_weight=[1, np.nan, 2]),
        dict(sample_weight=2.0),
        dict(sample_weight=np.array([1, 0, 3])),  # integer weights: integer confusion matrix
        dict(sample_weight=np.array([True, False, True])),
    ],
)
def test_sample_weight_rules(kwargs):
    every_label_function([0, 1, 1], [0, 1, 0], **kwargs)


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("f1_score", dict(average="bogus")),
        ("f1_score", dict(zero_division="yes")),
        ("f1_score", dict(zero_division=0.5)),
        ("jaccard_score", dict(zero_division=np.nan)),
        ("fbeta_score", dict(beta=-1)),
        ("confusion_matrix", dict(normalize="rows")),
        ("confusion_matrix", dict(labels=[])),
        ("confusion_matrix", dict(labels=[7, 8])),
        ("confusion_matrix", dict(labels=[1, 1, 0])),
        ("accuracy_score", dict(normalize="yes")),
        ("classification_report", dict(digits=-1)),
        ("classification_report", dict(target_names=["a"])),
        ("classification_report", dict(labels=[0], target_names=["a", "b"])),
        ("classification_report", dict(labels=[0, 1], target_names=["zero", "one"])),
        ("cohen_kappa_score", dict(weights="cubic")),
        ("cohen_kappa_score", dict(labels=[7])),
        pytest.param("cohen_kappa_score", dict(replace_undefined_by=2.0),
                     marks=needs_sklearn("cohen_kappa_score", "replace_undefined_by")),
        ("precision_score", dict(pos_label=3)),
        ("precision_score", dict(average="micro", pos_label=0)),
        ("recall_score", dict(average="samples")),
    ],
)
def test_bad_arguments_like_sklearn(name, kwargs):
    compare(name, [0, 1, 1, 0], [0, 1, 0, 0], **kwargs)


def test_multiclass_with_binary_average_raises():
    compare("f1_score", [0, 1, 2], [0, 1, 1])
    compare("f1_score", [[0, 1], [1, 1]], [[0, 1], [0, 1]])
    compare("f1_score", [[0, 1], [1, 1]], [[0, 1], [0, 1]], average="macro", labels=[0, 3])
    compare("f1_score", [[0, 1], [1, 1]], [[0, 1], [0, 1]], average="macro", labels=[-1])


def test_string_labels_with_numeric_pos_label():
    compare("precision_score", ["a", "a"], ["a", "a"])
    compare("precision_score", ["a", "b"], ["a", "a"], pos_label="b")
    compare("precision_score", ["a", "b"], ["a", "a"])


def test_undefined_metric_warning_is_a_user_warning():
    assert issubclass(exceptions.UndefinedMetricWarning, UserWarning)
    with pytest.warns(exceptions.UndefinedMetricWarning):
        accumetrics.precision_score([0, 1], [0, 0])
    with pytest.raises(ValueError):
        accumetrics.f1_score([0, 1], [0, 1], average="bogus")
    with pytest.raises(TypeError):
        accumetrics.f1_score([0, 1], [0, 1], average="bogus")


def test_negative_weights_give_sklearns_values():
    y, p, w = [0, 1, 1, 0, 1, 2], [0, 1, 0, 0, 1, 2], [1.0, -0.5, 2.0, -1.0, 0.3, 0.7]
    for name in ("f1_score", "precision_score", "recall_score"):
        compare(name, y, p, sample_weight=w, average="macro")
    compare("accuracy_score", y, p, sample_weight=w)
    compare("confusion_matrix", y, p, sample_weight=w)


def test_top_k_edge_cases():
    scores = np.array([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8], [0.4, 0.4, 0.2]])
    compare("top_k_accuracy_score", [1, 2, 0], scores, k=1)
    compare("top_k_accuracy_score", [1, 2, 0], scores, k=1, labels=[0, 1, 2])
    compare("top_k_accuracy_score", [1, 2, 0], scores, k=1, labels=[2, 1, 0])
    compare("top_k_accuracy_score", [1, 2, 0], scores, k=1, labels=[0, 1, 1])
    compare("top_k_accuracy_score", [1, 2, 0], scores, k=1, labels=[0, 1, 2, 3])
    compare("top_k_accuracy_score", [1, 2, 0], scores[:, :2], k=1)
    compare("top_k_accuracy_score", [1, 0, 0], np.array([0.2, 3.0, -1.0]), k=1)
    compare("top_k_accuracy_score", [1, 0, 0], scores, k=1)
    compare("top_k_accuracy_score", [1, 2, 0], scores, k=0)
    compare("top_k_accuracy_score", ["b", "c", "a"], scores, k=2)


@needs_sklearn("log_loss", "y_proba")
def test_log_loss_y_pred_is_deprecated():
    compare("log_loss", [0, 1], y_pred=[0.3, 0.8])
    compare("log_loss", [0, 1], [0.3, 0.8], y_pred=[0.3, 0.8])


def test_probabilistic_edge_cases():
    compare("log_loss", [0, 1], [[0.5, 0.5], [0.2, 0.9]])  # rows not summing to one: a warning
    compare("log_loss", [0, 0], [0.5, 0.5])
    compare("log_loss", [0, 0], [0.5, 0.5], labels=[0, 1])
    compare("log_loss", [0, 2], [0.5, 0.5], labels=[0, 1])
    compare("log_loss", [0, 1, 2], [[0.5, 0.5], [0.2, 0.8], [0.1, 0.9]])
    compare("log_loss", [0, 1], [[0.0, 1.0], [1.0, 0.0]])
    compare("log_loss", [0, 1], [[1.5, -0.5], [0.0, 1.0]])
    compare("log_loss", [[0, 1], [1, 1]], [[0.2, 0.8], [0.5, 0.5]])
    compare("log_loss", [0, 1], [0.3, np.nan])
    compare("brier_score_loss", [0, 1, 2], [0.1, 0.5, 0.9])
    compare("brier_score_loss", ["a", "b"], [0.1, 0.5])
    compare("brier_score_loss", [0, 1], [0.1, 1.5])
    compare("brier_score_loss", [-1, 1, 1], [0.1, 0.5, 0.2])
    compare("brier_score_loss", [2, 2], [0.1, 0.5])
    compare("brier_score_loss", [0, 1], [[0.9, 0.1], [0.4, 0.6]], scale_by_half=False)
    compare("brier_score_loss", [0, 1], [0.1, 0.5], sample_weight=[0, 0])


def test_large_random_agreement():
    rng = np.random.default_rng(0)
    n, classes = 200_000, 37
    y_true = rng.integers(0, classes, n)
    y_pred = np.where(rng.random(n) < 0.6, y_true, rng.integers(0, classes, n))
    weight = rng.random(n)
    compare("confusion_matrix", y_true, y_pred)
    compare("confusion_matrix", y_true, y_pred, sample_weight=weight)
    for average in ("macro", "micro", "weighted"):
        compare("f1_score", y_true, y_pred, average=average, sample_weight=weight)
    compare("classification_report", y_true, y_pred, digits=6, sample_weight=weight)
    compare("matthews_corrcoef", y_true, y_pred, sample_weight=weight)
    compare("cohen_kappa_score", y_true, y_pred, weights="quadratic")


def test_weighted_multilabel_report_without_positives_prints_float_support():
    y, w = np.array([[0, 0]]), np.array([0.5])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert accumetrics.classification_report(y, y, sample_weight=w) == sk.classification_report(y, y, sample_weight=w)
