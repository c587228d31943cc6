"""Speed of the vectorised sweep on the 28-point scenario against the honest per-draw loop.

    python benchmarks/sweep.py [--draws 10000] [--loop N] [--dynamics-draws 24]

Times `model.sweep.evaluate_draws` on `--draws` draws against the plain loop a sweep would
otherwise run: for each draw, build the drawn Scenario (`drawn_scenario`) and call
`model.evaluate.evaluate` for every proposal. With `--loop N` < draws the loop runs the first N
draws only and its time is scaled up (the output says so). Both must give the same acceptance
counts on the draws they share, or the script fails. Then it times the dynamics (`model.api.run`
per draw) with one worker and with two, on a few dozen draws. Ratios, not absolute times, are
the result: both sides run on the same machine and data.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this tree's model package, not an installed copy

from timing import best_of  # noqa: E402

from model.evaluation.verdicts import evaluate  # noqa: E402
from model.scenario.loader import load_scenario  # noqa: E402
from model.sweep import draw, drawn_scenario, evaluate_draws, sweep  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--loop", type=int, default=None, help="draws the Python loop runs")
    parser.add_argument("--dynamics-draws", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    scenario = load_scenario(ROOT / "scenarios" / "28-point.yaml")
    n = args.draws
    n_loop = min(args.loop or n, n)
    d = draw(scenario, n, np.random.default_rng(args.seed))
    t_draw = best_of(3, lambda: draw(scenario, n, np.random.default_rng(args.seed)))[0]
    t_fast, fast = best_of(5, lambda: evaluate_draws(scenario, d))

    aids = list(scenario.actors)
    counts = {pid: np.zeros(len(aids), dtype=int) for pid in scenario.proposals}
    start = time.perf_counter()
    for k in range(n_loop):
        one = drawn_scenario(scenario, d, k)
        for pid, proposal in scenario.proposals.items():
            verdicts = evaluate(one, proposal)
            counts[pid] += [verdicts[aid].accepts for aid in aids]
    t_loop = (time.perf_counter() - start) * n / n_loop
    for pid in scenario.proposals:
        shared = fast[pid].accepts[:n_loop].sum(axis=0)
        if not np.array_equal(shared, counts[pid]):
            sys.exit(f"MISMATCH on {pid}: vectorised {shared.tolist()} vs loop {counts[pid]}")

    p = len(scenario.proposals)
    scaled = "" if n_loop == n else f" (timed on {n_loop} draws, scaled to {n})"
    print(f"28-point scenario: {n} draws x {p} proposals x {len(aids)} actors\n")
    print(f"{'method':<52}{'seconds':>10}{'draws/s':>14}")
    print("-" * 76)
    rows = [
        (f"Python loop: drawn_scenario + evaluate{scaled}", t_loop),
        ("vectorised: evaluate_draws", t_fast),
        ("vectorised: draw + evaluate_draws", t_draw + t_fast),
    ]
    for name, t in rows:
        print(f"{name:<52}{t:>10.4f}{n / t:>14,.0f}")
    print(
        f"\nspeed-up of evaluate_draws over the loop: {t_loop / t_fast:,.0f}x"
        f" (with the drawing included: {t_loop / (t_draw + t_fast):,.0f}x)"
    )
    print(f"acceptance counts agree on all {n_loop} shared draws, for every proposal and actor")

    m = args.dynamics_draws
    if m > 0:
        print(f"\ndynamics: model.api.run on each of {m} drawn scenarios")
        print(f"{'workers':<12}{'seconds':>10}{'draws/s':>10}")
        results, times = {}, {}
        for workers in (1, 2):
            start = time.perf_counter()
            results[workers] = sweep(scenario, m, args.seed, dynamics=True, workers=workers)
            times[workers] = time.perf_counter() - start
            print(f"{workers:<12}{times[workers]:>10.2f}{m / times[workers]:>10.2f}")
        same = results[1] == results[2]
        print(
            f"speed-up with 2 workers: {times[1] / times[2]:.2f}x (includes starting the worker"
            f" processes); same result: {same}"
        )
        if not same:
            sys.exit("MISMATCH: workers=1 and workers=2 differ")


if __name__ == "__main__":
    main()
