"""Every formula of accumetrics.formulas gives the same values in keras.ops (on this backend) as in numpy,
on the same float64 counts: the Keras metrics and the numpy functions read one implementation."""

import numpy as np
import pytest

from accumetrics.formulas import confusion, moments, numpy_ops, ranking
from accumetrics.keras._bridge import state_dtype
from accumetrics.keras._ops import keras_ops
from keras import ops


def both(formula, *args, **kwargs):
    """The formula's value with numpy and with keras.ops, on the same inputs (arrays as float tensors)."""
    dtype = state_dtype()
    expected = formula(numpy_ops, *args, **kwargs)
    tensors = [ops.convert_to_tensor(a, dtype=dtype) if isinstance(a, np.ndarray) else a for a in args]
    got = ops.convert_to_numpy(formula(keras_ops, *tensors, **kwargs))
    return got, np.asarray(expected)


def close(got, expected):
    rtol = 1e-12 if state_dtype() == "float64" else 1e-5
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=rtol, equal_nan=True)


@pytest.mark.parametrize("classes", [2, 3, 7])
def test_matrix_formulas(rng, classes):
    m = rng.integers(0, 50, (classes, classes)).astype(np.float64) * rng.random((classes, classes))
    close(*both(confusion.matthews_corrcoef, m))
    close(*both(confusion.balanced_accuracy, m))
    for weights in (None, "linear", "quadratic"):
        close(*both(confusion.cohen_kappa, m, confusion.kappa_weights(classes, weights)))


def test_matrix_formulas_where_undefined():
    one_class = np.zeros((3, 3))
    one_class[1, 1] = 5.0
    assert both(confusion.matthews_corrcoef, one_class)[0] == 0.0
    assert np.isnan(both(confusion.cohen_kappa, one_class, confusion.kappa_weights(3, None))[0])
    assert np.isnan(both(confusion.cohen_kappa, np.zeros((3, 3)), confusion.kappa_weights(3, None))[0])


def test_rates(rng):
    tp, fp, tn, fn = (rng.integers(0, 5, 20).astype(np.float64) for _ in range(4))
    close(*both(confusion.precision, tp, tp + fp))
    close(*both(confusion.recall, tp, tp + fn))
    close(*both(confusion.specificity, tn, tn + fp))
    close(*both(confusion.false_positive_rate, fp, fp + tn))
    close(*both(confusion.f_beta, tp, tp + fp, tp + fn, 0.5))
    close(*both(confusion.f_beta_smoothed, tp, fp, fn, 2.0, 1e-7))


def test_counts_at_thresholds(rng):
    h = rng.integers(0, 9, (2, 6, 2)).astype(np.float64)
    got, expected = both(confusion.counts_at_thresholds, h)
    close(got, expected)
    tp, fp, tn, fn = expected
    np.testing.assert_array_equal(tp + fn, np.broadcast_to(h[..., 1].sum(axis=-1, keepdims=True), tp.shape))
    np.testing.assert_array_equal(fp[:, 0], h[:, 1:, 0].sum(axis=-1))


def test_moment_formulas(rng):
    from accumetrics import Moments

    y = rng.normal(3, 2, (200, 3))
    p = y + rng.normal(0, 1, y.shape)
    s = Moments(3).update(y, p, rng.random(200))._state.centered_sums()[0]
    for formula in (moments.r2, moments.explained_variance, moments.pearson, moments.concordance,
                    moments.true_variance, moments.error_variance, moments.mean_squared_error):
        close(*both(formula, s))
    close(*both(moments.explained_fraction, np.array([0.0, 1.0, 2.0]), np.array([0.0, 0.0, 4.0])))


@pytest.mark.parametrize("labels", [(), (3,)])
def test_ranking_formulas(rng, labels):
    neg, pos = (rng.integers(0, 4, (40, *labels)).astype(np.float64) for _ in range(2))
    for formula in (ranking.roc_auc, ranking.roc_auc_bound, ranking.average_precision):
        close(*both(formula, neg, pos))
    close(*both(ranking.partial_roc_auc, neg, pos, 0.3))


def test_ranking_at_thresholds(rng):
    from accumetrics import ThresholdCounts

    y, s = rng.integers(0, 2, 300), rng.random(300)
    r = ThresholdCounts([0.2, 0.4, 0.6, 0.8]).update(y, s, rng.random(300)).result()
    counts = [r[k].astype(np.float64) for k in ("tp", "fp", "tn", "fn")]
    for formula in (ranking.average_precision_at_thresholds, ranking.roc_auc_at_thresholds):
        close(*both(formula, *counts))
