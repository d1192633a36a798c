"""Every metric class, under the names of ``keras.metrics``, and ExactAUC; ``get``, ``serialize`` and
``deserialize`` resolving names to these classes; the per-sample functions of ``keras.metrics``."""

import inspect

import keras
from keras.metrics import (
    Metric,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
    concordance_correlation,
    hinge,
    huber,
    kl_divergence,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    pearson_correlation,
    poisson,
    serialize,
    sparse_categorical_accuracy,
    sparse_categorical_crossentropy,
    sparse_top_k_categorical_accuracy,
    squared_hinge,
    top_k_categorical_accuracy,
)

from .accuracy_metrics import (
    binary_accuracy,
    categorical_accuracy,
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
)
from .confusion_metrics import (
    AUC,
    FalseNegatives,
    FalsePositives,
    Precision,
    PrecisionAtRecall,
    Recall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    TrueNegatives,
    TruePositives,
)
from .exact_auc import ExactAUC
from .correlation_metrics import ConcordanceCorrelation, PearsonCorrelation
from .f_score_metrics import F1Score, FBetaScore
from .hinge_metrics import CategoricalHinge, Hinge, SquaredHinge
from .iou_metrics import IoU, BinaryIoU, MeanIoU, OneHotIoU, OneHotMeanIoU
from .probabilistic_metrics import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
)
from .reduction_metrics import Mean, MeanMetricWrapper, Sum
from .regression_metrics import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    R2Score,
    RootMeanSquaredError,
)

# Keras's base class, serializer and per-sample functions are here too, as in keras.metrics (not in __all__:
# documented by Keras)
__all__ = ["get", "deserialize", 
    "AUC", "Accuracy", "BinaryAccuracy", "BinaryCrossentropy", "BinaryIoU", "CategoricalAccuracy",
    "CategoricalCrossentropy", "CategoricalHinge", "ConcordanceCorrelation", "CosineSimilarity", "ExactAUC", "F1Score",
    "FBetaScore", "FalseNegatives", "FalsePositives", "Hinge", "IoU", "KLDivergence", "LogCoshError", "Mean",
    "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanIoU", "MeanMetricWrapper", "MeanSquaredError",
    "MeanSquaredLogarithmicError", "OneHotIoU", "OneHotMeanIoU", "PearsonCorrelation", "Poisson", "Precision",
    "PrecisionAtRecall", "R2Score", "Recall", "RecallAtPrecision", "RootMeanSquaredError",
    "SensitivityAtSpecificity", "SparseCategoricalAccuracy", "SparseCategoricalCrossentropy",
    "SparseTopKCategoricalAccuracy", "SpecificityAtSensitivity", "SquaredHinge", "Sum",
    "TopKCategoricalAccuracy", "TrueNegatives", "TruePositives",
]


def _by_name() -> dict:
    """Names to classes as Keras resolves them (class name, its snake case, Keras's short aliases)."""
    classes = {name: globals()[name] for name in __all__ if name[0].isupper() and name != "Metric"}
    names = {**classes, **{keras.src.utils.naming.to_snake_case(n): c for n, c in classes.items()}}
    for alias, cls in (("bce", BinaryCrossentropy), ("mse", MeanSquaredError), ("mae", MeanAbsoluteError),
                       ("mape", MeanAbsolutePercentageError), ("msle", MeanSquaredLogarithmicError)):
        names[alias] = names[alias.upper()] = cls
    return names


def deserialize(config, custom_objects=None):
    """A metric from its config (``serialize``'s output), names resolved to this module's classes."""
    return keras.saving.deserialize_keras_object(config, module_objects=_by_name(), custom_objects=custom_objects)


def get(identifier):
    """As ``keras.metrics.get``, with this module's classes: ``get("auc")`` is ``AUC()``. Other names are
    ``keras.metrics.get``'s to resolve or refuse."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = _by_name().get(identifier)
        if obj is None:
            return keras.metrics.get(identifier)
    else:
        obj = identifier
    if not callable(obj):
        raise ValueError(f"Could not interpret metric identifier: {identifier}")
    return obj() if inspect.isclass(obj) else obj
