"""What every streaming accumulator shares: merge, +, copy, reset and pickling; the pool of core
objects behind the stateless batch counts; the core's thread count."""

from __future__ import annotations

import contextlib
import copy as _copy
import threading

import numpy as np

from . import _validation as v
from ._core import get_num_threads, set_num_threads

__all__ = ["Accumulator", "CorePool", "get_num_threads", "set_num_threads"]


class Accumulator:
    """Base of the streaming accumulators. Subclasses keep their core state in `_state`."""

    _state: object
    num_slices: int | None

    def _memory(self, slices: int) -> int:
        """Bytes of this configuration's state with `slices` slices, with the scratch of an update or a result."""
        return 0

    def _weights_and_slices(self, sample_weight, slice_ids, rows: int, value_shape=None):
        """An update's weights (one per row, or per value when `value_shape` is given) and slice ids, checked."""
        w = v.weights(sample_weight, rows, value_shape)
        ids = v.slice_ids(slice_ids, rows)
        if ids is not None and self.num_slices is None:
            raise ValueError(f"slice_ids given, but this {type(self).__name__} was made without num_slices")
        return w, ids

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


class OutputSums(Accumulator):
    """Base of the accumulators of sums per slice and output whose number of outputs, unless given, the first
    update that succeeds fixes (Moments, the losses). `_state` is None until then."""

    num_outputs: int | None
    _first_update = threading.Lock()

    def _check_outputs(self, outputs: int) -> None:
        if self.num_outputs is not None and outputs != self.num_outputs:
            raise ValueError(f"y_pred has {outputs} outputs per sample; this {type(self).__name__} tracks "
                             f"{self.num_outputs}")

    def _add_first(self, state, outputs: int) -> None:
        """Keep `state`, the core object of a first update, or, where another thread's first update came before,
        merge it into that one's."""
        with self._first_update:
            if self._state is None:
                self._state, self.num_outputs = state, outputs
                return
        self._check_outputs(outputs)
        self._state.merge(state)

    def _merge_state(self, other: "OutputSums") -> None:
        if other._state is None:
            return
        if self._state is None:
            self.num_outputs, self._state = other.num_outputs, other._state.copy()
        else:
            self._state.merge(other._state)

    def _shaped(self, a: np.ndarray) -> np.ndarray:
        """(S, K) -> drop the output axis when 1-D input, the slice axis when unsliced."""
        if self.num_outputs in (None, 1):
            a = a[:, 0]
        return a if self.num_slices is not None else a[0]

    @property
    def count(self):
        """Number of samples (rows) seen, per slice when sliced."""
        c = self._state.counts() if self._state is not None else np.zeros(self.num_slices or 1, np.int64)
        return c if self.num_slices is not None else int(c[0])
