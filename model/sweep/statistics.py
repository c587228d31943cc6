"""How sure a share of draws is, and which input moves it: Wilson intervals and sensitivity
swings over the draws."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from model.results import FORECAST_ID
from model.scenario.types import Scenario
from model.sweep.draws import Draws

Z95 = 1.959963984540054
"""The standard normal quantile of 0.975: a two-sided 95% interval."""

QUINTILE = 0.2
"""Sensitivity compares the draws in an input's top fifth with those in its bottom fifth."""

KINDS = ("salience", "position", "capability", "red_line")
"""The kinds of uncertain input a `Swing` names."""


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for k successes in n: sound at p near 0 or 1, unlike p +- z se."""
    if n <= 0:
        return 0.0, 1.0
    p = k / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # the interval always holds p; min/max only undo rounding at p = 0 or 1
    return max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half))


@dataclass(frozen=True)
class Acceptance:
    """How often one actor accepts one proposal across the draws."""

    proposal: str
    actor: str
    accepted: int
    draws: int
    ci: tuple[float, float]
    point_accepts: bool  # the verdict on the scenario as written

    @classmethod
    def of(cls, proposal: str, actor: str, accepts: np.ndarray, point: bool) -> Acceptance:
        """From one pair's verdicts over the draws, with its Wilson interval."""
        k, n = int(accepts.sum()), int(accepts.size)
        return cls(proposal, actor, k, n, wilson(k, n), bool(point))

    @property
    def p(self) -> float:
        return self.accepted / self.draws


@dataclass(frozen=True)
class Swing:
    """How much one uncertain input moves one actor's verdict on one proposal.

    swing = P(accept | input in its top quintile) - P(accept | input in its bottom quintile),
    over the draws: the draws with the input at or above its 80th percentile against those at or
    below its 20th (ties at a clipped end all go in). For a red line: P(accept | it holds) -
    P(accept | it does not). `se` is the standard error of that difference of two shares
    (Agresti-Caffo: one success and one failure added to each group); a swing within about 2 se
    of zero is indistinguishable from sampling noise. Of all actor x proposal
    pairs the input can affect, the one it moves most is kept.
    """

    kind: str  # one of KINDS
    actor: str
    issue: str | None
    label: str
    proposal: str
    pair_actor: str
    swing: float
    se: float
    p_high: float
    p_low: float
    n_high: int
    n_low: int
    cut_low: float | None  # the bottom group is <= this (None for a red line: "does not hold")
    cut_high: float | None  # the top group is >= this (None for a red line: "holds")


def _se(k1: int, n1: int, k2: int, n2: int) -> float:
    """The standard error of a difference of two shares, each with one success and one failure
    added (Agresti-Caffo), so a group that all accepts (or all rejects) does not claim se 0."""
    p1, p2 = (k1 + 1) / (n1 + 2), (k2 + 1) / (n2 + 2)
    return math.sqrt(p1 * (1 - p1) / (n1 + 2) + p2 * (1 - p2) / (n2 + 2))


def _inputs(
    scenario: Scenario, draws: Draws, dynamics: bool
) -> Iterator[tuple[str, int, str | None, str, np.ndarray]]:
    """(kind, actor index, issue, label, values over draws) for every input that varies."""
    for a, actor in enumerate(scenario.actors.values()):
        for i, (iid, issue) in enumerate(scenario.issues.items()):
            if not draws.stake[a, i]:
                continue
            for kind, values, words in (
                ("salience", draws.salience[:, a, i], f"salience of {issue.label}"),
                ("position", draws.position[:, a, i], f"position on {issue.label}"),
            ):
                if np.ptp(values) > 0:
                    yield kind, a, iid, f"{actor.name} · {words}", values
        if dynamics and np.ptp(draws.capability[:, a]) > 0:
            yield "capability", a, None, f"{actor.name} · capability", draws.capability[:, a]
        for i, (iid, issue) in enumerate(scenario.issues.items()):
            held = draws.holds[:, a, i]
            if draws.red_line[a, i] and held.any() and not held.all():
                yield "red_line", a, iid, f"{actor.name} · red line on {issue.label} holds", held


def sensitivity(
    scenario: Scenario,
    draws: Draws,
    columns: list[tuple[str, str, np.ndarray]],
    dynamics: bool = False,
) -> tuple[Swing, ...]:
    """Every uncertain input with the largest swing it causes, largest first (see `Swing`).

    `columns` are (proposal, actor, accepts over draws). An actor's own inputs are the only ones
    that can change its verdict on a fixed proposal, so only those pairs are scored for them
    (scoring the rest would only add sampling noise); the forecast's verdicts depend on every
    input through the dynamics, so every input is scored on them. Capabilities enter only the
    dynamics and are listed only with `dynamics`.
    """
    actor_ids = list(scenario.actors)
    out: list[Swing] = []
    for kind, a, iid, label, values in _inputs(scenario, draws, dynamics):
        if kind == "red_line":
            high, low, cuts = values, ~values, (None, None)
        else:
            q_lo, q_hi = np.quantile(values, [QUINTILE, 1 - QUINTILE])
            if not q_lo < q_hi:
                continue  # most draws tie at one value: no top and bottom to compare
            high, low, cuts = values >= q_hi, values <= q_lo, (float(q_lo), float(q_hi))
        best: Swing | None = None
        for pid, aid, accepts in columns:
            if pid != FORECAST_ID and aid != actor_ids[a]:
                continue
            p_hi, p_lo = float(accepts[high].mean()), float(accepts[low].mean())
            n_hi, n_lo = int(high.sum()), int(low.sum())
            swing = p_hi - p_lo
            if best is None or abs(swing) > abs(best.swing):
                se = _se(accepts[high].sum(), n_hi, accepts[low].sum(), n_lo)
                best = Swing(
                    kind,
                    actor_ids[a],
                    iid,
                    label,
                    pid,
                    aid,
                    swing,
                    se,
                    p_hi,
                    p_lo,
                    n_hi,
                    n_lo,
                    *cuts,
                )
        if best is not None:
            out.append(best)
    order = sorted(range(len(out)), key=lambda k: (-abs(out[k].swing), k))
    return tuple(out[k] for k in order)
