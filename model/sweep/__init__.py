"""How sure the verdicts are: draws of the uncertain inputs, vectorised evaluation, statistics
(computation and result types only; rendering lives in model.outputs.sweep)."""

from model.sweep.draws import CAPABILITY_FLOOR, Draws, draw, drawn_scenario, varied
from model.sweep.result import ForecastSweep, Landing, SweepResult
from model.sweep.runner import sweep
from model.sweep.statistics import KINDS, QUINTILE, Z95, Acceptance, Swing, sensitivity, wilson
from model.sweep.vectorised import DrawVerdicts, crossed_red_lines, evaluate_draws

__all__ = [
    "CAPABILITY_FLOOR",
    "KINDS",
    "QUINTILE",
    "Z95",
    "Acceptance",
    "DrawVerdicts",
    "Draws",
    "ForecastSweep",
    "Landing",
    "Swing",
    "SweepResult",
    "crossed_red_lines",
    "draw",
    "drawn_scenario",
    "evaluate_draws",
    "sensitivity",
    "sweep",
    "varied",
    "wilson",
]
