"""The Mesa model's invariants: red lines hold every round, the same seed gives the same run."""

import copy
import dataclasses
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.api import run
from model.negotiation.model import NegotiationModel, Party
from model.negotiation.rules.concession import concession_step
from model.negotiation.rules.eum import eum_round
from model.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def test_one_agent_per_actor(tiny):
    m = NegotiationModel(tiny, seed=1)
    assert sorted(a.actor_id for a in m.agents) == ["east", "west"]
    assert all(isinstance(a, Party) for a in m.agents)


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


def _by_id(model: NegotiationModel) -> dict[str, Party]:
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


def test_round_nbs_equals_each_issue_alone():
    """The collector's NBS, issues of as many actors bisected in one call, is each issue's
    `aggregate(iid, "nbs")` to the bit, at the start and after rounds (28-point: 16 issues, of
    3 to 5 actors; the EUM variant moves every issue)."""
    for name in ("28-point.yaml", "28-point-soft-red-lines.yaml"):
        m = NegotiationModel(load_scenario(ROOT / "scenarios" / name), seed=2)
        assert {len(m.stakeholders(iid)) for iid in m.spec.issues} == {3, 4, 5}
        for _ in range(3):
            batched = m.round_nbs()
            alone = {iid: m.aggregate(iid, "nbs") for iid in m.spec.issues}
            assert batched == alone
            m.step()
