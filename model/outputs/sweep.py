"""The sweep's part of a run's outputs, and every rendering of a `SweepResult`: the terminal
table, the report section, sweep.csv and the JSON under results.json's `sweep` key."""

from __future__ import annotations

import csv
import io
import textwrap
from pathlib import Path
from typing import Any

from model.outputs.files import Extra
from model.scenario.types import Issue, Scenario
from model.sweep.draws import varied
from model.sweep.result import ForecastSweep, Landing, SweepResult
from model.sweep.statistics import Acceptance, Swing


def sweep_extra(result: SweepResult) -> Extra:
    """The sweep's part of a run's outputs: sweep.csv, the sweep and tornado charts, the
    `## How sure` section of the report and results.json's `sweep` key."""

    def charts(folder: Path, fmt: str) -> list[str]:
        from model.outputs.charts.sweep import write_sweep_charts

        return write_sweep_charts(result, folder, fmt)

    files = {"sweep.csv": sweep_csv(result)}
    return Extra("sweep", sweep_json(result), sweep_markdown(result), charts, files)


# --- data ---------------------------------------------------------------------------------------


def sweep_json(result: SweepResult) -> dict[str, Any]:
    """sweep.json: plain data; the same scenario, draws and seed give the same dict."""
    sc = result.scenario
    out: dict[str, Any] = {
        "scenario": {"name": sc.name, "title": sc.title},
        "draws": result.draws,
        "seed": result.seed,
        "dynamics": result.dynamics,
        "varied": varied(sc, result.dynamics),
        "proposals": {
            pid: {
                "label": p.label,
                "actors": {
                    x.actor: _acceptance_json(x) for x in result.acceptance if x.proposal == pid
                },
            }
            for pid, p in sc.proposals.items()
        },
    }
    if result.forecast is not None:
        out["forecast"] = _forecast_json(sc, result.forecast)
    out["sensitivity"] = [_swing_json(s) for s in result.sensitivity]
    return out


