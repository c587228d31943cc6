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

import numpy as np

from model.evaluation.space import PackageSpace
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


def numeric_grid(issue: Issue, steps: int = 21) -> np.ndarray:
    """The documented grid of a numeric issue for searches: `steps` evenly spaced values plus
    every value a red line or ideal of the scenario would pin (added by `package_space`)."""
    return np.linspace(issue.lo, issue.hi, steps)


def package_space(scenario: Scenario, grid_steps: int = 21) -> PackageSpace:
    """The scenario as arrays: every option of an ordinal issue, a grid on a numeric one.

    A numeric issue's grid is `grid_steps` evenly spaced values plus the status quo, every
    actor's ideal and red-line bound, and every proposal's value, so that no proposal or
    boundary falls between grid points.
    """
    actors = list(scenario.actors.values())
    values, labels, gains, allowed, sq_index = [], [], [], [], []
    for iid, issue in scenario.issues.items():
        if issue.kind == "ordinal":
            vals = np.array([o.value for o in issue.options])
        else:
            extra = [issue.status_quo]
            for a in actors:
                stake = a.stakes.get(iid)
                if stake is not None:
                    extra.append(stake.position)
                    if stake.red_line is not None:
                        extra += [
                            b
                            for b in (stake.red_line.at_most, stake.red_line.at_least)
                            if b is not None
                        ]
            for p in scenario.proposals.values():
                if iid in p.provisions:
                    extra.append(p.provisions[iid].value)
            vals = np.unique(np.concatenate([numeric_grid(issue, grid_steps), extra]))
        g = np.zeros((len(actors), len(vals)))
        ok = np.ones((len(actors), len(vals)), dtype=bool)
        for n, a in enumerate(actors):
            stake = a.stakes.get(iid)
            if stake is None:
                continue
            g[n] = weights(a)[iid] * (1.0 - np.abs(vals - stake.position) / issue.span)
            if stake.red_line is not None:
                ok[n] = [not stake.red_line.crossed_by(float(v)) for v in vals]
        values.append(vals)
        labels.append(tuple(issue.describe(float(v)) for v in vals))
        gains.append(g)
        allowed.append(ok)
        hit = np.flatnonzero(np.abs(vals - issue.status_quo) < 1e-9)
        sq_index.append(int(hit[0]) if len(hit) else -1)
    sq = status_quo(scenario)
    return PackageSpace(
        issue_ids=tuple(scenario.issues),
        values=tuple(values),
        labels=tuple(labels),
        actor_ids=tuple(a.id for a in actors),
        gain=tuple(gains),
        allowed=tuple(allowed),
        reservation=np.array([utility(a, scenario.issues, sq) for a in actors]),
        capability=np.array([a.capability for a in actors]),
        status_quo=tuple(sq_index),
    )
