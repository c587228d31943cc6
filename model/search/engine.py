"""The zone of possible agreement: an exact search of the package space.

A package is one candidate value on every issue (`model.space.PackageSpace`). Utilities are
additively separable, u_a(p) = sum_i gain[i][a, p_i], and an actor accepts a package iff it
crosses none of its red lines and u_a >= reservation_a - TOLERANCE (`model.evaluate.verdict`).
The search answers, exactly and without enumerating the space:

* how many packages cross no red line (prune each issue's candidates by every actor's red-line
  mask; the count is the product of the pruned sizes) and how many every actor accepts
  (branch and bound over issues: a partial package that cannot reach some reservation even
  with every remaining issue at that actor's best is dropped; one that reaches every
  reservation even with every remaining issue at each actor's worst is counted whole);
* the Pareto frontier of the actors' utilities among the acceptable packages. It is built
  issue by issue: Pareto(A + B) is a subset of Pareto(A) + Pareto(B), so each issue's own
  dominated values are dropped first, then each step adds the next issue's values to the
  current frontier of partial sums, drops partial sums that cannot reach every reservation,
  and filters the rest back to the non-dominated ones. The prefix of a package that is
  Pareto-optimal among the acceptable ones is never dominated (else the dominating prefix with
  the same suffix would dominate the package), so nothing needed is lost, and the final set is
  exactly the frontier (a package Pareto-optimal among all red-line-feasible packages that is
  acceptable is Pareto-optimal among the acceptable ones, and vice versa);
* the asymmetric Nash bargaining package: max sum_a capability_a * log(u_a - reservation_a)
  over acceptable packages that give every actor strictly more than no deal (by more than
  TOLERANCE). The objective rises with every actor's utility, so the maximiser is on the
  frontier and is read off it. The ranked list of best packages is the frontier sorted by the
  same objective: a package off the frontier is never listed, since another acceptable
  package is better for everyone;
* when no package is acceptable to all: the conflict core and the smallest relaxation. The
  constraints are the red lines (actor, issue) and the participation constraints (actor: u_a >=
  reservation_a). Constraint sets are enumerated in increasing size; a set holds iff a package
  satisfies it, which a kept witness package usually shows at once, and otherwise a search
  like the frontier's decides (red lines alone only ever conflict within one issue, where
  their masks AND to nothing; across issues conflicts need participation constraints). Sets
  that contain a conflict already found are skipped, so every unsatisfiable set found is
  minimal. The smallest relaxations are the smallest sets whose removal leaves the rest
  satisfiable (they must hit every minimal conflict, which filters candidates);
* red lines the Nash package sits on (its value is allowed, the next value beyond is not) and
  whether each holds the bargain back (dropping it alone would raise the Nash product), and
  logrolls (defined in `_logrolls`).

Exactness and ties. Gains are rounded once to integer multiples of 2**-s (s <= 48, so the
rounding error of a package's utility is below 1e-13) and all sums are exact integer sums:
they do not depend on the order of addition, dominance is a strict partial order, and two
packages tie exactly when their rounded gains add up to the same integers. The frontier is a set
of distinct utility vectors: packages with identical utilities appear once, with the count of
packages that give that vector and one of them as representative (chosen deterministically:
the same input gives the same package).

Only numpy is imported here; matplotlib lives in `model.search_charts`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from model.evaluation.space import PackageSpace
from model.evaluation.verdicts import TOLERANCE, package_space, utility
from model.scenario.types import Scenario

TOP = 10
"""How many of the best packages a result lists."""

MAX_CONFLICTS = 20
"""At most this many minimal conflicts are listed (the list says when it was cut)."""

MAX_RELAXATIONS = 10
"""At most this many smallest relaxations are evaluated and listed."""

MAX_CHECKS = 200_000
"""Constraint sets enumerated at most, per enumeration (conflicts, then relaxations), counted
by whole sizes; most are settled by a known witness package in one matrix product."""

FRONTIER_JSON = 2_000
"""to_json lists at most this many frontier points (the count is always given)."""

_MAX_SCALE_BITS = 48
_FAR = -(2**62)  # the threshold of an actor whose participation is not required


# --- result objects ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Package:
    """One package: a candidate index per issue, with each actor's utility.

    nash_log is sum_a capability_a * log(u_a - reservation_a) over the actors whose
    participation is required, or None when some of them gains nothing over no deal. count is
    the number of packages with exactly these utilities (1 outside the frontier).
    """

    choice: tuple[int, ...]
    utility: tuple[float, ...]
    nash_log: float | None
    count: int = 1


@dataclass(frozen=True)
class Constraint:
    """A red line (actor, issue), or a participation constraint (actor; issue None):
    u_actor >= reservation_actor."""

    actor: str
    issue: str | None = None

    @property
    def kind(self) -> str:
        return "participation" if self.issue is None else "red_line"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "actor": self.actor, "issue": self.issue}


@dataclass(frozen=True)
class ConflictCore:
    """Minimal unsatisfiable sets of constraints, smallest first.

    complete_up_to: every minimal conflict of at most this many constraints is listed (larger
    sets were not all examined: the enumeration stops after MAX_CHECKS sets, or when `capped`,
    at MAX_CONFLICTS conflicts).
    """

    minimal: tuple[tuple[Constraint, ...], ...]
    complete_up_to: int
    capped: bool
    n_constraints: int


@dataclass(frozen=True)
class Relaxation:
    """Constraints to drop so that some package satisfies all the others, and what that opens:
    the number of packages then acceptable (to the actors still required to gain) and the
    Nash package among them."""

    drop: tuple[Constraint, ...]
    acceptable: int
    package: Package | None


@dataclass(frozen=True)
class BindingRedLine:
    """A red line the Nash package sits on: its value is allowed, the next candidate value
    beyond it (on `side`, "above" or "below") is not. moves_nash: dropping this red line alone
    would move the Nash package across it (the bargain presses against the line)."""

    actor: str
    issue: str
    choice: int
    side: str
    moves_nash: bool
    nash_without: float | None = None


@dataclass(frozen=True)
class Logroll:
    """Actor a concedes issues `a_gives` to b, b concedes `b_gives` to a, each ends up ahead.

    Changes are measured from a reference package (`reference`: "no deal" or "compromise") to
    the Nash package, issue by issue (issue -> (change for a, change for b)); gain_a and gain_b
    are the totals over both sets (see `_logrolls`).
    """

    reference: str
    a: str
    b: str
    a_gives: tuple[str, ...]
    b_gives: tuple[str, ...]
    changes: dict[str, tuple[float, float]]
    gain_a: float
    gain_b: float


@dataclass(frozen=True, eq=False)
class SearchResult:
    """What the exact search found. Packages hold candidate indices into `values[i]`.

    frontier_choice (m, n_issues), frontier_utility (m, n_actors) and frontier_count (m,) hold
    the Pareto frontier, best Nash product first.
    """

    title: str
    issue_ids: tuple[str, ...]
    issue_labels: tuple[str, ...]
    actor_ids: tuple[str, ...]
    actor_names: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]
    labels: tuple[tuple[str, ...], ...]
    value_ids: tuple[tuple[str | float, ...], ...]
    reservation: tuple[float, ...]
    capability: tuple[float, ...]
    status_quo: tuple[int, ...]
    red_lines: tuple[Constraint, ...]
    red_line_text: dict[tuple[str, str], str]
    n_packages: int
    n_no_red_line: int
    n_acceptable: int
    frontier_choice: np.ndarray
    frontier_utility: np.ndarray
    frontier_count: np.ndarray
    nash: Package | None
    best: tuple[Package, ...]
    compromise: Package | None
    binding: tuple[BindingRedLine, ...]
    conflicts: ConflictCore | None
    relaxations: tuple[Relaxation, ...]
    logrolls: tuple[Logroll, ...]
    grid: dict[str, tuple[float, ...]] = field(default_factory=dict)
    grid_steps: int | None = None

    @property
    def frontier_size(self) -> int:
        return len(self.frontier_count)

    def name(self, actor: str) -> str:
        return self.actor_names[self.actor_ids.index(actor)]

    def issue_label(self, issue: str) -> str:
        return self.issue_labels[self.issue_ids.index(issue)]

    def value_label(self, issue: str, choice: int) -> str:
        return self.labels[self.issue_ids.index(issue)][choice]

    # --- JSON -----------------------------------------------------------------------------------

    def package_json(self, p: Package) -> dict[str, Any]:
        """A package as plain data: {issue: value id}, {issue: label}, utilities per actor."""
        return {
            "package": {iid: self.value_ids[i][c] for i, (iid, c) in enumerate(self._ic(p))},
            "labels": {iid: self.labels[i][c] for i, (iid, c) in enumerate(self._ic(p))},
            "utilities": {a: round(u, 6) for a, u in zip(self.actor_ids, p.utility, strict=True)},
            "gains": {
                a: round(u - r, 6)
                for a, u, r in zip(self.actor_ids, p.utility, self.reservation, strict=True)
            },
            "nash_log": None if p.nash_log is None else round(p.nash_log, 6),
            "packages_with_these_utilities": p.count,
        }

    def _ic(self, p: Package) -> list[tuple[str, int]]:
        return list(zip(self.issue_ids, p.choice, strict=True))

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types only; deterministic. Keys: title, issues [{id, label}], actors
        [{id, name, capability, reservation}], red_lines [{actor, issue, text}], no_deal
        {issue: value}, grid_steps, grid {numeric issue: [values]}, counts {packages,
        no_red_line_crossed, acceptable_to_all, pareto_frontier}, nash, best [...],
        compromise (packages as in `package_json`), binding_red_lines, frontier [{utilities,
        package, packages_with_these_utilities}] (at most FRONTIER_JSON, best first) with
        frontier_truncated, conflict_core {minimal_conflicts, complete_up_to_size, capped,
        constraints} or None, relaxations [{drop, acceptable, package}], logrolls."""
        m = self.frontier_size
        frontier = [
            {
                "utilities": {
                    a: round(float(u), 6)
                    for a, u in zip(self.actor_ids, self.frontier_utility[k], strict=True)
                },
                "package": {
                    iid: self.value_ids[i][int(c)]
                    for i, (iid, c) in enumerate(
                        zip(self.issue_ids, self.frontier_choice[k], strict=True)
                    )
                },
                "packages_with_these_utilities": int(self.frontier_count[k]),
            }
            for k in range(min(m, FRONTIER_JSON))
        ]
        out: dict[str, Any] = {
            "title": self.title,
            "issues": [
                {"id": i, "label": lab}
                for i, lab in zip(self.issue_ids, self.issue_labels, strict=True)
            ],
            "actors": [
                {"id": a, "name": n, "capability": c, "reservation": round(r, 6)}
                for a, n, c, r in zip(
                    self.actor_ids, self.actor_names, self.capability, self.reservation, strict=True
                )
            ],
            "red_lines": [
                {
                    "actor": c.actor,
                    "issue": c.issue,
                    "text": self.red_line_text.get((c.actor, str(c.issue)), ""),
                }
                for c in self.red_lines
            ],
            "no_deal": None
            if min(self.status_quo, default=0) < 0
            else {
                iid: self.value_ids[i][c]
                for i, (iid, c) in enumerate(zip(self.issue_ids, self.status_quo, strict=True))
            },
            "grid_steps": self.grid_steps,
            "grid": {iid: list(v) for iid, v in self.grid.items()},
            "counts": {
                "packages": self.n_packages,
                "no_red_line_crossed": self.n_no_red_line,
                "acceptable_to_all": self.n_acceptable,
                "pareto_frontier": m,
            },
            "nash": None if self.nash is None else self.package_json(self.nash),
            "best": [self.package_json(p) for p in self.best],
            "compromise": None if self.compromise is None else self.package_json(self.compromise),
            "binding_red_lines": [
                {
                    "actor": b.actor,
                    "issue": b.issue,
                    "value": self.value_ids[self.issue_ids.index(b.issue)][b.choice],
                    "side": b.side,
                    "moves_nash": b.moves_nash,
                    "nash_log_without": None
                    if b.nash_without is None
                    else round(b.nash_without, 6),
                }
                for b in self.binding
            ],
            "frontier": frontier,
            "frontier_truncated": m > FRONTIER_JSON,
            "conflict_core": None
            if self.conflicts is None
            else {
                "minimal_conflicts": [[c.to_json() for c in s] for s in self.conflicts.minimal],
                "complete_up_to_size": self.conflicts.complete_up_to,
                "capped": self.conflicts.capped,
                "constraints": self.conflicts.n_constraints,
            },
            "relaxations": [
                {
                    "drop": [c.to_json() for c in r.drop],
                    "acceptable": r.acceptable,
                    "package": None if r.package is None else self.package_json(r.package),
                }
                for r in self.relaxations
            ],
            "logrolls": [
                {
                    "reference": lr.reference,
                    "a": lr.a,
                    "b": lr.b,
                    "a_gives": list(lr.a_gives),
                    "b_gives": list(lr.b_gives),
                    "changes": {
                        i: {lr.a: round(x, 6), lr.b: round(y, 6)}
                        for i, (x, y) in lr.changes.items()
                    },
                    "gain_a": round(lr.gain_a, 6),
                    "gain_b": round(lr.gain_b, 6),
                }
                for lr in self.logrolls
            ],
        }
        return out

    # --- terminal --------------------------------------------------------------------------------

    def text(self, limit: int = 10) -> str:
        """A ranked terminal table of the best packages, then conflicts, relaxation, logrolls."""
        out = [f"Zone of agreement: {self.title}" if self.title else "Zone of agreement"]
        out.append(
            f"  packages {self.n_packages:,}  no red line crossed {self.n_no_red_line:,}  "
            f"acceptable to all {self.n_acceptable:,}  Pareto frontier {self.frontier_size:,}"
        )
        width = max(6, *(len(a) for a in self.actor_ids))
        head = "  rank  nash-log " + " ".join(f"{a:>{width}}" for a in self.actor_ids)
        res = "  no deal        " + " ".join(f"{r:>{width}.3f}" for r in self.reservation)
        if self.best:
            out += ["", head, res]
            for k, p in enumerate(self.best[:limit], 1):
                nl = "      -" if p.nash_log is None else f"{p.nash_log:>7.1f}"
                us = " ".join(f"{u:>{width}.3f}" for u in p.utility)
                out.append(f"  {k:>4}  {nl}  {us}")
            top = self.best[0]
            out += ["", "  Best package (1):"]
            iw = max(len(i) for i in self.issue_ids)
            for i, iid in enumerate(self.issue_ids):
                mark = "" if top.choice[i] == self.status_quo[i] else "  *"
                out.append(f"    {iid:<{iw}}  {self.labels[i][top.choice[i]]}{mark}")
            out.append("    (* differs from no deal)")
            for k, p in enumerate(self.best[1:limit], 2):
                diff = [
                    f"{iid}={self.labels[i][p.choice[i]]}"
                    for i, iid in enumerate(self.issue_ids)
                    if p.choice[i] != top.choice[i]
                ]
                out.append(f"  ({k}) differs from (1) on: " + "; ".join(diff))
        if self.binding:
            out += ["", "  Red lines the best package sits on:"]
            for b in self.binding:
                moves = "binds (dropping it moves the deal)" if b.moves_nash else "at the edge"
                out.append(
                    f"    {b.actor} on {b.issue}: {self.value_label(b.issue, b.choice)} [{moves}]"
                )
        if self.conflicts is not None:
            out += ["", "  No package is acceptable to all. Minimal conflicts:"]
            for s in self.conflicts.minimal[:limit]:
                out.append("    " + " + ".join(_short(c) for c in s))
            out.append(f"    ({_completeness(self.conflicts)})")
        if self.relaxations:
            out += ["", "  Smallest relaxations that open a zone of agreement:"]
            for r in self.relaxations[:limit]:
                drop = " + ".join(_short(c) for c in r.drop)
                out.append(f"    drop {drop}: {r.acceptable:,} packages acceptable")
        if self.logrolls:
            out += ["", "  Logrolls (reference -> best package):"]
            for lr in self.logrolls[:limit]:
                out.append(
                    f"    [{lr.reference}] {lr.a} gives {', '.join(lr.a_gives)}; {lr.b} gives "
                    f"{', '.join(lr.b_gives)}: {lr.a} {lr.gain_a:+.3f}, {lr.b} {lr.gain_b:+.3f}"
                )
        return "\n".join(out) + "\n"

    # --- report ----------------------------------------------------------------------------------

    def markdown(self) -> str:
        """The `## Zone of agreement` section of report.md, for readers who are not modellers."""
        n = len(self.issue_ids)
        out = ["## Zone of agreement", ""]
        out.append(
            f"A *package* is one choice on each of the {n} issues. The model scores every "
            "possible package for every party (how close it is to what the party wants, "
            "weighted by how much it cares) and asks two things: does it cross one of the "
            "party's red lines, and is it better for the party than no deal? A package is "
            "*acceptable to all* when the answer is no and yes for every party. The search "
            "below is exact: it checks every package, not a sample."
        )
        out.append("")
        grid = ""
        if self.grid:
            grid = (
                f" Numeric issues are tried on a grid of {self.grid_steps} evenly spaced "
                "values plus every value a party, red line or proposal names."
            )
        out += [
            "| | Packages |",
            "|---|---:|",
            f"| All combinations | {self.n_packages:,} |",
            f"| Crossing no party's red line | {self.n_no_red_line:,} |",
            f"| Acceptable to all | {self.n_acceptable:,} |",
            f"| Of these, not beaten for everyone by another (Pareto frontier) | "
            f"{self.frontier_size:,} distinct outcomes |",
            "",
        ]
        if grid:
            out += [grid.strip(), ""]
        if self.nash is not None:
            out += self._md_nash()
        elif self.n_acceptable:
            out += [
                "Some packages are acceptable to all, but none leaves every party strictly "
                "better off than no deal, so there is no bargaining solution to single out.",
                "",
            ]
        if self.best:
            out += self._md_best()
        if self.binding:
            out += self._md_binding()
        if self.logrolls:
            out += self._md_logrolls()
        if self.conflicts is not None:
            out += self._md_conflicts()
        return "\n".join(out).rstrip() + "\n"

    def _md_nash(self) -> list[str]:
        p = self.nash
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
        for i in range(len(self.issue_ids)):
            sq = self.status_quo[i]
            now = self.labels[i][sq] if sq >= 0 else "(not on the grid)"
            if p.choice[i] == sq:
                same.append(self.issue_labels[i])
                continue
            out.append(f"| {self.issue_labels[i]} | {now} | {self.labels[i][p.choice[i]]} |")
        out.append("")
        if same:
            out += ["It leaves as they are today: " + "; ".join(same) + ".", ""]
        out += [
            "| Party | Score with no deal | Score with this package | Gain |",
            "|---|---:|---:|---:|",
        ]
        for a, u, r in zip(self.actor_names, p.utility, self.reservation, strict=True):
            out.append(f"| {a} | {r:.3f} | {u:.3f} | {u - r:+.3f} |")
        out += [
            "",
            "Scores run from 0 (everything a party opposes) to 1 (everything it wants).",
            "",
        ]
        return out

    def _md_best(self) -> list[str]:
        top = self.best[0]
        out = [
            "### The best packages acceptable to all",
            "",
            "Ranked by Nash product; only packages no other acceptable package beats for "
            "every party at once. Each row after the first says how it differs from the "
            "first.",
            "",
            "| # | " + " | ".join(self.actor_names) + " | Differs from #1 on |",
            "|---|" + "---:|" * len(self.actor_names) + "---|",
        ]
        for k, p in enumerate(self.best, 1):
            diff = "; ".join(
                f"{self.issue_labels[i]}: {self.labels[i][p.choice[i]]}"
                for i in range(len(self.issue_ids))
                if p.choice[i] != top.choice[i]
            )
            us = " | ".join(f"{u:.3f}" for u in p.utility)
            out.append(f"| {k} | {us} | {diff or '—'} |")
        out.append("")
        return out

    def _md_binding(self) -> list[str]:
        out = [
            "### Red lines the bargain runs up against",
            "",
            "On these issues the bargaining solution takes the last value a party's red line "
            "allows. A red line *holds the bargain back* when, without it alone, the solution "
            "would move past it; otherwise the solution merely sits at its edge.",
            "",
        ]
        for iid in dict.fromkeys(b.issue for b in self.binding):
            rows = [b for b in self.binding if b.issue == iid]
            hold = list(dict.fromkeys(self.name(b.actor) for b in rows if b.moves_nash))
            edge = list(dict.fromkeys(self.name(b.actor) for b in rows if not b.moves_nash))
            parts = []
            if hold:
                verb = "red line holds" if len(hold) == 1 else "red lines hold"
                parts.append(_and([n + "'s" for n in hold]) + f" {verb} the bargain back")
            if edge:
                verb = "red line is" if len(edge) == 1 else "red lines are"
                parts.append(_and([n + "'s" for n in edge]) + f" {verb} met exactly")
            value = self.value_label(iid, rows[0].choice)
            out.append(f"- *{self.issue_label(iid)}*: {value}. " + "; ".join(parts) + ".")
        out.append("")
        return out

    def _md_logrolls(self) -> list[str]:
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
            rolls = [lr for lr in self.logrolls if lr.reference == ref]
            if not rolls:
                continue
            out += [text, ""]
            for lr in rolls:
                ga = ", ".join(self.issue_label(i) for i in lr.a_gives)
                gb = ", ".join(self.issue_label(i) for i in lr.b_gives)
                out.append(
                    f"- **{self.name(lr.a)}** gives way on {ga}; **{self.name(lr.b)}** gives "
                    f"way on {gb}. Net on these issues: {self.name(lr.a)} {lr.gain_a:+.3f}, "
                    f"{self.name(lr.b)} {lr.gain_b:+.3f}."
                )
            out.append("")
        return out

    def _md_conflicts(self) -> list[str]:
        c = self.conflicts
        assert c is not None
        out = [
            "### Why no package works",
            "",
            "No package is acceptable to all. Each line below is a smallest set of demands "
            "that cannot all be met at once (drop any one and the rest can be):",
            "",
        ]
        for s in c.minimal:
            out.append("- " + "; ".join(self._md_constraint(x) for x in s))
        out += ["", f"({_completeness(c)}.)", ""]
        if self.relaxations:
            r = self.relaxations[0]
            out += [
                "### The smallest change that opens a zone of agreement",
                "",
                "Dropping "
                + " and ".join(self._md_constraint(x) for x in r.drop)
                + f" would make {r.acceptable:,} packages acceptable to the remaining demands.",
                "",
            ]
            if r.package is not None:
                out += ["The best of them:", "", "| Issue | Value |", "|---|---|"]
                for i in range(len(self.issue_ids)):
                    out.append(
                        f"| {self.issue_labels[i]} | {self.labels[i][r.package.choice[i]]} |"
                    )
                out.append("")
            if len(self.relaxations) > 1:
                out.append("Other changes of the same size:")
                out.append("")
                for r in self.relaxations[1:]:
                    drop = " and ".join(self._md_constraint(x) for x in r.drop)
                    out.append(f"- dropping {drop} ({r.acceptable:,} packages)")
                out.append("")
        return out

    def _md_constraint(self, c: Constraint) -> str:
        if c.issue is None:
            return f"{self.name(c.actor)} must be better off than with no deal"
        text = self.red_line_text.get((c.actor, c.issue), "")
        q = f' ("{text}")' if text else ""
        return f"{self.name(c.actor)}'s red line on {self.issue_label(c.issue)}{q}"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _completeness(c: ConflictCore) -> str:
    if c.complete_up_to >= c.n_constraints:
        return "every minimal conflict is listed"
    capped = f", listing stopped at {len(c.minimal)}" if c.capped else ""
    return (
        f"every minimal conflict of up to {c.complete_up_to} of the {c.n_constraints} "
        f"constraints is listed; larger ones were not searched{capped}"
    )


