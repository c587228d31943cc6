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
to raise N. Then an outer approximation (`_Outer`: the tangents at every package found, as cuts
in CP-SAT) tightens the bound and finds better packages. The package is proven optimal when its
N meets the bound; otherwise the gap is stated. When no acceptable package turns up quickly, a
first phase (`_phase_one`) finds one or proves there is none. A few weighted-sum solves add a
sample of the Pareto frontier for the chart (an optimum of a positive weighted sum is
Pareto-optimal; one cut short by the time limit is only acceptable).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from model.search.budget import Budget
from model.search.cpsat import PackageModel
from model.search.pareto import nondominated, unique_cols

SAMPLES = 12
"""Weighted-sum solves for the frontier's sample (besides the bargaining solves)."""

_ROUNDS = 8  # linearisations of the Nash product at most
_LINEAR_SECONDS = 2.0  # one solve of a linearisation, at most
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


OUTER_SHARE = 0.7
"""Share of the bargaining search's remaining time the outer approximation may take (the rest
goes to the frontier's sample)."""

_UNITS = 1e8  # the outer approximation's units of log-gain, at most
_INT = 1e17  # the largest sum of coefficients a tangent may have (CP-SAT needs int64)
_TANGENTS = 8  # initial tangents per actor, geometrically spaced over its range of gains


class _Outer:
    """Outer approximation of the Nash objective in CP-SAT (Duran and Grossmann, "An
    outer-approximation algorithm for a class of mixed-integer nonlinear programs", Mathematical
    Programming 36, 1986): each weighted actor's log-gain is a variable y_a (in units of 1/M
    above log of the least gain that counts) held under tangents of log, which lie above it
    (log is concave), with every coefficient rounded up; so the model's optimum, and any
    bound CP-SAT proves on it, bound the Nash log-product from above. Each new package adds
    the tangents at its gains (a cut), tightening the model where the search goes."""

    def __init__(
        self,
        model: PackageModel,
        pos: object,
        flat: np.ndarray,
        res: np.ndarray,
        tol: int,
        scale: float,
        w: np.ndarray,
    ) -> None:
        self.model, self.pos, self.flat, self.scale = model, pos, flat, scale
        self.res = res
        self.on = np.flatnonzero(w > 0)
        sizes = model.sizes
        offsets = np.cumsum([0, *sizes])
        high = np.zeros(len(res))
        for i in range(len(sizes)):
            high += flat[offsets[i] : offsets[i + 1]].max(axis=0)
        self.top = (high - res) / scale  # the most each actor can gain
        self.low = np.maximum((tol + 1) / scale, 1e-4 * self.top)  # tangents from here up
        self.ok = bool((self.top[self.on] > (tol + 1) / scale).all())
        self.zlo = np.log(np.full(len(res), (tol + 1) / scale))
        # weights as integers: exact when they are multiples of a power of ten (capabilities
        # usually are), else rounded up (an upper bound still)
        q = 1e6 / float(w[self.on].max()) if self.ok else 1.0
        self.weight = np.ceil(w * q).astype(np.int64)
        for p in range(7):
            if np.allclose(w * 10**p, np.rint(w * 10**p), rtol=0, atol=1e-9):
                q = float(10**p)
                self.weight = np.rint(w * q).astype(np.int64)
                break
        big = float(np.abs(flat).max(initial=1)) / scale * len(sizes) + 1.0
        self.m = min(_UNITS, _INT / (big / float(self.low[self.on].min(initial=1.0))))
        self.q = q
        self.w = w
        self.y: dict[int, object] = {}
        self.tangents: dict[int, list[float]] = {}
        if not self.ok:
            return
        for a in self.on:
            a = int(a)
            span = np.log(self.top[a]) - self.zlo[a]
            self.y[a] = model.integer(math.ceil(self.m * span) + 1)
            self.tangents[a] = []
            for t in np.geomspace(self.low[a], self.top[a], _TANGENTS):
                self._tangent(a, float(t))

    def _tangent(self, a: int, t: float) -> bool:
        """y_a <= M (log t - 1 - zlo_a + G_a / t), G_a = (sum g x - r_a) / scale, rounded up.
        False when that tangent is there already."""
        t = float(np.clip(t, self.low[a], self.top[a]))
        if any(abs(t - u) <= 1e-9 * u for u in self.tangents[a]):
            return False
        self.tangents[a].append(t)
        m = self.m
        coef = self.flat[:, a].astype(float) * (m / (t * self.scale))
        coef = np.ceil(coef + 1e-9 * np.abs(coef) + 1e-9)
        const = m * (math.log(t) - 1.0 - self.zlo[a]) - m * float(self.res[a]) / (t * self.scale)
        const = math.ceil(const + 1e-9 * abs(const) + 1e-9)
        self.model.at_most(self.y[a], coef, const, enforce=self.pos)
        return True

    def cut(self, gain: np.ndarray) -> int:
        """Tangents at these integer gains (each weighted actor with a gain above zero); how
        many were new."""
        return sum(self._tangent(a, float(gain[a]) / self.scale) for a in self.y if gain[a] > 0)

    def solve(self, seconds: float, hint: np.ndarray | None) -> object:
        extra = [(self.y[a], int(self.weight[a])) for a in self.y]
        return self.model.solve(seconds, None, [self.pos], hint=hint, extra=extra)

    def value(self, bound: float) -> float:
        """A proven bound on the Nash log-product from a bound on the model's objective."""
        base = float((self.w[self.on] * self.zlo[self.on]).sum())
        return _up(base + max(bound, 0.0) / (self.q * self.m))


