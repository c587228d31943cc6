"""Scenario -> Results: evaluate every proposal, run the negotiation, evaluate its forecast."""

from __future__ import annotations

from model.evaluation.open_points import open_issues, open_verdict
from model.evaluation.verdicts import evaluate, impacts, verdict
from model.results import FORECAST_ID, Results, RoundRecord
from model.scenario.dated import date_of, view
from model.scenario.types import Proposal, Provision, Scenario

FORECAST_WORDS = {
    "mean": "the capability x salience weighted mean (compromise model)",
    "median": "the capability x salience weighted median (Condorcet winner)",
    "nbs": "the asymmetric Nash bargaining solution against the status quo",
}


def run(scenario: Scenario, seed: int | None = None, as_of: str | None = None) -> Results:
    """Evaluate every proposal against the stances of its date, run the negotiation dynamics on
    the stances of `as_of` (None: the latest) and evaluate their outcome."""
    from model.negotiation.model import NegotiationModel  # mesa loads only when a run needs it

    seed = scenario.model.seed if seed is None else seed
    raw = scenario
    views: dict[str | None, Scenario] = {}

    def on(date: str | None) -> Scenario:
        if date not in views:
            views[date] = view(raw, date)
        return views[date]

    dated = {pid: on(date_of(raw, pid, as_of)) for pid in raw.proposals}
    scenario = on(as_of)
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
        verdicts={pid: evaluate(dated[pid], p) for pid, p in scenario.proposals.items()},
        impacts={pid: impacts(dated[pid], p) for pid, p in scenario.proposals.items()},
        open_verdicts={
            pid: {aid: open_verdict(dated[pid], a, p) for aid, a in dated[pid].actors.items()}
            for pid, p in scenario.proposals.items()
            if open_issues(p)
        },
        views=dated,
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
