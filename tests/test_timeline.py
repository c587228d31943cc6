"""timeline.png: date order, same-date alternatives, breaks, and when the chart is drawn."""

from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from model.api import run
from model.outputs.charts.timeline import dated, layout, timeline_figure, write_timeline
from model.scenario.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.fixture(scope="module")
def library():
    return load_scenario(SCENARIOS / "all-proposals.yaml")


def test_the_library_in_date_order(library):
    """Twelve dated texts, oldest first; texts of one date keep the order the files give."""
    assert dated(library) == [
        "russia-draft-treaties-2021-12",  # 2021-12-17
        "istanbul-communique-2022-03",  # 2022-03-29
        "istanbul-draft-2022-04-russia",  # 2022-04-15
        "istanbul-draft-2022-04-ukraine",  # 2022-04-15
        "us-final-offer-2025-04",  # 2025-04-17
        "london-counter-2025-04",  # 2025-04-23
        "russia-memorandum-2025-06",  # 2025-06-02
        "us-28-point",  # 2025-11-20
        "geneva-19-point",  # 2025-11-23
        "e3-markup",  # 2025-11-23
        "european-24-point",  # 2025-11-23
        "framework-20-point",  # 2025-12-24
    ]
    # undated proposals (Russia's 2025 demand package, the status quo) are not on the timeline
    assert {"russia-demands", "status-quo"} <= set(library.proposals)
    assert "russia-demands" not in dated(library)


def test_same_date_versions_are_grouped_and_never_joined(library):
    lay = layout(library)
    assert lay.groups[2] == ("istanbul-draft-2022-04-russia", "istanbul-draft-2022-04-ukraine")
    assert lay.groups[7] == ("geneva-19-point", "e3-markup", "european-24-point")
    assert len(lay.groups) == 9
    # a line joins only successive single texts with no break between them
    assert lay.joined == (
        ("russia-draft-treaties-2021-12", "istanbul-communique-2022-03"),
        ("us-final-offer-2025-04", "london-counter-2025-04"),
        ("london-counter-2025-04", "russia-memorandum-2025-06"),
        ("russia-memorandum-2025-06", "us-28-point"),
    )
    same_date = {pid for g in lay.groups if len(g) > 1 for pid in g}
    assert not same_date & {pid for pair in lay.joined + lay.bridged for pid in pair}
    # the 20-point framework follows the 28-point plan over the three Nov 23 alternatives
    assert lay.bridged == (("us-28-point", "framework-20-point"),)
    # alternatives sit side by side, one step apart
    assert lay.x["istanbul-draft-2022-04-ukraine"] - lay.x["istanbul-draft-2022-04-russia"] == 1


def test_a_three_year_gap_is_a_break(library):
    lay = layout(library)
    # 15 Apr 2022 -> 17 Apr 2025: 1098 days, the only gap of over a year
    ((mid, days),) = lay.breaks
    assert days == 1098
    before, after = lay.x["istanbul-draft-2022-04-ukraine"], lay.x["us-final-offer-2025-04"]
    assert after - before == pytest.approx(1.9)  # one step plus the break's room
    assert before < mid < after
    # no line crosses the break
    assert all(not (lay.x[p] < mid < lay.x[q]) for p, q in lay.joined + lay.bridged)


def test_written_for_all_proposals_not_for_an_undated_scenario(tmp_path, tiny):
    results = run(load_scenario(SCENARIOS / "all-proposals.yaml"))
    assert write_timeline(results, tmp_path) == "timeline.png"
    assert (tmp_path / "timeline.png").stat().st_size > 10_000
    # 28-point.yaml: one dated proposal (the 28-point plan), Russia's demands undated
    one = run(load_scenario(SCENARIOS / "28-point.yaml"))
    assert dated(one) == ["us-28-point"]
    assert write_timeline(one, tmp_path / "none") is None
    # tiny.yaml: no dates at all
    assert dated(tiny) == [] and write_timeline(run(tiny), tmp_path / "none") is None
    assert not (tmp_path / "none").exists()


def test_title_fits_a_narrow_figure():
    """Istanbul: three dated texts, a long title; it wraps instead of running off the edge."""
    fig = timeline_figure(run(load_scenario(SCENARIOS / "istanbul-2022-03.yaml")))
    assert fig is not None and fig.get_figwidth() == 9.0
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    width = fig.bbox.width
    title = fig._suptitle
    box = title.get_window_extent(renderer)
    assert "\n" in title.get_text()
    assert 0 <= box.x0 and box.x1 <= width
    note = fig.axes[0].title
    assert "in force on its date" in note.get_text()  # no "late-2025" caveat
    note_box = note.get_window_extent(renderer)
    assert 0 <= note_box.x0 and note_box.x1 <= width
