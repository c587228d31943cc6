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
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from model.evaluation.space import PackageSpace
from model.search.budget import (
    BARGAIN_SHARE,
    COUNT_SHARE,
    FRONTIER_SHARE,
    MERGE_SHARE,
    Budget,
    OverBudget,
)
from model.search.integers import IntegerSpace
from model.search.nash import bargain
from model.search.pareto import nondominated, unique_cols
from model.search.types import Package

_NONE = np.zeros(0, np.int64)
FAR = -(2**62)
"""The threshold of an actor whose participation is not required."""
_BYTES = 48  # bytes per (actor, point) a merge step holds at once: sums, sort, ranks, masks
_CELLS = 4_000_000  # (actor, point) cells a counting chunk holds
LATE_BEAM = 64
"""Partial packages kept per step once the merge's time is up: the rest finishes quickly."""


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
    exact: bool = True  # False: a beam cut the search, the points are a sample of the frontier


def _beam(s: np.ndarray, lo: np.ndarray, spread: np.ndarray, width: int) -> np.ndarray:
    """The `width` partial sums (columns of s) with the most room above what they must still
    reach, in log terms summed over the required actors (a balanced slack keeps every actor's
    reservation within reach and favours a high Nash product); ties keep the earlier column."""
    need = lo > FAR // 2
    slack = (s[need] - lo[need][:, None]).astype(float) / spread[need][:, None]
    score = np.log1p(np.maximum(slack, 0.0)).sum(axis=0)
    return np.sort(np.argsort(-score, kind="stable")[:width])


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
    budget: Budget | None = None,
    beam: bool = True,
    until: float = MERGE_SHARE,
) -> Front:
    """The Pareto frontier of the packages whose utilities reach `thr` on every column.

    gains[i] is (k_i, n) for the candidates of issue i (every k_i >= 1). With first_only, stop
    at the first partial package that reaches thr whatever follows and return it, completed
    with each remaining issue's first undominated candidate (an existence check with a
    witness). With nash = (weights, reserve, tol, scale, floor) also drop partial packages
    whose Nash product cannot exceed `floor` even at every actor's best for the remaining
    issues. Internally points are columns (actors x points).

    With a `budget`, a step whose arrays would exceed its memory, or that runs past
    MERGE_SHARE of its time, first keeps only a beam of the current partial sums (`_beam`):
    the points found are then acceptable packages but a sample of the frontier (exact=False).
    Without `beam` it raises OverBudget there instead; `until` is the share of the time limit
    it may run to.
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
    spread = np.maximum(top[0] - bottom[0], 1).astype(float)
    s = np.zeros((n, 1), np.int64)
    cnt = np.ones(1, np.int64)
    parents: list[np.ndarray] = []
    choices: list[np.ndarray] = []
    exact = True

    def finish(rows: np.ndarray, level: int) -> np.ndarray:
        ch = np.zeros((len(rows), n_issues), np.int64)
        for p in range(n_issues - 1, level, -1):  # not reached: the first value kept
            ch[:, order[p]] = kept[p][0]
        for p in range(level, -1, -1):
            ch[:, order[p]] = kept[p][choices[p][rows]]
            rows = parents[p][rows]
        return ch

    rate = 0.0  # columns per second the last long step went through
    p = 0
    while p < n_issues:
        k = g[p].shape[1]
        late = budget is not None and budget.late(until)
        if late and not beam:
            raise OverBudget
        t0 = time.monotonic()
        if budget is not None:
            width = s.shape[1]
            if late:
                width = min(width, LATE_BEAM)
            width = min(width, max(1, budget.memory // (_BYTES * n * k)))
            if rate and math.isfinite(budget.time_limit):  # the time left, shared by the steps
                allowed = (until * budget.time_limit - budget.elapsed()) / (n_issues - p)
                width = min(width, max(LATE_BEAM, int(rate * allowed) // k))
            if width < s.shape[1] and not beam:
                raise OverBudget
            if width < s.shape[1]:
                exact = False
                sel = _beam(s, lo[p], spread, width)
                s, cnt = s[:, sel], cnt[sel]
                parents[-1], choices[-1] = parents[-1][sel], choices[-1][sel]
            budget.say(f"frontier: issue {p + 1} of {n_issues}, {s.shape[1]:,} partial packages")
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
            return Front(
                np.zeros((0, n), np.int64), np.zeros((0, n_issues), np.int64), cnt[:0], exact
            )
        new, c = new[:, idx], cnt[idx // k] * mult[p][idx % k]
        if first_only:
            sure = np.flatnonzero(_all_ge(new, hi[p + 1]))
            if len(sure):
                parents.append(idx // k)
                choices.append(idx % k)
                return Front(new[:, sure[:1]].T, finish(sure[:1], p), np.ones(1, np.int64), exact)
        if k == 1:  # a shifted frontier is still a frontier of distinct points
            rows, s, cnt = idx, new, c
        else:
            first, group = unique_cols(new)
            counts = np.zeros(len(first), np.int64)
            np.add.at(counts, group, c)
            u = new[:, first]
            try:
                keep = np.flatnonzero(nondominated(u, budget=None if late else budget, share=until))
            except OverBudget:  # out of time in this step: redo it from a beam
                if not beam:
                    raise
                del new, u, first, group, counts
                continue
            rows = idx[first[keep]]
            s, cnt = u[:, keep], counts[keep]
        parents.append(rows // k)
        choices.append(rows % k)
        dt = time.monotonic() - t0
        if dt > 0.05:
            rate = new.shape[1] / dt
        p += 1
    front = Front(
        np.ascontiguousarray(s.T), finish(np.arange(s.shape[1]), n_issues - 1), cnt, exact
    )
    return front


def count_acceptable(
    gains: Sequence[np.ndarray],
    thr: np.ndarray,
    budget: Budget | None = None,
    share: float = COUNT_SHARE,
) -> tuple[int, int]:
    """How many packages reach thr on every column, as (low, high): equal when the count
    finished.

    Dynamic programming over issues on the required actors' partial sums: equal partial sums
    are merged with their multiplicities (as are an issue's candidates that no required actor
    tells apart), a partial sum that cannot reach some threshold even with every remaining
    issue at that actor's best is dropped, and one that reaches every threshold even at every
    actor's worst is counted whole. With a `budget`, a count whose partial sums would outgrow
    its memory, or that runs past `share` of its time, stops with what it proved: low counts
    the packages found acceptable; high is the smaller of low plus every package not yet ruled
    out and the single-actor bound (`one_actor_high`).
    """
    need = thr > FAR // 2
    sizes = [len(x) for x in gains]
    if not gains:
        c = int(bool((np.zeros(len(thr), np.int64) >= thr).all()))
        return c, c
    if not need.any():
        return math.prod(sizes), math.prod(sizes)
    order = _spread_order(gains)
    g, mult = [], []
    for i in order:
        x = np.ascontiguousarray(gains[i][:, need].T)
        first, group = unique_cols(x)
        keep = np.sort(first)
        remap = np.empty(len(first), np.int64)
        remap[np.argsort(first)] = np.arange(len(first))
        g.append(x[:, keep])
        mult.append(np.bincount(remap[group], minlength=len(first)).astype(np.int64))
    k_all = [sizes[i] for i in order]
    t = thr[need]
    n_issues, n = len(g), len(t)
    top, bottom = _bounds(g)
    lo, hi = t - top, t - bottom
    rest = [math.prod(k_all[p + 1 :]) for p in range(n_issues)]
    big = math.prod(k_all) >= 2**62  # multiplicities as Python integers
    kind = object if big else np.int64
    total = 0
    s = np.zeros((n, 1), np.int64)
    cnt = np.ones(1, kind)

    def stopped(undecided: int) -> tuple[int, int]:
        high = total + undecided
        one = one_actor_high(g, mult, t, budget)
        return total, high if one is None else min(high, max(one, total))

    for p in range(n_issues):
        k = g[p].shape[1]
        m = mult[p].astype(kind)
        cells = _CELLS if budget is None else min(_CELLS, budget.memory // 64)
        chunk = max(1, cells // (n * k))
        nxt: list[np.ndarray] = []
        nxt_c: list[np.ndarray] = []
        kept = 0
        for a in range(0, s.shape[1], chunk):
            if budget is not None:
                try:
                    # what the next level would hold: the kept sums, at most a chunk more each
                    budget.check(8 * n * (kept + chunk * k) * 3, share=share)
                except OverBudget:
                    held = sum(int(x.sum()) for x in nxt_c)
                    return stopped((int(cnt[a:].sum()) * k_all[p] + held) * rest[p])
                budget.say(f"counting: issue {p + 1} of {n_issues}, {s.shape[1]:,} partials")
            new = (s[:, a : a + chunk, None] + g[p][:, None, :]).reshape(n, -1)
            c = (cnt[a : a + chunk, None] * m[None, :]).reshape(-1)
            alive = _all_ge(new, lo[p + 1])
            if p == n_issues - 1:  # nothing follows: alive is acceptable
                total += int(c[alive].sum())
                continue
            full = _all_ge(new, hi[p + 1])
            total += int(c[full].sum()) * rest[p]
            pick = alive & ~full
            nxt.append(new[:, pick])
            nxt_c.append(c[pick])
            kept += nxt[-1].shape[1]
        if p == n_issues - 1:
            break
        s = np.concatenate(nxt, axis=1)
        cnt = np.concatenate(nxt_c)
        del nxt, nxt_c
        if s.shape[1] == 0:
            break
        first, group = unique_cols(s)  # equal partial sums: one, with their multiplicities
        if len(first) < s.shape[1]:
            merged = np.zeros(len(first), kind)
            np.add.at(merged, group, cnt)
            s, cnt = s[:, first], merged
    return total, total


_BINS = 4_096


def one_actor_high(
    g: Sequence[np.ndarray],
    mult: Sequence[np.ndarray],
    t: np.ndarray,
    budget: Budget | None = None,
) -> int | None:
    """A certified upper bound on the packages that reach t (g[i] is (n, k_i), each candidate
    standing for mult[i] packages' values of issue i): the fewest that
    reach a single actor's threshold, each actor's count taken with its gains rounded up to a
    grid of _BINS steps over its range (a histogram convolved issue by issue, in floats rounded
    up). Rounding up only adds packages, and one actor's count contains the joint one. Past the
    deadline the actors not yet counted are left out (the bound holds for any of them). None
    when no actor's threshold excludes anything."""
    best = math.inf
    base = sum(x.min(axis=1) for x in g)
    span = sum(x.max(axis=1) - x.min(axis=1) for x in g)
    for a in range(len(t)):
        if budget is not None and budget.late():
            break
        need = int(t[a] - base[a])
        if need <= 0:
            continue
        q = max(1, -(-int(span[a]) // _BINS))
        h = np.ones(1)
        for x, m in zip(g, mult, strict=True):
            up = -(-(x[a] - x[a].min()) // q)
            new = np.zeros(len(h) + int(up.max()))
            for u, c in zip(up, m, strict=True):
                new[u : u + len(h)] += h * float(c)
            h = new
        from_bin = -(-need // q)
        best = min(best, float(h[from_bin:].sum()) if from_bin < len(h) else 0.0)
    if not math.isfinite(best):
        return None
    return int(math.ceil(best * (1 + 1e-9)))


@dataclass(frozen=True, eq=False)
class Zone:
    """Counts, frontier (sorted best first) and Nash package for one set of masks."""

    n_no_red_line: int
    n_acceptable: int  # at least this many (exactly, when n_acceptable_high equals it)
    front: Front  # choices as indices into the full candidate lists
    nash_log: np.ndarray  # per frontier row; -inf where some required actor gains nothing
    nash: Package | None
    n_acceptable_high: int | None = None  # at most this many (None: = n_acceptable)
    nash_exact: bool = True  # the Nash package is proven best (or proven not to exist)
    nash_bound: float | None = None  # not proven: no package has a larger Nash log-product

    @property
    def high(self) -> int:
        return self.n_acceptable if self.n_acceptable_high is None else self.n_acceptable_high

    @property
    def counted(self) -> bool:
        """Is n_acceptable exact?"""
        return self.high == self.n_acceptable


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
    space: PackageSpace,
    ints: IntegerSpace,
    allowed: Sequence[np.ndarray],
    need: np.ndarray,
    budget: Budget | None = None,
) -> Zone:
    """The exact zone for the given red-line masks, with `need` the actors whose participation
    constraint holds (and who enter the Nash product). With a `budget` the count may end in
    bounds (`count_acceptable`), and a frontier that does not fit is replaced by the bounded
    solver's Nash package and sample (`_bounded`); every frontier point is still an acceptable
    package, and an exact empty frontier (or the solver's proof) shows that none is."""
    n = space.n_actors
    cand = [np.flatnonzero(m.all(axis=0)) for m in allowed]
    n_free = math.prod(len(c) for c in cand)
    empty = Front(np.zeros((0, n), np.int64), np.zeros((0, len(cand)), np.int64), _NONE)
    if n_free == 0:
        return Zone(0, 0, empty, np.zeros(0), None)
    thr = np.where(need, ints.reserve - ints.tol, FAR).astype(np.int64)
    gains = [ints.gain[i][c] for i, c in enumerate(cand)]
    low, high = count_acceptable(gains, thr, budget)
    if high == 0:
        return Zone(n_free, 0, empty, np.zeros(0), None)
    f = None
    if budget is None:
        f = merge(gains, thr)
    elif low == high:  # a count that did not finish says the frontier would not either
        try:
            f = merge(gains, thr, budget=budget, beam=False, until=FRONTIER_SHARE)
        except OverBudget:
            f = None
    if f is None:
        return _bounded(space, ints, cand, gains, thr, need, n_free, low, high, budget)
    if len(f.count) == 0:  # the exact frontier is empty: nothing is acceptable
        return Zone(n_free, 0, empty, np.zeros(0), None)
    low = max(low, int(f.count.sum()))  # the frontier's packages are acceptable ones
    choice = np.stack([cand[i][f.choice[:, i]] for i in range(len(cand))], axis=1)
    z = _ranked(space, ints, Front(f.utility, choice, f.count, f.exact), need, n_free, low)
    return replace(z, n_acceptable_high=high)


def _bounded(
    space: PackageSpace,
    ints: IntegerSpace,
    cand: list[np.ndarray],
    gains: list[np.ndarray],
    thr: np.ndarray,
    need: np.ndarray,
    n_free: int,
    low: int,
    high: int,
    budget: Budget,
) -> Zone:
    """The zone when the exact frontier does not fit: the Nash package by the bounded search of
    `model.search.nash` (proven optimal, or with its proven bound), a sample of the frontier,
    and the counts' bounds (a proof that no package is acceptable makes them exact: zero)."""
    n = space.n_actors
    w = np.where(need, np.asarray(space.capability, float), 0.0)
    budget.say("frontier too large to list: solving for the bargaining package", force=True)
    b = bargain(gains, thr, need, w, ints.reserve, ints.tol, ints.scale, budget, BARGAIN_SHARE)
    if b.feasible is False:
        empty = Front(np.zeros((0, n), np.int64), np.zeros((0, len(cand)), np.int64), _NONE)
        return Zone(n_free, 0, empty, np.zeros(0), None)
    choice = np.stack([cand[i][b.choice[:, i]] for i in range(len(cand))], axis=1)
    choice = choice.reshape(len(b.choice), len(cand))
    front = Front(b.utility, choice, np.ones(len(b.choice), np.int64), exact=False)
    low = max(low, len(b.choice))
    z = _ranked(space, ints, front, need, n_free, low)
    bound = b.bound if math.isfinite(b.bound) else None
    return replace(z, n_acceptable_high=max(high, low), nash_exact=b.proven, nash_bound=bound)


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
    f = Front(f.utility[rank], f.choice[rank], f.count[rank], f.exact)
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
    high = sum(z.high for z in zones)
    exact = all(z.front.exact for z in zones)
    nash_exact = all(z.nash_exact for z in zones)
    bounds = [z.nash_bound for z in zones if z.nash_bound is not None]
    nash_bound = max(bounds) if bounds and not nash_exact else None
    fronts = [z.front for z in zones if len(z.front.count)]
    if not fronts:
        front = replace(zones[0].front, exact=exact)
        return Zone(n_free, n_acc, front, np.zeros(0), None, high, nash_exact, nash_bound)
    u = np.concatenate([f.utility for f in fronts])
    choice = np.concatenate([f.choice for f in fronts])
    count = np.concatenate([f.count for f in fronts])
    rows, first, inverse = np.unique(u, axis=0, return_index=True, return_inverse=True)
    counts = np.bincount(inverse.ravel(), weights=count, minlength=len(rows)).astype(np.int64)
    keep = nondominated(np.ascontiguousarray(rows.T))
    f = Front(rows[keep], choice[first][keep], counts[keep], exact)
    z = _ranked(space, ints, f, need, n_free, n_acc)
    return replace(z, n_acceptable_high=high, nash_exact=nash_exact, nash_bound=nash_bound)
