"""When no package is acceptable to all: the conflict core and the smallest relaxations.

The constraints are the red lines (actor, issue) and the participation constraints (actor: u_a
>= reservation_a). Constraint sets are enumerated in increasing size; a set holds iff a package
satisfies it, which a kept witness package usually shows at once, and otherwise a search like
the frontier's (`model.search.zone.merge`) decides (red lines alone only ever conflict within
one issue, where their masks AND to nothing; across issues conflicts need participation
constraints). Sets that contain a conflict already found are skipped, so every unsatisfiable
set found is minimal. The smallest relaxations are the smallest sets whose removal leaves the
rest satisfiable (they must hit every minimal conflict, which filters candidates).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from model.evaluation.space import PackageSpace
from model.search.budget import Budget, OverBudget
from model.search.integers import IntegerSpace
from model.search.types import ConflictCore, Constraint, Relaxation
from model.search.zone import World, make_package, merge, union, whole, zone

MAX_RELAXATIONS = 10
"""At most this many smallest relaxations are evaluated and listed."""

MAX_CHECKS = 200_000
"""Constraint sets enumerated at most, per enumeration (conflicts, then relaxations), counted
by whole sizes; most are settled by a known witness package in one matrix product."""


class Checker:
    """Can a set of constraints hold together? Sets are boolean rows over the constraints (the
    red lines `lines`, then one participation constraint per actor). Witness packages found on
    the way are kept: a set that some witness satisfies holds without a search, so most
    satisfiable sets cost one matrix product."""

    def __init__(
        self,
        space: PackageSpace,
        ints: IntegerSpace,
        lines: list[tuple[int, int]],
        world: World | None = None,
        budget: Budget | None = None,
    ) -> None:
        """`world`: only the packages of that cell of the space (see model.search.zone.World),
        with its red-line masks; by default the whole space with `space.allowed`. With a
        `budget`, a set that the bounded search cannot settle raises OverBudget."""
        world = world or whole(space)
        self.budget = budget
        self.space, self.ints, self.lines = space, ints, lines
        self.allowed, self.domain = world.allowed, world.domain
        self.n = len(lines) + space.n_actors
        self.thr = ints.reserve - ints.tol
        self.respected = [m.sum(axis=0) for m in self.allowed]  # red lines each value keeps
        self.broken = np.zeros((0, self.n), np.int32)  # per witness: the constraints it breaks
        low = np.iinfo(np.int64).min
        for a in range(space.n_actors):  # each actor's ideal package (in the world)
            self._add(
                np.array(
                    [
                        int(np.argmax(np.where(d, g[:, a], low)))
                        for g, d in zip(ints.gain, self.domain, strict=True)
                    ]
                )
            )
        sq = space.status_quo
        if all(s >= 0 for s in sq) and all(d[s] for d, s in zip(self.domain, sq, strict=True)):
            self._add(np.array(sq))

    def add(self, choice: np.ndarray) -> None:
        """Keep a package (candidate index per issue, in the world) as a witness."""
        self._add(choice)

    def _add(self, choice: np.ndarray) -> None:
        u = sum(self.ints.gain[i][c] for i, c in enumerate(choice))
        row = [not self.allowed[i][a, choice[i]] for a, i in self.lines]
        row += list(np.asarray(u) < self.thr)
        self.broken = np.vstack([self.broken, np.array(row, np.int32)[None, :]])

    def by_witness(self, sets: np.ndarray) -> np.ndarray:
        """For each set (row), does a known witness satisfy it?"""
        return ((sets.astype(np.int32) @ self.broken.T) == 0).any(axis=1)

    def holds(self, subset: np.ndarray, until: float | None = None) -> bool:
        """True iff some package satisfies every constraint of the set (a boolean row). With
        `until` (a share of the budget's time limit), the search raises OverBudget past it
        instead of narrowing to a beam."""
        if self.by_witness(subset[None, :])[0]:
            return True
        masks = [d.copy() for d in self.domain]
        for k in np.flatnonzero(subset[: len(self.lines)]):
            a, i = self.lines[k]
            masks[i] &= self.allowed[i][a]
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
        if until is None:
            f = merge(gains, self.thr[cols], first_only=True, budget=self.budget)
        else:
            f = merge(
                gains, self.thr[cols], first_only=True, budget=self.budget, beam=False, until=until
            )
        if len(f.count) == 0:
            if not f.exact:  # a beam found no witness: that proves nothing
                raise OverBudget
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
            if self.budget is not None:
                self.budget.check()
                self.budget.say(f"conflicts: {done:,} of {len(todo):,} sets of constraints")
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


class AnyWorld:
    """A set of constraints holds in a space cut into worlds iff it holds in one of them."""

    def __init__(self, checkers: list[Checker]) -> None:
        self.checkers = checkers

    def select(self, sets: np.ndarray, holding: bool) -> list[int]:
        held = np.zeros(len(sets), bool)
        for checker in self.checkers:
            rows = np.flatnonzero(~held)
            if not len(rows):
                break
            held[rows[checker.select(sets[rows], holding=True)]] = True
        return [int(r) for r in np.flatnonzero(held if holding else ~held)]


def _combinations(n: int, size: int) -> np.ndarray:
    """Every set of `size` of n constraints, as boolean rows in lexicographic order."""
    idx = np.array(list(itertools.combinations(range(n), size)), np.int64)
    idx = idx.reshape(math.comb(n, size), size)
    rows = np.zeros((len(idx), n), bool)
    rows[np.arange(len(idx))[:, None], idx] = True
    return rows


def minimal_conflicts(
    checker: Checker | AnyWorld, constraints: list[Constraint], cap: int
) -> ConflictCore:
    """Minimal unsatisfiable subsets, by enumeration in increasing size. Sets containing a
    conflict found before are skipped, so every set found unsatisfiable is minimal. Past the
    checker's budget, the sizes fully examined are what is reported (`stopped`)."""
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
        try:
            bad = checker.select(sets, holding=False)
        except OverBudget:
            return _core(constraints, minimal, size - 1, False, stopped=True)
        for r in bad:
            minimal.append(sets[r])
            if len(minimal) >= cap:
                return _core(constraints, minimal, size - 1, True)
        if minimal:
            found = np.array(minimal, np.int32)
    return _core(constraints, minimal, n, False)


def _core(
    constraints: list[Constraint],
    minimal: list[np.ndarray],
    complete: int,
    capped: bool,
    stopped: bool = False,
) -> ConflictCore:
    sets = tuple(tuple(constraints[k] for k in np.flatnonzero(s)) for s in minimal)
    return ConflictCore(sets, complete, capped, len(constraints), stopped)


def smallest_relaxations(
    space: PackageSpace,
    ints: IntegerSpace,
    checker: Checker | AnyWorld,
    constraints: list[Constraint],
    lines: list[tuple[int, int]],
    core: ConflictCore,
    worlds: list[World] | None = None,
    budget: Budget | None = None,
) -> tuple[Relaxation, ...]:
    """The smallest sets of constraints whose removal leaves a satisfiable rest, best first:
    fewest participation constraints dropped, then the best Nash product they open. Every such
    set must hit every minimal conflict, which filters the candidates before any check; a
    constraint that conflicts on its own is in every such set, so only the others are
    enumerated. Raises OverBudget when the budget runs out before they are found."""
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
    worlds = worlds or [whole(space)]
    for drop in hits[: 20 * MAX_RELAXATIONS]:
        need = np.ones(space.n_actors, bool)
        need[[k - len(lines) for k in np.flatnonzero(drop) if k >= len(lines)]] = False
        zones = []
        for world in worlds:
            allowed = [m.copy() for m in world.allowed]
            for k in np.flatnonzero(drop):
                if k < len(lines):
                    a, i = lines[k]
                    allowed[i][a] = True
            zones.append(zone(space, ints, world.masks(allowed), need, budget))
        z = union(space, ints, zones, need)
        pkg = z.nash
        if pkg is None and len(z.front.count):
            pkg = make_package(z.front.choice[0], z.front.utility[0], ints, z.nash_log[0])
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
