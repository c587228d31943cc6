"""Why an actor accepts or rejects a proposal, provision by provision.

The utility is a sum of per-issue terms (weight x closeness), so listing the terms explains the
number exactly: they add up to the utility that decides the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.evaluation.reasons import rejection_reason
from model.evaluation.verdicts import Verdict, closeness, verdict, weights
from model.scenario.types import Proposal, Scenario, Source


@dataclass(frozen=True)
class Term:
    """One issue's part in an actor's verdict on a proposal."""

    issue: str
    value: float
    ideal: float
    weight: float  # the actor's salience share of this issue
    closeness: float
    contribution: float  # weight x closeness: the terms add up to the utility
    status_quo_contribution: float
    crosses: bool
    red_line: str
    sources: tuple[Source, ...]
    waived: tuple[str, ...] = ()  # conditions met that waive a red line the value would cross
    unmet: tuple[str, ...] = ()  # conditions of that red line the package does not meet


@dataclass(frozen=True)
class Explanation:
    actor: str
    proposal: str
    terms: tuple[Term, ...]
    verdict: Verdict


def explain(scenario: Scenario, actor_id: str, proposal: Proposal) -> Explanation:
    actor = scenario.actors[actor_id]
    package = proposal.package(scenario.issues)
    w = weights(actor)
    terms = []
    for iid, stake in actor.stakes.items():
        issue = scenario.issues[iid]
        c = closeness(issue, package[iid], stake.position)
        c_sq = closeness(issue, issue.status_quo, stake.position)
        rl = stake.red_line
        conditional = rl is not None and rl.unless and rl.crossed_by(package[iid])
        met = [c for c in rl.unless if c.met_by(package[c.issue])] if conditional else []
        unmet = [c for c in rl.unless if not c.met_by(package[c.issue])] if conditional else []
        terms.append(
            Term(
                issue=iid,
                value=package[iid],
                ideal=stake.position,
                weight=w[iid],
                closeness=c,
                contribution=w[iid] * c,
                status_quo_contribution=w[iid] * c_sq,
                crosses=bool(rl and rl.crossed_in(package, iid)),
                red_line=rl.text if rl else "",
                sources=(rl.sources if rl else ()) + stake.sources,
                waived=tuple(c.text for c in met) if not unmet else (),
                unmet=tuple(c.text for c in unmet),
            )
        )
    return Explanation(
        actor_id, proposal.id, tuple(terms), verdict(scenario, actor, package, proposal.id)
    )


def render(scenario: Scenario, proposal: Proposal, ex: Explanation) -> str:
    """Plain text for the terminal; the same lines go into report.md."""
    actor = scenario.actors[ex.actor]
    v = ex.verdict
    lines = [f"{actor.name} on {proposal.label}", ""]
    if scenario.as_of:
        lines[-1:] = [f"(the stances and status quo in force on {scenario.as_of})", ""]
    head = f"  {'issue':<28}{'provision':<28}{'ideal':<24}{'weight':>7}{'close':>7}{'= part':>8}  "
    lines.append(head + "red line")
    for t in ex.terms:
        issue = scenario.issues[t.issue]
        mark = "CROSSED: " if t.crosses else ""
        lines.append(
            f"  {_cut(issue.label, 27):<28}{_cut(issue.describe(t.value), 27):<28}"
            f"{_cut(issue.describe(t.ideal), 23):<24}{t.weight:>7.3f}{t.closeness:>7.3f}"
            f"{t.contribution:>8.3f}  {mark}{t.red_line or '-'}"
        )
    total = sum(t.contribution for t in ex.terms)
    lines += [
        f"  {'utility (sum of parts)':<94}{total:>8.3f}",
        f"  {'no deal (status quo) is worth':<94}{v.reservation:>8.3f}",
        "",
    ]
    if v.accepts:
        lines.append(
            f"Verdict: {actor.name} ACCEPTS: no red line crossed and "
            f"{v.utility:.3f} >= {v.reservation:.3f}."
        )
    else:
        why = rejection_reason(scenario, v, digits=3)
        lines.append(f"Verdict: {actor.name} REJECTS: {why}.")
    for t in ex.terms:
        label = scenario.issues[t.issue].label
        if t.waived:
            lines.append(
                f"Red line on {label} waived: the package meets its condition(s): "
                + "; ".join(t.waived)
                + "."
            )
        elif t.unmet:
            lines.append(
                f"Red line on {label} holds: the package does not meet its condition(s): "
                + "; ".join(t.unmet)
                + "."
            )
    crossed = [t for t in ex.terms if t.crosses]
    if crossed:
        lines += ["", "Sources of the red lines crossed:"]
        for t in crossed:
            rl = actor.stakes[t.issue].red_line
            for s in rl.sources if rl else ():
                lines.append(f"  [{scenario.issues[t.issue].label}] {s.cite()}")
    return "\n".join(lines)


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"
