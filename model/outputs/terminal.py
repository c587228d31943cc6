"""The run's summary as a user reads it in the terminal."""

from __future__ import annotations

from model.evaluation.reasons import no_deal_note, open_reason, rejection_reason
from model.results import Results
from model.scenario.types import MODIFIED, Actor


def summary(results: Results) -> str:
    """The table a user reads in the terminal: proposals x actors, then why each rejection."""
    sc = results.scenario
    actors = list(sc.actors.values())
    cols = results.columns()
    width = max(len(label) for _, label, _ in cols) + 2
    width = min(width, 46)
    head = "proposal".ljust(width) + "".join(_short_name(a).ljust(16) for a in actors)
    lines = [f"{sc.title}  (seed {results.seed})"]
    if sc.as_of:
        lines.append(
            f"Each dated text judged on the stances of its date; the rest on those of {sc.as_of}."
        )
    lines += ["", head, "-" * len(head)]
    words = {"accepts": "accepts", "rejects": "REJECTS", "depends": "DEPENDS"}
    for pid, label, verdicts in cols:
        cells = "".join(
            f"{words[results.verdict_word(pid, a.id)]} {verdicts[a.id].utility:.2f}".ljust(16)
            for a in actors
        )
        short = _fit(label, width - 1)
        lines.append(short.ljust(width) + cells)
    lines.append("")
    lines.append(
        "utility 0..1 (1 = the actor's ideal); no deal = "
        + ", ".join(f"{a.name} {results.reservation(a.id):.2f}" for a in actors)
    )
    if results.no_deal_rejected():
        lines.append(no_deal_note("REJECTS"))
    reasons = []
    for pid, label, verdicts in cols:
        for a in actors:
            v = verdicts[a.id]
            ov = results.open_verdicts.get(pid, {}).get(a.id)
            if ov is not None and ov.verdict != "accepts":
                reasons.append(f"  {label} / {a.name}: {open_reason(results.on(pid), ov, v)}")
            elif ov is None and not v.accepts:
                why = rejection_reason(results.on(pid), v, values=True)
                reasons.append(f"  {label} / {a.name}: {why}")
    if results.open_verdicts:
        lines.append(
            "A text with open points: accepts / REJECTS however they are settled, or DEPENDS on "
            "how; its utility reads them at the status quo."
        )
    if reasons:
        lines += [
            "Why rejected (`sim explain` and report.md give the red lines and sources):",
            *reasons,
        ]
    state = "converged" if results.converged else "stopped at the round limit"
    lines += ["", f"Dynamics: {results.rounds} rounds ({state})."]
    return "\n".join(lines)


def _fit(label: str, n: int) -> str:
    """`label` cut to `n` characters (when it has `n` or more), keeping the mark of an edited
    text, which tells it apart from the text it edits."""
    if len(label) < n:
        return label
    base, mark, rest = label.partition(MODIFIED)
    tail = mark + rest if mark and len(mark + rest) < n - 8 else ""
    return base[: n - 3 - len(tail)] + "..." + tail


def _short_name(actor: Actor) -> str:
    return actor.name if len(actor.name) <= 14 else actor.id
