"""`model.discover`: PRIM finds planted boxes, Sobol indices match analytic ones, red lines are
categories, and every engine gives the same answers."""

import dataclasses
import json

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from model.cli import main
from model.discover import (
    HOLDS_NOT,
    Input,
    design_draws,
    discover,
    find_boxes,
    sobol_design,
    sobol_indices,
    uncertain_inputs,
)
from model.outputs.discover import discover_json


def test_prim_recovers_a_planted_box():
    rng = np.random.default_rng(3)
    x = {f"x{k}": rng.random(2000) for k in range(4)}
    y = (x["x0"] > 0.6) & (x["x2"] < 0.3)
    box = find_boxes(x, set(), y, density=0.95)[0]
    limits = {lim.input: lim for lim in box.limits}
    assert set(limits) == {"x0", "x2"}
    assert limits["x0"].high_end and limits["x0"].lo == pytest.approx(0.6, abs=0.03)
    assert limits["x2"].low_end and limits["x2"].hi == pytest.approx(0.3, abs=0.03)
    assert box.density >= 0.95 and box.coverage >= 0.9
    assert box.trajectory[0].coverage == 1.0  # peeling starts from every row
    assert box.trajectory[0].density == pytest.approx(y.mean())


def test_prim_treats_a_category_as_a_category():
    rng = np.random.default_rng(4)
    held = np.where(rng.random(1500) < 0.5, "holds", HOLDS_NOT)
    x = {"line": held, "a": rng.random(1500)}
    y = (held == HOLDS_NOT) & (x["a"] > 0.5)
    box = find_boxes(x, {"line"}, y, density=0.95)[0]
    limits = {lim.input: lim for lim in box.limits}
    assert limits["line"].categories == (HOLDS_NOT,)
    assert limits["line"].lo is None
    assert limits["a"].lo == pytest.approx(0.5, abs=0.03)


def test_prim_finds_nothing_when_the_target_never_or_always_holds():
    x = {"a": np.linspace(0, 1, 50)}
    assert find_boxes(x, set(), np.zeros(50, bool)) == ()
    assert find_boxes(x, set(), np.ones(50, bool)) == ()


def _inputs(k: int) -> tuple[Input, ...]:
    return tuple(Input(f"x{j}", "salience", "a", f"i{j}", "A", f"I{j}") for j in range(k))


def test_sobol_on_ishigami_matches_the_analytic_indices():
    """Ishigami and Homma (1990), a = 7, b = 0.1: S1 = (0.314, 0.442, 0), ST = (0.558, 0.442,
    0.244) (Saltelli et al. 2008, Global Sensitivity Analysis: The Primer)."""
    design = sobol_design(_inputs(3), 1024, seed=7)
    x = -np.pi + 2 * np.pi * design.u
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    got = sobol_indices(design.problem(), y, seed=7)
    for s, first, total in zip(got, (0.314, 0.442, 0.0), (0.558, 0.442, 0.244), strict=True):
        # within the 95% bootstrap half-width (and a hair for the estimator's own bias)
        assert abs(s.first - first) <= s.first_conf + 0.01, s
        assert abs(s.total - total) <= s.total_conf + 0.01, s
        assert s.first_conf < 0.1 and s.total_conf < 0.1


def test_sobol_design_is_seeded_and_its_base_rows_are_a_and_b():
    a, b = sobol_design(_inputs(2), 8, 1), sobol_design(_inputs(2), 8, 1)
    assert np.array_equal(a.u, b.u) and a.rows == 8 * 4
    assert not np.array_equal(a.u, sobol_design(_inputs(2), 8, 2).u)
    assert sobol_design(_inputs(2), 5, 1).n == 8  # rounded up to a power of two
    step = 4
    ab1 = a.u[1::step]  # A with column 0 from B
    assert np.array_equal(ab1[:, 0], a.u[step - 1 :: step, 0])
    assert np.array_equal(ab1[:, 1], a.u[::step, 1])
    assert list(a.base[:4]) == [0, 3, 4, 7]


@pytest.fixture
def soft(tiny):
    """The tiny scenario with every red line holding with probability 0.5."""
    u = dataclasses.replace(tiny.uncertainty, red_line_probability=0.5)
    return dataclasses.replace(tiny, uncertainty=u)


