"""The accumetrics.keras suite on the JAX and torch backends, each in its own process.

Keras picks its backend once per process (``KERAS_BACKEND``), so the other backends
cannot run in this one. The runs start, one after the other, as soon as the session is
collected, and go on beside the rest of it on another core (tests/keras/conftest.py
moves these tests, which wait for them, to the end). A backend that is not installed
is skipped.
"""

import importlib.util
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import keras
import pytest

_NESTED = "ACCUMETRICS_KERAS_BACKEND_RUN"  # set in the child runs, which must not start runs of their own
_BACKENDS = {"jax": "jax", "torch": "torch"}  # backend: module it needs
_TIMEOUT = 2400  # seconds a run may take from its own start
_WAIT = 2 * _TIMEOUT  # seconds a test waits for its run, which may be queued behind another


def runs_here(backend):
    """Whether ``backend``'s run belongs to this session: not a per-backend run itself, not this
    session's own backend, and the backend installed."""
    return (not os.environ.get(_NESTED) and backend != keras.backend.backend()
            and importlib.util.find_spec(_BACKENDS[backend]) is not None)


class _Run:
    """One backend's run of the suite: its return code (None: killed at the time limit) and output."""

    def __init__(self, backend):
        self.backend = backend
        self.done = threading.Event()
        self.returncode = None
        self.output = ""
        self.process = None
        self.seconds = 0.0

    def __call__(self):
        here = Path(__file__).parent
        env = {**os.environ, "KERAS_BACKEND": self.backend, _NESTED: "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
        start = time.monotonic()
        with tempfile.TemporaryFile("w+") as output:
            try:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "pytest", str(here), "-q", "-p", "no:cacheprovider",
                     "-W", "ignore::DeprecationWarning", "-W", "ignore::UserWarning"],
                    stdout=output, stderr=subprocess.STDOUT, text=True, env=env, cwd=here.parent.parent)
                try:
                    self.returncode = self.process.wait(timeout=_TIMEOUT)
                except subprocess.TimeoutExpired:
                    self.stop()
                output.seek(0)
                self.output = output.read()
            finally:
                self.seconds = time.monotonic() - start
                self.done.set()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


_RUNS = {}  # backend: its _Run, started by start_runs
_stopping = threading.Event()


def start_runs(backends):
    """Starts the Keras suite on each of ``backends`` that runs here and has not started, in order, one at a time."""
    queued = [_Run(b) for b in backends if b not in _RUNS and runs_here(b)]
    if not queued:
        return
    for run in queued:
        _RUNS[run.backend] = run

    def one_after_another():
        for run in queued:
            if not _stopping.is_set():
                run()
            run.done.set()

    threading.Thread(target=one_after_another, name="keras-backend-runs", daemon=True).start()


def stop_runs():
    """Ends the runs still going or queued (the session ends before their tests)."""
    _stopping.set()
    for run in _RUNS.values():
        run.stop()


@pytest.mark.skipif(bool(os.environ.get(_NESTED)), reason="already a per-backend run")
@pytest.mark.parametrize("backend", sorted(_BACKENDS))
def test_suite_on_backend(backend):
    if backend == keras.backend.backend():
        pytest.skip(f"{backend} is this session's backend")
    if not runs_here(backend):
        pytest.skip(f"{_BACKENDS[backend]} is not installed")
    start_runs([backend])  # where collection did not start it (a test selected by itself)
    run = _RUNS[backend]
    assert run.done.wait(_WAIT), f"KERAS_BACKEND={backend}: not done after {_WAIT} s"
    summary = (run.output.strip().splitlines() or ["(no output)"])[-1]
    print(f"KERAS_BACKEND={backend}: {summary} ({run.seconds:.0f} s)")
    assert run.returncode is not None, f"KERAS_BACKEND={backend}: not done {_TIMEOUT} s after its start\n{run.output[-8000:]}"
    assert run.returncode == 0, f"KERAS_BACKEND={backend}: {summary}\n{run.output[-8000:]}"
    assert " passed" in summary, summary
