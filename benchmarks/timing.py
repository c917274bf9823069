"""The timing loop both benchmark scripts share: warm up, then time variants alternately.

Alternating (a, b, a, b, ...) after one warm-up run of each makes both variants see the
same machine: on a shared, busy machine the load drifts, and timing all of one variant
before the other would charge the drift to whichever ran later. Medians, not means: one
run slowed by another process must not move the figure.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def timed(fn: Callable[[], Any]) -> Callable[[], float]:
    """A sampler: calls ``fn`` and returns the seconds it took."""

    def sample() -> float:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start

    return sample


def alternate(samplers: list[Callable[[], float]], repeat: int) -> list[list[float]]:
    """Seconds of each sampler, ``repeat`` times, taken in turn after one warm-up each.

    A sampler returns its own measurement, so a case that times only part of what it
    runs (a process until its first prompt) fits as well as ``timed(fn)``."""
    for sample in samplers:
        sample()
    times: list[list[float]] = [[] for _ in samplers]
    for _ in range(repeat):
        for sample, out in zip(samplers, times, strict=True):
            out.append(sample())
    return times


def summary(times: list[float]) -> dict[str, float]:
    """Median, fastest and slowest run in milliseconds."""
    return {"median_ms": statistics.median(times) * 1000, "min_ms": min(times) * 1000,
            "max_ms": max(times) * 1000, "runs": len(times)}
