"""The discovery's part of a run's outputs, and every rendering of a `DiscoverResult`: the
terminal text, the report section `What would have to be true`, and results.json's `discover`
key. The plain-words sentences are written here, once, from actor and issue labels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from model.discover import METHOD, Box, DiscoverResult, Finding, Indices, Input, Limit
from model.outputs.files import Extra

TOP = 10
"""Inputs listed per target in the report's Sobol tables (largest total index first)."""
NEGLIGIBLE = 0.005
"""A total Sobol index below this is left out of the report's table (and of sensitivity.png)."""


def discover_extra(result: DiscoverResult) -> Extra:
    """discover.png, sensitivity.png, the report's `## What would have to be true` section and
    results.json's `discover` key."""

    def charts(folder: Path, fmt: str) -> list[str]:
        from model.outputs.charts.discover import write_discover_charts

        return write_discover_charts(result, folder, fmt)

    return Extra("discover", discover_json(result), discover_markdown(result), charts)


# --- words --------------------------------------------------------------------------------------


def _inputs(result: DiscoverResult) -> dict[str, Input]:
    return {x.key: x for x in result.inputs}


def _subject(x: Input) -> str:
    """The input as the subject of a clause: "Russia's salience of NATO membership"."""
    owner = _owner(x.actor_name)
    if x.kind == "capability":
        return f"{owner} capability"
    what = {"salience": "salience of", "position": "position on", "red_line": "red line on"}
    return f"{owner} {what[x.kind]} {x.issue_label}"


def _owner(name: str) -> str:
    """ "Russia's", "United States'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _num(x: float) -> str:
    return f"{x:.0f}" if abs(x) >= 10 else f"{x:.2g}"


def condition(x: Input, limit: Limit) -> str:
    """One limit of a box as a clause: "NATO's salience of Ukraine's NATO membership is below
    60", "Russia's red line on Crimea does not hold"."""
    if limit.categories is not None:
        if len(limit.categories) == 1:
            return f"{_subject(x)} {limit.categories[0]}"
        return f"{_subject(x)} is {' or '.join(limit.categories)}"
    lo, hi = limit.lo if limit.lo is not None else 0.0, limit.hi if limit.hi is not None else 0.0
    if limit.low_end:
        return f"{_subject(x)} is below {_num(hi)}"
    if limit.high_end:
        return f"{_subject(x)} is above {_num(lo)}"
    return f"{_subject(x)} is between {_num(lo)} and {_num(hi)}"


def _and(parts: list[str]) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def box_sentence(result: DiscoverResult, f: Finding, box: Box) -> str:
    """'Russia accepts the 28-point plan in 85% of draws where its red line on Crimea does not
    hold and NATO's salience of membership is below 60 (62% of the draws where it does)'."""
    inputs = _inputs(result)
    words = _cap(f.words)
    if not box.limits:
        return f"{words} in {box.density:.0%} of all draws, whatever the inputs."
    where = _and([condition(inputs[lim.input], lim) for lim in box.limits])
    return (
        f"{words} in {box.density:.0%} of draws where {where} "
        f"({box.coverage:.0%} of the draws where it does fall there; {box.mass:.0%} of all draws)."
    )


def headline(f: Finding, words: bool = True) -> str:
    """How often the target holds at all (`words`: saying first what the target is)."""
    unknown = f", {f.unknown} not settled by the search" if f.unknown else ""
    share = f"in {f.held} of {f.asked} draws ({f.share:.0%}{unknown})."
    return f"{_cap(f.words)}: {share}" if words else f"Holds {share}"


def _cap(words: str) -> str:
    return words[0].upper() + words[1:]


def _never(result: DiscoverResult, f: Finding) -> str:
    """Why a target has no box: it always holds, never does (and, for an acceptance, which of
    its two conditions never held), or PRIM found no limit."""
    if f.held == f.asked:
        return "It always does within the spreads drawn: nothing here closes it."
    if f.held:
        return "PRIM finds no box of a few inputs in which it holds more often than overall."
    out = "It never does within the spreads drawn: no box of these inputs opens it."
    if f.clear is None or f.worth is None:
        return out
    sc = result.scenario
    actor = sc.actors[f.target.actor or ""].name
    lines = _and([sc.issues[iid].label for iid in f.crossed])
    red = "red line" + "s" * (len(f.crossed) != 1)
    if f.crossed and not f.clear:
        varied = {
            x.issue for x in result.inputs if x.kind == "red_line" and x.actor == f.target.actor
        }
        out += f" As written it crosses {_owner(actor)} {red} on {lines}"
        if not varied & set(f.crossed):
            out += (
                ", which hold in every draw."
                if len(f.crossed) > 1
                else ", which holds in every draw."
            )
        elif len(f.crossed) > 1:
            out += ": all would have to give way at once, and in no draw did they."
        else:
            out += ": it would have to give way, and in no draw did it."
    elif f.crossed:
        gives = "give way" if len(f.crossed) > 1 else "gives way"
        out += f" Its {red} on {lines} {gives} in {f.clear} of {f.asked} draws."
    if not f.worth:
        out += (
            f" {_owner(actor)} utility of it stays below no deal's in every draw, so it would "
            f"{'also ' * bool(f.crossed)}take saliences or ideals beyond their drawn spreads."
        )
    elif f.crossed:
        out += f" Its utility reaches no deal's in {f.worth / f.asked:.0%} of draws."
    return out


