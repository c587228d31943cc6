"""The four charts: written in every format, valid, deterministic, and drawn for one issue too."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.offsetbox import AnnotationBbox

from model.api import run
from model.outputs.charts import write_charts
from model.outputs.charts.issues import issues_figure
from model.outputs.charts.positions import positions_figure
from model.outputs.charts.style import (
    FORECAST_MARKER,
    PALETTE,
    STATISTICS,
    TIMELINE_PALETTE,
    actor_styles,
    numeric_ticks,
    proposal_styles,
    save,
    short,
)
from model.scenario.loader import load_scenario

NAMES = ["acceptance", "issues", "positions", "utilities"]
MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "svg": b"<?xml", "pdf": b"%PDF"}

ONE_ISSUE = """\
title: One-issue test
issues:
  territory:
    label: Status of the occupied territories, along the line of contact or beyond it
    options:
      - {id: returned, label: "Returned to Ukraine in full, with Russian withdrawal"}
      - {id: frozen, label: "Frozen along the line of contact; no recognition of sovereignty"}
      - {id: de-jure, label: Recognised de jure as Russian by every party}
    status_quo: frozen
actors:
  east:
    name: East
    capability: 60
    stakes:
      territory:
        position: de-jure
        salience: 90
        red_line:
          at_least: frozen
          sources: [{url: "https://example.org/east", note: "no withdrawal"}]
        sources: [{url: "https://example.org/east", note: "position"}]
  west:
    name: West
    capability: 40
    stakes:
      territory:
        position: returned
        salience: 80
        red_line:
          rejects: [de-jure]
          sources: [{url: "https://example.org/west", note: "no recognition"}]
        sources: [{url: "https://example.org/west", note: "position"}]
proposals:
  plan:
    label: A plan
    provisions:
      territory: frozen
