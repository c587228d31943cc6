"""The package space: a scenario reduced to arrays, for search and vectorised evaluation.

Utilities in this project are additively separable over issues, so a package's utility for an
actor is the sum, over issues, of the contribution of the value chosen on that issue. Holding each
issue's candidate values with their per-actor contributions and red-line masks is therefore
everything a search or a sweep needs, with no reference back to the scenario objects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


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