def _short(c: Constraint) -> str:
    return f"{c.actor}:no-deal" if c.issue is None else f"{c.actor}:{c.issue}"


# --- integer arithmetic --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class IntegerSpace:
    """The space's gains and reservations as exact integers (multiples of 1 / scale), the
    numbers the search compares; public so that brute-force checks can use the same ones.

    gain[i] is (k_i, n_actors): transposed from PackageSpace.gain, one row per candidate.
    An actor accepts (red lines aside) iff its summed gain >= reserve - tol.
    """

    gain: tuple[np.ndarray, ...]  # per issue (k_i, n_actors) int64, every candidate
    reserve: np.ndarray  # (n_actors,) int64
    tol: int
    scale: float


def integer_space(space: PackageSpace) -> IntegerSpace:
    bound = sum(float(np.abs(g).max(initial=0.0)) for g in space.gain)
    bound += float(np.abs(space.reservation).max(initial=0.0)) + 1.0
    bits = min(_MAX_SCALE_BITS, int(math.floor(math.log2(2.0**61 / bound))))
    scale = 2.0**bits
    gain = tuple(np.rint(np.asarray(g, float).T * scale).astype(np.int64) for g in space.gain)
    reserve = np.rint(np.asarray(space.reservation, float) * scale).astype(np.int64)
    return IntegerSpace(gain, reserve, int(math.floor(TOLERANCE * scale)), scale)


