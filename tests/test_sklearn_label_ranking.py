"""Per-sample label ranking metrics against sklearn.metrics: coverage error, LRAP, ranking loss, DCG, NDCG."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from property_depth import examples
from sklearn_reference import call_both, optional_weights

SETTINGS = settings(max_examples=examples(40), deadline=None)
INDICATOR_METRICS = ["coverage_error", "label_ranking_average_precision_score", "label_ranking_loss"]


@st.composite
def ranked(draw, gains=False):
    n = draw(st.integers(1, 40))
    width = draw(st.integers(2, 7))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if gains:
        t = rng.integers(0, 5, (n, width)) if draw(st.booleans()) else rng.random((n, width)) * 3
    else:
        t = (rng.random((n, width)) < draw(st.sampled_from([0.0, 0.2, 0.5, 1.0]))).astype(int)
        t[0] = rng.integers(0, 2, width)
    ties = draw(st.sampled_from(["none", "some", "all"]))
    s = rng.standard_normal((n, width))
    if ties == "some":
        s = rng.integers(0, 3, (n, width)).astype(float)
    elif ties == "all":
        s = np.ones((n, width))
    return t, s, optional_weights(draw, rng, n)


@SETTINGS
@given(ranked())
def test_indicator_metrics_against_sklearn(data):
    t, s, w = data
    for name in INDICATOR_METRICS:
        call_both(name, t, s, sample_weight=w)


@SETTINGS
@given(ranked(gains=True), st.sampled_from([None, 1, 2, 5]), st.booleans(), st.sampled_from([2, 10, 1.5]))
def test_dcg_and_ndcg_against_sklearn(data, k, ignore_ties, log_base):
    t, s, w = data
    call_both("dcg_score", t, s, k=k, log_base=log_base, sample_weight=w, ignore_ties=ignore_ties)
    call_both("ndcg_score", t, s, k=k, sample_weight=w, ignore_ties=ignore_ties)


def test_large_input():
    rng = np.random.default_rng(0)
    t = (rng.random((50_000, 6)) < 0.3).astype(int)
    s = np.round(rng.random(t.shape), 2)
    w = rng.random(len(t))
    for name in INDICATOR_METRICS:
        call_both(name, t, s, sample_weight=w)
    call_both("ndcg_score", t * rng.integers(1, 4, t.shape), s, k=3, sample_weight=w)


@pytest.mark.parametrize("name", INDICATOR_METRICS + ["dcg_score", "ndcg_score"])
@pytest.mark.parametrize("case", [
    dict(y_true=[0, 1, 1], y_score=[0.1, 0.2, 0.3]),
    dict(y_true=[[0, 1], [1, 0]], y_score=[[0.1, 0.2, 0.3], [0.1, 0.2, 0.3]]),
    dict(y_true=[[0, 1], [1, 0]], y_score=[[0.1, 0.2]]),
    dict(y_true=[[0, 1], [1, 0]], y_score=[[0.1, np.nan], [0.1, 0.2]]),
    dict(y_true=[[0, 2], [1, 0]], y_score=[[0.1, 0.2], [0.1, 0.2]]),
    dict(y_true=[[0.5, 1], [1, 0]], y_score=[[0.1, 0.2], [0.1, 0.2]]),
    dict(y_true=[[0], [1]], y_score=[[0.1], [0.2]]),
    dict(y_true=[[0, 1], [1, 0]], y_score=[[0.1, 0.2], [0.1, 0.2]], sample_weight=[1.0]),
    dict(y_true=[[-1, 1], [1, 0]], y_score=[[0.1, 0.2], [0.1, 0.2]]),
])
def test_errors_and_edge_cases_match(name, case):
    call_both(name, **case)


@pytest.mark.parametrize("case", [dict(k=0), dict(k=1.5), dict(log_base=0), dict(ignore_ties="yes")])
def test_dcg_parameter_errors(case):
    call_both("dcg_score", [[1, 0, 2]], [[0.1, 0.2, 0.3]], **case)
    if "log_base" not in case:
        call_both("ndcg_score", [[1, 0, 2]], [[0.1, 0.2, 0.3]], **case)