def _ranked(f: Finding) -> list[Indices]:
    return sorted(f.indices or (), key=lambda s: (-s.total, s.input))


def discover_text(result: DiscoverResult, top: int = 5) -> str:
    """The terminal summary: per target, how often it holds, its boxes, its top inputs."""
    sc, inputs = result.scenario, _inputs(result)
    lines = [
        f"{sc.title}: what would have to be true ({result.n} base draws, {result.rows} "
        f"rows over {len(result.inputs)} inputs, seed {result.seed})"
    ]
    for f in result.findings:
        lines += ["", headline(f)]
        lines += [f"  - {box_sentence(result, f, b)}" for b in f.boxes] or [
            f"  {_never(result, f)}"
        ]
        if f.indices:
            ranked = ", ".join(
                f"{inputs[s.input].label} {s.first:.2f}/{s.total:.2f}" for s in _ranked(f)[:top]
            )
            lines.append(f"  Sobol first-order/total: {ranked}")
    return "\n".join(lines)


def discover_markdown(result: DiscoverResult, top: int = TOP) -> str:
    """The report section `## What would have to be true`."""
    inputs = _inputs(result)
    out = [
        "## What would have to be true",
        "",
        f"A Saltelli design of {result.n} base draws ({result.rows} rows) over "
        f"{len(result.inputs)} uncertain inputs (seed {result.seed}), drawn from the same "
        "spreads as the sweep. Boxes: PRIM on the design's "
        f"{2 * result.n} quasi-random rows, the widest box in which the target holds in at "
        "least 80% of draws, with at most three inputs limited (discover.png). "
        f"{METHOD}, with 95% bootstrap intervals (sensitivity.png): each a share of the "
        "target's variance, so between 0 and 1, and an estimate outside them is sampling "
        "error, as wide as its interval. A red line that may or may not hold is a category "
        "for PRIM and a threshold on a uniform for Sobol.",
    ]
    for f in result.findings:
        out += ["", f"### {_md(_cap(f.words))}", "", _md(headline(f, words=False)), ""]
        out += [f"- {_md(box_sentence(result, f, b))}" for b in f.boxes] or [_md(_never(result, f))]
        if f.indices:
            ranked = _ranked(f)
            shown = [s for s in ranked if s.total >= NEGLIGIBLE][:top] or ranked[:1]
            out += [
                "",
                "| input | first order (95%) | total (95%) |",
                "|---|---|---|",
                *(
                    f"| {_md(inputs[s.input].label)} | {s.first:.2f} ± {s.first_conf:.2f} | "
                    f"{s.total:.2f} ± {s.total_conf:.2f} |"
                    for s in shown
                ),
                "",
                f"The other {len(ranked) - len(shown)} inputs: total index below {NEGLIGIBLE} "
                "or past the first ten (all in results.json).",
            ]
        elif f.why_no_indices and f.held not in (0, f.asked):
            out += ["", f"No Sobol indices: {_md(f.why_no_indices)}."]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


# --- data ---------------------------------------------------------------------------------------


def discover_json(result: DiscoverResult) -> dict[str, Any]:
    """results.json's `discover` key: plain data; the same scenario, draws and seed give the same
    dict, whatever the engine."""
    return {
        "design": {
            "method": "Saltelli (SALib Sobol sequence, first-order and total)",
            "base_draws": result.n,
            "rows": result.rows,
            "seed": result.seed,
            "dynamics": result.dynamics,
        },
        "inputs": [
            {"key": x.key, "kind": x.kind, "actor": x.actor, "issue": x.issue, "label": x.label}
            for x in result.inputs
        ],
        "sobol_method": METHOD,
        "targets": [_finding_json(result, f) for f in result.findings],
    }


def _finding_json(result: DiscoverResult, f: Finding) -> dict[str, Any]:
    t = f.target
    return {
        "target": t.key,
        "kind": t.kind,
        "proposal": t.proposal,
        "actor": t.actor,
        "words": f.words,
        "draws": f.asked,
        "holds": f.held,
        "share": _r(f.share),
        "unknown": f.unknown,
        "crossed_as_written": list(f.crossed),
        "no_red_line_crossed": f.clear,
        "utility_reaches_no_deal": f.worth,
        "boxes": [
            {
                "words": box_sentence(result, f, b),
                "coverage": _r(b.coverage),
                "density": _r(b.density),
                "mass": _r(b.mass),
                "limits": [_limit_json(lim) for lim in b.limits],
                "trajectory": [
                    {"coverage": _r(s.coverage), "density": _r(s.density), "limited": s.limited}
                    for s in b.trajectory
                ],
                "chosen": b.chosen,
            }
            for b in f.boxes
        ],
        "sobol": [
            {
                "input": s.input,
                "first": _r(s.first),
                "first_conf": _r(s.first_conf),
                "total": _r(s.total),
                "total_conf": _r(s.total_conf),
            }
            for s in _ranked(f)
        ]
        if f.indices
        else None,
        "no_sobol": f.why_no_indices,
    }


def _limit_json(lim: Limit) -> dict[str, Any]:
    if lim.categories is not None:
        return {"input": lim.input, "categories": list(lim.categories)}
    return {
        "input": lim.input,
        "lo": None if lim.low_end or lim.lo is None else _r(lim.lo),
        "hi": None if lim.high_end or lim.hi is None else _r(lim.hi),
    }


def _r(x: float) -> float:
    return round(float(x), 6)
