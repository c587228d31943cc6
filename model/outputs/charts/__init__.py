"""The charts, one module per figure family, all in the one style of `style` and saved by its
`save`: the run's four (`write_charts`), timeline, search, sweep and compare.

Importing them sets no backend and writes no rcParams: each figure is drawn on its own `Figure`.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

from model.outputs.charts.acceptance import acceptance_figure
from model.outputs.charts.issues import issues_figure
from model.outputs.charts.positions import positions_figure
from model.outputs.charts.style import check_format, save
from model.outputs.charts.utilities import utilities_figure
from model.results import Results

__all__ = ["write_charts"]


CHARTS = {
    "acceptance": acceptance_figure,
    "issues": issues_figure,
    "positions": positions_figure,
    "utilities": utilities_figure,
}
"""The run's four charts, in the order they are listed."""

APART = ("positions",)
"""Drawn in a second process while this one draws the others: positions.png is about as much
work as the rest together once issues.png is large."""

APART_FROM_ISSUES = 8
"""Below this many issues the charts are quick, and a spawned process's start (about 0.5 s of
imports) would cost more than drawing in turn saves."""


def write_charts(results: Results, folder: Path, fmt: str = "png") -> list[str]:
    """Write acceptance, issues, positions and utilities charts into `folder`; return the names.

    With two or more processors and a scenario of APART_FROM_ISSUES issues or more, APART is
    drawn in a spawned process at the same time; the files are the same bytes either way.
    """
    check_format(fmt)
    folder = Path(folder)
    apart = APART if _parallel(results) else ()
    pool = future = None
    if apart:
        try:
            # spawn, as the sweep's workers: the one start method on every platform
            pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
            future = pool.submit(_draw_apart, results, folder, apart, fmt)
        except (OSError, RuntimeError):  # no process to be had: draw them all here
            pool, apart = None, ()
    try:
        names = {
            name: save(draw(results), folder, name, fmt)
            for name, draw in CHARTS.items()
            if name not in apart
        }
        if future is not None:
            try:
                names.update(future.result())
            except BrokenProcessPool:  # the process died (killed, out of memory): draw here
                names.update(_draw_apart(results, folder, apart, fmt))
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return [names[name] for name in CHARTS]


def _parallel(results: Results) -> bool:
    main = getattr(sys.modules.get("__main__"), "__file__", None)
    if main and not os.path.exists(main):
        return False  # `python -` or `-c`: a spawned process could not re-import __main__
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return cpus >= 2 and len(results.scenario.issues) >= APART_FROM_ISSUES


def _draw_apart(results: Results, folder: Path, names: tuple[str, ...], fmt: str) -> dict[str, str]:
    return {name: save(CHARTS[name](results), folder, name, fmt) for name in names}
