"""Type stubs for the accumetrics C++ core module."""

import enum
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt
from typing_extensions import Self

openmp: bool
kernel_isa: str
num_stats: int

def get_num_threads() -> int: ...
def set_num_threads(n: int) -> None: ...
def hardware_threads() -> int: ...

# The classes named with an underscore are bases of the stubs only, not of the module: what its classes share.

class _Accumulator:
    """What every accumulator class has (cpp/src/accumulator.hpp)."""
    def merge(self, other: Self) -> None: ...
    def reset(self) -> None: ...
    def copy(self) -> Self: ...

class _CountTable(_Accumulator):
    """An accumulator of counts and, once weighted, sums per cell."""
    @property
    def num_slices(self) -> int: ...
    @property
    def weighted(self) -> bool: ...
    def counts(self) -> npt.NDArray[np.int64]: ...
    def sums(self) -> npt.NDArray[np.float64] | None: ...

# The updates an engine and its bootstrap share (cpp/src/updates.hpp).

class _ConfusionUpdate:
    def update(
        self,
        y_true: npt.NDArray[np.integer | np.bool_],
        y_pred: npt.NDArray[np.integer | np.bool_],
        sample_weight: npt.NDArray[np.floating] | None = None,
        slice_ids: npt.NDArray[np.int64] | None = None,
        ignore_out_of_range: bool = False,
    ) -> None: ...

class _ThresholdsUpdate:
    def update(
        self,
        y_true: npt.NDArray[np.integer | np.bool_ | np.floating],
        y_score: npt.NDArray[np.floating],
        sample_weight: npt.NDArray[np.floating] | None = None,
        slice_ids: npt.NDArray[np.int64] | None = None,
        ignore_out_of_range: bool = False,
    ) -> None: ...

class _MomentsUpdate:
    def update(
        self,
        y_pred: npt.NDArray[np.floating],
        y_true: npt.NDArray[np.floating] | None = None,
        sample_weight: npt.NDArray[np.floating] | None = None,
        slice_ids: npt.NDArray[np.int64] | None = None,
    ) -> None: ...

class ConfusionMatrix(_CountTable, _ConfusionUpdate):
    def __init__(self, num_classes: int, num_slices: int = 1) -> None: ...
    @property
    def num_classes(self) -> int: ...

class ThresholdCounts(_CountTable, _ThresholdsUpdate):
    def __init__(self, thresholds: npt.ArrayLike, num_labels: int = 1, num_slices: int = 1) -> None: ...
    @property
    def thresholds(self) -> npt.NDArray[np.float64]: ...
    @property
    def num_labels(self) -> int: ...
    @property
    def evenly_spaced(self) -> bool: ...
    @property
    def bucketing(self) -> str: ...

class Stat(enum.IntEnum):
    sum_weight = 0
    sum_pred = 1
    sum_true = 2
    sum_pred_squared = 3
    sum_true_squared = 4
    sum_pred_true = 5
    sum_absolute_error = 6
    sum_squared_error = 7

class _OutputSums(_Accumulator):
    """An accumulator of compensated sums per slice and output."""
    @property
    def num_outputs(self) -> int: ...
    @property
    def num_slices(self) -> int: ...
    def sums(self) -> npt.NDArray[np.float64]: ...
    def counts(self) -> npt.NDArray[np.int64]: ...

class Moments(_OutputSums, _MomentsUpdate):
    def __init__(self, num_outputs: int = 1, num_slices: int = 1) -> None: ...

num_loss_stats: int

class LossKind(enum.IntEnum):
    tweedie = 0
    pinball = 1

class LossSums(_OutputSums):
    def __init__(self, kind: LossKind, parameter: float, num_outputs: int = 1, num_slices: int = 1) -> None: ...
    def update(
        self,
        y_true: npt.NDArray[np.floating],
        y_pred: npt.NDArray[np.floating],
        sample_weight: npt.NDArray[np.floating] | None = None,
        slice_ids: npt.NDArray[np.int64] | None = None,
    ) -> int: ...

