"""accumetrics: fast, exact, streaming metrics with a C++ core."""

from ._accumulator import get_num_threads, set_num_threads
from ._validation import get_memory_limit, set_memory_limit
from .binned_auc import BinnedAUC
from .bootstrap import Bootstrap, Interval, confidence_interval
from .calibration import Calibration, calibration_curve, expected_calibration_error, maximum_calibration_error
from .confusion import ConfusionMatrix
from .deviance import PinballLoss, TweedieDeviance
from .metric_set import MetricSet
from .metrics import *  # noqa: F403  (the sklearn.metrics-compatible functions)
from .moments import Moments
from .paired import Difference, Paired, PairedAUC, compare
from .thresholds import ThresholdCounts
from .windowed import Windowed

from ._version import __version__

__all__ = [
    "BinnedAUC",
    "Bootstrap",
    "Calibration",
    "Interval",
    "ConfusionMatrix",
    "MetricSet",
    "Moments",
    "Difference",
    "Paired",
    "PairedAUC",
    "PinballLoss",
    "compare",
    "ThresholdCounts",
    "TweedieDeviance",
    "Windowed",
    "calibration_curve",
    "confidence_interval",
    "expected_calibration_error",
    "get_memory_limit",
    "get_num_threads",
    "maximum_calibration_error",
    "set_memory_limit",
    "set_num_threads",
]
