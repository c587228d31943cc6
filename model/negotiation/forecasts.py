"""Point forecasts of one issue's outcome from the actors' positions, capabilities and saliences.

All three are pure functions of arrays: positions x (n,), capability c (n,) and salience s (n,)
on any non-negative scale (0-1 or 0-100 give the same answer: each forecast depends only on the
relative weights c * s).

* compromise: the c * s weighted mean (Stokman school; Achen 2006). The benchmark to beat on EU
  data.
* weighted median: the Condorcet winner among the actors' positions when every actor votes for
  the nearer of two positions with weight c * s. In one dimension that is the weighted median.
* Nash bargaining: the asymmetric Nash bargaining solution with the status quo (reference point)
  as the disagreement point d,

      x* = argmax_x  sum_i c_i s_i log(u_i(x) - u_i(d)),   u_i(x) = -(x - x_i)^2,

  over the x that every actor with weight c_i s_i > 0 strictly prefers to d. Salience is put in
  the bargaining weight, not in the utility: a salience factor on u_i (u_i = -s_i (x - x_i)^2,
  as in models.md section C) multiplies each gain by a constant and drops out of the argmax, so
  salience would then change nothing. With the weight c_i s_i the first-order condition is
  sum_i c_i s_i (x - x_i) / (a_i^2 - (x - x_i)^2) = 0 with a_i = |d - x_i|; when d is far from
  every actor the denominators are nearly equal and x* tends to the compromise formula, which is
  the sense in which the compromise model approximates the NBS. Each actor's gain is positive on
  the open interval (x_i - a_i, x_i + a_i); the intersection (L, U) of these intervals is the
  set of Pareto improvements on d. If it is empty (actors on both sides of d, or an actor that
  cares sitting at d) the solution is d itself. Otherwise the log-Nash product is strictly
  concave on (L, U) and tends to -inf at both ends, so its derivative has exactly one root
  there; bisection on the derivative's sign finds it to floating-point precision (about 60
  steps), robust where a derivative-based solver would meet infinities at the ends.
"""

from __future__ import annotations

import numpy as np

# Cumulative weights within this relative distance of one half count as exactly half, so a tie
# built from decimal inputs (0.1 + 0.2 ...) is not broken by rounding.
_HALF_TOL = 1e-12


def _weights(c: np.ndarray, s: np.ndarray) -> np.ndarray:
    """c * s scaled by a power of two so the largest weight per issue lies in [0.5, 1): the
    forecasts depend only on ratios, and tiny weights would otherwise underflow in products.
    Scaling by a power of two is exact, so the forecasts are those of the plain weights c * s
    (the EC case's round-0 mean is float(5003 / 677) whether saliences are on 0-1 or 0-100)."""
    w = np.asarray(c, float) * np.asarray(s, float)
    _, exponent = np.frexp(w.max(axis=-1, keepdims=True))  # 0 when every weight is 0
    return np.ldexp(w, -exponent)


def compromise(x: np.ndarray, c: np.ndarray, s: np.ndarray) -> float | np.ndarray:
    """The c * s weighted mean of the positions; the plain mean if no actor has weight.

    Works along the last axis: a float for one issue, an array for a stack of issues (or of
    draws: each row is computed exactly as it would be alone, so the sweep's vectorised dynamics
    equal the Mesa model's one run at a time). The sums run in actor order (a running sum, not
    numpy's pairwise one), as the literature's programs compute it, so with saliences on their
    0-1 scale the EC case's round-0 mean is the published 7.389955686853767 to the last digit
    (exact arithmetic would round to ...766).
    """
    x = np.asarray(x, float)
    w = np.asarray(c, float) * np.asarray(s, float)
    top = np.abs(w).max(axis=-1, initial=0.0)
    # only rescale the rows whose plain weights would over- or underflow
    extreme = ~np.all(np.isfinite(w), axis=-1) | ((0 < top) & (top < 1e-150)) | (top > 1e150)
    if np.any(extreme):
        w = np.where(extreme[..., None], _weights(c, s), w)
    total = np.cumsum(w, axis=-1)[..., -1] if w.shape[-1] else w.sum(axis=-1)
    weighted = np.cumsum(w * x, axis=-1)[..., -1] if w.shape[-1] else total
    safe = np.where(total > 0, total, 1.0)
    mean = np.where(total > 0, weighted / safe, x.mean(axis=-1))
    return float(mean) if mean.ndim == 0 else mean


