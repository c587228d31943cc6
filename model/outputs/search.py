"""The search's part of a run's outputs."""

from __future__ import annotations

from pathlib import Path

from model.outputs.files import Extra, json_text
from model.scenario.types import Scenario
from model.search.engine import SearchResult


def search_extra(scenario: Scenario, result: SearchResult) -> Extra:
    """The search's part of a run's outputs: search.json, frontier and conflicts charts, the
    `## Zone of agreement` section of the report and results.json's `search` key."""

    def charts(folder: Path, fmt: str) -> list[str]:
        from model.search.engine import proposal_points
        from model.outputs.charts.search import write_search_charts

        return write_search_charts(result, proposal_points(scenario), folder, fmt)

    data = result.to_json()
    return Extra("search", data, result.markdown(), charts, {"search.json": json_text(data)})
