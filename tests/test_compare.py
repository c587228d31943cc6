"""`sim compare`: provisions that differ, points left open, verdicts that flip and why."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from model.cli import main
from model.compare import RULE, compare, pairs
from model.evaluation.verdicts import utility
from model.outputs.charts.compare import _text_lines
from model.outputs.compare import render_markdown, render_text
from model.scenario.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def test_flip_names_the_red_line(tiny):
    """The status-quo proposal leaves both issues out: left open, not changed by a text."""
    c = compare(tiny, tiny.proposals["deal"], tiny, tiny.proposals["status-quo"])
    assert c.provisions == ()
    assert [(p.issue, p.before, p.after, p.note) for p in c.left_open] == [
        (
            "membership",
            "Paused",
            "left open (status quo assumed: Path open)",
            "not addressed by the text",
        ),
        (
            "army",
            "600 thousand troops",
            "left open (status quo assumed: 1000 thousand troops)",
            "not addressed by the text",
        ),
    ]
    east, west = c.verdicts
    assert east.flipped
    assert (
        east.why == "left open, so at the status quo, which crosses its red line on NATO membership"
    )
    assert west.flipped and west.why.startswith("utility 0.56 -> 1.00, now at least no deal")
    # every bit of the change comes from the two points left open
    assert east.from_open == pytest.approx(east.delta) and west.from_open == pytest.approx(
        west.delta
    )


def test_a_text_that_sets_a_value_is_a_change(tiny):
    c = compare(tiny, tiny.proposals["status-quo"], tiny, tiny.proposals["deal"])
    assert c.left_open == ()
    assert [(p.issue, p.before, p.after) for p in c.provisions] == [
        ("membership", "left open (status quo assumed: Path open)", "Paused"),
        ("army", "left open (status quo assumed: 1000 thousand troops)", "600 thousand troops"),
    ]
    east, _ = c.verdicts
    assert east.why == "no longer crosses its red line on NATO membership"
    assert east.from_open == 0


def test_what_if_file_compares_shared_proposals(tiny_path, tmp_path):
    variant = tmp_path / "variant.yaml"
    variant.write_text(
        f"extends: {tiny_path}\nproposals:\n  deal:\n    provisions:\n      army: 800\n"
    )
    assert load_scenario(variant).proposals["deal"].provisions["army"].value == 800
    out = tmp_path / "cmp"
    r = CliRunner().invoke(main, ["compare", str(tiny_path), str(variant), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "Army cap: 600 thousand troops  ->  800 thousand troops" in r.output
    assert "No deal" not in r.output  # unchanged proposals are left out
    assert "Left open" not in r.output  # nothing is left open
    assert sorted(p.name for p in Path(out).iterdir()) == [
        ".negotiation-sim-manifest.json",
        "compare.md",
        "compare.png",
    ]


@pytest.fixture(scope="module")
def geneva():
    a = load_scenario(SCENARIOS / "28-point.yaml")
    b = load_scenario(SCENARIOS / "geneva-19-point.yaml")
    ((pa, pb),) = pairs(a, b)
    assert (pa.id, pb.id) == ("us-28-point", "geneva-19-point")
    return compare(a, pa, b, pb)


def test_28_point_against_geneva_changes(geneva):
    """What a reader of the record expects: the 600,000 cap and the amnesty are gone, and
    those are the only changes the Geneva text is reported to make."""
    changes = {p.issue: (p.before, p.after) for p in geneva.provisions}
    assert changes == {
        "army_cap": ("600 thousand troops", "No cap"),
        "amnesty": (
            "Full amnesty for all parties and waiver of all claims",
            "No amnesty: tribunal and compensation claims stand",
        ),
    }


def test_28_point_against_geneva_left_open(geneva):
    """Everything else is bracketed or not reported: listed as left open, not as a change."""
    left = {p.issue: p for p in geneva.left_open}
    assert set(left) == {
        "nato_membership",
        "nato_enlargement",
        "nato_posture_post1997",
        "foreign_troops_ukraine",
        "security_guarantees",
        "crimea",
        "donbas",
        "south_line",
        "sanctions",
        "frozen_assets",
        "eu_membership",
        "elections",
        "znpp",
        "ceasefire",
    }
    sg = left["security_guarantees"]
    assert sg.before.startswith("US guarantee with conditions")
    assert sg.assumed == "No external guarantee"
    assert sg.after == "left open (status quo assumed: No external guarantee)"
    assert sg.note.startswith("not reported")
    assert left["crimea"].note == "territory bracketed for Trump and Zelensky"
    # same value as the 28-point plan (posture as now), but no longer settled by the text
    assert left["nato_posture_post1997"].same_value
    assert not left["security_guarantees"].same_value
    text = render_text(geneva)
    changes, rest = text.split("Left open by the second text", 1)
    assert "Security guarantees" not in changes and "No external guarantee" not in changes
    assert "Security guarantees for Ukraine: US guarantee with conditions" in rest
    assert RULE in rest


def test_28_point_against_geneva_reasons_say_left_open(geneva):
    v = {x.actor: x for x in geneva.verdicts}
    # Russia (on the stances of 23 Nov 2025): Crimea and Western troops are bracketed, so at the
    # status quo, which crosses its red lines; the text itself does not concede them
    assert (
        "left open, so at the status quo, which crosses its red line on Crimea, Western troops"
        in v["russia"].why
    )
    assert "now crosses its red line" not in v["russia"].why
    # Ukraine: its refusal of the 600k cap dates from 24 Nov 2025, after the 28 points (20 Nov),
    # so only the bracketed NATO and Donbas points, back at the status quo, clear its red lines
    ukraine = v["ukraine"]
    assert ukraine.flipped and not ukraine.before.accepts
    assert "Cap on Ukraine's peacetime armed forces" not in ukraine.why
    assert ukraine.why == (
        "left open, so at the status quo, which no longer crosses its red line on Donetsk and "
        "Luhansk, Ukraine's NATO membership"
    )


def test_utility_change_split_by_points_left_open(geneva):
    """Utility is additive, so the change splits exactly into what the text changes (army
    cap, amnesty) and what it leaves open; for the US nearly all of it is left open."""
    (a, pa), (b, _) = geneva.a, geneva.b
    us = next(x for x in geneva.verdicts if x.actor == "us")
    pkg_a = pa.package(a.issues)
    only_changes = {**pkg_a, "army_cap": 1000.0, "amnesty": b.issues["amnesty"].status_quo}
    from_changes = utility(b.actors["us"], b.issues, only_changes) - utility(
        b.actors["us"], b.issues, pkg_a
    )
    assert us.delta - us.from_open == pytest.approx(from_changes)
    assert from_changes < 0 and us.from_open < from_changes  # the US loses more to what is open
    assert "of it from points left open" in us.delta_text()


def test_20_point_zaporizhzhia_and_donbas_left_open():
    a = load_scenario(SCENARIOS / "28-point.yaml")
    b = load_scenario(SCENARIOS / "20-point-framework.yaml")
    c = compare(a, a.proposals["us-28-point"], b, b.proposals["framework-20-point"])
    left = {p.issue: p for p in c.left_open}
    assert left["znpp"].assumed == "Russian ownership and operation"
    assert left["znpp"].note.startswith("no consensus")
    assert left["donbas"].note.startswith("no consensus")
    changes = {p.issue: (p.before, p.after) for p in c.provisions}
    assert changes["army_cap"] == ("600 thousand troops", "800 thousand troops")
    assert changes["security_guarantees"][1] == (
        "Legally binding Article-5-like guarantee including the US"
    )
    assert "znpp" not in changes and "donbas" not in changes


def test_markdown_and_chart_words(geneva):
    md = render_markdown([geneva], "compare.png")
    assert "### Left open by the second text (status quo assumed)" in md
    assert "| Security guarantees for Ukraine | US guarantee with conditions" in md
    assert "| No external guarantee | not reported" in md
    assert "| Cap on Ukraine's peacetime armed forces | 600 thousand troops | No cap |" in md
    lines = [text for text, _, _ in _text_lines(geneva)]
    words = " ".join(lines)
    assert "Cap on Ukraine's peacetime armed forces: 600 thousand troops  \u2192  No cap" in words
    assert "Left open by the second text, 14 points" in words
    assert "Verdicts that flip, and why" in lines
    assert any(line.startswith("\u2022 Ukraine: rejects \u2192 accepts") for line in lines)


def test_cli_geneva_writes_chart_and_markdown(tmp_path):
    out = tmp_path / "g"
    r = CliRunner().invoke(
        main,
        [
            "compare",
            str(SCENARIOS / "28-point.yaml"),
            str(SCENARIOS / "geneva-19-point.yaml"),
            "--out",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "What the second text changes:" in r.output
    assert "left open (status quo assumed: No external guarantee)" in r.output
    assert (out / "compare.png").stat().st_size > 50_000  # the bars and the words
