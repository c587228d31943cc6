"""report.md and the terminal summary: the verdicts in words, each red line with its quote."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from model.evaluation.reasons import rejection_reason
from model.evaluation.explain import explain, render
from model.results import Results
from model.scenario.types import Source, quoted


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


def _short_name(actor) -> str:
    return actor.name if len(actor.name) <= 14 else actor.id


def _cite(source: Source) -> str:
    if source.doc is not None:
        return f"> {quoted(source.quote)}\n>\n> — `seeds/{source.doc}`"
    note = f" — {source.note}" if source.note else ""
    return f"> <{source.url}>{note}"


def report_markdown(results: Results, charts: list[str], sections: Sequence[str] = ()) -> str:
    """The report: summary, charts, red lines crossed with quotes, explanations, forecast,
    then `sections` (the search's and the sweep's), then provision by provision."""
    sc = results.scenario
    actors = list(sc.actors.values())
    out = [f"# {sc.title}", ""]
    if sc.description:
        out += [sc.description.strip(), ""]
    out += [
        f"Scenario `{sc.name}`, seed {results.seed}, dynamics `{sc.model.dynamics}`: "
        f"{results.rounds} rounds ({'converged' if results.converged else 'round limit'}).",
        "",
        "## Summary",
        "",
        "Each cell: the verdict and the actor's utility (0 = worst, 1 = its ideal package). "
        "An actor accepts iff no provision crosses one of its red lines and the package is worth "
        "at least no deal (the status quo).",
        "",
        "| proposal | " + " | ".join(a.name for a in actors) + " |",
        "|---|" + "---|" * len(actors),
    ]
    for _, label, verdicts in results.columns():
        cells = []
        for a in actors:
            v = verdicts[a.id]
            mark = "accepts" if v.accepts else f"**rejects** ({rejection_reason(results.scenario, v)})"
            cells.append(f"{mark} {v.utility:.2f}")
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    out.append(
        "| *no deal (reservation)* | "
        + " | ".join(f"{results.reservation(a.id):.2f}" for a in actors)
        + " |"
    )
    out.append("")
    if charts:
        out += ["## Charts", ""] + [f"![{c}]({c})" for c in charts] + [""]
    out += ["## Red lines crossed, with their sources", ""]
    for _, label, verdicts in results.columns():
        crossed = [(a, x) for a in actors for x in verdicts[a.id].violations]
        out.append(f"### {label}")
        out.append("")
        if not crossed:
            out += ["No red line is crossed.", ""]
            continue
        for a, x in crossed:
            issue = sc.issues[x.issue]
            out.append(
                f"- **{a.name}** — *{issue.label}*: the proposal's "
                f"{quoted(issue.describe(x.value))} crosses its red line ({x.red_line.text})."
            )
            out.append("")
            for s in x.red_line.sources:
                out += ["  " + line for line in _cite(s).splitlines()] + [""]
    out += ["## Why: each actor on each proposal", ""]
    out += [
        "Each part is the actor's salience share of the issue times the provision's closeness "
        "to its ideal; the parts add up to the utility.",
        "",
    ]
    for proposal in [*sc.proposals.values(), results.forecast]:
        for a in actors:
            text = render(sc, proposal, explain(sc, a.id, proposal))
            out += ["```", text, "```", ""]
    out += ["## The forecast", "", results.forecast.description or "", ""]
    out += ["| issue | status quo | forecast |", "|---|---|---|"]
    for iid, issue in sc.issues.items():
        f = results.forecast.provisions[iid].value
        out.append(f"| {issue.label} | {issue.describe(issue.status_quo)} | {issue.describe(f)} |")
    out.append("")
    for section in sections:
        out += [section.strip(), ""]
    out += ["## Provision by provision", ""]
    for pid, proposal in sc.proposals.items():
        if not proposal.provisions:
            continue
        out += [
            f"### {proposal.label}",
            "",
            "| issue | provision | " + " | ".join(a.name for a in actors) + " |",
            "|---|---|" + "---|" * len(actors),
        ]
        for iid, row in results.impacts[pid].items():
            issue = sc.issues[iid]
            cells = []
            for a in actors:
                im = row.get(a.id)
                if im is None:
                    cells.append("—")
                else:
                    word = {
                        "ideal": "ideal",
                        "below_ideal": "below ideal",
                        "red_line": "**red line**",
                    }[im.status]
                    cells.append(f"{word} ({im.versus_status_quo:+.2f} vs no deal)")
            value = issue.describe(proposal.provisions[iid].value)
            if proposal.provisions[iid].open:
                value += " (left open)"
            out.append(f"| {issue.label} | {value} | " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def rounds_csv(results: Results) -> str:
    """The data collector's table in long form: round, issue, series (actor or statistic), value.

    Values are written in full: fixed-point with at least 6 decimals and as many more as it takes
    to read back the same float (100.000000, 7.389955686853766), never an exponent.
    """
    from numpy import format_float_positional

    def num(x: float) -> str:
        return format_float_positional(float(x), unique=True, min_digits=6)

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["round", "issue", "series", "value"])
    for rec in results.history:
        for iid in results.scenario.issues:
            for aid, x in rec.positions[iid].items():
                writer.writerow([rec.round, iid, aid, num(x)])
            writer.writerow([rec.round, iid, "weighted_mean", num(rec.mean[iid])])
            writer.writerow([rec.round, iid, "weighted_median", num(rec.median[iid])])
            writer.writerow([rec.round, iid, "nash_bargaining", num(rec.nbs[iid])])
    return buf.getvalue()
