"""A pytest plugin that runs scikit-learn's installed metric tests on accumetrics' functions.

Loaded with ``-p sklearn_suite.plugin`` in a pytest run of ``--pyargs sklearn.metrics.tests...``:

- While one of sklearn's test modules executes, every name of ``sklearn.metrics`` that accumetrics
  also exports is bound to accumetrics' function, so the module's ``from sklearn.metrics import ...``,
  and every metric table and parametrization built from those names, hold accumetrics'. The
  modules it imports are imported first, unpatched, so that sklearn itself keeps its own functions.
- The deviations listed in docs/sklearn.md are marked strict expected failures, by test id.
- ``ACCUMETRICS_SUITE_HIDE`` (comma-separated top-level modules) makes those packages unimportable,
  as if they were not installed; ``ACCUMETRICS_SUITE_REPORT`` names a JSON file for the outcomes.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import importlib.abc
import json
import os
import sys
from pathlib import Path

import pytest

from sklearn_suite.deviations import FILES, compiled, reason_for, rebound_names

MODULES = {f"sklearn.metrics.tests.{name}" for name in FILES}


class _Hidden(importlib.abc.MetaPathFinder):
    """Refuses to import the given top-level packages, as if they were not installed."""

    def __init__(self, names):
        self.names = frozenset(names)

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {name!r} (hidden for this run)", name=name)
        return None


def _hide(names) -> None:
    loaded = sorted(n for n in names if n in sys.modules)
    if loaded:
        raise RuntimeError(f"cannot hide {loaded}: already imported")
    sys.meta_path.insert(0, _Hidden(names))


_hidden = [n for n in os.environ.get("ACCUMETRICS_SUITE_HIDE", "").split(",") if n]
if _hidden:
    _hide(_hidden)


@contextlib.contextmanager
def _bound(module, names: dict):
    saved = {name: getattr(module, name) for name in names}
    for name, value in names.items():
        setattr(module, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(module, name, value)


def _imported_modules(source: str) -> list[str]:
    """The absolute modules a test module imports at its top level."""
    found = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
    return found


class _RebindingLoader(importlib.abc.Loader):
    """Executes a sklearn test module with sklearn.metrics' names bound to accumetrics'."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        import sklearn.metrics

        import accumetrics

        for name in _imported_modules(Path(module.__spec__.origin).read_text()):
            importlib.import_module(name)
        with _bound(sklearn.metrics, rebound_names(sklearn.metrics, accumetrics)):
            self.loader.exec_module(module)


class _RebindingFinder(importlib.abc.MetaPathFinder):
    """Finds sklearn's metric test modules through the other finders (pytest's assertion
    rewriting included) and wraps their loader."""

    def find_spec(self, name, path=None, target=None):
        if name not in MODULES:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                spec.loader = _RebindingLoader(spec.loader)
                return spec
        return None


sys.meta_path.insert(0, _RebindingFinder())


def test_id(nodeid: str) -> str:
    """'test_common.py::test_x[p]' from any node id of a sklearn metrics test."""
    return nodeid.rsplit("/", 1)[-1]


def pytest_collection_modifyitems(config, items):
    import sklearn.metrics

    import accumetrics

    expected = compiled(rebound_names(sklearn.metrics, accumetrics))
    for item in items:
        reason = reason_for(test_id(item.nodeid), expected)
        if reason is not None:
            item.add_marker(pytest.mark.xfail(strict=True, reason=reason))
    config.stash[_collected] = [test_id(item.nodeid) for item in items]


_collected = pytest.StashKey[list]()
_outcomes: dict[str, str] = {}


def pytest_runtest_logreport(report):
    key = test_id(report.nodeid)
    if report.when == "call" or report.outcome != "passed":
        if hasattr(report, "wasxfail"):
            outcome = "xfailed" if report.skipped else "xpassed"
        else:
            outcome = report.outcome
        if _outcomes.get(key) in (None, "passed"):  # a failing teardown overrides a passed call
            _outcomes[key] = outcome
        if report.failed and report.longreprtext:
            _failures.setdefault(key, report.longreprtext[-3000:])


_failures: dict[str, str] = {}


def pytest_collectreport(report):
    if report.failed:
        _outcomes[f"collect:{test_id(report.nodeid)}"] = "error"
        _failures[f"collect:{test_id(report.nodeid)}"] = report.longreprtext[-3000:]


def pytest_sessionfinish(session):
    path = os.environ.get("ACCUMETRICS_SUITE_REPORT")
    if path:
        collected = session.config.stash.get(_collected, [])
        Path(path).write_text(json.dumps({"outcomes": _outcomes, "failures": _failures, "collected": collected}))
