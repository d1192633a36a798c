import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest

keras = pytest.importorskip("keras")


class Feeder:
    """Feeds the same batches to a Keras metric and ours, eagerly or in a tf.function, and compares results."""

    def __init__(self, mode):
        self.mode = mode

    def update(self, metric, *args, **kwargs):
        if self.mode == "graph":
            import tensorflow as tf

            fn = getattr(metric, "_graph_update", None)
            if fn is None:
                fn = metric._graph_update = tf.function(metric.update_state, reduce_retracing=True)
            return fn(*args, **kwargs)
        return metric.update_state(*args, **kwargs)

    def both(self, ours, theirs, batches):
        for args, kwargs in batches:
            self.update(theirs, *args, **kwargs)
            self.update(ours, *args, **kwargs)
        return np.asarray(ours.result()), np.asarray(theirs.result())


@pytest.fixture(params=["eager", "graph", "graph_host"])
def feeder(request, monkeypatch):
    """Eager updates; updates in a tf.function, where these small batches take the keras.ops path; and
    (graph_host) in a tf.function with every batch sent to the core through tf.numpy_function."""
    if request.param != "eager" and keras.backend.backend() != "tensorflow":
        pytest.skip("tf.function needs the TensorFlow backend")
    if request.param == "graph_host":
        from accumetrics.keras import _bridge

        monkeypatch.setattr(_bridge, "SMALL_BATCH", 0)
        monkeypatch.setattr(_bridge, "SMALL_GRID_BATCH", 0)
        monkeypatch.setattr(_bridge, "FEW_PASSES_STAY_IN_GRAPH", False)
    return Feeder("eager" if request.param == "eager" else "graph")


def pytest_configure(config):
    # a marker of Keras's own tests (tests/keras/test_keras_suite.py); every backend here can train
    config.addinivalue_line("markers", "requires_trainable_backend: the test trains a model")


def _waits_for_backend_run(item):
    return getattr(item, "originalname", None) == "test_suite_on_backend"


def pytest_collection_modifyitems(items):
    # the tests that wait for the other backends' runs go last, so that the rest of the session runs beside those
    items.sort(key=_waits_for_backend_run)


_BACKEND_RUNS = []  # the module that started the other backends' runs, if this session did


def pytest_collection_finish(session):
    waiting = [item for item in session.items if _waits_for_backend_run(item)]
    if waiting and not session.config.option.collectonly:
        waiting[0].module.start_runs([item.callspec.params["backend"] for item in waiting])
        _BACKEND_RUNS.append(waiting[0].module)


def pytest_sessionfinish(session):
    for module in _BACKEND_RUNS:
        module.stop_runs()
