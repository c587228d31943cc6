"""The Mesa model: one agent per actor, one step per negotiating round."""

from __future__ import annotations

import mesa
import numpy as np

from model.dynamics import concession_step
from model.eum import eum_round
from model.forecasts import compromise, nash_bargaining, weighted_median
from model.scenario import Actor as ActorSpec
from model.scenario import Scenario

STATISTICS = ("mean", "median", "nbs")
"""Per issue and round: the compromise model (capability x salience weighted mean), the weighted
median (Condorcet winner), and the asymmetric Nash bargaining solution against the status quo."""


class Actor(mesa.Agent):
    """A party to the negotiation: its ideal, clout and red lines, and where it now stands."""

    def __init__(self, model: NegotiationModel, spec: ActorSpec) -> None:
        super().__init__(model)
        self.spec = spec
        self.actor_id = spec.id
        self.capability = spec.capability
        self.position: dict[str, float] = {i: s.position for i, s in spec.stakes.items()}
        self.bounds: dict[str, tuple[float, float]] = {}
        for iid, stake in spec.stakes.items():
            issue = model.spec.issues[iid]
            rl = stake.red_line
            self.bounds[iid] = (
                rl.feasible_interval(issue, stake.position) if rl else (issue.lo, issue.hi)
            )
        self.next_position: dict[str, float] = dict(self.position)

    def salience(self, issue: str) -> float:
        return self.spec.stakes[issue].salience

    def commit(self) -> None:
        """Take up the position chosen this round (all actors move at once)."""
        self.position = dict(self.next_position)


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
        for spec in scenario.actors.values():
            Actor(self, spec)
        self.converged = False
        self.last_move = 0.0
        # the EUM scales distances by the range of the initial positions, held for all rounds
        self.initial_range = {
            iid: float(np.ptp(self.arrays(iid)[1])) if self.arrays(iid)[0] else 0.0
            for iid in scenario.issues
        }
        reporters: dict[str, object] = {}
        for iid in scenario.issues:
            for how in STATISTICS:
                reporters[f"{how}:{iid}"] = lambda m, iid=iid, how=how: m.aggregate(iid, how)
        agent_reporters = {
            iid: (lambda a, iid=iid: a.position.get(iid, np.nan)) for iid in scenario.issues
        }
        self.datacollector = mesa.DataCollector(
            model_reporters=reporters, agent_reporters=agent_reporters
        )
        self.datacollector.collect(self)

    def stakeholders(self, issue: str) -> list[Actor]:
        return [a for a in self.agents if issue in a.position]

    def arrays(self, issue: str) -> tuple[list[Actor], np.ndarray, np.ndarray, np.ndarray]:
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
        if how == "mean":
            return float(compromise(x, c, s))
        if how == "median":
            return float(weighted_median(x, c, s))
        return float(nash_bargaining(x, c, s, status_quo))

    def step(self) -> None:
        noise = self.settings.noise
        biggest = 0.0
        for iid, issue in self.spec.issues.items():
            actors, x, c, s = self.arrays(iid)
            if len(actors) < 2:
                continue
            lo = np.array([a.bounds[iid][0] for a in actors])
            hi = np.array([a.bounds[iid][1] for a in actors])
            jitter = self.rng.uniform(-noise, noise, len(actors)) if noise > 0 else None
            if self.settings.dynamics == "eum":
                if self.initial_range[iid] <= 0:
                    continue
                new = eum_round(
                    x, c, s / 100.0, lo=lo, hi=hi, position_range=self.initial_range[iid]
                ).new_positions
                if jitter is not None:
                    new = np.clip(x + (new - x) * (1.0 + jitter), lo, hi)
            else:
                new = concession_step(x, c, s, lo, hi, self.settings.concession_rate, jitter)
            for a, v in zip(actors, new, strict=True):
                a.next_position[iid] = float(v)
            biggest = max(biggest, float(np.max(np.abs(new - x))) / issue.span * 100.0)
        self.agents.do("commit")
        self.last_move = biggest
        self.datacollector.collect(self)
        if biggest < self.settings.tolerance:
            self.converged = True
            self.running = False

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
