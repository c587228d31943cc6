"""The run's summary as a user reads it in the terminal."""

from __future__ import annotations

from model.evaluation.reasons import rejection_reason
from model.results import Results
from model.scenario.types import Actor


def summary(results: Results) -> str:
    """The table a user reads in the terminal: proposals x actors, then why each rejection."""
    sc = results.scenario
    actors = list(sc.actors.values())
    cols = results.columns()
    width = max(len(label) for _, label, _ in cols) + 2
    width = min(width, 46)
    head = "proposal".ljust(width) + "".join(_short_name(a).ljust(16) for a in actors)
    lines = [f"{sc.title}  (seed {results.seed})", "", head, "-" * len(head)]
    for _, label, verdicts in cols:
        cells = "".join(
            f"{'accepts' if v.accepts else 'REJECTS'} {v.utility:.2f}".ljust(16)
            for v in (verdicts[a.id] for a in actors)
        )
        short = label if len(label) < width - 1 else label[: width - 4] + "..."
        lines.append(short.ljust(width) + cells)
    lines.append("")
    lines.append(
        "utility 0..1 (1 = the actor's ideal); no deal = "
        + ", ".join(f"{a.name} {results.reservation(a.id):.2f}" for a in actors)
    )
    reasons = []
    for _, label, verdicts in cols:
        for a in actors:
            v = verdicts[a.id]
            if v.accepts:
                continue
            reasons.append(f"  {label} / {a.name}: {rejection_reason(sc, v, values=True)}")
    if reasons:
        lines += [
            "Why rejected (`sim explain` and report.md give the red lines and sources):",
            *reasons,
        ]
    state = "converged" if results.converged else "stopped at the round limit"
    lines += ["", f"Dynamics: {results.rounds} rounds ({state})."]
    return "\n".join(lines)


def _short_name(actor: Actor) -> str:
    return actor.name if len(actor.name) <= 14 else actor.id


