"""Inputs at the sklearn face, against sklearn.metrics: weights (exact integer sums, sklearn's checks and
messages), arrays of other libraries and sklearn's array_api_dispatch, and the warning class."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest

import accumetrics as am
from accumetrics import exceptions

sk = pytest.importorskip("sklearn.metrics")
import sklearn  # noqa: E402

INT64_MAX = np.iinfo(np.int64).max


@pytest.mark.parametrize("weight", [2**53 + 1, INT64_MAX // 2, INT64_MAX, 7])
def test_integer_weights_sum_exactly_as_sklearn(weight):
    y_true, y_pred = [0, 1, 1, 2, 1], [0, 1, 1, 2, 2]
    w = np.full(5, weight, dtype=np.int64)
    ours = am.confusion_matrix(y_true, y_pred, sample_weight=w)
    ref = sk.confusion_matrix(y_true, y_pred, sample_weight=w)
    assert ours.dtype == ref.dtype == np.int64
    np.testing.assert_array_equal(ours, ref)  # int64 max twice in a cell wraps, as numpy's (and sklearn's) int64


def test_bool_and_object_weights_as_sklearn():
    y_true, y_pred = [0, 1, 1, 0], [0, 1, 0, 0]
    for w in (np.array([True, False, True, True]), np.array([1, 2, 3, 4], dtype=object)):
        ours, ref = am.confusion_matrix(y_true, y_pred, sample_weight=w), sk.confusion_matrix(y_true, y_pred, sample_weight=w)
        assert ours.dtype == ref.dtype
        np.testing.assert_array_equal(ours, ref)
    w = np.array([True, False, True, True])
    assert am.f1_score(y_true, y_pred, sample_weight=w) == sk.f1_score(y_true, y_pred, sample_weight=w)


def _message(fn, *args, **kwargs) -> str:
    with pytest.raises(ValueError) as info:
        fn(*args, **kwargs)
    return str(info.value)


BAD_WEIGHTS = {
    "length": np.ones(7),
    "nan": np.r_[np.nan, np.ones(4)],
    "infinity": np.r_[np.inf, np.ones(4)],
    "complex": np.ones(5) + 1j,
    "2-D": np.ones((5, 2)),
}


@pytest.mark.parametrize("problem", sorted(BAD_WEIGHTS))
@pytest.mark.parametrize("name, y_true, y_pred", [
    ("mean_squared_error", [1.0, 2, 3, 4, 5], [1.5, 2, 3, 4, 4]),
    ("r2_score", [1.0, 2, 3, 4, 5], [1.5, 2, 3, 4, 4]),
    ("f1_score", [0, 1, 1, 0, 1], [0, 1, 0, 0, 1]),
    ("confusion_matrix", [0, 1, 1, 0, 1], [0, 1, 0, 0, 1]),
    ("log_loss", [0, 1, 1, 0, 1], [0.2, 0.7, 0.4, 0.1, 0.9]),
    ("roc_auc_score", [0, 1, 1, 0, 1], [0.2, 0.7, 0.4, 0.1, 0.9]),
    ("average_precision_score", [0, 1, 1, 0, 1], [0.2, 0.7, 0.4, 0.1, 0.9]),
])
def test_bad_weights_get_sklearn_messages(name, y_true, y_pred, problem):
    w = BAD_WEIGHTS[problem]
    ref = _message(getattr(sk, name), y_true, y_pred, sample_weight=w)
    ours = _message(getattr(am, name), y_true, y_pred, sample_weight=w)
    assert ours.splitlines()[0] == ref.splitlines()[0]


def test_one_vs_one_refuses_weights_before_checking_them():
    y = [0, 1, 2, 0, 1, 2]
    proba = np.full((6, 3), 1 / 3)
    message = "sample_weight is not supported for multiclass one-vs-one ROC AUC"
    for fn in (sk.roc_auc_score, am.roc_auc_score):
        with pytest.raises(ValueError, match=message):
            fn(y, proba, multi_class="ovo", sample_weight=[])


@pytest.mark.parametrize("average", ["macro", "micro", "weighted", "samples"])
@pytest.mark.parametrize("name", ["roc_auc_score", "average_precision_score"])
def test_all_zero_weights_as_sklearn(name, average):
    y = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
    score = np.array([[0.9, 0.2], [0.3, 0.8], [0.6, 0.7], [0.1, 0.4]])
    w = np.zeros(4)
    try:
        ref, ref_error = getattr(sk, name)(y, score, sample_weight=w, average=average), None
    except (ValueError, ZeroDivisionError) as e:
        ref, ref_error = None, e
    if ref_error is None:
        assert getattr(am, name)(y, score, sample_weight=w, average=average) == ref
    else:
        with pytest.raises(type(ref_error), match=re.escape(str(ref_error))):
            getattr(am, name)(y, score, sample_weight=w, average=average)


def test_label_lists_printed_as_sklearn():
    proba = [[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]]
    labels = ["a", "c", "d"]
    assert _message(am.log_loss, ["a", "b"], proba, labels=labels) == _message(sk.log_loss, ["a", "b"], proba, labels=labels)


def test_strings_of_numbers_in_regression_read_as_sklearn():
    y_true, y_pred = np.array(["1.5", "2", "4"]), [1, 2, 3.5]
    assert am.mean_squared_error(y_true, y_pred) == sk.mean_squared_error(y_true, y_pred)
    assert am.r2_score(np.array([1, 2, 4], dtype=object), y_pred) == sk.r2_score(np.array([1, 2, 4], dtype=object), y_pred)


def test_undefined_metric_warning_is_sklearns():
    from sklearn.exceptions import UndefinedMetricWarning

    assert issubclass(exceptions.UndefinedMetricWarning, UndefinedMetricWarning)
    with pytest.warns(UndefinedMetricWarning, match="Precision is ill-defined"):
        am.precision_score([0, 0], [0, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("error", UndefinedMetricWarning)
        with pytest.raises(UndefinedMetricWarning):
            am.recall_score([0, 0], [1, 1])


def test_warning_adopts_sklearns_base_when_sklearn_comes_later():
    code = (
        "import sys, accumetrics.exceptions as e\n"
        "assert 'sklearn' not in sys.modules\n"
        "import sklearn.exceptions as s\n"
        "assert issubclass(e.UndefinedMetricWarning, s.UndefinedMetricWarning)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_arrays_of_other_libraries_are_read_in_place():
    torch = pytest.importorskip("torch")
    y_true, y_pred = torch.tensor([0, 1, 2, 2, 1]), torch.tensor([0, 2, 2, 2, 1])
    ours = am.confusion_matrix(y_true, y_pred)
    assert isinstance(ours, np.ndarray)
    np.testing.assert_array_equal(ours, sk.confusion_matrix(y_true.numpy(), y_pred.numpy()))


_DISPATCH = """
import numpy as np, sklearn, torch, accumetrics as am
from sklearn.metrics import confusion_matrix
y_true, y_pred = torch.tensor([0, 1, 2, 2, 1]), torch.tensor([0, 2, 2, 2, 1])
with sklearn.config_context(array_api_dispatch=True):
    ours, ref = am.confusion_matrix(y_true, y_pred), confusion_matrix(y_true, y_pred)
    fpr, tpr, _ = am.roc_curve(torch.tensor([0, 1, 1, 0]), torch.tensor([0.1, 0.8, 0.4, 0.5], dtype=torch.float64))
    score = am.f1_score(y_true, y_pred, average="macro")
