"""Speed of the exact zone-of-agreement search against a numpy brute force.

    python benchmarks/search.py

A seeded synthetic space (5 actors, 12 issues of 3-5 options, red lines on each actor's two
most salient issues, reservation = the utility of a random status quo) is solved twice:

(a) brute force: every package that crosses no red line is scored (prefix table x suffix table
    outer sums in chunks, so each package costs one vector add); those every actor accepts are
    kept, deduplicated and filtered to the Pareto frontier (sort by total utility, blocked
    dominance checks on rank-compressed columns), and the Nash package is their argmax;
(b) `model.search.search`, which also finds conflicts, binding red lines and logrolls.

Both work on the same exact integer utilities (`model.search.integer_space`), so the frontier
sets and the Nash packages must be identical, or the script fails. Then the search is timed on
the 28-point scenario. Ratios, not absolute times, are the result: both run on the same data.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this tree's model package, not an installed copy

from model.loader import load_scenario  # noqa: E402
from model.search import integer_space, search, search_scenario  # noqa: E402
from model.space import PackageSpace  # noqa: E402

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


def _dominated(f: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For columns of b (d, nb): is some column of f (d, nf) >= it in every row?"""
    ge = f[0][None, :] >= b[0][:, None]
    tmp = np.empty_like(ge)
    for k in range(1, len(f)):
        np.greater_equal(f[k][None, :], b[k][:, None], out=tmp)
        ge &= tmp
    return ge.any(axis=1)


def pareto_mask(q: np.ndarray, killers: int = 512) -> np.ndarray:
    """Rows of q (distinct integer rows) that no other row dominates: by decreasing sum, in
    blocks checked against the strongest frontier rows found so far, then the rest of them,
    then within themselves; columns rank-compressed to small integers."""
    m, d = q.shape
    keep = np.zeros(m, bool)
    order = np.argsort(-q.sum(axis=1), kind="stable")
    r = np.empty(q.shape, np.int32)
    for k in range(d):
        r[:, k] = np.unique(q[:, k], return_inverse=True)[1].reshape(-1)
    p = np.ascontiguousarray(r[order].T)
    if p.max(initial=0) < 32_767:
        p = p.astype(np.int16)
    front = np.empty_like(p)
    nf, start = 0, 0
    while start < m:
        size = int(max(64, min(512, 2_000_000 // max(nf, 1))))
        b = p[:, start : start + size]
        idx = np.arange(b.shape[1])
        if nf:
            idx = idx[~_dominated(front[:, : min(nf, killers)], b)]
            if nf > killers and len(idx):
                idx = idx[~_dominated(front[:, killers:nf], b[:, idx])]
        bb = b[:, idx]
        ge = bb[0][None, :] >= bb[0][:, None]
        tmp = np.empty_like(ge)
        for k in range(1, d):
            np.greater_equal(bb[k][None, :], bb[k][:, None], out=tmp)
            ge &= tmp
        np.fill_diagonal(ge, False)
        ok = idx[~ge.any(axis=1)]
        keep[order[start + ok]] = True
        front[:, nf : nf + len(ok)] = b[:, ok]
        nf += len(ok)
        start += size
    return keep


def unique_rows(u: np.ndarray) -> np.ndarray:
    """The distinct rows of an integer array (lexsort and neighbour comparison: faster than
    np.unique(axis=0), which sorts a structured view)."""
    s = u[np.lexsort(u.T[::-1])]
    new = np.ones(len(s), bool)
    new[1:] = (s[1:] != s[:-1]).any(axis=1)
    return s[new]


def brute_force(space: PackageSpace) -> dict:
    """Counts, Pareto frontier (set of integer utility vectors) and Nash package, by scoring
    every package that crosses no red line."""
    ints = integer_space(space)
    n_issues = len(space.issue_ids)
    ok = [m.all(axis=0) for m in space.allowed]
    half = n_issues // 2
    pu, pi = _table(list(ints.gain[:half]), ok[:half])
    su, si = _table(list(ints.gain[half:]), ok[half:])
    thr = ints.reserve - ints.tol
    n = space.n_actors
    rows = max(1, CHUNK_CELLS // max(1, len(su) * n))
    kept_u, kept_p, kept_s = [], [], []
    for a in range(0, len(pu), rows):
        u = pu[a : a + rows, None, :] + su[None, :, :]
        acc = (u >= thr).all(axis=2)
        p, s = np.nonzero(acc)
        kept_u.append(u[p, s])
        kept_p.append(p + a)
        kept_s.append(s)
    u = np.concatenate(kept_u)
    distinct = unique_rows(u)
    front = distinct[pareto_mask(distinct)]
    gain = u - ints.reserve
    pos = (gain > ints.tol).all(axis=1)
    nl = np.full(len(u), -np.inf)
    nl[pos] = (np.log(gain[pos] / ints.scale) * space.capability).sum(axis=1)
    best = int(np.argmax(nl))
    choice = np.concatenate([pi[np.concatenate(kept_p)[best]], si[np.concatenate(kept_s)[best]]])
    return {
        "no_red_line": len(pu) * len(su),
        "acceptable": len(u),
        "frontier": {tuple(x) for x in front.tolist()},
        "nash_utility": tuple(u[best].tolist()),
        "nash_log": float(nl[best]),
        "nash_choice": tuple(int(c) for c in choice),
    }


def best_of(repeat: int, job: Callable[[], object]) -> tuple[float, object]:
    """The fastest of `repeat` timings (the least disturbed by the machine) and the result."""
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = job()
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> None:
    space = synthetic_space()
    ints = integer_space(space)
    sizes = [len(v) for v in space.values]
    print(f"synthetic space: {space.n_actors} actors, {len(sizes)} issues of sizes {sizes}")
    print(f"  packages {space.n_packages:,}")
    t_bf, bf = best_of(3, lambda: brute_force(space))
    t_s, res = best_of(3, lambda: search(space))
    front = {tuple(x) for x in np.rint(res.frontier_utility * ints.scale).astype(np.int64).tolist()}
    nash_u = tuple(np.rint(np.array(res.nash.utility) * ints.scale).astype(np.int64).tolist())
    checks = {
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
    print(f"{'method (best of 3)':<32}{'seconds':>10}{'ratio':>10}")
    print(f"{'numpy brute force':<32}{t_bf:>10.3f}{1.0:>10.1f}")
    print(f"{'model.search (exact)':<32}{t_s:>10.3f}{t_bf / t_s:>10.1f}")
    print()
    for what, same in checks.items():
        print(f"  {what:<20} {'same' if same else 'DIFFERENT'}")
    scenario = load_scenario(ROOT / "scenarios" / "28-point.yaml")
    t28, r28 = best_of(3, lambda: search_scenario(scenario))
    print()
    print(
        f"28-point scenario: packages {r28.n_packages:,}, no red line crossed "
        f"{r28.n_no_red_line:,}, acceptable {r28.n_acceptable:,}, frontier {r28.frontier_size:,}"
    )
    print(f"  search {t28:.3f} s ({t28 / t_s:.2f} x the synthetic search)")
    if not all(checks.values()):
        raise SystemExit("the search and the brute force disagree")


if __name__ == "__main__":
    main()
