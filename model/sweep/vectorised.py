"""Every proposal in every draw at once: the acceptance rule on arrays draws x actors x issues.

The acceptance rule (no red line crossed, utility >= reservation - TOLERANCE) is written three
times, each for its own speed:
- `model.evaluation.verdicts.verdict`: the reference, one actor and one package at a time;
- `model.search`: exact integer sums of rounded gains over a whole package space;
- here: numpy arrays over draws, the sums in each actor's stake order so they equal the
  reference's bit for bit (`accepts` below; `model.sweep.dynamics` judges each draw's forecast
  with it too, one package per draw).
The tests keep them equal. `tests/test_sweep.py` checks these arrays against the reference draw
by draw (`assert_matches_evaluate`, in `test_vectorised_equals_evaluate_on_the_28_point_plan`,
`test_vectorised_equals_evaluate_with_own_spreads` and
`test_vectorised_equals_evaluate_on_random_scenarios`; and
`test_zero_uncertainty_gives_the_point_verdicts`). `tests/test_search.py` checks the search
against it (`test_28_point_nash_package_is_accepted_by_all`,
`test_28_point_counts_and_frontier_by_enumeration`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.evaluation.verdicts import TOLERANCE
from model.scenario.types import Scenario
from model.sweep.draws import Draws


@dataclass(frozen=True, eq=False)
class DrawVerdicts:
    """One proposal over all draws: arrays draws x actors, actors in scenario order."""

    proposal: str
    utility: np.ndarray
    reservation: np.ndarray
    crossed: np.ndarray  # a red line that holds in the draw is crossed
    accepts: np.ndarray


@dataclass(frozen=True, eq=False)
class Layout:
    """Each actor's stakes in its own order (actors x slots), padded where it has fewer.

    `model.evaluation.verdicts` sums over `actor.stakes` in dict order with Python's
    left-to-right `sum`; a cumulative sum over the stakes in that same order adds the same numbers
    in the same order, so the vectorised utilities equal the per-draw ones bit for bit (padding
    adds +0.0).
    """

    order: np.ndarray  # actors x slots: issue column of each stake
    valid: np.ndarray  # actors x slots
    count: np.ndarray  # actors: number of stakes
    span: np.ndarray  # issues

    @classmethod
    def of(cls, scenario: Scenario) -> Layout:
        col = {iid: k for k, iid in enumerate(scenario.issues)}
        rows = [[col[iid] for iid in a.stakes] for a in scenario.actors.values()]
        width = max(1, max(len(r) for r in rows))
        order = np.zeros((len(rows), width), dtype=int)
        valid = np.zeros((len(rows), width), dtype=bool)
        for a, r in enumerate(rows):
            order[a, : len(r)] = r
            valid[a, : len(r)] = True
        span = np.array([issue.span for issue in scenario.issues.values()])
        return cls(order, valid, np.array([len(r) for r in rows], dtype=float), span)

    def gather(self, values: np.ndarray) -> np.ndarray:
        """draws x actors x issues -> draws x actors x slots, 0 in the padding."""
        rows = np.arange(self.order.shape[0])[:, None]
        return np.where(self.valid, values[:, rows, self.order], 0.0)


def _weights(layout: Layout, salience: np.ndarray) -> np.ndarray:
    """Salience shares (equal shares where an actor's drawn saliences are all zero)."""
    total = np.cumsum(salience, axis=2)[..., -1:]
    share = np.divide(salience, total, out=np.zeros_like(salience), where=total > 0)
    return np.where(total > 0, share, np.where(layout.valid, 1.0 / layout.count[:, None], 0.0))


def _utility(layout: Layout, w: np.ndarray, ideal: np.ndarray, package: np.ndarray) -> np.ndarray:
    """u = sum over stakes of w x (1 - |value - ideal| / span), summed in stake order; one
    package (issues) for every draw, or one per draw (draws x issues)."""
    value = package[..., layout.order]
    span = layout.span[layout.order]
    terms = np.where(layout.valid, w * (1.0 - np.abs(value - ideal) / span), 0.0)
    return np.cumsum(terms, axis=2)[..., -1]


def utility(layout: Layout, draws: Draws, package: np.ndarray) -> np.ndarray:
    """draws x actors: each drawn actor's utility of `package` (issues, or draws x issues)."""
    w = _weights(layout, layout.gather(draws.salience))
    return _utility(layout, w, layout.gather(draws.position), package)


def accepted(utility: np.ndarray, reservation: np.ndarray, crossed: np.ndarray) -> np.ndarray:
    """The acceptance rule on arrays: no red line crossed and utility >= reservation -
    TOLERANCE."""
    return ~crossed & (utility >= reservation - TOLERANCE)


def _package(scenario: Scenario, values: dict[str, float]) -> np.ndarray:
    return np.array([values[iid] for iid in scenario.issues], dtype=float)


def crossed_red_lines(scenario: Scenario, package: dict[str, float]) -> np.ndarray:
    """actors x issues: the package's value crosses the actor's red line as written (a
    conditional red line only where the package does not meet its conditions: they read the
    package, which no draw changes)."""
    return np.array(
        [
            [
                st.red_line is not None and st.red_line.crossed_in(package, iid)
                if (st := actor.stakes.get(iid)) is not None
                else False
                for iid in scenario.issues
            ]
            for actor in scenario.actors.values()
        ],
        dtype=bool,
    )


def evaluate_draws(scenario: Scenario, draws: Draws) -> dict[str, DrawVerdicts]:
    """Every proposal in every draw at once, with `model.evaluation.verdicts`'s rule.

    Accepts iff no red line that holds in the draw is crossed and utility >= reservation -
    TOLERANCE, the reservation being the drawn utility of the status quo. Whether a value
    crosses a red line is fixed (the red line as written); only whether it holds is drawn.
    """
    if draws.actor_ids != tuple(scenario.actors) or draws.issue_ids != tuple(scenario.issues):
        raise ValueError("the draws were made for another scenario (actors or issues differ)")
    layout = Layout.of(scenario)
    ideal = layout.gather(draws.position)
    w = _weights(layout, layout.gather(draws.salience))
    sq = {iid: issue.status_quo for iid, issue in scenario.issues.items()}
    reservation = _utility(layout, w, ideal, _package(scenario, sq))
    out = {}
    for pid, proposal in scenario.proposals.items():
        package = proposal.package(scenario.issues)
        u = _utility(layout, w, ideal, _package(scenario, package))
        crossed = (draws.holds & crossed_red_lines(scenario, package)).any(axis=2)
        accepts = accepted(u, reservation, crossed)
        out[pid] = DrawVerdicts(pid, u, reservation, crossed, accepts)
    return out
