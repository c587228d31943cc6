"""The search's limits: a tiny memory budget forces the bounded path, which says so, brackets
the exact count and the exact Nash product, and still finds a bargaining package; the default
limits leave the 28-point search exact."""

import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from model.cli import main
from model.evaluation.verdicts import verdict
from model.scenario.loader import load_scenario
from model.search import search_scenario
from model.search.budget import Budget

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
synthetic = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synthetic)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """4 actors x 6 issues (143,208 packages cross no red line, 3,306 acceptable to all)."""
    path = tmp_path_factory.mktemp("limits") / "small.yaml"
    path.write_text(synthetic.synthetic_yaml(4, 6, seed=2))
    return path


def test_tiny_memory_budget_is_bounded_and_says_so(small, tmp_path):
    out = tmp_path / "out"
    r = CliRunner().invoke(
        main, ["search", str(small), "--memory-limit", "0.02", "--no-charts", "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert "acceptable to all at least 600, at most 6,136" in r.output
    assert "BOUNDED: The exact search did not fit in 60 s and 0.02 MB" in r.output
    assert "not the whole frontier, which has at most 6,136 points" in r.output
    data = json.loads((out / "search.json").read_text())
    assert data["exact"] == {
        "counts": False,
        "frontier": False,
        "nash": data["exact"]["nash"],
        "conflicts": True,
        "binding": data["exact"]["binding"],
    }
    assert data["bounds"]["acceptable_to_all"] == {"low": 600, "high": 6136}
    assert data["bounds"]["pareto_frontier_at_most"] == 6136
    assert data["counts"]["no_red_line_crossed"] == 143_208  # a product: always exact
    report = (out / "report.md").read_text()
    assert "**Not exact.**" in report
    assert "| Acceptable to all | at least 600, at most 6,136 |" in report


def test_bounded_nash_and_bounds_bracket_the_exact_answers(small):
    sc = load_scenario(small)
    exact = search_scenario(sc, budget=Budget(float("inf"), float("inf")))
    assert exact.exact.all and exact.n_acceptable == 3_306
    bounded = search_scenario(sc, budget=Budget(memory_mb=0.02))
    e = bounded.exact
    assert not e.counts and not e.frontier
    assert bounded.n_acceptable == e.acceptable_low == 600
    assert e.acceptable_low <= exact.n_acceptable <= e.acceptable_high == 6_136
    assert bounded.frontier_size <= bounded.n_acceptable
    assert bounded.nash is not None
    assert bounded.nash.nash_log <= exact.nash.nash_log + 1e-9
    if e.nash:  # the solver's bound meets its package
        assert bounded.nash.nash_log == pytest.approx(exact.nash.nash_log, rel=1e-12)
    else:
        assert exact.nash.nash_log <= e.nash_bound + 1e-9
    package = {
        iid: bounded.values[i][c]
        for i, (iid, c) in enumerate(zip(bounded.issue_ids, bounded.nash.choice, strict=True))
    }
    for a, aid in enumerate(bounded.actor_ids):
        v = verdict(sc, sc.actors[aid], package, "bounded nash")
        assert v.accepts and not v.violations, aid
        assert v.utility == pytest.approx(bounded.nash.utility[a], abs=1e-12)


def test_every_bounded_frontier_point_is_acceptable(small):
    sc = load_scenario(small)
    bounded = search_scenario(sc, budget=Budget(memory_mb=0.05))
    assert not bounded.exact.frontier and 0 < bounded.frontier_size <= 3_306
    for choice in bounded.frontier_choice:
        package = {
            iid: bounded.values[i][c]
            for i, (iid, c) in enumerate(zip(bounded.issue_ids, choice, strict=True))
        }
        assert all(verdict(sc, a, package, "x").accepts for a in sc.actors.values())


def test_zero_time_limit_still_answers(small):
    """Past its deadline at once, the search still returns bounds and says so."""
    r = search_scenario(load_scenario(small), budget=Budget(time_limit=1e-9))
    assert not r.exact.counts
    assert r.exact.acceptable_low <= 3_306 <= r.exact.acceptable_high


def test_default_limits_keep_the_28_point_search_exact(tmp_path):
    r = search_scenario(load_scenario(ROOT / "scenarios" / "28-point.yaml"))
    assert r.exact.all
    assert (r.n_acceptable, r.frontier_size) == (2_639, 333)
    out = tmp_path / "out"
    cli = CliRunner().invoke(
        main,
        ["search", str(ROOT / "scenarios" / "28-point.yaml"), "--no-charts", "--out", str(out)],
    )
    assert cli.exit_code == 0, cli.output
    assert "BOUNDED" not in cli.output and "search:" not in cli.output
    data = json.loads((out / "search.json").read_text())
    assert all(data["exact"].values()) and data["bounded"] == []
    assert data["bounds"]["acceptable_to_all"] == {"low": 2_639, "high": 2_639}


def test_a_large_bounded_search_still_finds_a_package(tmp_path):
    """20 actors x 30 issues (2e27 packages cross no red line) in one second: the solver finds
    packages acceptable to every actor; nothing is claimed proven."""
    path = tmp_path / "large.yaml"
    path.write_text(synthetic.synthetic_yaml(20, 30, seed=1))
    sc = load_scenario(path)
    r = search_scenario(sc, budget=Budget(time_limit=1.0))
    assert r.nash is not None and r.n_acceptable >= 1
    assert not (r.exact.counts or r.exact.frontier or r.exact.nash)
    choice = zip(sc.issues, r.nash.choice, strict=True)
    package = {iid: r.values[i][c] for i, (iid, c) in enumerate(choice)}
    assert all(verdict(sc, a, package, "found").accepts for a in sc.actors.values())


def test_the_command_line_offers_the_searchs_own_default_limits():
    from model.cli import search as search_command
    from model.search.budget import MEMORY_MB, TIME_LIMIT

    defaults = {p.name: p.default for p in search_command.params}
    assert (defaults["time_limit"], defaults["memory_limit"]) == (TIME_LIMIT, MEMORY_MB)
