"""A package space as a CP-SAT model (OR-Tools): one Boolean per candidate value, exactly one per
issue, and each actor's utility the linear sum of its exact integer gains
(`model.search.integers`), so the solver decides acceptability exactly as the enumeration does.

Used where enumerating would not fit: the bounded Nash search (`model.search.nash`) and the
conflict core (`model.search.mus`). OR-Tools is imported only here, when a search needs it (its
import takes about 0.2 s). One worker thread by default: the same input and limits give the same
answer unless the time limit cuts a solve short (the bounded search's first phase, a hard search
for any acceptable package, takes two).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

_MIN_SECONDS = 0.05  # a solve given less than this is not started


@dataclass(frozen=True)
class Solved:
    """One solve: status ("optimal", "feasible", "infeasible" or "unknown"), the package found
    (candidate index per issue) and the solver's proven bound on the objective (None without
    an objective or a proof)."""

    status: str
    choice: np.ndarray | None
    bound: float | None = None

    @property
    def found(self) -> bool:
        return self.choice is not None


class PackageModel:
    """CP-SAT model of packages built from per-issue candidate lists.

    gains[i] is (k_i, n): the integer gain of each candidate of issue i for each actor.
    Constraints can be enforced by a literal (`literal()`), so one model answers many subsets of
    constraints (the conflict core's oracle): `solve` fixes the given literals true.
    """

    def __init__(self, gains: Sequence[np.ndarray]) -> None:
        from ortools.sat.python import cp_model

        self._cp = cp_model
        self.model = cp_model.CpModel()
        self.sizes = [len(g) for g in gains]
        self.x = [
            [self.model.new_bool_var(f"x{i}_{k}") for k in range(n)]
            for i, n in enumerate(self.sizes)
        ]
        for row in self.x:
            self.model.add_exactly_one(row)
        self.flat = [v for row in self.x for v in row]
        self.gain = np.concatenate([np.asarray(g, np.int64) for g in gains])  # (sum k, n)

    def expr(self, coef: np.ndarray) -> Any:
        """The linear expression sum coef[v] * x_v over every candidate variable."""
        nz = np.flatnonzero(coef)
        return self._cp.LinearExpr.weighted_sum(
            [self.flat[v] for v in nz], [int(c) for c in coef[nz]]
        )

    def literal(self) -> Any:
        return self.model.new_bool_var("")

    def integer(self, upper: int) -> Any:
        """A new integer variable in [0, upper]."""
        return self.model.new_int_var(0, int(upper), "")

    def at_most(self, var: Any, coef: np.ndarray, const: int, enforce: Any = None) -> None:
        """var <= sum coef[v] * x_v + const (a cut on an extra variable)."""
        c = self.model.add(var - self.expr(coef) <= int(const))
        if enforce is not None:
            c.only_enforce_if(enforce)

    def at_least(self, actor: int, threshold: int, enforce: Any = None) -> None:
        """Actor's utility >= threshold (exact integers)."""
        c = self.model.add(self.expr(self.gain[:, actor]) >= int(threshold))
        if enforce is not None:
            c.only_enforce_if(enforce)

    def forbid(self, issue: int, ks: Sequence[int], enforce: Any = None) -> None:
        """None of the candidates ks of the issue (a red line's excluded values)."""
        if not len(ks):
            return
        c = self.model.add(sum(self.x[issue][int(k)] for k in ks) == 0)
        if enforce is not None:
            c.only_enforce_if(enforce)

    def solve(
        self,
        seconds: float,
        objective: np.ndarray | None = None,
        assumptions: Sequence[Any] = (),
        hint: np.ndarray | None = None,
        extra: Sequence[tuple[Any, int]] = (),
        workers: int = 1,
    ) -> Solved:
        """Solve within `seconds`, maximising sum objective[v] * x_v (integers) plus the
        `extra` terms (variable, integer weight), when given. More `workers` search better
        (CP-SAT runs a portfolio) but which package a time-limited solve returns then varies
        from run to run."""
        if seconds < _MIN_SECONDS:
            return Solved("unknown", None)
        m = self.model
        m.clear_objective()
        has_objective = objective is not None or bool(extra)
        if has_objective:
            terms = self.expr(objective) if objective is not None else 0
            m.maximize(terms + sum(int(c) * v for v, c in extra))
        m.clear_hints()
        if hint is not None:
            for i, k in enumerate(hint):
                for j, v in enumerate(self.x[i]):
                    m.add_hint(v, j == int(k))
        if len(assumptions):
            # the literals are fixed in a copy rather than passed as CP-SAT assumptions: with
            # assumptions and coefficients near 2**48, OR-Tools 9.15 declared satisfiable sets
            # infeasible (tests/test_search_bounded.py found one)
            m = m.clone()
            for lit in assumptions:
                m.add_bool_or([m.get_bool_var_from_proto_index(lit.index)])
        solver = self._cp.CpSolver()
        solver.parameters.max_time_in_seconds = float(seconds)
        solver.parameters.num_workers = workers
        status = solver.solve(m)
        cp = self._cp
        name = {
            cp.OPTIMAL: "optimal",
            cp.FEASIBLE: "feasible",
            cp.INFEASIBLE: "infeasible",
        }.get(status, "unknown")
        if name in ("optimal", "feasible"):
            choice = np.array(
                [next(k for k, v in enumerate(row) if solver.boolean_value(v)) for row in self.x],
                np.int64,
            )
            bound = solver.best_objective_bound if has_objective else None
            return Solved(name, choice, bound)
        return Solved(name, None)
