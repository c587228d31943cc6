"""negotiation-sim: which proposals satisfy which positions, why, and what deal could.

The Python API (the `sim` command is a thin layer over it):

    from model import load_scenario, run, write_outputs
    scenario = load_scenario("scenarios/28-point.yaml")
    results = run(scenario, seed=42)
    write_outputs(results, "outputs/28-point")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from model.api import Problem, ScenarioError, load_scenario, run, write_outputs

__all__ = ["Problem", "ScenarioError", "load_scenario", "run", "write_outputs"]


def __getattr__(name: str) -> object:
    # the exports load on first use: importing any `model.x` imports this package first, and
    # `sim --help`/`sim validate` must not pay for numpy, Mesa and matplotlib (model.api)
    if name in __all__:
        from model import api

        return getattr(api, name)
    raise AttributeError(f"module 'model' has no attribute {name!r}")
