"""The sklearn-style ranking, regression and classification functions on random data and sample weights
(none, positive, negative, zero, all zero, summing to zero; integer and float): sklearn.metrics' value within
1e-9, or an error of sklearn's class. The deviations kept are listed in docs/sklearn.md."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import accumetrics as am
from peer_versions import installed, older_than
from property_depth import examples

skm = pytest.importorskip("sklearn.metrics")
if older_than("sklearn", "1.9"):  # the values compared here are scikit-learn 1.9's
    pytest.skip(f"accumetrics follows scikit-learn 1.9+ in these weights and targets; scikit-learn "
                f"{installed('sklearn')} is installed", allow_module_level=True)

SETTINGS = settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])

RANKING = ["roc_auc_score", "average_precision_score", "roc_curve", "precision_recall_curve",
           "confusion_matrix_at_thresholds", "det_curve"]
REGRESSION = ["mean_squared_error", "mean_absolute_error", "root_mean_squared_error", "r2_score",
              "explained_variance_score", "mean_absolute_percentage_error", "mean_squared_log_error",
              "mean_pinball_loss", "mean_poisson_deviance", "d2_absolute_error_score", "median_absolute_error"]
LABELS = ["accuracy_score", "balanced_accuracy_score", "f1_score", "precision_score", "recall_score",
          "jaccard_score", "matthews_corrcoef", "cohen_kappa_score", "hamming_loss", "zero_one_loss",
          "confusion_matrix"]
PROBABILITIES = ["log_loss", "brier_score_loss", "d2_brier_score", "d2_log_loss_score"]
# sklearn divides by a weighted mean it rounds: for a constant y_true its sum of squares is rounding noise,
# where accumetrics' is 0 (docs/sklearn.md)
CENTERED = ("r2_score", "explained_variance_score")


def _weights(draw, n):
    kind = draw(st.sampled_from(["none", "positive", "integers", "negative", "zeros", "all zero", "sum zero",
                                 "floats"]))
    if kind == "none":
        return None
    if kind == "floats":
        return np.array(draw(st.lists(st.floats(-3, 3, allow_subnormal=False), min_size=n, max_size=n)))
    low = {"positive": 1, "integers": 0, "negative": -4, "zeros": 0, "all zero": 0, "sum zero": -4}[kind]
    w = np.array(draw(st.lists(st.integers(low, 4), min_size=n, max_size=n)))
    if kind == "all zero":
        w[:] = 0
    elif kind == "zeros":
        w[::2] = 0
    elif kind == "sum zero":
        w[-1] -= w.sum()
    return w if kind == "integers" else w / 2


@st.composite
def calls(draw):
    name = draw(st.sampled_from(RANKING + REGRESSION + LABELS + PROBABILITIES))
    n = draw(st.integers(1, 10))
    w = _weights(draw, n)
    small = st.lists(st.integers(0, 8), min_size=n, max_size=n)
    if name in REGRESSION:
        y_true, y_pred = (np.array(draw(small)) / 4 for _ in range(2))
        return name, (y_true, y_pred), w, {}
    if name in LABELS:
        classes = st.lists(st.integers(0, draw(st.integers(1, 3))), min_size=n, max_size=n)
        kwargs = {"average": "macro"} if name in ("f1_score", "precision_score", "recall_score", "jaccard_score") else {}
        return name, (np.array(draw(classes)), np.array(draw(classes))), w, kwargs
    y_true = np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    score = np.array(draw(small)) / 8
    return name, (y_true, score), w, {}


def _call(module, name, args, w, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            try:
                return getattr(module, name)(*args, sample_weight=w, **kwargs)
            except Exception as e:  # noqa: BLE001
                return e


def _values(result):
    return [np.asarray(r, dtype=np.float64) for r in (result if isinstance(result, tuple) else (result,))]


@SETTINGS
@given(calls())
def test_sklearn_value_or_sklearn_error(call):
    name, args, w, kwargs = call
    theirs = _call(skm, name, args, w, kwargs)
    ours = _call(am, name, args, w, kwargs)
    if isinstance(theirs, Exception):
        expected = ValueError if isinstance(theirs, ValueError) else type(theirs)
        assert isinstance(ours, expected), (name, args, w, ours, theirs)
        return
    assert not isinstance(ours, Exception), (name, args, w, ours, theirs)
    kept = w is None or w.any()
    if name in CENTERED and kept and np.unique(args[0] if w is None else args[0][w != 0]).size == 1:
        return
    for a, b in zip(_values(ours), _values(theirs), strict=True):
        assert a.shape == b.shape, (name, args, w, ours, theirs)
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True, err_msg=f"{name} {args} {w}")
