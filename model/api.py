"""The Python API the CLI wraps, and a notebook calls: load a scenario, run it, search it, sweep
it, compare it, write what it found.

    from model import load_scenario, run, write_outputs
    results = run(load_scenario("scenarios/28-point.yaml"), seed=1)
    write_outputs(results, "outputs/28-point")
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from model.compare import Comparison, UnknownProposal, compare_picked
from model.outputs.compare import write_compare
from model.outputs.files import Extra, write_outputs
from model.pipeline import run
from model.scenario.loader import Problem, ScenarioError, load_scenario, split_spec
from model.scenario.types import Scenario

if TYPE_CHECKING:
    from model.extract import Finding


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


def extract(
    docs: Sequence[str | os.PathLike[str]],
    scenario: str | os.PathLike[str] | Scenario,
    seeds: str | os.PathLike[str] | None = None,
) -> list[Finding]:
    """The sentences of `docs` (files, or folders of .txt) in which an actor of the scenario
    states its own position on an issue, each set against the scenario's coding. Raises
    ScenarioError for a scenario that does not load, DocumentError for an unreadable document.
    (model.extract loads only when asked for.)"""
    from model.extract import extract_documents

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario, seeds=seeds)
    return extract_documents(sc, list(docs))


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
    "UnknownProposal",
    "compare",
    "extract",
    "load_scenario",
    "run",
    "write_compare",
    "write_outputs",
]
