"""One meaning on every path: the same batch, ordinary or adversarial, fed through every path a metric's
update can take on this backend gives the state the host gives, or is refused as the host refuses it.
Under XLA, where nothing can raise, a refused batch leaves the state NaN (docs/keras.md)."""

import zlib

import numpy as np
import pytest

import keras
from accumetrics import keras as ak
from accumetrics.keras import _bridge, _placement
from accumetrics.keras._bridge import state_dtype

BACKEND = keras.backend.backend()

METRICS = {
    "Precision": (lambda: ak.Precision(thresholds=[0.3, 0.6]), "binary"),
    "AUC": (lambda: ak.AUC(num_thresholds=20), "binary"),
    "AUC(uneven)": (lambda: ak.AUC(thresholds=[0.1, 0.15, 0.7]), "binary"),
    "Mean": (lambda: ak.Mean(), "values"),
    "MeanIoU": (lambda: ak.MeanIoU(num_classes=3, dtype="float32"), "labels"),
    "SparseCategoricalAccuracy": (lambda: ak.SparseCategoricalAccuracy(), "sparse"),
    "F1Score": (lambda: ak.F1Score(threshold=0.4), "binary_2d"),
}

ROWS = 12


def batch(kind, case, rng):
    """(y_true, y_pred, sample_weight) of ``kind`` for the ``case``: ordinary, or adversarial."""
    rows = 0 if case == "empty" else ROWS
    w = rng.random(rows).astype(np.float32)
    if kind == "values":
        y_true, y_pred = None, rng.normal(size=rows).astype(np.float32)
    elif kind in ("binary", "binary_2d"):
        y_true, y_pred = (rng.random(rows) < 0.5).astype(np.float32), rng.random(rows).astype(np.float32)
    elif kind == "sparse":
        y_true, y_pred = rng.integers(0, 4, rows).astype(np.int32), rng.random((rows, 4)).astype(np.float32)
    else:
        y_true, y_pred = rng.integers(0, 3, rows).astype(np.int32), rng.integers(0, 3, rows).astype(np.int32)
    if case in ("nan", "inf") and y_pred.dtype.kind == "f":
        y_pred = y_pred.copy()
        y_pred.flat[2] = np.nan if case == "nan" else np.inf
    elif case == "label_out_of_range" and y_true is not None:
        y_true = y_true.copy()
        y_true[1] = 7 if y_true.dtype.kind == "i" else 3.0
    elif case == "zero_weights":
        w[:] = 0
    elif case == "negative_weights":
        w[::3] *= -1
    elif case == "float16":
        y_pred = y_pred.astype(np.float16) if y_pred.dtype.kind == "f" else y_pred
        w = w.astype(np.float16)
    if kind == "binary_2d":
        y_true, y_pred = y_true[:, None], y_pred[:, None]
    args = (y_pred,) if y_true is None else (y_true, y_pred)
    return tuple(keras.ops.convert_to_tensor(a) for a in args), keras.ops.convert_to_tensor(w)


def paths():
    """The paths this backend has besides the host: (name, update function maker, whether it can raise)."""
    out = [("eager_ops", None, True)]
    if BACKEND == "tensorflow":
        out += [("graph", dict(), True), ("graph_host_call", dict(host_call=True), True),
                ("xla", dict(jit_compile=True), False)]
    elif BACKEND == "jax":
        out += [("jit", None, True)]
    return out


def update_on(path, metric, args, w, monkeypatch):
    name, options, _ = path
    if name == "eager_ops":
        with _placement.in_backend_ops():
            metric.update_state(*args, sample_weight=w)
    elif name == "jit":
        import jax

        new = jax.jit(metric.stateless_update_state)([v.value for v in metric.variables], *args, sample_weight=w)
        for v, x in zip(metric.variables, new):
            v.assign(x)
    else:
        import tensorflow as tf

        if options.get("host_call"):
            monkeypatch.setattr(_bridge, "SMALL_BATCH", 0)
            monkeypatch.setattr(_bridge, "SMALL_GRID_BATCH", 0)
            monkeypatch.setattr(_bridge, "FEW_PASSES_STAY_IN_GRAPH", False)
        tf.function(metric.update_state, jit_compile=options.get("jit_compile", False))(*args, sample_weight=w)


def state(metric):
    """The metric's state: each StateVariable's value (a float32 pair's sum on JAX without float64)."""
    metric.variables  # what is pending is written to the variables
    return [np.asarray(s.value(), dtype=np.float64) for s in metric.__dict__["_accumetrics_states"]]


CASES = ["ordinary", "nan", "inf", "label_out_of_range", "empty", "zero_weights", "negative_weights", "float16"]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("name", sorted(METRICS))
@pytest.mark.parametrize("path", paths(), ids=lambda p: p[0])
def test_every_path_gives_the_host_state_or_its_refusal(name, case, path, monkeypatch):
    make, kind = METRICS[name]
    rng = np.random.default_rng(zlib.crc32(f"{name} {case}".encode()))
    first, w0 = batch(kind, "ordinary", rng)
    args, w = batch(kind, case, rng)
    host, other = make(), make()
    for m in (host, other):
        m.update_state(*first, sample_weight=w0)  # a state to keep (or lose)
    try:
        host.update_state(*args, sample_weight=w)
        refused = None
    except ValueError as e:
        refused = e
    if refused is not None:
        np.testing.assert_allclose(state(host), state(other))  # nothing added
    if refused is not None and path[2]:
        with pytest.raises(Exception) as raised:
            update_on(path, other, args, w, monkeypatch)
        argument = str(refused).split(":")[0].split("[")[0]  # the argument the host names
        assert argument in str(raised.value), (str(refused), str(raised.value))
        return
    update_on(path, other, args, w, monkeypatch)
    if refused is not None:  # XLA cannot raise: the state shows the refused batch as NaN
        assert any(np.isnan(s).any() for s in state(other)), "XLA counted a batch the host refuses"
        return
    # a float32 state (JAX without float64) adds each batch rounded to float32 off the host, in float64 on it
    atol = 1e-9 if state_dtype() == "float64" else 1e-5
    for got, expected in zip(state(other), state(host)):
        np.testing.assert_allclose(got, expected, rtol=1e-5 if case == "float16" else 1e-6, atol=atol)
    np.testing.assert_allclose(np.asarray(other.result(), np.float64), np.asarray(host.result(), np.float64),
                               rtol=1e-5, atol=atol)
