"""`sim discover`: what would have to be true for a target to hold. One Saltelli design over the
scenario's uncertain inputs answers both questions: PRIM on its quasi-random rows finds the
boxes of inputs where the target holds, and Sobol indices on all its rows share out the
target's variance among the inputs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from model.discover.design import Design, Input, design_draws, sobol_design, uncertain_inputs
from model.discover.engine import chunks, evaluate
from model.discover.prim import Box, find_boxes
from model.discover.sobol import Indices, sobol_indices
from model.discover.targets import (
    ACCEPT,
    CLEAR,
    UNKNOWN,
    Target,
    default_targets,
    parse_target,
)
from model.evaluation.verdicts import evaluate as point_verdicts
from model.scenario.dated import view
from model.scenario.types import Scenario

DRAWS = 256
"""Base samples of the design (rows: this x (inputs + 2))."""
SEARCH_SECONDS = 20.0
"""Time limit of each draw's search for a zone of agreement."""

MIN_ROWS = 10
"""Sobol indices need the target to hold, and to fail, in at least this many rows of the design:
below, the estimators' variance swamps what they estimate."""

HOLDS, HOLDS_NOT = "holds", "does not hold"
"""The two categories of a red-line input."""


@dataclass(frozen=True)
class Finding:
    """What the design says about one target."""

    target: Target
    words: str
    asked: int  # rows of the quasi-random sample PRIM read (the design's A and B rows)
    held: int  # of those, rows where the target holds
    unknown: int  # rows where the search could not prove either way (left out)
    boxes: tuple[Box, ...]
    indices: tuple[Indices, ...] | None  # None: see `why_no_indices`
    why_no_indices: str | None = None
    crossed: tuple[str, ...] = ()  # accept: the issues whose red lines it crosses as written
    clear: int | None = None  # accept: rows where no red line that holds there is crossed
    worth: int | None = None  # accept: rows where its utility reaches no deal's

    @property
    def share(self) -> float:
        return self.held / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class DiscoverResult:
    """A discovery run: its design and a finding per target."""

    scenario: Scenario
    inputs: tuple[Input, ...]
    n: int
    rows: int
    seed: int
    dynamics: bool
    findings: tuple[Finding, ...]
    values: dict[str, tuple[float, float]]  # input key -> the range its draws span (numbers)


def discover(
    scenario: Scenario,
    targets: Sequence[str] | None = None,
    draws: int = DRAWS,
    seed: int = 0,
    dynamics: bool = False,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    sobol_all: bool = False,
    search_seconds: float = SEARCH_SECONDS,
    as_of: str | None = None,
) -> DiscoverResult:
    """Find what would have to be true for each target, on the stances of `as_of`.

    `targets`: specs (`parse_target`); None: every rejection on the scenario as written, and
    the zone. The zone runs the search once per row, so it is asked on the 2 x `draws`
    quasi-random rows only (enough for PRIM) unless `sobol_all`, which asks it on every row of
    the design and so also gives its Sobol indices; the other targets (`clear` negotiates all
    rows at once) are asked on every row.
    `progress(done, total)` counts the design's rows. The same `seed` gives the same result whatever
    `workers` or `scheduler` (see `model.discover.engine`).
    """
    sc = view(scenario, as_of)
    verdicts = {pid: point_verdicts(sc, p) for pid, p in sc.proposals.items()}
    point = {pid: {aid: v.accepts for aid, v in row.items()} for pid, row in verdicts.items()}
    chosen = tuple(parse_target(t, sc) for t in targets) if targets else default_targets(sc, point)
    dyn = dynamics or any(t.kind == CLEAR for t in chosen)
    inputs = uncertain_inputs(sc, dyn)
    design = sobol_design(inputs, draws, seed)
    base = design.base
    expensive = np.ones(design.rows, bool) if sobol_all else np.isin(np.arange(design.rows), base)
    work = chunks(sc, design, chosen, expensive, search_seconds)

    def rows_done(done: int) -> None:
        if progress is not None:
            progress(done, design.rows)

    y = evaluate(work, design.rows, workers, scheduler, rows_done)
    columns, ranges = _columns(sc, design)
    findings = tuple(
        _why(sc, design, t, _finding(sc, design, t, y[t.key], columns, sobol_all), verdicts)
        for t in chosen
    )
    return DiscoverResult(sc, inputs, design.n, design.rows, seed, dyn, findings, ranges)


def _why(sc: Scenario, design: Design, t: Target, f: Finding, verdicts: dict) -> Finding:
    """An acceptance target's two conditions apart, on the quasi-random rows: no red line that
    holds crossed, and a utility reaching no deal's (both must hold; which one fails says what
    would have to change)."""
    if t.kind != ACCEPT:
        return f
    from model.evaluation.verdicts import TOLERANCE
    from model.sweep import evaluate_draws

    d = design_draws(sc, design.inputs, design.u[design.base])
    v = evaluate_draws(sc, d)[t.proposal]
    a = list(sc.actors).index(t.actor)
    return dataclasses.replace(
        f,
        crossed=tuple(x.issue for x in verdicts[t.proposal][t.actor].violations),
        clear=int((~v.crossed[:, a]).sum()),
        worth=int((v.utility[:, a] >= v.reservation[:, a] - TOLERANCE).sum()),
    )


def _columns(
    sc: Scenario, design: Design
) -> tuple[dict[str, np.ndarray], dict[str, tuple[float, float]]]:
    """Each input's drawn value on the quasi-random rows (a red line: holds / does not hold)."""
    d = design_draws(sc, design.inputs, design.u[design.base])
    actor = {aid: k for k, aid in enumerate(sc.actors)}
    issue = {iid: k for k, iid in enumerate(sc.issues)}
    out: dict[str, np.ndarray] = {}
    for x in design.inputs:
        a = actor[x.actor]
        if x.kind == "capability":
            out[x.key] = d.capability[:, a]
        elif x.kind == "red_line":
            out[x.key] = np.where(d.holds[:, a, issue[x.issue]], HOLDS, HOLDS_NOT)
        else:
            out[x.key] = getattr(d, x.kind)[:, a, issue[x.issue]]
    ranges = {k: (float(v.min()), float(v.max())) for k, v in out.items() if v.dtype.kind == "f"}
    return out, ranges


def _finding(
    sc: Scenario,
    design: Design,
    target: Target,
    y: np.ndarray,
    columns: dict[str, np.ndarray],
    sobol_all: bool,
) -> Finding:
    yb = y[design.base]
    known = yb != UNKNOWN
    categorical = {x.key for x in design.inputs if x.categorical}
    boxes = find_boxes({k: v[known] for k, v in columns.items()}, categorical, yb[known] == 1)
    indices, why = None, None
    if target.expensive and not sobol_all:
        why = "asked on the quasi-random rows only (pass --sobol-all to ask it on every row)"
    elif (y == UNKNOWN).any():
        why = "the search could not settle some rows (raise --search-seconds)"
    elif min((y == 1).sum(), (y == 0).sum()) < MIN_ROWS:
        why = (
            "it holds in every row or in none: there is no variance to share out"
            if (y == 1).all() or (y == 0).all()
            else f"it holds (or fails) in fewer than {MIN_ROWS} rows: too few to share out"
        )
    else:
        indices = sobol_indices(design.problem(), y, design.seed)
    return Finding(
        target,
        target.words(sc),
        int(known.sum()),
        int((yb == 1).sum()),
        int((~known).sum()),
        boxes,
        indices,
        why,
    )