model: {seed: 1, rounds: 10}
"""


@pytest.fixture(scope="module")
def tiny_results():
    return run(load_scenario(Path(__file__).parent / "data" / "tiny.yaml"))


def png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_writes_every_chart_byte_identically(tiny_results, tmp_path: Path, fmt: str) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    names = write_charts(tiny_results, first, fmt)
    assert names == [f"{n}.{fmt}" for n in NAMES]
    assert write_charts(tiny_results, second, fmt) == names
    for name in names:
        data = (first / name).read_bytes()
        assert data.startswith(MAGIC[fmt]), name
        assert len(data) > 5_000, name
        assert data == (second / name).read_bytes(), f"{name} differs between two writes"


def test_charts_drawn_in_a_second_process_are_the_same_files(tmp_path: Path, monkeypatch) -> None:
    """The charts drawn in a spawned process (started by write_charts, or warmed before the run
    by ChartProcess) are the same bytes as drawn in this one, and the names come in order."""
    import model.outputs.charts as charts
    import model.outputs.drawing as drawing
    from model.outputs.drawing import ChartProcess

    results = run(load_scenario(Path(__file__).parent.parent / "scenarios" / "28-point.yaml"))
    cold, warm, here = tmp_path / "cold", tmp_path / "warm", tmp_path / "here"
    for folder in (cold, warm, here):
        folder.mkdir()
    monkeypatch.setattr(charts, "worth_a_process", lambda _issues: True)
    monkeypatch.setattr(drawing, "worth_a_process", lambda _issues: True)
    names = write_charts(results, cold)
    with ChartProcess(len(results.scenario.issues)) as process:
        assert process.pool is not None
        assert write_charts(results, warm, "png", process) == names
    assert process.pool is None
    monkeypatch.setattr(charts, "worth_a_process", lambda _issues: False)
    assert write_charts(results, here) == names == [f"{n}.png" for n in NAMES]
    for name in names:
        assert (cold / name).read_bytes() == (here / name).read_bytes(), name
        assert (warm / name).read_bytes() == (here / name).read_bytes(), name


def test_no_second_process_for_a_small_scenario_or_an_unimportable_main(monkeypatch) -> None:
    import model.outputs.drawing as drawing

    assert not drawing.worth_a_process(drawing.APART_FROM_ISSUES - 1)
    monkeypatch.setattr(drawing.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert drawing.worth_a_process(drawing.APART_FROM_ISSUES)
    monkeypatch.setattr(sys.modules["__main__"], "__file__", "/nonexistent/<stdin>", raising=False)
    assert not drawing.worth_a_process(drawing.APART_FROM_ISSUES)


def test_pngs_have_sensible_sizes(tiny_results, tmp_path: Path) -> None:
    for name in write_charts(tiny_results, tmp_path, "png"):
        width, height = png_size(tmp_path / name)
        assert 400 <= width <= 4000 and 300 <= height <= 8000, (name, width, height)


def test_one_issue_scenario(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(ONE_ISSUE, encoding="utf-8")
    results = run(load_scenario(path))
    out = tmp_path / "charts"
    out.mkdir()
    names = write_charts(results, out, "png")
    assert names == [f"{n}.png" for n in NAMES]
    for name in names:
        width, height = png_size(out / name)
        assert width >= 400 and height >= 300, (name, width, height)
    # a single issue gets one large positions panel, not a thin strip
    assert png_size(out / "positions.png")[1] >= 500


def test_unknown_format_is_refused(tiny_results, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="png, svg, pdf"):
        write_charts(tiny_results, tmp_path, "jpg")


def test_short_wraps_and_cuts_long_labels() -> None:
    text = "Ukraine withdraws from the rest of Donetsk; the zone is recognised as Russian"
    cut = short(text, 20, 2)
    lines = cut.split("\n")
    assert len(lines) == 2 and all(len(line) <= 20 for line in lines)
    assert cut.endswith("…")
    assert short("Crimea", 20) == "Crimea"


# --- styles: enough distinct looks for any number of actors and proposals ----------------------

EMISSIONS = Path(__file__).parent.parent / "scenarios" / "validation" / "bdm1994-emissions.yaml"


def many(n_actors: int, n_proposals: int) -> str:
    """A scenario with `n_actors` actors and `n_proposals` proposals on tiny.yaml's two issues;
    two in three proposals leave the army cap at its status quo (so their marks would stack)."""
    tiny = (Path(__file__).parent / "data" / "tiny.yaml").read_text()
    issues = tiny[: tiny.index("actors:")].replace(
        "    status_quo: 1000", '    labels: [{value: 1000, label: "No cap"}]\n    status_quo: 1000'
    )
    lines = [issues, "actors:"]
    for k in range(n_actors):
        lines += [
            f"  a{k}:",
            f"    name: Actor {k}",
            f"    capability: {10 + k}",
            "    stakes:",
            f"      membership: {{position: {['open', 'paused', 'banned'][k % 3]}, salience: 50,"
            ' sources: [{url: "https://example.org"}]}',
            f"      army: {{position: {100 * (k % 11)}, salience: 40,"
            ' sources: [{url: "https://example.org"}]}',
        ]
    lines.append("proposals:")
    for k in range(n_proposals):
        deal = ["{army: 400}", "{army: 1000, membership: paused}", "{membership: banned}"][k % 3]
        lines.append(f'  p{k}: {{label: "Plan number {k}", provisions: {deal}}}')
    lines += ["  none: {label: No deal}", "model: {seed: 1, rounds: 8}", ""]
    return "\n".join(lines)


def test_actor_styles_are_distinct_and_never_black() -> None:
    for n in (5, 10, 13, 40):
        styles = list(actor_styles(f"a{k}" for k in range(n)).values())
        assert len({(s.colour, str(s.dash), s.marker) for s in styles}) == n
        assert all(to_rgb(s.colour) != (0.0, 0.0, 0.0) for s in styles)
    # up to the palette's length every actor has its own colour and its own marker
    ten = list(actor_styles(f"a{k}" for k in range(10)).values())
    assert len({s.colour for s in ten}) == 10 and len({s.marker for s in ten}) == 10
    assert "#000000" not in [c.upper() for c in PALETTE]


def test_proposal_styles_are_distinct_and_unlike_no_deal_and_forecast() -> None:
    styles = list(proposal_styles(f"p{k}" for k in range(14)).values())
    assert len({(s["marker"], s["color"]) for s in styles}) == 14
    assert not {s["marker"] for s in styles} & {"X", FORECAST_MARKER}  # no deal, the forecast
    # neighbours differ in both shape and colour
    for a, b in zip(styles, styles[1:], strict=False):
        assert a["marker"] != b["marker"] and a["color"] != b["color"]


@pytest.fixture(scope="module")
def emissions():
    return run(load_scenario(EMISSIONS))


def test_positions_ten_actors_distinct_outside_legend_and_named(emissions) -> None:
    fig = positions_figure(emissions)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    actors = emissions.scenario.actors
    lines = [
        line
        for line in ax.get_lines()
        if line.get_marker() in ("", "None") and len(line.get_xdata()) > 1
    ]
    colours = [to_rgb(line.get_color()) for line in lines]
    black = [c for c in colours if c == (0.0, 0.0, 0.0)]
    assert len(black) == 2  # the weighted mean and median, and no actor
    assert len({c for c in colours if c != (0.0, 0.0, 0.0)}) == len(actors) == 10
    # the legend lists every actor and sits outside the plot
    legend = fig.legends[0]
    assert [t.get_text() for t in legend.get_texts()][:10] == [a.name for a in actors.values()]
    assert not legend.get_window_extent(renderer).overlaps(ax.get_window_extent(renderer))
    # every actor is named at the end of its line, right of the plot; the actors who end at one
    # position share a label
    labels = [c for c in ax.get_children() if isinstance(c, AnnotationBbox)]
    groups = [
        [
            area.get_text().strip(",")
            for row in label.offsetbox.get_children()
            for area in row.get_children()
        ]
        for label in labels
    ]
    assert sorted(name for g in groups for name in g) == sorted(a.name for a in actors.values())
    assert ["France", "Italy", "UK"] in groups
    assert ["Netherlands", "Germany", "Denmark"] in groups
    assert ["Luxembourg", "Ireland"] in groups  # 4.14 years, not 4
    for label in labels:
        box = label.offsetbox.get_window_extent(renderer)
        assert ax.get_window_extent(renderer).x1 < box.x0 and box.x1 <= fig.bbox.x1  # not cut


def test_positions_coincident_actors_are_all_visible(emissions) -> None:
    """Round 0: Netherlands, Luxembourg, Germany and Denmark all stand at 4 years; their markers
    sit side by side around the round, none on top of another."""
    ax = positions_figure(emissions).axes[0]
    markers = [line for line in ax.get_lines() if line.get_linestyle() == "None"]
    at_four = []
    for line in markers:
        for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True):
            if abs(y - 4) < 1e-9 and abs(x) < 0.5:
                at_four.append((round(float(x), 6), line.get_marker(), line.get_color()))
    assert len(at_four) == 4
    assert len({x for x, _, _ in at_four}) == 4  # four places
    assert len({(m, c) for _, m, c in at_four}) == 4  # four looks


def test_positions_byte_identical_for_ten_actors(emissions, tmp_path: Path) -> None:
    a = save(positions_figure(emissions), tmp_path, "a", "png")
    b = save(positions_figure(emissions), tmp_path, "b", "png")
    assert (tmp_path / a).read_bytes() == (tmp_path / b).read_bytes()


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    path = tmp_path_factory.mktemp("crowded") / "crowded.yaml"
    path.write_text(many(12, 14), encoding="utf-8")
    return run(load_scenario(path))


def test_issues_every_proposal_has_a_labelled_lane(crowded) -> None:
    fig = issues_figure(crowded)
    labels = [p.label for p in crowded.scenario.proposals.values()] + [crowded.forecast.label]
    for ax in fig.axes:
        ticks = [t.get_text() for t in ax.get_yticklabels()]
        assert ticks[: len(labels)] == labels  # a key beside every panel, not only at the top
        # ten proposals and no deal sit at 1000 on the army cap: each in its own lane
        marks = [
            line
            for line in ax.get_lines()
            if line.get_linestyle() == "None" and line.get_marker() != "o"
        ]
        assert len(marks) == len(labels)
        assert len({float(m.get_ydata()[0]) for m in marks}) == len(labels)
    styles = {
        (m.get_marker(), m.get_markerfacecolor())
        for m in fig.axes[0].get_lines()
        if m.get_linestyle() == "None" and m.get_marker() != "o"
    }
    assert len(styles) == len(labels)  # 14 plans, no deal and the forecast, all unlike


def test_numeric_axis_names_special_values(crowded) -> None:
    fig = issues_figure(crowded)
    army = fig.axes[list(crowded.scenario.issues).index("army")]
    ticks = dict(
        zip(army.get_xticks(), (t.get_text() for t in army.get_xticklabels()), strict=True)
    )
    assert ticks[1000] == "1000\nNo cap"
    assert all(abs(v - 1000) > 50 for v in ticks if v != 1000)  # no plain tick crowds it
    issue = crowded.scenario.issues["army"]
    assert numeric_ticks(issue, 0, 1000, " = ")[1][-1] == "1000 = No cap"


def test_frontier_proposals_look_as_in_the_issues_chart(crowded) -> None:
    from model.outputs.charts.search import frontier_figure
    from model.search import proposal_points, search_scenario

    points = proposal_points(crowded.scenario)
    fig = frontier_figure(search_scenario(crowded.scenario, grid_steps=5), points)
    entries = {
        t.get_text(): h
        for t, h in zip(fig.legends[0].get_texts(), fig.legends[0].legend_handles, strict=True)
    }
    issues = issues_figure(crowded).axes[0]
    lanes = [t.get_text() for t in issues.get_yticklabels()]
    marks = [
        line
        for line in issues.get_lines()
        if line.get_linestyle() == "None" and line.get_marker() != "o"
    ]
    by_label = {lanes[k]: marks[k] for k in range(len(marks))}
    shown = [label for label in points if label in entries]
    assert len(shown) == 14
    looks = {(entries[s].get_marker(), entries[s].get_markerfacecolor()) for s in shown}
    assert len(looks) == len(shown)
    for label in shown:
        assert entries[label].get_marker() == by_label[label].get_marker()
        assert entries[label].get_markerfacecolor() == by_label[label].get_markerfacecolor()


def test_acceptance_names_the_red_line_in_full(tmp_path: Path) -> None:
    """A red line's issue is named in full where the cell has room for it, cut where not."""
    from model.evaluation.reasons import fitted_reason

    tiny = (Path(__file__).parent / "data" / "tiny.yaml").read_text()
    label = "Cap on Ukraine's peacetime armed forces, NATO membership of Ukraine"
    path = tmp_path / "long.yaml"
    path.write_text(tiny.replace("label: NATO membership", f'label: "{label}"'), encoding="utf-8")
    results = run(load_scenario(path))
    v = results.verdicts["status-quo"]["east"]
    assert (
        fitted_reason(results.scenario, v, 37, 4, short).replace("\n", " ") == f"red line: {label}"
    )
    assert fitted_reason(results.scenario, v, 37, 1, short).endswith("…")  # one line: no room, cut