def _phase_one(
    gains: Sequence[np.ndarray], thr: np.ndarray, need: np.ndarray, left: Callable[[], float]
) -> tuple[bool | None, np.ndarray | None]:
    """Is some package acceptable to all? When a solve under the acceptability constraints finds
    none quickly: maximise the smallest margin t, u_a - thr_a >= t over the required actors,
    which every package satisfies for some t, so the solver improves from the first package on
    (as in the first phase of the simplex method). Gains and thresholds are rounded up to
    multiples of a millionth of each actor's range, which the solver handles far faster than the
    exact integers; rounding up only adds packages, so a proof that t < 0 there proves that no
    package is acceptable, and a package found is checked exactly. (True, package), (False,
    None) when none is acceptable, else (None, None)."""
    idx = np.flatnonzero(need)
    if not len(idx):
        return None, None
    span = sum(g.max(axis=0) - g.min(axis=0) for g in gains)
    q = np.maximum(span // 1_000_000, 1)
    coarse = [-(-g // q) for g in gains]
    cthr = -(-thr // q)
    model = PackageModel(coarse)
    lowest = sum(g.min(axis=0) for g in coarse)
    t = model.model.new_int_var(int((lowest - cthr)[idx].min()) - 1, 2_000_001, "t")
    for a in idx:
        model.model.add(model.expr(model.gain[:, a]) - int(cthr[a]) >= t)
    s = model.solve(0.9 * left(), None, extra=[(t, 1)], workers=2)
    if s.bound is not None and s.bound < 0:
        return False, None
    if s.found:
        choice = _lift(gains, thr, need, s.choice, left)
        u = sum(g[k] for g, k in zip(gains, choice, strict=True))
        if (u[idx] >= thr[idx]).all():
            return True, choice
    return None, None


def _lift(
    gains: Sequence[np.ndarray],
    thr: np.ndarray,
    need: np.ndarray,
    choice: np.ndarray,
    left: Callable[[], float],
) -> np.ndarray:
    """A local ascent on the smallest margin over the reservations (each actor's margin in
    units of its range), one issue at a time, until every margin is met, none rises, or the
    time is up: the solver's package is often a few changes away from acceptable."""
    choice = np.array(choice)
    span = np.maximum(sum(g.max(axis=0) - g.min(axis=0) for g in gains), 1).astype(float)
    u = sum(g[k] for g, k in zip(gains, choice, strict=True))

    def worst(x: np.ndarray) -> np.ndarray:
        return ((x - thr)[..., need] / span[need]).min(axis=-1)

    cur = float(worst(u))
    for _ in range(100):
        moved = False
        for i, g in enumerate(gains):
            if cur >= 0 or left() <= 0:
                return choice
            alt = u[None, :] - g[choice[i]][None, :] + g
            score = worst(alt)
            j = int(np.argmax(score))
            if score[j] > cur:
                choice[i], u, cur, moved = j, alt[j], float(score[j]), True
        if not moved:
            break
    return choice


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
        # short: these solves only find packages (the outer approximation below proves)
        s = model.solve(min(t / 8, _LINEAR_SECONDS), np.ceil(c * k), [pos], hint=best)
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
        feasible, choice = _phase_one(gains, thr, need, left)
        if choice is not None:
            choice = ascend(choice)
            keep(choice)
            nl = float(_logs((utility(choice) - res)[None, :], w, tol, scale)[0])
            if math.isfinite(nl):
                best, best_nl = choice, nl
                lam = np.where(on, w / np.maximum((utility(best) - res) / scale, 1e-300), 0.0)
    if on.any() and best is not None and left() > 0:
        bound = min(bound, dual_bound(gains, res, w, scale, lam))
    if on.any() and best is not None and best_nl < bound - _SLACK * max(1.0, abs(bound)):
        oa = _Outer(model, pos, flat, res, tol, scale, w)
        stop = budget.elapsed() + OUTER_SHARE * max(0.0, left())
        while budget.elapsed() < stop and oa.ok:
            oa.cut(utility(best) - res)
            span = stop - budget.elapsed()
            s = oa.solve(min(span, max(_LINEAR_SECONDS, span / 3)), best)
            if s.bound is not None:
                bound = min(bound, oa.value(s.bound))
            if not s.found:
                break
            choice = ascend(s.choice)
            keep(s.choice)
            keep(choice)
            for c in (s.choice, choice):
                nl = float(_logs((utility(c) - res)[None, :], w, tol, scale)[0])
                if nl > best_nl:
                    best, best_nl = c, nl
            if best_nl >= bound - _SLACK * max(1.0, abs(bound)):
                break
            if not oa.cut(utility(s.choice) - res) and s.status == "optimal":
                break  # converged: what is left of the gap is the model's rounding
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
