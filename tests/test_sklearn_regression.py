"""Regression metrics against sklearn.metrics: values, multioutput, weights, edge cases."""

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st

import accumetrics as am
from property_depth import examples
from sklearn_reference import record

SETTINGS = settings(max_examples=examples(60), deadline=None)
NAMES = ["mean_absolute_error", "mean_squared_error", "root_mean_squared_error", "mean_absolute_percentage_error",
         "mean_squared_log_error", "root_mean_squared_log_error", "r2_score", "explained_variance_score"]


def call_both(name, *args, **kwargs):
    (ours, ow), (theirs, tw) = (record(m, name, args, kwargs, ignored=()) for m in (am, skm))
    assert ow == tw, (name, ow, tw)
    if isinstance(theirs, Exception):
        assert isinstance(ours, ValueError if isinstance(theirs, ValueError) else type(theirs)), (ours, theirs)
        return None
    if isinstance(ours, Exception):
        raise ours
    assert type(ours) is type(theirs) or (isinstance(ours, float) and isinstance(theirs, float))
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12, equal_nan=True)
    return ours, theirs


@st.composite
def regression(draw):
    n = draw(st.integers(1, 150))
    k = draw(st.sampled_from([None, 1, 2, 3]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    shape = (n,) if k is None else (n, k)
    kind = draw(st.sampled_from(["normal", "positive", "constant", "offset", "integers"]))
    y = rng.standard_normal(shape)
    if kind == "positive":
        y = rng.random(shape) * 10
    elif kind == "constant":
        y = np.full(shape, 2.5)
    elif kind == "offset":
        y = 1000.0 + rng.standard_normal(shape)
    elif kind == "integers":
        y = rng.integers(0, 5, shape)
    p = y + rng.standard_normal(shape) * draw(st.sampled_from([0.0, 0.1, 1.0]))
    if kind == "positive":
        p = np.abs(p)
    w = None
    # With weights, sklearn's weighted mean of a constant y_true is off by rounding, and its
    # r2 then divides by that rounding error; constant targets are compared unweighted.
    if kind != "constant" and draw(st.booleans()):
        w = rng.random(n) * (rng.random(n) > 0.2)
        w[0] = 1.0
    multioutput = draw(st.sampled_from(["raw_values", "uniform_average", "variance_weighted", "array"]))
    if multioutput == "array":
        multioutput = rng.random(shape[1] if len(shape) == 2 else 1)
    return y, p, w, multioutput


@SETTINGS
@given(regression(), st.booleans())
def test_against_sklearn(data, force_finite):
    y, p, w, multioutput = data
    for name in NAMES:
        kwargs = dict(sample_weight=w, multioutput=multioutput)
        if name in ("r2_score", "explained_variance_score"):
            kwargs["force_finite"] = force_finite
        call_both(name, y, p, **kwargs)


def test_constant_y_true_and_perfect_predictions():
    y = np.full(10, 3.0)
    for p in (y, y + 1.0, np.arange(10.0)):
        for force_finite in (True, False):
            call_both("r2_score", y, p, force_finite=force_finite)
            call_both("explained_variance_score", y, p, force_finite=force_finite)
    y2 = np.c_[np.full(6, 1.0), np.arange(6.0)]
    for mo in ("raw_values", "uniform_average", "variance_weighted"):
        call_both("r2_score", y2, y2 + 0.5, multioutput=mo)
        call_both("r2_score", y2, y2 + 0.5, multioutput=mo, force_finite=False)


def test_r2_needs_two_samples():
    assert call_both("r2_score", [1.0], [2.0]) is not None


@pytest.mark.parametrize("case", [
    dict(y_true=[1.0, 2.0], y_pred=[1.0, 2.0, 3.0]),
    dict(y_true=[[1.0, 2.0]], y_pred=[[1.0, 2.0, 3.0]]),
    dict(y_true=[1.0, 2.0], y_pred=[1.0, np.nan]),
    dict(y_true=[1.0, 2.0], y_pred=[1.0, 2.0], multioutput="bad"),
    dict(y_true=[1.0, 2.0], y_pred=[1.0, 2.0], multioutput=[0.5, 0.5]),
    dict(y_true=[[1.0, 2.0]] * 2, y_pred=[[1.0, 2.0]] * 2, multioutput=[0.5, 0.2, 0.3]),
    dict(y_true=[1.0, 2.0], y_pred=[1.0, 2.0], sample_weight=[1.0]),
    dict(y_true=[1.0, 2.0], y_pred=[1.0, 2.0], sample_weight=[0.0, 0.0]),
    dict(y_true=[-1.0, 2.0], y_pred=[1.0, 2.0]),
])
@pytest.mark.parametrize("name", NAMES)
def test_errors_match(name, case):
    call_both(name, **case)


def test_variance_weighted_is_only_for_r2_and_explained_variance():
    assert call_both("mean_absolute_error", [1.0, 2.0], [1.0, 3.0], multioutput="variance_weighted") is None
    call_both("r2_score", [1.0, 2.0], [1.0, 3.0], multioutput="variance_weighted")


def test_large_input():
    rng = np.random.default_rng(0)
    y = rng.standard_normal((200_000, 3))
    p = y + rng.standard_normal(y.shape)
    w = rng.random(len(y))
    for name in NAMES:
        if "log" in name:
            call_both(name, np.abs(y), np.abs(p), sample_weight=w, multioutput="raw_values")
        else:
            call_both(name, y, p, sample_weight=w, multioutput="raw_values")


@pytest.mark.parametrize("name", ["mean_squared_error", "mean_absolute_error", "r2_score", "explained_variance_score"])
def test_number_strings_are_converted_as_sklearn_does(name):
    y_true, y_pred = ["1", "2", "3.5"], np.array(["1.5", "2", "2"], dtype=object)
    assert getattr(am, name)(y_true, y_pred) == pytest.approx(getattr(skm, name)(y_true, y_pred))
    with pytest.raises(ValueError, match="y_pred holds values that are not numbers: could not convert string"):
        getattr(am, name)(y_true, ["1", "x", "2"])
