"""The sweep's vectorised dynamics (model.sweep.dynamics) against the Mesa model, draw by draw.

Each draw rebuilt as a Scenario (`drawn_scenario`) and run through `model.pipeline.run` (the
Mesa model, one agent per actor) with the draw's seed must give the same final positions, rounds,
forecast and verdicts as `negotiate_draws` on all draws at once: both rules, noise, every
forecast statistic, red lines that reject options, conditional red lines and dated stances.
"""

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest

from model.negotiation.rules import RULES
from model.pipeline import run
from model.scenario.dated import view
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
from model.sweep import draw, drawn_scenario, sweep
from model.sweep.dynamics import VECTORISED, _feasible, _snap, chunk_size, negotiate_draws

ROOT = Path(__file__).resolve().parent.parent
# Python < 3.12 sums floats left to right, as the vectorised utilities do: equal to the last bit
EXACT_SUM = sys.version_info < (3, 12)


def _settings(scenario: Scenario, **changes) -> Scenario:
    return dataclasses.replace(scenario, model=dataclasses.replace(scenario.model, **changes))


def assert_matches_mesa(scenario: Scenario, n: int, seed: int) -> None:
    d = draw(scenario, n, np.random.default_rng(seed))
    seeds = [1000 + k for k in range(n)]
    fast = negotiate_draws(scenario, d, seeds)
    for k in range(n):
        one = drawn_scenario(scenario, d, k)
        res = run(one, seed=seeds[k])
        last = res.history[-1].positions
        positions = [[last[i].get(a, np.nan) for i in one.issues] for a in one.actors]
        np.testing.assert_array_equal(fast.positions[k], positions, err_msg=f"draw {k}")
        package = res.forecast.package(one.issues)
        assert fast.forecast[k].tolist() == [package[i] for i in one.issues], k
        assert (fast.rounds[k], fast.converged[k]) == (res.rounds, res.converged), k
        for a, aid in enumerate(one.actors):
            v = res.forecast_verdicts[aid]
            assert fast.accepts[k, a] == v.accepts, (k, aid)
            assert fast.crossed[k, a] == bool(v.violations), (k, aid)
            pairs = ((fast.utility[k, a], v.utility), (fast.reservation[k, a], v.reservation))
            for got, want in pairs:
                assert got == want if EXACT_SUM else abs(got - want) <= 1e-12, (k, aid)


@pytest.fixture(scope="module")
def plan() -> Scenario:
    return load_scenario(ROOT / "scenarios" / "28-point.yaml")


def test_concession_equals_the_mesa_run_on_the_28_point_plan(plan):
    soft = dataclasses.replace(plan, uncertainty=Uncertainty(15, 10, 0.3, 0.6))
    assert_matches_mesa(soft, 6, seed=3)  # all 30 rounds: the forecast Mesa reports
    assert_matches_mesa(_settings(soft, rounds=8, noise=0.3, forecast="median"), 8, seed=4)


def test_eum_equals_the_mesa_run_on_the_28_point_plan(plan):
    soft = dataclasses.replace(plan, uncertainty=Uncertainty(15, 10, 0.3, 0.6))
    assert_matches_mesa(_settings(soft, dynamics="eum", rounds=8), 6, seed=5)
    assert_matches_mesa(_settings(soft, dynamics="eum", rounds=6, noise=0.2, forecast="nbs"), 4, 6)


def test_dated_stances_equal_the_mesa_run(plan):
    """The sweep negotiates on the dated view; stances of 2022 differ from the latest."""
    early = view(plan, "2022-04-01")
    assert early.actors != plan.actors
    assert_matches_mesa(_settings(early, rounds=8, forecast="nbs"), 6, seed=7)


