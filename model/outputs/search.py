"""The search's part of a run's outputs, and the renderings of a `SearchResult`: plain JSON
(search.json and results.json's `search` key), the terminal table, and the report's
`## Zone of agreement` section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from model.outputs.files import Extra, json_text
from model.scenario.types import Scenario
from model.search import proposal_points
from model.search.types import ConflictCore, Constraint, Exactness, Package, SearchResult

FRONTIER_JSON = 2_000
"""search_json lists at most this many frontier points (the count is always given)."""


UNSETTLED = (
    "Found against the clock, it may differ from run to run and machine to machine (a longer "
    "--time-limit narrows the gap); a proven answer does not."
)
"""Said of a Nash package not proven best: CP-SAT searches it with two workers until the deadline,
so which package it returns depends on the machine's speed and load."""


def search_extra(scenario: Scenario, result: SearchResult) -> Extra:
    """The search's part of a run's outputs: search.json, frontier and conflicts charts, the
    `## Zone of agreement` section of the report and results.json's `search` key."""

    def charts(folder: Path, fmt: str) -> list[str]:
        from model.outputs.charts.search import write_search_charts

        return write_search_charts(result, proposal_points(scenario), folder, fmt)

    data = search_json(result)
    return Extra("search", data, search_markdown(result), charts, {"search.json": json_text(data)})


# --- JSON ----------------------------------------------------------------------------------------


def constraint_json(c: Constraint) -> dict[str, Any]:
    """A constraint as plain data: {kind, actor, issue}."""
    return {"kind": c.kind, "actor": c.actor, "issue": c.issue}


def package_json(result: SearchResult, p: Package) -> dict[str, Any]:
    """A package as plain data: {issue: value id}, {issue: label}, utilities per actor."""
    return {
        "package": {iid: result.value_ids[i][c] for i, (iid, c) in enumerate(_ic(result, p))},
        "labels": {iid: result.labels[i][c] for i, (iid, c) in enumerate(_ic(result, p))},
        "utilities": {a: round(u, 6) for a, u in zip(result.actor_ids, p.utility, strict=True)},
        "gains": {
            a: round(u - r, 6)
            for a, u, r in zip(result.actor_ids, p.utility, result.reservation, strict=True)
        },
        "nash_log": None if p.nash_log is None else round(p.nash_log, 6),
        "packages_with_these_utilities": p.count,
    }


def _ic(result: SearchResult, p: Package) -> list[tuple[str, int]]:
    return list(zip(result.issue_ids, p.choice, strict=True))


