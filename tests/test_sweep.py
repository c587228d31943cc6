"""`sim sweep`: the vectorised evaluation against model.evaluation.verdicts, exact answers,
reproducibility."""

import dataclasses
import json
import math
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.evaluation.verdicts import evaluate
from model.outputs.sweep import sweep_csv, sweep_json, sweep_markdown, sweep_text
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
    Spread,
    Stake,
    Uncertainty,
)
from model.sweep import draw, drawn_scenario, evaluate_draws, sweep, wilson

ROOT = Path(__file__).resolve().parent.parent
EXACT = ROOT / "tests" / "data" / "sweep_exact.yaml"
CERTAIN = Uncertainty(salience_sd=0, position_sd=0, capability_sd=0, red_line_probability=1)

# Python < 3.12 sums floats left to right, as the vectorised code does: equal to the last bit.
# 3.12's sum() compensates rounding, so there the two agree to rounding error only.
EXACT_SUM = sys.version_info < (3, 12)


@pytest.fixture(scope="module")
def plan() -> Scenario:
    return load_scenario(ROOT / "scenarios" / "28-point.yaml")


@pytest.fixture(scope="module")
def exact() -> Scenario:
    return load_scenario(EXACT)


def _same(a: float, b: float) -> bool:
    return a == b if EXACT_SUM else abs(a - b) <= 1e-12


def assert_matches_evaluate(scenario: Scenario, draws_n: int, seed: int) -> None:
    """Every draw, rebuilt as a Scenario and run through model.evaluation.verdicts, gives the same
    utilities, reservations and verdicts as the vectorised evaluation."""
    d = draw(scenario, draws_n, np.random.default_rng(seed))
    fast = evaluate_draws(scenario, d)
    for k in range(draws_n):
        one = drawn_scenario(scenario, d, k)
        for pid, proposal in scenario.proposals.items():
            slow = evaluate(one, proposal)
            for a, aid in enumerate(scenario.actors):
                v = slow[aid]
                assert _same(v.utility, fast[pid].utility[k, a]), (k, pid, aid)
                assert _same(v.reservation, fast[pid].reservation[k, a]), (k, pid, aid)
                assert v.accepts == fast[pid].accepts[k, a], (k, pid, aid)
                assert bool(v.violations) == fast[pid].crossed[k, a], (k, pid, aid)


def test_vectorised_equals_evaluate_on_the_28_point_plan(plan):
    soft = dataclasses.replace(plan, uncertainty=Uncertainty(15, 10, 0.2, 0.6))
    assert_matches_evaluate(soft, 25, seed=3)


def test_vectorised_equals_evaluate_with_own_spreads(exact, tiny):
    assert_matches_evaluate(exact, 40, seed=4)
    assert_matches_evaluate(dataclasses.replace(tiny, uncertainty=Uncertainty(30, 40)), 40, 5)


def test_zero_uncertainty_gives_the_point_verdicts(plan, tiny):
    for scenario in (plan, tiny):
        certain = dataclasses.replace(scenario, uncertainty=CERTAIN)
        result = sweep(certain, 50, seed=1)
        for pid, proposal in scenario.proposals.items():
            for aid, v in evaluate(scenario, proposal).items():
                x = result.get(pid, aid)
                assert x.p == (1.0 if v.accepts else 0.0)
                assert x.point_accepts == v.accepts
        assert result.uncertain() == []
        assert all(s.swing == 0 for s in result.sensitivity)


def test_draws_respect_bounds_and_state_what_has_no_stake(tiny):
    wide = dataclasses.replace(tiny, uncertainty=Uncertainty(80, 90, 3.0, 0.5))
    d = draw(wide, 500, np.random.default_rng(0))
    east, membership = 0, 0
    for i, issue in enumerate(wide.issues.values()):
        pos = d.position[:, :, i]
        assert np.all((pos >= issue.lo) & (pos <= issue.hi))
    assert np.all((d.salience >= 0) & (d.salience <= 100))
    assert np.all(d.capability > 0)
    # east holds a red line on membership only; each holds about half the time
    assert d.red_line[east].tolist() == [True, False]
    assert not d.holds[:, east, 1].any()
    assert 0.4 < d.holds[:, east, membership].mean() < 0.6
    # a numeric issue's default sd is position_sd points of 0-100, i.e. that share of the span
    narrow = dataclasses.replace(tiny, uncertainty=Uncertainty(0, 5, 0, 1))
    army = draw(narrow, 4000, np.random.default_rng(1)).position[:, east, 1]
    assert np.std(army) == pytest.approx(50.0, rel=0.05)  # 5% of a 1000 span
    assert np.mean(army) == pytest.approx(100.0, abs=3)


def _within(p_hat: float, ci: tuple[float, float], p: float, n: int) -> None:
    se = math.sqrt(p * (1 - p) / n)
    assert abs(p_hat - p) < 4 * se
    assert ci[0] <= p <= ci[1]


