"""How sure the verdicts are: draws of the uncertain inputs, vectorised evaluation and
negotiation, statistics (computation and result types only; rendering lives in
model.outputs.sweep).

Per-draw outcomes as numpy arrays, for analyses built on the sweep: `evaluate_draws` (every
proposal: utility, reservation, crossed, accepts per draw x actor) and `negotiate_draws` (the
dynamics: final positions, forecast package, rounds, and the forecast's verdicts per draw).
"""

from model.sweep.draws import CAPABILITY_FLOOR, Draws, draw, drawn_scenario, varied
from model.sweep.dynamics import DrawForecasts, negotiate_draws
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
    "DrawForecasts",
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
    "negotiate_draws",
    "sensitivity",
    "sweep",
    "varied",
    "wilson",
]
