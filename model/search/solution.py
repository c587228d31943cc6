"""What the bargaining solution says: the issue-by-issue compromise it is compared with, the red
lines the Nash package sits on (its value is allowed, the next value beyond is not) and whether
each holds the bargain back (dropping it alone would raise the Nash product), and the logrolls
that take no deal or the compromise to it (`logrolls`)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from model.evaluation.space import PackageSpace
from model.search.budget import Budget
from model.search.integers import IntegerSpace
from model.search.types import BindingRedLine, Logroll, Package
from model.search.zone import make_package, merge, nash_logs


def compromise(space: PackageSpace, ints: IntegerSpace) -> Package | None:
    """On every issue, the red-line-feasible candidate nearest the capability x stake weighted
    mean of the actors' ideals (ideal: the candidate of highest gain; stake: the actor's gain
    range on the issue, i.e. how much of its utility the issue can swing)."""
    cap = np.asarray(space.capability, float)
    choice = []
    for i, g in enumerate(space.gain):
        ok = np.flatnonzero(space.allowed[i].all(axis=0))
        if len(ok) == 0:
            return None
        v = np.asarray(space.values[i], float)
        ideal = v[np.argmax(g, axis=1)]
        w = cap * (g.max(axis=1) - g.min(axis=1))
        mean = float((w * ideal).sum() / w.sum()) if w.sum() > 0 else float(ideal.mean())
        choice.append(int(ok[np.argmin(np.abs(v[ok] - mean))]))
    u = sum(ints.gain[i][c] for i, c in enumerate(choice))
    nl = nash_logs(np.asarray(u)[None, :], ints, cap, np.ones(space.n_actors, bool))[0]
    return make_package(np.array(choice), np.asarray(u), ints, nl)


def logrolls(
    space: PackageSpace, nash: Package, reference: Sequence[int], name: str
) -> tuple[Logroll, ...]:
    """Pairwise trades that take the reference package to the Nash package.

    d[a, i] is actor a's utility change on issue i from the reference value to the Nash value.
    For actors a and b: a gives the issues where a loses and b gains, b gives those where b
    loses and a gains. It is a logroll when both sets are non-empty and each actor is ahead over
    the two sets together: each concedes what it values less for what it values more. The
    references are no deal (the bargain's starting point) and the issue-by-issue compromise.
    This describes the structure of the Nash package; it does not claim the parties would reach
    it by these trades, and other actors' changes on the same issues are left out.
    """
    eps = 1e-12
    d = np.array(
        [
            space.gain[i][:, nash.choice[i]] - space.gain[i][:, reference[i]]
            for i in range(len(space.issue_ids))
        ]
    ).T  # (n_actors, n_issues)
    ids = space.issue_ids
    out = []
    for a, b in itertools.combinations(range(space.n_actors), 2):
        ag = [i for i in range(d.shape[1]) if d[a, i] < -eps and d[b, i] > eps]
        bg = [i for i in range(d.shape[1]) if d[b, i] < -eps and d[a, i] > eps]
        if not ag or not bg:
            continue
        both = sorted(ag + bg)
        ga, gb = float(d[a, both].sum()), float(d[b, both].sum())
        if ga > eps and gb > eps:
            out.append(
                Logroll(
                    name,
                    space.actor_ids[a],
                    space.actor_ids[b],
                    tuple(ids[i] for i in ag),
                    tuple(ids[i] for i in bg),
                    {ids[i]: (float(d[a, i]), float(d[b, i])) for i in both},
                    ga,
                    gb,
                )
            )
    out.sort(key=lambda lr: -(lr.gain_a + lr.gain_b))
    return tuple(out)


def binding_red_lines(
    space: PackageSpace,
    ints: IntegerSpace,
    nash: Package,
    lines: list[tuple[int, int]],
    budget: Budget | None = None,
) -> tuple[tuple[BindingRedLine, ...], bool]:
    """Red lines on whose edge the Nash package sits, and whether each holds it back: the best
    package that crosses this red line alone (and no other) is searched with the Nash product
    as a floor, so only partial packages that could beat the current solution are expanded.
    Also returns whether every "holds it back" was decided: under a `budget` a bounded search
    that finds a better package proves it, one that finds none proves nothing."""
    cap = np.asarray(space.capability, float)
    need = np.ones(space.n_actors, bool)
    out = []
    decided = True
    for a, i in lines:
        v = np.asarray(space.values[i], float)
        j = nash.choice[i]
        sides = []
        above = np.flatnonzero(v > v[j])
        below = np.flatnonzero(v < v[j])
        if len(above) and not space.allowed[i][a, above[np.argmin(v[above])]]:
            sides.append("above")
        if len(below) and not space.allowed[i][a, below[np.argmax(v[below])]]:
            sides.append("below")
        if not sides:
            continue
        beyond = np.flatnonzero(~space.allowed[i][a] & np.delete(space.allowed[i], a, 0).all(0))
        best = None
        if len(beyond) and budget is not None and budget.late():
            decided = False  # out of time: not searched
        elif len(beyond):
            cand = [np.flatnonzero(m.all(axis=0)) for m in space.allowed]
            cand[i] = beyond
            thr = (ints.reserve - ints.tol).astype(np.int64)
            gains = [ints.gain[k][c] for k, c in enumerate(cand)]
            assert nash.nash_log is not None
            f = merge(
                gains,
                thr,
                nash=(cap, ints.reserve, ints.tol, ints.scale, nash.nash_log),
                budget=budget,
            )
            found = False
            if len(f.count):
                nl = nash_logs(f.utility, ints, cap, need)
                if nl.max() > nash.nash_log + 1e-9 * max(1.0, abs(nash.nash_log)):
                    best = float(nl.max())
                    found = True
            decided &= f.exact or found
        for side in sides:
            out.append(
                BindingRedLine(
                    space.actor_ids[a], space.issue_ids[i], j, side, best is not None, best
                )
            )
    return tuple(out), decided
