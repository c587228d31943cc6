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

One rule, two encodings, one set of functions: in the Mesa model (model.negotiation.model) the
model sums each issue's totals once per round (concession_totals) and each agent computes its
own move from them (concession_move) and clips it at its red lines (concession_clip); the
sweep's vectorised dynamics (model.sweep.dynamics) call the same three functions on arrays
draws x issues x actors. The totals are running sums in actor order, so an actor without a stake
(weight 0, padded in) adds exactly 0 and every draw's numbers equal the Mesa run's to the last
bit (tests/test_dynamics.py); concession_step is a round on one issue's arrays
(tests/test_negotiation.py).
"""

from __future__ import annotations

import numpy as np


def concession_totals(
    x: np.ndarray, capability: np.ndarray, salience: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """What one issue's round shares among its actors: sum_j c_j s_j and sum_j c_j s_j x_j,
    along the last axis (actors), summed in actor order."""
    w = capability * salience
    return np.cumsum(w, axis=-1)[..., -1], np.cumsum(w * x, axis=-1)[..., -1]


def concession_move(
    x: float | np.ndarray,
    capability: float | np.ndarray,
    salience: float | np.ndarray,
    total_weight: float | np.ndarray,
    total_pull: float | np.ndarray,
    rate: float,
) -> float | np.ndarray:
    """How far an actor at x moves before noise and red lines, given its issue's totals
    (concession_totals): what a Mesa agent computes for itself, and the sweep for every draw x
    issue x actor at once (elementwise, same operations in the same order)."""
    x, capability, salience, total_weight, total_pull = (
        np.asarray(v, float) for v in (x, capability, salience, total_weight, total_pull)
    )
    w = capability * salience
    others = total_weight - w
    with np.errstate(invalid="ignore", divide="ignore"):
        pull = np.where(others > 0, (total_pull - w * x) / others, x)
        pressure = np.where(total_weight > 0, others / total_weight, 0.0)
    move = rate * pressure * (1.0 - salience / 100.0) * (pull - x)
    return float(move) if np.ndim(move) == 0 else move


def concession_clip(
    x: float | np.ndarray,
    move: float | np.ndarray,
    lo: float | np.ndarray,
    hi: float | np.ndarray,
    jitter: float | np.ndarray | None,
) -> float | np.ndarray:
    """Where the actor ends up: the move scaled by the noise, stopped at its red lines."""
    if jitter is not None:
        move = move * (1.0 + jitter)
    new = np.minimum(np.maximum(x + move, lo), hi)
    return float(new) if np.ndim(new) == 0 else new


def concession_step(
    x: np.ndarray,
    capability: np.ndarray,
    salience: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    rate: float,
    jitter: np.ndarray | None = None,
) -> np.ndarray:
    """One simultaneous round on one issue for the actors that hold a stake in it (actors on
    the last axis)."""
    total_weight, total_pull = concession_totals(x, capability, salience)
    move = concession_move(
        x, capability, salience, total_weight[..., None], total_pull[..., None], rate
    )
    return concession_clip(x, move, lo, hi, jitter)


class ConcessionRule:
    """The registry's face of the concession dynamics (model.negotiation.rules.RULES)."""

    name = "concession"

    def share(
        self, x: np.ndarray, c: np.ndarray, s: np.ndarray, position_range: float
    ) -> tuple[float, float] | None:
        """The issue's round totals, computed once for all its actors."""
        total_weight, total_pull = concession_totals(x, c, s)
        return float(total_weight), float(total_pull)

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
        (concession_move), then stop at its red lines (concession_clip)."""
        move = concession_move(x, capability, salience, *shared, rate)
        jitter = None if jitter is None else float(jitter)
        return float(concession_clip(x, move, bounds[0], bounds[1], jitter))
