"""The one wording of why an actor rejects a package, for every output that says it (terminal,
report.md, report.html, charts, compare)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from model.evaluation.open_points import OpenVerdict
from model.evaluation.verdicts import Verdict
from model.scenario.types import Scenario

RED_LINE = "red line: "
RED_LINE_AT = "red line crossed on "


def worse_than_no_deal(verdict: Verdict) -> str:
    return f"worse than no deal ({verdict.utility:.2f} < {verdict.reservation:.2f})"


def crossed(scenario: Scenario, verdict: Verdict, values: bool = False) -> list[str]:
    """The issues whose red lines the package crosses, by label (with the value, if asked)."""
    out = []
    for x in verdict.violations:
        issue = scenario.issues[x.issue]
        if values:
            shown = issue.value_id(x.value) if issue.options else f"{x.value:g} {issue.unit}"
            out.append(f"{issue.label} = {shown}")
        else:
            out.append(issue.label)
    return out


def rejection_reason(scenario: Scenario, verdict: Verdict, values: bool = False) -> str:
    """Why `verdict`'s actor rejects: the red lines crossed, else worse than no deal ("" if it
    accepts). With `values`, each crossed issue also shows the package's value there."""
    if verdict.accepts:
        return ""
    if verdict.violations:
        return (RED_LINE_AT if values else RED_LINE) + "; ".join(crossed(scenario, verdict, values))
    return worse_than_no_deal(verdict)


def fitted_reason(
    scenario: Scenario, verdict: Verdict, width: int, lines: int, short: Callable[..., str]
) -> str:
    """`rejection_reason` wrapped to `lines` lines of `width` characters (a chart's cell): labels
    in full where they fit, each shortened by `short` only where they do not."""
    if not verdict.violations:
        return short(worse_than_no_deal(verdict), width, lines)
    labels = crossed(scenario, verdict)
    full = RED_LINE + "; ".join(labels)
    if len(textwrap.wrap(full, max(width, 6))) <= lines:
        return short(full, width, lines)
    return short(RED_LINE + "; ".join(short(t, 36) for t in labels), width, lines)


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
