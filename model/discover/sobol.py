"""Global sensitivity: first-order and total Sobol indices (Sobol 2001, Mathematics and
Computers in Simulation 55) from a Saltelli design, with SALib's estimators (Saltelli et al.
2010, Computer Physics Communications 181, for the first order; Jansen 1999 for the total) and
bootstrap confidence intervals.

First order: the share of the target's variance an input explains alone. Total: alone and in
every interaction; total minus first order is what it explains only with other inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

METHOD = "Sobol indices from a Saltelli design (Saltelli 2010 first-order, Jansen total estimators)"
"""How the indices are computed, as charts and reports say it."""
RESAMPLES = 200
"""Bootstrap resamples for the 95% intervals."""


@dataclass(frozen=True)
class Indices:
    """One input's Sobol indices for one target, with 95% bootstrap half-widths."""

    input: str
    first: float
    first_conf: float
    total: float
    total_conf: float


def sobol_indices(problem: dict, y: np.ndarray, seed: int) -> tuple[Indices, ...] | None:
    """Indices of every input of `problem` for the outputs `y` over a Saltelli design's rows
    (first-order and total only); None if `y` does not vary (there is no variance to share)."""
    from SALib.analyze import sobol

    y = np.asarray(y, dtype=float)
    if not np.ptp(y) > 0:
        return None
    s = sobol.analyze(
        problem, y, calc_second_order=False, num_resamples=RESAMPLES, conf_level=0.95, seed=seed
    )
    return tuple(
        Indices(
            name,
            float(s["S1"][k]),
            float(s["S1_conf"][k]),
            float(s["ST"][k]),
            float(s["ST_conf"][k]),
        )
        for k, name in enumerate(problem["names"])
    )
