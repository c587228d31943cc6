"""The bounded search against brute force on small spaces: the count's dynamic programme equals
enumeration (ties and duplicate candidates included), its bounds and the single-actor bound
contain the exact count, the solver's Nash package is acceptable and its proven bound contains
the exact optimum, and every conflict extracted by the MUS method is unsatisfiable and minimal.
A budget too small for the exact search gives a stated bounded answer, not a crash."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_search import brute, make_space, spaces

from model.search import Budget, search
from model.search.conflicts import Checker
from model.search.integers import integer_space
from model.search.mus import Oracle, extract, minimal_unsat
from model.search.nash import dual_bound
from model.search.zone import FAR, count_acceptable, one_actor_high, whole

FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def count_cases(draw):
    """Small integer gains (ties and identical candidates are common) and thresholds, some
    actors not required (threshold FAR)."""
    n = draw(st.integers(1, 3))
    gains = [
        np.array(
            draw(
                st.lists(
                    st.lists(st.integers(-3, 3), min_size=n, max_size=n), min_size=1, max_size=4
                )
            ),
            np.int64,
        )
        for _ in range(draw(st.integers(1, 4)))
    ]
    thr = np.array([draw(st.integers(-4, 6)) for _ in range(n)], np.int64)
    off = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return gains, np.where(off, FAR, thr)


def _brute_count(gains, thr):
    return sum(
        all(
            sum(int(g[k][a]) for g, k in zip(gains, p, strict=True)) >= thr[a]
            for a in range(len(thr))
        )
        for p in itertools.product(*(range(len(g)) for g in gains))
    )


@FEW
@given(count_cases())
def test_count_by_merged_partial_sums_equals_enumeration(case):
    gains, thr = case
    exact = _brute_count(gains, thr)
    assert count_acceptable(gains, thr) == (exact, exact)
    low, high = count_acceptable(gains, thr, Budget(memory_mb=1e-9))  # stops at once: bounds only
    assert low <= exact <= high
    need = thr > FAR // 2
    if need.any():
        g = [np.ascontiguousarray(x[:, need].T) for x in gains]
        mult = [np.ones(len(x), np.int64) for x in gains]
        one = one_actor_high(g, mult, thr[need])
        assert one is None or one >= exact


def test_count_merges_duplicate_candidates_with_their_multiplicity():
    gains = [np.array([[1], [1], [1], [0]]), np.array([[1], [0], [0]])]  # 4 x 3 packages
    assert count_acceptable(gains, np.array([1])) == (10, 10)  # 3 x 3 with the first 1, and (0, 1)
    assert _brute_count(gains, np.array([1])) == 10


@FEW
@given(spaces())
def test_bounded_search_contains_the_exact_answers(space):
    """A memory budget too small for the exact count or frontier forces the solver's path."""
    bf, ints = brute(space)
    r = search(space, budget=Budget(memory_mb=1e-9))
    e = r.exact
    assert e.acceptable_low <= len(bf["acceptable"]) <= e.acceptable_high
    assert r.n_acceptable == e.acceptable_low
    if e.counts:
        assert r.n_acceptable == len(bf["acceptable"])
    for choice in r.frontier_choice:  # the sample: acceptable packages
        assert tuple(int(c) for c in choice) in bf["acceptable"]
    if not bf["acceptable"]:
        assert r.nash is None and r.frontier_size == 0
    if bf["nash_packages"]:
        assert r.nash is not None  # the solver always finds one on a space this small
        assert r.nash.nash_log <= bf["nash"] + 1e-9
        if e.nash:
            assert r.nash.nash_log == pytest.approx(bf["nash"], rel=1e-9, abs=1e-9)
        elif e.nash_bound is not None:
            assert bf["nash"] <= e.nash_bound + 1e-9
    else:
        assert r.nash is None


@FEW
@given(spaces())
def test_dual_bound_contains_every_feasible_nash_product(space):
    ints = integer_space(space)
    cand = [np.flatnonzero(m.all(axis=0)) for m in space.allowed]
    if any(len(c) == 0 for c in cand):
        return
    gains = [ints.gain[i][c] for i, c in enumerate(cand)]
    w = np.asarray(space.capability, float)
    best = -math.inf
    for p in itertools.product(*(range(len(c)) for c in cand)):
        g = sum(gains[i][k] for i, k in enumerate(p)) - ints.reserve
        if (g > ints.tol).all():
            best = max(best, float((w * np.log(g / ints.scale)).sum()))
    assert best <= dual_bound(gains, ints.reserve, w, ints.scale, np.ones(len(w))) + 1e-9


