"""Exact snapshots of an accumulator's state, to show that nothing changed (or that two states agree)."""

from __future__ import annotations

import numpy as np


def snapshot(acc) -> list:
    """Everything an accumulator holds (configuration and core state), for exact comparison."""
    config = {k: v for k, v in vars(acc).items() if k != "_state"}
    core = None if acc._state is None else acc._state.__getstate__()
    return [config, core]


def assert_same_state(a, b) -> None:
    """Exact equality (counts and sums bit for bit) of two accumulators or snapshots."""
    a, b = (x if isinstance(x, list) else snapshot(x) for x in (a, b))
    assert _same(a, b), (a, b)


def _same(x, y) -> bool:
    if isinstance(x, dict):
        return isinstance(y, dict) and x.keys() == y.keys() and all(_same(x[k], y[k]) for k in x)
    if isinstance(x, (list, tuple)):
        return type(x) is type(y) and len(x) == len(y) and all(_same(u, v) for u, v in zip(x, y))
    if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
        x, y = np.asarray(x), np.asarray(y)
        return x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y)
    return x == y
