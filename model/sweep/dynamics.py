"""The negotiation in every draw at once: the Mesa model's rounds on arrays draws x issues x
actors, and the forecast's verdicts per draw.

The Mesa model (`model.negotiation.model.NegotiationModel`, one agent `Party` per actor) stays
the single run; this is the same run for many drawn scenarios at once, built from the same
functions of the rule (`model.negotiation.rules`: concession_totals / concession_move /
concession_clip, eum_offers / eum_move) and of the forecasts (`model.negotiation.forecasts`),
called on arrays whose rows compute exactly what they compute alone. So each draw's positions,
rounds, forecast and verdicts equal those of `model.pipeline.run` on `drawn_scenario` with the
draw's seed (tests/test_dynamics.py compares them draw by draw, noise and conditional red lines
included). Per-round statistics are not computed here: the sweep reports only the final
forecast, so the mean, median and Nash solution of every round (the Mesa data collector's work)
are skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from model.negotiation.forecasts import compromise, nash_bargaining, weighted_median
from model.negotiation.rules.concession import concession_clip, concession_move, concession_totals
from model.negotiation.rules.eum import eum_move, eum_offers
from model.scenario.types import Issue, RedLine, Scenario
from model.sweep.draws import Draws
from model.sweep.vectorised import Layout, accepted, utility

_EUM_CELLS = 2_000_000
"""The EUM's win probabilities hold draws x issues x actors^3 numbers per round (and a few
temporaries of that size): chunks of draws (chunk_size) and batches of issues keep that under
this many (16 MB of floats each), down to one draw and one issue."""

_CHUNK = 250
"""Draws per chunk at most: small enough for a progress bar that moves, large enough that the
per-round Python overhead is shared by many draws."""


@dataclass(frozen=True, eq=False)
class DrawForecasts:
    """The negotiation's outcome in every draw, as arrays (draws first; actors and issues in
    scenario order). Row d is what `model.pipeline.run(drawn_scenario(scenario, draws, d),
    seed=seeds[d])` finds."""

    positions: np.ndarray  # draws x actors x issues: final negotiating positions (nan: no stake)
    forecast: np.ndarray  # draws x issues: the forecast package (snapped to options)
    rounds: np.ndarray  # draws: rounds run
    converged: np.ndarray  # draws, bool: stopped before the round limit
    utility: np.ndarray  # draws x actors: utility of the forecast package
    reservation: np.ndarray  # draws x actors: utility of the status quo
    crossed: np.ndarray  # draws x actors: the forecast crosses a red line that holds
    accepts: np.ndarray  # draws x actors: accepts the forecast


def chunk_size(scenario: Scenario) -> int:
    """How many draws `negotiate_draws` should take at a time (see _CHUNK and _EUM_CELLS)."""
    if scenario.model.dynamics != "eum":
        return _CHUNK
    counts = [
        n
        for iid in scenario.issues
        if (n := sum(iid in a.stakes for a in scenario.actors.values())) >= 2
    ]
    return max(1, min(_CHUNK, _EUM_CELLS // max([1, *(n**3 for n in counts)])))


def negotiate_draws(
    scenario: Scenario, draws: Draws, seeds: Sequence[int] | None = None
) -> DrawForecasts:
    """Run the scenario's negotiation dynamics in every draw at once and judge the forecasts.

    `seeds[d]` seeds draw d's model generator (the noise, when `model.noise` > 0; default: the
    scenario's model seed for every draw). Memory grows with the number of draws (and with
    actors^3 for the EUM): take draws in chunks of `chunk_size` (`Draws.take`).
    """
    if draws.actor_ids != tuple(scenario.actors) or draws.issue_ids != tuple(scenario.issues):
        raise ValueError("the draws were made for another scenario (actors or issues differ)")
    settings = scenario.model
    n = draws.n
    seeds = [settings.seed] * n if seeds is None else list(seeds)
    if len(seeds) != n:
        raise ValueError(f"{len(seeds)} seeds for {n} draws")
    issues = list(scenario.issues.values())
    stake = draws.stake.T  # issues x actors
    # every array of the run is draws x issues x actors; no stake: position and salience 0
    x = np.where(stake, np.nan_to_num(np.swapaxes(draws.position, 1, 2)), 0.0)
    s = np.where(stake, np.nan_to_num(np.swapaxes(draws.salience, 1, 2)), 0.0)
    c = _model_capability(draws.capability)[:, None, :]
    lo, hi = _bounds(scenario, draws)
    span = np.array([issue.span for issue in issues])[:, None]
    inplay = stake & (stake.sum(axis=1) >= 2)[:, None]  # the Mesa model skips lone actors
    jitter = _jitter(settings.noise, settings.rounds, inplay, seeds)

    if settings.dynamics not in VECTORISED:
        raise ValueError(f"no vectorised form of the dynamics {settings.dynamics!r}")
    rule = VECTORISED[settings.dynamics](x, c, s, inplay, settings.concession_rate)
    active = np.ones(n, dtype=bool)
    rounds = np.zeros(n, dtype=int)
    converged = np.zeros(n, dtype=bool)
    for t in range(settings.rounds):
        if not active.any():
            break
        noise = None if jitter is None else jitter[:, t]
        new, moving = rule.round(x, lo, hi, noise)
        new = np.where(moving & active[:, None, None], new, x)
        moved = np.where(moving, np.abs(new - x) / span * 100.0, 0.0).max(axis=(1, 2))
        x = new
        rounds += active
        now = active & (moved < settings.tolerance)
        converged |= now
        active &= ~now

    forecast = _forecast(scenario, x, c[:, 0, :], s, stake)
    u, r, crossed = _verdicts(scenario, draws, forecast)
    return DrawForecasts(
        positions=np.where(draws.stake, np.swapaxes(x, 1, 2), np.nan),
        forecast=forecast,
        rounds=rounds,
        converged=converged,
        utility=u,
        reservation=r,
        crossed=crossed,
        accepts=accepted(u, r, crossed),
    )


def _model_capability(capability: np.ndarray) -> np.ndarray:
    """Each draw's capabilities divided by the power of two the Mesa model divides by
    (`model.negotiation.model.capability_exponent`, per draw: its largest in [0.5, 1))."""
    top = capability.max(axis=1)
    ok = np.isfinite(top) & (top > 0)
    exponent = np.where(ok, np.frexp(np.where(ok, top, 1.0))[1], 0)
    return np.ldexp(capability, -exponent[:, None])


def _bounds(scenario: Scenario, draws: Draws) -> tuple[np.ndarray, np.ndarray]:
    """draws x issues x actors: each actor's feasible interval (`RedLine.feasible_interval`
    around its drawn ideal where its red line holds, else the issue's range)."""
    issues = list(scenario.issues.values())
    shape = (draws.n, len(issues), len(scenario.actors))
    lo = np.broadcast_to(np.array([i.lo for i in issues])[:, None], shape).copy()
    hi = np.broadcast_to(np.array([i.hi for i in issues])[:, None], shape).copy()
    col = {iid: k for k, iid in enumerate(scenario.issues)}
    for a, actor in enumerate(scenario.actors.values()):
        for iid, st in actor.stakes.items():
            if st.red_line is None:
                continue
            i = col[iid]
            held = draws.holds[:, a, i]
            f_lo, f_hi = _feasible(st.red_line, issues[i], draws.position[:, a, i])
            lo[:, i, a] = np.where(held, f_lo, lo[:, i, a])
            hi[:, i, a] = np.where(held, f_hi, hi[:, i, a])
    return lo, hi


