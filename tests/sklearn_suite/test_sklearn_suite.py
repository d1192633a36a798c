"""scikit-learn's own metric tests, from its installed wheel, on accumetrics' functions.

``plugin.py`` runs sklearn's test_classification, test_ranking, test_regression and test_common with
every name of sklearn.metrics that accumetrics exports bound to accumetrics' function. Two runs, each
in its own process (scipy reads ``SCIPY_ARRAY_API`` once, when it is first imported), started together:

- ``optional``: with pandas, polars and array-api-strict, and ``SCIPY_ARRAY_API=1``, so that sklearn's
  dataframe and array API tests run too;
- ``bare``: with those packages hidden, and no ``SCIPY_ARRAY_API``, as on a plain install.

Each file must pass in both runs, except the deviations docs/sklearn.md lists (strict expected failures).
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sklearn = pytest.importorskip("sklearn")

from .deviations import FILES, compiled, rebound_names  # noqa: E402

OPTIONAL = ("pandas", "polars", "array_api_strict")
RUNS = {
    "optional": {"SCIPY_ARRAY_API": "1"},
    "bare": {"ACCUMETRICS_SUITE_HIDE": ",".join(OPTIONAL)},
}
_NESTED = "ACCUMETRICS_SKLEARN_SUITE_RUN"  # set in the runs, which must not start runs of their own
HERE = Path(__file__).resolve().parent


def _environment(extra: dict, report: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("SCIPY_ARRAY_API", "ACCUMETRICS_SUITE_HIDE")}
    path = [str(HERE.parent)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    return {**env, **extra, _NESTED: "1", "PYTHONPATH": os.pathsep.join(path), "ACCUMETRICS_SUITE_REPORT": str(report)}


@functools.cache
def results() -> dict:
    """{run: {"outcomes", "failures", "collected", "returncode", "tail"}}, both runs started at once."""
    workdir = Path(tempfile.mkdtemp(prefix="sklearn-suite-"))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "sklearn_suite.plugin",
               "--rootdir", str(Path(sklearn.__file__).parent), "--pyargs",
               *(f"sklearn.metrics.tests.{name}" for name in FILES)]
    started = {}
    for run, extra in RUNS.items():
        report = workdir / f"{run}.json"
        log = open(workdir / f"{run}.log", "w+")
        process = subprocess.Popen(command, cwd=workdir, env=_environment(extra, report), stdout=log,
                                   stderr=subprocess.STDOUT, text=True)
        started[run] = (process, report, log)
    out = {}
    for run, (process, report, log) in started.items():
        returncode = process.wait(timeout=3600)
        log.seek(0)
        tail = log.read()[-4000:]
        log.close()
        data = json.loads(report.read_text()) if report.exists() else {"outcomes": {}, "failures": {}, "collected": []}
        out[run] = {**data, "returncode": returncode, "tail": tail}
    return out


skip_nested = pytest.mark.skipif(bool(os.environ.get(_NESTED)), reason="already inside a suite run")


@skip_nested
@pytest.mark.parametrize("run", sorted(RUNS))
@pytest.mark.parametrize("file", FILES)
def test_sklearn_metric_tests_pass(file, run):
    result = results()[run]
    assert result["collected"], f"{run}: nothing collected\n{result['tail']}"
    outcomes = {test: outcome for test, outcome in result["outcomes"].items()
                if test.startswith(f"{file}.py::") or test == f"collect:{file}.py"}
    bad = {test: outcome for test, outcome in outcomes.items() if outcome not in ("passed", "skipped", "xfailed")}
    details = "\n\n".join(f"{test} ({outcome}):\n{result['failures'].get(test, '')[-1500:]}"
                          for test, outcome in list(bad.items())[:5])
    assert not bad, f"{run}: {len(bad)} of sklearn's {file} tests fail on accumetrics: {sorted(bad)[:30]}\n{details}"
    assert any(outcome == "passed" for outcome in outcomes.values()), f"{run}: no {file} test passed"


@skip_nested
def test_every_listed_deviation_is_a_collected_test():
    import sklearn.metrics

    import accumetrics

    collected = results()["optional"]["collected"]
    expected = compiled(rebound_names(sklearn.metrics, accumetrics))
    stale = [pattern for pattern, (_, regex) in expected.items() if not any(regex.match(test) for test in collected)]
    assert not stale, f"docs/sklearn.md lists tests that sklearn {sklearn.__version__} does not have: {stale}"


@skip_nested
def test_only_the_optional_run_has_the_optional_packages():
    strict = {run: {t: o for t, o in results()[run]["outcomes"].items() if "array_api_strict-CPU_DEVICE" in t}
              for run in RUNS}
    assert strict["bare"] and set(strict["bare"].values()) == {"skipped"}
    assert "passed" in strict["optional"].values()
