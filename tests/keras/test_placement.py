"""Where a metric's call runs (keras/_placement.py), as a table: each context, the decision."""

import numpy as np
import pytest

import keras
from accumetrics import keras as ak
from accumetrics.keras import _placement

BACKEND = keras.backend.backend()


def tensor(values=(0.0, 1.0)):
    return keras.ops.convert_to_tensor(np.asarray(values, dtype=np.float32))


def masked():
    x = tensor()
    try:
        x._keras_mask = keras.ops.convert_to_tensor(np.array([True, False]))
    except AttributeError:  # a tensor type that takes no attribute: no mask to test
        pytest.skip("this backend's tensors hold no Keras mask")
    return x


# context name -> (arguments, whether the call runs on the host)
EAGER = {
    "numpy arrays": ((np.zeros(3, np.float32), np.ones(3)), True),
    "the backend's tensors": ((tensor(), tensor()), True),
    "a list of numbers": (([0, 1], [0.2, 0.9]), True),
    "None for the weight": ((tensor(), None), True),
    "strings": ((np.array(["a", "b"]), tensor()), False),
    "a list of strings": ((["a", "b"], tensor()), False),
    "objects": ((np.array([1, None], dtype=object), tensor()), False),
}


@pytest.mark.parametrize("context", sorted(EAGER))
def test_eager_calls(context):
    args, on_host = EAGER[context]
    assert _placement.runs_on_host(args, {}) is on_host


def test_keyword_arguments_count():
    assert _placement.runs_on_host((tensor(),), {"sample_weight": tensor()})
    assert not _placement.runs_on_host((tensor(),), {"sample_weight": np.array(["x", "y"])})


def test_a_keras_mask_keeps_the_call_in_the_backend():
    assert not _placement.runs_on_host((tensor(), masked()), {})


def test_a_call_inside_a_host_call_is_the_callers():
    seen = []
    _placement.update_on_host(lambda metric, x: seen.append(_placement.runs_on_host((x,), {})), None, (tensor(),), {})
    assert seen == [False]


def test_in_backend_ops():
    with _placement.in_backend_ops():
        assert not _placement.runs_on_host((tensor(),), {})


def test_a_stateless_scope():
    with keras.StatelessScope():
        assert not _placement.runs_on_host((tensor(),), {})


@pytest.mark.skipif(BACKEND != "tensorflow", reason="TensorFlow graphs")
@pytest.mark.parametrize("jit_compile", [False, True], ids=["tf.function", "XLA"])
def test_tensorflow_graphs(jit_compile):
    import tensorflow as tf

    seen = []

    @tf.function(jit_compile=jit_compile)
    def step(x):
        seen.append(_placement.runs_on_host((x,), {}))
        return x + 1

    step(tensor())
    assert seen == [False]


@pytest.mark.skipif(BACKEND != "tensorflow", reason="TensorFlow strategies")
def test_one_device_strategy_runs_on_the_host():
    import tensorflow as tf

    with tf.distribute.OneDeviceStrategy("/cpu:0").scope():
        assert _placement.runs_on_host((tensor(),), {})


@pytest.mark.skipif(BACKEND != "jax", reason="JAX traces")
def test_jax_traces():
    import jax

    seen = []

    @jax.jit
    def step(x):
        seen.append(_placement.runs_on_host((x,), {}))
        return x + 1

    step(tensor())
    assert seen == [False]


def test_a_wrapping_metric_decides_for_the_metric_it_wraps():
    """PerClass runs its wrapped metric where it runs itself: on the host eagerly."""
    m = ak.PerClass(ak.Precision(name="precision"), class_names=["a", "b"])
    m.update_state(np.array([[1, 0], [0, 1]]), np.array([[0.9, 0.2], [0.4, 0.7]], np.float32))
    assert any(s._pending is not None for s in m.metric.__dict__["_accumetrics_states"])  # kept on the host
    assert {k: float(v) for k, v in m.result().items()} == {"precision": 1.0, "precision/a": 1.0,
                                                           "precision/b": 1.0}