def sweep_csv(result: SweepResult) -> str:
    """sweep.csv: one row per proposal x actor (then the forecast's, with dynamics)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["proposal", "actor", "p_accept", "ci_lo", "ci_hi", "point_accepts"])
    for x in result.all_acceptance():
        w.writerow([x.proposal, x.actor, _r(x.p), _r(x.ci[0]), _r(x.ci[1]), str(x.point_accepts)])
    return buf.getvalue()


def _acceptance_json(x: Acceptance) -> dict[str, Any]:
    return {
        "p_accept": _r(x.p),
        "ci": [_r(x.ci[0]), _r(x.ci[1])],
        "point_verdict": x.point_accepts,
        "accepted": x.accepted,
    }


def _swing_json(s: Swing) -> dict[str, Any]:
    return {
        "input": {"kind": s.kind, "actor": s.actor, "issue": s.issue},
        "label": s.label,
        "proposal": s.proposal,
        "actor": s.pair_actor,
        "swing": _r(s.swing),
        "se": _r(s.se),
        "p_high": _r(s.p_high),
        "p_low": _r(s.p_low),
        "n_high": s.n_high,
        "n_low": s.n_low,
        "cut_low": None if s.cut_low is None else _r(s.cut_low),
        "cut_high": None if s.cut_high is None else _r(s.cut_high),
    }


def _forecast_json(scenario: Scenario, f: ForecastSweep) -> dict[str, Any]:
    return {
        "label": f.point_label,
        "converged": f.converged,
        "actors": {x.actor: _acceptance_json(x) for x in f.acceptance},
        "issues": {iid: _landing_json(scenario.issues[iid], o) for iid, o in f.outcomes.items()},
    }


def _landing_json(issue: Issue, o: Landing) -> dict[str, Any]:
    """Where the forecast lands on one issue, with the words the report shows for it."""
    out: dict[str, Any] = {"point": issue.value_id(o.point), "point_label": issue.describe(o.point)}
    if o.shares is not None and o.point_share is not None:
        shares = {k: _r(v) for k, v in o.shares.items()}
        out["shares"] = {k: v for k, v in shares.items() if v > 0}
        out["point_share"] = _r(o.point_share)
        top = sorted(out["shares"].items(), key=lambda kv: -kv[1])[:3]
        labels = {opt.id: opt.label for opt in issue.options}
        out["words"] = "; ".join(
            f"{_cut(labels[k], 60)} {f'{v:.0%}' if v >= 0.005 else '<1%'}" for k, v in top
        )
    elif o.quantiles is not None:
        p5, p50, p95 = o.quantiles
        out.update(p5=_r(p5), median=_r(p50), p95=_r(p95))
        out["words"] = f"median {p50:.4g} {issue.unit} (90% of draws {p5:.4g}–{p95:.4g})"
    return out


# --- words --------------------------------------------------------------------------------------


def sweep_text(result: SweepResult, top: int = 8) -> str:
    """The terminal table: P(accept) with its interval under it, then what moves it."""
    sc = result.scenario
    names = [a.name if len(a.name) <= 14 else a.id for a in sc.actors.values()]
    rows = result.rows()
    width = min(46, max(len(label) for _, label, _ in rows) + 2)
    head = "proposal".ljust(width) + "".join(n.ljust(16) for n in names)
    dyn = ", with the negotiation dynamics" if result.dynamics else ""
    lines = [
        f"{sc.title}: uncertainty sweep ({result.draws} draws, seed {result.seed}{dyn})",
        *(
            [f"each dated text on the stances of its date; the rest on those of {sc.as_of}"]
            if sc.as_of
            else []
        ),
        "",
        head,
        "-" * len(head),
    ]
    for _, label, cells in rows:
        short = label if len(label) < width - 1 else label[: width - 4] + "..."
        lines.append(
            short.ljust(width)
            + "".join(
                f"{x.p:.2f} {'accepts' if x.point_accepts else 'REJECTS'}".ljust(16) for x in cells
            )
        )
        lines.append(
            " " * width + "".join(f"[{x.ci[0]:.2f}, {x.ci[1]:.2f}]".ljust(16) for x in cells)
        )
    lines += [
        "",
        *textwrap.wrap(
            "P(accept) over the draws [95% Wilson interval]; accepts/REJECTS = the verdict on"
            " the scenario as written. " + _varied_words(sc, result.dynamics),
            100,
        ),
    ]
    moving = [s for s in result.sensitivity if s.swing != 0][:top]
    if moving:
        lines += ["", "What moves the verdicts (top vs bottom fifth of the draws):"]
        lines += [
            f"  {s.swing:+.2f} (se {s.se:.2f})  {s.label}  ->  "
            + _pair(sc, s.proposal, s.pair_actor)
            for s in moving
        ]
    else:
        lines += ["", "No uncertain input moves any verdict in these draws."]
    return "\n".join(lines)


def sweep_markdown(result: SweepResult, top: int = 10, charts: list[str] | None = None) -> str:
    """The report section `## How sure: uncertainty sweep`."""
    sc = result.scenario
    actors = list(sc.actors.values())
    out = [
        "## How sure: uncertainty sweep",
        "",
        f"{result.draws} draws (seed {result.seed}). " + _varied_words(sc, result.dynamics),
        "",
        "Each cell: the share of draws in which the actor accepts, its 95% Wilson interval,"
        " and ✓/✗ the verdict on the scenario as written.",
        "",
        "| proposal | " + " | ".join(a.name for a in actors) + " |",
        "|---|" + "---|" * len(actors),
    ]
    for _, label, cells in result.rows():
        out.append(
            f"| {_md(label)} | "
            + " | ".join(
                f"{'**' if 0 < x.accepted < x.draws else ''}{x.p:.2f}"
                f"{'**' if 0 < x.accepted < x.draws else ''}"
                f" ({x.ci[0]:.2f}–{x.ci[1]:.2f}) {'✓' if x.point_accepts else '✗'}"
                for x in cells
            )
            + " |"
        )
    flips = result.uncertain()
    pairs = len(result.all_acceptance())
    out += [
        "",
        f"{len(flips)} of {pairs} verdicts change in some draws (in bold)."
        if flips
        else "No verdict changes in any draw: the verdicts do not hinge on these guesses.",
    ]
    if result.forecast is not None:
        f = result.forecast
        out += [
            "",
            f"The negotiation ran once per draw; {f.converged} of {result.draws} runs converged"
            " before the round limit. Where the forecast lands:",
            "",
            "| issue | as written | across the draws |",
            "|---|---|---|",
        ]
        for iid, o in f.outcomes.items():
            issue = sc.issues[iid]
            words = _landing_json(issue, o)["words"]
            out.append(f"| {_md(issue.label)} | {_cut(issue.describe(o.point), 60)} | {words} |")
    moving = [s for s in result.sensitivity if s.swing != 0][:top]
    out += ["", "### What moves the verdicts", ""]
    if moving:
        out += [
            "For each uncertain input, the share of draws accepting when the input is in its"
            " top fifth minus the share when it is in its bottom fifth (a red line: when it"
            " holds minus when it does not), for the actor × proposal it moves most. A swing"
            " within about two standard errors of 0 is noise.",
            "",
            "| input | moves | swing | se | P(accept) high / low |",
            "|---|---|---|---|---|",
        ]
        out += [
            f"| {_md(s.label)} | {_md(_pair(sc, s.proposal, s.pair_actor))} | "
            f"{s.swing:+.2f} | {s.se:.2f} | {s.p_high:.2f} / {s.p_low:.2f} |"
            for s in moving
        ]
    else:
        out.append("No uncertain input moves any verdict in these draws.")
    for name in charts or []:
        out += ["", f"![{name}]({name})"]
    return "\n".join(out) + "\n"


def _pair(scenario: Scenario, proposal: str, actor: str) -> str:
    label = (
        scenario.proposals[proposal].label
        if proposal in scenario.proposals
        else "the model forecast"
    )
    return f"{scenario.actors[actor].name} on {label}"


def _varied_words(scenario: Scenario, dynamics: bool) -> str:
    """What the draws varied, in a sentence for the report and the terminal."""
    v = varied(scenario, dynamics)
    s, p, r = v["salience"], v["position"], v["red_line"]
    parts = [
        f"saliences: normal, sd {s['default_sd']:g} points, clipped to 0-100 ({s['own']} of"
        f" {s['of']} state their own spread)",
        f"ideal positions: normal, sd {p['default_sd']:g} points of a 0-100 scale, clipped to the"
        f" issue's range ({p['own']} of {p['of']} state their own)",
    ]
    if dynamics:
        c = v["capability"]
        parts.append(
            f"capabilities: normal, sd {c['default_sd']:g} x the stated value ({c['own']} of"
            f" {c['of']} state their own)"
        )
    parts.append(
        f"whether each red line holds: probability {r['default_probability']:g} ({r['own']} of"
        f" {r['of']} state their own)"
    )
    return "Each draw varies " + "; ".join(parts) + ". An sd of 0 keeps a number as written."


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _r(x: float) -> float:
    return round(float(x), 6)


def _md(text: str) -> str:
    return text.replace("|", "\\|")
