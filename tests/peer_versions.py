"""The installed scikit-learn and Keras, for the comparisons with what only their newer releases have.

accumetrics follows the newest scikit-learn and Keras. An older Python gets older ones (CPython 3.10:
scikit-learn 1.7, Keras 3.12), which lack some functions and arguments or give values the newer releases
changed. A comparison with such a case is marked here, naming the installed release, so that it still
runs, and must pass, wherever the newer one is installed.
"""

from __future__ import annotations

import inspect
from importlib.metadata import PackageNotFoundError, version

import pytest
from packaging.version import Version

DISTRIBUTIONS = {"sklearn": "scikit-learn", "keras": "keras"}


def installed(peer: str) -> Version | None:
    """The installed release of ``sklearn`` or ``keras``, or None where it is not installed."""
    try:
        return Version(version(DISTRIBUTIONS[peer]))
    except PackageNotFoundError:
        return None


def _named(peer: str) -> str:
    return f"{DISTRIBUTIONS[peer]} {installed(peer)}"


def sklearn_lacks(function: str, argument: str | None = None) -> bool:
    """Whether the installed sklearn.metrics has no ``function``, or no ``argument`` of it."""
    if installed("sklearn") is None:
        return False
    import sklearn.metrics

    found = getattr(sklearn.metrics, function, None)
    if found is None:
        return True
    return argument is not None and argument not in inspect.signature(found).parameters


def _lacking(function: str, argument: str | None) -> str:
    what = function if argument is None or sklearn_lacks(function) else f"{function}'s {argument}"
    return f"{_named('sklearn')} has no {what}"


def needs_sklearn(function: str, argument: str | None = None):
    """Skips a comparison with a function, or an argument, that the installed scikit-learn does not have."""
    return pytest.mark.skipif(sklearn_lacks(function, argument), reason=_lacking(function, argument))


def skip_unless_sklearn_has(function: str, argument: str | None = None) -> None:
    """`needs_sklearn` inside a test, for one of its parameters."""
    if sklearn_lacks(function, argument):
        pytest.skip(_lacking(function, argument))


def skip_unless_keras_has(metric: str, *arguments: str) -> None:
    """Skips a comparison with ``keras.metrics.<metric>`` where the installed Keras lacks one of ``arguments``."""
    import keras

    lacking = [a for a in arguments if a not in inspect.signature(getattr(keras.metrics, metric)).parameters]
    if lacking:
        pytest.skip(f"keras.metrics.{metric} takes no {', '.join(lacking)} in {_named('keras')}")


def older_than(peer: str, release: str) -> bool:
    found = installed(peer)
    return found is not None and found < Version(release)


def changed_in(peer: str, release: str, what: str):
    """Expects a comparison to fail where the installed peer predates the release whose behaviour we follow."""
    return pytest.mark.xfail(
        older_than(peer, release),
        reason=f"accumetrics follows {DISTRIBUTIONS[peer]} {release}+ in {what}; {_named(peer)} is installed",
        strict=True,
    )


_WEIGHTS = "sample_weight checks (all-zero, NaN, infinite, complex and 2-D weights refused, with its messages)"
_RESULTS = "these results and errors"
_BAD_WEIGHTS = [f"{name}-y_true{i}-y_pred{i}-{problem}" for i, name, problems in (
    (0, "mean_squared_error", ["2-D"]), (1, "r2_score", ["2-D"]), (2, "f1_score", ["2-D", "infinity", "nan"]),
    (3, "confusion_matrix", ["2-D", "complex", "infinity", "nan"]), (4, "log_loss", ["2-D", "complex", "infinity", "nan"]),
) for problem in problems]
_REGRESSION = ["mean_absolute_error", "mean_squared_error", "root_mean_squared_error", "mean_absolute_percentage_error",
               "mean_squared_log_error", "root_mean_squared_log_error", "r2_score", "explained_variance_score"]

# Test ids whose reference values are scikit-learn 1.9's, expected to fail against an older scikit-learn.
SKLEARN_1_9 = {
    **{f"test_sklearn_inputs.py::test_bad_weights_get_sklearn_messages[{case}]": _WEIGHTS for case in _BAD_WEIGHTS},
    **{f"test_sklearn_inputs.py::test_all_zero_weights_as_sklearn[{name}-{average}]": _WEIGHTS
       for name in ("roc_auc_score", "average_precision_score") for average in ("macro", "micro")},
    **{f"test_sklearn_regression.py::test_errors_match[{name}-case7]": _WEIGHTS for name in _REGRESSION},
    "test_sklearn_classification.py::test_sample_weight_rules[kwargs0]": _WEIGHTS,
    "test_sklearn_classification.py::test_sample_weight_rules[kwargs3]": _WEIGHTS,
    "test_sklearn_classification.py::test_cohen_kappa": _WEIGHTS,
    **{f"test_sklearn_classification.py::test_degenerate_labels[y_true{i}-y_pred{i}]":
       "cohen_kappa_score's UndefinedMetricWarning for an undefined kappa" for i in (0, 2, 3, 4)},
    "test_sklearn_classification.py::test_bad_targets_raise_like_sklearn[y_true1-y_pred1]": "the error for empty targets",
    "test_sklearn_classification.py::test_bad_targets_raise_like_sklearn[y_true3-y_pred3]":
        "the error for targets mixing strings and numbers",
    "test_sklearn_classification.py::test_probabilistic_losses": _RESULTS,
    "test_sklearn_classification.py::test_probabilistic_edge_cases": _RESULTS,
    "test_sklearn_deviances.py::test_multioutput_functions_against_sklearn": _RESULTS,
    "test_sklearn_deviances.py::test_weighted_quantile_with_zero_weights_at_the_quantile": _RESULTS,
    "test_sklearn_ranking.py::test_curves": _RESULTS,
}


def mark_changed_comparisons(items) -> None:
    """Marks the collected tests listed in SKLEARN_1_9 with `changed_in`."""
    for item in items:
        what = SKLEARN_1_9.get(item.nodeid.split("tests/", 1)[-1])
        if what is not None:
            item.add_marker(changed_in("sklearn", "1.9", what))