def ranking_summary(
    y_true: npt.NDArray[np.integer | np.bool_ | np.floating],
    y_score: npt.NDArray[np.floating],
    sample_weight: npt.NDArray[np.floating] | None = None,
    average_precision: bool = True,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def ranking_curve(
    y_true: npt.NDArray[np.integer | np.bool_ | np.floating],
    y_score: npt.NDArray[np.floating],
    sample_weight: npt.NDArray[np.floating] | None = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...

class ScoreHistogram(_Accumulator):
    def __init__(self, max_bins: int = 1048576) -> None: ...
    @property
    def max_bins(self) -> int: ...
    @property
    def shift(self) -> int: ...
    @property
    def num_bins(self) -> int: ...
    def update(
        self,
        y_true: npt.NDArray[np.integer | np.bool_ | np.floating],
        y_score: npt.NDArray[np.floating],
        sample_weight: npt.NDArray[np.floating] | None = None,
    ) -> None: ...
    def result(self) -> dict[str, float]: ...

class PairedHistogram(_Accumulator):
    def __init__(self, max_cells: int = 1048576) -> None: ...
    @property
    def max_cells(self) -> int: ...
    @property
    def shift(self) -> int: ...
    @property
    def num_cells(self) -> int: ...
    def update(
        self,
        y_true: npt.NDArray[np.integer | np.bool_ | np.floating],
        score_a: npt.NDArray[np.floating],
        score_b: npt.NDArray[np.floating],
        sample_weight: npt.NDArray[np.floating] | None = None,
    ) -> None: ...
    def delong(self) -> dict[str, float]: ...

def poisson_counts(seed: int, position: int, n: int, replicate: int) -> npt.NDArray[np.uint8]: ...

_Engine = TypeVar("_Engine", ConfusionMatrix, ThresholdCounts, Moments)

class _Bootstrap(_Accumulator, Generic[_Engine]):
    """A Poisson bootstrap of an engine, bound by one template (cpp/src/bind_bootstrap.cpp)."""
    def __init__(self, engine: _Engine, num_replicates: int, seed: int, position: int = 0) -> None: ...
    @property
    def num_replicates(self) -> int: ...
    @property
    def num_slices(self) -> int: ...
    @property
    def seed(self) -> int: ...
    @property
    def position(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def weighted(self) -> bool: ...
    def seek(self, position: int) -> None: ...
    def replicate(self, index: int) -> _Engine: ...
    def engine(self) -> _Engine: ...

class ConfusionMatrixBootstrap(_Bootstrap[ConfusionMatrix], _ConfusionUpdate): ...

class ThresholdCountsBootstrap(_Bootstrap[ThresholdCounts], _ThresholdsUpdate): ...

class MomentsBootstrap(_Bootstrap[Moments], _MomentsUpdate): ...

class ClassMatch(enum.IntEnum):
    argmax = 0
    top_k = 1

def count_class_matches(
    y_true: npt.NDArray[np.generic],
    y_pred: npt.NDArray[np.floating],
    sample_weight: npt.NDArray[np.floating] | None = None,
    how: ClassMatch = ClassMatch.argmax,
    k: int = 1,
) -> tuple[int, int, float, float]: ...

class CrossentropyForm(enum.IntEnum):
    logits = 0
    normalized = 1
    softmax_of_log = 2

def sum_crossentropy(
    y_true: npt.NDArray[np.generic],
    y_pred: npt.NDArray[np.floating],
    sample_weight: npt.NDArray[np.floating] | None = None,
    form: CrossentropyForm = CrossentropyForm.normalized,
    lo: float = 1e-7,
    hi: float = 0.9999999,
) -> tuple[int, int, float, float]: ...
def argmax(y_pred: npt.NDArray[np.floating]) -> npt.NDArray[np.int64]: ...
