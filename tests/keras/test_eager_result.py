"""Results read eagerly in JAX's ops (where the call does not run on the host: an accelerator's arrays) run as
one compiled call (keras/_eager_result.py): the same values as op by op, never a stale one, one compilation per
class and config."""

import inspect

import numpy as np
import pytest

import keras
from accumetrics import keras as ak
from accumetrics.keras import _eager_result, _placement

pytestmark = pytest.mark.skipif(keras.backend.backend() != "jax", reason="the compiled result is JAX's")


@pytest.fixture(autouse=True)
def in_jax_ops():
    with _placement.in_backend_ops():
        yield

METRICS = [
    lambda: ak.AUC(),
    lambda: ak.AUC(curve="PR", summation_method="minoring"),
    lambda: ak.Precision(thresholds=[0.2, 0.5, 0.7]),
    lambda: ak.RecallAtPrecision(0.6),
    lambda: ak.SpecificityAtSensitivity(0.3, num_thresholds=50),
    lambda: ak.TruePositives(),
    lambda: ak.F1Score(average="weighted"),  # reads a state variable besides its counts
    lambda: ak.FBetaScore(beta=2.0, threshold=0.4),
    lambda: ak.ExactAUC(),
    lambda: ak.AUC(multi_label=True, num_labels=3, label_weights=[0.2, 0.3, 0.5]),
]


def op_by_op(metric):
    return np.asarray(inspect.unwrap(type(metric).result)(metric))


def batch(rng, n, metric):
    two_d = isinstance(metric, ak.FBetaScore) or getattr(metric, "multi_label", False)
    shape = (n, 3) if two_d else (n,)
    y_true = (rng.random(shape) < 0.4).astype(np.float32)
    return y_true, rng.random(shape).astype(np.float32), rng.random(n).astype(np.float32)


@pytest.mark.parametrize("make", METRICS)
def test_equals_the_op_by_op_result_after_each_update_and_reset(rng, make):
    metric = make()
    for n in (300, 57, 1):
        y_true, y_pred, weight = batch(rng, n, metric)
        metric.update_state(y_true, y_pred, sample_weight=weight)
        np.testing.assert_allclose(np.asarray(metric.result()), op_by_op(metric), rtol=1e-6, atol=1e-7)
    metric.reset_state()
    np.testing.assert_array_equal(np.asarray(metric.result()), op_by_op(metric))


def test_metrics_of_one_config_share_the_compiled_call_and_keep_their_own_values(rng):
    first, second = ak.AUC(), ak.AUC()
    for metric in (first, second):
        metric.update_state(*batch(rng, 500, metric))
    compiled = _eager_result._compiled(inspect.unwrap(type(first).result))
    values = [float(m.result()) for m in (first, second)]
    compilations = compiled._cache_size()
    assert [float(m.result()) for m in (first, second)] == values
    assert values[0] != values[1]
    assert values == pytest.approx([float(op_by_op(m)) for m in (first, second)], rel=1e-6)
    third = ak.AUC(name="another_name")  # the name is not a setting of the result
    third.update_state(*batch(rng, 500, third))
    third.result()
    assert compiled._cache_size() == compilations
    ak.AUC(curve="PR", num_thresholds=173, summation_method="majoring").result()  # a config no other test reads
    assert compiled._cache_size() == compilations + 1
    ak.AUC(curve="PR", num_thresholds=173, summation_method="majoring").result()
    assert compiled._cache_size() == compilations + 1


def test_a_changed_setting_is_read(rng):
    metric = ak.F1Score(average="macro", threshold=0.5)
    metric.update_state(*batch(rng, 400, metric)[:2])
    macro = np.asarray(metric.result())
    metric.average = None  # PerClass reads the per-class values this way
    per_class = np.asarray(metric.result())
    metric.average = "macro"
    assert macro.shape == () and per_class.shape == (3,)
    np.testing.assert_allclose(per_class.mean(), macro, rtol=1e-6)
    np.testing.assert_allclose(per_class, op_by_op_with(metric, average=None), rtol=1e-6)


def op_by_op_with(metric, **settings):
    saved = {k: getattr(metric, k) for k in settings}
    for k, v in settings.items():
        setattr(metric, k, v)
    try:
        return op_by_op(metric)
    finally:
        for k, v in saved.items():
            setattr(metric, k, v)


def test_a_traced_result_is_traced_as_written(rng):
    import jax

    metric = ak.AUC()
    metric.update_state(*batch(rng, 300, metric))
    values = [v.value for v in metric.variables]
    traced = jax.jit(metric.stateless_result)(values)
    np.testing.assert_allclose(np.asarray(traced), op_by_op(metric), rtol=1e-6)
