"""Any accumulator over the last N batches: for monitoring a long stream."""

from __future__ import annotations

from collections import deque

from . import _validation as v
from ._accumulator import Accumulator


class Windowed:
    """``accumulator`` over the last ``batches`` updates only.

    Each update fills an accumulator of its own; the window's state is the merge of the
    last ``batches`` of them, so its results are exactly those of the accumulator fed the
    window's data (counts merge exactly). Results are read from :attr:`accumulator`, or
    directly: attributes the window does not have come from it.

    >>> from accumetrics import ConfusionMatrix
    >>> w = Windowed(ConfusionMatrix(2), batches=2)
    >>> for batch in ([0, 0], [1, 1], [1, 0]):
    ...     _ = w.update(batch, [1, 1])
    >>> w.result().tolist()
    [[0, 1], [0, 3]]
    """

    def __init__(self, accumulator: Accumulator, batches: int):
        if not isinstance(accumulator, Accumulator):
            raise TypeError(f"accumulator must be an accumetrics accumulator (ConfusionMatrix, ThresholdCounts, "
                            f"Moments, ...); got {type(accumulator).__name__}")
        self.batches = v.positive_int(batches, "batches")
        self._empty = accumulator.copy().reset()
        self._recent: deque = deque(maxlen=self.batches)
        self._merged = None

    def update(self, *args, **kwargs) -> "Windowed":
        """``update`` of the accumulator with one batch; the oldest batch leaves a full window."""
        batch = self._empty.copy()
        batch.update(*args, **kwargs)  # a refused batch raises here and leaves the window as it was
        self._recent.append(batch)
        self._merged = None
        return self

    @property
    def accumulator(self) -> Accumulator:
        """The state of the window: the accumulator fed the last ``batches`` updates (do not update it)."""
        if self._merged is None:
            merged = self._empty.copy()
            for batch in self._recent:
                merged.merge(batch)
            self._merged = merged
        return self._merged

    def __len__(self) -> int:
        """The number of batches in the window."""
        return len(self._recent)

    def reset(self) -> "Windowed":
        self._recent.clear()
        self._merged = None
        return self

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.accumulator, name)

    def __repr__(self) -> str:
        return f"Windowed({self._empty!r}, batches={self.batches}): {len(self)} in the window"
