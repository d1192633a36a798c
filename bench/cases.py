"""What a benchmark case is: engines run on the same data, a target, and result checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

BATCH = 65_536


@dataclass
class Engine:
    name: str
    run: Callable[[], object] | None
    samples: int = 0  # samples one call of `run` processes
    skipped: str = ""  # why `run` is None, e.g. "not installed"
    value: Callable[[], float] | None = None  # the metric from a fresh update, for the error column

    @classmethod
    def missing(cls, name: str, why: str) -> "Engine":
        return cls(name, None, skipped=why)


@dataclass
class Target:
    engine: str  # the engine the first engine is compared with
    ratio: float  # the first engine must be at least this many times faster


@dataclass
class Case:
    key: str
    title: str
    engines: list[Engine]  # engines[0] is the numerator of every ratio
    target: Target | None = None
    notes: list[str] = field(default_factory=list)
    # (description, check) pairs; a check returns "ok" or what differs.
    checks: list[tuple[str, Callable[[], str]]] = field(default_factory=list)
    exact: float | None = None  # the true metric value, for engines that report `value`


def batches(*arrays, limit: int | None = None) -> list[tuple]:
    """Consecutive slices of BATCH samples (views, no copies), at most `limit` of them."""
    n = len(arrays[0])
    stop = n if limit is None else min(n, limit * BATCH)
    return [tuple(a[i:i + BATCH] for a in arrays) for i in range(0, stop, BATCH)]


def each_batch(update: Callable, parts: list[tuple]) -> Callable[[], None]:
    def run():
        for part in parts:
            update(*part)

    return run


def keras_engine(name: str, tf, metric, y_true, y_pred, limit: int | None = None) -> Engine:
    """metric.update_state inside a tf.function, one call per batch of tensors made beforehand."""
    parts = [(tf.constant(y), tf.constant(p)) for y, p in batches(y_true, y_pred, limit=limit)]
    spec = tuple(tf.TensorSpec([None], x.dtype) for x in parts[0])

    @tf.function(input_signature=spec)
    def step(y, p):
        metric.update_state(y, p)

    run = each_batch(step, parts)

    def value() -> float:
        metric.reset_state()
        run()
        return float(metric.result())

    return Engine(name, run, sum(int(y.shape[0]) for y, _ in parts), value=value)


def differences(name: str, got, want) -> str:
    """'ok' when equal, otherwise how many entries of `name` differ."""
    import numpy as np

    got, want = np.asarray(got), np.asarray(want)
    if got.shape != want.shape:
        return f"{name}: shapes {got.shape} and {want.shape}"
    bad = np.flatnonzero(got != want)
    if bad.size == 0:
        return "ok"
    i = bad[0]
    return f"{name}: {bad.size} of {got.size} differ, first at {i}: {got.flat[i]} vs {want.flat[i]}"
