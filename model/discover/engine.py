"""Evaluating a design's rows in chunks: in this process, in local worker processes, or on a
Dask cluster, with the same answers whichever.

Everything random is fixed before a chunk leaves: its rows of the design and, for the
negotiation, one seed per row drawn from the run's seed. A chunk is a pure function of what it
is sent, and chunks are put back in row order, so neither the engine nor the number of workers
nor the order in which chunks finish can change a result.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

import numpy as np

from model.discover.design import Design, Input, design_draws
from model.discover.targets import Target, evaluate_targets
from model.scenario.types import Scenario

CHUNK_ROWS = 2048
"""Rows per chunk when only numpy targets are asked (big enough to amortise the shipping)."""
EXPENSIVE_CHUNK_ROWS = 8
"""Expensive rows per chunk (each runs the search or the negotiation): few, to spread the load."""


@dataclass(frozen=True, eq=False)
class Chunk:
    """One piece of work: rows [start, start + len(u)) of the design, and all they need."""

    scenario: Scenario
    inputs: tuple[Input, ...]
    targets: tuple[Target, ...]
    start: int
    u: np.ndarray
    expensive: np.ndarray  # rows on which the search / negotiation targets are asked
    seeds: np.ndarray  # the negotiation's seed of each row
    search_seconds: float


def run_chunk(chunk: Chunk) -> tuple[int, dict[str, np.ndarray]]:
    """Evaluate one chunk (module level, so worker processes and Dask can import it)."""
    draws = design_draws(chunk.scenario, chunk.inputs, chunk.u)
    out = evaluate_targets(
        chunk.scenario, draws, chunk.targets, chunk.expensive, chunk.seeds, chunk.search_seconds
    )
    return chunk.start, out


def chunks(
    scenario: Scenario,
    design: Design,
    targets: tuple[Target, ...],
    expensive: np.ndarray,
    search_seconds: float,
) -> list[Chunk]:
    """The design cut into chunks; each row's negotiation seed comes from the design's seed."""
    rng = np.random.default_rng(np.random.SeedSequence(design.seed).spawn(1)[0])
    seeds = rng.integers(0, 2**31 - 1, size=design.rows)
    costly = any(t.expensive for t in targets)
    cuts = _cuts(expensive if costly else np.zeros(design.rows, bool))
    return [
        Chunk(
            scenario,
            design.inputs,
            targets,
            a,
            design.u[a:b],
            expensive[a:b],
            seeds[a:b],
            search_seconds,
        )
        for a, b in zip(cuts[:-1], cuts[1:], strict=True)
    ]


def _cuts(expensive: np.ndarray) -> list[int]:
    """Chunk boundaries: a chunk ends after CHUNK_ROWS rows or EXPENSIVE_CHUNK_ROWS expensive
    ones, whichever comes first (a function of the design alone, never of the workers)."""
    cuts, size, costly = [0], 0, 0
    for row, e in enumerate(expensive):
        size, costly = size + 1, costly + bool(e)
        if size == CHUNK_ROWS or costly == EXPENSIVE_CHUNK_ROWS:
            cuts.append(row + 1)
            size, costly = 0, 0
    if cuts[-1] != len(expensive):
        cuts.append(len(expensive))
    return cuts


def evaluate(
    work: list[Chunk],
    rows: int,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, np.ndarray]:
    """Every chunk's answers, put together in row order. `scheduler`: a Dask scheduler's
    address (then `workers` is the cluster's business); else `workers` local processes (1: this
    process). `progress` gets the number of rows done so far."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    keys = [t.key for t in work[0].targets] if work else []
    out = {key: np.empty(rows, dtype=np.int8) for key in keys}
    done = 0

    def take(start: int, part: dict[str, np.ndarray]) -> None:
        nonlocal done
        for key, values in part.items():
            out[key][start : start + len(values)] = values
        done += len(next(iter(part.values()))) if part else 0
        if progress is not None:
            progress(done)

    if scheduler is not None:
        _on_dask(work, scheduler, take)
    elif workers == 1 or len(work) == 1:
        for chunk in work:
            take(*run_chunk(chunk))
    else:
        # spawn, as the sweep's workers: the one start method on every platform
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        try:
            for future in as_completed([pool.submit(run_chunk, c) for c in work]):
                take(*future.result())
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
    return out


def _on_dask(work: list[Chunk], address: str, take: Callable) -> None:
    """Send the chunks to the Dask scheduler at `address` and take them back in order (the
    cluster runs them in any order; a client of its own, never the process-wide default)."""
    from distributed import Client

    with Client(address, set_as_default=False) as client:
        # pure=False: two chunks never share a key, whatever their contents hash to
        futures = client.map(run_chunk, work, pure=False)
        try:
            for future in futures:
                take(*future.result())
        finally:
            client.cancel(futures)