def _spread_order(gains: Sequence[np.ndarray]) -> list[int]:
    """Issues with the widest gain ranges first: later issues then move utilities little, so
    the reservation bounds decide partial packages early (a heuristic; results do not depend
    on it)."""
    spread = [float((g.max(0) - g.min(0)).sum()) if len(g) else 0.0 for g in gains]
    return sorted(range(len(gains)), key=lambda i: (-spread[i], i))


def _all_ge(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """For points as columns of x (n, m): is every row >= its bound t (n,)? Row by row, so
    each comparison runs over contiguous memory."""
    out = x[0] >= t[0]
    for a in range(1, len(x)):
        out &= x[a] >= t[a]
    return out


def _ranks(q: np.ndarray) -> np.ndarray:
    """Each row of q (d, m) replaced by its dense ranks: dominance between the columns is
    unchanged and small integers compare faster."""
    r = np.empty(q.shape, np.int32)
    for k in range(len(q)):
        r[k] = np.unique(q[k], return_inverse=True)[1].reshape(-1)
    return r.astype(np.int16) if q.shape[1] < 32_000 else r


def _unique_cols(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For the columns of p (d, m): (first, group), the first index of each distinct column
    (in sorted order of the columns) and each column's group."""
    m = p.shape[1]
    if m == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.lexsort(p[::-1])  # stable: equal columns keep their order
    s = p[:, order]
    new = np.ones(m, bool)
    if m > 1:
        diff = s[0, 1:] != s[0, :-1]
        for k in range(1, len(p)):
            diff |= s[k, 1:] != s[k, :-1]
        new[1:] = diff
    gid = np.cumsum(new) - 1
    group = np.empty(m, np.int64)
    group[order] = gid
    return order[new], group


def _dominated(f: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For columns of b (d, nb): is some column of f (d, nf) >= it in every row?"""
    ge = f[0][None, :] >= b[0][:, None]
    tmp = np.empty_like(ge)
    for k in range(1, len(f)):
        np.greater_equal(f[k][None, :], b[k][:, None], out=tmp)
        ge &= tmp
    return ge.any(axis=1)


def _nondominated(q: np.ndarray, cells: int = 2_000_000, killers: int = 128) -> np.ndarray:
    """Mask of the columns of q (d, m; distinct integer columns) that no other column
    dominates.

    Columns are taken by decreasing sum (a dominating column has a strictly larger sum) in
    blocks. Each block is checked first against the `killers` frontier columns of largest sum
    (which dominate most), then what survives against the rest of the frontier found so far,
    then within itself.
    """
    d, m = q.shape
    keep = np.zeros(m, bool)
    if m == 0:
        return keep
    if d == 1:
        keep[q[0] == q[0].max()] = True
        return keep
    if m <= 256:  # all pairs at once
        ge = q[0][None, :] >= q[0][:, None]
        for k in range(1, d):
            ge &= q[k][None, :] >= q[k][:, None]
        np.fill_diagonal(ge, False)
        return ~ge.any(axis=1)
    order = np.argsort(-q.sum(axis=0), kind="stable")
    p = np.ascontiguousarray(_ranks(q)[:, order])
    front = np.empty_like(p)
    nf = 0
    start = 0
    while start < m:
        size = int(max(64, min(512, cells // max(nf, 1))))
        b = p[:, start : start + size]
        idx = np.arange(b.shape[1])
        if nf:
            idx = idx[~_dominated(front[:, : min(nf, killers)], b)]
            if nf > killers and len(idx):
                idx = idx[~_dominated(front[:, killers:nf], b[:, idx])]
        bb = b[:, idx]
        ge = bb[0][None, :] >= bb[0][:, None]
        tmp = np.empty_like(ge)
        for k in range(1, d):
            np.greater_equal(bb[k][None, :], bb[k][:, None], out=tmp)
            ge &= tmp
        np.fill_diagonal(ge, False)
        ok = idx[~ge.any(axis=1)]
        keep[order[start + ok]] = True
        front[:, nf : nf + len(ok)] = b[:, ok]
        nf += len(ok)
        start += size
    return keep


@dataclass(frozen=True, eq=False)
class _Front:
    utility: np.ndarray  # (m, n) int64
    choice: np.ndarray  # (m, n_issues) candidate index per issue (into the given candidates)
    count: np.ndarray  # (m,) int64


def _bounds(g: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Per level p: the most and the least the issues from p on can add, actor by actor."""
    n = g[0].shape[0] if g else 0
    top = np.zeros((len(g) + 1, n), np.int64)
    bottom = np.zeros((len(g) + 1, n), np.int64)
    for p in range(len(g) - 1, -1, -1):
        top[p] = top[p + 1] + g[p].max(axis=1)
        bottom[p] = bottom[p + 1] + g[p].min(axis=1)
    return top, bottom


def _merge(
    gains: Sequence[np.ndarray],
    thr: np.ndarray,
    *,
    first_only: bool = False,
    nash: tuple[np.ndarray, np.ndarray, int, float, float] | None = None,
) -> _Front:
    """The Pareto frontier of the packages whose utilities reach `thr` on every column.

    gains[i] is (k_i, n) for the candidates of issue i (every k_i >= 1). With first_only, stop
    at the first partial package that reaches thr whatever follows and return it, completed
    with each remaining issue's first undominated candidate (an existence check with a
    witness). With nash = (weights, reserve, tol, scale, floor) also drop partial packages
    whose Nash product cannot exceed `floor` even at every actor's best for the remaining
    issues. Internally points are columns (actors x points).
    """
    n_issues = len(gains)
    n = len(thr)
    order = _spread_order(gains)
    # Pareto(A + B) is within Pareto(A) + Pareto(B): an issue's dominated values are dropped
    # (identical ones kept once, with their number)
    g, kept, mult = [], [], []
    for i in order:
        x = np.ascontiguousarray(gains[i].T)
        if x.shape[1] == 1:
            g.append(x)
            kept.append(np.zeros(1, np.int64))
            mult.append(np.ones(1, np.int64))
            continue
        first, group = _unique_cols(x)
        nd = np.flatnonzero(_nondominated(x[:, first]))
        sel = np.argsort(first[nd])
        kept.append(first[nd][sel])
        mult.append(np.bincount(group, minlength=len(first))[nd][sel].astype(np.int64))
        g.append(x[:, kept[-1]])
    top, bottom = _bounds(g)
    lo, hi = thr - top, thr - bottom  # partial sums >= lo can still, >= hi surely, reach thr
    s = np.zeros((n, 1), np.int64)
    cnt = np.ones(1, np.int64)
    parents: list[np.ndarray] = []
    choices: list[np.ndarray] = []

    def finish(rows: np.ndarray, level: int) -> np.ndarray:
        ch = np.zeros((len(rows), n_issues), np.int64)
        for p in range(n_issues - 1, level, -1):  # not reached: the first value kept
            ch[:, order[p]] = kept[p][0]
        for p in range(level, -1, -1):
            ch[:, order[p]] = kept[p][choices[p][rows]]
            rows = parents[p][rows]
        return ch

    for p in range(n_issues):
        k = g[p].shape[1]
        new = (s[:, :, None] + g[p][:, None, :]).reshape(n, -1)
        ok = _all_ge(new, lo[p + 1])
        if nash is not None:
            w, res, tol, scale, floor = nash
            gain = new + (top[p + 1] - res)[:, None]  # each actor's best gain from here
            pos = _all_ge(gain[w > 0], np.full(int((w > 0).sum()), tol + 1))
            ub = np.full(new.shape[1], -np.inf)
            ub[pos] = (np.log(gain[w > 0][:, pos] / scale) * w[w > 0][:, None]).sum(axis=0)
            ok &= ub > floor - 1e-9 * max(1.0, abs(floor))
        idx = np.flatnonzero(ok)
        if len(idx) == 0:
            return _Front(np.zeros((0, n), np.int64), np.zeros((0, n_issues), np.int64), cnt[:0])
        new, c = new[:, idx], cnt[idx // k] * mult[p][idx % k]
        if first_only:
            sure = np.flatnonzero(_all_ge(new, hi[p + 1]))
            if len(sure):
                parents.append(idx // k)
                choices.append(idx % k)
                return _Front(new[:, sure[:1]].T, finish(sure[:1], p), np.ones(1, np.int64))
        if k == 1:  # a shifted frontier is still a frontier of distinct points
            rows, s, cnt = idx, new, c
        else:
            first, group = _unique_cols(new)
            counts = np.zeros(len(first), np.int64)
            np.add.at(counts, group, c)
            u = new[:, first]
            keep = np.flatnonzero(_nondominated(u))
            rows = idx[first[keep]]
            s, cnt = u[:, keep], counts[keep]
        parents.append(rows // k)
        choices.append(rows % k)
    return _Front(np.ascontiguousarray(s.T), finish(np.arange(s.shape[1]), n_issues - 1), cnt)


def _count(gains: Sequence[np.ndarray], thr: np.ndarray, chunk: int = 200_000) -> int:
    """How many packages reach thr on every column, by branch and bound (see module doc)."""
    n_issues = len(gains)
    if n_issues == 0:
        return int((np.zeros(len(thr), np.int64) >= thr).all())
    order = _spread_order(gains)
    g = [np.ascontiguousarray(gains[i].T) for i in order]
    n = len(thr)
    top, bottom = _bounds(g)
    lo, hi = thr - top, thr - bottom
    rest = [math.prod(x.shape[1] for x in g[p + 1 :]) for p in range(n_issues)]
    total = 0
    s = np.zeros((n, 1), np.int64)
    for p in range(n_issues):
        nxt = []
        for a in range(0, s.shape[1], chunk):
            new = (s[:, a : a + chunk, None] + g[p][:, None, :]).reshape(n, -1)
            alive = _all_ge(new, lo[p + 1])
            if p == n_issues - 1:  # nothing follows: alive is acceptable
                total += int(np.count_nonzero(alive))
                continue
            full = _all_ge(new, hi[p + 1])
            total += int(np.count_nonzero(full)) * rest[p]
            nxt.append(new[:, alive & ~full])
        if p == n_issues - 1:
            break
        s = np.concatenate(nxt, axis=1)
        if s.shape[1] == 0:
            break
    return total


# --- the zone of agreement -----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Zone:
    """Counts, frontier (sorted best first) and Nash package for one set of masks."""

    n_no_red_line: int
    n_acceptable: int
    front: _Front  # choices as indices into the full candidate lists
    nash_log: np.ndarray  # per frontier row; -inf where some required actor gains nothing
    nash: Package | None


def _nash_logs(u: np.ndarray, ints: IntegerSpace, cap: np.ndarray, need: np.ndarray) -> np.ndarray:
    gain = u - ints.reserve
    pos = (gain[:, need] > ints.tol).all(axis=1)
    out = np.full(len(u), -np.inf)
    if pos.any():
        out[pos] = (np.log(gain[pos][:, need] / ints.scale) * cap[need]).sum(axis=1)
    return out


def _package(
    choice: np.ndarray, u: np.ndarray, ints: IntegerSpace, nl: float, count: int = 1
) -> Package:
    return Package(
        tuple(int(c) for c in choice),
        tuple(float(x) / ints.scale for x in u),
        None if not np.isfinite(nl) else float(nl),
        int(count),
    )


def _zone(
    space: PackageSpace, ints: IntegerSpace, allowed: Sequence[np.ndarray], need: np.ndarray
) -> _Zone:
    """The exact zone for the given red-line masks, with `need` the actors whose participation
    constraint holds (and who enter the Nash product)."""
    n = space.n_actors
    cand = [np.flatnonzero(m.all(axis=0)) for m in allowed]
    n_free = math.prod(len(c) for c in cand)
    empty = _Front(
        np.zeros((0, n), np.int64), np.zeros((0, len(cand)), np.int64), np.zeros(0, np.int64)
    )
    if n_free == 0:
        return _Zone(0, 0, empty, np.zeros(0), None)
    thr = np.where(need, ints.reserve - ints.tol, _FAR).astype(np.int64)
    gains = [ints.gain[i][c] for i, c in enumerate(cand)]
    n_acc = _count(gains, thr)
    if n_acc == 0:
        return _Zone(n_free, 0, empty, np.zeros(0), None)
    f = _merge(gains, thr)
    choice = np.stack([cand[i][f.choice[:, i]] for i in range(len(cand))], axis=1)
    cap = np.asarray(space.capability, float)
    nl = _nash_logs(f.utility, ints, cap, need)
    wsum = ((f.utility - ints.reserve) / ints.scale * cap).sum(axis=1)
    keys = [choice[:, i] for i in range(choice.shape[1] - 1, -1, -1)]
    rank = np.lexsort([*keys, -wsum, -nl])
    f = _Front(f.utility[rank], choice[rank], f.count[rank])
    nl = nl[rank]
    nash = None
    if np.isfinite(nl[0]):
        nash = _package(f.choice[0], f.utility[0], ints, nl[0], int(f.count[0]))
    return _Zone(n_free, n_acc, f, nl, nash)


# --- conflicts and relaxations -------------------------------------------------------------------


class _Checker:
    """Can a set of constraints hold together? Sets are boolean rows over the constraints (the
    red lines `lines`, then one participation constraint per actor). Witness packages found on
    the way are kept: a set that some witness satisfies holds without a search, so most
    satisfiable sets cost one matrix product."""

    def __init__(
        self, space: PackageSpace, ints: IntegerSpace, lines: list[tuple[int, int]]
    ) -> None:
        self.space, self.ints, self.lines = space, ints, lines
        self.n = len(lines) + space.n_actors
        self.thr = ints.reserve - ints.tol
        self.respected = [m.sum(axis=0) for m in space.allowed]  # red lines each value keeps
        self.broken = np.zeros((0, self.n), np.int32)  # per witness: the constraints it breaks
        for a in range(space.n_actors):  # each actor's ideal package
            self._add(np.array([int(np.argmax(g[:, a])) for g in ints.gain]))
        if all(s >= 0 for s in space.status_quo):
            self._add(np.array(space.status_quo))

    def _add(self, choice: np.ndarray) -> None:
        u = sum(self.ints.gain[i][c] for i, c in enumerate(choice))
        row = [not self.space.allowed[i][a, choice[i]] for a, i in self.lines]
        row += list(np.asarray(u) < self.thr)
        self.broken = np.vstack([self.broken, np.array(row, np.int32)[None, :]])

    def by_witness(self, sets: np.ndarray) -> np.ndarray:
        """For each set (row), does a known witness satisfy it?"""
        return ((sets.astype(np.int32) @ self.broken.T) == 0).any(axis=1)

    def holds(self, subset: np.ndarray) -> bool:
        """True iff some package satisfies every constraint of the set (a boolean row)."""
        if self.by_witness(subset[None, :])[0]:
            return True
        masks = [np.ones(len(g), bool) for g in self.ints.gain]
        for k in np.flatnonzero(subset[: len(self.lines)]):
            a, i = self.lines[k]
            masks[i] &= self.space.allowed[i][a]
        cand = [np.flatnonzero(m) for m in masks]
        if any(len(c) == 0 for c in cand):
            return False
        # prefer values that keep many red lines: better witnesses for later sets
        cand = [c[np.argsort(-self.respected[i][c], kind="stable")] for i, c in enumerate(cand)]
        cols = list(np.flatnonzero(subset[len(self.lines) :]))
        if not cols:
            self._add(np.array([c[0] for c in cand]))
            return True
        gains = [self.ints.gain[i][c][:, cols] for i, c in enumerate(cand)]
        f = _merge(gains, self.thr[cols], first_only=True)
        if len(f.count) == 0:
            return False
        self._add(np.array([cand[i][f.choice[0, i]] for i in range(len(cand))]))
        return True

    def select(self, sets: np.ndarray, holding: bool) -> list[int]:
        """Indices of the sets (rows, in order) that hold (holding=True) or do not, searching
        only those no witness settles; each new witness settles the later rows it satisfies."""
        want = holding
        open_ = ~self.by_witness(sets)
        out = [] if not want else list(np.flatnonzero(~open_))
        todo = list(np.flatnonzero(open_))
        done = 0
        while done < len(todo):
            r = todo[done]
            done += 1
            n_witness = len(self.broken)
            if self.holds(sets[r]):
                if want:
                    out.append(r)
                if len(self.broken) > n_witness and done < len(todo):
                    rest = np.array(todo[done:])
                    new = self.broken[n_witness:]
                    settled = ((sets[rest].astype(np.int32) @ new.T) == 0).any(axis=1)
                    if want:
                        out += list(rest[settled])
                    todo = todo[:done] + list(rest[~settled])
            elif not want:
                out.append(r)
        return sorted(int(x) for x in out)


def _combinations(n: int, size: int) -> np.ndarray:
    """Every set of `size` of n constraints, as boolean rows in lexicographic order."""
    idx = np.array(list(itertools.combinations(range(n), size)), np.int64)
    idx = idx.reshape(math.comb(n, size), size)
    rows = np.zeros((len(idx), n), bool)
    rows[np.arange(len(idx))[:, None], idx] = True
    return rows


def _conflicts(checker: _Checker, constraints: list[Constraint], cap: int) -> ConflictCore:
    """Minimal unsatisfiable subsets, by enumeration in increasing size. Sets containing a
    conflict found before are skipped, so every set found unsatisfiable is minimal."""
    n = len(constraints)
    found = np.zeros((0, n), np.int32)
    minimal: list[np.ndarray] = []
    examined = 0
    for size in range(1, n + 1):
        examined += math.comb(n, size)
        if examined > MAX_CHECKS:
            return _core(constraints, minimal, size - 1, False)
        sets = _combinations(n, size)
        if len(found):
            sets = sets[~((sets.astype(np.int32) @ found.T) == found.sum(axis=1)).any(axis=1)]
        for r in checker.select(sets, holding=False):
            minimal.append(sets[r])
            if len(minimal) >= cap:
                return _core(constraints, minimal, size - 1, True)
        if minimal:
            found = np.array(minimal, np.int32)
    return _core(constraints, minimal, n, False)


def _core(
    constraints: list[Constraint], minimal: list[np.ndarray], complete: int, capped: bool
) -> ConflictCore:
    sets = tuple(tuple(constraints[k] for k in np.flatnonzero(s)) for s in minimal)
    return ConflictCore(sets, complete, capped, len(constraints))


def _relaxations(
    space: PackageSpace,
    ints: IntegerSpace,
    checker: _Checker,
    constraints: list[Constraint],
    lines: list[tuple[int, int]],
    core: ConflictCore,
) -> tuple[Relaxation, ...]:
    """The smallest sets of constraints whose removal leaves a satisfiable rest, best first:
    fewest participation constraints dropped, then the best Nash product they open. Every such
    set must hit every minimal conflict, which filters the candidates before any check; a
    constraint that conflicts on its own is in every such set, so only the others are
    enumerated."""
    n = len(constraints)
    index = {c: k for k, c in enumerate(constraints)}
    conflicts = np.zeros((len(core.minimal), n), np.int32)
    for r, s in enumerate(core.minimal):
        conflicts[r, [index[c] for c in s]] = 1
    forced = np.zeros(n, bool)
    forced[[index[s[0]] for s in core.minimal if len(s) == 1]] = True
    free = np.flatnonzero(~forced)
    examined = 0
    hits: list[np.ndarray] = []
    for size in range(0, len(free) + 1):
        examined += math.comb(len(free), size)
        if examined > MAX_CHECKS:
            return ()
        drops = np.zeros((math.comb(len(free), size), n), bool)
        drops[:, free] = _combinations(len(free), size)
        drops[:, forced] = True
        drops = drops[((drops.astype(np.int32) @ conflicts.T) > 0).all(axis=1)]
        hits = [drops[r] for r in checker.select(~drops, holding=True)]
        if hits:
            break
    out = []
    for drop in hits[: 20 * MAX_RELAXATIONS]:
        allowed = [m.copy() for m in space.allowed]
        need = np.ones(space.n_actors, bool)
        for k in np.flatnonzero(drop):
            if k < len(lines):
                a, i = lines[k]
                allowed[i][a] = True
            else:
                need[k - len(lines)] = False
        z = _zone(space, ints, allowed, need)
        pkg = z.nash
        if pkg is None and len(z.front.count):
            pkg = _package(z.front.choice[0], z.front.utility[0], ints, z.nash_log[0])
        dropped = tuple(constraints[k] for k in np.flatnonzero(drop))
        out.append(Relaxation(dropped, z.n_acceptable, pkg))
    out.sort(
        key=lambda r: (
            sum(c.issue is None for c in r.drop),
            -(r.package.nash_log if r.package and r.package.nash_log is not None else -math.inf),
            -r.acceptable,
        )
    )
    return tuple(out[:MAX_RELAXATIONS])


# --- what the solution says ----------------------------------------------------------------------


def _compromise(space: PackageSpace, ints: IntegerSpace) -> Package | None:
    """On every issue, the red-line-feasible candidate nearest the capability x stake weighted
    mean of the actors' ideals (ideal: the candidate of highest gain; stake: the actor's gain
    range on the issue, i.e. how much of its utility the issue can swing)."""
    cap = np.asarray(space.capability, float)
    choice = []
    for i, g in enumerate(space.gain):
        ok = np.flatnonzero(space.allowed[i].all(axis=0))
        if len(ok) == 0:
            return None
        v = np.asarray(space.values[i], float)
        ideal = v[np.argmax(g, axis=1)]
        w = cap * (g.max(axis=1) - g.min(axis=1))
        mean = float((w * ideal).sum() / w.sum()) if w.sum() > 0 else float(ideal.mean())
        choice.append(int(ok[np.argmin(np.abs(v[ok] - mean))]))
    u = sum(ints.gain[i][c] for i, c in enumerate(choice))
    nl = _nash_logs(np.asarray(u)[None, :], ints, cap, np.ones(space.n_actors, bool))[0]
    return _package(np.array(choice), np.asarray(u), ints, nl)


def _logrolls(
    space: PackageSpace, nash: Package, reference: Sequence[int], name: str
) -> tuple[Logroll, ...]:
    """Pairwise trades that take the reference package to the Nash package.

    d[a, i] is actor a's utility change on issue i from the reference value to the Nash value.
    For actors a and b: a gives the issues where a loses and b gains, b gives those where b
    loses and a gains. It is a logroll when both sets are non-empty and each actor is ahead over
    the two sets together: each concedes what it values less for what it values more. The
    references are no deal (the bargain's starting point) and the issue-by-issue compromise.
    This describes the structure of the Nash package; it does not claim the parties would reach
    it by these trades, and other actors' changes on the same issues are left out.
    """
    eps = 1e-12
    d = np.array(
        [
            space.gain[i][:, nash.choice[i]] - space.gain[i][:, reference[i]]
            for i in range(len(space.issue_ids))
        ]
    ).T  # (n_actors, n_issues)
    ids = space.issue_ids
    out = []
    for a, b in itertools.combinations(range(space.n_actors), 2):
        ag = [i for i in range(d.shape[1]) if d[a, i] < -eps and d[b, i] > eps]
        bg = [i for i in range(d.shape[1]) if d[b, i] < -eps and d[a, i] > eps]
        if not ag or not bg:
            continue
        both = sorted(ag + bg)
        ga, gb = float(d[a, both].sum()), float(d[b, both].sum())
        if ga > eps and gb > eps:
            out.append(
                Logroll(
                    name,
                    space.actor_ids[a],
                    space.actor_ids[b],
                    tuple(ids[i] for i in ag),
                    tuple(ids[i] for i in bg),
                    {ids[i]: (float(d[a, i]), float(d[b, i])) for i in both},
                    ga,
                    gb,
                )
            )
    out.sort(key=lambda lr: -(lr.gain_a + lr.gain_b))
    return tuple(out)


def _binding(
    space: PackageSpace, ints: IntegerSpace, nash: Package, lines: list[tuple[int, int]]
) -> tuple[BindingRedLine, ...]:
    """Red lines on whose edge the Nash package sits, and whether each holds it back: the best
    package that crosses this red line alone (and no other) is searched with the Nash product
    as a floor, so only partial packages that could beat the current solution are expanded."""
    cap = np.asarray(space.capability, float)
    need = np.ones(space.n_actors, bool)
    out = []
    for a, i in lines:
        v = np.asarray(space.values[i], float)
        j = nash.choice[i]
        sides = []
        above = np.flatnonzero(v > v[j])
        below = np.flatnonzero(v < v[j])
        if len(above) and not space.allowed[i][a, above[np.argmin(v[above])]]:
            sides.append("above")
        if len(below) and not space.allowed[i][a, below[np.argmax(v[below])]]:
            sides.append("below")
        if not sides:
            continue
        beyond = np.flatnonzero(~space.allowed[i][a] & np.delete(space.allowed[i], a, 0).all(0))
        best = None
        if len(beyond):
            cand = [np.flatnonzero(m.all(axis=0)) for m in space.allowed]
            cand[i] = beyond
            thr = (ints.reserve - ints.tol).astype(np.int64)
            gains = [ints.gain[k][c] for k, c in enumerate(cand)]
            assert nash.nash_log is not None
            f = _merge(gains, thr, nash=(cap, ints.reserve, ints.tol, ints.scale, nash.nash_log))
            if len(f.count):
                nl = _nash_logs(f.utility, ints, cap, need)
                if nl.max() > nash.nash_log + 1e-9 * max(1.0, abs(nash.nash_log)):
                    best = float(nl.max())
        for side in sides:
            out.append(
                BindingRedLine(
                    space.actor_ids[a], space.issue_ids[i], j, side, best is not None, best
                )
            )
    return tuple(out)


# --- entry points ---------------------------------------------------------------------------------


def search(space: PackageSpace, top: int = TOP, max_conflicts: int = MAX_CONFLICTS) -> SearchResult:
    """The exact zone of agreement of a package space (see the module docstring)."""
    ints = integer_space(space)
    need = np.ones(space.n_actors, bool)
    z = _zone(space, ints, space.allowed, need)
    lines = [
        (a, i)
        for i in range(len(space.issue_ids))
        for a in range(space.n_actors)
        if not space.allowed[i][a].all()
    ]
    red = tuple(Constraint(space.actor_ids[a], space.issue_ids[i]) for a, i in lines)
    best = []
    for k in range(min(top, len(z.front.count))):
        best.append(
            _package(
                z.front.choice[k], z.front.utility[k], ints, z.nash_log[k], int(z.front.count[k])
            )
        )
    comp = _compromise(space, ints)
    conflicts, relax = None, ()
    if z.n_acceptable == 0:
        constraints = [*red, *(Constraint(a) for a in space.actor_ids)]
        checker = _Checker(space, ints, lines)
        conflicts = _conflicts(checker, constraints, max_conflicts)
        relax = _relaxations(space, ints, checker, constraints, lines, conflicts)
    binding, rolls = (), ()
    if z.nash is not None:
        binding = _binding(space, ints, z.nash, lines)
        if all(c >= 0 for c in space.status_quo):
            rolls += _logrolls(space, z.nash, space.status_quo, "no deal")
        if comp is not None:
            rolls += _logrolls(space, z.nash, comp.choice, "compromise")
    return SearchResult(
        title="",
        issue_ids=tuple(space.issue_ids),
        issue_labels=tuple(space.issue_ids),
        actor_ids=tuple(space.actor_ids),
        actor_names=tuple(space.actor_ids),
        values=tuple(tuple(float(x) for x in v) for v in space.values),
        labels=tuple(tuple(lab) for lab in space.labels),
        value_ids=tuple(tuple(lab) for lab in space.labels),
        reservation=tuple(float(r) for r in space.reservation),
        capability=tuple(float(c) for c in space.capability),
        status_quo=tuple(int(s) for s in space.status_quo),
        red_lines=red,
        red_line_text={},
        n_packages=space.n_packages,
        n_no_red_line=z.n_no_red_line,
        n_acceptable=z.n_acceptable,
        frontier_choice=z.front.choice,
        frontier_utility=z.front.utility / ints.scale,
        frontier_count=np.asarray(z.front.count, np.int64),
        nash=z.nash,
        best=tuple(best),
        compromise=comp,
        binding=binding,
        conflicts=conflicts,
        relaxations=relax,
        logrolls=rolls,
    )


def search_scenario(scenario: Scenario, grid_steps: int = 21, top: int = TOP) -> SearchResult:
    """`search` on the scenario's package space, with its names, option ids and red-line texts."""
    space = package_space(scenario, grid_steps)
    result = search(space, top)
    issues = list(scenario.issues.values())
    texts = {}
    for aid, actor in scenario.actors.items():
        for iid, stake in actor.stakes.items():
            if stake.red_line is not None:
                texts[(aid, iid)] = stake.red_line.text or stake.red_line.note or ""
    return replace(
        result,
        title=scenario.title,
        issue_labels=tuple(issue.label for issue in issues),
        actor_names=tuple(a.name for a in scenario.actors.values()),
        value_ids=tuple(
            tuple(issue.value_id(float(v)) for v in vals)
            for issue, vals in zip(issues, space.values, strict=True)
        ),
        red_line_text=texts,
        grid={
            issue.id: tuple(float(v) for v in vals)
            for issue, vals in zip(issues, space.values, strict=True)
            if issue.kind == "numeric"
        },
        grid_steps=grid_steps,
    )


def proposal_points(scenario: Scenario) -> dict[str, dict[str, float]]:
    """Each proposal's utility for every actor ({label: {actor: utility}}), for the charts;
    proposals without provisions (the status quo) are left out: they are the no-deal point."""
    return {
        p.label: {
            aid: utility(actor, scenario.issues, p.package(scenario.issues))
            for aid, actor in scenario.actors.items()
        }
        for p in scenario.proposals.values()
        if p.provisions
    }
