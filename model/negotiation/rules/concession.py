"""The default negotiation dynamics ("concession"), as a pure function on numbers.

Each round every actor moves its negotiating position on each issue toward the position the
others pull it to: the capability x salience weighted mean of the others' positions. It moves a
share of the gap that grows with the others' share of the weighted clout on that issue and shrinks
with its own salience (an actor that cares everything about an issue does not move on it):

    x_i' = x_i + rate * pressure_i * (1 - s_i / 100) * (pull_i - x_i) * (1 + noise_i)
    pull_i     = sum_{j != i} c_j s_j x_j / sum_{j != i} c_j s_j
    pressure_i = sum_{j != i} c_j s_j / sum_j c_j s_j

then clips x_i' to the actor's feasible interval, so no move ever crosses its red line.
noise_i ~ U(-noise, noise) from the model's generator (0 by default: the run is deterministic).

In the Mesa model the model sums the issue's totals once per round (concession_totals) and each
actor computes its own move from them (concession_move) and clips it at its red lines;
concession_step does the same for all actors at once.
"""

from __future__ import annotations

import numpy as np


def concession_totals(
    x: np.ndarray, capability: np.ndarray, salience: np.ndarray
) -> tuple[float, float]:
    """What one issue's round shares among its actors: sum_j c_j s_j and sum_j c_j s_j x_j."""
    w = capability * salience
    return float(w.sum()), float((w * x).sum())


def concession_move(
    x: float,
    capability: float,
    salience: float,
    total_weight: float,
    total_pull: float,
    rate: float,
) -> float:
    """How far one actor at x moves before noise and red lines, given its issue's totals
    (concession_totals): what a Mesa agent computes for itself. The same arithmetic as
    concession_step, so the two agree to the last bit (tests/test_negotiation.py)."""
    w = capability * salience
    others = total_weight - w
    pull = (total_pull - w * x) / others if others > 0 else x
    pressure = others / total_weight if total_weight > 0 else 0.0
    return rate * pressure * (1.0 - salience / 100.0) * (pull - x)


def concession_step(
    x: np.ndarray,
    capability: np.ndarray,
    salience: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    rate: float,
    jitter: np.ndarray | None = None,
) -> np.ndarray:
    """One simultaneous round on one issue for the actors that hold a stake in it."""
    w = capability * salience
    others = w.sum() - w
    with np.errstate(invalid="ignore", divide="ignore"):
        pull = np.where(others > 0, ((w * x).sum() - w * x) / others, x)
        pressure = np.where(w.sum() > 0, others / w.sum(), 0.0)
    move = rate * pressure * (1.0 - salience / 100.0) * (pull - x)
    if jitter is not None:
        move = move * (1.0 + jitter)
    return np.clip(x + move, lo, hi)


class ConcessionRule:
    """The registry's face of the concession dynamics (model.negotiation.rules.RULES)."""

    name = "concession"

    def share(
        self, x: np.ndarray, c: np.ndarray, s: np.ndarray, position_range: float
    ) -> tuple[float, float] | None:
        """The issue's round totals, computed once for all its actors."""
        return concession_totals(x, c, s)

    def move(
        self,
        shared: tuple[float, float],
        k: int,
        x: float,
        capability: float,
        salience: float,
        rate: float,
        bounds: tuple[float, float],
        jitter: float | None,
    ) -> float:
        """Move toward where the others stand, as far as clout and salience let the actor
        (concession_move), then stop at its red lines."""
        move = concession_move(x, capability, salience, *shared, rate)
        if jitter is not None:
            move = move * (1.0 + float(jitter))
        return min(max(x + move, bounds[0]), bounds[1])
