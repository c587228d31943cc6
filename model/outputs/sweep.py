"""The sweep's part of a run's outputs."""

from __future__ import annotations

from pathlib import Path

from model.outputs.files import Extra
from model.sweep.engine import SweepResult


def sweep_extra(result: SweepResult) -> Extra:
    """The sweep's part of a run's outputs: sweep.csv, the sweep and tornado charts, the
    `## How sure` section of the report and results.json's `sweep` key."""

    def charts(folder: Path, fmt: str) -> list[str]:
        from model.outputs.charts.sweep import write_sweep_charts

        return write_sweep_charts(result, folder, fmt)

    return Extra("sweep", result.to_json(), result.markdown(), charts, {"sweep.csv": result.csv()})
