"""Speed of the vectorised sweep on the 28-point scenario against per-draw baselines.

    python benchmarks/sweep.py [--draws 10000] [--dynamics-draws 1000] [--mesa-draws 20]
                               [--numpy-draws 200] [--repeat 3] [--cli]

Every number is a median over `--repeat` rounds of ONE interleaved run (the contenders take
turns within each round), and every ratio names its baseline:

1. Evaluation: `evaluate_draws` on all draws at once against the strongest simple baseline,
   `numpy_per_draw` below (numpy arrays actors x issues, one draw at a time; no Scenario
   objects are built). Both must give the same acceptance counts.
2. Dynamics, per rule (concession, EUM): `negotiate_draws` in the sweep's chunks against
   (a) the Mesa model per draw (`model.pipeline.run` on `drawn_scenario`, what the sweep ran
   before; timed on `--mesa-draws` draws and scaled per draw) and (b) the same numpy code one
   draw at a time (`negotiate_draws` on a one-draw slice; timed on `--numpy-draws` draws). All
   three must agree on the draws they share.
3. With `--cli`: `sim sweep scenarios/28-point.yaml --dynamics --draws 1000 --no-charts`
   against `sim run scenarios/28-point.yaml --no-charts`, each a fresh process (the issue's
   goal: within 3x).

Ratios, not absolute times, are the result: both sides run on the same machine and data.
"""

from __future__ import annotations

import argparse
import dataclasses
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this tree's model package, not an installed copy

from timing import interleaved  # noqa: E402

from model.evaluation.verdicts import TOLERANCE  # noqa: E402
from model.pipeline import run  # noqa: E402
from model.scenario.loader import load_scenario  # noqa: E402
from model.scenario.types import Scenario  # noqa: E402
from model.sweep import Draws, crossed_red_lines, draw, drawn_scenario, evaluate_draws  # noqa: E402
from model.sweep.dynamics import chunk_size, negotiate_draws  # noqa: E402

SCENARIO = ROOT / "scenarios" / "28-point.yaml"


def numpy_per_draw(scenario: Scenario, d: Draws) -> dict[str, np.ndarray]:
    """The baseline: the acceptance rule on numpy arrays actors x issues, one draw at a time
    (the packages, red-line crossings and spans prepared once, as any honest loop would)."""
    issues = list(scenario.issues.values())
    span = np.array([i.span for i in issues])
    sq = np.array([i.status_quo for i in issues])
    packages = {
        pid: (np.array(list(p.package(scenario.issues).values())), p.package(scenario.issues))
        for pid, p in scenario.proposals.items()
    }
    crossed = {pid: crossed_red_lines(scenario, pkg) for pid, (_, pkg) in packages.items()}
    out = {pid: np.zeros((d.n, len(scenario.actors)), dtype=bool) for pid in packages}
    stake = d.stake
    for k in range(d.n):
        sal = np.where(stake, d.salience[k], 0.0)
        total = sal.sum(axis=1, keepdims=True)
        w = np.where(
            total > 0, sal / np.where(total > 0, total, 1.0), stake / stake.sum(1)[:, None]
        )
        pos = np.where(stake, d.position[k], 0.0)
        reservation = (w * (1.0 - np.abs(sq - pos) / span)).sum(axis=1)
        for pid, (values, _) in packages.items():
            u = (w * (1.0 - np.abs(values - pos) / span)).sum(axis=1)
            hit = (d.holds[k] & crossed[pid]).any(axis=1)
            out[pid][k] = ~hit & (u >= reservation - TOLERANCE)
    return out


def _ratio(name: str, t: float, base: str, t_base: float) -> str:
    return f"  {name} is {t_base / t:,.1f}x faster than {base}"


def bench_evaluation(scenario: Scenario, n: int, repeat: int, seed: int) -> None:
    d = draw(scenario, n, np.random.default_rng(seed))
    res = interleaved(
        repeat,
        {
            "numpy per draw": lambda: numpy_per_draw(scenario, d),
            "evaluate_draws": lambda: evaluate_draws(scenario, d),
        },
    )
    (t_base, base), (t_fast, fast) = res["numpy per draw"], res["evaluate_draws"]
    for pid in scenario.proposals:
        if not np.array_equal(base[pid].sum(axis=0), fast[pid].accepts.sum(axis=0)):
            sys.exit(f"MISMATCH on {pid}: numpy per draw and evaluate_draws differ")
    p, a = len(scenario.proposals), len(scenario.actors)
    print(f"1. Evaluation: {n} draws x {p} proposals x {a} actors (median of {repeat})")
    print(f"  {'numpy per draw (baseline)':<40}{t_base:>10.4f} s{n / t_base:>14,.0f} draws/s")
    print(
        f"  {'evaluate_draws, all draws at once':<40}{t_fast:>10.4f} s{n / t_fast:>14,.0f} draws/s"
    )
    print(_ratio("evaluate_draws", t_fast, "numpy per draw", t_base))
    print("  acceptance counts agree for every proposal and actor\n")


