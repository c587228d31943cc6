"""The zone of possible agreement for one set of red-line masks: counts, Pareto frontier and
Nash bargaining package, exactly and without enumerating the package space.

A package is one candidate value on every issue (`model.evaluation.space.PackageSpace`).
Utilities are additively separable, u_a(p) = sum_i gain[i][a, p_i], and an actor accepts a
package iff it crosses none of its red lines and u_a >= reservation_a - TOLERANCE
(`model.evaluation.verdicts.verdict`; here in exact integers, `model.search.integers`).

* How many packages cross no red line: prune each issue's candidates by every actor's red-line
  mask; the count is the product of the pruned sizes. How many every actor accepts: branch and
  bound over issues: a partial package that cannot reach some reservation even with every
  remaining issue at that actor's best is dropped; one that reaches every reservation even with
  every remaining issue at each actor's worst is counted whole.
* The Pareto frontier of the actors' utilities among the acceptable packages. It is built
  issue by issue: Pareto(A + B) is a subset of Pareto(A) + Pareto(B), so each issue's own
  dominated values are dropped first, then each step adds the next issue's values to the
  current frontier of partial sums, drops partial sums that cannot reach every reservation,
  and filters the rest back to the non-dominated ones. The prefix of a package that is
  Pareto-optimal among the acceptable ones is never dominated (else the dominating prefix with
  the same suffix would dominate the package), so nothing needed is lost, and the final set is
  exactly the frontier (a package Pareto-optimal among all red-line-feasible packages that is
  acceptable is Pareto-optimal among the acceptable ones, and vice versa). The frontier is a
  set of distinct utility vectors: packages with identical utilities appear once, with the
  count of packages that give that vector and one of them as representative (chosen
  deterministically: the same input gives the same package).
* The asymmetric Nash bargaining package: max sum_a capability_a * log(u_a - reservation_a)
  over acceptable packages that give every actor strictly more than no deal (by more than
  TOLERANCE). The objective rises with every actor's utility, so the maximiser is on the
  frontier and is read off it. The ranked list of best packages is the frontier sorted by the
  same objective: a package off the frontier is never listed, since another acceptable
  package is better for everyone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from model.evaluation.space import PackageSpace
from model.search.integers import IntegerSpace
from model.search.pareto import nondominated, unique_cols
from model.search.types import Package

_FAR = -(2**62)  # the threshold of an actor whose participation is not required


def _spread_order(gains: Sequence[np.ndarray]) -> list[int]:
    """Issues with the widest gain ranges first: later issues then move utilities little, so
    the reservation bounds decide partial packages early (a heuristic; results do not depend
    on it)."""
    spread = [float((g.max(0) - g.min(0)).sum()) if len(g) else 0.0 for g in gains]
    return sorted(range(len(gains)), key=lambda i: (-spread[i], i))


def _all_ge(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """For points as columns of x (n, m): is every row >= its bound t (n,)? Row by row, so
    each comparison runs over contiguous memory."""
    out = x[0] >= t[0]
    for a in range(1, len(x)):
        out &= x[a] >= t[a]
    return out


@dataclass(frozen=True, eq=False)
class Front:
    """A Pareto frontier: distinct utility vectors, with one representative package and the
    number of packages for each."""

    utility: np.ndarray  # (m, n) int64
    choice: np.ndarray  # (m, n_issues) candidate index per issue (into the given candidates)
    count: np.ndarray  # (m,) int64


def _bounds(g: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Per level p: the most and the least the issues from p on can add, actor by actor."""
    n = g[0].shape[0] if g else 0
    top = np.zeros((len(g) + 1, n), np.int64)
    bottom = np.zeros((len(g) + 1, n), np.int64)
    for p in range(len(g) - 1, -1, -1):
        top[p] = top[p + 1] + g[p].max(axis=1)
        bottom[p] = bottom[p + 1] + g[p].min(axis=1)
    return top, bottom


