"""The Mesa model's invariants: red lines hold every round, the same seed gives the same run."""

import copy
import dataclasses
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.api import run
from model.negotiation.model import Actor, NegotiationModel
from model.negotiation.rules.concession import concession_step
from model.negotiation.rules.eum import eum_round
from model.scenario.loader import load_scenario
from model.scenario.types import Actor as ActorSpec
from model.scenario.types import Issue, ModelSettings, Option, RedLine, Scenario, Stake

ROOT = Path(__file__).resolve().parent.parent


def test_one_agent_per_actor(tiny):
    m = NegotiationModel(tiny, seed=1)
    assert sorted(a.actor_id for a in m.agents) == ["east", "west"]
    assert all(isinstance(a, Actor) for a in m.agents)


def test_concession_step_by_hand():
    # two actors, equal clout; A salience 50, B salience 100 (B never moves)
    x = np.array([0.0, 100.0])
    new = concession_step(
        x, np.array([1.0, 1.0]), np.array([50.0, 100.0]), np.zeros(2), np.full(2, 100.0), rate=0.5
    )
    # A: pull = 100, pressure = 100 / 150, resolve = 0.5 -> moves 0.5 * 2/3 * 0.5 * 100
    assert new[0] == np.float64(0.5 * (100 / 150) * 0.5 * 100)
    assert new[1] == 100.0


def test_red_lines_hold_every_round(tiny):
    results = run(tiny, seed=3)
    for rec in results.history:
        for iid in tiny.issues:
            for aid, x in rec.positions[iid].items():
                rl = tiny.actors[aid].stakes[iid].red_line
                if rl is not None:
                    assert not rl.crossed_by(x), (rec.round, aid, iid, x)
    # West's army position never goes below its 500 floor although East pulls it to 100
    assert min(r.positions["army"]["west"] for r in results.history) >= 500.0


def test_same_seed_same_run(tiny):
    a = run(tiny, seed=7).to_json()
    b = run(tiny, seed=7).to_json()
    assert a == b


def test_history_is_the_datacollector(tiny):
    m = NegotiationModel(tiny, seed=1)
    m.run()
    df = m.datacollector.get_model_vars_dataframe()
    assert len(df) == m.steps + 1
    first = df.iloc[0]
    # round 0: membership positions 100 (east, w 60*90) and 0 (west, w 40*60)
    assert first["mean:membership"] == (60 * 90 * 100) / (60 * 90 + 40 * 60)
    assert first["median:membership"] == 100.0


@st.composite
def issue_arrays(draw):
    n = draw(st.integers(2, 6))
    floats = st.floats(0, 100, allow_nan=False)
    x = np.array(draw(st.lists(floats, min_size=n, max_size=n)))
    c = np.array(draw(st.lists(st.floats(0.1, 100), min_size=n, max_size=n)))
    s = np.array(draw(st.lists(floats, min_size=n, max_size=n)))
    widths = np.array(draw(st.lists(st.floats(0, 50), min_size=n, max_size=n)))
    lo = np.clip(x - widths, 0, 100)
    hi = np.clip(x + widths, 0, 100)
    return x, c, s, lo, hi


@settings(max_examples=200, deadline=None)
@given(issue_arrays(), st.floats(0.01, 1.0), st.integers(1, 30))
def test_concession_never_leaves_bounds_or_hull(arrays, rate, rounds):
    x, c, s, lo, hi = arrays
    start_min, start_max = x.min(), x.max()
    for _ in range(rounds):
        x = concession_step(x, c, s, lo, hi, rate)
        assert np.all(x >= lo - 1e-9) and np.all(x <= hi + 1e-9)
        assert x.min() >= start_min - 1e-9 and x.max() <= start_max + 1e-9


def _by_id(model: NegotiationModel) -> dict[str, Actor]:
    return {a.actor_id: a for a in model.agents}


def test_agents_choose_their_own_eum_moves():
    """The model shares the round's offer matrices; each agent picks its move from its row, and
    nobody moves until all have chosen. Together that is eum_round on the same arrays."""
    sc = load_scenario(ROOT / "scenarios" / "validation" / "bdm1994-emissions.yaml")
    m = NegotiationModel(sc, seed=1)
    actors, x, c, s = m.arrays("deadline")
    expected = eum_round(x, c, s / 100.0, position_range=6.0).new_positions
    m.shared = m.share_round()
    belgium = _by_id(m)["belgium"]
    belgium.choose()
    assert belgium.next_position["deadline"] == expected[actors.index(belgium)] != 7.0
    assert belgium.position["deadline"] == 7.0  # chosen, not yet taken up
    m.agents.do("choose")
    m.agents.do("commit")
    assert [a.position["deadline"] for a in actors] == list(expected)


