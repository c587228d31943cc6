"""Speed of the exact zone-of-agreement search against a numpy brute force.

    python benchmarks/search.py

A seeded synthetic space (5 actors, 12 issues of 3-5 options, red lines on each actor's two
most salient issues, reservation = the utility of a random status quo) is solved twice:

(a) brute force: every package is scored (prefix table x suffix table outer sums in chunks, so
    each package costs one vector add), those that cross a red line or that some actor rejects
    are filtered out, the rest deduplicated and filtered to the Pareto frontier (sort by total
    utility, blocked dominance checks: `model.search`'s own filter), and the Nash package is
    their argmax. A second brute force prunes red-line-crossing values before scoring: a
    stronger baseline than the issue's "score every package";
(b) `model.search.search`, which also finds binding red lines and logrolls.

Then the conflict core: the same space with every reservation raised (`conflict_space`) has
no package acceptable to all; a brute force reduces every package to the mask of constraints
it breaks and derives every minimal conflict and the smallest relaxations from the masks
(`brute_force_conflicts`), against `search` on the same space.

All work on the same exact integer utilities (`model.search.integer_space`), so counts,
frontier sets, Nash packages and conflict cores must be identical, or the script fails. The
search is also timed on the 28-point scenario. Ratios, not absolute times, are the result:
every method runs on the same data in the same process, in one interleaved run (each round
runs every method once; the medians over REPEAT rounds are compared).
"""

from __future__ import annotations

import dataclasses
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this tree's model package, not an installed copy


from timing import interleaved  # noqa: E402

from model.evaluation.space import PackageSpace  # noqa: E402
from model.scenario.loader import load_scenario  # noqa: E402
from model.search import MAX_RELAXATIONS, integer_space, search, search_scenario  # noqa: E402
from model.search.pareto import nondominated  # noqa: E402

SEED = 5
CHUNK_CELLS = 4_000_000  # packages x actors scored per chunk


def synthetic_space(seed: int = SEED, n_actors: int = 5, n_issues: int = 12) -> PackageSpace:
    """Actors spread from one end of every issue to the other (two camps and a middle), random
    saliences, red lines that exclude values far from the ideal on each actor's two most
    salient issues, and the status quo at a random candidate."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(3, 6, n_issues)
    side = np.linspace(0.0, 1.0, n_actors)
    w = rng.dirichlet(np.ones(n_issues), n_actors)
    values, gains, allowed, labels, sq = [], [], [], [], []
    for i, k in enumerate(sizes):
        v = np.linspace(0.0, 100.0, int(k))
        x = np.clip(100 * side + rng.normal(0, 15, n_actors), 0, 100)
        values.append(v)
        gains.append(w[:, i, None] * (1 - np.abs(v[None] - x[:, None]) / 100))
        labels.append(tuple(f"{t:g}" for t in v))
        allowed.append(np.ones((n_actors, int(k)), bool))
        sq.append(int(rng.integers(k)))
    for a in range(n_actors):
        for i in np.argsort(-w[a])[:2]:
            ideal = values[i][gains[i][a].argmax()]
            allowed[i][a] = np.abs(values[i] - ideal) <= 55
    reservation = np.array(
        [sum(gains[i][a, sq[i]] for i in range(n_issues)) for a in range(n_actors)]
    )
    return PackageSpace(
        issue_ids=tuple(f"issue{i}" for i in range(n_issues)),
        values=tuple(values),
        labels=tuple(labels),
        actor_ids=tuple(f"actor{a}" for a in range(n_actors)),
        gain=tuple(gains),
        allowed=tuple(allowed),
        reservation=reservation,
        capability=rng.uniform(20, 100, n_actors),
        status_quo=tuple(sq),
    )


BOOST = 0.15
"""Raised reservations that leave no package acceptable to all (for the conflict core)."""


def conflict_space() -> PackageSpace:
    """The synthetic space with every actor's no-deal utility raised by BOOST: red lines still
    leave packages, but none is acceptable to all, so the search must find the conflict core."""
    space = synthetic_space()
    return dataclasses.replace(space, reservation=space.reservation + BOOST)


def _table(gains: list[np.ndarray], ok: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Sums and candidate indices of every legal combination of the given issues."""
    n = gains[0].shape[1]
    u = np.zeros((1, n), np.int64)
    idx = np.zeros((1, 0), np.int64)
    for g, m in zip(gains, ok, strict=True):
        c = np.flatnonzero(m)
        u = (u[:, None, :] + g[c][None, :, :]).reshape(-1, n)
        idx = np.hstack(
            [np.repeat(idx, len(c), axis=0), np.tile(c, len(idx) if len(idx) else 1)[:, None]]
        )
    return u, idx


