"""The Python API the CLI wraps, and a notebook calls: load a scenario, run it, search it, sweep
it, compare it, write what it found.

    from model import load_scenario, run, write_outputs
    results = run(load_scenario("scenarios/28-point.yaml"), seed=1)
    write_outputs(results, "outputs/28-point")
"""

from __future__ import annotations

from model.outputs.files import Extra, write_outputs
from model.pipeline import run
from model.scenario.loader import Problem, ScenarioError, load_scenario


def __getattr__(name: str):
    # the search and the sweep (and their outputs) load only when asked for
    if name == "search_extra":
        from model.outputs.search import search_extra

        return search_extra
    if name == "sweep_extra":
        from model.outputs.sweep import sweep_extra

        return sweep_extra
    raise AttributeError(f"module 'model.api' has no attribute {name!r}")


__all__ = [
    "Extra",
    "Problem",
    "ScenarioError",
    "load_scenario",
    "run",
    "write_outputs",
]
