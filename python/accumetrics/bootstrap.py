"""Confidence intervals by the Poisson bootstrap, streamed through the core.

Every sample enters replicate b of B a Poisson(1) number of times, drawn in the core
from a counter-based generator keyed by ``seed``, the sample's position in the stream
and b (the scheme of TensorFlow Model Analysis). The replicates therefore do not
depend on batch sizes or threads, and a stream cut into pieces, each fed from its
own position (``offset``), merges into exactly the state of a single pass. Pieces
fed from the same position with the same seed would draw the same counts: give each
separately fed piece the same ``seed`` and its own ``offset`` (its first sample's
position in the whole stream). ``merge`` refuses pieces of different seeds, and pieces
that both hold rows at one stream position.
"""

from __future__ import annotations

import warnings
from typing import Callable, NamedTuple

import numpy as np

from . import _core
from . import _validation as v
from ._accumulator import Accumulator
from .confusion import ConfusionMatrix
from .moments import Moments
from .thresholds import ThresholdCounts

__all__ = ["Bootstrap", "Interval", "confidence_interval"]

_ENGINES = {
    _core.ConfusionMatrix: _core.ConfusionMatrixBootstrap,
    _core.ThresholdCounts: _core.ThresholdCountsBootstrap,
    _core.Moments: _core.MomentsBootstrap,
}


class Interval(NamedTuple):
    """A metric's value on all the data and the bounds of its confidence interval."""

    value: object
    low: object
    high: object


def _ci(ci) -> float:
    if isinstance(ci, (bool, np.bool_)) or not isinstance(ci, (int, float, np.integer, np.floating)) or not 0 < ci < 1:
        raise ValueError(f"ci must be a confidence level strictly between 0 and 1, such as 0.95; got {ci!r}")
    return float(ci)


def _seed(seed) -> int:
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**64:
        raise ValueError(f"seed must be an integer in [0, 2**64), got {seed!r}")
    return int(seed)


def _offset(offset) -> int:
    if isinstance(offset, (bool, np.bool_)) or not isinstance(offset, (int, np.integer)) or not 0 <= offset < 2**63:
        raise ValueError(f"offset must be a non-negative integer (a position in the stream), got {offset!r}")
    return int(offset)


