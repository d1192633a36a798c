"""accumetrics: fast, exact, streaming metrics with a C++ core."""

from ._core import get_num_threads, set_num_threads
from .binned_auc import BinnedAUC
from .confusion import ConfusionMatrix
from .metrics import *  # noqa: F403  (the sklearn.metrics-compatible functions)
from .moments import Moments
from .thresholds import ThresholdCounts

__version__ = "0.1.0"

__all__ = [
    "BinnedAUC",
    "ConfusionMatrix",
    "Moments",
    "ThresholdCounts",
    "get_num_threads",
    "set_num_threads",
]
