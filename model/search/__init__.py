"""The zone of possible agreement: exact search over the package space (computation and result
types only; rendering lives in model.outputs).

    from model.search import search_scenario
    result = search_scenario(load_scenario("scenarios/28-point.yaml"))

Modules: `run` (the entry points), `zone` (counts, Pareto frontier, Nash package), `pareto`
(the dominance filter), `integers` (exact integer utilities), `conflicts` (conflict core by
enumeration, and relaxations), `solution` (binding red lines, logrolls), `types` (the result
objects), `budget` (the memory budget and time limit; past them the result says what is only
bounded, in `SearchResult.exact`), and for what does not fit them: `nash` (the bargaining
package by a solver, with a proven bound), `mus` (minimal conflicts of any size), `cpsat` (the
package space as an OR-Tools CP-SAT model).
"""

from model.search.budget import Budget
from model.search.conflicts import MAX_CHECKS, MAX_RELAXATIONS
from model.search.integers import IntegerSpace, integer_space
from model.search.run import MAX_CONFLICTS, TOP, proposal_points, search, search_scenario
from model.search.types import (
    BindingRedLine,
    ConflictCore,
    Constraint,
    Exactness,
    Logroll,
    Package,
    Relaxation,
    SearchResult,
)

__all__ = [
    "MAX_CHECKS",
    "MAX_CONFLICTS",
    "MAX_RELAXATIONS",
    "TOP",
    "BindingRedLine",
    "Budget",
    "ConflictCore",
    "Constraint",
    "Exactness",
    "IntegerSpace",
    "Logroll",
    "Package",
    "Relaxation",
    "SearchResult",
    "integer_space",
    "proposal_points",
    "search",
    "search_scenario",
]
