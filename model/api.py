"""The Python API the CLI wraps: load a scenario, run it, write what it found.

from model import load_scenario, run, write_outputs
results = run(load_scenario("scenarios/28-point.yaml"), seed=1)
write_outputs(results, "outputs/28-point")
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from model.evaluate import evaluate, impacts, verdict
from model.outputs import write_atomically
from model.results import FORECAST_ID, Results, RoundRecord
from model.scenario import Proposal, Provision, Scenario

if TYPE_CHECKING:  # the search and the sweep load only when a command asks for them
    from model.search import SearchResult
    from model.sweep import SweepResult

FORECAST_WORDS = {
    "mean": "the capability x salience weighted mean (compromise model)",
    "median": "the capability x salience weighted median (Condorcet winner)",
    "nbs": "the asymmetric Nash bargaining solution against the status quo",
}


def run(scenario: Scenario, seed: int | None = None) -> Results:
    """Evaluate every proposal, run the negotiation dynamics and evaluate their outcome."""
    from model.negotiation import NegotiationModel  # mesa loads only when a run needs it

    seed = scenario.model.seed if seed is None else seed
    negotiation = NegotiationModel(scenario, seed=seed)
    negotiation.run()
    forecast = Proposal(
        id=FORECAST_ID,
        label=f"Model forecast ({negotiation.steps} rounds)",
        provisions={iid: Provision(iid, v) for iid, v in negotiation.forecast().items()},
        description=FORECAST_WORDS[scenario.model.forecast]
        + " of the final positions, snapped to the nearest option on ordinal issues",
    )
    return Results(
        scenario=scenario,
        seed=seed,
        verdicts={pid: evaluate(scenario, p) for pid, p in scenario.proposals.items()},
        impacts={pid: impacts(scenario, p) for pid, p in scenario.proposals.items()},
        history=history(negotiation),
        forecast=forecast,
        forecast_verdicts={
            aid: verdict(scenario, a, forecast.package(scenario.issues), FORECAST_ID)
            for aid, a in scenario.actors.items()
        },
        converged=negotiation.converged,
    )


def history(negotiation) -> list[RoundRecord]:
    """The data collector's tables, one record per round, keyed by actor and issue ids."""
    dc = negotiation.datacollector
    ids = {a.unique_id: a.actor_id for a in negotiation.agents}
    issues = list(negotiation.spec.issues)
    model_vars = dc.get_model_vars_dataframe()
    agent_vars = dc.get_agent_vars_dataframe()
    positions: list[dict[str, dict[str, float]]] = [
        {iid: {} for iid in issues} for _ in range(len(model_vars))
    ]
    for (step, uid), row in agent_vars.iterrows():
        for iid in issues:
            if row[iid] == row[iid]:  # NaN: no stake
                positions[int(step)][iid][ids[uid]] = float(row[iid])
    return [
        RoundRecord(
            round=n,
            positions=positions[n],
            mean={iid: float(model_vars[f"mean:{iid}"].iloc[n]) for iid in issues},
            median={iid: float(model_vars[f"median:{iid}"].iloc[n]) for iid in issues},
            nbs={iid: float(model_vars[f"nbs:{iid}"].iloc[n]) for iid in issues},
        )
        for n in range(len(model_vars))
    ]


@dataclass(frozen=True)
class Extra:
    """An analysis beside the run (the search, the sweep), as the outputs need it.

    key        its section in results.json
    data       that section (plain JSON types)
    markdown   its section of report.md (and, converted, of report.html)
    charts     draws its charts into a folder in a format, returns the file names
    files      further files it writes: name -> text (search.json, sweep.csv)
    """

    key: str
    data: dict[str, Any]
    markdown: str
    charts: Callable[[Path, str], list[str]] | None = None
    files: dict[str, str] = field(default_factory=dict)


def search_extra(scenario: Scenario, result: SearchResult) -> Extra:
    """The search's part of a run's outputs: search.json, frontier and conflicts charts, the
    `## Zone of agreement` section of the report and results.json's `search` key."""

    def charts(folder: Path, fmt: str) -> list[str]:
        from model.search import proposal_points
        from model.search_charts import write_search_charts

        return write_search_charts(result, proposal_points(scenario), folder, fmt)

    data = result.to_json()
    return Extra("search", data, result.markdown(), charts, {"search.json": _json(data)})


def sweep_extra(result: SweepResult) -> Extra:
    """The sweep's part of a run's outputs: sweep.csv, the sweep and tornado charts, the
    `## How sure` section of the report and results.json's `sweep` key."""

    def charts(folder: Path, fmt: str) -> list[str]:
        from model.sweep_charts import write_sweep_charts

        return write_sweep_charts(result, folder, fmt)

    return Extra("sweep", result.to_json(), result.markdown(), charts, {"sweep.csv": result.csv()})


def _json(data: dict[str, Any]) -> str:
    # allow_nan=False: NaN and Infinity are not JSON; a strict parser would reject the file
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_outputs(
    results: Results,
    folder: str | os.PathLike[str],
    fmt: str = "png",
    charts: bool = True,
    extras: Sequence[Extra] = (),
) -> list[str]:
    """Write charts, report.md, report.html, results.json and rounds.csv into `folder`,
    atomically, with the sections, charts and files of any `extras`."""
    from model.report import report_markdown, rounds_csv
    from model.report_html import report_html

    def build(tmp: Path) -> list[str]:
        names: list[str] = []
        if charts:
            from model.charts import write_charts  # matplotlib loads only when drawing
            from model.timeline_chart import write_timeline

            names += write_charts(results, tmp, fmt)
            timeline = write_timeline(results, tmp, fmt)
            names += [timeline] if timeline else []
            for extra in extras:
                names += extra.charts(tmp, fmt) if extra.charts else []
        sections = [extra.markdown for extra in extras]
        (tmp / "report.md").write_text(report_markdown(results, names, sections), encoding="utf-8")
        (tmp / "report.html").write_text(
            report_html(results, tmp, names, sections), encoding="utf-8"
        )
        data = results.to_json()
        data.update({extra.key: extra.data for extra in extras})
        (tmp / "results.json").write_text(_json(data), encoding="utf-8")
        (tmp / "rounds.csv").write_text(rounds_csv(results), encoding="utf-8")
        files = ["report.md", "report.html", "results.json", "rounds.csv"]
        for extra in extras:
            for name, body in extra.files.items():
                (tmp / name).write_text(body, encoding="utf-8")
                files.append(name)
        return [*names, *files]

    return write_atomically(Path(folder), build)