def test_probabilities_converge_to_the_closed_form(exact):
    n = 6000
    result = sweep(exact, n, seed=11)
    firm, drifter, soft = (result.get("deal", a) for a in ("firm", "drifter", "soft"))
    _within(firm.p, firm.ci, 0.7, n)  # its red line holds with probability 0.3
    _within(drifter.p, drifter.ci, 55 / 60, n)  # uniform ideal on [20, 80], accepts iff >= 25
    assert soft.p == 0.0  # red line without a probability: the scenario default, 1
    # the same red line under a softer scenario default
    softer = dataclasses.replace(
        exact, uncertainty=dataclasses.replace(CERTAIN, red_line_probability=0.4)
    )
    again = sweep(softer, n, seed=12)
    _within(again.get("deal", "soft").p, again.get("deal", "soft").ci, 0.6, n)
    _within(again.get("deal", "firm").p, again.get("deal", "firm").ci, 0.7, n)  # its own 0.3


def test_sensitivity_finds_the_inputs_that_decide(exact):
    result = sweep(exact, 5000, seed=2)
    top = result.sensitivity[0]
    # Firm accepts exactly when its red line does not hold: swing -1, the largest possible
    assert (top.kind, top.actor, top.issue, top.proposal, top.pair_actor) == (
        "red_line",
        "firm",
        "border",
        "deal",
        "firm",
    )
    assert top.swing == -1.0 and top.p_high == 0.0 and top.p_low == 1.0
    drift = next(s for s in result.sensitivity if s.kind == "position")
    assert (drift.actor, drift.issue) == ("drifter", "troops")
    # top fifth of U(20, 80) is >= 68: all accept; bottom fifth <= 32: accept iff >= 25
    assert drift.swing == pytest.approx(1 - 7 / 12, abs=4 * drift.se)
    # nothing else is uncertain: Soft's red line always holds, every sd is 0
    assert len(result.sensitivity) == 2


def test_same_seed_same_result_and_another_seed_differs(exact):
    a, b = sweep(exact, 400, seed=5), sweep(exact, 400, seed=5)
    assert a == b and sweep_json(a) == sweep_json(b) and sweep_csv(a) == sweep_csv(b)
    assert sweep_json(sweep(exact, 400, seed=6)) != sweep_json(a)


def test_dynamics_sweep_outputs(tiny):
    """(Workers and chunks: tests/test_dynamics.py.)"""
    noisy = dataclasses.replace(tiny, model=dataclasses.replace(tiny.model, noise=0.3, rounds=15))
    calls: list[int] = []
    one = sweep(noisy, 6, seed=8, dynamics=True, workers=1, progress=calls.append)
    assert calls == [6]  # one chunk of draws, negotiated at once
    assert one == sweep(noisy, 6, seed=8, dynamics=True)
    assert json.loads(json.dumps(sweep_json(one)))["forecast"]["actors"].keys() == {"east", "west"}
    assert any(s.kind == "capability" for s in one.sensitivity)
    assert "forecast" in sweep_csv(one)


def test_outputs(exact, tmp_path):
    calls: list[int] = []
    result = sweep(exact, 300, seed=1, progress=calls.append)
    assert calls == [300]
    data = json.loads(json.dumps(sweep_json(result)))
    cell = data["proposals"]["deal"]["actors"]["firm"]
    assert set(cell) >= {"p_accept", "ci", "point_verdict"}
    assert cell["point_verdict"] is False and cell["ci"][0] <= cell["p_accept"] <= cell["ci"][1]
    assert data["draws"] == 300 and data["seed"] == 1 and "forecast" not in data
    assert data["sensitivity"][0]["input"] == {
        "kind": "red_line",
        "actor": "firm",
        "issue": "border",
    }
    lines = sweep_csv(result).splitlines()
    assert lines[0] == "proposal,actor,p_accept,ci_lo,ci_hi,point_accepts"
    assert len(lines) == 1 + 3
    assert sweep_markdown(result).startswith("## How sure: uncertainty sweep\n")
    assert "Firm · red line on Border holds" in sweep_text(result)
    from model.outputs.charts.sweep import write_sweep_charts

    assert write_sweep_charts(result, tmp_path) == ["sweep.png", "tornado.png"]
    assert all((tmp_path / n).stat().st_size > 10_000 for n in ("sweep.png", "tornado.png"))


# --- properties ---------------------------------------------------------------------------------


@given(k=st.integers(0, 10_000), extra=st.integers(0, 10_000))
def test_wilson_interval_holds_the_estimate(k, extra):
    n = k + extra
    if n == 0:
        assert wilson(0, 0) == (0.0, 1.0)
        return
    lo, hi = wilson(k, n)
    assert 0.0 <= lo <= k / n <= hi <= 1.0


def _spread(draw_, lo: float, hi: float) -> Spread | None:
    kind = draw_(st.sampled_from(["none", "sd", "range"]))
    if kind == "sd":
        return Spread(sd=draw_(st.floats(0, (hi - lo) / 2)))
    if kind == "range":
        a, b = sorted(draw_(st.floats(lo - 10, hi + 10)) for _ in range(2))
        return Spread(lo=a, hi=b)
    return None


