"""`sim sweep`: how sure the verdicts are, given that the numbers are guesses.

Every salience, ideal position and capability in a scenario is an analyst's estimate, and a red
line may be firmer or softer than its quote suggests. The sweep draws many versions of the
scenario from the spreads the scenario states (or its `uncertainty:` defaults), evaluates every
proposal in every draw, and reports per actor x proposal the share of draws in which the actor
accepts, with a 95% Wilson interval for that share. A verdict that holds in (nearly) every draw
does not hinge on the guesses; one near 0.5 does, and the sensitivity ranking says which guess.

The evaluation is vectorised over draws (numpy arrays draws x actors x issues) and reproduces
`model.evaluate` exactly, draw by draw (the tests check it). With `dynamics=True` every drawn
scenario also runs the negotiation (`model.pipeline.run`), in parallel processes if asked, and the
forecast's verdicts get the same treatment.

Only numpy is imported here; matplotlib lives in `model.sweep_charts`.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import multiprocessing
import textwrap
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

import numpy as np

from model.evaluation.verdicts import TOLERANCE, evaluate
from model.results import FORECAST_ID
from model.scenario.types import Issue, Scenario, Spread

Z95 = 1.959963984540054
"""The standard normal quantile of 0.975: a two-sided 95% interval."""

QUINTILE = 0.2
"""Sensitivity compares the draws in an input's top fifth with those in its bottom fifth."""

CAPABILITY_FLOOR = 1e-3
"""A drawn capability is kept at or above this share of the stated one (capability must be > 0)."""

KINDS = ("salience", "position", "capability", "red_line")


# --- drawing ------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Draws:
    """Many versions of a scenario's numbers, as arrays over draws x actors (x issues).

    Actors and issues are in scenario order (`actor_ids`, `issue_ids`). `position` and
    `salience` are NaN where the actor has no stake in the issue; `holds` is False where it has no
    red line there. `stake` and `red_line` (actors x issues) say where entries exist at all.
    """

    actor_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    position: np.ndarray  # draws x actors x issues
    salience: np.ndarray  # draws x actors x issues
    capability: np.ndarray  # draws x actors
    holds: np.ndarray  # draws x actors x issues, bool
    stake: np.ndarray  # actors x issues, bool
    red_line: np.ndarray  # actors x issues, bool

    @property
    def n(self) -> int:
        return int(self.capability.shape[0])


