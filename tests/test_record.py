"""Issue 10: stances through time, conditional red lines, texts with open points, the record
and `sim backtest`."""

import itertools
import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from model.api import run
from model.cli import main
from model.evaluation.explain import explain, render
from model.evaluation.open_points import candidates, open_verdict
from model.evaluation.verdicts import evaluate, verdict
from model.scenario.dated import latest, view
from model.scenario.loader import load_scenario
from model.scenario.types import (
    Actor,
    Condition,
    Issue,
    ModelSettings,
    Option,
    Proposal,
    Provision,
    RedLine,
    Scenario,
    Stake,
    Uncertainty,
)
from model.sweep import sweep

DATED = Path(__file__).parent / "data" / "dated.yaml"


@pytest.fixture
def dated() -> Scenario:
    return load_scenario(DATED)


def sim(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


# --- stances through time -------------------------------------------------------------------


def test_a_change_dated_d_applies_from_d_not_before(dated):
    def east_line(date):
        return view(dated, date).actors["east"].stakes["membership"].red_line.text

    assert east_line("2023-12-31") == "at least 'Paused'"
    assert east_line("2024-01-01") == "at least 'Banned'"
    assert east_line("2030-01-01") == "at least 'Banned'"
    assert view(dated, "2022-12-31").issues["army"].status_quo == 1000
    assert view(dated, "2023-01-01").issues["army"].status_quo == 800
    # the latest stances by default, and the date they are from
    assert latest(dated) == "2024-06-01"
    assert view(dated).as_of == "2024-06-01"
    assert view(dated).actors["west"].stakes["army"].red_line.at_least == 700
    # a loaded scenario is the latest view (code that ignores dates sees today's stances), and
    # keeps the earlier stance and the changes
    east = dated.actors["east"].stakes["membership"]
    assert east.red_line.text == "at least 'Banned'" and dated.as_of == "2024-06-01"
    assert east.initial.red_line.text == "at least 'Paused'"
    assert [c.date for c in east.changes] == ["2024-01-01"]
    assert dated.issues["army"].status_quo == 800


def test_each_dated_text_meets_the_stances_of_its_day(dated):
    results = run(dated)
    assert results.judged_on == {
        "deal-2022": "2022-05-01",
        "deal-2025": "2025-01-01",
        "open-2025": "2025-02-01",
        "undated": "2024-06-01",
    }
    # the same provisions: accepted by both in 2022, crossing both red lines of 2024 in 2025
    assert results.verdicts["deal-2022"]["east"].accepts
    assert results.verdicts["deal-2022"]["west"].accepts
    assert [x.issue for x in results.verdicts["deal-2025"]["east"].violations] == ["membership"]
    assert [x.issue for x in results.verdicts["deal-2025"]["west"].violations] == ["army"]
    data = results.to_json()
    assert data["as_of"] == "2024-06-01"
    assert data["proposals"]["deal-2022"]["judged_on"] == "2022-05-01"


def test_as_of_judges_undated_texts_and_the_dynamics(dated):
    early = run(dated, as_of="2022-01-01")
    assert early.judged_on["undated"] == "2022-01-01"
    assert early.judged_on["deal-2025"] == "2025-01-01"  # a dated text keeps its own date
    assert early.scenario.as_of == "2022-01-01"
    assert early.scenario.actors["west"].stakes["army"].red_line.at_least == 500


# --- conditional red lines ------------------------------------------------------------------


def test_a_conditional_red_line_is_waived_only_when_its_condition_is_met(dated):
    sc = view(dated, "2022-05-01")
    deal = sc.proposals["deal-2022"]
    assert evaluate(sc, deal)["west"].violations == ()
    weaker = replace(
        deal,
        provisions={**deal.provisions, "guarantees": Provision("guarantees", 50.0)},
    )
    crossed = evaluate(sc, weaker)["west"].violations
    assert [x.issue for x in crossed] == ["membership"]
    text = render(sc, deal, explain(sc, "west", deal))
    assert "Red line on NATO membership waived: the package meets its condition(s): " in text
    assert "Guarantees at least 'Article-5-like'" in text
    text = render(sc, weaker, explain(sc, "west", weaker))
    assert "Red line on NATO membership holds: the package does not meet" in text
    assert "CROSSED: at most 'Path open' unless Guarantees at least 'Article-5-like'" in text


def test_condition_kinds():
    c = Condition("g", at_least=50.0)
    assert c.met_by(50.0) and c.met_by(100.0) and not c.met_by(0.0)
    c = Condition("g", among=frozenset({0.0, 100.0}))
    assert c.met_by(0.0) and not c.met_by(50.0)
    rl = RedLine(at_most=0.0, unless=(Condition("g", at_most=50.0),))
    assert rl.crossed_in({"m": 50.0, "g": 100.0}, "m")
    assert not rl.crossed_in({"m": 50.0, "g": 50.0}, "m")
    assert not rl.crossed_in({"m": 0.0, "g": 100.0}, "m")


# --- texts with open points -----------------------------------------------------------------


def test_the_open_point_verdict_names_the_settlements(dated):
    results = run(dated)
    west = results.open_verdicts["open-2025"]["west"]
    assert west.verdict == "depends"
    assert west.winning == {"guarantees": 100.0}  # Article-5-like waives the red line
    assert west.losing is not None and west.losing["guarantees"] < 100.0
    east = results.open_verdicts["open-2025"]["east"]
    assert east.verdict == "accepts"  # whatever the guarantees, the ban and the army suit it
    ov = results.to_json()["proposals"]["open-2025"]["open_points"]
    assert ov["issues"] == ["guarantees"]
    assert ov["verdicts"]["west"] == {
        "verdict": "depends",
        "winning": {"guarantees": "article5"},
        "losing": {"guarantees": "none"},
    }


def brute_open_verdict(sc: Scenario, actor: Actor, proposal: Proposal) -> tuple[bool, bool]:
    """(some settlement wins, some settlement loses), by enumerating every settlement."""
    opened = [i for i, p in proposal.provisions.items() if p.open]
    base = proposal.package(sc.issues)
    wins = loses = False
    for values in itertools.product(*(candidates(sc.issues[i]) for i in opened)):
        package = {**base, **dict(zip(opened, values, strict=True))}
        if verdict(sc, actor, package, proposal.id).accepts:
            wins = True
        else:
            loses = True
    return wins, loses


@st.composite
def open_texts(draw):
    """2-4 ordinal issues (3-4 options), 2 actors with red lines, some conditional on another
    issue, and a text leaving 1-3 points open."""
    n_issues = draw(st.integers(2, 4))
    issues = {}
    for k in range(n_issues):
        m = draw(st.integers(3, 4))
        opts = tuple(Option(f"o{v}", f"o{v}", 100.0 * v / (m - 1)) for v in range(m))
        sq = draw(st.sampled_from([o.value for o in opts]))
        issues[f"i{k}"] = Issue(f"i{k}", f"i{k}", "ordinal", 0.0, 100.0, sq, options=opts)
    ids = list(issues)
    actors = {}
    for a in range(2):
        stakes = {}
        for iid, issue in issues.items():
            values = [o.value for o in issue.options]
            ideal = draw(st.sampled_from(values))
            rl = None
            if draw(st.booleans()):
                bound = draw(st.sampled_from([v for v in values if v <= ideal]))
                unless = ()
                if draw(st.booleans()):
                    other = draw(st.sampled_from([i for i in ids if i != iid]))
                    unless = (Condition(other, at_least=draw(st.sampled_from(values))),)
                rl = RedLine(at_least=bound, unless=unless)
            stakes[iid] = Stake(iid, ideal, draw(st.floats(1, 100)), rl)
        actors[f"a{a}"] = Actor(f"a{a}", f"a{a}", 1.0, stakes)
    opened = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
    provisions = {}
    for iid, issue in issues.items():
        if iid in opened:
            provisions[iid] = Provision(iid, issue.status_quo, open=True)
        else:
            provisions[iid] = Provision(
                iid, draw(st.sampled_from([o.value for o in issue.options]))
            )
    sc = Scenario("t", "t", issues, actors, {}, ModelSettings())
    return sc, Proposal("p", "p", provisions)


@settings(max_examples=150, deadline=None)
@given(open_texts())
def test_open_point_verdicts_equal_brute_force(case):
    sc, proposal = case
    for actor in sc.actors.values():
        ov = open_verdict(sc, actor, proposal)
        wins, loses = brute_open_verdict(sc, actor, proposal)
        expected = "depends" if wins and loses else ("accepts" if wins else "rejects")
        assert ov.verdict == expected
        for settlement, accepted in ((ov.winning, True), (ov.losing, False)):
            if settlement is not None:
                package = {**proposal.package(sc.issues), **settlement}
                assert verdict(sc, actor, package, "p").accepts is accepted


# --- the record and sim backtest ------------------------------------------------------------


def test_backtest_through_the_cli(tmp_path):
    result = sim("backtest", str(DATED))
    assert result.exit_code == 0, result.output
    assert "model verdicts agree:                    5/5 (100.0%)" in result.output
    assert "baseline, each accepts what it wrote:    3/5 (60.0%)" in result.output
    assert "baseline, every party rejects every text: 2/5 (40.0%)" in result.output
    out = tmp_path / "out"
    assert sim("run", str(DATED), "--no-charts", "--out", str(out)).exit_code == 0
    data = json.loads((out / "results.json").read_text())
    assert data["backtest"]["agree"] == 5 and data["backtest"]["cells"] == 5
    assert data["backtest"]["baselines"] == {
        "accepts_what_it_wrote": 0.6,
        "rejects_everything": 0.4,
    }
    report = (out / "report.md").read_text()
    assert "## Backtest: the verdicts against the record" in report


def test_backtest_names_the_cause_of_a_disagreement(tmp_path):
    text = DATED.read_text().replace(
        "east: {reaction: rejected", "east: {reaction: basis"
    )  # East called the 2025 deal a basis: the model, with its 2024 red line, disagrees
    path = tmp_path / "d.yaml"
    path.write_text(text)
    result = sim("backtest", str(path))
    assert "model verdicts agree:                    4/5 (80.0%)" in result.output
    assert (
        "Same deal in 2025 / East: record basis, model rejects (stances of 2025-01-01): "
        "red line crossed on NATO membership = “Paused”"
    ) in result.output


def test_as_of_option_is_checked():
    result = sim("run", str(DATED), "--no-charts", "--as-of", "2025-13-01")
    assert result.exit_code == 2
    assert "expected a date as YYYY-MM-DD" in result.output


BAD = """
issues:
  m:
    label: M
    options: [{id: a, label: A}, {id: b, label: B}]
    status_quo: a
    changes:
      - {date: 2024-01-01, status_quo: b, sources: [{url: "https://x.org"}]}
      - {date: 2023-01-01, status_quo: a, sources: [{url: "https://x.org"}]}
  g:
    label: G
    options: [{id: a, label: A}, {id: b, label: B}]
    status_quo: a
actors:
  x:
    name: X
    capability: 1
    stakes:
      m:
        position: a
        salience: 50
        sources: [{url: "https://x.org"}]
        red_line:
          at_most: a
          unless: [{issue: nope, at_least: a}, {issue: g, in: [zz]}]
          sources: [{url: "https://x.org"}]
        changes:
          - {date: 2024-01-01, salience: 40, sources: [{url: "https://x.org"}]}
          - {date: 2024-01-01, salience: 30, sources: [{url: "https://x.org"}]}
          - date: 2025-01-01
            red_line:
              at_most: a
              unless: [{issue: m, at_least: zz}]
              sources: [{url: "https://x.org"}]
            sources: [{url: "https://x.org"}]
proposals:
  p:
    label: P
    provisions: {m: a}
    record:
      y: {reaction: wrote, sources: [{url: "https://x.org"}]}
      x: {reaction: basis}
"""


def test_bad_record_input_reports_every_problem_at_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("s.yaml").write_text(BAD)
    result = sim("validate", "s.yaml")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    expected = [
        "s.yaml:9: issues.m.changes.1.date: 2023-01-01 is dated before the previous change "
        "(2024-01-01): list changes oldest first",
        "s.yaml:25: actors.x.stakes.m.red_line.unless.0.issue: unknown issue 'nope'",
        "s.yaml:25: actors.x.stakes.m.red_line.unless.1.in.0: unknown option 'zz' of issue 'g'; "
        "options: a, b",
        "s.yaml:29: actors.x.stakes.m.changes.1.date: two changes on one date (2024-01-01)",
        "s.yaml:33: actors.x.stakes.m.changes.2.red_line.unless.0.issue: a red line's "
        "condition must be on another issue",
        "s.yaml:41: proposals.p.record.y: a reaction of unknown actor 'y'",
        "s.yaml:42: proposals.p.record.x.sources: missing required key",
    ]
    for line in expected:
        assert line in lines, (line, lines)


def test_the_sweep_judges_each_dated_text_on_its_date(dated):
    """With no uncertainty the sweep's verdicts are the run's, each text on its own date."""
    calm = replace(dated, uncertainty=Uncertainty(0.0, 0.0, 0.0, 1.0))
    swept = sweep(calm, 20, seed=3)
    results = run(calm)
    for pid in calm.proposals:
        for aid in calm.actors:
            expected = results.verdicts[pid][aid].accepts
            assert swept.get(pid, aid).p == (1.0 if expected else 0.0), (pid, aid)
    assert swept.get("deal-2022", "east").p == 1.0 and swept.get("deal-2025", "east").p == 0.0
    assert swept.scenario.as_of == "2024-06-01"
