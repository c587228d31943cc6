"""Timing shared by the benchmarks."""

from __future__ import annotations

import statistics
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


def interleaved(repeat: int, jobs: dict[str, Callable[[], Any]]) -> dict[str, tuple[float, Any]]:
    """Each job's median time over `repeat` rounds, the jobs taking turns within each round (so
    a change in the machine's load hits all of them alike), and its last result."""
    times: dict[str, list[float]] = {name: [] for name in jobs}
    out: dict[str, Any] = {}
    for _ in range(repeat):
        for name, job in jobs.items():
            start = time.perf_counter()
            out[name] = job()
            times[name].append(time.perf_counter() - start)
    return {name: (statistics.median(times[name]), out[name]) for name in jobs}
