"""The charts, one module per figure family, all in the one style of `style` and saved by its
`save`: the run's four (`write_charts`), timeline, search, sweep and compare.

Importing them sets no backend and writes no rcParams: each figure is drawn on its own `Figure`.
"""

from __future__ import annotations

from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from model.outputs.charts.acceptance import acceptance_figure
from model.outputs.charts.issues import issues_figure
from model.outputs.charts.positions import positions_figure
from model.outputs.charts.style import check_format, save
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

APART = ("positions",)
"""Drawn in a spawned process while this one draws the others: positions.png is about as much
work as the rest together once issues.png is large."""

APART_WARM = ("acceptance", "positions", "utilities")
"""What a process that has already imported the chart code (model.outputs.drawing.ChartProcess)
draws: it saves the start-up, so it can take acceptance.png as well."""


def write_charts(
    results: Results, folder: Path, fmt: str = "png", process: ChartProcess | None = None
) -> list[str]:
    """Write acceptance, issues, positions and utilities charts into `folder`; return the names.

    With two or more processors and a scenario of APART_FROM_ISSUES issues or more, APART is
    drawn in a spawned process at the same time (APART_WARM in `process`, when it has one); the
    files are the same bytes either way.
    """
    check_format(fmt)
    folder = Path(folder)
    own = process is None or process.pool is None
    pool = process.pool if process is not None else None
    apart = APART_WARM
    if own:
        pool = spawn_pool() if worth_a_process(len(results.scenario.issues)) else None
        apart = APART
    future = None
    if pool is not None:
        try:
            future = pool.submit(_draw_apart, results, folder, apart, fmt)
        except (BrokenProcessPool, RuntimeError):  # it died or was shut down: draw here
            future = None
    apart = apart if future is not None else ()
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
        if own and pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return [names[name] for name in CHARTS]


def _draw_apart(results: Results, folder: Path, names: tuple[str, ...], fmt: str) -> dict[str, str]:
    return {name: save(CHARTS[name](results), folder, name, fmt) for name in names}