@dataclass
class _Law:
    """Where each entry of an actors x issues (or actors) array is drawn from."""

    centre: np.ndarray
    sd: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    uniform: np.ndarray

    @classmethod
    def empty(cls, shape: tuple[int, ...]) -> _Law:
        z = np.zeros(shape)
        return cls(z.copy(), z.copy(), z.copy(), z.copy(), np.zeros(shape, dtype=bool))

    def set(self, at: Any, centre: float, spread: Spread | None, default_sd: float) -> None:
        """An entry's own spread if it states one (a uniform range or an sd), else the default."""
        self.centre[at] = centre
        if spread is not None and spread.lo is not None and spread.hi is not None:
            self.uniform[at] = True
            self.lo[at], self.hi[at] = spread.lo, spread.hi
        else:
            self.sd[at] = spread.sd if spread is not None and spread.sd is not None else default_sd

    def sample(self, z: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Normal entries from the standard normals `z`, uniform ones from the uniforms `u`."""
        return np.where(self.uniform, self.lo + (self.hi - self.lo) * u, self.centre + self.sd * z)


def draw(scenario: Scenario, draws: int, rng: np.random.Generator) -> Draws:
    """`draws` versions of the scenario's uncertain numbers, from the seeded generator only.

    Per actor x issue stake:
    - position: normal around the stated ideal with the stake's own `sd` (in the issue's units:
      points of 0-100 on an ordinal issue, the range's unit on a numeric one) or uniform on its own
      `range`; else normal with `uncertainty.position_sd` points of a 0-100 scale (that share of a
      numeric issue's span). Clipped to the issue's range, so an extreme ideal keeps about half
      its draws at the end of the scale. Not snapped to options: utility is defined on the
      continuous scale, and an ideal between two options is meaningful.
    - salience: normal with its own `sd` or uniform on its own `range`, else `salience_sd`;
      clipped to [0, 100]. Weights are shares of the drawn saliences, as in `model.evaluate`.
    - red line holds: Bernoulli with the red line's own `probability`, else
      `red_line_probability`. Its bounds and rejected options never move with the drawn ideal:
      a red line is a statement about values, so a drawn ideal may even fall past it.
    Per actor, capability: its own `sd`/`range` (capability units), else normal with sd
    `capability_sd` x the stated capability; kept >= CAPABILITY_FLOOR x the stated capability.

    The generator is consumed in a fixed order (position normals, position uniforms, salience
    normals and uniforms, capability normals and uniforms, red-line uniforms), so the same
    generator state gives the same draws.
    """
    if draws < 1:
        raise ValueError(f"draws must be at least 1, not {draws}")
    actors = list(scenario.actors.values())
    col = {iid: k for k, iid in enumerate(scenario.issues)}
    n_a, n_i = len(actors), len(col)
    u = scenario.uncertainty
    stake = np.zeros((n_a, n_i), dtype=bool)
    p_holds = np.zeros((n_a, n_i))
    position, salience = _Law.empty((n_a, n_i)), _Law.empty((n_a, n_i))
    capability = _Law.empty((n_a,))
    for a, actor in enumerate(actors):
        capability.set(
            a, actor.capability, actor.capability_spread, u.capability_sd * actor.capability
        )
        for iid, st in actor.stakes.items():
            i, issue = col[iid], scenario.issues[iid]
            stake[a, i] = True
            position.set((a, i), st.position, st.position_spread, u.position_sd * issue.span / 100)
            salience.set((a, i), st.salience, st.salience_spread, u.salience_sd)
            if st.red_line is not None:
                p = st.red_line.probability
                p_holds[a, i] = u.red_line_probability if p is None else p
    lo = np.array([issue.lo for issue in scenario.issues.values()])
    hi = np.array([issue.hi for issue in scenario.issues.values()])
    shape = (draws, n_a, n_i)
    pos = np.clip(position.sample(rng.standard_normal(shape), rng.random(shape)), lo, hi)
    sal = np.clip(salience.sample(rng.standard_normal(shape), rng.random(shape)), 0.0, 100.0)
    cap = capability.sample(rng.standard_normal((draws, n_a)), rng.random((draws, n_a)))
    cap = np.maximum(cap, CAPABILITY_FLOOR * capability.centre)
    holds = (rng.random(shape) < p_holds) & (p_holds > 0)
    return Draws(
        actor_ids=tuple(scenario.actors),
        issue_ids=tuple(scenario.issues),
        position=np.where(stake, pos, np.nan),
        salience=np.where(stake, sal, np.nan),
        capability=cap,
        holds=holds,
        stake=stake,
        red_line=p_holds > 0,
    )


def drawn_scenario(scenario: Scenario, draws: Draws, d: int) -> Scenario:
    """Draw `d` as an ordinary Scenario (a red line that does not hold is dropped).

    What the dynamics run on, and the per-draw baseline the vectorised evaluation is checked
    against.
    """
    col = {iid: k for k, iid in enumerate(draws.issue_ids)}
    actors = {}
    for a, (aid, actor) in enumerate(scenario.actors.items()):
        stakes = {
            iid: dataclasses.replace(
                st,
                position=float(draws.position[d, a, col[iid]]),
                salience=float(draws.salience[d, a, col[iid]]),
                red_line=st.red_line if draws.holds[d, a, col[iid]] else None,
            )
            for iid, st in actor.stakes.items()
        }
        actors[aid] = dataclasses.replace(
            actor, capability=float(draws.capability[d, a]), stakes=stakes
        )
    return dataclasses.replace(scenario, actors=actors)


# --- vectorised evaluation ----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class DrawVerdicts:
    """One proposal over all draws: arrays draws x actors, actors in scenario order."""

    proposal: str
    utility: np.ndarray
    reservation: np.ndarray
    crossed: np.ndarray  # a red line that holds in the draw is crossed
    accepts: np.ndarray


@dataclass(frozen=True, eq=False)
class _Layout:
    """Each actor's stakes in its own order (actors x slots), padded where it has fewer.

    `model.evaluate` sums over `actor.stakes` in dict order with Python's left-to-right `sum`; a
    cumulative sum over the stakes in that same order adds the same numbers in the same order,
    so the vectorised utilities equal the per-draw ones bit for bit (padding adds +0.0).
    """

    order: np.ndarray  # actors x slots: issue column of each stake
    valid: np.ndarray  # actors x slots
    count: np.ndarray  # actors: number of stakes
    span: np.ndarray  # issues

    @classmethod
    def of(cls, scenario: Scenario) -> _Layout:
        col = {iid: k for k, iid in enumerate(scenario.issues)}
        rows = [[col[iid] for iid in a.stakes] for a in scenario.actors.values()]
        width = max(1, max(len(r) for r in rows))
        order = np.zeros((len(rows), width), dtype=int)
        valid = np.zeros((len(rows), width), dtype=bool)
        for a, r in enumerate(rows):
            order[a, : len(r)] = r
            valid[a, : len(r)] = True
        span = np.array([issue.span for issue in scenario.issues.values()])
        return cls(order, valid, np.array([len(r) for r in rows], dtype=float), span)

    def gather(self, values: np.ndarray) -> np.ndarray:
        """draws x actors x issues -> draws x actors x slots, 0 in the padding."""
        rows = np.arange(self.order.shape[0])[:, None]
        return np.where(self.valid, values[:, rows, self.order], 0.0)


def _weights(layout: _Layout, salience: np.ndarray) -> np.ndarray:
    """Salience shares (equal shares where an actor's drawn saliences are all zero)."""
    total = np.cumsum(salience, axis=2)[..., -1:]
    share = np.divide(salience, total, out=np.zeros_like(salience), where=total > 0)
    return np.where(total > 0, share, np.where(layout.valid, 1.0 / layout.count[:, None], 0.0))


def _utility(layout: _Layout, w: np.ndarray, ideal: np.ndarray, package: np.ndarray) -> np.ndarray:
    """u = sum over stakes of w x (1 - |value - ideal| / span), summed in stake order."""
    value = package[layout.order]
    span = layout.span[layout.order]
    terms = np.where(layout.valid, w * (1.0 - np.abs(value - ideal) / span), 0.0)
    return np.cumsum(terms, axis=2)[..., -1]


def _package(scenario: Scenario, values: dict[str, float]) -> np.ndarray:
    return np.array([values[iid] for iid in scenario.issues], dtype=float)


def crossed_red_lines(scenario: Scenario, package: dict[str, float]) -> np.ndarray:
    """actors x issues: the package's value crosses the actor's red line as written."""
    return np.array(
        [
            [
                st.red_line is not None and st.red_line.crossed_by(package[iid])
                if (st := actor.stakes.get(iid)) is not None
                else False
                for iid in scenario.issues
            ]
            for actor in scenario.actors.values()
        ],
        dtype=bool,
    )


def evaluate_draws(scenario: Scenario, draws: Draws) -> dict[str, DrawVerdicts]:
    """Every proposal in every draw at once, with `model.evaluate`'s rule.

    Accepts iff no red line that holds in the draw is crossed and utility >= reservation -
    TOLERANCE, the reservation being the drawn utility of the status quo. Whether a value
    crosses a red line is fixed (the red line as written); only whether it holds is drawn.
    """
    if draws.actor_ids != tuple(scenario.actors) or draws.issue_ids != tuple(scenario.issues):
        raise ValueError("the draws were made for another scenario (actors or issues differ)")
    layout = _Layout.of(scenario)
    ideal = layout.gather(draws.position)
    w = _weights(layout, layout.gather(draws.salience))
    sq = {iid: issue.status_quo for iid, issue in scenario.issues.items()}
    reservation = _utility(layout, w, ideal, _package(scenario, sq))
    out = {}
    for pid, proposal in scenario.proposals.items():
        package = proposal.package(scenario.issues)
        u = _utility(layout, w, ideal, _package(scenario, package))
        crossed = (draws.holds & crossed_red_lines(scenario, package)).any(axis=2)
        accepts = ~crossed & (u >= reservation - TOLERANCE)
        out[pid] = DrawVerdicts(pid, u, reservation, crossed, accepts)
    return out


# --- intervals and sensitivity ------------------------------------------------------------------


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for k successes in n: sound at p near 0 or 1, unlike p +- z se."""
    if n <= 0:
        return 0.0, 1.0
    p = k / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # the interval always holds p; min/max only undo rounding at p = 0 or 1
    return max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half))


@dataclass(frozen=True)
class Acceptance:
    """How often one actor accepts one proposal across the draws."""

    proposal: str
    actor: str
    accepted: int
    draws: int
    ci: tuple[float, float]
    point_accepts: bool  # the verdict on the scenario as written

    @property
    def p(self) -> float:
        return self.accepted / self.draws

    def to_json(self) -> dict[str, Any]:
        return {
            "p_accept": _r(self.p),
            "ci": [_r(self.ci[0]), _r(self.ci[1])],
            "point_verdict": self.point_accepts,
            "accepted": self.accepted,
        }


@dataclass(frozen=True)
class Swing:
    """How much one uncertain input moves one actor's verdict on one proposal.

    swing = P(accept | input in its top quintile) - P(accept | input in its bottom quintile),
    over the draws: the draws with the input at or above its 80th percentile against those at or
    below its 20th (ties at a clipped end all go in). For a red line: P(accept | it holds) -
    P(accept | it does not). `se` is the standard error of that difference of two shares
    (Agresti-Caffo: one success and one failure added to each group); a swing within about 2 se
    of zero is indistinguishable from sampling noise. Of all actor x proposal
    pairs the input can affect, the one it moves most is kept.
    """

    kind: str  # "salience", "position", "capability" or "red_line"
    actor: str
    issue: str | None
    label: str
    proposal: str
    pair_actor: str
    swing: float
    se: float
    p_high: float
    p_low: float
    n_high: int
    n_low: int
    cut_low: float | None  # the bottom group is <= this (None for a red line: "does not hold")
    cut_high: float | None  # the top group is >= this (None for a red line: "holds")

    def to_json(self) -> dict[str, Any]:
        return {
            "input": {"kind": self.kind, "actor": self.actor, "issue": self.issue},
            "label": self.label,
            "proposal": self.proposal,
            "actor": self.pair_actor,
            "swing": _r(self.swing),
            "se": _r(self.se),
            "p_high": _r(self.p_high),
            "p_low": _r(self.p_low),
            "n_high": self.n_high,
            "n_low": self.n_low,
            "cut_low": None if self.cut_low is None else _r(self.cut_low),
            "cut_high": None if self.cut_high is None else _r(self.cut_high),
        }


def _se(k1: int, n1: int, k2: int, n2: int) -> float:
    """The standard error of a difference of two shares, each with one success and one failure
    added (Agresti-Caffo), so a group that all accepts (or all rejects) does not claim se 0."""
    p1, p2 = (k1 + 1) / (n1 + 2), (k2 + 1) / (n2 + 2)
    return math.sqrt(p1 * (1 - p1) / (n1 + 2) + p2 * (1 - p2) / (n2 + 2))


def _inputs(
    scenario: Scenario, draws: Draws, dynamics: bool
) -> Iterator[tuple[str, int, str | None, str, np.ndarray]]:
    """(kind, actor index, issue, label, values over draws) for every input that varies."""
    for a, actor in enumerate(scenario.actors.values()):
        for i, (iid, issue) in enumerate(scenario.issues.items()):
            if not draws.stake[a, i]:
                continue
            for kind, values, words in (
                ("salience", draws.salience[:, a, i], f"salience of {issue.label}"),
                ("position", draws.position[:, a, i], f"position on {issue.label}"),
            ):
                if np.ptp(values) > 0:
                    yield kind, a, iid, f"{actor.name} · {words}", values
        if dynamics and np.ptp(draws.capability[:, a]) > 0:
            yield "capability", a, None, f"{actor.name} · capability", draws.capability[:, a]
        for i, (iid, issue) in enumerate(scenario.issues.items()):
            held = draws.holds[:, a, i]
            if draws.red_line[a, i] and held.any() and not held.all():
                yield "red_line", a, iid, f"{actor.name} · red line on {issue.label} holds", held


def sensitivity(
    scenario: Scenario,
    draws: Draws,
    columns: list[tuple[str, str, np.ndarray]],
    dynamics: bool = False,
) -> tuple[Swing, ...]:
    """Every uncertain input with the largest swing it causes, largest first (see `Swing`).

    `columns` are (proposal, actor, accepts over draws). An actor's own inputs are the only ones
    that can change its verdict on a fixed proposal, so only those pairs are scored for them
    (scoring the rest would only add sampling noise); the forecast's verdicts depend on every
    input through the dynamics, so every input is scored on them. Capabilities enter only the
    dynamics and are listed only with `dynamics`.
    """
    actor_ids = list(scenario.actors)
    out: list[Swing] = []
    for kind, a, iid, label, values in _inputs(scenario, draws, dynamics):
        if kind == "red_line":
            high, low, cuts = values, ~values, (None, None)
        else:
            q_lo, q_hi = np.quantile(values, [QUINTILE, 1 - QUINTILE])
            if not q_lo < q_hi:
                continue  # most draws tie at one value: no top and bottom to compare
            high, low, cuts = values >= q_hi, values <= q_lo, (float(q_lo), float(q_hi))
        best: Swing | None = None
        for pid, aid, accepts in columns:
            if pid != FORECAST_ID and aid != actor_ids[a]:
                continue
            p_hi, p_lo = float(accepts[high].mean()), float(accepts[low].mean())
            n_hi, n_lo = int(high.sum()), int(low.sum())
            swing = p_hi - p_lo
            if best is None or abs(swing) > abs(best.swing):
                se = _se(accepts[high].sum(), n_hi, accepts[low].sum(), n_lo)
                best = Swing(
                    kind,
                    actor_ids[a],
                    iid,
                    label,
                    pid,
                    aid,
                    swing,
                    se,
                    p_hi,
                    p_lo,
                    n_hi,
                    n_lo,
                    *cuts,
                )
        if best is not None:
            out.append(best)
    order = sorted(range(len(out)), key=lambda k: (-abs(out[k].swing), k))
    return tuple(out[k] for k in order)


# --- the sweep ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastSweep:
    """The dynamics' forecast across the draws: who accepts it, and where it lands per issue."""

    acceptance: tuple[Acceptance, ...]  # one per actor
    converged: int  # draws whose dynamics converged before the round limit
    point_label: str
    outcomes: dict[str, dict[str, Any]]  # issue -> where the forecast lands (see `_outcomes`)

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.point_label,
            "converged": self.converged,
            "actors": {x.actor: x.to_json() for x in self.acceptance},
            "issues": self.outcomes,
        }


@dataclass(frozen=True)
class SweepResult:
    """What a sweep found: acceptance probabilities, the forecast's, and what moves them."""

    scenario: Scenario
    draws: int
    seed: int
    dynamics: bool
    acceptance: tuple[Acceptance, ...]  # proposal x actor, in scenario order
    sensitivity: tuple[Swing, ...]  # largest swing first
    forecast: ForecastSweep | None = None

    def get(self, proposal: str, actor: str) -> Acceptance:
        """One pair's acceptance (the forecast's under `model.results.FORECAST_ID`)."""
        rows = self.acceptance + (self.forecast.acceptance if self.forecast else ())
        for x in rows:
            if x.proposal == proposal and x.actor == actor:
                return x
        raise KeyError((proposal, actor))

    def uncertain(self) -> list[Acceptance]:
        """The pairs whose verdict some draws flip: 0 < p < 1."""
        rows = self.acceptance + (self.forecast.acceptance if self.forecast else ())
        return [x for x in rows if 0 < x.accepted < x.draws]

    def to_json(self) -> dict[str, Any]:
        """sweep.json: plain data; the same scenario, draws and seed give the same dict."""
        sc = self.scenario
        out: dict[str, Any] = {
            "scenario": {"name": sc.name, "title": sc.title},
            "draws": self.draws,
            "seed": self.seed,
            "dynamics": self.dynamics,
            "varied": varied(sc, self.dynamics),
            "proposals": {
                pid: {
                    "label": p.label,
                    "actors": {x.actor: x.to_json() for x in self.acceptance if x.proposal == pid},
                }
                for pid, p in sc.proposals.items()
            },
        }
        if self.forecast is not None:
            out["forecast"] = self.forecast.to_json()
        out["sensitivity"] = [s.to_json() for s in self.sensitivity]
        return out

    def csv(self) -> str:
        """sweep.csv: one row per proposal x actor (then the forecast's, with dynamics)."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["proposal", "actor", "p_accept", "ci_lo", "ci_hi", "point_accepts"])
        rows = self.acceptance + (self.forecast.acceptance if self.forecast else ())
        for x in rows:
            w.writerow(
                [x.proposal, x.actor, _r(x.p), _r(x.ci[0]), _r(x.ci[1]), str(x.point_accepts)]
            )
        return buf.getvalue()

    def rows(self) -> list[tuple[str, str, list[Acceptance]]]:
        """(id, label, acceptance per actor) for every proposal, then the forecast."""
        sc = self.scenario
        rows = [
            (pid, p.label, [self.get(pid, aid) for aid in sc.actors])
            for pid, p in sc.proposals.items()
        ]
        if self.forecast is not None:
            rows.append((FORECAST_ID, "Model forecast", list(self.forecast.acceptance)))
        return rows

    def _pair(self, proposal: str, actor: str) -> str:
        sc = self.scenario
        label = sc.proposals[proposal].label if proposal in sc.proposals else "the model forecast"
        return f"{sc.actors[actor].name} on {label}"

    def text(self, top: int = 8) -> str:
        """The terminal table: P(accept) with its interval under it, then what moves it."""
        sc = self.scenario
        names = [a.name if len(a.name) <= 14 else a.id for a in sc.actors.values()]
        rows = self.rows()
        width = min(46, max(len(label) for _, label, _ in rows) + 2)
        head = "proposal".ljust(width) + "".join(n.ljust(16) for n in names)
        dyn = ", with the negotiation dynamics" if self.dynamics else ""
        lines = [
            f"{sc.title}: uncertainty sweep ({self.draws} draws, seed {self.seed}{dyn})",
            "",
            head,
            "-" * len(head),
        ]
        for _, label, cells in rows:
            short = label if len(label) < width - 1 else label[: width - 4] + "..."
            lines.append(
                short.ljust(width)
                + "".join(
                    f"{x.p:.2f} {'accepts' if x.point_accepts else 'REJECTS'}".ljust(16)
                    for x in cells
                )
            )
            lines.append(
                " " * width + "".join(f"[{x.ci[0]:.2f}, {x.ci[1]:.2f}]".ljust(16) for x in cells)
            )
        lines += [
            "",
            *textwrap.wrap(
                "P(accept) over the draws [95% Wilson interval]; accepts/REJECTS = the verdict on"
                " the scenario as written. " + _varied_words(sc, self.dynamics),
                100,
            ),
        ]
        moving = [s for s in self.sensitivity if s.swing != 0][:top]
        if moving:
            lines += ["", "What moves the verdicts (top vs bottom fifth of the draws):"]
            lines += [
                f"  {s.swing:+.2f} (se {s.se:.2f})  {s.label}  ->  "
                + self._pair(s.proposal, s.pair_actor)
                for s in moving
            ]
        else:
            lines += ["", "No uncertain input moves any verdict in these draws."]
        return "\n".join(lines)

    def markdown(self, top: int = 10, charts: list[str] | None = None) -> str:
        """The report section `## How sure: uncertainty sweep`."""
        sc = self.scenario
        actors = list(sc.actors.values())
        out = [
            "## How sure: uncertainty sweep",
            "",
            f"{self.draws} draws (seed {self.seed}). " + _varied_words(sc, self.dynamics),
            "",
            "Each cell: the share of draws in which the actor accepts, its 95% Wilson interval,"
            " and ✓/✗ the verdict on the scenario as written.",
            "",
            "| proposal | " + " | ".join(a.name for a in actors) + " |",
            "|---|" + "---|" * len(actors),
        ]
        for _, label, cells in self.rows():
            out.append(
                f"| {_md(label)} | "
                + " | ".join(
                    f"{'**' if 0 < x.accepted < x.draws else ''}{x.p:.2f}"
                    f"{'**' if 0 < x.accepted < x.draws else ''}"
                    f" ({x.ci[0]:.2f}–{x.ci[1]:.2f}) {'✓' if x.point_accepts else '✗'}"
                    for x in cells
                )
                + " |"
            )
        flips = self.uncertain()
        pairs = len(self.acceptance) + (len(self.forecast.acceptance) if self.forecast else 0)
        out += [
            "",
            f"{len(flips)} of {pairs} verdicts change in some draws (in bold)."
            if flips
            else "No verdict changes in any draw: the verdicts do not hinge on these guesses.",
        ]
        if self.forecast is not None:
            f = self.forecast
            out += [
                "",
                f"The negotiation ran once per draw; {f.converged} of {self.draws} runs converged"
                " before the round limit. Where the forecast lands:",
                "",
                "| issue | as written | across the draws |",
                "|---|---|---|",
            ]
            for iid, o in f.outcomes.items():
                out.append(
                    f"| {_md(sc.issues[iid].label)} | {_cut(o['point_label'], 60)} | {o['words']} |"
                )
        moving = [s for s in self.sensitivity if s.swing != 0][:top]
        out += ["", "### What moves the verdicts", ""]
        if moving:
            out += [
                "For each uncertain input, the share of draws accepting when the input is in its"
                " top fifth minus the share when it is in its bottom fifth (a red line: when it"
                " holds minus when it does not), for the actor × proposal it moves most. A swing"
                " within about two standard errors of 0 is noise.",
                "",
                "| input | moves | swing | se | P(accept) high / low |",
                "|---|---|---|---|---|",
            ]
            out += [
                f"| {_md(s.label)} | {_md(self._pair(s.proposal, s.pair_actor))} | "
                f"{s.swing:+.2f} | {s.se:.2f} | {s.p_high:.2f} / {s.p_low:.2f} |"
                for s in moving
            ]
        else:
            out.append("No uncertain input moves any verdict in these draws.")
        for name in charts or []:
            out += ["", f"![{name}]({name})"]
        return "\n".join(out) + "\n"


def varied(scenario: Scenario, dynamics: bool) -> dict[str, Any]:
    """What the draws varied: the defaults, and how many entries state a spread of their own."""
    u = scenario.uncertainty
    stakes = [st for a in scenario.actors.values() for st in a.stakes.values()]
    lines = [st.red_line for st in stakes if st.red_line is not None]
    out: dict[str, Any] = {
        "salience": {
            "default_sd": u.salience_sd,
            "own": sum(_has(st.salience_spread) for st in stakes),
            "of": len(stakes),
        },
        "position": {
            "default_sd": u.position_sd,
            "own": sum(_has(st.position_spread) for st in stakes),
            "of": len(stakes),
        },
        "red_line": {
            "default_probability": u.red_line_probability,
            "own": sum(rl.probability is not None for rl in lines),
            "of": len(lines),
        },
    }
    if dynamics:
        out["capability"] = {
            "default_sd": u.capability_sd,
            "own": sum(_has(a.capability_spread) for a in scenario.actors.values()),
            "of": len(scenario.actors),
        }
    return out


def _varied_words(scenario: Scenario, dynamics: bool) -> str:
    """What the draws varied, in a sentence for the report and the terminal."""
    v = varied(scenario, dynamics)
    s, p, r = v["salience"], v["position"], v["red_line"]
    parts = [
        f"saliences: normal, sd {s['default_sd']:g} points, clipped to 0-100 ({s['own']} of"
        f" {s['of']} state their own spread)",
        f"ideal positions: normal, sd {p['default_sd']:g} points of a 0-100 scale, clipped to the"
        f" issue's range ({p['own']} of {p['of']} state their own)",
    ]
    if dynamics:
        c = v["capability"]
        parts.append(
            f"capabilities: normal, sd {c['default_sd']:g} x the stated value ({c['own']} of"
            f" {c['of']} state their own)"
        )
    parts.append(
        f"whether each red line holds: probability {r['default_probability']:g} ({r['own']} of"
        f" {r['of']} state their own)"
    )
    return "Each draw varies " + "; ".join(parts) + ". An sd of 0 keeps a number as written."


def sweep(
    scenario: Scenario,
    draws: int,
    seed: int,
    dynamics: bool = False,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> SweepResult:
    """Draw the scenario `draws` times, evaluate every proposal (and with `dynamics` the
    negotiation's forecast) in every draw, and say how often each actor accepts and why.

    `seed` seeds everything: a SeedSequence whose first child draws the numbers and whose second
    spawns one seed per draw for the dynamics, so the result does not depend on `workers` or on
    the order in which parallel runs finish. `progress` is called with the number of draws done
    so far (cumulative, ending at `draws`). The forecast's point verdict is `model.pipeline.run` on
    the scenario as written, with the scenario's own model seed (what `sim run` shows).
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    draw_seq, run_seq = np.random.SeedSequence(seed).spawn(2)
    d = draw(scenario, draws, np.random.default_rng(draw_seq))
    verdicts = evaluate_draws(scenario, d)
    point = {pid: evaluate(scenario, p) for pid, p in scenario.proposals.items()}
    acceptance = tuple(
        _acceptance(pid, aid, verdicts[pid].accepts[:, a], point[pid][aid].accepts)
        for pid in scenario.proposals
        for a, aid in enumerate(scenario.actors)
    )
    columns = [
        (pid, aid, verdicts[pid].accepts[:, a])
        for pid in scenario.proposals
        for a, aid in enumerate(scenario.actors)
    ]
    forecast = None
    if dynamics:
        seeds = [int(s.generate_state(1)[0]) for s in run_seq.spawn(draws)]
        forecast, accepts = _forecast(scenario, d, seeds, workers, progress)
        columns += [(FORECAST_ID, aid, accepts[:, a]) for a, aid in enumerate(scenario.actors)]
    elif progress is not None:
        progress(draws)
    return SweepResult(
        scenario=scenario,
        draws=draws,
        seed=seed,
        dynamics=dynamics,
        acceptance=acceptance,
        sensitivity=sensitivity(scenario, d, columns, dynamics),
        forecast=forecast,
    )


def _acceptance(proposal: str, actor: str, accepts: np.ndarray, point: bool) -> Acceptance:
    k, n = int(accepts.sum()), int(accepts.size)
    return Acceptance(proposal, actor, k, n, wilson(k, n), bool(point))


def _run_draws(
    jobs: list[tuple[int, Scenario, int]],
) -> list[tuple[int, list[bool], list[float], bool]]:
    """Run the negotiation on drawn scenarios: (draw, accepts per actor, forecast, converged).

    Module level so that worker processes can import it.
    """
    from model.pipeline import run

    out = []
    for d, sc, seed in jobs:
        res = run(sc, seed=seed)
        package = res.forecast.package(sc.issues)
        out.append(
            (
                d,
                [res.forecast_verdicts[aid].accepts for aid in sc.actors],
                [package[iid] for iid in sc.issues],
                res.converged,
            )
        )
    return out


def _forecast(
    scenario: Scenario,
    draws: Draws,
    seeds: list[int],
    workers: int,
    progress: Callable[[int], None] | None,
) -> tuple[ForecastSweep, np.ndarray]:
    """Run the dynamics on every draw (in `workers` processes) and summarise the forecast."""
    from model.pipeline import run

    point = run(scenario)
    n = draws.n
    jobs = [(d, drawn_scenario(scenario, draws, d), seeds[d]) for d in range(n)]
    accepts = np.zeros((n, len(scenario.actors)), dtype=bool)
    values = np.zeros((n, len(scenario.issues)))
    converged = np.zeros(n, dtype=bool)
    done = 0

    def take(results: list[tuple[int, list[bool], list[float], bool]]) -> None:
        nonlocal done
        for d, acc, vals, conv in results:
            accepts[d], values[d], converged[d] = acc, vals, conv
        done += len(results)
        if progress is not None:
            progress(done)

    if workers == 1:
        for job in jobs:
            take(_run_draws([job]))
    else:
        size = max(1, min(16, n // (workers * 8)))
        chunks = [jobs[k : k + size] for k in range(0, n, size)]
        # spawn, named explicitly: the one start method on every platform, safe with threads, and
        # what `import mesa` (its batchrunner) forces process-wide anyway
        spawn = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=spawn)
        try:
            for future in as_completed([pool.submit(_run_draws, c) for c in chunks]):
                take(future.result())
        except BaseException:
            # Ctrl-C or a failed run: drop the queued draws instead of waiting for them all
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
    acceptance = tuple(
        _acceptance(FORECAST_ID, aid, accepts[:, a], point.forecast_verdicts[aid].accepts)
        for a, aid in enumerate(scenario.actors)
    )
    package = point.forecast.package(scenario.issues)
    outcomes = {
        iid: _outcomes(issue, package[iid], values[:, i])
        for i, (iid, issue) in enumerate(scenario.issues.items())
    }
    summary = ForecastSweep(acceptance, int(converged.sum()), point.forecast.label, outcomes)
    return summary, accepts


def _outcomes(issue: Issue, point: float, values: np.ndarray) -> dict[str, Any]:
    """Where the forecast lands on one issue: shares per option, or quantiles of a number."""
    out: dict[str, Any] = {"point": issue.value_id(point), "point_label": issue.describe(point)}
    if issue.options:
        shares = {o.id: _r(float(np.mean(np.abs(values - o.value) < 1e-9))) for o in issue.options}
        out["shares"] = {k: v for k, v in shares.items() if v > 0}
        out["point_share"] = _r(float(np.mean(np.abs(values - point) < 1e-9)))
        top = sorted(out["shares"].items(), key=lambda kv: -kv[1])[:3]
        labels = {o.id: o.label for o in issue.options}
        out["words"] = "; ".join(
            f"{_cut(labels[k], 60)} {f'{v:.0%}' if v >= 0.005 else '<1%'}" for k, v in top
        )
    else:
        p5, p50, p95 = (float(q) for q in np.quantile(values, [0.05, 0.5, 0.95]))
        out.update(p5=_r(p5), median=_r(p50), p95=_r(p95))
        out["words"] = f"median {p50:.4g} {issue.unit} (90% of draws {p5:.4g}–{p95:.4g})"
    return out


def _has(spread: Spread | None) -> bool:
    return spread is not None and (spread.sd is not None or spread.lo is not None)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _r(x: float) -> float:
    return round(float(x), 6)


def _md(text: str) -> str:
    return text.replace("|", "\\|")
