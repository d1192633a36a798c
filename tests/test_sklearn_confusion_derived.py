"""Multilabel confusion matrix, zero-one loss, likelihood ratios, hinge loss and the probabilistic D² scores
against sklearn.metrics: values with weights, random and adversarial labels, warnings and errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from peer_versions import needs_sklearn, skip_unless_sklearn_has
from property_depth import examples
from sklearn_reference import call_both, optional_weights

SETTINGS = settings(max_examples=examples(50), deadline=None)


@st.composite
def labels(draw):
    n = draw(st.integers(1, 40))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(["binary", "multiclass", "strings", "multilabel", "one class"]))
    if kind == "multilabel":
        width = draw(st.integers(2, 5))
        t, p = rng.integers(0, 2, (n, width)), rng.integers(0, 2, (n, width))
    else:
        classes = {"binary": 2, "multiclass": 4, "strings": 3, "one class": 1}[kind]
        t, p = rng.integers(0, classes, n), rng.integers(0, classes, n)
        if kind == "strings":
            t, p = np.array(["ant", "bird", "cat"])[t], np.array(["ant", "bird", "cat"])[p]
    w = None
    weights = draw(st.sampled_from(["none", "random", "zeros", "integers"]))
    if weights == "random":
        w = rng.random(n)
    elif weights == "zeros":
        w = rng.random(n) * (rng.random(n) > 0.4)
        w[0] = 1.0
    elif weights == "integers":
        w = rng.integers(1, 4, n)
    return t, p, w


@SETTINGS
@given(labels(), st.booleans())
def test_label_metrics_against_sklearn(data, normalize):
    t, p, w = data
    call_both("multilabel_confusion_matrix", t, p, sample_weight=w)
    call_both("zero_one_loss", t, p, sample_weight=w, normalize=normalize)
    call_both("class_likelihood_ratios", t, p, sample_weight=w)
    call_both("class_likelihood_ratios", t, p, sample_weight=w, replace_undefined_by=1.0)
    call_both("class_likelihood_ratios", t, p, sample_weight=w, replace_undefined_by={"LR+": 5.0, "LR-": 0.0})
    if t.ndim == 2:
        call_both("multilabel_confusion_matrix", t, p, sample_weight=w, samplewise=True)
        call_both("multilabel_confusion_matrix", t, p, sample_weight=w, labels=[1, 0])
    else:
        present = np.unique(np.r_[t, p])
        call_both("multilabel_confusion_matrix", t, p, sample_weight=w, labels=present[::-1][:2])


@pytest.mark.parametrize("case", [
    dict(y_true=[0, 1, 1], y_pred=[0, 1, 1], samplewise=True),
    dict(y_true=[[0, 1], [1, 1]], y_pred=[[0, 1], [1, 1]], labels=[2]),
    dict(y_true=[[0, 1], [1, 1]], y_pred=[[0, 1], [1, 1]], labels=[-1]),
    dict(y_true=[0, 1, 2], y_pred=[0, 1, 2], labels=[5, 0]),
    dict(y_true=[0.5, 1, 2], y_pred=[0, 1, 2]),
    dict(y_true=[0, 1], y_pred=[0, 1, 1]),
])
def test_multilabel_confusion_matrix_edge_cases(case):
    call_both("multilabel_confusion_matrix", **case)


@pytest.mark.parametrize("replace", [0.5, "a", None, {"LR+": 0.5, "LR-": 0.5}, {"LR+": 2}, {"LR+": 2, "LR-": 2},
                                     {"LR+": np.nan, "LR-": np.nan}])
def test_likelihood_ratio_replacements(replace):
    call_both("class_likelihood_ratios", [0, 1, 1, 0], [0, 0, 0, 0], replace_undefined_by=replace)


def test_likelihood_ratios_need_binary_targets():
    call_both("class_likelihood_ratios", [0, 1, 2], [0, 1, 2])
    call_both("class_likelihood_ratios", [[0, 1], [1, 1]], [[0, 1], [1, 1]])


@st.composite
def decisions(draw):
    n = draw(st.integers(1, 40))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    classes = draw(st.sampled_from([1, 2, 3, 4]))
    t = rng.integers(0, classes, n)
    if draw(st.booleans()):
        t = np.array(["a", "b", "c", "d"])[t]
    d = rng.standard_normal((n, classes)) if classes > 2 else rng.standard_normal(n) * 2
    w = rng.random(n) if draw(st.booleans()) else None
    return t, d, w


@SETTINGS
@given(decisions())
def test_hinge_loss_against_sklearn(data):
    t, d, w = data
    call_both("hinge_loss", t, d, sample_weight=w)
    if d.ndim == 2:
        call_both("hinge_loss", t, d, sample_weight=w, labels=np.unique(t))


@pytest.mark.parametrize("case", [
    dict(y_true=[0, 1, 2], pred_decision=[0.1, 0.2, 0.3]),
    dict(y_true=[0, 1, 2], pred_decision=[[0.1, 0.2]] * 3),
    dict(y_true=[0, 1, 2], pred_decision=[[0.1, 0.2]] * 3, labels=[0, 1, 2]),
    dict(y_true=[0, 1, 3], pred_decision=[[0.1, 0.2, 0.3]] * 3, labels=[0, 1, 2]),
    dict(y_true=[0, 1, 2], pred_decision=[[0.1, 0.2, 0.3]] * 3, labels=[0, 1]),
    dict(y_true=[0, 1], pred_decision=[0.1, 0.2, 0.3]),
    dict(y_true=[0, 1], pred_decision=[0.1, np.nan]),
])
def test_hinge_loss_errors(case):
    call_both("hinge_loss", **case)


@st.composite
def probabilities(draw):
    n = draw(st.integers(1, 40))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    classes = draw(st.sampled_from([2, 3, 4]))
    t = rng.integers(0, classes, n)
    if draw(st.booleans()):
        t = np.array(["a", "b", "c", "d"])[t]
    proba = rng.dirichlet(np.ones(classes), n)
    if classes == 2 and draw(st.booleans()):
        proba = proba[:, 1]
    if draw(st.booleans()):  # probabilities of 0 and 1: the clipping of the log loss
        proba = np.round(proba)
        if proba.ndim == 2:
            proba[proba.sum(axis=1) == 0, 0] = 1
            proba /= proba.sum(axis=1, keepdims=True)
    return t, proba, optional_weights(draw, rng, n)


@SETTINGS
@given(probabilities())
def test_d2_log_loss_against_sklearn(data):
    t, proba, w = data
    call_both("d2_log_loss_score", t, proba, sample_weight=w)
    call_both("d2_log_loss_score", t, proba, sample_weight=w, labels=np.unique(t))


@needs_sklearn("d2_brier_score")
@SETTINGS
@given(probabilities())
def test_d2_brier_against_sklearn(data):
    t, proba, w = data
    call_both("d2_brier_score", t, proba, sample_weight=w)
    classes = np.unique(t)
    if proba.ndim == 1 and len(classes) == 2:
        call_both("d2_brier_score", t, proba, sample_weight=w, pos_label=classes[0])


@needs_sklearn("d2_log_loss_score", "y_proba")
def test_d2_log_loss_y_pred_is_deprecated():
    call_both("d2_log_loss_score", [0, 1, 1], y_pred=[0.2, 0.7, 0.6])
    call_both("d2_log_loss_score", [0, 1, 1], [0.2, 0.7, 0.6], y_pred=[0.2, 0.7, 0.6])


@pytest.mark.parametrize("name", ["d2_log_loss_score", "d2_brier_score"])
@pytest.mark.parametrize("case", [
    dict(y_true=[0], y_proba=[0.3]),
    dict(y_true=[0, 1], y_proba=[0.3, 0.2, 0.1]),
    dict(y_true=[0, 1, 2], y_proba=[0.3, 0.2, 0.1]),
    dict(y_true=[0, 1], y_proba=[0.3, 1.2]),
    dict(y_true=[0, 0], y_proba=[0.3, 0.2]),
    dict(y_true=[0, 1, 2], y_proba=[[0.3, 0.7], [0.2, 0.8], [0.5, 0.5]]),
])
def test_d2_probabilistic_errors(name, case):
    skip_unless_sklearn_has(name, "y_proba")
    call_both(name, **case)
