"""The Pareto filter: which of a set of integer utility vectors no other one dominates.

Points are the columns of a (d, m) array, one row per actor, so each comparison runs over
contiguous memory.
"""

from __future__ import annotations

import numpy as np

from model.search.budget import MERGE_SHARE, Budget


def _ranks(q: np.ndarray) -> np.ndarray:
    """Each row of q (d, m) replaced by its dense ranks: dominance between the columns is
    unchanged and small integers compare faster."""
    r = np.empty(q.shape, np.int32)
    for k in range(len(q)):
        r[k] = np.unique(q[k], return_inverse=True)[1].reshape(-1)
    return r.astype(np.int16) if q.shape[1] < 32_000 else r


def unique_cols(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For the columns of p (d, m): (first, group), the first index of each distinct column
    (in sorted order of the columns) and each column's group."""
    m = p.shape[1]
    if m == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.lexsort(p[::-1])  # stable: equal columns keep their order
    s = p[:, order]
    new = np.ones(m, bool)
    if m > 1:
        diff = s[0, 1:] != s[0, :-1]
        for k in range(1, len(p)):
            diff |= s[k, 1:] != s[k, :-1]
        new[1:] = diff
    gid = np.cumsum(new) - 1
    group = np.empty(m, np.int64)
    group[order] = gid
    return order[new], group


def _dominated(f: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For columns of b (d, nb): is some column of f (d, nf) >= it in every row?"""
    ge = f[0][None, :] >= b[0][:, None]
    tmp = np.empty_like(ge)
    for k in range(1, len(f)):
        np.greater_equal(f[k][None, :], b[k][:, None], out=tmp)
        ge &= tmp
    return ge.any(axis=1)


def nondominated(
    q: np.ndarray,
    cells: int = 2_000_000,
    killers: int = 128,
    budget: Budget | None = None,
    share: float = MERGE_SHARE,
) -> np.ndarray:
    """Mask of the columns of q (d, m; distinct integer columns) that no other column
    dominates.

    Columns are taken by decreasing sum (a dominating column has a strictly larger sum) in
    blocks. Each block is checked first against the `killers` frontier columns of largest sum
    (which dominate most), then what survives against the rest of the frontier found so far,
    then within itself. With a `budget`, raises OverBudget once the frontier search's share of
    its time (`share`, by default MERGE_SHARE) is up.
    """
    d, m = q.shape
    keep = np.zeros(m, bool)
    if m == 0:
        return keep
    if d == 1:
        keep[q[0] == q[0].max()] = True
        return keep
    if m <= 256:  # all pairs at once
        ge = q[0][None, :] >= q[0][:, None]
        for k in range(1, d):
            ge &= q[k][None, :] >= q[k][:, None]
        np.fill_diagonal(ge, False)
        return ~ge.any(axis=1)
    order = np.argsort(-q.sum(axis=0), kind="stable")
    p = np.ascontiguousarray(_ranks(q)[:, order])
    front = np.empty_like(p)
    nf = 0
    start = 0
    while start < m:
        if budget is not None:
            budget.check(share=share)
        size = int(max(64, min(512, cells // max(nf, 1))))
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
