"""Wall-clock timing for a shared, noisy machine: warm up, repeat, keep the median.

Engines of one case are timed round-robin (A, B, C, A, B, C, ...) so that a burst
of load from elsewhere slows all of them alike instead of one of them only.
"""

from __future__ import annotations

import gc
import statistics
import time
from dataclasses import dataclass
from typing import Callable


@dataclass
class Timing:
    seconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def spread(self) -> float:
        """(slowest - fastest) / median: how much to trust the median."""
        return (max(self.seconds) - min(self.seconds)) / self.median


def once(fn: Callable[[], object]) -> float:
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start
    finally:
        if enabled:
            gc.enable()


def round_robin(fns: dict[str, Callable[[], object]], repeats: int, warmup: int = 1) -> dict[str, Timing]:
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    seconds: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            seconds[name].append(once(fn))
    return {name: Timing(s) for name, s in seconds.items()}
