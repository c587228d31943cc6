"""The Python API the CLI wraps, and a notebook calls: load a scenario, run it, search it, sweep
it, compare it, write what it found.

    from model import load_scenario, run, write_outputs
    results = run(load_scenario("scenarios/28-point.yaml"), seed=1)
    write_outputs(results, "outputs/28-point")
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from model.compare import Comparison, UnknownProposal, compare_picked
from model.outputs.compare import write_compare
from model.outputs.files import Extra, write_outputs
from model.pipeline import run
from model.scenario.loader import Problem, ScenarioError, load_scenario, split_spec
from model.scenario.types import Scenario


def compare(
    specs: Sequence[str | os.PathLike[str] | tuple[Scenario, str | None]],
    seeds: str | os.PathLike[str] | None = None,
) -> list[Comparison]:
    """What changes from the first scenario to each of the others. Each is `FILE`,
    `FILE:PROPOSAL` or an already loaded (scenario, proposal id or None); raises ScenarioError
    for a file that does not load, UnknownProposal for an id its file lacks."""
    picked = []
    for spec in specs:
        if isinstance(spec, tuple):
            picked.append(spec)
        else:
            path, pid = split_spec(os.fspath(spec))
            picked.append((load_scenario(path, seeds=seeds), pid))
    return compare_picked(picked)


def __getattr__(name: str):
    # the search, the sweep and the discovery (and their outputs) load only when asked for
    if name == "search_extra":
        from model.outputs.search import search_extra

        return search_extra
    if name == "discover":
        from model.discover import discover

        return discover
    if name == "discover_extra":
        from model.outputs.discover import discover_extra

        return discover_extra
    if name == "sweep_extra":
        from model.outputs.sweep import sweep_extra

        return sweep_extra
    raise AttributeError(f"module 'model.api' has no attribute {name!r}")


__all__ = [
    "Extra",
    "Problem",
    "ScenarioError",
    "UnknownProposal",
    "compare",
    "load_scenario",
    "run",
    "write_compare",
    "write_outputs",
]