def percentile_interval(replicates: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    """The percentile bootstrap interval of replicate values along axis 0."""
    tail = (1.0 - ci) / 2
    low, high = np.percentile(replicates, [100 * tail, 100 * (1 - tail)], axis=0)
    return low, high


def _scalar(x):
    return x.item() if isinstance(x, np.ndarray) and x.ndim == 0 else x


class Bootstrap(Accumulator):
    """A ConfusionMatrix, ThresholdCounts or Moments with ``n_replicates`` Poisson-resampled copies.

    ``update`` takes the arguments of the wrapped accumulator. ``result`` returns the
    value of ``metric`` (a function of an accumulator, ``acc.result()`` by default) on
    all the data, and a percentile confidence interval from its values on the
    replicates. The replicates are counted by the core, B times the work of the
    accumulator alone.

    >>> import numpy as np
    >>> def accuracy(cm):
    ...     return np.trace(cm.counts) / cm.counts.sum()
    >>> boot = Bootstrap(ConfusionMatrix(2), accuracy, n_replicates=100, seed=7)
    >>> y = np.arange(1000) % 2
    >>> value, low, high = boot.update(y, np.where(np.arange(1000) % 5 == 0, 1 - y, y)).result(ci=0.9)
    >>> float(value), bool(0.77 < low < 0.8 < high < 0.83)
    (0.8, True)
    """

    def __init__(self, accumulator, metric: Callable | None = None, *, n_replicates: int = 200, seed: int = 0,
                 offset: int = 0):
        template = accumulator() if callable(accumulator) and not isinstance(accumulator, Accumulator) else accumulator
        if not isinstance(template, (ConfusionMatrix, ThresholdCounts, Moments)):
            raise TypeError(
                "Bootstrap resamples a ConfusionMatrix, ThresholdCounts or Moments (or a function returning one); "
                f"got {type(template).__name__}"
            )
        if metric is not None and not callable(metric):
            raise TypeError(f"metric must be a function of an accumulator, got {type(metric).__name__}")
        self.metric = metric
        self.n_replicates = v.positive_int(n_replicates, "n_replicates")
        self.seed = _seed(seed)
        slices = getattr(template, "num_slices", None) or 1
        v.check_memory(template._memory(slices) * (self.n_replicates + 1), "n_replicates",
                       f"Bootstrap({type(template).__name__}, n_replicates={self.n_replicates})")
        self._plain = template.copy().reset()
        self._offset = _offset(offset)
        self._resampled = None
        self._state = None
        if self._plain._has_core():
            self._resampled = self._resampling()

    def _resampling(self) -> Accumulator:
        """The wrapped accumulator's twin, whose core object (a bootstrap engine) holds the replicates."""
        empty = self._plain._empty_state()
        engine = _ENGINES[type(empty)](empty, self.n_replicates, self.seed, self._offset)
        return self._plain._holding(engine)

    @property
    def _engine(self):
        """The core's bootstrap engine, held by the resampled twin."""
        return self._resampled._state

    @property
    def offset(self) -> int:
        """The stream position of the first sample (where ``reset`` returns to)."""
        return self._offset if self._resampled is None else self._engine.start

    @property
    def position(self) -> int:
        """The stream position of the next sample."""
        return self._offset if self._resampled is None else self._engine.position

    def seek(self, offset: int) -> "Bootstrap":
        """Feed the next sample at stream position ``offset`` (and make it where ``reset`` returns to)."""
        self._offset = _offset(offset)
        if self._resampled is not None:
            self._engine.seek(self._offset)
        return self

    def update(self, *args, **kwargs) -> "Bootstrap":
        """Add a batch: the wrapped accumulator's ``update`` arguments."""
        self._plain.update(*args, **kwargs)
        if self._resampled is None:
            if not self._plain._has_core():  # an empty batch before the number of outputs is known
                return self
            self._resampled = self._resampling()
        self._resampled.update(*args, **kwargs)
        return self

    @property
    def accumulator(self) -> Accumulator:
        """The wrapped accumulator, fed all the data once."""
        return self._plain

    def replicates(self) -> list[Accumulator]:
        """The ``n_replicates`` resampled accumulators."""
        if self._resampled is None:
            return [self._plain.copy() for _ in range(self.n_replicates)]
        return [self._plain._holding(self._engine.replicate(b)) for b in range(self.n_replicates)]

    def stacked(self) -> Accumulator:
        """All the replicates in one accumulator of ``n_replicates`` times the slices: its slice
        ``b * S + s`` is slice ``s`` of replicate ``b`` (S = 1 without slices)."""
        if self._resampled is None:
            raise ValueError("no replicates yet: the first update fixes the accumulator's shape")
        return self._plain._holding(self._engine.engine(),
                                    num_slices=self.n_replicates * (self._plain.num_slices or 1))

    def _measure(self, acc: Accumulator):
        return self.metric(acc) if self.metric is not None else acc.result()

    def replicate_values(self) -> np.ndarray:
        """The metric on each replicate, stacked along axis 0."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with np.errstate(all="ignore"):
                return np.asarray([self._measure(r) for r in self.replicates()], dtype=np.float64)

    def result(self, ci: float = 0.95) -> Interval:
        """(value, low, high): the metric on all the data and its ``ci`` percentile bootstrap interval."""
        ci = _ci(ci)
        low, high = percentile_interval(self.replicate_values(), ci)
        return Interval(_scalar(self._measure(self._plain)), _scalar(low), _scalar(high))

    def _compatible(self, other: "Bootstrap") -> None:
        if self.seed != other.seed:
            raise ValueError(
                f"cannot merge a Bootstrap of seed={other.seed} into one of seed={self.seed}: replicates of different "
                "seeds draw different counts; feed every piece with one seed, each from its own offset"
            )
        if self.n_replicates != other.n_replicates:
            raise ValueError(
                f"cannot merge a Bootstrap of {other.n_replicates} replicates into one of {self.n_replicates}"
            )
        if type(other._plain) is not type(self._plain):
            raise ValueError(
                f"cannot merge a Bootstrap of {type(other._plain).__name__} into one of {type(self._plain).__name__}"
            )
        self._plain._compatible(other._plain)

    def _merge_state(self, other: "Bootstrap") -> None:
        # The replicates first: the core refuses them when seeds differ or stream positions repeat.
        if other._resampled is not None:
            resampled = self._resampled if self._resampled is not None else self._resampling()
            resampled._merge_state(other._resampled)
            self._resampled = resampled
        self._plain.merge(other._plain)

    def reset(self) -> "Bootstrap":
        self._plain.reset()
        if self._resampled is not None:
            self._resampled.reset()
        return self

    def __repr__(self) -> str:
        return (f"Bootstrap({self._plain!r}, n_replicates={self.n_replicates}, seed={self.seed}, "
                f"offset={self.offset}, position={self.position})")


def poisson_counts(n: int, replicate: int, *, seed: int = 0, offset: int = 0) -> np.ndarray:
    """The Poisson(1) counts (uint8) of samples at positions [offset, offset + n) in one replicate."""
    return _core.poisson_counts(_seed(seed), _offset(offset), int(n), int(replicate))


def confidence_interval(metric, y_true, y_pred, *args, sample_weight=None, ci: float = 0.95, n_replicates: int = 200,
                        seed: int = 0, **kwargs) -> Interval:
    """(value, low, high) of any sklearn-style metric that takes ``sample_weight``, by the Poisson bootstrap.

    Replicate b calls ``metric(y_true, y_pred, *args, sample_weight=w * k_b, **kwargs)``
    with k_b the core's Poisson counts of replicate b (the counts a ``Bootstrap`` with
    the same ``seed`` gives the same samples), so a replicate is the metric of a
    resample with replacement. Costs ``n_replicates`` calls of the metric.

    >>> from accumetrics import accuracy_score
    >>> y = [0, 1] * 500
    >>> value, low, high = confidence_interval(accuracy_score, y, y[:900] + [1, 0] * 50, seed=1)
    >>> value, bool(0.87 < low < 0.9 < high < 0.93)
    (0.9, True)
    """
    ci = _ci(ci)
    if not callable(metric):
        raise TypeError(f"metric must be a function such as accumetrics.f1_score, got {type(metric).__name__}")
    n_replicates = v.positive_int(n_replicates, "n_replicates")
    seed = _seed(seed)
    n = len(y_true) if hasattr(y_true, "__len__") else len(np.asarray(y_true))
    w = v.weights(sample_weight, n)
    value = metric(y_true, y_pred, *args, sample_weight=sample_weight, **kwargs)
    values = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for b in range(n_replicates):
            k = _core.poisson_counts(seed, 0, n, b).astype(np.float64)
            values.append(metric(y_true, y_pred, *args, sample_weight=k if w is None else w * k, **kwargs))
    low, high = percentile_interval(np.asarray(values, dtype=np.float64), ci)
    return Interval(_scalar(value), _scalar(low), _scalar(high))
