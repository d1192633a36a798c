"""The examples in the metric docstrings run and print what they say."""

import doctest
import importlib

import pytest

MODULES = ["accuracy_metrics", "confusion_metrics", "correlation_metrics", "exact_auc", "f_score_metrics", "hinge_metrics",
           "iou_metrics", "probabilistic_metrics", "reduction_metrics", "regression_metrics"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"accumetrics.keras.{name}")
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0
