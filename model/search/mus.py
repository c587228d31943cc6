"""Minimal conflicts of any size: deletion-based extraction of minimal unsatisfiable subsets
(MUS) with CP-SAT as the oracle (Marques-Silva, "Minimal unsatisfiability: models, algorithms
and applications", ISMVL 2010).

Each constraint (a red line, or an actor's participation) is enforced by a literal of a CP-SAT
model of the package space (`model.search.cpsat`), so a subset is tested by solving under those
literals as assumptions, and an unsatisfiable answer comes with a subset that already suffices
(the solver's core), which shrinks the set before each deletion. A set is reported only when
it is proven unsatisfiable and dropping any one of its members is proven satisfiable: each is
an exact minimal conflict, whatever the number of constraints. Further conflicts are found by
extracting again without one member of a conflict already found (so each new one differs);
they are not all the minimal conflicts, which can be exponentially many.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from model.evaluation.space import PackageSpace
from model.search.budget import Budget
from model.search.cpsat import PackageModel
from model.search.integers import IntegerSpace
from model.search.zone import World


class Oracle:
    """Does a set of constraints (indices: the red lines `lines`, then one participation
    constraint per actor) hold in some world? One CP-SAT model per world."""

    def __init__(
        self,
        space: PackageSpace,
        ints: IntegerSpace,
        lines: Sequence[tuple[int, int]],
        worlds: Sequence[World],
        budget: Budget,
    ) -> None:
        self.budget = budget
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
            self.models.append((m, lits))

    def holds(self, subset: Sequence[int]) -> tuple[bool | None, list[int]]:
        """(True, []) if some world satisfies the subset; (False, core) if none does, core a
        part of the subset that already fails in every world; (None, []) if the time ran out."""
        core: set[int] = set()
        for m, lits in self.models:
            s = m.solve(self.budget.left(), assumptions=[lits[k] for k in subset])
            if s.found:
                return True, []
            if s.status != "infeasible":
                return None, []
            core |= {subset[j] for j in s.core} if s.core else set(subset)
        return False, [k for k in subset if k in core]


def extract(oracle: Oracle, subset: Sequence[int]) -> tuple[bool | None, list[int]]:
    """A minimal unsatisfiable subset of `subset`: (True, mus) when proven, (False, []) when the
    subset is satisfiable, (None, []) when the time ran out first."""
    ok, core = oracle.holds(list(subset))
    if ok is None:
        return None, []
    if ok:
        return False, []
    s = core
    critical: set[int] = set()
    for c in list(s):
        if c not in s or c in critical:
            continue
        oracle.budget.say(f"conflicts: testing {len(s)} constraints for a minimal conflict")
        rest = [x for x in s if x != c]
        ok, core = oracle.holds(rest)
        if ok is None:
            return None, []
        if ok:
            critical.add(c)
        else:
            s = core
    return True, sorted(s)


def minimal_unsat(
    oracle: Oracle, cap: int, known: Sequence[Sequence[int]] = ()
) -> tuple[list[list[int]], bool]:
    """Up to `cap` distinct minimal conflicts (besides the `known` ones), and whether the time
    ran out first: the first from every constraint, each next one from every constraint but one
    member of a conflict found (tried in order)."""
    everything = list(range(oracle.n))
    found: list[list[int]] = [sorted(k) for k in known]
    new: list[list[int]] = []
    tried: set[tuple[int, ...]] = set()
    queue: list[tuple[int, ...]] = [()]
    while queue and len(new) < cap:
        without = queue.pop(0)
        if without in tried:
            continue
        tried.add(without)
        ok, mus = extract(oracle, [k for k in everything if k not in without])
        if ok is None:
            return new, True
        if not ok:
            continue
        if mus not in found:
            found.append(mus)
            new.append(mus)
        queue += [tuple(sorted({*without, k})) for k in mus if len(without) < 2]
    return new, False
