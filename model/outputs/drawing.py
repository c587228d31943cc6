"""A second process for the run's charts, started before the model runs.

Drawing the charts is most of a `sim run`, and a spawned process spends about half a second
importing matplotlib and the chart code before it can draw. Started as soon as the scenario has
loaded, it imports while this process runs the model, and then draws part of the charts beside
this one (`model.outputs.charts.write_charts` says which). This module imports no matplotlib, so
that the second process starts first.
"""

from __future__ import annotations

import importlib
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from types import TracebackType

APART_FROM_ISSUES = 8
"""Below this many issues the charts are quick, and a spawned process's start would cost more
than drawing them in turn saves."""


def worth_a_process(issues: int) -> bool:
    """Whether drawing in a second process pays: two or more processors, APART_FROM_ISSUES
    issues or more, and a __main__ a spawned process can re-import."""
    main = getattr(sys.modules.get("__main__"), "__file__", None)
    if main and not os.path.exists(main):
        return False  # `python -`: a spawned process could not re-import __main__
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return cpus >= 2 and issues >= APART_FROM_ISSUES


def spawn_pool() -> ProcessPoolExecutor | None:
    """One spawned worker process (spawn, as the sweep's workers: the one start method on every
    platform), or None when none can be had."""
    try:
        return ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
    except (OSError, RuntimeError):
        return None


def _import(name: str) -> None:
    importlib.import_module(name)


class ChartProcess:
    """`with ChartProcess(len(scenario.issues)) as process:` run the model, then pass `process`
    to write_outputs. `pool` is the warmed process, or None where one is not worth having (or
    none could be started); leaving the block stops it."""

    def __init__(self, issues: int) -> None:
        self.issues = issues
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> ChartProcess:
        if worth_a_process(self.issues):
            self.pool = spawn_pool()
            if self.pool is not None:
                self.pool.submit(_import, "model.outputs.charts")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.pool is not None:
            # after an error, do not wait for the drawing queued behind it
            self.pool.shutdown(wait=kind is None, cancel_futures=True)
            self.pool = None