def search_json(result: SearchResult) -> dict[str, Any]:
    """The result in plain JSON types only; deterministic. Keys: title, issues [{id, label}], actors
    [{id, name, capability, reservation}], red_lines [{actor, issue, text}], no_deal {issue: value},
    grid_steps, grid {numeric issue: [values]}, counts {packages, no_red_line_crossed,
    acceptable_to_all, pareto_frontier}, nash, best [...], compromise (packages as in
    `package_json`), binding_red_lines, frontier [{utilities, package,
    packages_with_these_utilities}] (at most FRONTIER_JSON, best first) with frontier_truncated,
    conflict_core {minimal_conflicts, complete_up_to_size, capped, constraints, extracted_by_solver
    (when some are)} or None, relaxations [{drop, acceptable, package}], logrolls, exact {counts,
    frontier, nash, conflicts, binding} (what is proved; False: bounded by the limits), bounds
    {acceptable_to_all: {low, high}, pareto_frontier_at_most and nash_log_at_most (when those are
    bounded), time_limit_s, memory_limit_mb, elapsed_s}, bounded [sentences saying what was
    bounded]."""
    m = result.frontier_size
    frontier = [
        {
            "utilities": {
                a: round(float(u), 6)
                for a, u in zip(result.actor_ids, result.frontier_utility[k], strict=True)
            },
            "package": {
                iid: result.value_ids[i][int(c)]
                for i, (iid, c) in enumerate(
                    zip(result.issue_ids, result.frontier_choice[k], strict=True)
                )
            },
            "packages_with_these_utilities": int(result.frontier_count[k]),
        }
        for k in range(min(m, FRONTIER_JSON))
    ]
    out: dict[str, Any] = {
        "title": result.title,
        **({"as_of": result.as_of} if result.as_of else {}),
        "issues": [
            {"id": i, "label": lab}
            for i, lab in zip(result.issue_ids, result.issue_labels, strict=True)
        ],
        "actors": [
            {"id": a, "name": n, "capability": c, "reservation": round(r, 6)}
            for a, n, c, r in zip(
                result.actor_ids,
                result.actor_names,
                result.capability,
                result.reservation,
                strict=True,
            )
        ],
        "red_lines": [
            {
                "actor": c.actor,
                "issue": c.issue,
                "text": result.red_line_text.get((c.actor, str(c.issue)), ""),
            }
            for c in result.red_lines
        ],
        "no_deal": None
        if min(result.status_quo, default=0) < 0
        else {
            iid: result.value_ids[i][c]
            for i, (iid, c) in enumerate(zip(result.issue_ids, result.status_quo, strict=True))
        },
        "grid_steps": result.grid_steps,
        "grid": {iid: list(v) for iid, v in result.grid.items()},
        "counts": {
            "packages": result.n_packages,
            "no_red_line_crossed": result.n_no_red_line,
            "acceptable_to_all": result.n_acceptable,
            "pareto_frontier": m,
        },
        "nash": None if result.nash is None else package_json(result, result.nash),
        "best": [package_json(result, p) for p in result.best],
        "compromise": None
        if result.compromise is None
        else package_json(result, result.compromise),
        "binding_red_lines": [
            {
                "actor": b.actor,
                "issue": b.issue,
                "value": result.value_ids[result.issue_ids.index(b.issue)][b.choice],
                "side": b.side,
                "moves_nash": b.moves_nash,
                "nash_log_without": None if b.nash_without is None else round(b.nash_without, 6),
            }
            for b in result.binding
        ],
        "frontier": frontier,
        "frontier_truncated": m > FRONTIER_JSON,
        "conflict_core": None
        if result.conflicts is None
        else {
            "minimal_conflicts": [
                [constraint_json(c) for c in s] for s in result.conflicts.minimal
            ],
            "complete_up_to_size": result.conflicts.complete_up_to,
            "capped": result.conflicts.capped,
            "constraints": result.conflicts.n_constraints,
            **(
                {
                    "extracted_by_solver": result.conflicts.extracted,
                    "not_proven_minimal": list(result.conflicts.unproven),
                }
                if result.conflicts.extracted
                else {}
            ),
        },
        "relaxations": [
            {
                "drop": [constraint_json(c) for c in r.drop],
                "acceptable": r.acceptable,
                "package": None if r.package is None else package_json(result, r.package),
            }
            for r in result.relaxations
        ],
        "logrolls": [
            {
                "reference": lr.reference,
                "a": lr.a,
                "b": lr.b,
                "a_gives": list(lr.a_gives),
                "b_gives": list(lr.b_gives),
                "changes": {
                    i: {lr.a: round(x, 6), lr.b: round(y, 6)} for i, (x, y) in lr.changes.items()
                },
                "gain_a": round(lr.gain_a, 6),
                "gain_b": round(lr.gain_b, 6),
            }
            for lr in result.logrolls
        ],
        "exact": {
            "counts": result.exact.counts,
            "frontier": result.exact.frontier,
            "nash": result.exact.nash,
            "conflicts": result.exact.conflicts,
            "binding": result.exact.binding,
        },
        "bounds": {
            "acceptable_to_all": {
                "low": result.n_acceptable,
                "high": _high(result),
            },
            **({} if result.exact.frontier else {"pareto_frontier_at_most": _high(result)}),
            **(
                {"nash_log_at_most": round(result.exact.nash_bound, 6)}
                if result.exact.nash_bound is not None
                else {}
            ),
            "time_limit_s": result.exact.time_limit,
            "memory_limit_mb": result.exact.memory_mb,
            "elapsed_s": round(result.exact.elapsed, 1),
        },
        "bounded": bounded_notes(result),
    }
    return out


