"""Ranking metrics against sklearn.metrics: same values, curves, warnings and exceptions."""

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st

import accumetrics as am
from property_depth import examples
from sklearn_reference import optional_weights, record

SETTINGS = settings(max_examples=examples(60), deadline=None)


def same(ours, theirs):
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12, equal_nan=True)


def call_both(name, *args, **kwargs):
    """Both implementations' results, or their exception types; warnings compared by category."""
    (ours, our_warnings), (theirs, their_warnings) = (record(m, name, args, kwargs) for m in (am, skm))
    assert our_warnings == their_warnings
    if isinstance(theirs, Exception):
        assert isinstance(ours, Exception), f"sklearn raised {theirs!r}, accumetrics returned {ours!r}"
        assert isinstance(ours, type(theirs)) or isinstance(theirs, type(ours)) or (
            isinstance(ours, ValueError) and isinstance(theirs, ValueError)), (ours, theirs)
        return None
    if isinstance(ours, Exception):
        raise ours
    return ours, theirs


@st.composite
def binary(draw, min_n=1):
    n = draw(st.integers(min_n, 200))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    y = rng.integers(0, 2, n)
    if draw(st.booleans()):
        y[0] = 1 - y[-1]
    scores = draw(st.sampled_from(["uniform", "ties", "float32", "ints"]))
    if scores == "uniform":
        s = rng.standard_normal(n)
    elif scores == "ties":
        s = rng.integers(0, 4, n) * 0.25
    elif scores == "float32":
        s = rng.random(n).astype(np.float32)
    else:
        s = rng.integers(-3, 3, n)
    return y, s, optional_weights(draw, rng, n)


@SETTINGS
@given(binary(), st.sampled_from([None, 0.3, 1.0]))
def test_roc_auc_binary(data, max_fpr):
    y, s, w = data
    r = call_both("roc_auc_score", y, s, sample_weight=w, max_fpr=max_fpr)
    if r:
        same(*r)


@SETTINGS
@given(binary())
def test_average_precision_binary(data):
    y, s, w = data
    r = call_both("average_precision_score", y, s, sample_weight=w)
    if r:
        same(*r)


@SETTINGS
@given(binary(), st.booleans())
def test_curves(data, drop):
    y, s, w = data
    for name in ("roc_curve", "precision_recall_curve"):
        r = call_both(name, y, s, sample_weight=w, drop_intermediate=drop)
        if r:
            for a, b in zip(*r):
                assert a.dtype == b.dtype, name
                same(a, b)


@SETTINGS
@given(st.integers(2, 120), st.integers(2, 5), st.integers(0, 2**32 - 1),
       st.sampled_from([None, "micro", "macro", "weighted", "samples"]), st.booleans())
def test_multilabel(n, labels, seed, average, weighted):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, (n, labels))
    s = np.round(rng.random((n, labels)), 1)
    w = rng.random(n) if weighted else None
    for name in ("roc_auc_score", "average_precision_score"):
        r = call_both(name, y, s, average=average, sample_weight=w)
        if r:
            same(*r)


@SETTINGS
@given(st.integers(5, 150), st.integers(3, 5), st.integers(0, 2**32 - 1),
       st.sampled_from(["ovr", "ovo"]), st.sampled_from([None, "micro", "macro", "weighted"]),
       st.booleans(), st.booleans())
def test_multiclass(n, classes, seed, multi_class, average, weighted, strings):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, classes, n)
    y[:classes] = np.arange(classes)
    raw = np.round(rng.random((n, classes)), 1) + 0.01
    s = raw / raw.sum(axis=1, keepdims=True)
    if strings:
        y = np.array(["cat", "dog", "eel", "fox", "gnu"])[y]
    w = rng.random(n) if weighted else None
    r = call_both("roc_auc_score", y, s, multi_class=multi_class, average=average, sample_weight=w)
    if r:
        same(*r)
    if multi_class == "ovr" and average != "micro":
        r = call_both("average_precision_score", y, s, average=average, sample_weight=w)
        if r:
            same(*r)


