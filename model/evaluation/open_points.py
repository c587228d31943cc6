"""A text that leaves points open: an actor accepts it however they are settled, rejects it
however they are settled, or its verdict *depends* on the settlement.

Exact, without enumerating every settlement: utility is additive over issues, so once the open
issues that some condition of the actor's red lines reads are fixed (usually none or one; they
are enumerated jointly), every other open issue can be settled on its own — its best value for
the actor among those its red lines allow, its worst, or a value that crosses a red line. The
candidate values of an open issue are its options, or a numeric issue's search grid
(`numeric_grid`). tests/test_open_points.py checks this against enumerating every settlement.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from model.evaluation.space import numeric_grid
from model.evaluation.verdicts import (
    TOLERANCE,
    closeness,
    status_quo,
    utility,
    verdict,
    weights,
)
from model.scenario.types import Actor, Issue, Proposal, Scenario

MAX_JOINT = 100_000  # settlements of the condition-read open issues enumerated jointly


@dataclass(frozen=True)
class OpenVerdict:
    """`verdict` is 'accepts', 'rejects' or 'depends'. `winning` is the settlement of the open
    points that wins the actor's acceptance (its best one), `losing` one that loses it (a
    red line crossed if there is one, else the worst for the actor); each None when none exists.
    """

    actor: str
    proposal: str
    verdict: str
    open_issues: tuple[str, ...]
    winning: dict[str, float] | None
    losing: dict[str, float] | None


def open_issues(proposal: Proposal) -> tuple[str, ...]:
    return tuple(iid for iid, p in proposal.provisions.items() if p.open)


def candidates(issue: Issue) -> list[float]:
    return [o.value for o in issue.options] if issue.options else list(numeric_grid(issue))


def open_verdict(scenario: Scenario, actor: Actor, proposal: Proposal) -> OpenVerdict:
    """The three-way verdict of one actor on a text with open points (see the module doc)."""
    opened = open_issues(proposal)
    base = proposal.package(scenario.issues)
    w = weights(actor)
    reservation = utility(actor, scenario.issues, status_quo(scenario))
    read = sorted(
        {
            c.issue
            for s in actor.stakes.values()
            if s.red_line is not None
            for c in s.red_line.unless
            if c.issue in opened
        }
    )
    free = [i for i in opened if i not in read]
    joint = [candidates(scenario.issues[i]) for i in read]
    if len(read) and _product(joint) > MAX_JOINT:
        raise ValueError(f"too many joint settlements of {', '.join(read)} to check exactly")

    def part(iid: str, value: float) -> float:
        stake = actor.stakes.get(iid)
        return w[iid] * closeness(scenario.issues[iid], value, stake.position) if stake else 0.0

    def crosses(package: dict[str, float], iid: str) -> bool:
        stake = actor.stakes.get(iid)
        return bool(stake and stake.red_line and stake.red_line.crossed_in(package, iid))

    best: tuple[float, dict[str, float]] | None = None
    losing: dict[str, float] | None = None
    worst: tuple[float, dict[str, float]] | None = None
    for values in itertools.product(*joint):
        package = {**base, **dict(zip(read, values, strict=True))}
        fixed_ok = not any(crosses(package, i) for i in actor.stakes if i not in free)
        u = sum(part(i, package[i]) for i in actor.stakes if i not in free)
        hi_pick, lo_pick, crossing = {}, {}, None
        feasible = True
        for iid in free:
            allowed, blocked = [], []
            for v in candidates(scenario.issues[iid]):
                (blocked if crosses({**package, iid: v}, iid) else allowed).append(v)
            if blocked and crossing is None:
                crossing = (iid, blocked[0])
            if not allowed:
                feasible = False
                lo_pick[iid] = blocked[0]
                continue
            hi_pick[iid] = max(allowed, key=lambda v, i=iid: (part(i, v), -v))
            lo_pick[iid] = min(allowed, key=lambda v, i=iid: (part(i, v), v))
        if fixed_ok and feasible:
            u_best = u + sum(part(i, v) for i, v in hi_pick.items())
            if u_best >= reservation - TOLERANCE and (best is None or u_best > best[0]):
                best = (u_best, {**package, **hi_pick})
            u_worst = u + sum(part(i, v) for i, v in lo_pick.items())
            if worst is None or u_worst < worst[0]:
                worst = (u_worst, {**package, **lo_pick})
        if losing is None:
            if not fixed_ok:
                losing = {**package, **lo_pick, **hi_pick}
            elif crossing is not None:
                iid, v = crossing
                losing = {**package, **hi_pick, **lo_pick, iid: v}
    if losing is None and worst is not None and worst[0] < reservation - TOLERANCE:
        losing = worst[1]
    winning = best[1] if best else None
    if winning is not None:
        winning = _fewest_changes(scenario, actor, proposal, winning, opened)
        losing = _one_change(scenario, actor, proposal, winning, opened) or losing
    kind = "depends" if winning and losing else ("accepts" if winning else "rejects")
    keep = set(opened)
    return OpenVerdict(
        actor.id,
        proposal.id,
        kind,
        opened,
        {i: v for i, v in winning.items() if i in keep} if winning else None,
        {i: v for i, v in losing.items() if i in keep} if losing else None,
    )


def _accepts(scenario: Scenario, actor: Actor, package: dict[str, float]) -> bool:
    return verdict(scenario, actor, package, "settlement").accepts


def _fewest_changes(
    scenario: Scenario,
    actor: Actor,
    proposal: Proposal,
    package: dict[str, float],
    opened: tuple[str, ...],
) -> dict[str, float]:
    """A winning settlement with as many open points as possible left at the status quo (each
    put back in turn while the actor still accepts), so that the words name only what matters."""
    out = dict(package)
    for iid in opened:
        sq = scenario.issues[iid].status_quo
        if abs(out[iid] - sq) > 1e-9 and _accepts(scenario, actor, {**out, iid: sq}):
            out[iid] = sq
    return out


def _one_change(
    scenario: Scenario,
    actor: Actor,
    proposal: Proposal,
    package: dict[str, float],
    opened: tuple[str, ...],
) -> dict[str, float] | None:
    """A losing settlement one open point away from the winning one, if there is one."""
    for iid in opened:
        for v in candidates(scenario.issues[iid]):
            if not _accepts(scenario, actor, {**package, iid: v}):
                return {**package, iid: v}
    return None


def _product(lists: list[list[float]]) -> int:
    n = 1
    for values in lists:
        n *= len(values)
    return n