def test_red_line_round_trips_as_a_threshold_and_a_category(soft):
    inputs = uncertain_inputs(soft)
    keys = [x.key for x in inputs]
    assert "red_line:east:membership" in keys and "red_line:west:army" in keys
    assert not any(x.kind == "capability" for x in inputs)  # only with the dynamics
    design = sobol_design(inputs, 16, 2)
    d = design_draws(soft, inputs, design.u)
    col = keys.index("red_line:east:membership")
    assert np.array_equal(d.holds[:, 0, 0], design.u[:, col] < 0.5)
    # East accepts the status quo exactly where its red line on membership does not hold
    result = discover(soft, ["accept:status-quo:east"], draws=64, seed=2)
    (f,) = result.findings
    (box,) = f.boxes
    assert [(lim.input, lim.categories) for lim in box.limits] == [
        ("red_line:east:membership", (HOLDS_NOT,))
    ]
    assert box.density == 1.0 and box.coverage == 1.0
    by = {s.input: s for s in f.indices}
    assert by["red_line:east:membership"].first == pytest.approx(1.0, abs=0.1)
    assert by["red_line:east:membership"].total == pytest.approx(1.0, abs=0.1)
    assert all(abs(s.total) < 0.05 for k, s in by.items() if k != "red_line:east:membership")


def test_design_draws_follow_the_sweeps_laws(tiny):
    """A coordinate of 0.5 is the stated value; the normal quantile of u moves it by sd."""
    inputs = uncertain_inputs(tiny)
    u = np.full((2, len(inputs)), 0.5)
    u[1] = 0.8413447460685429  # one standard deviation up
    d = design_draws(tiny, inputs, u)
    assert d.salience[0, 0, 0] == pytest.approx(90)
    assert d.salience[1, 0, 0] == pytest.approx(90 + tiny.uncertainty.salience_sd)


def test_dask_and_local_processes_give_the_same_result(soft):
    from distributed import LocalCluster

    from model.discover.engine import EXPENSIVE_CHUNK_ROWS

    assert 32 // EXPENSIVE_CHUNK_ROWS > 2

    args = (soft, ["accept:deal:east", "zone"])
    kw = {"draws": 16, "seed": 5, "search_seconds": 30.0}  # 32 zone rows: four chunks
    here = discover_json(discover(*args, **kw))
    two = discover_json(discover(*args, workers=2, **kw))
    with LocalCluster(n_workers=2, processes=False, dashboard_address=None) as cluster:
        dask = discover_json(discover(*args, scheduler=cluster.scheduler_address, **kw))
    assert here == two == dask
    assert here["targets"][1]["draws"] == 32  # the zone: asked on the A and B rows


