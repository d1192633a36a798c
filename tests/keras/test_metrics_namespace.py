"""``from accumetrics.keras import metrics`` in place of ``from keras import metrics``: every public name of
keras.metrics is there, and the names resolve to this package's classes."""

import numpy as np
import pytest

import keras
from accumetrics.keras import metrics


def test_every_public_name_of_keras_metrics():
    assert [n for n in dir(keras.metrics) if not n.startswith("_") and not hasattr(metrics, n)] == []


@pytest.mark.parametrize("name,cls", [("auc", "AUC"), ("AUC", "AUC"), ("mse", "MeanSquaredError"),
                                      ("binary_accuracy", "BinaryAccuracy"), ("mean_iou", "MeanIoU")])
def test_get_resolves_names_to_our_classes(name, cls):
    if name == "mean_iou":
        pytest.skip("MeanIoU needs num_classes: Keras's get cannot make it either")
    assert type(metrics.get(name)) is getattr(metrics, cls)


def test_a_name_nobody_knows_is_refused_as_keras_refuses_it():
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        metrics.get("no_such_metric")


def test_deserialize_gives_our_class_with_its_config():
    m = metrics.deserialize(metrics.serialize(metrics.AUC(num_thresholds=7, curve="PR")))
    assert type(m) is metrics.AUC and m.num_thresholds == 7 and m.curve.value == "PR"


@pytest.mark.parametrize("name", ["binary_accuracy", "categorical_accuracy"])
def test_our_per_sample_functions_give_keras_s_values(name, rng):
    y_true = np.eye(4, dtype=np.float32)[rng.integers(0, 4, 50)]
    y_pred = rng.random((50, 4)).astype(np.float32)
    np.testing.assert_array_equal(np.asarray(getattr(metrics, name)(y_true, y_pred)),
                                  np.asarray(getattr(keras.metrics, name)(y_true, y_pred)))
