"""What a discovery run asks about: an actor accepting a proposal, every actor accepting it, a
zone of agreement existing, the negotiated forecast crossing no red line.

Each target is 0/1 per row of the design. Acceptance comes from the sweep's vectorised rule
(`model.sweep.evaluate_draws`) on the whole chunk at once; the zone from the exact search
(`model.search.search_scenario`) on each drawn scenario; the forecast from the negotiation
vectorised across the rows (`model.sweep.dynamics`), each with the row's own seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.discover.design import DiscoverError
from model.scenario.types import Scenario
from model.sweep import Draws, drawn_scenario, evaluate_draws

ACCEPT, AGREE, ZONE, CLEAR = "accept", "agree", "zone", "clear"
EXPENSIVE = (ZONE,)
"""Targets that run the search once per row (the rest are numpy over rows: acceptance, and the
negotiation vectorised across rows for `clear`)."""

UNKNOWN = -1
"""A row a target was not evaluated on, or whose answer the search could not prove."""


class TargetError(DiscoverError):
    """A `--target` that names no proposal or actor of the scenario, or is not a target."""


@dataclass(frozen=True)
class Target:
    """One question, asked of every row: does it hold there?"""

    key: str  # "accept:PROPOSAL:ACTOR", "agree:PROPOSAL", "zone", "clear"
    kind: str
    proposal: str | None = None
    actor: str | None = None

    @property
    def expensive(self) -> bool:
        return self.kind in EXPENSIVE

    def words(self, scenario: Scenario) -> str:
        """The target as a clause: "Russia accepts US 28-point plan"."""
        if self.kind == ZONE:
            return "a zone of agreement opens (some package every actor accepts)"
        if self.kind == CLEAR:
            return "the negotiated forecast crosses no red line"
        label = scenario.proposals[self.proposal].label
        if self.kind == AGREE:
            return f"every actor accepts {label}"
        return f"{scenario.actors[self.actor].name} accepts {label}"


def parse_target(spec: str, scenario: Scenario) -> Target:
    """`accept:PROPOSAL:ACTOR`, `agree:PROPOSAL`, `zone` or `clear`, checked against the
    scenario."""
    parts = spec.strip().split(":")
    kind = parts[0]
    if kind in (ZONE, CLEAR) and len(parts) == 1:
        return Target(kind, kind)
    if kind == AGREE and len(parts) == 2 and parts[1] in scenario.proposals:
        return Target(spec, kind, parts[1])
    if kind == ACCEPT and len(parts) == 3:
        if parts[1] in scenario.proposals and parts[2] in scenario.actors:
            return Target(spec, kind, parts[1], parts[2])
    raise TargetError(
        f"--target {spec!r}: not a target of this scenario; use accept:PROPOSAL:ACTOR, "
        f"agree:PROPOSAL, zone or clear (proposals: {', '.join(scenario.proposals)}; actors: "
        f"{', '.join(scenario.actors)})"
    )


def default_targets(scenario: Scenario, point: dict[str, dict[str, bool]]) -> tuple[Target, ...]:
    """Each rejection on the scenario as written (what would turn it into acceptance?), then
    whether a zone of agreement opens. `point` is proposal -> actor -> accepts as written."""
    out = [
        Target(f"{ACCEPT}:{pid}:{aid}", ACCEPT, pid, aid)
        for pid in scenario.proposals
        for aid in scenario.actors
        if not point[pid][aid]
    ]
    return (*out, Target(ZONE, ZONE))


def evaluate_targets(
    scenario: Scenario,
    draws: Draws,
    targets: tuple[Target, ...],
    expensive: np.ndarray,
    seeds: np.ndarray,
    search_seconds: float,
) -> dict[str, np.ndarray]:
    """Each target over the rows of `draws` (int8: 1 holds, 0 does not, UNKNOWN not asked).

    The search (`zone`) is asked only on the rows `expensive` marks."""
    n = draws.n
    out = {t.key: np.full(n, UNKNOWN, dtype=np.int8) for t in targets}
    accepting = [t for t in targets if t.kind in (ACCEPT, AGREE)]
    if accepting:
        verdicts = evaluate_draws(scenario, draws)
        actors = list(scenario.actors)
        for t in accepting:
            acc = verdicts[t.proposal].accepts
            hit = acc.all(axis=1) if t.kind == AGREE else acc[:, actors.index(t.actor)]
            out[t.key] = hit.astype(np.int8)
    clear = [t for t in targets if t.kind == CLEAR]
    if clear:
        held = _clear(scenario, draws, [int(s) for s in seeds])
        for t in clear:
            out[t.key][:] = held
    rows = np.flatnonzero(expensive)
    zone = [t for t in targets if t.kind == ZONE]
    for d in rows if zone else ():
        drawn = drawn_scenario(scenario, draws, int(d))
        for t in zone:
            out[t.key][d] = _zone(drawn, search_seconds)
    return out


def _zone(scenario: Scenario, seconds: float) -> int:
    """1 if the search proves a package every actor accepts, 0 if it proves none, else UNKNOWN
    (its time or memory budget ran out first)."""
    from model.search import Budget, search_scenario

    result = search_scenario(scenario, top=1, budget=Budget(time_limit=seconds))
    if result.exact.acceptable_low > 0:
        return 1
    return 0 if result.exact.acceptable_high == 0 else UNKNOWN


def _clear(scenario: Scenario, draws: Draws, seeds: list[int]) -> np.ndarray:
    """1 where the negotiated forecast crosses no red line that holds in the row: the
    negotiation vectorised across the rows (`model.sweep.dynamics.negotiate_draws`, equal to the
    Mesa run with the row's seed, draw by draw), in chunks that bound its memory."""
    from model.sweep.dynamics import chunk_size, negotiate_draws

    size = chunk_size(scenario)
    parts = [
        ~negotiate_draws(scenario, draws.take(slice(k, k + size)), seeds[k : k + size]).crossed.any(
            axis=1
        )
        for k in range(0, draws.n, size)
    ]
    return np.concatenate(parts).astype(np.int8)