def merge(
    gains: Sequence[np.ndarray],
    thr: np.ndarray,
    *,
    first_only: bool = False,
    nash: tuple[np.ndarray, np.ndarray, int, float, float] | None = None,
) -> Front:
    """The Pareto frontier of the packages whose utilities reach `thr` on every column.

    gains[i] is (k_i, n) for the candidates of issue i (every k_i >= 1). With first_only, stop
    at the first partial package that reaches thr whatever follows and return it, completed
    with each remaining issue's first undominated candidate (an existence check with a
    witness). With nash = (weights, reserve, tol, scale, floor) also drop partial packages
    whose Nash product cannot exceed `floor` even at every actor's best for the remaining
    issues. Internally points are columns (actors x points).
    """
    n_issues = len(gains)
    n = len(thr)
    order = _spread_order(gains)
    # Pareto(A + B) is within Pareto(A) + Pareto(B): an issue's dominated values are dropped
    # (identical ones kept once, with their number)
    g, kept, mult = [], [], []
    for i in order:
        x = np.ascontiguousarray(gains[i].T)
        if x.shape[1] == 1:
            g.append(x)
            kept.append(np.zeros(1, np.int64))
            mult.append(np.ones(1, np.int64))
            continue
        first, group = unique_cols(x)
        nd = np.flatnonzero(nondominated(x[:, first]))
        sel = np.argsort(first[nd])
        kept.append(first[nd][sel])
        mult.append(np.bincount(group, minlength=len(first))[nd][sel].astype(np.int64))
        g.append(x[:, kept[-1]])
    top, bottom = _bounds(g)
    lo, hi = thr - top, thr - bottom  # partial sums >= lo can still, >= hi surely, reach thr
    s = np.zeros((n, 1), np.int64)
    cnt = np.ones(1, np.int64)
    parents: list[np.ndarray] = []
    choices: list[np.ndarray] = []

    def finish(rows: np.ndarray, level: int) -> np.ndarray:
        ch = np.zeros((len(rows), n_issues), np.int64)
        for p in range(n_issues - 1, level, -1):  # not reached: the first value kept
            ch[:, order[p]] = kept[p][0]
        for p in range(level, -1, -1):
            ch[:, order[p]] = kept[p][choices[p][rows]]
            rows = parents[p][rows]
        return ch

    for p in range(n_issues):
        k = g[p].shape[1]
        new = (s[:, :, None] + g[p][:, None, :]).reshape(n, -1)
        ok = _all_ge(new, lo[p + 1])
        if nash is not None:
            w, res, tol, scale, floor = nash
            gain = new + (top[p + 1] - res)[:, None]  # each actor's best gain from here
            pos = _all_ge(gain[w > 0], np.full(int((w > 0).sum()), tol + 1))
            ub = np.full(new.shape[1], -np.inf)
            ub[pos] = (np.log(gain[w > 0][:, pos] / scale) * w[w > 0][:, None]).sum(axis=0)
            ok &= ub > floor - 1e-9 * max(1.0, abs(floor))
        idx = np.flatnonzero(ok)
        if len(idx) == 0:
            return Front(np.zeros((0, n), np.int64), np.zeros((0, n_issues), np.int64), cnt[:0])
        new, c = new[:, idx], cnt[idx // k] * mult[p][idx % k]
        if first_only:
            sure = np.flatnonzero(_all_ge(new, hi[p + 1]))
            if len(sure):
                parents.append(idx // k)
                choices.append(idx % k)
                return Front(new[:, sure[:1]].T, finish(sure[:1], p), np.ones(1, np.int64))
        if k == 1:  # a shifted frontier is still a frontier of distinct points
            rows, s, cnt = idx, new, c
        else:
            first, group = unique_cols(new)
            counts = np.zeros(len(first), np.int64)
            np.add.at(counts, group, c)
            u = new[:, first]
            keep = np.flatnonzero(nondominated(u))
            rows = idx[first[keep]]
            s, cnt = u[:, keep], counts[keep]
        parents.append(rows // k)
        choices.append(rows % k)
    return Front(np.ascontiguousarray(s.T), finish(np.arange(s.shape[1]), n_issues - 1), cnt)


def _count(gains: Sequence[np.ndarray], thr: np.ndarray, chunk: int = 200_000) -> int:
    """How many packages reach thr on every column, by branch and bound (see module doc)."""
    n_issues = len(gains)
    if n_issues == 0:
        return int((np.zeros(len(thr), np.int64) >= thr).all())
    order = _spread_order(gains)
    g = [np.ascontiguousarray(gains[i].T) for i in order]
    n = len(thr)
    top, bottom = _bounds(g)
    lo, hi = thr - top, thr - bottom
    rest = [math.prod(x.shape[1] for x in g[p + 1 :]) for p in range(n_issues)]
    total = 0
    s = np.zeros((n, 1), np.int64)
    for p in range(n_issues):
        nxt = []
        for a in range(0, s.shape[1], chunk):
            new = (s[:, a : a + chunk, None] + g[p][:, None, :]).reshape(n, -1)
            alive = _all_ge(new, lo[p + 1])
            if p == n_issues - 1:  # nothing follows: alive is acceptable
                total += int(np.count_nonzero(alive))
                continue
            full = _all_ge(new, hi[p + 1])
            total += int(np.count_nonzero(full)) * rest[p]
            nxt.append(new[:, alive & ~full])
        if p == n_issues - 1:
            break
        s = np.concatenate(nxt, axis=1)
        if s.shape[1] == 0:
            break
    return total


@dataclass(frozen=True, eq=False)
class Zone:
    """Counts, frontier (sorted best first) and Nash package for one set of masks."""

    n_no_red_line: int
    n_acceptable: int
    front: Front  # choices as indices into the full candidate lists
    nash_log: np.ndarray  # per frontier row; -inf where some required actor gains nothing
    nash: Package | None


def nash_logs(u: np.ndarray, ints: IntegerSpace, cap: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Each row's Nash log-product over the `need`ed actors; -inf where one of them gains
    nothing over no deal."""
    gain = u - ints.reserve
    pos = (gain[:, need] > ints.tol).all(axis=1)
    out = np.full(len(u), -np.inf)
    if pos.any():
        out[pos] = (np.log(gain[pos][:, need] / ints.scale) * cap[need]).sum(axis=1)
    return out


def make_package(
    choice: np.ndarray, u: np.ndarray, ints: IntegerSpace, nl: float, count: int = 1
) -> Package:
    """A result package from integer utilities (scaled back to utilities)."""
    return Package(
        tuple(int(c) for c in choice),
        tuple(float(x) / ints.scale for x in u),
        None if not np.isfinite(nl) else float(nl),
        int(count),
    )


def zone(
    space: PackageSpace, ints: IntegerSpace, allowed: Sequence[np.ndarray], need: np.ndarray
) -> Zone:
    """The exact zone for the given red-line masks, with `need` the actors whose participation
    constraint holds (and who enter the Nash product)."""
    n = space.n_actors
    cand = [np.flatnonzero(m.all(axis=0)) for m in allowed]
    n_free = math.prod(len(c) for c in cand)
    empty = Front(
        np.zeros((0, n), np.int64), np.zeros((0, len(cand)), np.int64), np.zeros(0, np.int64)
    )
    if n_free == 0:
        return Zone(0, 0, empty, np.zeros(0), None)
    thr = np.where(need, ints.reserve - ints.tol, _FAR).astype(np.int64)
    gains = [ints.gain[i][c] for i, c in enumerate(cand)]
    n_acc = _count(gains, thr)
    if n_acc == 0:
        return Zone(n_free, 0, empty, np.zeros(0), None)
    f = merge(gains, thr)
    choice = np.stack([cand[i][f.choice[:, i]] for i in range(len(cand))], axis=1)
    return _ranked(space, ints, Front(f.utility, choice, f.count), need, n_free, n_acc)


def _ranked(
    space: PackageSpace, ints: IntegerSpace, f: Front, need: np.ndarray, n_free: int, n_acc: int
) -> Zone:
    """The zone with its frontier sorted best first: Nash product, then the capability-weighted
    gain, then the candidate indices (so ties always break the same way)."""
    cap = np.asarray(space.capability, float)
    nl = nash_logs(f.utility, ints, cap, need)
    wsum = ((f.utility - ints.reserve) / ints.scale * cap).sum(axis=1)
    keys = [f.choice[:, i] for i in range(f.choice.shape[1] - 1, -1, -1)]
    rank = np.lexsort([*keys, -wsum, -nl])
    f = Front(f.utility[rank], f.choice[rank], f.count[rank])
    nl = nl[rank]
    nash = None
    if len(nl) and np.isfinite(nl[0]):
        nash = make_package(f.choice[0], f.utility[0], ints, nl[0], int(f.count[0]))
    return Zone(n_free, n_acc, f, nl, nash)


@dataclass(frozen=True, eq=False)
class World:
    """One cell of the package space cut by the values of the issues that conditional red lines
    read: `domain[i]` the candidates of issue i in the cell, `allowed[i]` the red-line masks
    there (a conditional red line whose conditions the cell meets allows everything)."""

    domain: tuple[np.ndarray, ...]
    allowed: tuple[np.ndarray, ...]

    def masks(self, allowed: Sequence[np.ndarray] | None = None) -> list[np.ndarray]:
        """Red-line masks (these, or the given ones) cut to the cell's domain."""
        return [m & d[None, :] for m, d in zip(allowed or self.allowed, self.domain, strict=True)]


def whole(space: PackageSpace) -> World:
    """The space as one world (no conditional red line)."""
    return World(tuple(np.ones(len(v), bool) for v in space.values), space.allowed)


def union(space: PackageSpace, ints: IntegerSpace, zones: Sequence[Zone], need: np.ndarray) -> Zone:
    """The zone of disjoint worlds: counts add; the frontier is the non-dominated union of the
    worlds' frontiers (equal utility vectors merged, their counts added), ranked as `zone` ranks.
    """
    if len(zones) == 1:
        return zones[0]
    n_free = sum(z.n_no_red_line for z in zones)
    n_acc = sum(z.n_acceptable for z in zones)
    fronts = [z.front for z in zones if len(z.front.count)]
    if not fronts:
        return Zone(n_free, n_acc, zones[0].front, np.zeros(0), None)
    u = np.concatenate([f.utility for f in fronts])
    choice = np.concatenate([f.choice for f in fronts])
    count = np.concatenate([f.count for f in fronts])
    rows, first, inverse = np.unique(u, axis=0, return_index=True, return_inverse=True)
    counts = np.bincount(inverse.ravel(), weights=count, minlength=len(rows)).astype(np.int64)
    keep = nondominated(np.ascontiguousarray(rows.T))
    f = Front(rows[keep], choice[first][keep], counts[keep])
    return _ranked(space, ints, f, need, n_free, n_acc)
