"""The Nash bargaining package where the exact frontier would not fit: found by a solver, with a
proven upper bound, without building the frontier.

Maximise N(p) = sum_a c_a log(G_a(p)) over acceptable packages p with every required gain
G_a = u_a - r_a above TOLERANCE. Because log is concave, every lambda > 0 gives the bound

    c log G <= c log(c / lambda) - c + lambda G          (tangent of log at G = c / lambda)

so N(p) <= L(lambda) + max_p sum_a lambda_a G_a(p): a linear objective. Its maximum over the
acceptable packages is bounded by CP-SAT (`model.search.cpsat`, exact integer constraints), and
its maximum over every red-line-feasible package splits issue by issue (each issue's best
candidate for the weighted sum), which needs only numpy. Both are certified bounds; the smallest
is reported. The packages: each CP-SAT solve of the linearised objective (the tangent at the best
package so far, as in Frank-Wolfe) is polished by a local ascent that changes one issue at a time
to raise N. The package is proven optimal when its N meets the bound; otherwise the gap is stated.
A few weighted-sum solves add a sample of the Pareto frontier for the chart (an optimum of a
positive weighted sum is Pareto-optimal; one cut short by the time limit is only acceptable).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from model.search.budget import Budget
from model.search.cpsat import PackageModel
from model.search.pareto import nondominated, unique_cols

SAMPLES = 12
"""Weighted-sum solves for the frontier's sample (besides the bargaining solves)."""

_ROUNDS = 8  # linearisations of the Nash product at most
_SCALE = 1e6  # the linear objective's largest integer coefficient
_SLACK = 1e-9  # relative safety margin on the float bounds


@dataclass(frozen=True, eq=False)
class Bargain:
    """What the bounded search found: acceptable packages (candidate indices, non-dominated
    among those found, best Nash first), the bound on the Nash log-product, and what is
    proven. feasible: True (a package acceptable to all was found), False (proven: none is) or
    None (not known). proven: the first package maximises the Nash product, or (nash_log -inf)
    no package gives every required actor a gain."""

    choice: np.ndarray  # (m, n_issues)
    utility: np.ndarray  # (m, n) int64
    nash_log: float  # of the first package; -inf when none found gives every actor a gain
    bound: float  # proven: no acceptable package has a larger Nash log-product
    feasible: bool | None
    proven: bool


def _logs(gain: np.ndarray, w: np.ndarray, tol: int, scale: float) -> np.ndarray:
    """Nash log-products of rows of integer gains (m, n); -inf where a weighted actor has no
    gain above tol."""
    on = w > 0
    ok = (gain[:, on] > tol).all(axis=1)
    out = np.full(len(gain), -np.inf)
    if ok.any():
        out[ok] = (np.log(gain[ok][:, on] / scale) * w[on]).sum(axis=1)
    return out


def _tangent(w: np.ndarray, lam: np.ndarray) -> float:
    """sum_a c_a (log(c_a / lambda_a) - 1) over the weighted actors."""
    on = w > 0
    return float((w[on] * (np.log(w[on] / lam[on]) - 1.0)).sum())


def _up(x: float) -> float:
    return x + _SLACK * max(1.0, abs(x))


def dual_bound(
    gains: Sequence[np.ndarray],
    res: np.ndarray,
    w: np.ndarray,
    scale: float,
    lam: np.ndarray,
    steps: int = 200,
) -> float:
    """min over lambda of L(lambda) + sum_i max_k sum_a lambda_a g[i][k, a] - lambda . r: an
    upper bound on the Nash log-product of every red-line-feasible package (reservations
    ignored), improved from `lam` by a damped fixed-point iteration lambda = c / G(argmax)."""
    on = w > 0
    if not on.any():
        return 0.0
    gf = [g / scale for g in gains]
    rf = res / scale
    lam = np.where(on, np.maximum(lam, 1e-12), 0.0)
    best = math.inf
    for _ in range(steps):
        picks = [int(np.argmax(g @ lam)) for g in gf]
        gain = sum(g[k] for g, k in zip(gf, picks, strict=True)) - rf
        value = sum(float((g @ lam).max()) for g in gf) - float(lam @ rf) + _tangent(w, lam)
        best = min(best, value)
        target = np.where(gain > 0, w / np.maximum(gain, 1e-300), lam * 4.0)
        lam = np.where(on, np.sqrt(lam * np.maximum(target, 1e-12)), 0.0)
    return _up(best)


