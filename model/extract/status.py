"""Setting each finding against the scenario's current coding, with a snippet to paste.

`cited`: a source of the scenario already quotes the sentence. `supports`: new evidence for the
coding. `contradicts`: an acceptance of a value the actor's red line rejects, a refusal of a value
it accepts, a demand far from its coded ideal, a concession past its red line. `new`: nothing is
coded to set it against (no stake on the issue, a refusal where no red line is coded, a stance on
a whole text).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import yaml

from model.extract.find import Finding
from model.scenario.seeds import normalise
from model.scenario.types import Issue, Scenario, Stake

FAR = 0.25  # a demand further than this share of the issue's span from the coded ideal


def _cited(scenario: Scenario) -> list[str]:
    return [normalise(s.quote) for s in scenario.sources() if s.doc and s.quote]


def _number(issue: Issue, value: str | float) -> float | None:
    if isinstance(value, str):
        return next((o.value for o in issue.options if o.id == value), None)
    return float(value)


def judge(finding: Finding, scenario: Scenario) -> tuple[str, str]:
    """The status and why, against the latest coding (a scenario's stake fields)."""
    actor = scenario.actors[finding.actor]
    if finding.issue is None:
        return "new", "a stance on a whole text: set it beside the proposals' record"
    issue = scenario.issues[finding.issue]
    stake = actor.stakes.get(finding.issue)
    if stake is None:
        return "new", f"{actor.name} has no stake coded on {finding.issue}"
    value = None if finding.value is None else _number(issue, finding.value)
    line = stake.red_line
    said = issue.describe(value) if value is not None else ""
    if finding.kind == "refusal":
        if value is None:
            if line is None:
                return "new", "a refusal, and no red line is coded: a candidate red line"
            return "supports", f"a refusal; the coded red line: {line.text}"
        if line is not None and line.crossed_by(value):
            return "supports", f"refuses {said!r}, which the coded red line rejects"
        return "contradicts", f"refuses {said!r}, which the coding accepts"
    if value is not None and line is not None and line.crossed_by(value):
        verb = {"acceptance": "accepts", "concession": "concedes", "demand": "demands"}
        return "contradicts", f"{verb[finding.kind]} {said!r}, which its red line rejects"
    if finding.kind == "demand" and value is not None:
        if abs(value - stake.position) > FAR * issue.span:
            ideal = issue.describe(stake.position)
            return "contradicts", f"demands {said!r}, far from the coded ideal {ideal!r}"
        return "supports", f"demands {said!r}, near the coded ideal"
    return "supports", f"{finding.kind} on an issue it has a stake in"


def _source(finding: Finding) -> dict[str, str]:
    return {"doc": Path(finding.doc).name, "quote": finding.quote}


def _entry(finding: Finding, status: str, issue: Issue | None, stake: Stake | None) -> dict:
    """What to paste under the actor: a source for its stake, a candidate red line, or an ideal."""
    src = _source(finding)
    if issue is None:
        return {"sources": [src]}
    entry: dict = {}
    value = finding.value
    if finding.kind == "refusal" and status in ("contradicts", "new"):
        if isinstance(value, str):
            entry["red_line"] = {"rejects": [value], "sources": [src]}
        elif value is not None and stake is not None:
            # a number: the bound on the far side of the ideal (the refused value itself is
            # the bound, so move it past the value: a person's judgement)
            bound = "at_least" if value < stake.position else "at_most"
            entry["red_line"] = {bound: value, "note": "refuses this value: set the bound past it",
                                 "sources": [src]}  # fmt: skip
        else:
            entry["red_line"] = {"note": "write at_least, at_most or rejects", "sources": [src]}
    elif finding.kind == "demand" and value is not None and status in ("contradicts", "new"):
        entry["position"] = value
        entry["sources"] = [src]
        if stake is None:
            entry["salience"] = 50
    else:
        entry["sources"] = [src]
    return {"stakes": {issue.id: entry}}


def snippet(finding: Finding, status: str, scenario: Scenario) -> str:
    """Ready-to-paste YAML: under `actors:` in the actor's file (a comment says where the
    document must be for `sim validate` to find the quote)."""
    issue = scenario.issues.get(finding.issue) if finding.issue else None
    stake = scenario.actors[finding.actor].stakes.get(finding.issue) if finding.issue else None
    body = {finding.actor: _entry(finding, status, issue, stake)}
    text = yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=10_000)
    doc = Path(finding.doc)
    where = "under actors: in the actor's file"
    if doc.parent.name != "seeds":
        where += f"; copy {finding.doc} into seeds/ as {doc.name} for sim validate to find it"
    return f"# {where}\n{text}"


def set_against(findings: list[Finding], scenario: Scenario) -> list[Finding]:
    """Each finding with its status, the reason and a snippet (none for a cited one)."""
    cited = _cited(scenario)
    out = []
    for f in findings:
        quote = normalise(f.quote)
        if any(quote in c or c in quote for c in cited):
            out.append(replace(f, status="cited", reason="the scenario already quotes it"))
            continue
        status, reason = judge(f, scenario)
        out.append(replace(f, status=status, reason=reason, snippet=snippet(f, status, scenario)))
    return out
