"""Weights that sum to zero, all-zero, negative and extreme weights, and targets sklearn will not binarize:
sklearn.metrics' value, warning class or exception class, compared at run time."""

from __future__ import annotations

import numpy as np
import pytest
from peer_versions import installed, older_than
from sklearn_reference import call_both

pytest.importorskip("sklearn")
if older_than("sklearn", "1.9"):  # the values compared here are scikit-learn 1.9's
    pytest.skip(f"accumetrics follows scikit-learn 1.9+ in these weights and targets; scikit-learn "
                f"{installed('sklearn')} is installed", allow_module_level=True)

Y_REAL, P_REAL = np.array([1.0, 2.0, 2.0, 1.0, 3.0]), np.array([1.5, 3.0, 2.0, 1.0, 4.0])
LABELS, PREDICTED = np.array([0, 1, 1, 0, 1]), np.array([0, 1, 0, 0, 1])
SCORES = np.array([0.2, 0.7, 0.6, 0.3, 0.9])
INDICATOR = np.array([[1, 0, 1], [0, 1, 1], [1, 1, 0], [0, 0, 1], [1, 0, 0]])
INDICATOR_SCORES = np.array([[.1, .5, .4], [.3, .3, .4], [.6, .2, .2], [.2, .7, .1], [.5, .25, .25]])

REGRESSION = ["mean_squared_error", "mean_absolute_error", "root_mean_squared_error", "r2_score",
              "explained_variance_score", "mean_absolute_percentage_error", "mean_squared_log_error",
              "root_mean_squared_log_error", "mean_pinball_loss", "mean_poisson_deviance", "mean_gamma_deviance",
              "mean_tweedie_deviance", "d2_tweedie_score", "d2_absolute_error_score", "d2_pinball_score",
              "median_absolute_error"]
LABEL = ["accuracy_score", "hamming_loss", "zero_one_loss", "f1_score", "jaccard_score", "matthews_corrcoef",
         "balanced_accuracy_score", "precision_score", "recall_score", "confusion_matrix"]
PROBABILITY = ["log_loss", "brier_score_loss", "d2_brier_score", "d2_log_loss_score", "hinge_loss",
               "top_k_accuracy_score"]
LABEL_RANKING = ["coverage_error", "label_ranking_average_precision_score", "label_ranking_loss", "ndcg_score",
                 "dcg_score"]
RANKING = ["roc_auc_score", "average_precision_score", "roc_curve", "precision_recall_curve", "det_curve",
           "confusion_matrix_at_thresholds"]


def inputs(name):
    if name in REGRESSION:
        return Y_REAL, P_REAL, {}
    if name in LABEL:
        return LABELS, PREDICTED, {}
    if name in LABEL_RANKING:
        return INDICATOR, INDICATOR_SCORES, {}
    return LABELS, SCORES, {"k": 1} if name == "top_k_accuracy_score" else {}


ZERO_SUMS = {"floats": [1.0, -1.0, 2.0, -2.0, 0.0], "integers": [1, -1, 0, 0, 0], "halves": [0.5, -1.5, 1.0, 0, 0],
             "all zero": [0, 0, 0, 0, 0]}


@pytest.mark.parametrize("weights", ZERO_SUMS)
@pytest.mark.parametrize("name", REGRESSION + LABEL + PROBABILITY + LABEL_RANKING + RANKING)
def test_weights_that_sum_to_zero(name, weights):
    y, p, kwargs = inputs(name)
    # sklearn's 0 / 0 for a precision where nothing is predicted warns; ours gives the same 0 quietly
    call_both(name, y, p, sample_weight=np.array(ZERO_SUMS[weights]), runtime_warnings=False, **kwargs)


def test_mean_squared_error_of_cancelling_weights_raises_zero_division_as_sklearn():
    assert call_both("mean_squared_error", [0, 1], [0, 2], sample_weight=[1, -1]) is None