# --- no global matplotlib state ------------------------------------------------------------------

CHART_MODULES = [
    "model.outputs.charts",
    "model.outputs.charts.style",
    "model.outputs.charts.acceptance",
    "model.outputs.charts.issues",
    "model.outputs.charts.positions",
    "model.outputs.charts.utilities",
    "model.outputs.charts.timeline",
    "model.outputs.charts.search",
    "model.outputs.charts.sweep",
    "model.outputs.charts.compare",
]


def test_importing_the_charts_keeps_the_backend_and_rcparams() -> None:
    """A notebook's backend and style survive importing the charts (a fresh interpreter, with a
    backend other than Agg, so that switching to Agg would show)."""
    code = "\n".join(
        [
            "import importlib, matplotlib",
            "backend = matplotlib.get_backend()",
            "before = dict(matplotlib.rcParams)",
            f"for name in {CHART_MODULES!r}:",
            "    importlib.import_module(name)",
            "changed = sorted(k for k, v in matplotlib.rcParams.items() if before.get(k) != v)",
            "print(backend, matplotlib.get_backend(), changed)",
        ]
    )
    env = {**os.environ, "MPLBACKEND": "svg"}
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["svg", "svg", "[]"]


def test_writing_every_chart_leaves_rcparams_unchanged(tiny, tiny_results, tmp_path) -> None:
    """The svg hash salt is set only while saving, not left in the global rcParams."""
    from model.compare import compare
    from model.outputs.charts.compare import write_compare_chart
    from model.outputs.charts.timeline import write_timeline

    istanbul = run(
        load_scenario(Path(__file__).parent.parent / "scenarios" / "istanbul-2022-03.yaml")
    )
    before = dict(matplotlib.rcParams)
    for fmt in ("svg", "png"):
        folder = tmp_path / fmt
        folder.mkdir()
        write_charts(tiny_results, folder, fmt)
        assert write_timeline(istanbul, folder, fmt) == f"timeline.{fmt}"
        pair = compare(tiny, tiny.proposals["deal"], tiny, tiny.proposals["status-quo"])
        assert write_compare_chart([pair], folder, fmt) == f"compare.{fmt}"
    assert dict(matplotlib.rcParams) == before