def bench_dynamics(
    scenario: Scenario, n: int, n_mesa: int, n_numpy: int, repeat: int, seed: int
) -> None:
    rule = scenario.model.dynamics
    d = draw(scenario, n, np.random.default_rng(seed))
    size = chunk_size(scenario)
    n_mesa, n_numpy = min(n_mesa, n), min(n_numpy, n)

    def vectorised():
        return [negotiate_draws(scenario, d.take(slice(k, k + size))) for k in range(0, n, size)]

    def per_draw_numpy():
        return [negotiate_draws(scenario, d.take(slice(k, k + 1))) for k in range(n_numpy)]

    def per_draw_mesa():
        return [run(drawn_scenario(scenario, d, k)) for k in range(n_mesa)]

    run(drawn_scenario(scenario, d, 0))  # warm up: Mesa and the model load on first use
    negotiate_draws(scenario, d.take(slice(0, 1)))
    res = interleaved(
        repeat,
        {"mesa": per_draw_mesa, "numpy": per_draw_numpy, "vectorised": vectorised},
    )
    fast = res["vectorised"][1]
    accepts = np.concatenate([f.accepts for f in fast])
    forecast = np.concatenate([f.forecast for f in fast])
    for k, one in enumerate(res["numpy"][1]):
        if not (
            np.array_equal(one.accepts[0], accepts[k])
            and np.array_equal(one.forecast[0], forecast[k])
        ):
            sys.exit(f"MISMATCH ({rule}): draw {k} alone differs from the chunk")
    for k, r in enumerate(res["mesa"][1]):
        package = r.forecast.package(scenario.issues)
        mesa_accepts = [r.forecast_verdicts[a].accepts for a in scenario.actors]
        if [package[i] for i in scenario.issues] != forecast[k].tolist() or mesa_accepts != accepts[
            k
        ].tolist():
            sys.exit(f"MISMATCH ({rule}): draw {k} differs from the Mesa run")
    per = {
        "mesa": res["mesa"][0] / n_mesa,
        "numpy": res["numpy"][0] / n_numpy,
        "vectorised": res["vectorised"][0] / n,
    }
    rounds = scenario.model.rounds
    print(f"2. Dynamics ({rule}, {rounds} rounds at most): median of {repeat}, per draw")
    rows = (
        (f"Mesa model per draw (baseline a; {n_mesa} draws)", per["mesa"]),
        (f"same numpy code per draw (baseline b; {n_numpy} draws)", per["numpy"]),
        (f"negotiate_draws, chunks of {size} ({n} draws)", per["vectorised"]),
    )
    for name, t in rows:
        print(f"  {name:<52}{t * 1000:>10.3f} ms{1 / t:>12,.0f} draws/s")
    print(_ratio("negotiate_draws", per["vectorised"], "the Mesa model per draw", per["mesa"]))
    print(_ratio("negotiate_draws", per["vectorised"], "numpy per draw", per["numpy"]))
    print(
        f"  forecasts and verdicts agree with the Mesa run on {n_mesa} draws and with numpy per"
        f" draw on {n_numpy}\n"
    )


def bench_cli(repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = [sys.executable, "-m", "model"]

        def command(*args: str, out: str) -> None:
            args_ = [*base, *args, "--no-charts", "--force", "--out", str(Path(tmp) / out)]
            subprocess.run(args_, cwd=ROOT, check=True, capture_output=True)

        res = interleaved(
            repeat,
            {
                "run": lambda: command("run", str(SCENARIO), out="run"),
                "sweep": lambda: command(
                    "sweep", str(SCENARIO), "--dynamics", "--draws", "1000", out="sweep"
                ),
            },
        )
    t_run, t_sweep = res["run"][0], res["sweep"][0]
    print(f"3. Command lines, fresh processes (median of {repeat})")
    print(f"  {'sim run 28-point --no-charts (baseline)':<52}{t_run:>10.2f} s")
    print(f"  {'sim sweep 28-point --dynamics --draws 1000 --no-charts':<52}{t_sweep:>10.2f} s")
    print(f"  the sweep takes {t_sweep / t_run:.2f}x the run (goal: at most 3x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--dynamics-draws", type=int, default=1000)
    parser.add_argument("--mesa-draws", type=int, default=20)
    parser.add_argument("--numpy-draws", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cli", action="store_true", help="also time the two commands")
    args = parser.parse_args()
    scenario = load_scenario(SCENARIO)
    bench_evaluation(scenario, args.draws, args.repeat, args.seed)
    for rule in ("concession", "eum"):
        ruled = dataclasses.replace(
            scenario, model=dataclasses.replace(scenario.model, dynamics=rule)
        )
        bench_dynamics(
            ruled, args.dynamics_draws, args.mesa_draws, args.numpy_draws, args.repeat, args.seed
        )
    if args.cli:
        bench_cli(args.repeat)


if __name__ == "__main__":
    main()
