"""Scenario discovery with PRIM (Friedman and Fisher 1999, "Bump hunting in high-dimensional
data", Statistics and Computing 9), through the EMA Workbench's implementation (Kwakkel 2017,
Environmental Modelling & Software 96), which treats categorical inputs as sets of categories.

A box is a few limits on the inputs inside which the target holds in most rows (its density),
holding most of the rows where the target holds (its coverage). Peeling trades one for the
other; the trajectory is kept so a reader can see the trade.
"""

from __future__ import annotations

import inspect
import logging
import warnings
from dataclasses import dataclass

import numpy as np

DENSITY = 0.8
"""A box is chosen on the peeling trajectory as the widest one (most coverage) whose density is
at least this: "the target holds in at least 80% of the draws in it"."""
MAX_LIMITS = 3
"""At most this many inputs limited in a chosen box: more cannot be read as one sentence."""
MAX_BOXES = 2
"""Boxes sought per target, each in the rows the earlier ones leave."""
MASS_MIN = 0.05
"""PRIM's smallest box (share of the rows), lowered to half the target's share for a rare
target: a box must be able to hold the few rows where it holds."""
MIN_COVERAGE = 0.05
"""A later box is kept only if it covers at least this share of the rows where the target holds."""


@dataclass(frozen=True)
class Limit:
    """One input's limit in a box: a range (lo, hi) of a number, or the categories kept."""

    input: str  # the Input's key
    lo: float | None
    hi: float | None
    low_end: bool  # the box's lower bound is the input's smallest value (no limit below)
    high_end: bool
    categories: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Step:
    """One point of the peeling trajectory."""

    coverage: float
    density: float
    mass: float
    limited: int


@dataclass(frozen=True)
class Box:
    """A chosen box with its statistics and the trajectory it was chosen from."""

    limits: tuple[Limit, ...]
    coverage: float
    density: float
    mass: float
    rows: int  # rows in the box
    chosen: int  # its index in `trajectory`
    trajectory: tuple[Step, ...]


def find_boxes(
    columns: dict[str, np.ndarray],
    categorical: set[str],
    y: np.ndarray,
    density: float = DENSITY,
    max_limits: int = MAX_LIMITS,
    max_boxes: int = MAX_BOXES,
) -> tuple[Box, ...]:
    """PRIM's boxes for the rows where `y` holds; `columns` are the inputs over the rows (those
    in `categorical` hold category names). Deterministic: PRIM draws nothing at random.

    If the target holds in more than `density` of all rows, a box must be denser: halfway
    between that share and 1."""
    import pandas as pd

    y = np.asarray(y, dtype=bool)
    if y.all() or not y.any():
        return ()
    x = pd.DataFrame({k: pd.Categorical(v) if k in categorical else v for k, v in columns.items()})
    # a target that already holds in most rows: ask for a box halfway from there to certainty
    density = max(density, (1.0 + float(y.mean())) / 2)
    prim = _prim(x, y, density, min(MASS_MIN, max(float(y.mean()) / 2, 2 / len(y))))
    out: list[Box] = []
    for _ in range(max_boxes):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = prim.find_box()
        if found is None:
            break
        box = _choose(found, x, density, max_limits)
        found.select(box.chosen)
        if not box.limits or (out and (box.coverage < MIN_COVERAGE or box.density <= y.mean())):
            break  # a box that limits nothing says nothing
        out.append(box)
    return tuple(out)


def _prim(x, y: np.ndarray, density: float, mass_min: float):
    """The Workbench's Prim. Its 2.x asks for the density threshold, its 3.x (Python 3.12+)
    no longer takes one; neither uses it in finding a box."""
    with warnings.catch_warnings():
        # its import warns of optional parallel back ends, its set-up of pandas deprecations
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim

        logging.getLogger("EMA").setLevel(logging.WARNING)
        if "threshold" in inspect.signature(prim.Prim).parameters:
            return prim.Prim(x, y, threshold=density, mass_min=mass_min)
        return prim.Prim(x, y, mass_min=mass_min)


def _choose(found, x, density: float, max_limits: int) -> Box:
    """The widest box of the trajectory with at most `max_limits` limits and at least `density`;
    if none is that dense, the densest with at most `max_limits` limits."""
    traj = found.peeling_trajectory
    steps = tuple(
        Step(float(r.coverage), float(r.density), float(r.mass), int(r.res_dim))
        for r in traj.itertuples()
    )
    ok = [k for k, s in enumerate(steps) if s.limited <= max_limits] or [0]
    dense = [k for k in ok if steps[k].density >= density]
    if dense:
        k = max(dense, key=lambda k: (steps[k].coverage, -k))
    else:
        k = max(ok, key=lambda k: (steps[k].density, steps[k].coverage, -k))
    lims, first = found.box_lims[k], found.box_lims[0]
    limits = []
    for name in x.columns:
        lo, hi = lims[name].iloc[0], lims[name].iloc[1]
        if isinstance(lo, (set, frozenset)):
            if set(lo) != set(first[name].iloc[0]):
                limits.append(Limit(name, None, None, False, False, tuple(sorted(map(str, lo)))))
        elif lo > first[name].iloc[0] or hi < first[name].iloc[1]:
            low_end, high_end = lo <= first[name].iloc[0], hi >= first[name].iloc[1]
            limits.append(Limit(name, float(lo), float(hi), bool(low_end), bool(high_end)))
    s = steps[k]
    n = int(traj["n"].iloc[k]) if "n" in traj else int(round(s.mass * len(x)))
    return Box(tuple(limits), s.coverage, s.density, s.mass, n, k, steps)
