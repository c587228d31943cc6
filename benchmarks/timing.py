"""Timing shared by the benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def best_of(repeat: int, job: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of `repeat` timings (the least disturbed by the rest of the machine) and the
    job's result."""
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = job()
        times.append(time.perf_counter() - start)
    return min(times), out