def test_cli_discover_end_to_end(soft, tiny_path, tmp_path):
    out = tmp_path / "out"
    runner = CliRunner()
    res = runner.invoke(
        main, ["discover", str(tiny_path), "--draws", "8", "--out", str(out), "--seed", "3"]
    )
    assert res.exit_code == 0, res.output
    assert "what would have to be true" in res.output
    names = {p.name for p in out.iterdir()}
    assert {"discover.png", "sensitivity.png", "report.md", "results.json"} <= names
    data = json.loads((out / "results.json").read_text())
    keys = [t["target"] for t in data["discover"]["targets"]]
    # the rejections as written: East the status quo (its red line), West the deal (army cap)
    assert keys == ["accept:deal:west", "accept:status-quo:east", "zone"]
    report = (out / "report.md").read_text()
    assert "## What would have to be true" in report
    # West rejects the deal on utility alone (no red line crossed): the report says so
    assert "West's utility of it stays below no deal's in every draw, so it would take" in report
    bad = runner.invoke(main, ["discover", str(tiny_path), "--target", "accept:deal:nobody"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    assert "accept:PROPOSAL:ACTOR" in bad.output


@given(st.lists(st.booleans(), max_size=300))
def test_chunks_cover_every_row_once_within_their_limits(expensive):
    from model.discover.engine import CHUNK_ROWS, EXPENSIVE_CHUNK_ROWS, _cuts

    mask = np.array(expensive, dtype=bool)
    cuts = _cuts(mask)
    assert cuts[0] == 0 and cuts[-1] == len(mask)
    for a, b in zip(cuts[:-1], cuts[1:], strict=True):
        assert 0 < b - a <= CHUNK_ROWS
        assert mask[a:b].sum() <= EXPENSIVE_CHUNK_ROWS


def test_a_rejection_that_never_flips_names_its_red_lines(tiny):
    from model.outputs.discover import discover_text

    result = discover(tiny, ["accept:status-quo:east"], draws=8, seed=1)
    (f,) = result.findings
    assert f.held == 0 and f.boxes == () and f.crossed == ("membership",)
    text = discover_text(result)
    assert "East accepts No deal: in 0 of 16 draws (0%)." in text
    assert "crosses East's red line on NATO membership, which holds in every draw." in text


def test_cli_discover_refuses_a_scenario_with_nothing_uncertain(tmp_path, tiny_path):
    certain = tmp_path / "certain.yaml"
    certain.write_text(
        tiny_path.read_text() + "uncertainty: {salience_sd: 0, position_sd: 0, capability_sd: 0}\n"
    )
    res = CliRunner().invoke(main, ["discover", str(certain), "--allow-outside"])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "no uncertain input" in res.output


def test_prim_finds_a_rare_box_of_two_red_lines_giving_way():
    """Two red lines that each hold with probability 0.8: both give way in 4% of draws, less
    than PRIM's usual smallest box (5%); the box must still be found."""
    rng = np.random.default_rng(5)
    a, b = (np.where(rng.random(512) < 0.8, "holds", HOLDS_NOT) for _ in range(2))
    x = {"a": a, "b": b, "c": rng.random(512)}
    y = (a == HOLDS_NOT) & (b == HOLDS_NOT)
    assert 0 < y.mean() < 0.05
    (box, *_) = find_boxes(x, {"a", "b"}, y)
    assert {(lim.input, lim.categories) for lim in box.limits} == {
        ("a", (HOLDS_NOT,)),
        ("b", (HOLDS_NOT,)),
    }
    assert box.density == 1.0 and box.coverage == 1.0


def test_clear_is_asked_on_every_row_and_adds_capabilities(tiny):
    """`clear` negotiates every row of the design (vectorised), so it has Sobol indices
    without --sobol-all; capabilities join the inputs, as the negotiation weighs them."""
    result = discover(tiny, ["clear"], draws=8, seed=4)
    assert result.dynamics
    assert {"capability:east", "capability:west"} <= {x.key for x in result.inputs}
    (f,) = result.findings
    assert f.asked == 16 and f.unknown == 0 and 0 < f.held < 16
    assert f.why_no_indices is None
    assert {i.input for i in f.indices} == {x.key for x in result.inputs}


def test_sobol_all_asks_the_zone_on_every_row(soft):
    result = discover(soft, ["zone"], draws=4, seed=6, sobol_all=True)
    (f,) = result.findings
    assert f.asked == 8
    assert (
        f.indices is not None
        or "fewer than" in f.why_no_indices
        or "every row" in (f.why_no_indices)
    )


def test_clear_across_rows_equals_the_mesa_run_of_each_row(soft):
    """`clear` on many rows at once (the vectorised negotiation) is what the Mesa model,
    run on each drawn scenario with the row's seed, says of that row."""
    from model.discover.targets import CLEAR, Target, evaluate_targets
    from model.pipeline import run
    from model.sweep import draw, drawn_scenario

    draws = draw(soft, 12, np.random.default_rng(5))
    seeds = np.arange(100, 112)
    searched = np.zeros(12, dtype=bool)  # the search's rows: `clear` is asked on every row
    got = evaluate_targets(soft, draws, (Target(CLEAR, CLEAR),), searched, seeds, 1.0)[CLEAR]
    for d in range(12):
        res = run(drawn_scenario(soft, draws, d), seed=int(seeds[d]))
        crossed = any(v.violations for v in res.forecast_verdicts.values())
        assert got[d] == int(not crossed), d
    assert {int(v) for v in got} == {0, 1}
