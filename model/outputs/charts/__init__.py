"""The charts, one module per figure family, all in the one style of `style` and saved by its
`save`: the run's four (`write_charts`), timeline, search, sweep and compare.

Importing them sets no backend and writes no rcParams: each figure is drawn on its own `Figure`.
"""

from __future__ import annotations

from pathlib import Path

from model.outputs.charts.acceptance import acceptance_figure
from model.outputs.charts.issues import issues_figure
from model.outputs.charts.positions import positions_figure
from model.outputs.charts.style import check_format, save
from model.outputs.charts.utilities import utilities_figure
from model.results import Results

__all__ = ["write_charts"]


def write_charts(results: Results, folder: Path, fmt: str = "png") -> list[str]:
    """Write acceptance, issues, positions and utilities charts into `folder`; return the names."""
    check_format(fmt)
    folder = Path(folder)
    return [
        save(draw(results), folder, name, fmt)
        for name, draw in (
            ("acceptance", acceptance_figure),
            ("issues", issues_figure),
            ("positions", positions_figure),
            ("utilities", utilities_figure),
        )
    ]