def weighted_median(x: np.ndarray, c: np.ndarray, s: np.ndarray) -> float | np.ndarray:
    """The actor position no other position beats in a c * s weighted pairwise vote.

    With votes for the nearer position, position p beats q iff sum_k w_k |x_k - p| is smaller
    than at q, so the winner is the weighted median. When exactly half the weight lies on each
    side two positions tie; the lower one is returned (so equal weights on an even number of
    actors give the lower middle position, not the midpoint np.median gives). Zero total weight
    falls back to equal weights. Works along the last axis like compromise.
    """
    x, w = np.asarray(x, float), _weights(c, s)
    w = np.where(w.sum(axis=-1, keepdims=True) > 0, w, 1.0)
    order = np.argsort(x, axis=-1, kind="stable")
    xs = np.take_along_axis(x, order, axis=-1)
    cum = np.cumsum(np.take_along_axis(w, order, axis=-1), axis=-1)
    k = np.argmax(cum >= cum[..., -1:] * 0.5 * (1.0 - _HALF_TOL), axis=-1)
    median = np.take_along_axis(xs, k[..., None], axis=-1)[..., 0]
    return float(median) if median.ndim == 0 else median


def nash_bargaining(
    x: np.ndarray, c: np.ndarray, s: np.ndarray, status_quo: float | np.ndarray
) -> float | np.ndarray:
    """The asymmetric Nash bargaining solution with the status quo as disagreement point.

    Weights c * s, quadratic loss (see the module docstring). Returns the status quo when no
    point is better than it for every actor who cares, or when nobody cares. Works along the
    last axis like compromise (status_quo: one per row); every row bisects on its own, with the
    arithmetic it would have alone, and actors with weight 0 add exactly 0 to the slope.
    """
    x, w = np.asarray(x, float), _weights(c, s)
    d = np.broadcast_to(np.asarray(status_quo, float), x.shape[:-1])
    care = w > 0
    a = np.abs(d[..., None] - x)
    ends_lo, ends_hi = x - a, x + a  # actor i gains strictly inside (ends_lo, ends_hi)
    lower = np.where(care, ends_lo, -np.inf).max(axis=-1, initial=-np.inf)
    upper = np.where(care, ends_hi, np.inf).min(axis=-1, initial=np.inf)
    bracket = care.any(axis=-1) & (lower < upper)
    out = np.array(d, dtype=float)
    left, right = np.where(bracket, lower, 0.0), np.where(bracket, upper, 0.0)
    active, rooted = bracket.copy(), np.zeros_like(bracket)
    # The derivative of sum w log((ends_hi - t)(t - ends_lo)) is, up to a factor 2,
    # sum w (x - t) / ((ends_hi - t)(t - ends_lo)): strictly decreasing from +inf to -inf on
    # (left, right). Bisect on its sign until the bracket stops shrinking in floating point;
    # the factored denominator stays positive inside the bracket, with no cancellation.
    # Within rounding of an actor's end the factored denominator can underflow to 0 (or the
    # quotient overflow): that actor's term becomes +-inf with the right sign (its gain vanishes,
    # so it pushes away from its end) and decides the step. inf - inf = nan only when the bracket
    # sits within rounding of two opposite ends; any point of it is then the answer.
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        for _ in range(1100):
            if not active.any():
                break
            mid = 0.5 * (left + right)
            active &= (left < mid) & (mid < right)
            t = mid[..., None]
            terms = np.where(care, w * (x - t) / ((ends_hi - t) * (t - ends_lo)), 0.0)
            slope = terms.sum(axis=-1)
            up, down = active & (slope > 0), active & (slope < 0)
            root = active & ~up & ~down  # a root, or nan (see above)
            out = np.where(root, mid, out)
            rooted |= root
            active &= ~root
            left, right = np.where(up, mid, left), np.where(down, mid, right)
    # the bracket is two adjacent floats; keep the answer strictly inside the Pareto set
    end = np.where(left == lower, right, left)
    out = np.where(bracket & ~rooted, end, out)
    return float(out) if out.ndim == 0 else out