def _high(result: SearchResult) -> int:
    return result.n_acceptable if result.exact.counts else result.exact.acceptable_high


def _count(n: int) -> str:
    """A count for reading: digits up to 10^15, then 3 significant figures (a bound of 10^50
    in full is 67 characters no reader uses)."""
    return f"{n:,}" if n < 10**15 else f"{n:.3g}"


def _acceptable(result: SearchResult) -> str:
    """The count of packages acceptable to all, or its bounds."""
    if result.exact.counts:
        return f"{result.n_acceptable:,}"
    return f"at least {result.n_acceptable:,}, at most {_count(_high(result))}"


def bounded_notes(result: SearchResult) -> list[str]:
    """What the search's limits left unproved, one sentence each (empty: all exact)."""
    e: Exactness = result.exact
    if e.all:
        return []
    limits = f"{e.time_limit:g} s and {e.memory_mb:g} MB" if e.time_limit else "its limits"
    out = [f"The exact search did not fit in {limits}; what follows says what was proved."]
    if not e.counts:
        out.append(
            f"Packages acceptable to all: counting stopped; at least {result.n_acceptable:,} "
            f"(found), at most {_count(_high(result))} (not ruled out). The count crossing no red "
            "line is exact."
        )
    if not e.frontier:
        out.append(
            f"Pareto frontier: a sample of {result.frontier_size:,} acceptable outcomes found by "
            "a bounded search (a solver, or a local ascent), not the whole frontier, which has "
            f"at most {_count(_high(result))} points."
        )
    if not e.nash and result.nash is not None and e.nash_bound is not None:
        nl = result.nash.nash_log or 0.0
        out.append(
            "Bargaining solution: a package acceptable to all was found, not proven optimal: "
            f"its Nash log-product is {nl:.6f}, and no package's exceeds {e.nash_bound:.6f} "
            f"(proven; a gap of {e.nash_bound - nl:.2g}). " + UNSETTLED
        )
    elif not e.nash and result.nash is not None:
        out.append(
            "Bargaining solution: a package acceptable to all was found, not proven optimal. "
            + UNSETTLED
        )
    elif not e.nash:
        out.append("Bargaining solution: the bounded search found none; one may exist.")
    if not e.binding:
        out.append(
            "Red lines the package sits on: whether each holds the bargain back was not "
            "decided for every one."
        )
    if not e.conflicts:
        out.append(
            "Conflicts: the limits stopped the search; the conflicts listed are complete only "
            "up to the size stated."
        )
    return out


# --- terminal ------------------------------------------------------------------------------------


