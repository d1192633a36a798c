"""How a metric's update is run once per slice while the core counts the batch once.

A sliced update (see :class:`accumetrics.keras.partition.Sliced`) runs the wrapped
metric's ``update_state`` once per slice. Under a :class:`SliceScope`, the first of
those runs makes each engine call compute every slice's contribution in one core
call (shape ``(S, ...)``, from the ``slice_ids`` of the batch); every run then gets
its own slice's share, so the metric's own arithmetic around the engine (weights,
per-sample means, sums over outputs) applies slice by slice, unchanged.
"""

from __future__ import annotations

import contextvars
import functools

_SCOPE: contextvars.ContextVar["SliceScope | None"] = contextvars.ContextVar("accumetrics_slice_scope", default=None)


class SliceScope:
    """The slice ids of the batch, the slice being run, and the engine results of the batch."""

    def __init__(self, slice_ids, num_slices: int):
        self.slice_ids = slice_ids
        self.num_slices = num_slices
        self.current = 0
        self.calls = 0
        self._results = []
        self._token = None

    def run(self, index: int) -> None:
        """Start the run of slice ``index``: engine calls are matched to the first run's by order."""
        self.current = index
        self.calls = 0

    def take(self, compute):
        """Slice ``current`` of the ``calls``-th engine result of the batch, computed on the first run."""
        if self.calls == len(self._results):
            if self.current:
                raise RuntimeError("a metric's update made an engine call in one slice's run and not in the first run")
            self._results.append(compute(self.slice_ids, self.num_slices))
        result = self._results[self.calls][self.current]
        self.calls += 1
        return result

    def __enter__(self):
        self._token = _SCOPE.set(self)
        return self

    def __exit__(self, *exc):
        _SCOPE.reset(self._token)


def sliceable(engine):
    """Lets ``engine(..., slice_ids=None, num_slices=1)`` be sliced by an active :class:`SliceScope`."""

    @functools.wraps(engine)
    def wrapper(*args, **kwargs):
        scope = _SCOPE.get()
        if scope is None:
            return engine(*args, **kwargs)
        return scope.take(lambda ids, n: engine(*args, **kwargs, slice_ids=ids, num_slices=n))

    return wrapper