def bargain(
    gains: Sequence[np.ndarray],
    thr: np.ndarray,
    need: np.ndarray,
    w: np.ndarray,
    res: np.ndarray,
    tol: int,
    scale: float,
    budget: Budget,
    until: float,
) -> Bargain:
    """The bounded Nash search over the candidates `gains` (see the module doc): acceptable
    means u_a >= thr_a for the `need`ed actors; w are the Nash weights (capability, 0 for actors
    not needed), res the reservations, all integers at `scale`. Works until `until` of the
    budget's time limit (each solve and the ascent check the deadline)."""
    n_issues, n = len(gains), len(thr)
    on = w > 0
    deadline = until * budget.time_limit

    def left() -> float:
        return deadline - budget.elapsed()

    model = PackageModel(gains)
    for a in np.flatnonzero(need):
        model.at_least(int(a), int(thr[a]))
    pos = model.literal()
    for a in np.flatnonzero(on):
        model.at_least(int(a), int(res[a]) + tol + 1, enforce=pos)
    offsets = np.cumsum([0, *(len(g) for g in gains)])
    flat = model.gain  # (sum k, n)
    found: dict[tuple[int, ...], np.ndarray] = {}

    def utility(choice: np.ndarray) -> np.ndarray:
        return flat[offsets[:-1] + choice].sum(axis=0)

    def ascend(choice: np.ndarray) -> np.ndarray:
        """One issue at a time, the candidate that most raises the Nash product (keeping the
        package acceptable), until none does or the time is up."""
        choice = choice.copy()
        u = utility(choice)
        cur = _logs((u - res)[None, :], w, tol, scale)[0]
        for _ in range(50):
            moved = False
            for i, g in enumerate(gains):
                if left() <= 0:
                    return choice
                alt = u[None, :] - g[choice[i]][None, :] + g
                ok = (alt[:, need] >= thr[need]).all(axis=1)
                nl = np.where(ok, _logs(alt - res, w, tol, scale), -np.inf)
                j = int(np.argmax(nl))
                if nl[j] > cur + 1e-12 * max(1.0, abs(cur)):
                    choice[i], u, cur, moved = j, alt[j], nl[j], True
            if not moved:
                break
        return choice

    def keep(choice: np.ndarray) -> None:
        found.setdefault(tuple(int(c) for c in choice), utility(choice))

    spread = np.maximum(sum((g.max(axis=0) - g.min(axis=0)) for g in gains) / scale, 1e-12)
    lam = np.where(on, w / spread, 0.0)
    bound = math.inf
    best: np.ndarray | None = None
    best_nl = -math.inf
    feasible: bool | None = None
    no_gain = False
    gf = flat / scale
    for _ in range(_ROUNDS if on.any() else 1):
        t = left()
        if t <= 0.05:
            break
        c = gf @ lam
        k = _SCALE / max(float(np.abs(c).max()), 1e-300)
        s = model.solve(min(t, max(0.5, t / 3)), np.ceil(c * k), [pos], hint=best)
        if s.status == "infeasible":  # no acceptable package gives every weighted actor a gain
            no_gain = True
            break
        if s.bound is not None:
            lin = s.bound / k - float(lam @ (res / scale))
            bound = min(bound, _up(lin + _tangent(w, lam)))
        if not s.found:
            break
        feasible = True
        choice = ascend(s.choice)
        keep(s.choice)
        keep(choice)
        nl = float(_logs((utility(choice) - res)[None, :], w, tol, scale)[0])
        if best is not None and np.array_equal(choice, best):
            break
        if nl > best_nl:
            best, best_nl = choice, nl
        gain = (utility(best) - res) / scale
        lam = np.where(on, w / np.maximum(gain, 1e-300), 0.0)
        if best_nl >= bound - _SLACK * max(1.0, abs(bound)):
            break
    if no_gain:
        bound = -math.inf
        s = model.solve(left(), None, [])
        feasible = {"infeasible": False, "unknown": None}.get(s.status, True)
        if s.found:
            keep(s.choice)
    if feasible is None and not found:
        s = model.solve(left(), None, [])
        feasible = {"infeasible": False, "unknown": None}.get(s.status, True)
        if s.found:
            keep(s.choice)
    if on.any() and best is not None and left() > 0:
        bound = min(bound, dual_bound(gains, res, w, scale, lam))
    if feasible:  # a sample of the frontier: optima of random positive weighted sums
        rng = np.random.default_rng(0)
        unit = 1.0 / np.maximum(sum((g.max(axis=0) - g.min(axis=0)) for g in gains), 1)
        for r in range(SAMPLES):
            t = left()
            if t <= 0.1:
                break
            mix = rng.dirichlet(np.ones(n)) if r >= n else np.eye(n)[r] + 1e-3
            c = flat.astype(float) @ (mix * unit)
            k = _SCALE / max(float(np.abs(c).max()), 1e-300)
            s = model.solve(min(t / 2, max(0.2, t / (2 * (SAMPLES - r)))), np.rint(c * k))
            if s.found:
                keep(s.choice)
    if not found:
        return Bargain(
            np.zeros((0, n_issues), np.int64),
            np.zeros((0, n), np.int64),
            -math.inf,
            bound,
            feasible,
            no_gain or feasible is False,
        )
    choice = np.array(list(found), np.int64).reshape(len(found), n_issues)
    u = np.array(list(found.values()), np.int64).reshape(len(found), n)
    first, _ = unique_cols(np.ascontiguousarray(u.T))
    first = np.sort(first)
    choice, u = choice[first], u[first]
    front = nondominated(np.ascontiguousarray(u.T))
    choice, u = choice[front], u[front]
    nl = _logs(u - res, w, tol, scale)
    order = np.lexsort([*(choice[:, i] for i in range(n_issues - 1, -1, -1)), -nl])
    choice, u, nl = choice[order], u[order], nl[order]
    top = float(nl[0])
    proven = no_gain or top >= bound - _SLACK * max(1.0, abs(bound))
    return Bargain(choice, u, top, max(bound, top), True, bool(proven))