MULTIOUTPUT_LABELS = {
    "multiclass-multioutput": ([[1, 0, 1, 0], [2, 3, 3, 2]], [[.3, .3, .2, .2], [.4, .1, .3, .2]]),
    "two-column multiclass-multioutput": ([[0, 2], [1, 2], [2, 0]], [[.3, .7], [.6, .4], [.5, .5]]),
    "continuous-multioutput": ([[.5, 1.], [1, 2], [2, 3]], [[.3, .7], [.6, .4], [.5, .5]]),
    "multilabel-indicator": ([[1, 0], [0, 1], [1, 1]], [[.3, .7], [.6, .4], [.5, .5]]),
}


@pytest.mark.parametrize("kind", MULTIOUTPUT_LABELS)
@pytest.mark.parametrize("name", ["log_loss", "brier_score_loss", "d2_brier_score", "d2_log_loss_score"])
def test_targets_that_label_binarization_refuses(name, kind):
    y_true, y_proba = MULTIOUTPUT_LABELS[kind]
    call_both(name, np.array(y_true), np.array(y_proba))


@pytest.mark.parametrize("heavy", [1e300, 2.0**62, 2**62, 1e150])
@pytest.mark.parametrize("name", ["r2_score", "explained_variance_score"])
def test_one_weight_that_dwarfs_the_others(name, heavy):
    """The variances are sums of small deviations, as sklearn's two-pass sums of squares, not differences of
    second moments that the heavy weight rounds away."""
    y = np.array([1.5, -2.0, 0.25, 3.0, 0.0, 7.5])
    weights = np.array([1, 0, 2, 1, 0, 1], dtype=type(heavy))
    weights[1] = heavy
    ours, theirs = call_both(name, y, y[::-1].copy(), sample_weight=weights, rtol=1e-9)
    assert abs(theirs) > 1e-3
    two_outputs = np.stack([y, y * 3 + 1e6], axis=1)
    call_both(name, two_outputs, two_outputs[::-1].copy(), sample_weight=weights, multioutput="raw_values", rtol=1e-9)


NEGATIVE = {
    "the issue's": ([0, 1, 1, 0, 1, 1, 0, 1], [.1, .8, .6, .3, .9, .2, .7, .4], [1, -.5, 2, 1.5, .25, 1, -1, 1]),
    "a curve that turns back": ([1, 1, 1, 0, 1, 0, 0, 0, 0, 0], [1, 1, .75, .75, 1, .75, .25, 0, .5, .25],
                                [.5, -1.5, 1, 1.5, -1, 1, -.5, -1.5, 1.5, 1.5]),
    "a tie whose weights cancel": ([1, 0, 0, 1, 0, 0, 0], [.75, .75, .75, .5, .75, .5, .75],
                                   [-1.5, -.5, 1, -1, -1, 1.5, -1]),
    "negative positives in all": ([1, 1, 0, 1, 0], [.9, .1, .5, .4, .3], [-2, .5, 1, .5, 1]),
    "positives that cancel": ([1, 1, 1, 1], [.25, 1, .5, 1], [1.5, -1, 1, -1.5]),
}


@pytest.mark.parametrize("case", NEGATIVE)
@pytest.mark.parametrize("name", RANKING)
def test_negative_weights(name, case):
    y, score, w = (np.array(a) for a in NEGATIVE[case])
    call_both(name, y, score, sample_weight=w, runtime_warnings=False)


@pytest.mark.parametrize("name", ["roc_auc_score", "average_precision_score"])
@pytest.mark.parametrize("y", [[1, 1], [0, 0], [0, 1], [[1, 1], [0, 1]]])
def test_all_zero_weights(name, y):
    scores = np.array([[.2, .4], [.7, .1]]) if np.ndim(y) == 2 else np.array([.2, .7])
    call_both(name, np.array(y), scores, sample_weight=np.zeros(2), runtime_warnings=False)


def test_all_zero_weights_of_one_class_give_nan_with_sklearns_warning():
    assert np.isnan(call_both("roc_auc_score", [1, 1], [.2, .7], sample_weight=[0, 0])[0])


@pytest.mark.parametrize("name", ["r2_score", "explained_variance_score"])
def test_negative_weights_that_make_the_variance_negative(name):
    call_both(name, np.array([0, 0, 0, 0, .25]), np.array([0, .5, 0, 0, 0]), sample_weight=np.array([0, 0, 0, .5, -1]))
