"""The charts, one module per figure family, all in the one style of `style` and saved by its
`save`: the run's four (`write_charts`), timeline, search, sweep and compare.

Importing them sets no backend and writes no rcParams: each figure is drawn on its own `Figure`.
"""

from __future__ import annotations

from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from model.outputs.charts.acceptance import acceptance_figure
from model.outputs.charts.issues import issue_pages, issues_figure
from model.outputs.charts.positions import position_pages, positions_figure
from model.outputs.charts.style import Page, check_format, save
from model.outputs.charts.utilities import utilities_figure
from model.outputs.drawing import ChartProcess, spawn_pool, worth_a_process
from model.results import Results

__all__ = ["write_charts"]


CHARTS = {
    "acceptance": acceptance_figure,
    "issues": issues_figure,
    "positions": positions_figure,
    "utilities": utilities_figure,
}
"""The run's four charts, in the order they are listed."""

PAGED = {"issues": issue_pages, "positions": position_pages}
"""The charts that grow with the issues, cut into pages (style.PAGE_IN): issues.png, then
issues-2.png, issues-3.png… when there is more than one."""

COST = {"acceptance": 10.0, "utilities": 4.0, "start": 15.0}
"""What drawing a chart costs, in inches of issues.png panels (the unit of a paged chart's
cost: about 0.03 s an inch here): acceptance.png and utilities.png, and a spawned process's
start (its imports). Rough, from timing 28-point's charts; they decide only which process
draws what, never what is drawn."""

Job = tuple[str, "Page | None", float]
"""A chart (or one page of it) to draw: its name, its page (None: the whole chart), its cost."""


def chart_jobs(results: Results) -> list[Job]:
    """Every file of the run's charts to draw, in the order they are listed."""
    jobs: list[Job] = []
    for name in CHARTS:
        if name in PAGED:
            paged = PAGED[name](results)
            jobs += [(name, page if len(paged) > 1 else None, page.inches) for page in paged]
        else:
            jobs.append((name, None, COST[name]))
    return jobs


def split(jobs: list[Job], warm: bool) -> tuple[list[Job], list[Job]]:
    """The jobs this process draws and those a second one draws, the costliest first to the
    one with less to do (a cold process starts with its imports to do)."""
    here: list[Job] = []
    apart: list[Job] = []
    load = [0.0, 0.0 if warm else COST["start"]]
    for job in sorted(jobs, key=lambda j: -j[2]):
        side = 0 if load[0] <= load[1] else 1
        (here, apart)[side].append(job)
        load[side] += job[2]
    return here, apart


def write_charts(
    results: Results, folder: Path, fmt: str = "png", process: ChartProcess | None = None
) -> list[str]:
    """Write the acceptance, issues, positions and utilities charts into `folder` (issues and
    positions in pages when long); return the file names.

    With two or more processors and a scenario of APART_FROM_ISSUES issues or more, a spawned
    process draws part of them at the same time (`process`'s, warmed before the run, when it
    has one); the files are the same bytes either way.
    """
    check_format(fmt)
    folder = Path(folder)
    jobs = chart_jobs(results)
    own = process is None or process.pool is None
    pool = None if own else process.pool
    if own and worth_a_process(len(results.scenario.issues)):
        pool = spawn_pool()
    here, apart = split(jobs, warm=not own) if pool is not None else (jobs, [])
    future = None
    if apart:
        try:
            future = pool.submit(_draw, results, folder, apart, fmt)
        except (BrokenProcessPool, RuntimeError):  # it died or was shut down: draw here
            here, apart = jobs, []
    try:
        names = _draw(results, folder, here, fmt)
        if future is not None:
            try:
                names.update(future.result())
            except BrokenProcessPool:  # the process died (killed, out of memory): draw here
                names.update(_draw(results, folder, apart, fmt))
    finally:
        if own and pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return [names[_stem(name, page)] for name, page, _ in jobs]


def _stem(name: str, page: Page | None) -> str:
    return name if page is None else page.file(name)


def _draw(results: Results, folder: Path, jobs: list[Job], fmt: str) -> dict[str, str]:
    out = {}
    for name, page, _ in jobs:
        fig = CHARTS[name](results) if page is None else CHARTS[name](results, page)
        out[_stem(name, page)] = save(fig, folder, _stem(name, page), fmt)
    return out
