"""Every dynamics rule of the registry (model.negotiation.rules) through the same invariants:
red lines hold in every round, the same seed gives the same run."""

from dataclasses import replace
from typing import get_args

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.api import run
from model.negotiation.model import NegotiationModel
from model.negotiation.rules import RULES
from model.scenario.schema import Dynamics
from model.scenario.types import Actor as ActorSpec
from model.scenario.types import Issue, ModelSettings, Option, RedLine, Scenario, Stake


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


class RuleContract:
    """The invariants every dynamics rule must keep (in the spirit of the Axelrod library's
    per-strategy test base): subclass it once per rule in RULES."""

    dynamics: str

    @settings(
        max_examples=40, deadline=None, suppress_health_check=[HealthCheck.differing_executors]
    )
    @given(data=st.data())
    def test_red_lines_hold_every_round(self, data):
        check_red_lines_hold(self.dynamics, data.draw(small_scenarios(self.dynamics)))

    @settings(
        max_examples=10, deadline=None, suppress_health_check=[HealthCheck.differing_executors]
    )
    @given(data=st.data())
    def test_same_seed_same_run(self, data):
        sc = data.draw(small_scenarios(self.dynamics))
        runs = []
        for _ in range(2):
            m = NegotiationModel(sc)
            m.run()
            runs.append(m.datacollector.get_agent_vars_dataframe())
        pd.testing.assert_frame_equal(runs[0], runs[1])

    def test_tiny_run_is_reproducible_and_bounded(self, tiny):
        sc = replace(tiny, model=replace(tiny.model, dynamics=self.dynamics, noise=0.2))
        assert run(sc, seed=11).to_json() == run(sc, seed=11).to_json()
        check_red_lines_hold(self.dynamics, sc)


class TestConcession(RuleContract):
    dynamics = "concession"


class TestEum(RuleContract):
    dynamics = "eum"


def test_every_rule_is_tested_and_named_in_the_schema():
    tested = {cls.dynamics for cls in RuleContract.__subclasses__()}
    assert tested == set(RULES) == set(get_args(Dynamics))
    assert all(rule.name == name for name, rule in RULES.items())


def check_red_lines_hold(dynamics: str, sc: Scenario) -> None:
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
