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
from model.outputs.charts.issues import issues_figure
from model.outputs.charts.positions import positions_figure
from model.outputs.charts.style import CROSSING, VERDICT_COLOURS
from model.outputs.charts.utilities import utilities_figure
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


def crossings(results) -> dict[str, int]:
    """issue -> how many (proposal, actor) pairs cross a red line on it, the forecast included."""
    out: dict[str, int] = {}
    for by_actor in [*results.verdicts.values(), results.forecast_verdicts]:
        for v in by_actor.values():
            for x in v.violations:
                out[x.issue] = out.get(x.issue, 0) + 1
    return out


@pytest.mark.parametrize("name", ["all_proposals", "point28"])
def test_issues_marks_every_crossing(name, request) -> None:
    results = request.getfixturevalue(name)
    fig = issues_figure(results)
    expected = crossings(results)
    assert sum(expected.values()) >= 10  # the shipped scenarios cross many red lines
    for ax, iid in zip(fig.axes, results.scenario.issues, strict=True):
        marks = [line for line in ax.get_lines() if line.get_gid() == "crossing"]
        assert len(marks) == expected.get(iid, 0), iid
        assert all(to_rgb(m.get_color()) == to_rgb(CROSSING) for m in marks)
    # each ✗ is followed by the name of the actor whose red line is crossed
    ax = fig.axes[list(results.scenario.issues).index("nato_membership")]
    names = [t.get_text() for t in ax.texts if t.get_text() in ACTOR_NAMES]
    marked = sum(1 for line in ax.get_lines() if line.get_gid() == "crossing")
    assert len(names) == marked
    # and the legend says what ✗ means
    assert any("✗" in t.get_text() for t in fig.legends[0].get_texts())


ACTOR_NAMES = {"Russia", "Ukraine", "United States", "NATO", "Europe"}


def test_28_point_plan_crossings_on_nato_membership(point28) -> None:
    """The 28-point plan's constitutional ban crosses Ukraine's, NATO's and Europe's red lines on
    Ukraine's NATO membership: three ✗ in its lane, named."""
    fig = issues_figure(point28)
    ax = fig.axes[list(point28.scenario.issues).index("nato_membership")]
    lanes = [t.get_text() for t in ax.get_yticklabels()]
    y = ax.get_yticks()[lanes.index(point28.scenario.proposals["us-28-point"].label)]
    in_lane = [t.get_text() for t in ax.texts if abs(t.get_position()[1] - y) < 1e-9]
    expected = {
        point28.scenario.actors[aid].name
        for aid, v in point28.verdicts["us-28-point"].items()
        if any(x.issue == "nato_membership" for x in v.violations)
    }
    assert expected == {"Ukraine", "NATO", "Europe"}
    assert set(in_lane) == expected


@pytest.mark.parametrize("name", ["all_proposals", "point28"])
def test_no_label_is_cut(name, request) -> None:
    results = request.getfixturevalue(name)
    for draw in (acceptance_figure, issues_figure, positions_figure, utilities_figure):
        fig = draw(results)
        for ax in fig.axes:
            for tick in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
                assert not tick.get_text().endswith("…"), (draw.__name__, tick.get_text())


def test_issues_legend_at_top_and_bottom(all_proposals) -> None:
    fig = issues_figure(all_proposals)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    assert len(fig.legends) == 2
    boxes = [legend.get_window_extent(renderer) for legend in fig.legends]
    panels = [ax.get_window_extent(renderer) for ax in fig.axes]
    top, bottom = sorted(boxes, key=lambda b: -b.y0)
    assert top.y0 >= max(p.y1 for p in panels)  # above the first panel
    assert bottom.y1 <= min(p.y0 for p in panels)  # below the last
    for box in boxes:  # neither cut at the figure's edges
        assert box.x0 >= 0 and box.x1 <= fig.bbox.width
    texts = [[t.get_text() for t in legend.get_texts()] for legend in fig.legends]
    assert texts[0] == texts[1] and len(texts[0]) == len(all_proposals.scenario.actors) + 4