def _feasible(rl: RedLine, issue: Issue, ideal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`RedLine.feasible_interval` for every drawn ideal at once: the same steps, elementwise.
    Two encodings of one rule (the scalar one serves the Mesa agents); tests/test_dynamics.py
    keeps them equal (`test_feasible_and_snap_equal_their_scalar_definitions`)."""
    lo = np.full(ideal.shape, issue.lo if rl.at_least is None else rl.at_least, dtype=float)
    hi = np.full(ideal.shape, issue.hi if rl.at_most is None else rl.at_most, dtype=float)
    allowed = [o.value for o in issue.options if not rl.crossed_by(o.value)]
    for r in rl.rejects:
        above = [v for v in allowed if v > r]
        below = [v for v in allowed if v < r]
        lo_r = min(above) if above else ideal
        hi_r = max(below) if below else ideal
        lo = np.where(r < ideal, np.maximum(lo, lo_r), lo)
        hi = np.where(r > ideal, np.minimum(hi, hi_r), hi)
    return lo, hi


def _jitter(
    noise: float, rounds: int, inplay: np.ndarray, seeds: Sequence[int]
) -> np.ndarray | None:
    """draws x rounds x issues x actors: the noise each draw's model generator gives each move.

    The Mesa model draws U(-noise, noise) for the actors of every issue in play, in issue order,
    each round; one call per draw for all rounds gives the same numbers (a generator's doubles
    come one after another however they are asked for), and the generator is set up by Mesa
    itself, so whatever `mesa.Model` takes from it first is taken here too.
    """
    if noise <= 0:
        return None
    where = np.nonzero(inplay)  # issue-major, then actor order: the model's order
    per_round = len(where[0])
    out = np.zeros((len(seeds), rounds, *inplay.shape))
    generator = _model_generator(seeds[0]) if len(seeds) else None
    for d, seed in enumerate(seeds):
        rng = generator(seed)
        out[d][:, where[0], where[1]] = rng.uniform(-noise, noise, rounds * per_round).reshape(
            rounds, per_round
        )
    return out


def _model_generator(probe: int):
    """A function seed -> the generator as `mesa.Model.__init__` leaves it (the one the model's
    noise comes from). Mesa 3 draws one int32 from it to seed its stdlib `random`; that is done
    here without building a model per draw, after checking on one seed that Mesa still does just
    that (else every draw builds a `mesa.Model`, slower but right)."""
    import mesa

    def by_mesa(seed: int) -> np.random.Generator:
        return mesa.Model(rng=np.random.default_rng(seed)).rng

    def by_hand(seed: int) -> np.random.Generator:
        rng = np.random.default_rng(seed)
        rng.integers(np.iinfo(np.int32).max)
        return rng

    same = by_mesa(probe).bit_generator.state == by_hand(probe).bit_generator.state
    return by_hand if same else by_mesa


class _Concession:
    """The concession rule's rounds for every draw: the issue totals over the actor axis, every
    actor's move from them (the functions the Mesa agents call)."""

    def __init__(
        self, x: np.ndarray, c: np.ndarray, s: np.ndarray, inplay: np.ndarray, rate: float
    ) -> None:
        self.c, self.s, self.inplay, self.rate = c, s, inplay, rate

    def round(
        self, x: np.ndarray, lo: np.ndarray, hi: np.ndarray, jitter: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """New positions, and where they were computed (issues x actors)."""
        c, s = self.c, self.s
        total_weight, total_pull = concession_totals(x, c, s)
        move = concession_move(x, c, s, total_weight[..., None], total_pull[..., None], self.rate)
        return concession_clip(x, move, lo, hi, jitter), self.inplay


class _Eum:
    """The EUM's rounds for every draw: issues with the same number of stakeholders stacked
    (draws x issues x their actors), as `run_eum_many` stacks issues."""

    def __init__(
        self, x: np.ndarray, c: np.ndarray, s: np.ndarray, inplay: np.ndarray, rate: float
    ) -> None:
        by_count: dict[int, list[int]] = {}
        for i in range(inplay.shape[0]):
            if inplay[i].any():
                by_count.setdefault(int(inplay[i].sum()), []).append(i)
        # (issue rows g x 1, actor columns g x n) per stakeholder count, in batches of issues
        # small enough that draws x issues x n^3 stays within _EUM_CELLS
        self.groups = []
        for n, rows in by_count.items():
            batch = max(1, _EUM_CELLS // (x.shape[0] * n**3))
            for k in range(0, len(rows), batch):
                part = rows[k : k + batch]
                actors = np.array([np.nonzero(inplay[i])[0] for i in part])
                self.groups.append((np.array(part)[:, None], actors))
        self.c = [_gather(np.broadcast_to(c, x.shape), ii, aa) for ii, aa in self.groups]
        self.s = [_gather(s, ii, aa) / 100.0 for ii, aa in self.groups]
        # the distance scale: the range of each draw's initial positions, held for all rounds;
        # an issue whose initial positions have no range sits every round out (EumRule.share)
        self.range = [np.ptp(_gather(x, ii, aa), axis=-1) for ii, aa in self.groups]
        self.shape = inplay.shape

    def round(
        self, x: np.ndarray, lo: np.ndarray, hi: np.ndarray, jitter: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """New positions, and where they were computed (draws x issues x actors)."""
        new = x.copy()
        moving = np.zeros((x.shape[0], *self.shape), dtype=bool)
        for (ii, aa), c, s, span in zip(self.groups, self.c, self.s, self.range, strict=True):
            xg = _gather(x, ii, aa)
            offers = eum_offers(xg, c, s, position_range=span)
            noise = None if jitter is None else _gather(jitter, ii, aa)
            new[:, ii, aa] = eum_move(
                offers.reach,
                offers.kind,
                offers.eu_against,
                xg,
                _gather(lo, ii, aa),
                _gather(hi, ii, aa),
                noise,
            )
            moving[:, ii, aa] = (span > 0)[..., None]
        return new, moving


VECTORISED = {"concession": _Concession, "eum": _Eum}
"""The vectorised form of each rule of `model.negotiation.rules.RULES` (tests/test_dynamics.py
checks that every rule has one)."""


def _gather(values: np.ndarray, ii: np.ndarray, aa: np.ndarray) -> np.ndarray:
    """draws x issues x actors -> draws x group issues x their actors, in C order: numpy sums
    and kernels follow the memory layout, and each row must be laid out as it is alone."""
    return np.ascontiguousarray(values[:, ii, aa])


def _forecast(
    scenario: Scenario, x: np.ndarray, c: np.ndarray, s: np.ndarray, stake: np.ndarray
) -> np.ndarray:
    """draws x issues: the forecast statistic of each draw's final positions, snapped to the
    nearest option (`NegotiationModel.forecast`, row by row)."""
    how = scenario.model.forecast
    out = np.empty(x.shape[:2])
    for i, issue in enumerate(scenario.issues.values()):
        who = np.nonzero(stake[i])[0]
        if not len(who):
            out[:, i] = issue.snap(float(issue.status_quo))
            continue
        xi, ci, si = (np.ascontiguousarray(v) for v in (x[:, i, who], c[:, who], s[:, i, who]))
        si = si / 100.0
        if how == "mean":
            value = compromise(xi, ci, si)
        elif how == "median":
            value = weighted_median(xi, ci, si)
        else:
            value = nash_bargaining(xi, ci, si, float(issue.status_quo))
        out[:, i] = _snap(issue, np.asarray(value, float))
    return out


def _snap(issue: Issue, value: np.ndarray) -> np.ndarray:
    """`Issue.snap` for many values: the nearest option, the lower one on a tie (a second
    encoding of it, kept equal by `test_feasible_and_snap_equal_their_scalar_definitions`)."""
    if not issue.options:
        return value
    options = np.sort([o.value for o in issue.options])
    nearest = np.argmin(np.abs(options[None, :] - value[:, None]), axis=1)
    return options[nearest]


def _verdicts(
    scenario: Scenario, draws: Draws, packages: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Utility, reservation and crossed (draws x actors) of one package per draw, with
    `model.evaluation.verdicts.verdict`'s rule on the drawn scenario."""
    layout = Layout.of(scenario)
    sq = np.array([issue.status_quo for issue in scenario.issues.values()], dtype=float)
    u, r = utility(layout, draws, packages), utility(layout, draws, sq)
    crossed = np.zeros((draws.n, len(scenario.actors)), dtype=bool)
    col = {iid: k for k, iid in enumerate(scenario.issues)}
    for a, actor in enumerate(scenario.actors.values()):
        for iid, st in actor.stakes.items():
            if st.red_line is not None:
                crossed[:, a] |= draws.holds[:, a, col[iid]] & _crossed_in(
                    st.red_line, packages, col, iid
                )
    return u, r, crossed


def _crossed_in(rl: RedLine, packages: np.ndarray, col: dict[str, int], issue: str) -> np.ndarray:
    """`RedLine.crossed_in` for one package per draw: the red line's own methods, called once
    per distinct value (few on an ordinal issue), so there is one definition of crossing."""
    crossed = _each(rl.crossed_by, packages[:, col[issue]])
    if rl.unless:  # waived when the package meets every condition
        waived = np.ones(len(packages), dtype=bool)
        for cond in rl.unless:
            waived &= _each(cond.met_by, packages[:, col[cond.issue]])
        crossed &= ~waived
    return crossed


def _each(test, values: np.ndarray) -> np.ndarray:
    """A scalar test on each value, computed once per distinct value."""
    distinct, back = np.unique(values, return_inverse=True)
    return np.array([bool(test(float(v))) for v in distinct], dtype=bool)[back.reshape(-1)]
