"""The charts read correctly without the code: acceptance.png's fill is the verdict, issues.png
marks every red line crossed, no label is cut, and the issues figure's key is at both ends."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.patches import Rectangle

from model.api import run
from model.outputs.charts.acceptance import acceptance_figure
from model.outputs.charts.style import VERDICT_COLOURS
from model.scenario.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.fixture(scope="module")
def all_proposals():
    return run(load_scenario(SCENARIOS / "all-proposals.yaml"))


@pytest.fixture(scope="module")
def point28():
    return run(load_scenario(SCENARIOS / "28-point.yaml"))


def cells(fig) -> dict[tuple[str, str], Rectangle]:
    return {
        tuple(p.get_gid().split(":")[1:]): p
        for p in fig.axes[0].patches
        if (p.get_gid() or "").startswith("cell:")
    }


def pixel(fig, canvas: FigureCanvasAgg, patch: Rectangle) -> tuple[float, float, float]:
    """The colour drawn near the top-left corner of a cell (inside it, clear of its text)."""
    box = patch.get_window_extent(canvas.get_renderer())
    image = np.asarray(canvas.buffer_rgba())
    x, y = int(box.x0 + 0.06 * box.width), int(fig.bbox.height - (box.y1 - 0.06 * box.height))
    return tuple(float(c) / 255 for c in image[y, x, :3])


def test_acceptance_fill_is_the_verdict(all_proposals) -> None:
    fig = acceptance_figure(all_proposals)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    found = cells(fig)
    cols = all_proposals.columns()
    assert len(found) == len(cols) * len(all_proposals.scenario.actors)
    for (pid, aid), patch in found.items():
        word = all_proposals.verdict_word(pid, aid)
        assert to_rgb(patch.get_facecolor()) == to_rgb(VERDICT_COLOURS[word]), (pid, aid)
    # the 28-point plan, as drawn: Russia accepts it, Ukraine rejects it (a red line crossed),
    # each in its verdict's colour on the image
    seen = {aid: pixel(fig, canvas, found["us-28-point", aid]) for aid in ("russia", "ukraine")}
    assert all_proposals.verdict_word("us-28-point", "russia") == "accepts"
    assert all_proposals.verdict_word("us-28-point", "ukraine") == "rejects"
    assert np.allclose(seen["russia"], to_rgb(VERDICT_COLOURS["accepts"]), atol=0.02)
    assert np.allclose(seen["ukraine"], to_rgb(VERDICT_COLOURS["rejects"]), atol=0.02)
    # no deal: Russia rejects the status quo, which Ukraine accepts
    assert to_rgb(found["status-quo", "russia"].get_facecolor()) == to_rgb(
        VERDICT_COLOURS["rejects"]
    )
    assert to_rgb(found["status-quo", "ukraine"].get_facecolor()) == to_rgb(
        VERDICT_COLOURS["accepts"]
    )
    # three distinct fills, and a legend entry for each, the bar and the no-deal tick
    assert len(set(VERDICT_COLOURS.values())) == 3
    texts = [t.get_text() for t in fig.legends[0].get_texts()]
    assert [t[0] for t in texts[:3]] == ["✓", "✗", "?"]
    assert any("utility" in t for t in texts) and any("no deal" in t for t in texts[3:])


def test_acceptance_forecast_column_is_set_apart(point28) -> None:
    fig = acceptance_figure(point28)
    ticks = list(fig.axes[0].get_xticks())
    gaps = np.diff(ticks)
    assert np.allclose(gaps[:-1], 1.0) and gaps[-1] > 1.2  # the forecast after a gap