def search_text(result: SearchResult, limit: int = 10) -> str:
    """A ranked terminal table of the best packages, then conflicts, relaxation, logrolls."""
    out = [f"Zone of agreement: {result.title}" if result.title else "Zone of agreement"]
    if result.as_of:
        out.append(f"  on the stances in force on {result.as_of}")
    out.append(
        f"  packages {_count(result.n_packages)}  no red line crossed "
        f"{_count(result.n_no_red_line)}  "
        f"acceptable to all {_acceptable(result)}  Pareto frontier {result.frontier_size:,}"
        + ("" if result.exact.frontier else " (a sample)")
    )
    notes = bounded_notes(result)
    if notes:
        out += ["", "  BOUNDED: " + notes[0], *(f"    - {x}" for x in notes[1:])]
    width = max(6, *(len(a) for a in result.actor_ids))
    head = "  rank  nash-log " + " ".join(f"{a:>{width}}" for a in result.actor_ids)
    res = "  no deal        " + " ".join(f"{r:>{width}.3f}" for r in result.reservation)
    if result.best:
        out += ["", head, res]
        for k, p in enumerate(result.best[:limit], 1):
            nl = "      -" if p.nash_log is None else f"{p.nash_log:>7.1f}"
            us = " ".join(f"{u:>{width}.3f}" for u in p.utility)
            out.append(f"  {k:>4}  {nl}  {us}")
        top = result.best[0]
        out += ["", "  Best package (1):"]
        iw = max(len(i) for i in result.issue_ids)
        for i, iid in enumerate(result.issue_ids):
            mark = "" if top.choice[i] == result.status_quo[i] else "  *"
            out.append(f"    {iid:<{iw}}  {result.labels[i][top.choice[i]]}{mark}")
        out.append("    (* differs from no deal)")
        for k, p in enumerate(result.best[1:limit], 2):
            diff = [
                f"{iid}={result.labels[i][p.choice[i]]}"
                for i, iid in enumerate(result.issue_ids)
                if p.choice[i] != top.choice[i]
            ]
            out.append(f"  ({k}) differs from (1) on: " + "; ".join(diff))
    if result.binding:
        out += ["", "  Red lines the best package sits on:"]
        for b in result.binding:
            moves = "binds (dropping it moves the deal)" if b.moves_nash else "at the edge"
            out.append(
                f"    {b.actor} on {b.issue}: {result.value_label(b.issue, b.choice)} [{moves}]"
            )
    if result.conflicts is not None:
        out += ["", "  No package is acceptable to all. Minimal conflicts:"]
        for r, s in enumerate(result.conflicts.minimal[:limit]):
            mark = " (minimality not proven)" if r in result.conflicts.unproven else ""
            out.append("    " + " + ".join(_short(c) for c in s) + mark)
        out.append(f"    ({_completeness(result.conflicts)})")
    if result.relaxations:
        out += ["", "  Smallest relaxations that open a zone of agreement:"]
        for r in result.relaxations[:limit]:
            drop = " + ".join(_short(c) for c in r.drop)
            out.append(f"    drop {drop}: {r.acceptable:,} packages acceptable")
    if result.logrolls:
        out += ["", "  Logrolls (reference -> best package):"]
        for lr in result.logrolls[:limit]:
            out.append(
                f"    [{lr.reference}] {lr.a} gives {', '.join(lr.a_gives)}; {lr.b} gives "
                f"{', '.join(lr.b_gives)}: {lr.a} {lr.gain_a:+.3f}, {lr.b} {lr.gain_b:+.3f}"
            )
    return "\n".join(out) + "\n"


# --- report --------------------------------------------------------------------------------------


def search_markdown(result: SearchResult) -> str:
    """The `## Zone of agreement` section of report.md, for readers who are not modellers."""
    n = len(result.issue_ids)
    out = ["## Zone of agreement", ""]
    out.append(
        f"A *package* is one choice on each of the {n} issues. The model scores every "
        "possible package for every party (how close it is to what the party wants, "
        "weighted by how much it cares) and asks two things: does it cross one of the "
        "party's red lines, and is it better for the party than no deal? A package is "
        "*acceptable to all* when the answer is no and yes for every party. "
        + (
            "The search below is exact: it checks every package, not a sample."
            if result.exact.all
            else "The search below ran into its time or memory limit: it says which of its "
            "answers are exact and which are only bounds."
        )
    )
    out.append("")
    grid = ""
    if result.grid:
        grid = (
            f" Numeric issues are tried on a grid of {result.grid_steps} evenly spaced "
            "values plus every value a party, red line or proposal names."
        )
    out += [
        "| | Packages |",
        "|---|---:|",
        f"| All combinations | {result.n_packages:,} |",
        f"| Crossing no party's red line | {result.n_no_red_line:,} |",
        f"| Acceptable to all | {_acceptable(result)} |",
        f"| Of these, not beaten for everyone by another (Pareto frontier) | "
        f"{result.frontier_size:,} distinct outcomes"
        + ("" if result.exact.frontier else " (a sample)")
        + " |",
        "",
    ]
    notes = bounded_notes(result)
    if notes:
        out += ["**Not exact.** " + notes[0], "", *(f"- {x}" for x in notes[1:]), ""]
    if grid:
        out += [grid.strip(), ""]
    if result.nash is not None:
        out += _md_nash(result)
    elif result.n_acceptable:
        out += [
            "Some packages are acceptable to all, but none leaves every party strictly "
            "better off than no deal, so there is no bargaining solution to single out.",
            "",
        ]
    if result.best:
        out += _md_best(result)
    if result.binding:
        out += _md_binding(result)
    if result.logrolls:
        out += _md_logrolls(result)
    if result.conflicts is not None:
        out += _md_conflicts(result)
    return "\n".join(out).rstrip() + "\n"


