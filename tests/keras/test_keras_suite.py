"""Keras's own metric tests, run against accumetrics.keras.

The Keras wheel ships its tests (``keras/src/metrics/*_test.py``). Each file is read
from the installed package and compiled with only its imports of the metrics
pointed at ``accumetrics.keras`` (``from keras.src import metrics``,
``from keras.src.metrics import X``); everything else in it, Keras's own testing
machinery included, is Keras's. Its test classes are collected here under their
own names. ``metric_test.py`` tests Keras's ``Metric`` base class, which ours
extend, and is not run.

The deviations kept on purpose are listed in ``docs/keras.md`` and marked as
expected failures below, strictly: a listed test that passes fails the run.
"""

from __future__ import annotations

import re
import sys
import types
import unittest
from pathlib import Path

import pytest

keras = pytest.importorskip("keras")
pytest.importorskip("absl")

import keras.src.metrics  # noqa: E402

SUITE = Path(keras.src.metrics.__file__).parent
FILES = ("accuracy_metrics", "confusion_metrics", "correlation_metrics", "f_score_metrics", "hinge_metrics",
         "iou_metrics", "probabilistic_metrics", "reduction_metrics", "regression_metrics")

# The import lines that name the metrics under test, and what they become. metrics_utils (Keras's
# AUCCurve and AUCSummationMethod enums) stays Keras's.
_METRICS_IMPORT = re.compile(r"^from keras\.src(?:\.metrics)? import (?!metrics_utils\b)(\w+)( as \w+)?$")

# The deviations kept, all from exact state (docs/keras.md, "Keras's own tests"): test id (Class::method)
# -> (the backends where it fails, why).
_LOW_PARTS = ("JAX without jax_enable_x64 has no float64: each state is a float32 variable and a second one "
              "for its rounding error (name + '_low'), so there are twice Keras's variables")
_CONFIG_TESTS = ["AccuracyTest", "BinaryAccuracyTest", "CategoricalAccuracyTest", "SparseCategoricalAccuracyTest",
                 "TopKCategoricalAccuracyTest", "SparseTopKCategoricalAccuracyTest", "FalsePositivesTest",
                 "FalseNegativesTest", "TrueNegativesTest", "TruePositiveTest", "PrecisionTest", "RecallTest",
                 "SensitivityAtSpecificityTest", "SpecificityAtSensitivityTest", "PrecisionAtRecallTest",
                 "RecallAtPrecisionTest", "AUCTest", "HingeTest", "SquaredHingeTest", "CategoricalHingeTest",
                 "SumTest", "MeanTest", "MetricWrapperTest"]
EXPECTED_FAILURES: dict[str, tuple[tuple[str, ...], str]] = {
    "MeanIoUTest::test_user_warning_float_weight": (
        ("tensorflow", "jax", "torch"),
        "float64 state keeps fractional sample weights, so there is no truncation to warn about (Keras's "
        "default integer confusion matrix truncates them, and warns)"),
    **{f"{name}::test_config": (("jax-float32",), _LOW_PARTS) for name in _CONFIG_TESTS},
    "AUCTest::test_config_manual_thresholds": (("jax-float32",), _LOW_PARTS),
}


def _backend() -> str:
    name = keras.backend.backend()
    if name == "jax":
        import jax

        return "jax" if jax.config.jax_enable_x64 else "jax-float32"
    return name


def rewrite(source: str) -> tuple[str, int]:
    """``source`` with its metric imports pointed at accumetrics.keras, and how many lines changed."""
    lines, changed = source.splitlines(keepends=True), 0
    for i, line in enumerate(lines):
        match = _METRICS_IMPORT.match(line.rstrip("\n"))
        if match is None:
            continue
        name, alias = match.groups()
        if line.startswith("from keras.src import ") and name != "metrics":
            continue  # testing, layers, models, ops...: Keras's
        lines[i] = f"from accumetrics.keras import {name}{alias or ''}\n"
        changed += 1
    return "".join(lines), changed


def load(stem: str) -> types.ModuleType:
    """Keras's ``<stem>_test.py`` as a module testing accumetrics.keras."""
    path = SUITE / f"{stem}_test.py"
    source, changed = rewrite(path.read_text())
    if not changed:
        raise RuntimeError(f"{path}: no import of the metrics found to point at accumetrics.keras")
    module = types.ModuleType(f"keras_suite.{stem}_test")
    module.__file__ = str(path)  # tracebacks show Keras's lines: only import lines changed, none moved
    sys.modules[module.__name__] = module
    exec(compile(source, str(path), "exec"), module.__dict__)
    return module


def _test_classes():
    for stem in FILES:
        module = load(stem)
        for name, obj in vars(module).items():
            if isinstance(obj, type) and issubclass(obj, unittest.TestCase) and obj.__module__ == module.__name__:
                yield name, obj


def _mark_expected_failures(classes):
    backend = _backend()
    for test_id, (backends, reason) in EXPECTED_FAILURES.items():
        class_name, method = test_id.split("::")
        test = getattr(classes.get(class_name), method, None)
        if test is None:
            raise RuntimeError(f"expected failure {test_id} names no test of the Keras suite")
        if backend in backends or (backend == "jax-float32" and "jax" in backends):
            setattr(classes[class_name], method, pytest.mark.xfail(strict=True, reason=reason)(test))


def test_expected_failures_are_documented():
    """Each kept deviation is listed, with its reason, in docs/keras.md."""
    doc = (Path(__file__).parents[2] / "docs" / "keras.md").read_text()
    missing = [test_id for test_id in EXPECTED_FAILURES if f"`{test_id}`" not in doc]
    assert not missing, f"docs/keras.md does not list {missing}"


_CLASSES = dict(_test_classes())
_mark_expected_failures(_CLASSES)
globals().update(_CLASSES)
