"""The design of a discovery run: which uncertain inputs there are, a Sobol design over them,
and the scenario's numbers in each row of it.

Each input is one uniform coordinate of the design. The numbers are made by the sweep's own
`model.sweep.draw`, fed the design's coordinates instead of a generator's (`_DesignStream`):
a normal entry gets the normal quantile of its coordinate, a uniform one the coordinate itself,
and a red line holds where its coordinate is below its probability (a threshold on a uniform,
so Sobol indices apply to it). The draws therefore follow the sweep's laws exactly, clipping
included; only the points are placed by the design rather than by chance.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from model.scenario.types import Scenario
from model.sweep import Draws, draw

KINDS = ("salience", "position", "red_line", "capability")
"""The kinds of uncertain input, in the order a design lists them per actor and issue."""

_EDGE = 1e-9
"""Coordinates are kept this far inside (0, 1): the normal quantile of 0 or 1 is infinite."""


class DiscoverError(ValueError):
    """A discovery that cannot be asked of this scenario, in words for its user."""


@dataclass(frozen=True)
class Input:
    """One uncertain input of the scenario: one coordinate of the design."""

    key: str  # "salience:russia:nato_membership", "red_line:...", "capability:russia"
    kind: str  # one of KINDS
    actor: str
    issue: str | None
    actor_name: str
    issue_label: str | None

    @property
    def label(self) -> str:
        """The input in words, as charts and tables name it."""
        if self.kind == "capability":
            return f"{self.actor_name} · capability"
        what = {"salience": "salience of", "position": "position on", "red_line": "red line on"}
        return f"{self.actor_name} · {what[self.kind]} {self.issue_label}"

    @property
    def categorical(self) -> bool:
        """A red line holds or does not: PRIM treats it as a category, not a number."""
        return self.kind == "red_line"


@dataclass(frozen=True, eq=False)
class Design:
    """A Saltelli design (SALib's Sobol sequence, first-order and total indices only).

    `u` is rows x inputs in [0, 1]. Row j*(D+2) is the j-th row of matrix A, row j*(D+2)+D+1
    that of B, and the D rows between them A with one column taken from B (Saltelli 2010). The
    A and B rows are a plain quasi-random sample: scenario discovery reads those (`base`).
    """

    inputs: tuple[Input, ...]
    n: int  # base samples (a power of two)
    seed: int
    u: np.ndarray

    @property
    def rows(self) -> int:
        return int(self.u.shape[0])

    @property
    def base(self) -> np.ndarray:
        """Indices of the A and B rows (2n of them), in row order."""
        step = len(self.inputs) + 2
        starts = np.arange(self.n) * step
        return np.sort(np.concatenate([starts, starts + step - 1]))

    def problem(self) -> dict:
        """The design's inputs as SALib names them."""
        return {
            "num_vars": len(self.inputs),
            "names": [x.key for x in self.inputs],
            "bounds": [[0.0, 1.0]] * len(self.inputs),
        }


def uncertain_inputs(scenario: Scenario, dynamics: bool = False) -> tuple[Input, ...]:
    """Every number the sweep's draws vary in this scenario, actor by actor.

    Found by drawing the scenario at both ends of every coordinate: what differs varies.
    Capabilities enter only the dynamics, so they are inputs only with `dynamics`.
    """
    low, high = (_draws(scenario, np.full((1, _width(scenario)), e)) for e in (_EDGE, 1 - _EDGE))
    out = []
    issues = list(scenario.issues.values())
    for a, (aid, actor) in enumerate(scenario.actors.items()):
        for i, issue in enumerate(issues):
            for kind, arr in (
                ("salience", "salience"),
                ("position", "position"),
                ("red_line", "holds"),
            ):
                lo, hi = getattr(low, arr)[0, a, i], getattr(high, arr)[0, a, i]
                if low.stake[a, i] and lo != hi:
                    key = f"{kind}:{aid}:{issue.id}"
                    out.append(Input(key, kind, aid, issue.id, actor.name, issue.label))
        if dynamics and low.capability[0, a] != high.capability[0, a]:
            out.append(Input(f"capability:{aid}", "capability", aid, None, actor.name, None))
    return tuple(out)


def sobol_design(inputs: tuple[Input, ...], n: int, seed: int) -> Design:
    """A Saltelli design of n(D+2) rows from SALib's scrambled Sobol sequence, seeded.

    `n` is rounded up to a power of two (the Sobol sequence is balanced only at those)."""
    from SALib.sample import sobol

    if not inputs:
        raise DiscoverError(
            "no uncertain input: every spread is 0 and every red line certain (see `uncertainty:`)"
        )
    n = 1 << max(1, int(n - 1).bit_length())
    d = Design(inputs, n, seed, np.empty((0, len(inputs))))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SALib warns about sample sizes; n is a power of two
        u = sobol.sample(d.problem(), n, calc_second_order=False, scramble=True, seed=seed)
    return Design(inputs, n, seed, np.clip(u, _EDGE, 1 - _EDGE))


def _width(scenario: Scenario) -> int:
    """The coordinates `_DesignStream` fills: one per actor x issue per stake kind, per actor."""
    n_a, n_i = len(scenario.actors), len(scenario.issues)
    return 3 * n_a * n_i + n_a


def design_draws(scenario: Scenario, inputs: tuple[Input, ...], u: np.ndarray) -> Draws:
    """The scenario's numbers in each row of `u` (rows x inputs). What is not an input does not
    vary, so any coordinate gives it its one value: 0.5 (a red line of probability 1 holds, one of
    0 does not)."""
    n_a, n_i = len(scenario.actors), len(scenario.issues)
    actor = {aid: k for k, aid in enumerate(scenario.actors)}
    issue = {iid: k for k, iid in enumerate(scenario.issues)}
    full = np.full((u.shape[0], _width(scenario)), 0.5)
    block = {"salience": 0, "position": 1, "red_line": 2}
    for j, x in enumerate(inputs):
        if x.kind == "capability":
            full[:, 3 * n_a * n_i + actor[x.actor]] = u[:, j]
        else:
            full[:, (block[x.kind] * n_a + actor[x.actor]) * n_i + issue[x.issue]] = u[:, j]
    return _draws(scenario, full)


def _draws(scenario: Scenario, full: np.ndarray) -> Draws:
    return draw(scenario, full.shape[0], _DesignStream(scenario, full))  # type: ignore[arg-type]


class _DesignStream:
    """Stands in for the generator `model.sweep.draw` consumes, serving the design's coordinates
    in the order it documents: position normals and uniforms, salience normals and uniforms,
    capability normals and uniforms, red-line uniforms. A change to that order fails loudly
    here (a shape that does not match) rather than silently mixing inputs up.
    """

    def __init__(self, scenario: Scenario, full: np.ndarray) -> None:
        n, n_a, n_i = full.shape[0], len(scenario.actors), len(scenario.issues)
        cube = full[:, : 3 * n_a * n_i].reshape(n, 3, n_a, n_i)
        sal, pos, red = cube[:, 0], cube[:, 1], cube[:, 2]
        cap = full[:, 3 * n_a * n_i :]
        self._queue = [pos, pos, sal, sal, cap, cap, red]
        self._normal = [True, False, True, False, True, False, False]

    def _next(self, shape: tuple[int, ...], normal: bool) -> np.ndarray:
        if not self._queue:
            raise RuntimeError("model.sweep.draw asked for more numbers than a design gives")
        u, is_normal = self._queue.pop(0), self._normal.pop(0)
        if tuple(np.shape(u)) != tuple(shape) or is_normal != normal:
            raise RuntimeError(
                "model.sweep.draw consumes its generator in another order than "
                "model.discover.design expects"
            )
        return norm.ppf(u) if normal else u

    def standard_normal(self, shape: tuple[int, ...]) -> np.ndarray:
        return self._next(shape, True)

    def random(self, shape: tuple[int, ...]) -> np.ndarray:
        return self._next(shape, False)
