"""The Mesa model: one agent per actor, one step per negotiating round.

Each round the model computes, once per issue and for all its actors at once, what the round
shares (numpy): the EUM's offer matrices, or the concession dynamics' weighted totals. Then
every actor chooses its own move from its row of those numbers and its own red lines
(`agents.do("choose")`, the rule's `move`), and all take up their new positions at once
(`agents.do("commit")`). The rules are in model.negotiation.rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import mesa
import numpy as np

from model.negotiation.forecasts import compromise, nash_bargaining, weighted_median
from model.negotiation.rules import RULES
from model.scenario.types import Actor as ActorSpec
from model.scenario.types import Scenario

STATISTICS = ("mean", "median", "nbs")
"""Per issue and round: the compromise model (capability x salience weighted mean), the weighted
median (Condorcet winner), and the asymmetric Nash bargaining solution against the status quo."""


def capability_exponent(scenario: Scenario) -> int:
    """The power of two the agents divide every capability by, so the largest lies in [0.5, 1).

    Only ratios of capabilities matter, but their products with saliences and positions would
    overflow (capability 1e308: inf, then nan) or underflow at the ends of the float range.
    Dividing by a power of two is exact, so ordinary scenarios run bit for bit as on the stated
    numbers."""
    top = max((a.capability for a in scenario.actors.values()), default=0.0)
    return math.frexp(top)[1] if math.isfinite(top) and top > 0 else 0


class Party(mesa.Agent):
    """A party to the negotiation: its ideal, clout and red lines, and where it now stands."""

    def __init__(self, model: NegotiationModel, spec: ActorSpec) -> None:
        super().__init__(model)
        self.spec = spec
        self.actor_id = spec.id
        self.capability = math.ldexp(spec.capability, -model.capability_exponent)
        self.position: dict[str, float] = {i: s.position for i, s in spec.stakes.items()}
        self.bounds: dict[str, tuple[float, float]] = {}
        for iid, stake in spec.stakes.items():
            issue = model.spec.issues[iid]
            rl = stake.red_line
            self.bounds[iid] = (
                rl.feasible_interval(issue, stake.position) if rl else (issue.lo, issue.hi)
            )
        self.next_position: dict[str, float] = dict(self.position)
        self.moved = 0.0  # this round's largest move, in points of a 0-100 scale

    def salience(self, issue: str) -> float:
        return self.spec.stakes[issue].salience

    def choose(self) -> None:
        """Choose this round's position on every issue in play from the round's shared numbers,
        never past a red line."""
        self.moved = 0.0
        for iid, rnd in self.model.shared.items():
            k = rnd.row.get(self.unique_id)
            if k is None:
                continue
            x = self.position[iid]
            jitter = None if rnd.jitter is None else rnd.jitter[k]
            new = self.model.rule.move(
                rnd.shared,
                k,
                x,
                self.capability,
                self.salience(iid),
                self.model.settings.concession_rate,
                self.bounds[iid],
                jitter,
            )
            self.next_position[iid] = float(new)
            self.moved = max(self.moved, abs(float(new) - x) / rnd.span * 100.0)

    def commit(self) -> None:
        """Take up the position chosen this round (all actors move at once)."""
        self.position = dict(self.next_position)


@dataclass(frozen=True)
class IssueRound:
    """What one issue's round shares among its actors, computed once by the model (numpy)."""

    row: dict[int, int]  # agent unique_id -> its row in the arrays below
    span: float  # the issue's span, to measure moves in points of 0-100
    jitter: np.ndarray | None  # noise per row, drawn from the model's rng (None: no noise)
    shared: Any  # the rule's numbers for this round (model.negotiation.rules)


