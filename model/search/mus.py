"""Minimal conflicts of any size: deletion-based extraction of minimal unsatisfiable subsets
(MUS) with CP-SAT as the oracle (Marques-Silva, "Minimal unsatisfiability: models, algorithms
and applications", ISMVL 2010).

Each constraint (a red line, or an actor's participation) is enforced by a literal of a CP-SAT
model of the package space (`model.search.cpsat`), so a subset is tested by solving with those
literals fixed true (each member is then deleted in turn, and kept only if the rest holds
without it). A set is reported only when
it is proven unsatisfiable and dropping any one of its members is proven satisfiable: each is
an exact minimal conflict, whatever the number of constraints. Further conflicts are found by
extracting again without one member of a conflict already found (so each new one differs);
they are not all the minimal conflicts, which can be exponentially many.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from model.evaluation.space import PackageSpace
from model.search.budget import Budget, OverBudget
from model.search.conflicts import Checker
from model.search.cpsat import PackageModel
from model.search.integers import IntegerSpace
from model.search.zone import FAR, World, count_acceptable

_QUICK = 0.5  # seconds of the first, short solve of a set of constraints


class Oracle:
    """Does a set of constraints (indices: the red lines `lines`, then one participation
    constraint per actor) hold in some world? A known witness package settles most sets; then a
    short CP-SAT solve (one model per world) finds a witness or proves none exists; what it
    leaves open, the exact count decides when it can (`model.search.zone`: its bounds prune the
    participation constraints' sums far better than the solver's propagation proves them
    infeasible), then CP-SAT with the rest of the time."""

    def __init__(
        self,
        space: PackageSpace,
        ints: IntegerSpace,
        lines: Sequence[tuple[int, int]],
        worlds: Sequence[World],
        checkers: Sequence[Checker],
        budget: Budget,
    ) -> None:
        self.budget = budget
        self.checkers = checkers
        self.n = len(lines) + space.n_actors
        self.models = []
        thr = ints.reserve - ints.tol
        for world in worlds:
            dom = [np.flatnonzero(d) for d in world.domain]
            m = PackageModel([g[d] for g, d in zip(ints.gain, dom, strict=True)])
            lits = [m.literal() for _ in range(self.n)]
            for k, (a, i) in enumerate(lines):
                m.forbid(i, np.flatnonzero(~world.allowed[i][a][dom[i]]), enforce=lits[k])
            for a in range(space.n_actors):
                m.at_least(a, int(thr[a]), enforce=lits[len(lines) + a])
            self.models.append((m, lits, dom))

    def _in_world(
        self, w: int, subset: Sequence[int], seconds: float
    ) -> tuple[bool | None, set[int]]:
        """The stages of the check in world w, within `seconds` in all."""
        m, lits, dom = self.models[w]
        checker = self.checkers[w]
        row = np.zeros(self.n, bool)
        row[list(subset)] = True
        if checker.by_witness(row[None, :])[0]:
            return True, set()
        b = self.budget
        end = b.elapsed() + min(seconds, max(0.0, b.left()))
        for stage in range(2):
            if stage:  # the exact count, the exact search, then the solver with what is left
                low, high = self._count(w, subset, (b.elapsed() + (end - b.elapsed()) / 4))
                if high == 0:
                    return False, set(subset)
                if low > 0:
                    return True, set()
                try:
                    until = (b.elapsed() + (end - b.elapsed()) / 3) / b.time_limit
                    if checker.holds(row, until=until):
                        return True, set()
                    return False, set(subset)
                except OverBudget:
                    pass
            left = end - b.elapsed()
            s = m.solve(
                min(_QUICK, left) if stage == 0 else left,
                assumptions=[lits[k] for k in subset],
            )
            if s.found:
                checker.add(np.array([d[c] for d, c in zip(dom, s.choice, strict=True)]))
                return True, set()
            if s.status == "infeasible":
                return False, set(subset)
        return None, set()

    def _count(self, w: int, subset: Sequence[int], end: float) -> tuple[int, int]:
        """Bounds on the packages of world w that satisfy the subset (`model.search.zone`'s
        count), counting until `end` seconds into the search."""
        checker = self.checkers[w]
        masks = [d.copy() for d in checker.domain]
        n_lines = len(checker.lines)
        for k in subset:
            if k < n_lines:
                a, i = checker.lines[k]
                masks[i] &= checker.allowed[i][a]
        cand = [np.flatnonzero(m) for m in masks]
        if any(len(c) == 0 for c in cand):
            return 0, 0
        part = np.zeros(len(checker.thr), bool)
        part[[k - n_lines for k in subset if k >= n_lines]] = True
        thr = np.where(part, checker.thr, FAR).astype(np.int64)
        gains = [checker.ints.gain[i][c] for i, c in enumerate(cand)]
        return count_acceptable(gains, thr, self.budget, share=end / self.budget.time_limit)

    def holds(
        self, subset: Sequence[int], seconds: float = math.inf
    ) -> tuple[bool | None, list[int]]:
        """(True, []) if some world satisfies the subset; (False, subset) if none does; (None,
        []) if the time (all that is left, or `seconds`) ran out."""
        core: set[int] = set()
        for w in range(len(self.models)):
            if self.budget.late():
                return None, []
            ok, part = self._in_world(w, subset, seconds / (len(self.models) - w))
            if ok is None or ok:
                return ok, []
            core |= part
        return False, [k for k in subset if k in core]


def extract(oracle: Oracle, subset: Sequence[int]) -> tuple[bool | None, list[int], bool]:
    """A minimal unsatisfiable subset of `subset`, as (True, set, minimal): the set is proven
    unsatisfiable, and minimal unless a deletion check ran out of its share of the time (that
    member is then kept). (False, [], True) when the subset is satisfiable, (None, [], False)
    when the time ran out first."""
    ok, core = oracle.holds(list(subset))
    if ok is None:
        return None, [], False
    if ok:
        return False, [], True
    s = core
    kept: set[int] = set()  # every subset without one of these holds (or was not decided)
    minimal = True
    for c in list(s):
        if c not in s or c in kept:
            continue
        oracle.budget.say(f"conflicts: testing {len(s)} constraints for a minimal conflict")
        rest = [x for x in s if x != c]
        todo = sum(1 for x in s if x not in kept)
        ok, core = oracle.holds(rest, max(1.0, oracle.budget.left() / todo))
        if ok is False:
            s = core
        else:
            kept.add(c)
            minimal &= ok is True
    return True, sorted(s), minimal


def minimal_unsat(
    oracle: Oracle, cap: int, known: Sequence[Sequence[int]] = ()
) -> tuple[list[list[int]], list[bool], bool]:
    """Up to `cap` distinct conflicts (besides the `known` ones), whether each is proven
    minimal, and whether the time ran out first: the first from every constraint, each next
    one from every constraint but one member of a conflict found (tried in order)."""
    everything = list(range(oracle.n))
    found: list[list[int]] = [sorted(k) for k in known]
    new: list[list[int]] = []
    proven: list[bool] = []
    tried: set[tuple[int, ...]] = set()
    queue: list[tuple[int, ...]] = [()]
    while queue and len(new) < cap:
        without = queue.pop(0)
        if without in tried:
            continue
        tried.add(without)
        ok, mus, minimal = extract(oracle, [k for k in everything if k not in without])
        if ok is None:
            return new, proven, True
        if not ok:
            continue
        if mus not in found:
            found.append(mus)
            new.append(mus)
            proven.append(minimal)
        queue += [tuple(sorted({*without, k})) for k in mus if len(without) < 2]
    return new, proven, False
