"""Constructor arguments as Keras means them: an integer dtype gives Keras's float result, not the value cast
to an integer; an impossible size is refused before anything is allocated."""

import numpy as np
import pytest

import keras
from accumetrics import keras as ak

CASES = [
    ("AUC", {}, ([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.6])),
    ("Precision", {}, ([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.6])),
    ("Recall", {}, ([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.6])),
    ("BinaryAccuracy", {}, ([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.6])),
    ("Mean", {}, ([1.0, 2.0],)),
    ("MeanIoU", {"num_classes": 2}, ([0, 1, 1, 0], [0, 1, 0, 0])),
]


@pytest.mark.parametrize("dtype", ["int32", "int64"])
@pytest.mark.parametrize("name,kwargs,args", CASES, ids=[c[0] for c in CASES])
def test_integer_dtype_gives_keras_float_result(name, kwargs, args, dtype):
    if dtype == "int64" and keras.backend.backend() == "jax":
        pytest.skip("JAX without x64 has no int64")
    ours, theirs = getattr(ak, name)(dtype=dtype, **kwargs), getattr(keras.metrics, name)(dtype=dtype, **kwargs)
    ours.update_state(*args)
    theirs.update_state(*args)
    expected = np.asarray(theirs.result())
    assert expected.dtype.kind == "f"
    np.testing.assert_allclose(np.asarray(ours.result()), expected, rtol=1e-6)


@pytest.mark.parametrize("make", [lambda: ak.MeanIoU(num_classes=100_000),
                                  lambda: ak.IoU(num_classes=100_000, target_class_ids=[0]),
                                  lambda: ak.OneHotMeanIoU(num_classes=100_000)])
def test_an_impossible_confusion_matrix_is_refused_before_anything_is_allocated(make):
    with pytest.raises(ValueError, match="num_classes"):
        make()
