"""What every streaming accumulator shares: merge, +, copy, reset and pickling."""

from __future__ import annotations

import copy as _copy


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