def test_the_timeline_palette_is_the_one_palette() -> None:
    """timeline.png's seven first actors as in every chart; its eighth in the statistics' black."""
    assert TIMELINE_PALETTE[:7] == PALETTE[:7]
    assert to_rgb(TIMELINE_PALETTE[7]) == to_rgb(STATISTICS) == (0.0, 0.0, 0.0)
    assert len(TIMELINE_PALETTE) == 8


def test_pages_cut_between_panels_and_cover_every_issue() -> None:
    from model.outputs.charts.style import PAGE_IN, pages

    cut = pages([10, 20, 20, 10, PAGE_IN + 5, 1])
    assert [(p.first, p.last) for p in cut] == [(0, 1), (2, 3), (4, 4), (5, 5)]
    assert [p.inches for p in cut] == [30, 30, PAGE_IN + 5, 1]
    assert {p.of for p in cut} == {4} and [p.number for p in cut] == [1, 2, 3, 4]
    assert cut[1].words == "page 2 of 4: issues 3–4 of 6"
    assert [p.file("issues") for p in cut] == ["issues", "issues-2", "issues-3", "issues-4"]
    # rows of two issues (positions.png): the pages count issues, not rows
    rows = pages([30, 30, 30], per=[2, 2, 1])
    assert [(p.first, p.last, p.total) for p in rows] == [(0, 1, 5), (2, 3, 5), (4, 4, 5)]