def _conditional() -> Scenario:
    """Red lines that reject options (the feasible interval depends on the drawn ideal) and one
    waived by a condition on another issue, which the forecast of some draws meets."""
    opts = tuple(Option(f"o{v}", f"o{v}", float(v)) for v in (0, 25, 50, 75, 100))
    issues = {
        iid: Issue(iid, iid, "ordinal", 0.0, 100.0, sq, opts)
        for iid, sq in (("land", 0.0), ("guard", 50.0), ("trade", 25.0))
    }
    issues["cap"] = Issue("cap", "cap", "numeric", 0.0, 1000.0, 500.0, unit="k")
    swap = (Condition("guard", at_least=75.0, text="guard >= 75"),)
    actors = {
        "east": Actor(
            "east",
            "East",
            3.0,
            {
                "land": Stake("land", 90.0, 80.0, RedLine(rejects=frozenset({0.0, 25.0}))),
                "guard": Stake("guard", 20.0, 40.0),
                "cap": Stake("cap", 200.0, 60.0, RedLine(at_most=600.0)),
            },
        ),
        "west": Actor(
            "west",
            "West",
            2.0,
            {
                "land": Stake("land", 10.0, 70.0, RedLine(at_most=50.0, unless=swap)),
                "guard": Stake("guard", 90.0, 60.0),
                "trade": Stake("trade", 70.0, 30.0, RedLine(rejects=frozenset({50.0}))),
                "cap": Stake("cap", 800.0, 50.0),
            },
        ),
        "broker": Actor(
            "broker",
            "Broker",
            1.5,
            {
                "land": Stake("land", 50.0, 30.0),
                "guard": Stake("guard", 60.0, 30.0),
                "trade": Stake("trade", 40.0, 90.0),
            },
        ),
    }
    deal = Proposal("deal", "Deal", {"land": Provision("land", 50.0)})
    return Scenario(
        "conditional",
        "Conditional",
        issues,
        actors,
        {"deal": deal},
        ModelSettings(rounds=12, noise=0.2),
        uncertainty=Uncertainty(25.0, 25.0, 0.4, 0.7),
    )


def test_rejected_options_and_conditional_red_lines_equal_the_mesa_run():
    scenario = _conditional()
    assert_matches_mesa(scenario, 30, seed=8)
    d = draw(scenario, 30, np.random.default_rng(8))
    fast = negotiate_draws(scenario, d, [1000 + k for k in range(30)])
    # the condition is met in some draws and not in others, so both branches were compared
    met = fast.forecast[:, 1] >= 75.0
    assert met.any() and not met.all()
    assert_matches_mesa(_settings(scenario, dynamics="eum", forecast="median"), 20, seed=9)


def test_every_rule_has_a_vectorised_form(plan):
    assert set(VECTORISED) == set(RULES)
    with pytest.raises(ValueError, match="no vectorised form"):
        negotiate_draws(_settings(plan, dynamics="other"), draw(plan, 2, np.random.default_rng(0)))


def test_a_chunk_negotiates_as_the_whole(plan):
    d = draw(plan, 12, np.random.default_rng(2))
    whole = negotiate_draws(_settings(plan, dynamics="eum", rounds=5), d)
    part = negotiate_draws(_settings(plan, dynamics="eum", rounds=5), d.take(slice(5, 9)))
    np.testing.assert_array_equal(whole.positions[5:9], part.positions)
    np.testing.assert_array_equal(whole.accepts[5:9], part.accepts)
    assert chunk_size(plan) >= 1 and chunk_size(_settings(plan, dynamics="eum")) >= 1


def test_sweep_reports_progress_by_chunk_and_workers_agree(plan):
    noisy = _settings(plan, noise=0.1, rounds=10)
    calls: list[int] = []
    n = chunk_size(noisy) + 7  # two chunks
    one = sweep(noisy, n, seed=8, dynamics=True, progress=calls.append)
    assert calls == [chunk_size(noisy), n]
    assert one == sweep(noisy, n, seed=8, dynamics=True, workers=2)
    with pytest.raises(ValueError, match="another scenario"):
        negotiate_draws(_conditional(), draw(plan, 2, np.random.default_rng(0)))


def test_feasible_and_snap_equal_their_scalar_definitions():
    """The vectorised feasible interval and snap against RedLine.feasible_interval and
    Issue.snap, on values that include every option, the midpoints between them (ties) and
    the ends."""
    scenario = _conditional()
    values = np.concatenate([np.linspace(0, 100, 401), [12.5, 37.5, 62.5, 87.5, 1e-12, 100.0]])
    for issue in scenario.issues.values():
        want = [issue.snap(float(v)) for v in values]
        assert _snap(issue, values).tolist() == want, issue.id
    lines = [
        RedLine(rejects=frozenset({0.0, 25.0})),
        RedLine(rejects=frozenset({50.0}), at_least=25.0),
        RedLine(rejects=frozenset({25.0, 75.0}), at_most=90.0),
        RedLine(at_most=50.0),
    ]
    land = scenario.issues["land"]
    for rl in lines:
        lo, hi = _feasible(rl, land, values)
        want = [rl.feasible_interval(land, float(v)) for v in values]
        assert list(zip(lo.tolist(), hi.tolist(), strict=True)) == want, rl
