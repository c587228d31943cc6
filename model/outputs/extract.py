"""`sim extract`'s report: text grouped by actor and issue (contradictions first), JSON, or the
YAML snippets alone; and the one file `--out` writes, through the atomic writer."""

from __future__ import annotations

import json
from pathlib import Path

from model.extract.find import Finding
from model.outputs.files import write_atomically
from model.scenario.types import Scenario

NONE_FOUND = "no positions found"
ORDER = {"contradicts": 0, "new": 1, "supports": 2, "cited": 3}


def _value(f: Finding, scenario: Scenario) -> str:
    if f.value is None or f.issue is None:
        return ""
    issue = scenario.issues[f.issue]
    if isinstance(f.value, str):
        label = next((o.label for o in issue.options if o.id == f.value), f.value)
        return f" = {f.value} ({label})"
    return f" = {f.value:g} {issue.unit or ''}".rstrip()


def render_text(findings: list[Finding], scenario: Scenario) -> str:
    if not findings:
        return NONE_FOUND
    lines = []
    counts = {s: sum(f.status == s for f in findings) for s in ORDER}
    lines.append(
        f"{len(findings)} findings: "
        + ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        + f" (against {scenario.path or scenario.name})"
    )

    def key(f: Finding) -> tuple:
        return (ORDER[f.status], f.actor, f.issue or "", f.doc)

    group = None
    for f in sorted(findings, key=key):
        if (f.status, f.actor, f.issue) != group:
            group = (f.status, f.actor, f.issue)
            name = scenario.actors[f.actor].name
            on = scenario.issues[f.issue].label if f.issue else "a whole text"
            lines += ["", f"{f.status.upper()}: {name} on {on}"]
        lines.append(
            f"  - {f.kind}{_value(f, scenario)} [{f.confidence:.2f}; cue {f.cue!r}; "
            f"speaker {f.speaker}]"
        )
        lines.append(f"    {f.doc}: {f.quote}")
        if f.reason:
            lines.append(f"    why: {f.reason}")
        if f.snippet:
            lines += ["    " + row for row in f.snippet.rstrip().splitlines()]
    return "\n".join(lines)


def render_json(findings: list[Finding]) -> str:
    rows = [f.to_dict() | {"speaker": f.speaker, "reason": f.reason} for f in findings]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def render_yaml(findings: list[Finding]) -> str:
    if not findings:
        return f"# {NONE_FOUND}\n"
    out = []
    for f in sorted(findings, key=lambda f: (ORDER[f.status], f.actor, f.issue or "")):
        if not f.snippet:
            continue
        out.append(f"# {f.status}: {f.actor} {f.kind} on {f.issue or 'a whole text'} "
                   f"({f.reason})\n{f.snippet}")  # fmt: skip
    return "\n".join(out) if out else "# every finding is already cited\n"


def render(findings: list[Finding], scenario: Scenario, fmt: str) -> str:
    if fmt == "json":
        return render_json(findings)
    if fmt == "yaml":
        return render_yaml(findings)
    return render_text(findings, scenario) + "\n"


def write_extract(text: str, out: str | Path, force: bool = False) -> list[str]:
    """Write the report to the file `out` (atomically; a file the tool did not write is not
    replaced without `force`)."""
    out = Path(out)

    def build(tmp: Path) -> list[str]:
        (tmp / out.name).write_text(text, encoding="utf-8")
        return [out.name]

    return write_atomically(out.parent, build, force=force)