def _satisfiable(bf, subset):
    return any(not (set(subset) & v) for v in bf["violated"].values())


@FEW
@given(spaces())
def test_extracted_conflicts_are_unsatisfiable_and_minimal(space):
    bf, ints = brute(space)
    lines = [
        (a, i)
        for i in range(len(space.issue_ids))
        for a in range(space.n_actors)
        if not space.allowed[i][a].all()
    ]
    budget = Budget()
    world = whole(space)
    oracle = Oracle(
        space, ints, lines, [world], [Checker(space, ints, lines, world, budget)], budget
    )
    everything = list(range(oracle.n))
    ok, mus, minimal = extract(oracle, everything)
    assert ok is (not _satisfiable(bf, everything))
    if not ok:
        return
    assert minimal
    found, proven, stopped = minimal_unsat(oracle, 5)
    assert not stopped and mus in found and all(proven)
    for s in found:
        assert not _satisfiable(bf, s)
        for k in s:
            assert _satisfiable(bf, [x for x in s if x != k])


def test_a_conflict_of_thirteen_constraints_is_found_whole():
    """One issue of 13 values, 13 actors each ruling out one: together they exclude every value,
    any 12 leave one. The only minimal conflict has all 13 red lines (26 constraints in all,
    beyond what enumeration by size reaches), and the search lists it, proven minimal."""
    k = 13
    allowed = [[[j != a for j in range(k)] for a in range(k)]]
    space = make_space([[[0.0] * k for _ in range(k)]], allowed, reservation=[-1.0] * k)
    r = search(space)
    assert r.conflicts is not None and r.conflicts.extracted == 1
    assert [len(s) for s in r.conflicts.minimal] == [13]
    assert {c.issue for c in r.conflicts.minimal[0]} == {"i0"}


def test_tiny_time_limit_gives_a_stated_bounded_answer(tmp_path):
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("synthetic", root / "benchmarks/synthetic.py")
    synthetic = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synthetic)
    from model.scenario.loader import load_scenario
    from model.search import search_scenario

    path = tmp_path / "s.yaml"
    path.write_text(synthetic.synthetic_yaml(10, 16, seed=1))
    r = search_scenario(load_scenario(path), budget=Budget(time_limit=0.5))
    assert not r.exact.all
    assert r.exact.acceptable_low <= r.exact.acceptable_high


def _synthetic():
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("synthetic", root / "benchmarks/synthetic.py")
    synthetic = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synthetic)
    return synthetic


def test_bounded_search_through_the_command_line_states_its_bound(tmp_path):
    """12 actors x 4 issues with a tiny memory budget: the terminal, search.json and the report
    say what is bounded, the Nash bound is in the JSON, and the frontier chart (a sample) shows
    the pairs of the ten most capable actors only."""
    import json

    from click.testing import CliRunner

    from model.cli import main

    path = tmp_path / "s.yaml"
    path.write_text(_synthetic().synthetic_yaml(12, 4, seed=5, edge=0.9))
    out = tmp_path / "out"
    r = CliRunner().invoke(
        main, ["search", str(path), "--memory-limit", "0.001", "--format", "svg", "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert "BOUNDED" in r.output and "(a sample)" in r.output
    data = json.loads((out / "search.json").read_text())
    assert not data["exact"]["frontier"]
    assert data["bounds"]["pareto_frontier_at_most"] == data["bounds"]["acceptable_to_all"]["high"]
    if not data["exact"]["nash"]:
        assert data["bounds"]["nash_log_at_most"] >= data["nash"]["nash_log"]
    assert "**Not exact.**" in (out / "report.md").read_text()
    svg = (out / "frontier.svg").read_text()
    assert "a sample of the Pareto frontier" in svg
    assert svg.count('id="axes_') == 45


@FEW
@given(count_cases())
def test_phase_one_finds_an_acceptable_package_or_proves_there_is_none(case):
    from model.search.nash import _phase_one

    gains, thr = case
    need = thr > FAR // 2
    feasible, choice = _phase_one(gains, thr, need, lambda: 10.0)
    if not need.any():
        assert feasible is None
        return
    assert feasible is (_brute_count(gains, thr) > 0)
    if feasible:
        u = sum(g[k] for g, k in zip(gains, choice, strict=True))
        assert (u[need] >= thr[need]).all()
