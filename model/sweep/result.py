"""What a sweep found, as plain data: acceptance shares, the forecast's, and what moves them.

Rendered (text, markdown, csv, JSON) by `model.outputs.sweep`.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.results import FORECAST_ID
from model.scenario.types import Scenario
from model.sweep.statistics import Acceptance, Swing


@dataclass(frozen=True)
class Landing:
    """Where the dynamics' forecast lands on one issue across the draws."""

    point: float  # the forecast on the scenario as written
    shares: dict[str, float] | None  # options: each one's share of the draws, in option order
    point_share: float | None  # options: the share of draws landing on `point`
    quantiles: tuple[float, float, float] | None  # numbers: 5%, 50% and 95% of the draws


@dataclass(frozen=True)
class ForecastSweep:
    """The dynamics' forecast across the draws: who accepts it, and where it lands per issue."""

    acceptance: tuple[Acceptance, ...]  # one per actor
    converged: int  # draws whose dynamics converged before the round limit
    point_label: str
    outcomes: dict[str, Landing]  # issue -> where the forecast lands, in scenario order


@dataclass(frozen=True)
class SweepResult:
    """What a sweep found: acceptance probabilities, the forecast's, and what moves them."""

    scenario: Scenario
    draws: int
    seed: int
    dynamics: bool
    acceptance: tuple[Acceptance, ...]  # proposal x actor, in scenario order
    sensitivity: tuple[Swing, ...]  # largest swing first
    forecast: ForecastSweep | None = None

    def all_acceptance(self) -> tuple[Acceptance, ...]:
        """Every pair: proposal x actor, then the forecast's per actor (with dynamics)."""
        return self.acceptance + (self.forecast.acceptance if self.forecast else ())

    def get(self, proposal: str, actor: str) -> Acceptance:
        """One pair's acceptance (the forecast's under `model.results.FORECAST_ID`)."""
        for x in self.all_acceptance():
            if x.proposal == proposal and x.actor == actor:
                return x
        raise KeyError((proposal, actor))

    def uncertain(self) -> list[Acceptance]:
        """The pairs whose verdict some draws flip: 0 < p < 1."""
        return [x for x in self.all_acceptance() if 0 < x.accepted < x.draws]

    def rows(self) -> list[tuple[str, str, list[Acceptance]]]:
        """(id, label, acceptance per actor) for every proposal, then the forecast."""
        sc = self.scenario
        rows = [
            (pid, p.label, [self.get(pid, aid) for aid in sc.actors])
            for pid, p in sc.proposals.items()
        ]
        if self.forecast is not None:
            rows.append((FORECAST_ID, "Model forecast", list(self.forecast.acceptance)))
        return rows
