"""Timing for a shared, noisy machine: warm up, repeat, keep the median.

Engines of one case are timed round-robin (A, B, C, A, B, C, ...) so that a burst
of load from elsewhere slows all of them alike instead of one of them only. Each
call records wall time and the CPU time of the whole process: for one-thread
engines the CPU time leaves out the time spent waiting for a core that another
process held, so it is the steadier estimate of what an idle machine would show.
"""

from __future__ import annotations

import gc
import statistics
import time
from dataclasses import dataclass
from typing import Callable


@dataclass
class Timing:
    wall: list[float]
    cpu: list[float]

    def median(self, clock: str = "wall") -> float:
        return statistics.median(getattr(self, clock))

    def spread(self, clock: str = "wall") -> float:
        """(slowest - fastest) / median: how much to trust the median."""
        seconds = getattr(self, clock)
        return (max(seconds) - min(seconds)) / statistics.median(seconds)


def once(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall, process CPU) seconds of one call."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        return time.perf_counter() - wall, time.process_time() - cpu
    finally:
        if enabled:
            gc.enable()


def round_robin(fns: dict[str, Callable[[], object]], repeats: int, warmup: int = 1) -> dict[str, Timing]:
    for fn in fns.values():
        for _ in range(warmup):
            fn()
    timings = {name: Timing([], []) for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            wall, cpu = once(fn)
            timings[name].wall.append(wall)
            timings[name].cpu.append(cpu)
    return timings