def _md_nash(result: SearchResult) -> list[str]:
    p = result.nash
    assert p is not None
    out = [
        "### The bargaining solution",
        "",
        "Of the packages acceptable to all, the one that maximises the product of the "
        "parties' gains over no deal, with more powerful parties counting for more (the "
        "asymmetric Nash bargaining solution), is the textbook prediction of where a "
        "bargain between these parties would land. It changes these issues from today's "
        "situation:",
        "",
        "| Issue | Today (no deal) | Bargaining solution |",
        "|---|---|---|",
    ]
    same = []
    for i in range(len(result.issue_ids)):
        sq = result.status_quo[i]
        now = result.labels[i][sq] if sq >= 0 else "(not on the grid)"
        if p.choice[i] == sq:
            same.append(result.issue_labels[i])
            continue
        out.append(f"| {result.issue_labels[i]} | {now} | {result.labels[i][p.choice[i]]} |")
    out.append("")
    if same:
        out += ["It leaves as they are today: " + "; ".join(same) + ".", ""]
    out += [
        "| Party | Score with no deal | Score with this package | Gain |",
        "|---|---:|---:|---:|",
    ]
    for a, u, r in zip(result.actor_names, p.utility, result.reservation, strict=True):
        out.append(f"| {a} | {r:.3f} | {u:.3f} | {u - r:+.3f} |")
    out += [
        "",
        "Scores run from 0 (everything a party opposes) to 1 (everything it wants).",
        "",
    ]
    return out


def _md_best(result: SearchResult) -> list[str]:
    top = result.best[0]
    out = [
        "### The best packages acceptable to all",
        "",
        "Ranked by Nash product; only packages no other acceptable package beats for "
        "every party at once. Each row after the first says how it differs from the "
        "first.",
        "",
        "| # | " + " | ".join(result.actor_names) + " | Differs from #1 on |",
        "|---|" + "---:|" * len(result.actor_names) + "---|",
    ]
    for k, p in enumerate(result.best, 1):
        diff = "; ".join(
            f"{result.issue_labels[i]}: {result.labels[i][p.choice[i]]}"
            for i in range(len(result.issue_ids))
            if p.choice[i] != top.choice[i]
        )
        us = " | ".join(f"{u:.3f}" for u in p.utility)
        out.append(f"| {k} | {us} | {diff or '—'} |")
    out.append("")
    return out


def _md_binding(result: SearchResult) -> list[str]:
    out = [
        "### Red lines the bargain runs up against",
        "",
        "On these issues the bargaining solution takes the last value a party's red line "
        "allows. A red line *holds the bargain back* when, without it alone, the solution "
        "would move past it; otherwise the solution merely sits at its edge.",
        "",
    ]
    for iid in dict.fromkeys(b.issue for b in result.binding):
        rows = [b for b in result.binding if b.issue == iid]
        hold = list(dict.fromkeys(result.name(b.actor) for b in rows if b.moves_nash))
        edge = list(dict.fromkeys(result.name(b.actor) for b in rows if not b.moves_nash))
        parts = []
        if hold:
            verb = "red line holds" if len(hold) == 1 else "red lines hold"
            parts.append(_and([n + "'s" for n in hold]) + f" {verb} the bargain back")
        if edge:
            verb = "red line is" if len(edge) == 1 else "red lines are"
            parts.append(_and([n + "'s" for n in edge]) + f" {verb} met exactly")
        value = result.value_label(iid, rows[0].choice)
        out.append(f"- *{result.issue_label(iid)}*: {value}. " + "; ".join(parts) + ".")
    out.append("")
    return out


