"""The exact search's entry points: a package space, or a scenario, in; a `SearchResult` out.

The search answers, exactly and without enumerating the package space: how many packages cross
no red line and how many every actor accepts, their Pareto frontier and the asymmetric Nash
bargaining package (`model.search.zone`); when no package is acceptable to all, the conflict
core and the smallest relaxation (`model.search.conflicts`); the red lines the Nash package
sits on and the logrolls inside it (`model.search.solution`). Only numpy is imported here;
rendering and charts live in `model.outputs`.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import numpy as np

from model.evaluation.space import PackageSpace, package_space
from model.evaluation.verdicts import utility
from model.scenario.types import Scenario
from model.search.budget import Budget, OverBudget
from model.search.conflicts import AnyWorld, Checker, minimal_conflicts, smallest_relaxations
from model.search.integers import IntegerSpace, integer_space
from model.search.mus import Oracle, minimal_unsat
from model.search.solution import binding_red_lines, compromise, logrolls
from model.search.types import ConflictCore, Constraint, Exactness, SearchResult
from model.search.zone import Front, World, Zone, make_package, nash_logs, union, whole, zone

TOP = 10
"""How many of the best packages a result lists."""

MAX_CONFLICTS = 20
"""At most this many minimal conflicts are listed (the list says when it was cut)."""


def search(
    space: PackageSpace,
    top: int = TOP,
    max_conflicts: int = MAX_CONFLICTS,
    worlds: list[World] | None = None,
    budget: Budget | None = None,
) -> SearchResult:
    """The exact zone of agreement of a package space (see the module docstring).

    `worlds` cut the space by the values of the issues that conditional red lines read
    (`condition_worlds`); `space.allowed` then holds every red line as if unconditional, and each
    world's masks say which hold there. Every answer is the union over the worlds, so it stays
    exact.

    `budget` (default: `Budget()`, 2 GB and 60 s) bounds the arrays and the time; where the
    exact answer is out of reach the result says so in `exact` (see `Exactness`) and gives
    what was proved instead.
    """
    budget = budget or Budget()
    ints = integer_space(space)
    need = np.ones(space.n_actors, bool)
    worlds = worlds or [whole(space)]
    _announce(space, worlds, budget)
    z = union(space, ints, [zone(space, ints, w.masks(), need, budget) for w in worlds], need)
    if z.nash is None and z.n_acceptable == 0 and z.high > 0:
        z = _ascend(space, ints, worlds, need, z, budget)
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
            make_package(
                z.front.choice[k], z.front.utility[k], ints, z.nash_log[k], int(z.front.count[k])
            )
        )
    comp = compromise(space, ints)
    conflicts, relax = None, ()
    # with none found but some not ruled out, whether red lines conflict is not known
    conflicts_exact, binding_exact = z.n_acceptable > 0 or z.high == 0, True
    if z.high == 0:
        budget.say("no package is acceptable to all: searching the conflicts")
        constraints = [*red, *(Constraint(a) for a in space.actor_ids)]
        checkers = [Checker(space, ints, lines, w, budget) for w in worlds]
        checker = checkers[0] if len(checkers) == 1 else AnyWorld(checkers)
        enumerate_ = len(constraints) <= ENUMERATE or z.n_no_red_line <= LARGE
        if enumerate_:
            conflicts = minimal_conflicts(checker, constraints, max_conflicts)
        else:
            conflicts = ConflictCore((), 0, False, len(constraints))
        if conflicts.complete_up_to < len(constraints) and not conflicts.capped:
            conflicts = _extracted(
                space, ints, lines, worlds, checkers, constraints, conflicts, budget
            )
        conflicts_exact = not conflicts.stopped
        if conflicts_exact and enumerate_:
            try:
                relax = smallest_relaxations(
                    space, ints, checker, constraints, lines, conflicts, worlds, budget
                )
            except OverBudget:
                conflicts_exact = False
    binding, rolls = (), ()
    if z.nash is not None and not z.nash_exact:
        binding_exact = False  # against a bound, not an optimum: not decided
    elif z.nash is not None:
        home = next(
            w for w in worlds if all(d[c] for d, c in zip(w.domain, z.nash.choice, strict=True))
        )
        here = space if len(worlds) == 1 else replace(space, allowed=tuple(home.masks()))
        binding, binding_exact = binding_red_lines(here, ints, z.nash, lines, budget)
    if z.nash is not None:
        if all(c >= 0 for c in space.status_quo):
            rolls += logrolls(space, z.nash, space.status_quo, "no deal")
        if comp is not None:
            rolls += logrolls(space, z.nash, comp.choice, "compromise")
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
        exact=Exactness(
            counts=z.counted,
            frontier=z.front.exact,
            nash=z.nash_exact,
            nash_bound=None if z.nash_exact else z.nash_bound,
            conflicts=conflicts_exact,
            binding=binding_exact,
            acceptable_low=z.n_acceptable,
            acceptable_high=z.high,
            time_limit=budget.time_limit,
            memory_mb=budget.memory_mb,
            elapsed=budget.elapsed(),
        ),
    )


ENUMERATE = 24
"""Constraints (red lines and participations) up to which every conflict is enumerated by size
first whatever the space's size; with more, only in spaces of at most LARGE packages crossing no
red line (elsewhere the conflicts come from minimal-unsatisfiable-subset extraction alone)."""


def _extracted(
    space: PackageSpace,
    ints: IntegerSpace,
    lines: list[tuple[int, int]],
    worlds: list[World],
    checkers: list[Checker],
    constraints: list[Constraint],
    core: ConflictCore,
    budget: Budget,
) -> ConflictCore:
    """The core with minimal conflicts of any size added by MUS extraction (`model.search.mus`),
    up to MAX_CONFLICTS in all; `stopped` when the time ran out before the list was done."""
    index = {c: k for k, c in enumerate(constraints)}
    known = [[index[c] for c in s] for s in core.minimal]
    oracle = Oracle(space, ints, lines, worlds, checkers, budget)
    new, minimal, stopped = minimal_unsat(oracle, MAX_CONFLICTS - len(known), known)
    order = sorted(range(len(new)), key=lambda r: (not minimal[r], len(new[r]), new[r]))
    sets = tuple(tuple(constraints[k] for k in new[r]) for r in order)
    first = len(core.minimal)
    return replace(
        core,
        minimal=core.minimal + sets,
        stopped=core.stopped or (stopped and not sets and not core.minimal),
        extracted=len(sets),
        unproven=tuple(first + j for j, r in enumerate(order) if not minimal[r]),
    )


MAX_ASCENTS = 64
"""Worlds a local ascent tries (conditional red lines cut the space into worlds)."""


def _ascend(
    space: PackageSpace,
    ints: IntegerSpace,
    worlds: list[World],
    need: np.ndarray,
    z: Zone,
    budget: Budget,
) -> Zone:
    """When the limits stopped the search before it found any package acceptable to all: a
    local ascent, from each actor's best package within the red lines and from the status quo,
    that changes one issue at a time to raise the smallest gain over no deal. A package it finds
    is acceptable to all (a lower bound of one, and a bargain not proven best); finding none
    proves nothing. It stops at the deadline like every other phase."""
    thr = ints.reserve - ints.tol
    cap = np.asarray(space.capability, float)
    for world in worlds[:MAX_ASCENTS]:
        legal = [np.flatnonzero(m.all(axis=0)) for m in world.masks()]
        if any(len(c) == 0 for c in legal):
            continue
        starts = [
            [int(c[np.argmax(g[c, a])]) for g, c in zip(ints.gain, legal, strict=True)]
            for a in range(space.n_actors)
        ]
        sq = list(space.status_quo)
        if all(k >= 0 and k in c for k, c in zip(sq, legal, strict=True)):
            starts.append([int(k) for k in sq])
        for start in starts:
            choice = np.array(start)
            u = sum(g[k] for g, k in zip(ints.gain, choice, strict=True))
            for _ in range(50):
                moved = False
                for i, (g, c) in enumerate(zip(ints.gain, legal, strict=True)):
                    if budget.late():
                        return z
                    alt = u - g[choice[i]] + g[c]  # (candidates, actors)
                    margin = (alt - thr)[:, need].min(axis=1)
                    j = int(np.argmax(margin))
                    if margin[j] > (u - thr)[need].min():
                        u, choice[i], moved = alt[j], c[j], True
                if (u >= thr)[need].all() or not moved:
                    break
            if (u >= thr)[need].all():
                nl = nash_logs(u[None, :], ints, cap, need)
                front = Front(u[None, :], choice[None, :], np.ones(1, np.int64), exact=False)
                pkg = make_package(choice, u, ints, nl[0]) if np.isfinite(nl[0]) else None
                return replace(
                    z, n_acceptable=1, front=front, nash_log=nl, nash=pkg, nash_exact=False
                )
    return z


LARGE = 10**8
"""Packages crossing no red line above which the search says up front that it may be long."""


def _announce(space: PackageSpace, worlds: list[World], budget: Budget) -> None:
    """The work, estimated before it starts: the packages the count and the frontier range
    over. A large space is announced (on the progress channel) with the limits that apply."""
    n_free = sum(math.prod(int(m.all(axis=0).sum()) for m in w.masks()) for w in worlds)
    if n_free > LARGE:
        budget.say(
            f"{space.n_packages:.3g} packages, {n_free:.3g} crossing no red line "
            f"({space.n_actors} actors, {len(space.issue_ids)} issues); the exact search may "
            f"not fit in {budget.time_limit:g} s and {budget.memory_mb:g} MB, and will then "
            "say what it proved",
            force=True,
        )


MAX_WORLDS = 20_000
"""Joint values of the issues that conditional red lines read, searched one world each."""


def condition_worlds(scenario: Scenario, space: PackageSpace) -> list[World] | None:
    """The space cut by the values of the issues that conditional red lines read: in each
    world those issues are fixed, so each conditional red line either holds or is waived there.
    None when no red line is conditional."""
    issue_ix = {iid: n for n, iid in enumerate(space.issue_ids)}
    conditional = [
        (a, issue_ix[iid], stake.red_line)
        for a, actor in enumerate(scenario.actors.values())
        for iid, stake in actor.stakes.items()
        if stake.red_line is not None and stake.red_line.unless
    ]
    if not conditional:
        return None
    read = sorted({issue_ix[c.issue] for _, _, rl in conditional for c in rl.unless})
    n_worlds = math.prod(len(space.values[i]) for i in read)
    if n_worlds > MAX_WORLDS:
        raise ValueError(
            f"conditional red lines read {len(read)} issues with {n_worlds:,} joint values; "
            f"the exact search handles at most {MAX_WORLDS:,}"
        )
    worlds = []
    for picks in itertools.product(*(range(len(space.values[i])) for i in read)):
        domain = [np.ones(len(v), bool) for v in space.values]
        for i, k in zip(read, picks, strict=True):
            domain[i] = np.arange(len(space.values[i])) == k
        package = {
            space.issue_ids[i]: float(space.values[i][k]) for i, k in zip(read, picks, strict=True)
        }
        allowed = [m.copy() for m in space.allowed]
        for a, i, rl in conditional:
            if all(c.met_by(package[c.issue]) for c in rl.unless):
                allowed[i][a] = True
        worlds.append(World(tuple(domain), tuple(allowed)))
    return worlds


def search_scenario(
    scenario: Scenario, grid_steps: int = 21, top: int = TOP, budget: Budget | None = None
) -> SearchResult:
    """`search` on the scenario's package space, with its names, option ids and red-line texts."""
    space = package_space(scenario, grid_steps)
    result = search(space, top, worlds=condition_worlds(scenario, space), budget=budget)
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
        as_of=scenario.as_of,
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