def unique_rows(u: np.ndarray) -> np.ndarray:
    """The distinct rows of an integer array (lexsort and neighbour comparison: faster than
    np.unique(axis=0), which sorts a structured view)."""
    s = u[np.lexsort(u.T[::-1])]
    new = np.ones(len(s), bool)
    new[1:] = (s[1:] != s[:-1]).any(axis=1)
    return s[new]


def brute_force(space: PackageSpace, prune: bool = True) -> dict:
    """Counts, Pareto frontier (set of integer utility vectors) and Nash package, by scoring
    every package that crosses no red line (prune) or every package, then filtering out those
    that cross one (not prune: the brute force the issue describes)."""
    ints = integer_space(space)
    n_issues = len(space.issue_ids)
    ok = [m.all(axis=0) for m in space.allowed]
    half = n_issues // 2
    every = [np.ones_like(m) for m in ok]
    pu, pi = _table(list(ints.gain[:half]), ok[:half] if prune else every[:half])
    su, si = _table(list(ints.gain[half:]), ok[half:] if prune else every[half:])
    legal_p = np.all([ok[k][pi[:, k]] for k in range(half)], axis=0)
    legal_s = np.all([ok[half + k][si[:, k]] for k in range(n_issues - half)], axis=0)
    thr = ints.reserve - ints.tol
    n = space.n_actors
    rows = max(1, CHUNK_CELLS // max(1, len(su) * n))
    kept_u, kept_p, kept_s = [], [], []
    for a in range(0, len(pu), rows):
        u = pu[a : a + rows, None, :] + su[None, :, :]
        acc = (u >= thr).all(axis=2)
        if not prune:
            acc &= legal_p[a : a + rows, None] & legal_s[None, :]
        p, s = np.nonzero(acc)
        kept_u.append(u[p, s])
        kept_p.append(p + a)
        kept_s.append(s)
    u = np.concatenate(kept_u)
    distinct = unique_rows(u)
    # the project's blocked Pareto filter: a brute force has nothing better to filter with
    front = distinct[nondominated(np.ascontiguousarray(distinct.T), killers=512)]
    gain = u - ints.reserve
    pos = (gain > ints.tol).all(axis=1)
    nl = np.full(len(u), -np.inf)
    nl[pos] = (np.log(gain[pos] / ints.scale) * space.capability).sum(axis=1)
    best = int(np.argmax(nl))
    choice = np.concatenate([pi[np.concatenate(kept_p)[best]], si[np.concatenate(kept_s)[best]]])
    return {
        "no_red_line": int(legal_p.sum()) * int(legal_s.sum()),
        "acceptable": len(u),
        "frontier": {tuple(x) for x in front.tolist()},
        "nash_utility": tuple(u[best].tolist()),
        "nash_log": float(nl[best]),
        "nash_choice": tuple(int(c) for c in choice),
    }


def brute_force_conflicts(space: PackageSpace) -> dict:
    """The conflict core and the smallest relaxations by scoring every package.

    Constraints are the red lines that exclude something, then each actor's participation
    (u_a >= reservation_a), in the order `model.search.search` uses. Each package is reduced
    to the bit mask of the constraints it breaks; a set S of constraints holds iff some
    package breaks none of S, i.e. some mask lies inside the complement of S. A subset-OR
    (zeta) transform over all 2^n masks answers that for every S at once; the minimal
    conflicts are the S that fail while every S minus one constraint holds, and the smallest
    relaxations the smallest D whose complement holds.
    """
    ints = integer_space(space)
    n_issues, n_actors = len(space.issue_ids), space.n_actors
    lines = [
        (a, i) for i in range(n_issues) for a in range(n_actors) if not space.allowed[i][a].all()
    ]
    n = len(lines) + n_actors
    # per issue and candidate: the bits of the red lines that value breaks
    bits = [np.zeros(len(v), np.int64) for v in space.values]
    for k, (a, i) in enumerate(lines):
        bits[i] |= (~space.allowed[i][a]).astype(np.int64) << k
    half = n_issues // 2
    every = [np.ones(len(v), bool) for v in space.values]
    pu, pi = _table(list(ints.gain[:half]), every[:half])
    su, si = _table(list(ints.gain[half:]), every[half:])
    pm = np.bitwise_or.reduce([bits[k][pi[:, k]] for k in range(half)], axis=0)
    sm = np.bitwise_or.reduce([bits[half + k][si[:, k]] for k in range(n_issues - half)], axis=0)
    thr = ints.reserve - ints.tol
    rows = max(1, CHUNK_CELLS // max(1, len(su) * n_actors))
    has = np.zeros(2**n, bool)
    for a in range(0, len(pu), rows):
        u = pu[a : a + rows, None, :] + su[None, :, :]
        mask = pm[a : a + rows, None] | sm[None, :]
        for k in range(n_actors):
            mask = mask | ((u[:, :, k] < thr[k]).astype(np.int64) << (len(lines) + k))
        has[np.unique(mask)] = True
    inside = has.copy()  # inside[T]: some package's mask lies inside T
    for b in range(n):
        view = inside.reshape(-1, 2, 2**b)
        view[:, 1, :] |= view[:, 0, :]
    full = 2**n - 1
    every_set = np.arange(2**n)
    holds = inside[full ^ every_set]
    minimal = [
        int(s)
        for s in np.flatnonzero(~holds)
        if all(holds[s ^ (1 << b)] for b in range(n) if s >> b & 1)
    ]
    size = np.array([bin(s).count("1") for s in range(2**n)])
    opening = np.flatnonzero(inside)  # dropping D leaves its complement, which holds
    smallest = int(size[opening].min()) if len(opening) else None
    return {
        "constraints": n,
        "minimal": {s for s in minimal},
        "smallest_relaxations": {int(d) for d in opening if size[d] == smallest},
    }


def as_bits(result, sets) -> set[int]:
    """Sets of `model.search.Constraint`s as bit masks in `brute_force_conflicts`' order: the
    red lines as `result.red_lines` lists them, then each actor's participation."""
    index = {c: k for k, c in enumerate(result.red_lines)}
    n_lines = len(result.red_lines)
    return {
        sum(
            1 << (index[c] if c.issue is not None else n_lines + result.actor_ids.index(c.actor))
            for c in s
        )
        for s in sets
    }


REPEAT = 5


def main() -> None:
    space = synthetic_space()
    ints = integer_space(space)
    sizes = [len(v) for v in space.values]
    print(f"synthetic space: {space.n_actors} actors, {len(sizes)} issues of sizes {sizes}")
    print(f"  packages {space.n_packages:,}")
    scenario = load_scenario(ROOT / "scenarios" / "28-point.yaml")
    conflicted = conflict_space()
    timed = interleaved(
        REPEAT,
        {
            "all": lambda: brute_force(space, prune=False),
            "pruned": lambda: brute_force(space),
            "search": lambda: search(space),
            "28": lambda: search_scenario(scenario),
            "conflicts bf": lambda: brute_force_conflicts(conflicted),
            "conflicts": lambda: search(conflicted),
        },
    )
    (t_all, bf_all), (t_bf, bf), (t_s, res) = timed["all"], timed["pruned"], timed["search"]
    front = {tuple(x) for x in np.rint(res.frontier_utility * ints.scale).astype(np.int64).tolist()}
    nash_u = tuple(np.rint(np.array(res.nash.utility) * ints.scale).astype(np.int64).tolist())
    checks = {
        "brute forces agree": bf_all == bf,
        "no red line count": bf["no_red_line"] == res.n_no_red_line,
        "acceptable count": bf["acceptable"] == res.n_acceptable,
        "frontier": bf["frontier"] == front,
        "nash package": bf["nash_utility"] == nash_u
        and math.isclose(bf["nash_log"], res.nash.nash_log, rel_tol=1e-12),
    }
    # the same package, unless another package ties it exactly
    checks["nash package"] &= bf["nash_choice"] == res.nash.choice or res.nash.count > 1
    print(
        f"  no red line crossed {res.n_no_red_line:,}  acceptable {res.n_acceptable:,}  "
        f"frontier {res.frontier_size:,}"
    )
    print()
    print(f"{f'method (median of {REPEAT}, interleaved)':<36}{'seconds':>10}{'x the search':>14}")
    print(f"{'brute force, every package':<36}{t_all:>10.3f}{t_all / t_s:>14.1f}")
    print(f"{'brute force, red lines pruned':<36}{t_bf:>10.3f}{t_bf / t_s:>14.1f}")
    print(f"{'model.search (exact)':<36}{t_s:>10.3f}{1.0:>14.1f}")
    print()
    for what, same in checks.items():
        print(f"  {what:<20} {'same' if same else 'DIFFERENT'}")
    t28, r28 = timed["28"]
    print()
    print(
        f"28-point scenario: packages {r28.n_packages:,}, no red line crossed "
        f"{r28.n_no_red_line:,}, acceptable {r28.n_acceptable:,}, frontier {r28.frontier_size:,}"
    )
    print(f"  search {t28:.3f} s ({t28 / t_s:.2f} x the synthetic search)")
    (t_cbf, cbf), (t_cs, cres) = timed["conflicts bf"], timed["conflicts"]
    core = cres.conflicts
    print()
    print(
        f"synthetic space with every reservation raised by {BOOST}: "
        f"{cres.n_no_red_line:,} packages cross no red line, {cres.n_acceptable} acceptable"
    )
    print(
        f"  {len(core.minimal)} minimal conflicts of {core.n_constraints} constraints "
        f"(complete: {core.complete_up_to >= core.n_constraints}), smallest relaxation drops "
        f"{len(cres.relaxations[0].drop) if cres.relaxations else '-'}"
    )
    print(f"{f'method (median of {REPEAT}, interleaved)':<36}{'seconds':>10}{'x the search':>14}")
    print(f"{'brute force, every package':<36}{t_cbf:>10.3f}{t_cbf / t_cs:>14.1f}")
    print(f"{'model.search (exact)':<36}{t_cs:>10.3f}{1.0:>14.1f}")
    conflict_checks = {
        "conflict core": core.complete_up_to >= core.n_constraints
        and not core.capped
        and as_bits(cres, core.minimal) == cbf["minimal"],
        "smallest relaxations": as_bits(cres, [r.drop for r in cres.relaxations])
        <= cbf["smallest_relaxations"]
        and len(cres.relaxations) == min(len(cbf["smallest_relaxations"]), MAX_RELAXATIONS),
    }
    print()
    for what, same in conflict_checks.items():
        print(f"  {what:<20} {'same' if same else 'DIFFERENT'}")
    if not all(checks.values()) or not all(conflict_checks.values()):
        raise SystemExit("the search and the brute force disagree")


if __name__ == "__main__":
    main()
