"""`sim sweep`: draw the scenario, evaluate every draw, and (with dynamics) negotiate in every
draw, all draws of a chunk at once.

A verdict that holds in (nearly) every draw does not hinge on the guesses; one near 0.5 does,
and the sensitivity ranking says which guess. With `dynamics=True` every drawn scenario also
runs the negotiation (`model.sweep.dynamics.negotiate_draws`: the Mesa model's run, on arrays
over draws), and the forecast's verdicts get the same treatment.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace

import numpy as np

from model.evaluation.verdicts import evaluate
from model.results import FORECAST_ID
from model.scenario.dated import date_of, view
from model.scenario.types import Issue, Scenario
from model.sweep.draws import Draws, draw
from model.sweep.dynamics import DrawForecasts, chunk_size, negotiate_draws
from model.sweep.result import ForecastSweep, Landing, SweepResult
from model.sweep.statistics import Acceptance, sensitivity
from model.sweep.vectorised import evaluate_draws


def sweep(
    scenario: Scenario,
    draws: int,
    seed: int,
    dynamics: bool = False,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    as_of: str | None = None,
) -> SweepResult:
    """Draw the scenario `draws` times, evaluate every proposal (and with `dynamics` the
    negotiation's forecast) in every draw, and say how often each actor accepts and why.

    `seed` seeds everything: a SeedSequence whose first child draws the numbers and whose second
    spawns one seed per draw for the dynamics, so the result does not depend on `workers` or on
    the order in which parallel runs finish. `progress` is called with the number of draws done
    so far (cumulative, ending at `draws`). The forecast's point verdict is `model.pipeline.run` on
    the scenario as written, with the scenario's own model seed (what `sim run` shows).

    Each dated proposal is judged on the stances of its date, the rest (and the dynamics, and
    the sensitivity's inputs) on those of `as_of` (None: the latest). Every date's draws come from
    the same random numbers (common random numbers), so a draw is the same guess on every date.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    draw_seq, run_seq = np.random.SeedSequence(seed).spawn(2)
    raw, scenario = scenario, view(scenario, as_of)
    d = draw(scenario, draws, np.random.default_rng(draw_seq))
    groups: dict[str | None, list[str]] = {}
    for pid in scenario.proposals:
        groups.setdefault(date_of(raw, pid, as_of), []).append(pid)
    verdicts, point = {}, {}
    for date, pids in groups.items():
        on = view(raw, date)
        on = replace(on, proposals={pid: on.proposals[pid] for pid in pids})
        same = on.actors == scenario.actors and on.issues == scenario.issues
        d_on = d if same else draw(on, draws, np.random.default_rng(draw_seq))
        verdicts.update(evaluate_draws(on, d_on))
        point.update({pid: evaluate(on, on.proposals[pid]) for pid in pids})
    acceptance = tuple(
        Acceptance.of(pid, aid, verdicts[pid].accepts[:, a], point[pid][aid].accepts)
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
        # one model seed per draw; only the model's noise reads it
        noisy = scenario.model.noise > 0
        seeds = [int(s.generate_state(1)[0]) for s in run_seq.spawn(draws)] if noisy else None
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


def _negotiate(
    scenario: Scenario, draws: Draws, seeds: list[int] | None, start: int
) -> tuple[int, DrawForecasts]:
    """A chunk of draws (the sweep's draws start, start + 1, ...) negotiated at once. Module
    level so that worker processes can import it."""
    return start, negotiate_draws(scenario, draws, seeds)


def _forecast(
    scenario: Scenario,
    draws: Draws,
    seeds: list[int] | None,
    workers: int,
    progress: Callable[[int], None] | None,
) -> tuple[ForecastSweep, np.ndarray]:
    """Negotiate in every draw (vectorised, `model.sweep.dynamics`, in chunks of draws so the
    progress bar moves and memory stays bounded; the chunks in `workers` processes if asked)
    and summarise the forecast."""
    from model.pipeline import run

    point = run(scenario)
    n = draws.n
    size = chunk_size(scenario)
    if workers > 1:  # at least two chunks per worker, so both keep busy to the end
        size = max(1, min(size, -(-n // (2 * workers))))
    bounds = [(k, min(n, k + size)) for k in range(0, n, size)]
    accepts = np.zeros((n, len(scenario.actors)), dtype=bool)
    values = np.zeros((n, len(scenario.issues)))
    converged = np.zeros(n, dtype=bool)
    done = 0

    def take(start: int, out: DrawForecasts) -> None:
        nonlocal done
        stop = start + len(out.accepts)
        accepts[start:stop], values[start:stop] = out.accepts, out.forecast
        converged[start:stop] = out.converged
        done += stop - start
        if progress is not None:
            progress(done)

    def chunk(start: int, stop: int) -> tuple[Scenario, Draws, list[int] | None, int]:
        part = None if seeds is None else seeds[start:stop]
        return scenario, draws.take(slice(start, stop)), part, start

    if workers == 1 or len(bounds) == 1:
        for start, stop in bounds:
            take(*_negotiate(*chunk(start, stop)))
    else:
        # spawn, named explicitly: the one start method on every platform, safe with threads, and
        # what `import mesa` (its batchrunner) forces process-wide anyway
        spawn = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=spawn)
        try:
            # each process gets its chunk of the draws only
            futures = [pool.submit(_negotiate, *chunk(*b)) for b in bounds]
            for future in as_completed(futures):
                take(*future.result())
        except BaseException:
            # Ctrl-C or a failed run: drop the queued draws instead of waiting for them all
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
    acceptance = tuple(
        Acceptance.of(FORECAST_ID, aid, accepts[:, a], point.forecast_verdicts[aid].accepts)
        for a, aid in enumerate(scenario.actors)
    )
    package = point.forecast.package(scenario.issues)
    outcomes = {
        iid: _landing(issue, package[iid], values[:, i])
        for i, (iid, issue) in enumerate(scenario.issues.items())
    }
    summary = ForecastSweep(acceptance, int(converged.sum()), point.forecast.label, outcomes)
    return summary, accepts


def _landing(issue: Issue, point: float, values: np.ndarray) -> Landing:
    """Where the forecast lands on one issue: shares per option, or quantiles of a number."""
    if issue.options:
        return Landing(
            point,
            {o.id: float(np.mean(np.abs(values - o.value) < 1e-9)) for o in issue.options},
            float(np.mean(np.abs(values - point) < 1e-9)),
            None,
        )
    p5, p50, p95 = (float(q) for q in np.quantile(values, [0.05, 0.5, 0.95]))
    return Landing(point, None, None, (p5, p50, p95))
