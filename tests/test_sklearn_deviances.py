"""Deviances, pinball losses, order statistics and their D² scores against sklearn.metrics:
values with weights and multioutput, random and adversarial data, warnings and errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from property_depth import examples
from sklearn_reference import call_both

import accumetrics as am

SETTINGS = settings(max_examples=examples(50), deadline=None)
MULTIOUTPUT = ["mean_pinball_loss", "median_absolute_error", "d2_pinball_score", "d2_absolute_error_score"]
SINGLE_OUTPUT = ["mean_tweedie_deviance", "mean_poisson_deviance", "mean_gamma_deviance", "d2_tweedie_score"]
POWERS = [-1.5, -1, 0, 1, 1.2, 1.5, 2, 2.5, 3]


@st.composite
def targets(draw, outputs=(None, 1, 2, 3)):
    n = draw(st.integers(1, 60))
    k = draw(st.sampled_from(outputs))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    shape = (n,) if k is None else (n, k)
    kind = draw(st.sampled_from(["gamma", "ties", "constant", "offset", "small integers", "float32"]))
    y = rng.gamma(2.0, size=shape) + 0.01
    p = rng.gamma(2.0, size=shape) + 0.01
    if kind == "ties":  # many equal errors and values: the quantiles' ties and the averaged CDF
        y, p = rng.integers(1, 4, shape) / 2.0, rng.integers(1, 4, shape) / 2.0
    elif kind == "constant":
        y = np.full(shape, 1.5)
    elif kind == "offset":
        y, p = y + 1e6, p + 1e6
    elif kind == "small integers":
        y, p = rng.integers(1, 5, shape), rng.integers(1, 5, shape)
    elif kind == "float32":
        y, p = y.astype(np.float32), p.astype(np.float32)
    w = None
    weights = draw(st.sampled_from(["none", "random", "zeros", "integers", "thirds"]))
    if weights == "random":
        w = rng.random(n)
    elif weights == "zeros":  # weights of zero, at the start too
        w = rng.random(n) * (rng.random(n) > 0.4)
        w[-1] = 1.0
    elif weights == "integers":
        w = rng.integers(0, 4, n)
        w[-1] = 1
    elif weights == "thirds":
        w = rng.choice([1 / 3, 2 / 3, 1.0], n)
    return y, p, w


@SETTINGS
@given(targets(), st.sampled_from([0.0, 0.1, 0.5, 0.9, 1.0, 1 / 3]),
       st.sampled_from(["raw_values", "uniform_average", "array"]))
def test_multioutput_functions_against_sklearn(data, alpha, multioutput):
    y, p, w = data
    if multioutput == "array":
        multioutput = np.random.default_rng(0).random(1 if y.ndim == 1 else y.shape[1])
    for name in MULTIOUTPUT:
        kwargs = dict(sample_weight=w, multioutput=multioutput)
        if "pinball" in name:
            kwargs["alpha"] = alpha
        call_both(name, y, p, rtol=1e-5 if y.dtype == np.float32 else 1e-10, **kwargs)


@SETTINGS
@given(targets(outputs=(None, 1)), st.sampled_from(POWERS))
def test_tweedie_functions_against_sklearn(data, power):
    y, p, w = data
    call_both("max_error", y, p)
    for name in SINGLE_OUTPUT:
        kwargs = dict(sample_weight=w)
        if name in ("mean_tweedie_deviance", "d2_tweedie_score"):
            kwargs["power"] = power
        if y.dtype == np.float32:  # summed in float64 (sklearn sums float32 in float32, and cancels)
            ours = getattr(am, name)(y, p, **kwargs) if len(y) > 1 or "d2" not in name else np.nan
            y, p = y.astype(np.float64), p.astype(np.float64)
            assert ours == getattr(am, name)(y, p, **kwargs) or np.isnan(ours)
        if name == "d2_tweedie_score" and w is not None and np.ptp(y[w != 0]) == 0 and len(y) > 1:
            # sklearn's weighted mean of a constant is off by rounding, and its D² divides by that error
            with pytest.raises((ZeroDivisionError, ValueError)):
                am.d2_tweedie_score(y, p, **kwargs)
            continue
        # Far from zero, the deviance of every power but 0 is a difference of large terms: both sums round
        ill_conditioned = y.min() > 1e5 and power != 0
        call_both(name, y, p, rtol=1e-3 if ill_conditioned else 1e-8, **kwargs)


@pytest.mark.parametrize("power", POWERS)
def test_tweedie_domains(power):
    for y, p in (([1.0, 0.0], [1.0, 1.0]), ([1.0, -1.0], [1.0, 1.0]), ([1.0, 2.0], [0.0, 1.0]), ([1, 2], [1, -1])):
        call_both("mean_tweedie_deviance", y, p, power=power)
        call_both("d2_tweedie_score", y, p, power=power)


@pytest.mark.parametrize("case", [
    dict(power=0.5), dict(power="1"), dict(power=np.nan), dict(alpha=1.5), dict(alpha=-0.1), dict(alpha="a"),
])
def test_parameter_errors(case):
    name = "mean_tweedie_deviance" if "power" in case else "mean_pinball_loss"
    call_both(name, [1.0, 2.0], [1.0, 2.0], **case)
    call_both(name.replace("mean_tweedie_deviance", "d2_tweedie_score").replace("mean_pinball_loss",
              "d2_pinball_score"), [1.0, 2.0], [1.0, 2.0], **case)


@pytest.mark.parametrize("name", MULTIOUTPUT + SINGLE_OUTPUT + ["max_error"])
@pytest.mark.parametrize("case", [
    dict(y_true=[1.0, 2.0], y_pred=[1.0, 2.0, 3.0]),
    dict(y_true=[1.0, 2.0], y_pred=[1.0, np.nan]),
    dict(y_true=[1.0, np.inf], y_pred=[1.0, 2.0]),
    dict(y_true=[[1.0, 2.0], [2.0, 3.0]], y_pred=[[1.0, 2.0], [1.0, 2.0]]),
    dict(y_true=[[1.0, 2.0]], y_pred=[[1.0, 2.0, 3.0]]),
    dict(y_true=[1.0], y_pred=[2.0]),
    dict(y_true=[], y_pred=[]),
    dict(y_true="ab", y_pred=[1.0, 2.0]),
])
def test_errors_and_edge_cases_match(name, case):
    call_both(name, **case)


@pytest.mark.parametrize("name", MULTIOUTPUT)
def test_multioutput_argument_errors(name):
    call_both(name, [1.0, 2.0], [1.0, 3.0], multioutput="variance_weighted")
    call_both(name, [1.0, 2.0], [1.0, 3.0], multioutput=[0.5, 0.5])
    call_both(name, [[1.0, 2.0]] * 3, [[1.0, 3.0]] * 3, multioutput=[0.5, 0.2, 0.3])


def test_d2_tweedie_of_a_constant_y_true_divides_by_zero():
    for power in (0, 1, 2):
        with pytest.raises(ZeroDivisionError):
            am.d2_tweedie_score([2.0, 2.0, 2.0], [1.0, 2.0, 3.0], power=power)


def test_d2_scores_of_constant_targets():
    y = np.full(5, 2.0)
    for p in (y, y + 1):
        call_both("d2_pinball_score", y, p, alpha=0.3)
        call_both("d2_absolute_error_score", y, p)


def test_weighted_quantile_with_zero_weights_at_the_quantile():
    # the cumulative weight meets the median exactly, and the next value has zero weight
    y = np.array([1.0, 2.0, 3.0, 4.0, 10.0])
    w = np.array([1.0, 1.0, 0.0, 0.0, 2.0])
    call_both("median_absolute_error", y, np.zeros(5), sample_weight=w)
    call_both("d2_absolute_error_score", y, np.full(5, 3.0), sample_weight=w)
    call_both("median_absolute_error", y, np.zeros(5), sample_weight=[1.0, 1.0, 2.0, 0.0, 0.0])


def test_large_input():
    rng = np.random.default_rng(0)
    y = rng.gamma(2.0, size=(100_000, 2)) + 0.01
    p = rng.gamma(2.0, size=y.shape) + 0.01
    w = rng.random(len(y))
    for name in MULTIOUTPUT:
        call_both(name, y, p, sample_weight=w, multioutput="raw_values")
    for name in SINGLE_OUTPUT:
        call_both(name, y[:, 0], p[:, 0], sample_weight=w, rtol=1e-9)


# R² and explained variance: the sums they come from are centered once, for the functions and Moments alike.

def test_r2_with_a_zero_weight_first_sample():
    y, p, w = [-47.16278113648088, -1, -1], [1, 1, 1], [0, 1.4095549979521451, 1.4095549979521451]
    assert am.r2_score(y, p, sample_weight=w) == 0.0
    call_both("r2_score", y, p, sample_weight=w)


def test_explained_variance_of_one_weighted_sample():
    assert am.explained_variance_score([11.758133102990456], [0.0], sample_weight=[1.1]) == 1.0
    call_both("explained_variance_score", [11.758133102990456], [0.0], sample_weight=[1.1])


@pytest.mark.parametrize("y_pred", [np.full(6, 2.0), np.arange(6.0), np.full(6, 2.5)])
def test_moments_r2_of_a_constant_y_true_is_r2_score(y_pred):
    y = np.full(6, 2.0)
    m = am.Moments().update(y, y_pred)
    assert m.r2 == am.r2_score(y, y_pred)
    assert m.explained_variance == am.explained_variance_score(y, y_pred)


@SETTINGS
@given(targets(outputs=(None,)))
def test_moments_r2_is_r2_score(data):
    y, p, w = data
    y, p = y.astype(np.float64), p.astype(np.float64)
    if len(y) < 2:
        return
    m = am.Moments().update(y, p, w)
    np.testing.assert_allclose(m.r2, am.r2_score(y, p, sample_weight=w), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(m.explained_variance, am.explained_variance_score(y, p, sample_weight=w),
                               rtol=1e-9, atol=1e-12)


def test_dask_r2_of_a_constant_y_true():
    da = pytest.importorskip("dask.array")
    from accumetrics import dask as amd

    y, p = np.full(40, 3.0), np.arange(40.0)
    value = amd.compute("r2_score", da.from_array(y, chunks=7), da.from_array(p, chunks=7))
    assert value == am.r2_score(y, p) == 0.0
