"""The package space: a scenario reduced to arrays, for search and vectorised evaluation.

Utilities in this project are additively separable over issues, so a package's utility for an
actor is the sum, over issues, of the contribution of the value chosen on that issue. Holding each
issue's candidate values with their per-actor contributions and red-line masks is therefore
everything a search or a sweep needs, with no reference back to the scenario objects.
`package_space` builds it from a scenario, on a grid for numeric issues.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.evaluation.verdicts import status_quo, utility, weights
from model.scenario.types import Issue, Scenario


@dataclass(frozen=True)
class PackageSpace:
    """Candidate values per issue with, for every actor, their utility contribution and legality.

    issue_ids[i]          the issue's id
    values[i]             float array (k_i,): candidate values on the issue's own scale
    labels[i]             list of k_i display labels (option labels, or numbers with unit)
    actor_ids[a]          the actor's id
    gain[i]               float array (n_actors, k_i): utility contribution of candidate j for
                          actor a (salience-weighted closeness, already normalised so that an
                          actor's utility of a package is sum_i gain[i][a, p_i], in [0, 1])
    allowed[i]            bool array (n_actors, k_i): False where candidate j crosses a's red line
    reservation           float array (n_actors,): utility of the status quo (no deal)
    capability            float array (n_actors,): clout, > 0
    status_quo[i]         index into values[i] of the status-quo value (or -1 if not a candidate)
    """

    issue_ids: tuple[str, ...]
    values: tuple[np.ndarray, ...]
    labels: tuple[tuple[str, ...], ...]
    actor_ids: tuple[str, ...]
    gain: tuple[np.ndarray, ...]
    allowed: tuple[np.ndarray, ...]
    reservation: np.ndarray
    capability: np.ndarray
    status_quo: tuple[int, ...]

    @property
    def n_actors(self) -> int:
        return len(self.actor_ids)

    @property
    def n_packages(self) -> int:
        return int(np.prod([len(v) for v in self.values], dtype=object))


def numeric_grid(issue: Issue, steps: int = 21) -> np.ndarray:
    """The documented grid of a numeric issue for searches: `steps` evenly spaced values plus
    every value a red line or ideal of the scenario would pin (added by `package_space`)."""
    return np.linspace(issue.lo, issue.hi, steps)


def package_space(scenario: Scenario, grid_steps: int = 21) -> PackageSpace:
    """The scenario as arrays: every option of an ordinal issue, a grid on a numeric one.

    A numeric issue's grid is `grid_steps` evenly spaced values plus the status quo, every
    actor's ideal and red-line bound, and every proposal's value, so that no proposal or
    boundary falls between grid points.
    """
    actors = list(scenario.actors.values())
    values, labels, gains, allowed, sq_index = [], [], [], [], []
    for iid, issue in scenario.issues.items():
        if issue.kind == "ordinal":
            vals = np.array([o.value for o in issue.options])
        else:
            extra = [issue.status_quo]
            for a in actors:
                stake = a.stakes.get(iid)
                if stake is not None:
                    extra.append(stake.position)
                    if stake.red_line is not None:
                        extra += [
                            b
                            for b in (stake.red_line.at_most, stake.red_line.at_least)
                            if b is not None
                        ]
            for p in scenario.proposals.values():
                if iid in p.provisions:
                    extra.append(p.provisions[iid].value)
            vals = np.unique(np.concatenate([numeric_grid(issue, grid_steps), extra]))
        g = np.zeros((len(actors), len(vals)))
        ok = np.ones((len(actors), len(vals)), dtype=bool)
        for n, a in enumerate(actors):
            stake = a.stakes.get(iid)
            if stake is None:
                continue
            g[n] = weights(a)[iid] * (1.0 - np.abs(vals - stake.position) / issue.span)
            if stake.red_line is not None:
                ok[n] = [not stake.red_line.crossed_by(float(v)) for v in vals]
        values.append(vals)
        labels.append(tuple(issue.describe(float(v)) for v in vals))
        gains.append(g)
        allowed.append(ok)
        hit = np.flatnonzero(np.abs(vals - issue.status_quo) < 1e-9)
        sq_index.append(int(hit[0]) if len(hit) else -1)
    sq = status_quo(scenario)
    return PackageSpace(
        issue_ids=tuple(scenario.issues),
        values=tuple(values),
        labels=tuple(labels),
        actor_ids=tuple(a.id for a in actors),
        gain=tuple(gains),
        allowed=tuple(allowed),
        reservation=np.array([utility(a, scenario.issues, sq) for a in actors]),
        capability=np.array([a.capability for a in actors]),
        status_quo=tuple(sq_index),
    )
