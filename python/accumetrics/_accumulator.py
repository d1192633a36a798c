"""What every streaming accumulator shares: merge, +, copy, reset and pickling; the pool of core
objects behind the stateless batch counts; the core's thread count."""

from __future__ import annotations

import contextlib
import copy as _copy
import threading

from ._core import get_num_threads, set_num_threads

__all__ = ["Accumulator", "CorePool", "get_num_threads", "set_num_threads"]


class Accumulator:
    """Base of the streaming accumulators. Subclasses keep their core state in `_state`."""

    _state: object

    def _memory(self, slices: int) -> int:
        """Bytes of this configuration's state with `slices` slices, with the scratch of an update or a result."""
        return 0

    def _compatible(self, other: "Accumulator") -> None:
        """Raise ValueError unless `other` holds a state of the same shape."""

    def merge(self, other: "Accumulator") -> "Accumulator":
        """Add `other`'s state into this one, as if its data had been passed to `update` here."""
        if type(other) is not type(self):
            raise TypeError(f"cannot merge {type(other).__name__} into {type(self).__name__}")
        self._compatible(other)
        self._merge_state(other)
        return self

    def _merge_state(self, other: "Accumulator") -> None:
        self._state.merge(other._state)

    def __iadd__(self, other: "Accumulator") -> "Accumulator":
        return self.merge(other)

    def __add__(self, other: "Accumulator") -> "Accumulator":
        if type(other) is not type(self):
            return NotImplemented
        return self.copy().merge(other)

    def reset(self) -> "Accumulator":
        """Forget all data seen so far."""
        if self._state is not None:
            self._state.reset()
        return self

    def _has_core(self) -> bool:
        """Whether the core object exists (a Moments without num_outputs makes it at its first update)."""
        return self._state is not None

    def _holding(self, state, **settings) -> "Accumulator":
        """An accumulator of this one's configuration (with ``settings`` changed) around the core object
        ``state``, which it then owns: a Bootstrap's resampled twin, its replicates and their stack."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.__dict__.update(settings)
        new._state = state
        return new

    def _empty_state(self):
        """A copy of the core object, with no data."""
        state = self._state.copy()
        state.reset()
        return state

    def copy(self) -> "Accumulator":
        """An independent accumulator with the same configuration and state."""
        return _copy.deepcopy(self)

    def __deepcopy__(self, memo):
        new = object.__new__(type(self))
        for key, value in self.__dict__.items():
            setattr(new, key, value.copy() if key == "_state" and value is not None else _copy.deepcopy(value, memo))
        return new

    def __copy__(self):
        return self.copy()


class CorePool:
    """Core objects made once and reused, reset before each use (making one per call costs 30-150 us,
    a lookup table of thresholds included), behind the batch counts of one configuration. A call borrows
    one and gives it back, so concurrent calls (distribution replicas) never share one; TensorFlow may run
    each call on a new thread, so a core per thread would be made anew every step."""

    def __init__(self, make):
        self._make = make
        self._free = []
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def borrow(self):
        with self._lock:
            core = self._free.pop() if self._free else None
        if core is None:
            core = self._make()
        else:
            core.reset()
        try:
            yield core
        finally:
            with self._lock:
                self._free.append(core)
