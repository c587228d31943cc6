"""Proposals against actors: red lines, utilities and verdicts.

Utility (the README gives the formula): an actor's salience-weighted mean closeness of a package
to its ideals, closeness on issue i being 1 - |value - ideal| / span_i. It lies in [0, 1], is 1 at
the actor's ideal package and is additive over issues, which is what lets `space.PackageSpace`
and the searches work issue by issue. An actor accepts iff no value crosses one of its red lines
(a conditional red line is waived when the package meets its conditions) and the package is worth
at least the status quo (its reservation utility: no deal).

The acceptance rule is written three times, for speed: here (`verdict`, the reference), in the
search's exact integer sums (model.search) and in the sweep's arrays over draws (model.sweep);
tests/test_search.py and tests/test_sweep.py keep the other two equal to this one.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.scenario.types import Actor, Issue, Proposal, RedLine, Scenario, Source

TOLERANCE = 1e-9


@dataclass(frozen=True)
class Violation:
    """A provision that crosses one of an actor's red lines."""

    issue: str
    value: float
    red_line: RedLine

    def to_dict(self, issue: Issue) -> dict:
        return {
            "issue": self.issue,
            "value": issue.value_id(self.value),
            "value_label": issue.describe(self.value),
            "red_line": self.red_line.text,
            "sources": [s.to_dict() for s in self.red_line.sources],
        }


@dataclass(frozen=True)
class Verdict:
    actor: str
    proposal: str
    accepts: bool
    utility: float
    reservation: float
    violations: tuple[Violation, ...]


@dataclass(frozen=True)
class ProvisionImpact:
    """How one provision lands with one actor."""

    actor: str
    status: str  # "ideal", "below_ideal" or "red_line"
    closeness: float  # 1 - |value - ideal| / span
    versus_status_quo: float  # closeness minus the status quo's closeness


def closeness(issue: Issue, value: float, ideal: float) -> float:
    return 1.0 - abs(value - ideal) / issue.span


def weights(actor: Actor) -> dict[str, float]:
    """Each stake's share of the actor's total salience (equal shares if all are zero)."""
    total = sum(s.salience for s in actor.stakes.values())
    if total <= 0:
        return {iid: 1.0 / len(actor.stakes) for iid in actor.stakes}
    return {iid: s.salience / total for iid, s in actor.stakes.items()}


def utility(actor: Actor, issues: dict[str, Issue], package: dict[str, float]) -> float:
    w = weights(actor)
    return float(
        sum(
            w[iid] * closeness(issues[iid], package[iid], stake.position)
            for iid, stake in actor.stakes.items()
        )
    )


def violations(actor: Actor, package: dict[str, float]) -> tuple[Violation, ...]:
    return tuple(
        Violation(iid, package[iid], stake.red_line)
        for iid, stake in actor.stakes.items()
        if stake.red_line is not None and stake.red_line.crossed_in(package, iid)
    )


def status_quo(scenario: Scenario) -> dict[str, float]:
    return {iid: issue.status_quo for iid, issue in scenario.issues.items()}


def verdict(scenario: Scenario, actor: Actor, package: dict[str, float], name: str) -> Verdict:
    u = utility(actor, scenario.issues, package)
    r = utility(actor, scenario.issues, status_quo(scenario))
    crossed = violations(actor, package)
    return Verdict(actor.id, name, not crossed and u >= r - TOLERANCE, u, r, crossed)


def evaluate(scenario: Scenario, proposal: Proposal) -> dict[str, Verdict]:
    package = proposal.package(scenario.issues)
    return {aid: verdict(scenario, a, package, proposal.id) for aid, a in scenario.actors.items()}


def impacts(scenario: Scenario, proposal: Proposal) -> dict[str, dict[str, ProvisionImpact]]:
    """For every provision of the proposal: which actors it satisfies, leaves short, or crosses."""
    out: dict[str, dict[str, ProvisionImpact]] = {}
    package = proposal.package(scenario.issues)
    for iid, provision in proposal.provisions.items():
        issue = scenario.issues[iid]
        row = {}
        for aid, actor in scenario.actors.items():
            stake = actor.stakes.get(iid)
            if stake is None:
                continue
            c = closeness(issue, provision.value, stake.position)
            c_sq = closeness(issue, issue.status_quo, stake.position)
            if stake.red_line is not None and stake.red_line.crossed_in(package, iid):
                status = "red_line"
            elif c >= 1 - TOLERANCE:
                status = "ideal"
            else:
                status = "below_ideal"
            row[aid] = ProvisionImpact(aid, status, c, c - c_sq)
        out[iid] = row
    return out


def red_line_sources(scenario: Scenario) -> list[tuple[str, str, RedLine, tuple[Source, ...]]]:
    """Every red line of the scenario with its sources: (actor, issue, red line, sources)."""
    return [
        (aid, iid, stake.red_line, stake.red_line.sources)
        for aid, actor in scenario.actors.items()
        for iid, stake in actor.stakes.items()
        if stake.red_line is not None
    ]