class NegotiationModel(mesa.Model):
    """Actors revise their positions round by round until nobody moves or the rounds run out.

    Each round collects, per issue, every position and the capability x salience weighted mean
    and median into `datacollector`; `forecast()` gives the outcome the final round points to.
    """

    def __init__(self, scenario: Scenario, seed: int | None = None) -> None:
        seed = scenario.model.seed if seed is None else seed
        super().__init__(rng=np.random.default_rng(seed))
        self.seed = seed
        self.spec = scenario  # not `scenario`: Mesa 3.5 claims Model.scenario for its own
        self.settings = scenario.model
        self.rule = RULES[scenario.model.dynamics]
        self.capability_exponent = capability_exponent(scenario)
        for spec in scenario.actors.values():
            Party(self, spec)
        self.converged = False
        self.last_move = 0.0
        self.shared: dict[str, IssueRound] = {}  # this round's shared numbers, by issue
        # the EUM scales distances by the range of the initial positions, held for all rounds
        self.initial_range = {
            iid: float(np.ptp(self.arrays(iid)[1])) if self.arrays(iid)[0] else 0.0
            for iid in scenario.issues
        }
        reporters: dict[str, object] = {}
        self._nbs: tuple[int, dict[str, float]] | None = None  # (step, the round's NBS)
        for iid in scenario.issues:
            for how in STATISTICS:
                reporters[f"{how}:{iid}"] = (
                    (lambda m, iid=iid: m.round_nbs()[iid])
                    if how == "nbs"
                    else (lambda m, iid=iid, how=how: m.aggregate(iid, how))
                )
        agent_reporters = {
            iid: (lambda a, iid=iid: a.position.get(iid, np.nan)) for iid in scenario.issues
        }
        self.datacollector = mesa.DataCollector(
            model_reporters=reporters, agent_reporters=agent_reporters
        )
        self.datacollector.collect(self)

    def stakeholders(self, issue: str) -> list[Party]:
        return [a for a in self.agents if issue in a.position]

    def arrays(self, issue: str) -> tuple[list[Party], np.ndarray, np.ndarray, np.ndarray]:
        """The actors with a stake in `issue`, their positions, capabilities and saliences."""
        actors = self.stakeholders(issue)
        x = np.array([a.position[issue] for a in actors], dtype=float)
        c = np.array([a.capability for a in actors], dtype=float)
        s = np.array([a.salience(issue) for a in actors], dtype=float)
        return actors, x, c, s

    def aggregate(self, issue: str, how: str) -> float:
        """The issue's forecast by one statistic of the current positions (see STATISTICS)."""
        actors, x, c, s = self.arrays(issue)
        status_quo = float(self.spec.issues[issue].status_quo)
        if not actors:
            return status_quo
        s = s / 100.0  # the literature's 0-1 salience scale (see forecasts.compromise)
        if how == "mean":
            return float(compromise(x, c, s))
        if how == "median":
            return float(weighted_median(x, c, s))
        return float(nash_bargaining(x, c, s, status_quo))

    def round_nbs(self) -> dict[str, float]:
        """Every issue's Nash bargaining solution at this step, for the data collector: the
        issues with as many actors bisect in one call (each row with the arithmetic it would
        have alone, so the values equal `aggregate(iid, "nbs")` to the bit; tested), which
        saves most of the collector's time on scenarios of many issues."""
        if self._nbs is not None and self._nbs[0] == self.steps:
            return self._nbs[1]
        groups: dict[int, list[tuple[str, np.ndarray, np.ndarray, np.ndarray, float]]] = {}
        out: dict[str, float] = {}
        for iid, issue in self.spec.issues.items():
            actors, x, c, s = self.arrays(iid)
            if actors:
                groups.setdefault(len(actors), []).append(
                    (iid, x, c, s / 100.0, float(issue.status_quo))
                )
            else:
                out[iid] = float(issue.status_quo)
        for rows in groups.values():
            values = nash_bargaining(
                np.stack([r[1] for r in rows]),
                np.stack([r[2] for r in rows]),
                np.stack([r[3] for r in rows]),
                np.array([r[4] for r in rows]),
            )
            out.update({r[0]: float(v) for r, v in zip(rows, values, strict=True)})
        self._nbs = (self.steps, out)
        return out

    def step(self) -> None:
        self.shared = self.share_round()
        self.agents.do("choose")
        self.agents.do("commit")
        self.last_move = max([0.0, *self.agents.get("moved")])
        self.datacollector.collect(self)
        if self.last_move < self.settings.tolerance:
            self.converged = True
            self.running = False

    def share_round(self) -> dict[str, IssueRound]:
        """Per issue in play, what this round's actors choose from: the EUM's offer matrices or
        the concession totals, computed once for all of them, and the noise they draw."""
        noise = self.settings.noise
        shared: dict[str, IssueRound] = {}
        for iid, issue in self.spec.issues.items():
            actors, x, c, s = self.arrays(iid)
            if len(actors) < 2:
                continue
            row = {a.unique_id: k for k, a in enumerate(actors)}
            # drawn for every issue with two or more actors, in issue order, moving or not
            jitter = self.rng.uniform(-noise, noise, len(actors)) if noise > 0 else None
            numbers = self.rule.share(x, c, s, self.initial_range[iid])
            if numbers is not None:
                shared[iid] = IssueRound(row, issue.span, jitter, numbers)
        return shared

    def run(self) -> None:
        """Step until convergence or `rounds` rounds."""
        while self.running and self.steps < self.settings.rounds:
            self.step()

    def forecast(self) -> dict[str, float]:
        """The outcome per issue: the chosen statistic (`model.forecast`) of the final positions,
        snapped to the nearest option on ordinal issues."""
        how = self.settings.forecast
        return {
            iid: issue.snap(self.aggregate(iid, how)) for iid, issue in self.spec.issues.items()
        }