@st.composite
def scenarios(draw_) -> Scenario:
    """Small random scenarios: ordinal and numeric issues, spreads of every kind, red lines of
    every kind with and without their own probability, saliences that may all be zero."""
    issues = {}
    for n in range(draw_(st.integers(1, 3))):
        if draw_(st.booleans()):
            k = draw_(st.integers(2, 4))
            opts = tuple(Option(f"o{j}", f"option {j}", 100 * j / (k - 1)) for j in range(k))
            sq = draw_(st.sampled_from(opts)).value
            issues[f"i{n}"] = Issue(f"i{n}", f"issue {n}", "ordinal", 0, 100, sq, opts)
        else:
            hi = draw_(st.sampled_from([10.0, 100.0, 1000.0]))
            sq = draw_(st.floats(0, hi))
            issues[f"i{n}"] = Issue(f"i{n}", f"issue {n}", "numeric", 0, hi, sq, unit="u")

    def value(issue: Issue) -> float:
        if issue.options:
            return draw_(st.sampled_from(issue.options)).value
        return draw_(st.floats(issue.lo, issue.hi))

    actors = {}
    for n in range(draw_(st.integers(1, 3))):
        ids = draw_(st.lists(st.sampled_from(list(issues)), min_size=1, unique=True))
        stakes = {}
        for iid in ids:
            issue = issues[iid]
            red = None
            kind = draw_(st.sampled_from(["none", "at_most", "at_least", "rejects"]))
            prob = draw_(st.none() | st.floats(0, 1))
            if kind == "rejects" and issue.options:
                red = RedLine(rejects=frozenset({value(issue)}), probability=prob)
            elif kind in ("at_most", "at_least"):
                red = RedLine(**{kind: value(issue)}, probability=prob)
            others = [i for i in issues if i != iid]
            if red is not None and others and draw_(st.booleans()):
                # a conditional red line: waived when another issue is at least some value
                other = draw_(st.sampled_from(others))
                red = replace(red, unless=(Condition(other, at_least=value(issues[other])),))
            stakes[iid] = Stake(
                iid,
                value(issue),
                draw_(st.sampled_from([0.0, 0.0, 5.0, 50.0, 100.0]) | st.floats(0, 100)),
                red,
                position_spread=_spread(draw_, issue.lo, issue.hi),
                salience_spread=_spread(draw_, 0, 100),
            )
        cap = draw_(st.floats(0.1, 100))
        actors[f"a{n}"] = Actor(f"a{n}", f"actor {n}", cap, stakes, capability_spread=None)
    proposals = {}
    for n in range(draw_(st.integers(1, 3))):
        ids = draw_(st.lists(st.sampled_from(list(issues)), unique=True))
        provisions = {iid: Provision(iid, value(issues[iid])) for iid in ids}
        proposals[f"p{n}"] = Proposal(f"p{n}", f"proposal {n}", provisions)
    uncertainty = Uncertainty(
        draw_(st.floats(0, 40)), draw_(st.floats(0, 40)), 0.2, draw_(st.floats(0, 1))
    )
    return Scenario(
        "random", "random", issues, actors, proposals, ModelSettings(), None, "", uncertainty
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(), seed=st.integers(0, 2**32 - 1))
def test_vectorised_equals_evaluate_on_random_scenarios(scenario, seed):
    assert_matches_evaluate(scenario, 8, seed)


@settings(max_examples=30, deadline=None)
@given(scenario=scenarios(), seed=st.integers(0, 2**32 - 1), n=st.integers(1, 60))
def test_probabilities_and_intervals_are_sound(scenario, seed, n):
    result = sweep(scenario, n, seed)
    for x in result.acceptance:
        assert 0.0 <= x.ci[0] <= x.p <= x.ci[1] <= 1.0
        assert x.draws == n
    for s in result.sensitivity:
        assert -1.0 <= s.swing <= 1.0 and s.se >= 0
        assert s.n_high > 0 and s.n_low > 0


def test_sweep_draws_its_own_charts_and_keeps_the_runs(tmp_path):
    """`sim sweep` costs its own charts, not the run's four again; a `sim run` before it into the
    same folder keeps its charts there."""
    from click.testing import CliRunner

    from model.cli import main

    out = tmp_path / "out"
    runner = CliRunner()
    ran = runner.invoke(main, ["run", str(EXACT), "--out", str(out)])
    assert ran.exit_code == 0, ran.output
    before = (out / "acceptance.png").read_bytes()
    swept = runner.invoke(main, ["sweep", str(EXACT), "--draws", "50", "--out", str(out)])
    assert swept.exit_code == 0, swept.output
    wrote = swept.output.split("Wrote ", 1)[1]
    assert "sweep.png" in wrote and "tornado.png" in wrote
    assert "acceptance.png" not in wrote and "issues.png" not in wrote
    assert (out / "acceptance.png").read_bytes() == before
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "sweep.png" in report and "acceptance.png" not in report
