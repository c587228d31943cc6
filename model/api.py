"""The Python API the CLI wraps, and a notebook calls: load a scenario, run it, search it, sweep
it, compare it, write what it found.

    from model import load_scenario, run, write_outputs
    results = run(load_scenario("scenarios/28-point.yaml"), seed=1)
    write_outputs(results, "outputs/28-point")
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from model.scenario.loader import Problem, ScenarioError, load_scenario, split_spec

if TYPE_CHECKING:
    from model.compare import Comparison, UnknownProposal
    from model.extract import Finding
    from model.outputs.compare import write_compare
    from model.outputs.files import Extra, write_outputs
    from model.pipeline import run
    from model.scenario.types import Scenario

_LAZY = {
    "Comparison": "model.compare",
    "UnknownProposal": "model.compare",
    "write_compare": "model.outputs.compare",
    "Extra": "model.outputs.files",
    "write_outputs": "model.outputs.files",
    "run": "model.pipeline",
    "search_extra": "model.outputs.search",
    "discover": "model.discover",
    "discover_extra": "model.outputs.discover",
    "sweep_extra": "model.outputs.sweep",
}
"""Where each export that needs numpy, Mesa or matplotlib lives: imported on first use, so that
loading and validating a scenario costs only the loader."""


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
    from model.compare import compare_picked

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
    from model.scenario.types import Scenario

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario, seeds=seeds)
    return extract_documents(sc, list(docs))


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
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