def test_agents_concede_as_concession_step(tiny):
    noisy = dataclasses.replace(tiny, model=dataclasses.replace(tiny.model, noise=0.4))
    m = NegotiationModel(noisy, seed=2)
    for _ in range(5):
        twin = copy.deepcopy(m.rng)  # the draws the model is about to make, issue by issue
        expected = {}
        for iid in noisy.issues:
            actors, x, c, s = m.arrays(iid)
            lo = np.array([a.bounds[iid][0] for a in actors])
            hi = np.array([a.bounds[iid][1] for a in actors])
            jitter = twin.uniform(-0.4, 0.4, len(actors))
            new = concession_step(x, c, s, lo, hi, noisy.model.concession_rate, jitter)
            expected[iid] = dict(zip([a.actor_id for a in actors], new, strict=True))
        m.step()
        for iid, row in expected.items():
            for aid, value in row.items():
                assert _by_id(m)[aid].position[iid] == value  # bit for bit


@st.composite
def small_scenarios(draw, dynamics: str):
    """2-5 actors on 1-2 issues (ordinal or numeric), about half the stakes with a red line."""
    issues = {}
    for k in range(draw(st.integers(1, 2))):
        iid = f"i{k}"
        if draw(st.booleans()):
            m = draw(st.integers(3, 5))
            options = tuple(Option(f"o{v}", f"o{v}", 100.0 * v / (m - 1)) for v in range(m))
            issues[iid] = Issue(iid, iid, "ordinal", 0.0, 100.0, 0.0, options=options)
        else:
            hi = draw(st.sampled_from([10.0, 100.0, 1000.0]))
            issues[iid] = Issue(iid, iid, "numeric", 0.0, hi, hi, unit="u")
    actors = {}
    for n in range(draw(st.integers(2, 5))):
        stakes = {}
        for iid, issue in issues.items():
            if not draw(st.integers(0, 4)):
                continue  # no stake
            values = [o.value for o in issue.options]
            ideal = (
                draw(st.sampled_from(values))
                if values
                else draw(st.floats(issue.lo, issue.hi, allow_nan=False))
            )
            red_line = None
            rule = draw(st.sampled_from(["none", "at_most", "at_least", "rejects"]))
            if rule == "at_most":
                red_line = RedLine(at_most=draw(st.floats(ideal, issue.hi)))
            elif rule == "at_least":
                red_line = RedLine(at_least=draw(st.floats(issue.lo, ideal)))
            elif rule == "rejects" and values:
                others = [v for v in values if v != ideal]
                rejects = draw(st.lists(st.sampled_from(others), min_size=1, unique=True))
                red_line = RedLine(rejects=frozenset(rejects))
            salience = draw(st.floats(0, 100, allow_nan=False))
            stakes[iid] = Stake(iid, ideal, salience, red_line)
        capability = draw(st.floats(0.1, 100))
        actors[f"a{n}"] = ActorSpec(f"a{n}", f"a{n}", capability, stakes)
    settings_ = ModelSettings(
        seed=draw(st.integers(0, 2**16)),
        rounds=draw(st.integers(1, 8)),
        dynamics=dynamics,
        tolerance=0.0,
        concession_rate=draw(st.floats(0.05, 1.0)),
        noise=draw(st.sampled_from([0.0, 0.0, 0.3, 0.9])),
    )
    return Scenario("random", "random", issues, actors, {}, settings_)


@pytest.mark.parametrize("dynamics", ["eum", "concession"])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_red_lines_hold_every_round_through_the_mesa_model(dynamics, data):
    sc = data.draw(small_scenarios(dynamics))
    m = NegotiationModel(sc)
    m.run()
    table = m.datacollector.get_agent_vars_dataframe()
    assert len(table) == (m.steps + 1) * len(sc.actors)
    agents = {a.unique_id: a for a in m.agents}
    for iid, issue in sc.issues.items():
        initial = [a.stakes[iid].position for a in sc.actors.values() if iid in a.stakes]
        for (step, uid), x in table[iid].items():
            if np.isnan(x):  # no stake
                continue
            agent = agents[uid]
            rl = agent.spec.stakes[iid].red_line
            lo, hi = agent.bounds[iid]
            assert lo <= x <= hi, (step, agent.actor_id, iid, x)
            assert rl is None or not rl.crossed_by(x), (step, agent.actor_id, iid, x)
            assert issue.lo <= x <= issue.hi
            if dynamics == "eum" and sc.model.noise == 0:
                # every EUM offer lies between two positions: the initial range is never left
                assert min(initial) <= x <= max(initial), (step, agent.actor_id, iid, x)