def test_multiclass_labels_argument():
    y = np.array([0, 1, 2, 1, 0, 2])
    s = np.array([[.6, .3, .1, 0], [.2, .5, .2, .1], [.1, .1, .7, .1], [.3, .4, .2, .1], [.5, .2, .2, .1],
                  [.1, .2, .3, .4]])
    for labels in ([0, 1, 2, 3], [0, 1, 3, 2], [0, 0, 1, 2], [0, 1, 2], [1, 2, 3, 4]):
        for multi_class in ("ovr", "ovo"):
            r = call_both("roc_auc_score", y, s, labels=labels, multi_class=multi_class)
            if r:
                same(*r)


@pytest.mark.parametrize("y", [[1, 1, 1], [0, 0, 0], ["a", "a", "a"]])
def test_one_class(y):
    s = [0.1, 0.5, 0.3]
    r = call_both("roc_auc_score", y, s)
    assert r and np.isnan(r[0]) and np.isnan(r[1])
    r = call_both("average_precision_score", y, s, pos_label=y[0] if isinstance(y[0], str) else 1)
    if r:
        same(*r)
    for name in ("roc_curve", "precision_recall_curve"):
        r = call_both(name, y, s, pos_label=y[0])
        if r:
            for a, b in zip(*r):
                same(a, b)


def test_string_labels_and_pos_label():
    y = np.array(["neg", "pos", "pos", "neg", "pos"])
    s = np.array([0.1, 0.9, 0.4, 0.4, 0.7])
    same(*call_both("roc_auc_score", y, s))
    same(*call_both("average_precision_score", y, s, pos_label="pos"))
    assert call_both("average_precision_score", y, s) is None  # pos_label=1 is not a label: ValueError
    assert call_both("roc_curve", y, s) is None  # pos_label must be given
    for a, b in zip(*call_both("roc_curve", y, s, pos_label="neg")):
        same(a, b)
    for a, b in zip(*call_both("precision_recall_curve", y, s, pos_label="pos")):
        same(a, b)


@pytest.mark.parametrize("case", [
    dict(y_true=[0, 1, 2], y_score=[0.1, 0.2, 0.3]),  # multiclass needs 2-D scores
    dict(y_true=[0, 1, 2], y_score=[[.2, .3, .5]] * 3),  # multi_class='raise'
    dict(y_true=[0, 1, 2], y_score=[[.2, .3, .6]] * 3, multi_class="ovr"),  # not probabilities
    dict(y_true=[0, 1, 2], y_score=[[.2, .3, .5]] * 3, multi_class="ovo", sample_weight=[1, 1, 1]),
    dict(y_true=[0, 1, 2], y_score=[[.2, .3, .5]] * 3, multi_class="ovo", average=None),
    dict(y_true=[0, 1, 2], y_score=[[.2, .3, .5]] * 3, multi_class="ovr", max_fpr=0.5),
    dict(y_true=[0, 1], y_score=[0.1, 0.2], max_fpr=0),
    dict(y_true=[0, 1], y_score=[0.1, 0.2], average="binary"),
    dict(y_true=[0, 1], y_score=[0.1, np.nan]),
    dict(y_true=[0, 1], y_score=[0.1, 0.2, 0.3]),
    dict(y_true=[0.5, 1.5], y_score=[0.1, 0.2]),
    dict(y_true=[0, 1], y_score=[0.1, 0.2], sample_weight=[0, 0]),
])
def test_roc_auc_errors(case):
    assert call_both("roc_auc_score", **case) is None


def test_curve_errors():
    assert call_both("roc_curve", [0, 1, 2], [0.1, 0.2, 0.3]) is None
    assert call_both("precision_recall_curve", [0, 1], [0.1, 0.2], drop_intermediate="yes") is None
    assert call_both("average_precision_score", [[0, 1], [1, 0]], [[0.1, 0.2], [0.3, 0.4]], pos_label=0) is None


def test_large_input_matches_sklearn():
    rng = np.random.default_rng(5)
    n = 300_000
    y = rng.integers(0, 2, n)
    s = np.round(rng.standard_normal(n), 3)
    w = rng.random(n)
    for weights in (None, w):
        same(*call_both("roc_auc_score", y, s, sample_weight=weights))
        same(*call_both("average_precision_score", y, s, sample_weight=weights))
