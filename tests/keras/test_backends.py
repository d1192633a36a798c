"""The accumetrics.keras suite on the JAX and torch backends, each in its own process.

Keras picks its backend once per process (``KERAS_BACKEND``), so the other backends
cannot run in this one. A backend that is not installed is skipped.
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

_NESTED = "ACCUMETRICS_KERAS_BACKEND_RUN"  # set in the child runs, which must not start runs of their own
_BACKENDS = {"jax": "jax", "torch": "torch"}  # backend: module it needs


@pytest.mark.skipif(bool(os.environ.get(_NESTED)), reason="already a per-backend run")
@pytest.mark.parametrize("backend", sorted(_BACKENDS))
def test_suite_on_backend(backend):
    if importlib.util.find_spec(_BACKENDS[backend]) is None:
        pytest.skip(f"{_BACKENDS[backend]} is not installed")
    here = Path(__file__).parent
    env = {**os.environ, "KERAS_BACKEND": backend, _NESTED: "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    out = subprocess.run([sys.executable, "-m", "pytest", str(here), "-q", "-p", "no:cacheprovider",
                          "-W", "ignore::DeprecationWarning", "-W", "ignore::UserWarning"],
                         capture_output=True, text=True, env=env, cwd=here.parent.parent, timeout=1800)
    summary = out.stdout.strip().splitlines()[-1:] or ["(no output)"]
    assert out.returncode == 0, f"KERAS_BACKEND={backend}: {summary[0]}\n{out.stdout[-6000:]}\n{out.stderr[-2000:]}"
    assert " passed" in summary[0], summary[0]
