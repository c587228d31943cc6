"""The one wording of why an actor rejects a package, for every output that says it (terminal,
report.md, report.html, charts, compare)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from model.evaluation.open_points import OpenVerdict
from model.evaluation.verdicts import TOLERANCE, Verdict
from model.scenario.types import Proposal, Scenario, quoted

RED_LINE = "red line: "
RED_LINE_AT = "red line crossed on "


AND_WORSE = "; and "


def below_no_deal(verdict: Verdict) -> bool:
    """Whether the package is worth less than no deal (a reason to reject on its own)."""
    return verdict.utility < verdict.reservation - TOLERANCE


def worse_than_no_deal(verdict: Verdict, digits: int = 2) -> str:
    u, r = verdict.utility, verdict.reservation
    return f"worse than no deal ({u:.{digits}f} < {r:.{digits}f})"


def crossed(scenario: Scenario, verdict: Verdict, values: bool = False) -> list[str]:
    """The issues whose red lines the package crosses, by label (with the value's label, quoted
    as labels may hold semicolons, if asked: readers see labels; ids are for what users type)."""
    out = []
    for x in verdict.violations:
        issue = scenario.issues[x.issue]
        out.append(f"{issue.label} = {quoted(issue.describe(x.value))}" if values else issue.label)
    return out


def rejection_reason(
    scenario: Scenario, verdict: Verdict, values: bool = False, digits: int = 2
) -> str:
    """Why `verdict`'s actor rejects, every reason that holds: the red lines crossed, and that
    the package is worse than no deal when it is ("" if it accepts). With `values`, each crossed
    issue also shows the package's value there."""
    if verdict.accepts:
        return ""
    parts = []
    if verdict.violations:
        parts.append(
            (RED_LINE_AT if values else RED_LINE) + "; ".join(crossed(scenario, verdict, values))
        )
    if below_no_deal(verdict) or not parts:
        parts.append(worse_than_no_deal(verdict, digits))
    return AND_WORSE.join(parts)


def fitted_reason(
    scenario: Scenario, verdict: Verdict, width: int, lines: int, short: Callable[..., str]
) -> str:
    """`rejection_reason` wrapped to `lines` lines of `width` characters (a chart's cell): labels
    in full where they fit, each shortened by `short` only where they do not; the comparison
    with no deal, when it is a reason too, always in full."""
    worse = [worse_than_no_deal(verdict)] if below_no_deal(verdict) else []
    if not verdict.violations:
        return short(worse_than_no_deal(verdict), width, lines)
    labels = crossed(scenario, verdict)
    full = AND_WORSE.join([RED_LINE + "; ".join(labels), *worse])
    if len(textwrap.wrap(full, max(width, 6))) <= lines:
        return short(full, width, lines)
    cut = RED_LINE + "; ".join(short(t, 36) for t in labels)
    return short(AND_WORSE.join([cut, *worse]), width, lines)


def no_deal_note(rejects: str = "rejects") -> str:
    """What rejecting no deal means, said where a reader first meets it (`rejects`: the word the
    output uses for a rejection)."""
    return (
        f"An actor {rejects} no deal when the status quo itself crosses its red lines: for it "
        "the war goes on."
    )


def is_no_deal(scenario: Scenario, proposal: Proposal) -> bool:
    """Whether the text changes nothing: its package is the status quo."""
    package = proposal.package(scenario.issues)
    return all(abs(v - scenario.issues[i].status_quo) <= TOLERANCE for i, v in package.items())


HOWEVER = "however the open points are settled"


def settlement_words(scenario: Scenario, values: dict[str, float]) -> str:
    return "; ".join(
        f"{scenario.issues[i].label} = {scenario.issues[i].describe(v)}" for i, v in values.items()
    )


def open_reason(scenario: Scenario, ov: OpenVerdict, verdict: Verdict) -> str:
    """The three-way verdict on a text with open points, in words: the settlement that would win
    the actor (only the points it needs away from the status quo) and the one change that would
    lose it; or why it rejects however they are settled."""
    if ov.verdict == "depends":
        assert ov.winning is not None and ov.losing is not None
        moved = {
            i: v for i, v in ov.winning.items() if abs(v - scenario.issues[i].status_quo) > 1e-9
        }
        flip = {i: v for i, v in ov.losing.items() if abs(v - ov.winning[i]) > 1e-9}
        win = f"if {settlement_words(scenario, moved)}" if moved else "at the status quo"
        lose = f"if instead {settlement_words(scenario, flip)}" if flip else "otherwise"
        return f"depends on the open points: accepts {win}; rejects {lose}"
    if ov.verdict == "rejects":
        fixed = [x for x in verdict.violations if x.issue not in ov.open_issues]
        if fixed:
            labels = "; ".join(scenario.issues[x.issue].label for x in fixed)
            lines = "its red line on" if len(fixed) == 1 else "its red lines on"
            return f"{HOWEVER}: the text crosses {lines} {labels}"
        return f"{HOWEVER}: no settlement clears its red lines and beats no deal"
    return HOWEVER