def _md_logrolls(result: SearchResult) -> list[str]:
    out = ["### Trades inside the bargain (logrolls)", ""]
    intro = {
        "no deal": "Compared with no deal, the bargaining solution is built from trades: "
        "each party below gives way on some issues in exchange for others it cares more "
        "about, and comes out ahead on the traded issues taken together.",
        "compromise": "Compared with splitting the difference issue by issue (the clout- "
        "and salience-weighted middle of the parties' ideals), the bargaining solution "
        "moves issues in pairs of concessions:",
    }
    for ref, text in intro.items():
        rolls = [lr for lr in result.logrolls if lr.reference == ref]
        if not rolls:
            continue
        out += [text, ""]
        for lr in rolls:
            ga = ", ".join(result.issue_label(i) for i in lr.a_gives)
            gb = ", ".join(result.issue_label(i) for i in lr.b_gives)
            out.append(
                f"- **{result.name(lr.a)}** gives way on {ga}; **{result.name(lr.b)}** gives "
                f"way on {gb}. Net on these issues: {result.name(lr.a)} {lr.gain_a:+.3f}, "
                f"{result.name(lr.b)} {lr.gain_b:+.3f}."
            )
        out.append("")
    return out


def _md_conflicts(result: SearchResult) -> list[str]:
    c = result.conflicts
    assert c is not None
    out = [
        "### Why no package works",
        "",
        "No package is acceptable to all. Each line below is a smallest set of demands "
        "that cannot all be met at once (drop any one and the rest can be):",
        "",
    ]
    for r, s in enumerate(c.minimal):
        mark = (
            " (not proven minimal: the time limit cut the check short)" if r in c.unproven else ""
        )
        out.append("- " + "; ".join(_md_constraint(result, x) for x in s) + mark)
    out += ["", f"({_completeness(c)}.)", ""]
    if result.relaxations:
        r = result.relaxations[0]
        out += [
            "### The smallest change that opens a zone of agreement",
            "",
            "Dropping "
            + " and ".join(_md_constraint(result, x) for x in r.drop)
            + f" would make {r.acceptable:,} packages acceptable to the remaining demands.",
            "",
        ]
        if r.package is not None:
            out += ["The best of them:", "", "| Issue | Value |", "|---|---|"]
            for i in range(len(result.issue_ids)):
                out.append(
                    f"| {result.issue_labels[i]} | {result.labels[i][r.package.choice[i]]} |"
                )
            out.append("")
        if len(result.relaxations) > 1:
            out.append("Other changes of the same size:")
            out.append("")
            for r in result.relaxations[1:]:
                drop = " and ".join(_md_constraint(result, x) for x in r.drop)
                out.append(f"- dropping {drop} ({r.acceptable:,} packages)")
            out.append("")
    return out


def _md_constraint(result: SearchResult, c: Constraint) -> str:
    if c.issue is None:
        return f"{result.name(c.actor)} must be better off than with no deal"
    text = result.red_line_text.get((c.actor, c.issue), "")
    q = f' ("{text}")' if text else ""
    return f"{result.name(c.actor)}'s red line on {result.issue_label(c.issue)}{q}"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _completeness(c: ConflictCore) -> str:
    if c.complete_up_to >= c.n_constraints:
        return "every minimal conflict is listed"
    if c.extracted:
        sizes = (
            f"every minimal conflict of up to {c.complete_up_to} of the {c.n_constraints} "
            "constraints is listed; "
            if c.complete_up_to
            else ""
        )
        return (
            f"{sizes}{c.extracted} conflict(s) of any size among the {c.n_constraints} "
            "constraints were extracted by a solver, each proven unsatisfiable and minimal; "
            "other minimal conflicts may exist"
        )
    capped = f", listing stopped at {len(c.minimal)}" if c.capped else ""
    capped += ", stopped by the search's time or memory limit" if c.stopped else ""
    return (
        f"every minimal conflict of up to {c.complete_up_to} of the {c.n_constraints} "
        f"constraints is listed; larger ones were not searched{capped}"
    )


def _short(c: Constraint) -> str:
    return f"{c.actor}:no-deal" if c.issue is None else f"{c.actor}:{c.issue}"
