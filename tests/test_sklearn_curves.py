"""The confusion matrix at every threshold, the DET curve, a metric at every threshold and auc against
sklearn.metrics: weights (zero weights too), ties, labels of every kind, warnings and errors."""

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st
from peer_versions import needs_sklearn, skip_unless_sklearn_has
from property_depth import examples
from sklearn_reference import call_both

import accumetrics as am

SETTINGS = settings(max_examples=examples(50), deadline=None)


@st.composite
def scored(draw):
    n = draw(st.integers(1, 60))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    t = rng.integers(0, 2, n)
    labels = draw(st.sampled_from(["01", "-11", "strings", "one class"]))
    pos_label = None
    if labels == "-11":
        t = 2 * t - 1
    elif labels == "strings":
        t, pos_label = np.array(["neg", "pos"])[t], "pos"
    elif labels == "one class":
        t = np.ones(n, dtype=int)
    ties = draw(st.sampled_from(["none", "many", "integers", "float32"]))
    s = rng.random(n)
    if ties == "many":
        s = np.round(s, 1)
    elif ties == "integers":
        s = rng.integers(0, 5, n)
    elif ties == "float32":
        s = s.astype(np.float32)
    w = None
    weights = draw(st.sampled_from(["none", "random", "zeros"]))
    if weights == "random":
        w = rng.random(n)
    elif weights == "zeros":  # zero weights leave their scores out of the thresholds
        w = rng.random(n) * (rng.random(n) > 0.4)
        w[0] = 1.0
    return t, s, w, pos_label


@SETTINGS
@given(scored(), st.booleans())
def test_det_curve_against_sklearn(data, drop_intermediate):
    t, s, w, pos_label = data
    call_both("det_curve", t, s, sample_weight=w, pos_label=pos_label, drop_intermediate=drop_intermediate)


@needs_sklearn("confusion_matrix_at_thresholds")
@SETTINGS
@given(scored())
def test_confusion_matrix_at_thresholds_against_sklearn(data):
    t, s, w, pos_label = data
    call_both("confusion_matrix_at_thresholds", t, s, sample_weight=w, pos_label=pos_label)


@needs_sklearn("metric_at_thresholds")
@SETTINGS
@given(scored())
def test_metric_at_thresholds_against_sklearn(data):
    t, s, w, pos_label = data
    for metric, params in ((skm.accuracy_score, None), (am.f1_score, {"pos_label": pos_label or 1,
                                                                      "zero_division": 0})):
        if pos_label is not None and metric is am.f1_score:
            continue  # y_pred is 0/1: string labels cannot meet it
        call_both("metric_at_thresholds", t, s, metric, sample_weight=w, metric_params=params)


@needs_sklearn("metric_at_thresholds")
def test_metric_at_thresholds_argument_errors():
    call_both("metric_at_thresholds", [0, 1], [0.1, 0.2], "accuracy")
    call_both("metric_at_thresholds", [0, 1], [0.1, 0.2], skm.accuracy_score, metric_params=[1])
    call_both("metric_at_thresholds", [0, 1], [0.1, np.nan], skm.accuracy_score)
    call_both("metric_at_thresholds", [0, 1], [0.1, 0.2, 0.3], skm.accuracy_score)


@pytest.mark.parametrize("name", ["confusion_matrix_at_thresholds", "det_curve"])
@pytest.mark.parametrize("case", [
    dict(y_true=[0, 1, 2], y_score=[0.1, 0.2, 0.3]),
    dict(y_true=[0, 1, 2], y_score=[0.1, 0.2, 0.3], pos_label=2),
    dict(y_true=["a", "b"], y_score=[0.1, 0.2]),
    dict(y_true=[0, 1], y_score=[0.1, np.inf]),
    dict(y_true=[0, 1], y_score=[0.1, 0.2, 0.3]),
    dict(y_true=[0, 1], y_score=[0.1, 0.2], sample_weight=[1.0, 2.0, 3.0]),
    dict(y_true=[1, 1], y_score=[0.1, 0.2]),
    dict(y_true=[0, 0], y_score=[0.1, 0.2]),
])
def test_errors_and_edge_cases_match(name, case):
    skip_unless_sklearn_has(name)
    call_both(name, **case)


@SETTINGS
@given(st.integers(2, 30), st.integers(0, 2**32 - 1), st.sampled_from(["increasing", "decreasing", "ties", "mixed"]))
def test_auc_against_sklearn(n, seed, order):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.random(n))
    if order == "decreasing":
        x = x[::-1]
    elif order == "ties":
        x = np.sort(np.round(x, 1))
    elif order == "mixed":
        rng.shuffle(x)
    call_both("auc", x, rng.random(n))


@pytest.mark.parametrize("case", [([1.0], [2.0]), ([1.0, 2.0], [1.0]), ([[1.0, 2.0]], [[1.0, 2.0]]),
                                  ([0, 1, 2], [0, 1, 1])])
def test_auc_edge_cases(case):
    call_both("auc", *case)


@pytest.mark.parametrize("name", ["confusion_matrix_at_thresholds", "det_curve"])
def test_large_input(name):
    skip_unless_sklearn_has(name)
    rng = np.random.default_rng(0)
    t = rng.integers(0, 2, 200_000)
    s = np.round(rng.random(len(t)), 3)
    w = rng.random(len(t))
    kwargs = {"drop_intermediate": True} if name == "det_curve" else {}
    call_both(name, t, s, sample_weight=w, **kwargs)
