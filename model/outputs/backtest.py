"""The backtest's outputs: terminal text, the report section, results.json's `backtest` key."""

from __future__ import annotations

from typing import Any

from model.backtest import Backtest
from model.outputs.files import Extra
from model.results import Results

RULE = (
    "wrote or basis = accepts; rejected = rejects; a 'depends' verdict (open points) agrees "
    "with wrote or basis"
)


def _pct(bt: Backtest, hits: int) -> str:
    return f"{hits}/{len(bt.cells)} ({100 * bt.rate(hits):.1f}%)"


def backtest_text(results: Results, bt: Backtest) -> str:
    sc = results.scenario
    if not bt.cells:
        return "Backtest: no text of this scenario has a recorded reaction (`record:`)."
    lines = [
        f"Backtest: verdicts against the record ({len(bt.cells)} recorded reactions; {RULE})",
        "",
        f"  model verdicts agree:                    {_pct(bt, bt.agreed)}",
        f"  baseline, each accepts what it wrote:    {_pct(bt, bt.wrote_baseline)}",
        f"  baseline, every party rejects every text: {_pct(bt, bt.reject_baseline)}",
        "",
        "Per actor (agree / recorded):",
    ]
    for aid, actor in sc.actors.items():
        mine = [c for c in bt.cells if c.actor == aid]
        if mine:
            lines.append(f"  {actor.name:<16}{sum(c.agrees for c in mine)}/{len(mine)}")
    wrong = [c for c in bt.cells if not c.agrees]
    lines += ["", "Disagreements:" if wrong else "No disagreement."]
    for c in wrong:
        label = sc.proposals[c.proposal].label
        lines.append(
            f"  {label} / {sc.actors[c.actor].name}: record {c.reaction}"
            f"{f' ({c.reaction_date})' if c.reaction_date else ''}, model {c.verdict}"
            f" (stances of {c.judged_on or 'the latest date'}): {c.cause}"
        )
    return "\n".join(lines)


def backtest_markdown(results: Results, bt: Backtest) -> str:
    sc = results.scenario
    out = [
        "## Backtest: the verdicts against the record",
        "",
        f"Each party's recorded reaction to each dated text at the time ({RULE}), beside the "
        "model's verdict on that text against the stances of its date.",
        "",
        "| | agree |",
        "|---|---|",
        f"| model verdicts | {_pct(bt, bt.agreed)} |",
        "| baseline: each party accepts exactly the texts it wrote | "
        f"{_pct(bt, bt.wrote_baseline)} |",
        f"| baseline: every party rejects every text | {_pct(bt, bt.reject_baseline)} |",
        "",
        "| actor | model verdicts agree |",
        "|---|---|",
        *(
            f"| {actor.name} | {sum(c.agrees for c in mine)}/{len(mine)} |"
            for aid, actor in sc.actors.items()
            if (mine := [c for c in bt.cells if c.actor == aid])
        ),
        "",
        "| text | actor | record | model | agrees | why the model differs |",
        "|---|---|---|---|---|---|",
    ]
    for c in bt.cells:
        out.append(
            f"| {sc.proposals[c.proposal].label} | {sc.actors[c.actor].name} | {c.reaction} | "
            f"{c.verdict} | {'yes' if c.agrees else '**no**'} | {c.cause.replace('|', '/')} |"
        )
    return "\n".join(out) + "\n"


def backtest_json(bt: Backtest) -> dict[str, Any]:
    return {
        "cells": len(bt.cells),
        "agree": bt.agreed,
        "agreement": bt.rate(bt.agreed),
        "baselines": {
            "accepts_what_it_wrote": bt.rate(bt.wrote_baseline),
            "rejects_everything": bt.rate(bt.reject_baseline),
        },
        "reactions": [
            {
                "proposal": c.proposal,
                "actor": c.actor,
                "reaction": c.reaction,
                "reaction_date": c.reaction_date,
                "judged_on": c.judged_on,
                "verdict": c.verdict,
                "agrees": c.agrees,
                "cause": c.cause or None,
                "source": c.source,
            }
            for c in bt.cells
        ],
    }


def backtest_extra(results: Results, bt: Backtest) -> Extra:
    """The backtest's part of a run's outputs: a report section and results.json's key."""
    return Extra("backtest", backtest_json(bt), backtest_markdown(results, bt))