def test_long_charts_are_written_in_pages(tmp_path: Path, monkeypatch) -> None:
    """issues.png and positions.png of many issues come in pages of whole panels (here with
    a small page, on 28-point's 16 issues), named issues.png, issues-2.png…, every issue on
    exactly one page; a spawned process draws the same files."""
    import model.outputs.charts as charts
    import model.outputs.charts.style as style
    from model.outputs.charts.issues import issue_pages
    from model.outputs.charts.positions import position_pages

    results = run(load_scenario(Path(__file__).parent.parent / "scenarios" / "28-point.yaml"))
    whole = png_size_of(issues_figure(results), tmp_path)
    monkeypatch.setattr(style, "PAGE_IN", 12.0)
    for paged in (issue_pages(results), position_pages(results)):
        assert len(paged) > 2
        covered = [i for p in paged for i in range(p.first, p.last + 1)]
        assert covered == list(range(16))
    n_issues, n_positions = len(issue_pages(results)), len(position_pages(results))
    here, spawned = tmp_path / "here", tmp_path / "spawned"
    here.mkdir()
    spawned.mkdir()
    monkeypatch.setattr(charts, "worth_a_process", lambda _issues: False)
    from model.outputs.files import write_outputs

    names = [n for n in write_outputs(results, here) if n.endswith(".png")]
    html = (here / "report.html").read_text(encoding="utf-8")
    assert "(continued, page 2) Each issue&#x27;s options" in html
    assert names == [
        "acceptance.png",
        "issues.png",
        *(f"issues-{k}.png" for k in range(2, n_issues + 1)),
        "positions.png",
        *(f"positions-{k}.png" for k in range(2, n_positions + 1)),
        "utilities.png",
    ]
    for name in names:
        if name.startswith("issues"):
            assert png_size(here / name)[1] < whole[1] / 2, name
    monkeypatch.setattr(charts, "worth_a_process", lambda _issues: True)
    assert write_charts(results, spawned) == names
    for name in names:
        assert (spawned / name).read_bytes() == (here / name).read_bytes(), name


def png_size_of(fig, folder: Path) -> tuple[int, int]:
    return png_size(folder / save(fig, folder, "whole", "png"))
