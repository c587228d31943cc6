"""Bueno de Mesquita's expected utility model (EUM) on one issue, as reconstructed by Scholz,
Calbert & Smith (2011), vectorised over actor pairs with numpy.

Inputs are arrays over n actors: positions x, capabilities c >= 0 (any scale: only ratios
matter) and saliences s in [0, 1]. Salience must be on 0-1 because the model reads it as the
chance that a challenged actor resists (1 - s is the chance it gives in); divide 0-100 data by 100.

One round (the equations of Scholz, Calbert & Smith 2011, "Unravelling Bueno De Mesquita's
group decision model", Journal of Theoretical Politics 23(4)):

1. weighted mean and Condorcet median mu of the current positions (weights c * s);
2. first pass with every risk exponent r = 1: win probabilities P and expected utilities
   E(U_ij) of i challenging j;
3. security level of i = sum_j E(U_ji), the others' expected utility of challenging i; the
   risk acceptance R_i rescales it to [-1, 1] across actors and r_i = (1 - R_i/3) / (1 + R_i/3);
4. second pass with those r_i; each actor i sees, for every j, its own E^i(U_ij) = a and its
   estimate of j's E^i(U_ji) = b, both with its own r_i;
5. i's reaction to j: a > 0 and b > a: conflict i loses, i moves to x_j; a < 0 < b with b > |a|:
   compromise, i moves the fraction |a / b| of the way to x_j; a < 0 < b with |a| > b:
   capitulation, i moves to x_j; otherwise nothing. Actors at the same position ignore each other;
6. each actor takes one offer (take_offer), all move at once.

eum_offers computes steps 1-5 once per round for all actors (numpy broadcasts over pairs);
take_offer is one actor's choice from its row, and eum_move the move it makes (red lines and
noise included). One rule, two encodings, the same functions: the Mesa agents
(model.negotiation.model) each call eum_move on their own row of the shared matrices, and the
sweep's vectorised dynamics (model.sweep.dynamics) call eum_offers on a stack of draws x issues
and eum_move on every row at once; a stacked row computes exactly what it computes alone, so the
two runs are equal draw by draw (tests/test_dynamics.py). run_eum / eum_round make the same
choice for every row at once.

Conventions, chosen to match jmckib's replication, which reproduces the published medians and
means of Scholz et al. (tests/test_eum.py checks this to 1e-13):

* Q = 1 by default (the status quo persists), so T is irrelevant. Other q use the (1 - Q) term
  with T = 1 iff the target's drift towards mu brings it nearer the challenger.
* The win probability divides by the sum of |votes| over ALL voter x actor x actor triples, not
  over the voters of that one contest, so P_ij is small and P_ij + P_ji != 1.
* In the second pass each voter's distances are raised to its own risk exponent r_k.
* The position range R that scales distances is the range of the initial positions, held for
  all rounds (run_eum); eum_round alone defaults to the current range.
* The security spread is taken across actors (Scholz), not across one actor's possible positions.
* Offer ranking: any lost conflict first, the one that moves i least; else the compromise whose
  proposer has the most to gain from enforcing it (highest b = E^i(U_ji)), least move among
  equals; else capitulations, least move. Remaining ties go to the lower actor index. Scholz's
  code (and jmckib's) ranks compromises by the lowest EU-weighted position
  (|a| x_i + |b| x_j) / (|a| + |b|), which depends on which way the scale runs: mirroring the EC
  case (x -> 14 - x) changes that run from round 4 (median 10.0, not 9.962). On the EC case the
  two rules pick the same offer in every round of the ten, so the run is bit-identical to the
  reference, and ours is mirror-symmetric (tests/test_eum.py). BDM's stated rule, least move for
  compromises too, is also direction-free but leaves the reference run and the published table
  in round 4 (mean 7.60 against 7.3). On DEU III our rule and Scholz's give different runs on
  61 of the 351 issues.
* Capitulation follows models.md. jmckib's code guards it with `eu_ji < abs(eu_ji)`, never true,
  so it never capitulates; on the EC emissions case no actor capitulates under our rule either,
  so the runs are identical (asserted in the tests). On other data they may differ.

Red lines: actor i's feasible interval [lo_i, hi_i] must contain x_i. An offer that would take i
past a bound is clipped to the bound: i concedes up to its red line and no further. We clip rather
than drop the offer because the pressure behind the offer is real and i would rather give what it
can than fight a contest it expects to lose; dropping it would let a red line turn a lost conflict
into no move at all, or into a larger move towards a weaker offer. Clipped offers are ranked on
the clipped move, so the least-move rule sees the move i would actually make (the compromise
rank, b, is a property of the dyad and unchanged). Since every offer lies between x_i and some
x_j, positions stay within the hull of the initial positions.

Every function also takes stacks of issues with the same number of actors, shape (..., n), and
computes them in one set of array operations; run_eum_many groups issues by actor count to use
this. Cost per round is O(n^3) time and memory in the win probabilities (the voter axis), fine
for the tens of actors of real cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from model.negotiation.forecasts import compromise, weighted_median

NO_OFFER, CONFLICT, COMPROMISE, CAPITULATION = 0, 1, 2, 3
_TIER = np.array([3, 0, 1, 2])  # by kind: the order in which take_offer considers offers


@dataclass(frozen=True)
class EumRun:
    """A run of several rounds; row t is the state after t rounds (a stack of issues puts its
    leading axes first)."""

    positions: np.ndarray  # (rounds + 1, n)
    mean: np.ndarray  # (rounds + 1,)
    median: np.ndarray  # (rounds + 1,)
    history: tuple[EumRound, ...] = field(default=())  # per round, if asked for


def _pow(base: np.ndarray | float, exponent: np.ndarray | float) -> np.ndarray:
    """base ** exponent, element by element as C's pow computes it.

    numpy's `**` on float arrays may take a SIMD kernel (AVX-512 SVML) for most elements and C's
    pow for the rest, which differ in the last bit; which element takes which depends on the
    array's length and alignment, so a row of a stack of draws would not compute what it
    computes alone. float_power has no such kernel: the same numbers whatever the layout.
    """
    return np.float_power(base, exponent)


def win_probability(
    x: np.ndarray, w: np.ndarray, r: np.ndarray, position_range: float | np.ndarray
) -> np.ndarray:
    """P[i, j]: share of all weighted votes cast for i against j (denominator over all triples).

    Voter k's vote for i over j is w_k (d_kj - d_ki) with d = (|x_k - x| / R) ** r_k.
    """
    span = np.asarray(position_range, float)[..., None, None]
    d = _pow(np.abs(x[..., :, None] - x[..., None, :]) / span, r[..., :, None])
    gap = d[..., :, None, :] - d[..., :, :, None]  # [k, i, j]: k's vote for i over j, unweighted
    np.maximum(gap, 0.0, out=gap)  # w_k >= 0, so weighting commutes with keeping the positives
    # the voters' sum runs over a leading axis, so numpy adds voter after voter in one fixed
    # order whatever the stack; a BLAS product (w @ gap) may split it by threads and stack size,
    # and a row of a stack would then differ in its last bits from the same row alone
    support = (w[..., :, None, None] * gap).sum(axis=-3)
    # votes are antisymmetric in (i, j), so the |votes| of all triples sum to twice the positives
    total = 2.0 * support.sum(axis=(-2, -1), keepdims=True)
    return support / np.where(total > 0, total, 1.0)


def _challenge_eu(
    dist: np.ndarray,
    s_target: np.ndarray,
    p: np.ndarray,
    r: np.ndarray | float,
    q: float,
    off_median: np.ndarray,
    drift_helps: np.ndarray,
) -> np.ndarray:
    """E(U) of a challenge (models.md A.4), broadcast over whatever shapes the caller passes."""
    us = 2.0 - 4.0 * _pow(0.5 - 0.5 * dist, r)
    uf = 2.0 - 4.0 * _pow(0.5 + 0.5 * dist, r)
    usq = 2.0 - 4.0 * _pow(0.5, r)
    eu = s_target * (p * us + (1.0 - p) * uf) + (1.0 - s_target) * us - q * usq
    if q != 1.0:
        spread = 0.25 * (off_median + dist)
        ub = 2.0 - 4.0 * _pow(0.5 - spread, r)
        uw = 2.0 - 4.0 * _pow(0.5 + spread, r)
        eu = eu - (1.0 - q) * np.where(drift_helps, ub, uw)
    return eu


def _inputs(
    x: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    lo: np.ndarray | None,
    hi: np.ndarray | None,
) -> tuple[np.ndarray, ...]:
    """Arrays of one shape (..., n), checked; missing bounds are infinite."""
    x, c, s = (np.asarray(a, float) for a in (x, c, s))
    lo_ = np.full(x.shape, -np.inf) if lo is None else np.asarray(lo, float)
    hi_ = np.full(x.shape, np.inf) if hi is None else np.asarray(hi, float)
    if x.ndim == 0 or any(a.shape != x.shape for a in (c, s, lo_, hi_)):
        raise ValueError("x, c, s, lo and hi must be arrays of the same shape (..., n)")
    if np.any(c < 0):
        raise ValueError("capabilities must be >= 0")
    if np.any((s < 0) | (s > 1)):
        raise ValueError("saliences must be in [0, 1]; divide 0-100 saliences by 100")
    if np.any((x < lo_) | (x > hi_)):
        raise ValueError("every position must lie inside its actor's [lo, hi] bounds")
    return x, c, s, lo_, hi_


@dataclass(frozen=True)
class EumOffers:
    """The shared part of a round: every dyad's outcome, before any actor's red lines or choice.

    Matrices are indexed [i, j] (i receives j's offer); a stack of issues puts its axes first.
    Row i is all actor i needs to choose its move (take_offer)."""

    median: float | np.ndarray  # Condorcet median mu of the positions
    prob: np.ndarray  # P[i, j] that i prevails over j, first pass (r = 1)
    eu_first: np.ndarray  # E(U_ij), i challenging j, first pass (r = 1)
    security: np.ndarray  # (n,) sum_j E(U_ji): others' first-pass EU of challenging i
    risk_acceptance: np.ndarray  # (n,) R_i in [-1, 1]
    risk: np.ndarray  # (n,) risk exponent r_i in [0.5, 2]
    prob_risk: np.ndarray  # P[i, j] with each voter's distances raised to its r_k
    eu: np.ndarray  # E^i(U_ij), risk adjusted, as i sees it
    eu_against: np.ndarray  # E^i(U_ji): j's EU of challenging i, as i estimates it
    kind: np.ndarray  # int [i, j]: NO_OFFER, CONFLICT, COMPROMISE or CAPITULATION
    reach: np.ndarray  # where j's offer would move i, before i's red lines (x_i if no offer)


@dataclass(frozen=True)
class EumRound(EumOffers):
    """Everything one round computes: the shared offers, then each actor's choice. Matrices are
    indexed [i, j] over actors; for a stack of issues every field carries the stack's leading
    axes."""

    positions: np.ndarray  # (n,) at the start of the round
    mean: float | np.ndarray  # c * s weighted mean of positions
    offer_position: np.ndarray  # where j's offer would move i (clipped to i's bounds); nan if none
    chosen: np.ndarray  # (n,) index j of the offer i takes, -1 if none
    new_positions: np.ndarray  # (n,)


def eum_offers(
    x: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    *,
    position_range: float | np.ndarray | None = None,
    q: float = 1.0,
) -> EumOffers:
    """Steps 1-5 of a round (module docstring): the matrices every actor chooses its move from.

    position_range: the R that scales distances, default (and at least) the range of x; q: chance
    the status quo persists (Scholz: 1).
    """
    x, c, s, _, _ = _inputs(x, c, s, None, None)
    return _offers(x, c, s, position_range, q)


def take_offer(
    at: float | np.ndarray, kind: np.ndarray, target: np.ndarray, eu_against: np.ndarray
) -> np.ndarray:
    """Which offer an actor at `at` takes (index j, -1 for none), along the last axis.

    kind, target (the offers already clipped to the actor's red lines) and eu_against are the
    actor's rows of the round's matrices; a stack of rows takes `at` with a trailing axis of 1.
    Any lost conflict first, the one that moves the actor least; else the compromise offered by
    the actor with the most to gain from enforcing it (highest E^i(U_ji)), the least move among
    equals; else capitulations, least move. Remaining ties go to the lower index. Only
    distances and expected utilities enter, so the choice does not depend on which way the
    scale runs.
    """
    tier = _TIER[kind]  # conflict 0, compromise 1, capitulation 2, no offer 3
    strength = np.where(kind == COMPROMISE, -eu_against, 0.0)
    # sort keys, last one first: tier, then the compromise's strength, then the move; the sort
    # is stable, so ties keep the lower index
    best = np.lexsort((np.abs(target - at), strength, tier), axis=-1)[..., :1]
    return np.where(np.take_along_axis(tier, best, axis=-1) < _TIER[NO_OFFER], best, -1)[..., 0]


def eum_move(
    reach: np.ndarray,
    kind: np.ndarray,
    eu_against: np.ndarray,
    at: float | np.ndarray,
    lo: float | np.ndarray,
    hi: float | np.ndarray,
    jitter: float | np.ndarray | None = None,
) -> np.ndarray:
    """Where an actor at `at` moves, given its rows of the round's matrices (last axis: the
    offering actor; leading axes: any stack of actors): every offer clipped at its red lines
    [lo, hi], the best taken (take_offer), none taken: it stays. Noise scales the move and a
    red line still bounds it."""
    at, lo, hi = (np.asarray(v, float) for v in (at, lo, hi))
    target = np.clip(reach, lo[..., None], hi[..., None])
    chosen = take_offer(at[..., None], kind, target, eu_against)
    taken = np.take_along_axis(target, np.maximum(chosen, 0)[..., None], axis=-1)[..., 0]
    new = np.where(chosen >= 0, taken, at)
    if jitter is not None:
        new = np.clip(at + (new - at) * (1.0 + jitter), lo, hi)
    return new


def eum_round(
    x: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    *,
    lo: np.ndarray | None = None,
    hi: np.ndarray | None = None,
    position_range: float | np.ndarray | None = None,
    q: float = 1.0,
) -> EumRound:
    """One round of the EUM: who challenges whom, who gives way, and the new positions.

    lo, hi: optional per-actor red lines (see module docstring); position_range: the R that
    scales distances, default (and at least) the range of x; q: chance the status quo persists
    (Scholz: 1).
    """
    x, c, s, lo_, hi_ = _inputs(x, c, s, lo, hi)
    return _round(x, c, s, lo_, hi_, position_range, q)


def _round(
    x: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    position_range: float | np.ndarray | None,
    q: float,
) -> EumRound:
    offers = _offers(x, c, s, position_range, q)
    target = np.clip(offers.reach, lo[..., :, None], hi[..., :, None])
    chosen = take_offer(x[..., :, None], offers.kind, target, offers.eu_against)
    taken = np.take_along_axis(target, np.maximum(chosen, 0)[..., None], axis=-1)[..., 0]
    return EumRound(
        **vars(offers),
        positions=x,
        mean=compromise(x, c, s),
        offer_position=np.where(offers.kind > NO_OFFER, target, np.nan),
        chosen=chosen,
        new_positions=np.where(chosen >= 0, taken, x),
    )


def _offers(
    x: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    position_range: float | np.ndarray | None,
    q: float,
) -> EumOffers:
    n = x.shape[-1]
    span = np.ptp(x, axis=-1)
    if position_range is not None:  # never below the current spread: utilities need d <= 1
        span = np.maximum(span, np.asarray(position_range, float))
    span = np.where(span > 0, span, 1.0)  # all positions equal: distances are 0 whatever R is
    w = c * s
    mu = weighted_median(x, c, s)
    xi, xj = x[..., :, None], x[..., None, :]
    dist = np.abs(xi - xj) / span[..., None, None]
    off_median = np.abs(x - np.asarray(mu)[..., None]) / span[..., None]
    # drift_helps[a, b]: target b moving towards mu brings it nearer challenger a
    drift_helps = (np.asarray(mu)[..., None, None] - xj) * (xi - xj) > 0
    off_diag = ~np.eye(n, dtype=bool)

    prob = win_probability(x, w, np.ones_like(x), span)
    eu_first = _challenge_eu(
        dist, s[..., None, :], prob, 1.0, q, off_median[..., :, None], drift_helps
    )
    eu_first = np.where(off_diag, eu_first, 0.0)
    security = eu_first.sum(axis=-2)
    top = security.max(axis=-1, keepdims=True)
    bottom = security.min(axis=-1, keepdims=True)
    spread = np.where(top > bottom, top - bottom, 1.0)
    risk_acceptance = np.where(top > bottom, (2.0 * security - top - bottom) / spread, 0.0)
    risk = (1.0 - risk_acceptance / 3.0) / (1.0 + risk_acceptance / 3.0)

    r = risk[..., :, None]
    prob_risk = win_probability(x, w, risk, span)
    a = _challenge_eu(dist, s[..., None, :], prob_risk, r, q, off_median[..., :, None], drift_helps)
    b = _challenge_eu(
        dist,
        s[..., :, None],
        np.swapaxes(prob_risk, -1, -2),
        r,
        q,
        off_median[..., None, :],
        np.swapaxes(drift_helps, -1, -2),
    )
    a, b = np.where(off_diag, a, 0.0), np.where(off_diag, b, 0.0)

    differ = xi != xj
    opposed = differ & (a < 0) & (b > 0)
    kind = np.select(
        [differ & (a > 0) & (b > a), opposed & (b > -a), opposed & (b < -a)],
        [CONFLICT, COMPROMISE, CAPITULATION],
        NO_OFFER,
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(kind == COMPROMISE, np.abs(a / b), 0.0)
    # a compromise moves i the share |a / b| < 1 of the way to x_j, kept between the two in
    # floating point; conflict and capitulation move i to x_j itself
    partway = np.clip(xi + (xj - xi) * share, np.minimum(xi, xj), np.maximum(xi, xj))
    reach = np.where(kind == COMPROMISE, partway, np.where(kind > NO_OFFER, xj, xi))
    return EumOffers(
        median=mu,
        prob=prob,
        eu_first=eu_first,
        security=security,
        risk_acceptance=risk_acceptance,
        risk=risk,
        prob_risk=prob_risk,
        eu=a,
        eu_against=b,
        kind=kind,
        reach=reach,
    )


def run_eum(
    x: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    rounds: int = 10,
    *,
    lo: np.ndarray | None = None,
    hi: np.ndarray | None = None,
    q: float = 1.0,
    keep_rounds: bool = False,
) -> EumRun:
    """Run `rounds` rounds; the distance scale R stays the range of the initial positions."""
    x, c, s, lo_, hi_ = _inputs(x, c, s, lo, hi)
    span = np.ptp(x, axis=-1)
    positions, means, medians, history = [x], [compromise(x, c, s)], [], []
    for _ in range(rounds):
        rnd = _round(x, c, s, lo_, hi_, span, q)
        medians.append(rnd.median)
        x = rnd.new_positions
        positions.append(x)
        means.append(compromise(x, c, s))
        if keep_rounds:
            history.append(rnd)
    medians.append(weighted_median(x, c, s))
    return EumRun(
        positions=np.stack(positions, axis=-2),
        mean=np.stack(means, axis=-1),
        median=np.stack(medians, axis=-1),
        history=tuple(history),
    )


def run_eum_many(
    issues: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
    rounds: int = 10,
    *,
    q: float = 1.0,
) -> list[EumRun]:
    """run_eum on each issue (x, c, s), in input order. Issues with the same number of actors
    are stacked and run together, so the Python loop is over actor counts x rounds."""
    by_size: dict[int, list[int]] = {}
    for k, (x, _, _) in enumerate(issues):
        by_size.setdefault(len(x), []).append(k)
    runs: dict[int, EumRun] = {}
    for members in by_size.values():
        x, c, s = (
            np.stack([np.asarray(issues[k][part], float) for k in members]) for part in range(3)
        )
        run = run_eum(x, c, s, rounds, q=q)
        for row, k in enumerate(members):
            runs[k] = EumRun(run.positions[row], run.mean[row], run.median[row])
    return [runs[k] for k in range(len(issues))]


class EumRule:
    """The registry's face of the EUM (model.negotiation.rules.RULES)."""

    name = "eum"

    def share(
        self, x: np.ndarray, c: np.ndarray, s: np.ndarray, position_range: float
    ) -> EumOffers | None:
        """The round's offer matrices (salience on 0-100, read as 0-1); None when the initial
        positions had no range, since the EUM then has nothing to scale distances by."""
        if position_range <= 0:
            return None
        return eum_offers(x, c, s / 100.0, position_range=position_range)

    def move(
        self,
        shared: EumOffers,
        k: int,
        x: float,
        capability: float,
        salience: float,
        rate: float,
        bounds: tuple[float, float],
        jitter: float | None,
    ) -> float:
        """Clip every offer on row k at the actor's red lines and take the best (eum_move)."""
        lo, hi = bounds
        return float(
            eum_move(shared.reach[k], shared.kind[k], shared.eu_against[k], x, lo, hi, jitter)
        )
