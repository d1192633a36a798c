"""The accumulators are the only door to the core: no module outside them imports the extension."""

import ast
from pathlib import Path

import accumetrics

PACKAGE = Path(accumetrics.__file__).parent
# The numpy accumulators, each owning its core object, its input conversion and its stateless batch counts,
# and what they share.
ACCUMULATOR_LAYER = {"_accumulator", "_validation", "binned_auc", "bootstrap", "calibration", "confusion",
                     "deviance", "moments", "paired", "thresholds"}


def _imports_core(tree: ast.AST, package: list[str]) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            if any(alias.name == "accumetrics._core" for alias in node.names):
                return True
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = base + (node.module.split(".") if node.module else [])
            if module == ["accumetrics", "_core"]:
                return True
            if module == ["accumetrics"] and any(alias.name == "_core" for alias in node.names):
                return True
    return False


def test_only_the_accumulator_layer_imports_the_core():
    importers = set()
    for path in PACKAGE.rglob("*.py"):
        parts = ["accumetrics", *path.relative_to(PACKAGE).with_suffix("").parts]
        package = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
        if _imports_core(ast.parse(path.read_text()), package):
            importers.add(".".join(parts[1:]))
    assert importers and importers <= ACCUMULATOR_LAYER, sorted(importers - ACCUMULATOR_LAYER)


def test_the_check_sees_each_form_of_import():
    for source, package in (("from . import _core", ["accumetrics"]),
                            ("from .. import _core", ["accumetrics", "keras"]),
                            ("from .._core import argmax", ["accumetrics", "metrics"]),
                            ("import accumetrics._core", ["accumetrics", "cli"]),
                            ("from accumetrics import _core", ["accumetrics", "cli"])):
        assert _imports_core(ast.parse(source), package), source
    assert not _imports_core(ast.parse("from ..confusion import ConfusionBatch"), ["accumetrics", "keras"])
