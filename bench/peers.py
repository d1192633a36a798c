"""The libraries we compare against, each loaded only if installed and set to a thread count.

Every loader returns the module(s) or None; `missing(name)` says why one is absent.
Thread settings must be applied before a library starts its thread pools, so each
benchmark pass (one thread, all threads) runs in a process of its own.
"""

from __future__ import annotations

import functools
import importlib
import os

_why: dict[str, str] = {}


def missing(name: str) -> str:
    return _why.get(name, "not installed")


def _load(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        _why[name] = "not installed"
    except Exception as e:  # a broken install should not stop the other engines
        _why[name] = f"failed to import: {type(e).__name__}: {e}"
    return None


@functools.cache
def sklearn_metrics():
    return _load("sklearn.metrics")


@functools.cache
def tensorflow_keras(threads: int):
    """(tensorflow, keras) on the TensorFlow backend with `threads` intra- and inter-op threads (0: all)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    tf = _load("tensorflow")
    keras = _load("keras") if tf is not None else None
    if tf is None or keras is None:
        _why["keras"] = missing("tensorflow") if tf is None else missing("keras")
        return None
    if keras.backend.backend() != "tensorflow":
        _why["keras"] = f"KERAS_BACKEND is {keras.backend.backend()!r}, not 'tensorflow'"
        return None
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    return tf, keras


@functools.cache
def torch_torchmetrics(threads: int):
    """(torch, torchmetrics) with `threads` threads (0: all)."""
    torch = _load("torch")
    tm = _load("torchmetrics") if torch is not None else None
    if torch is None or tm is None:
        _why["torchmetrics"] = missing("torch") if torch is None else missing("torchmetrics")
        return None
    torch.set_num_threads(threads or os.cpu_count() or 1)
    return torch, tm