assert type(ours) is type(ref) is torch.Tensor and ours.device == ref.device, (type(ours), type(ref))
assert torch.equal(ours, ref)
assert isinstance(fpr, torch.Tensor) and isinstance(tpr, torch.Tensor) and isinstance(score, float)
"""


def test_results_follow_array_api_dispatch():
    pytest.importorskip("torch")
    env = {**os.environ, "SCIPY_ARRAY_API": "1"}  # read by scipy once, when imported: a process of its own
    subprocess.run([sys.executable, "-c", _DISPATCH], check=True, env=env)


def test_arrays_on_a_device_numpy_cannot_read_are_refused():
    xp = pytest.importorskip("array_api_strict")
    on_device = xp.asarray([0, 1, 1, 0], device=xp.Device("device1"))
    with pytest.raises(ValueError, match=r"y_pred is on device .*device1.*Move y_pred to the CPU"):
        am.accuracy_score([0, 1, 1, 0], on_device)
    with pytest.raises(ValueError, match=r"sample_weight is on device .*Move sample_weight to the CPU"):
        am.mean_absolute_error([1.0, 2, 3, 4], [1.0, 2, 3, 5], sample_weight=xp.asarray([1.0, 1, 1, 1], device=xp.Device("device1")))
    assert am.accuracy_score([0, 1, 1, 0], xp.asarray([0, 1, 1, 1])) == 0.75  # its CPU device reads in place
