"""Drawing a scenario's uncertain numbers: many versions of it, as arrays, from one seeded
generator.

Every salience, ideal position and capability in a scenario is an analyst's estimate, and a red
line may be firmer or softer than its quote suggests. The draws come from the spreads the
scenario states, or its `uncertainty:` defaults where it states none.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from model.scenario.types import Scenario, Spread

CAPABILITY_FLOOR = 1e-3
"""A drawn capability is kept at or above this share of the stated one (capability must be > 0)."""


@dataclass(frozen=True, eq=False)
class Draws:
    """Many versions of a scenario's numbers, as arrays over draws x actors (x issues).

    Actors and issues are in scenario order (`actor_ids`, `issue_ids`). `position` and
    `salience` are NaN where the actor has no stake in the issue; `holds` is False where it has no
    red line there. `stake` and `red_line` (actors x issues) say where entries exist at all.
    """

    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    position: np.ndarray  # draws x actors x issues
    salience: np.ndarray  # draws x actors x issues
    capability: np.ndarray  # draws x actors
    holds: np.ndarray  # draws x actors x issues, bool
    stake: np.ndarray  # actors x issues, bool
    red_line: np.ndarray  # actors x issues, bool

    @property
    def n(self) -> int:
        return int(self.capability.shape[0])

    def take(self, rows: slice | np.ndarray) -> Draws:
        """Some of the draws (a slice or indices), e.g. a chunk to negotiate at once."""
        return dataclasses.replace(
            self,
            position=self.position[rows],
            salience=self.salience[rows],
            capability=self.capability[rows],
            holds=self.holds[rows],
        )


@dataclass
class _Law:
    """Where each entry of an actors x issues (or actors) array is drawn from."""

    centre: np.ndarray
    sd: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    uniform: np.ndarray

    @classmethod
    def empty(cls, shape: tuple[int, ...]) -> _Law:
        z = np.zeros(shape)
        return cls(z.copy(), z.copy(), z.copy(), z.copy(), np.zeros(shape, dtype=bool))

    def set(self, at: Any, centre: float, spread: Spread | None, default_sd: float) -> None:
        """An entry's own spread if it states one (a uniform range or an sd), else the default."""
        self.centre[at] = centre
        if spread is not None and spread.lo is not None and spread.hi is not None:
            self.uniform[at] = True
            self.lo[at], self.hi[at] = spread.lo, spread.hi
        else:
            self.sd[at] = spread.sd if spread is not None and spread.sd is not None else default_sd

    def sample(self, z: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Normal entries from the standard normals `z`, uniform ones from the uniforms `u`."""
        return np.where(self.uniform, self.lo + (self.hi - self.lo) * u, self.centre + self.sd * z)


def draw(scenario: Scenario, draws: int, rng: np.random.Generator) -> Draws:
    """`draws` versions of the scenario's uncertain numbers, from the seeded generator only.

    Per actor x issue stake:
    - position: normal around the stated ideal with the stake's own `sd` (in the issue's units:
      points of 0-100 on an ordinal issue, the range's unit on a numeric one) or uniform on its own
      `range`; else normal with `uncertainty.position_sd` points of a 0-100 scale (that share of a
      numeric issue's span). Clipped to the issue's range, so an extreme ideal keeps about half
      its draws at the end of the scale. Not snapped to options: utility is defined on the
      continuous scale, and an ideal between two options is meaningful.
    - salience: normal with its own `sd` or uniform on its own `range`, else `salience_sd`;
      clipped to [0, 100]. Weights are shares of the drawn saliences, as in
      `model.evaluation.verdicts`.
    - red line holds: Bernoulli with the red line's own `probability`, else
      `red_line_probability`. Its bounds and rejected options never move with the drawn ideal:
      a red line is a statement about values, so a drawn ideal may even fall past it.
    Per actor, capability: its own `sd`/`range` (capability units), else normal with sd
    `capability_sd` x the stated capability; kept >= CAPABILITY_FLOOR x the stated capability.

    The generator is consumed in a fixed order (position normals, position uniforms, salience
    normals and uniforms, capability normals and uniforms, red-line uniforms), so the same
    generator state gives the same draws.
    """
    if draws < 1:
        raise ValueError(f"draws must be at least 1, not {draws}")
    actors = list(scenario.actors.values())
    col = {iid: k for k, iid in enumerate(scenario.issues)}
    n_a, n_i = len(actors), len(col)
    u = scenario.uncertainty
    stake = np.zeros((n_a, n_i), dtype=bool)
    p_holds = np.zeros((n_a, n_i))
    position, salience = _Law.empty((n_a, n_i)), _Law.empty((n_a, n_i))
    capability = _Law.empty((n_a,))
    for a, actor in enumerate(actors):
        capability.set(
            a, actor.capability, actor.capability_spread, u.capability_sd * actor.capability
        )
        for iid, st in actor.stakes.items():
            i, issue = col[iid], scenario.issues[iid]
            stake[a, i] = True
            position.set((a, i), st.position, st.position_spread, u.position_sd * issue.span / 100)
            salience.set((a, i), st.salience, st.salience_spread, u.salience_sd)
            if st.red_line is not None:
                p = st.red_line.probability
                p_holds[a, i] = u.red_line_probability if p is None else p
    lo = np.array([issue.lo for issue in scenario.issues.values()])
    hi = np.array([issue.hi for issue in scenario.issues.values()])
    shape = (draws, n_a, n_i)
    pos = np.clip(position.sample(rng.standard_normal(shape), rng.random(shape)), lo, hi)
    sal = np.clip(salience.sample(rng.standard_normal(shape), rng.random(shape)), 0.0, 100.0)
    cap = capability.sample(rng.standard_normal((draws, n_a)), rng.random((draws, n_a)))
    cap = np.maximum(cap, CAPABILITY_FLOOR * capability.centre)
    holds = (rng.random(shape) < p_holds) & (p_holds > 0)
    return Draws(
        actor_ids=tuple(scenario.actors),
        issue_ids=tuple(scenario.issues),
        position=np.where(stake, pos, np.nan),
        salience=np.where(stake, sal, np.nan),
        capability=cap,
        holds=holds,
        stake=stake,
        red_line=p_holds > 0,
    )


def drawn_scenario(scenario: Scenario, draws: Draws, d: int) -> Scenario:
    """Draw `d` as an ordinary Scenario (a red line that does not hold is dropped).

    What the dynamics run on, and the per-draw baseline the vectorised evaluation is checked
    against.
    """
    col = {iid: k for k, iid in enumerate(draws.issue_ids)}
    actors = {}
    for a, (aid, actor) in enumerate(scenario.actors.items()):
        stakes = {
            iid: dataclasses.replace(
                st,
                position=float(draws.position[d, a, col[iid]]),
                salience=float(draws.salience[d, a, col[iid]]),
                red_line=st.red_line if draws.holds[d, a, col[iid]] else None,
            )
            for iid, st in actor.stakes.items()
        }
        actors[aid] = dataclasses.replace(
            actor, capability=float(draws.capability[d, a]), stakes=stakes
        )
    return dataclasses.replace(scenario, actors=actors)


def varied(scenario: Scenario, dynamics: bool) -> dict[str, Any]:
    """What the draws varied: the defaults, and how many entries state a spread of their own."""
    u = scenario.uncertainty
    stakes = [st for a in scenario.actors.values() for st in a.stakes.values()]
    lines = [st.red_line for st in stakes if st.red_line is not None]
    out: dict[str, Any] = {
        "salience": {
            "default_sd": u.salience_sd,
            "own": sum(_has(st.salience_spread) for st in stakes),
            "of": len(stakes),
        },
        "position": {
            "default_sd": u.position_sd,
            "own": sum(_has(st.position_spread) for st in stakes),
            "of": len(stakes),
        },
        "red_line": {
            "default_probability": u.red_line_probability,
            "own": sum(rl.probability is not None for rl in lines),
            "of": len(lines),
        },
    }
    if dynamics:
        out["capability"] = {
            "default_sd": u.capability_sd,
            "own": sum(_has(a.capability_spread) for a in scenario.actors.values()),
            "of": len(scenario.actors),
        }
    return out


def _has(spread: Spread | None) -> bool:
    return spread is not None and (spread.sd is not None or spread.lo is not None)
