"""Speed of the vectorised EUM against numpy one issue (or one draw) at a time.

    python benchmarks/eum_speed.py [--rounds 10] [--repeat 5] [--draws 1000]

Every number is a median over `--repeat` rounds of ONE interleaved run (the contenders take
turns within each round), and every ratio names its baseline:

1. DEU III, every scoreable issue, `--rounds` rounds: `run_eum_many` (issues with the same
   number of actors stacked into one array) against `run_eum` called one issue at a time (the
   same numpy code, no stacking: the strongest simple baseline). Both must give the same
   positions.
2. The EC car-emissions case drawn `--draws` times (the sweep's draws): the EUM with a leading
   draws axis (`model.sweep.dynamics.negotiate_draws`) against the same numpy code one draw at a
   time, and the Mesa model (model shares each round's matrices, every agent chooses its own
   move; its data collector's three forecasts per round included) on the scenario as written.
3. For the record only, not a baseline: one round on every DEU III issue with `naive_round`
   below, a plain-Python transcription of the same equations that loops over every pair (and
   voter x pair triple). The tests use it as an independent check of the vectorised code.

Ratios, not absolute times, are the result: both sides run on the same machine and data.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this tree's model package, not an installed copy

from model.negotiation.rules.eum import eum_round, run_eum, run_eum_many  # noqa: E402

EMISSIONS = ROOT / "scenarios/validation/bdm1994-emissions.yaml"


def naive_round(
    x: list[float],
    c: list[float],
    s: list[float],
    span: float,
    lo: list[float] | None = None,
    hi: list[float] | None = None,
) -> list[float]:
    """One EUM round (Q = 1) with Python loops, same conventions as model.eum; new positions."""
    n = len(x)
    lo = lo or [-float("inf")] * n
    hi = hi or [float("inf")] * n
    w = [c[k] * s[k] for k in range(n)]

    def probabilities(r: list[float]) -> list[list[float]]:
        def vote(k: int, i: int, j: int) -> float:
            far_j = (abs(x[k] - x[j]) / span) ** r[k]
            far_i = (abs(x[k] - x[i]) / span) ** r[k]
            return w[k] * (far_j - far_i)

        total = sum(abs(vote(k, i, j)) for k in range(n) for i in range(n) for j in range(n))
        return [
            [
                sum(max(0.0, vote(k, i, j)) for k in range(n)) / total if total > 0 else 0.0
                for j in range(n)
            ]
            for i in range(n)
        ]

    def eu(i: int, j: int, r: float, p: list[list[float]]) -> float:
        """i's expected utility of challenging j, with risk exponent r."""
        if i == j:
            return 0.0
        d = abs(x[i] - x[j]) / span
        us = 2 - 4 * (0.5 - 0.5 * d) ** r
        uf = 2 - 4 * (0.5 + 0.5 * d) ** r
        usq = 2 - 4 * 0.5**r
        return s[j] * (p[i][j] * us + (1 - p[i][j]) * uf) + (1 - s[j]) * us - usq

    p1 = probabilities([1.0] * n)
    security = [sum(eu(j, i, 1.0, p1) for j in range(n) if j != i) for i in range(n)]
    top, bottom = max(security), min(security)
    risk = []
    for i in range(n):
        accept = (2 * security[i] - top - bottom) / (top - bottom) if top > bottom else 0.0
        risk.append((1 - accept / 3) / (1 + accept / 3))
    p2 = probabilities(risk)

    new = list(x)
    for i in range(n):
        conflicts, compromises, capitulations = [], [], []
        for j in range(n):
            if x[i] == x[j]:
                continue
            a, b = eu(i, j, risk[i], p2), eu(j, i, risk[i], p2)
            if b > a > 0:
                conflicts.append((j, x[j]))
            elif a < 0 < b and b > -a:
                # ranked by the proposer's expected utility b, highest first, then least move
                reach = min(max(x[i] + (x[j] - x[i]) * abs(a / b), lo[i]), hi[i])
                compromises.append((-b, abs(reach - x[i]), reach))
            elif a < 0 < b and b < -a:
                capitulations.append((j, x[j]))
        if conflicts:
            new[i] = _least_move(x[i], conflicts, lo[i], hi[i])
        elif compromises:
            new[i] = min(compromises, key=lambda offer: offer[:2])[2]
        elif capitulations:
            new[i] = _least_move(x[i], capitulations, lo[i], hi[i])
    return new


def _least_move(at: float, offers: list[tuple[int, float]], lo: float, hi: float) -> float:
    """The clipped offer nearest `at`; the first such in actor order on a tie."""
    return min((min(max(v, lo), hi) for _, v in offers), key=lambda v: abs(v - at))


def main() -> None:
    from timing import interleaved  # beside this script; tests import the module alone

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()
    # beside this script; imported here so the tests can load naive_round from a file path
    from deu3_data import load_issues

    issues = load_issues()
    data = [(i.x, i.council, i.s / 100.0) for i in issues]
    actors = sum(len(i.x) for i in issues)
    res = interleaved(
        args.repeat,
        {
            "per issue": lambda: [run_eum(x, c, s, args.rounds) for x, c, s in data],
            "stacked": lambda: run_eum_many(data, args.rounds),
        },
    )
    (t_one, one), (t_many, many) = res["per issue"], res["stacked"]
    if not all(np.array_equal(a.positions, b.positions) for a, b in zip(one, many, strict=True)):
        sys.exit("MISMATCH: run_eum_many and run_eum per issue differ")
    print(f"1. DEU III: {len(issues)} issues, {actors} actor-issue pairs, {args.rounds} rounds")
    print(f"   (median of {args.repeat}, one interleaved run)")
    for name, t in (("run_eum one issue at a time (baseline)", t_one), ("run_eum_many", t_many)):
        print(f"  {name:<44}{t:>9.3f} s{actors * args.rounds / t:>14,.0f} actor-rounds/s")
    print(f"  run_eum_many is {t_one / t_many:.1f}x faster than numpy one issue at a time")
    print("  positions agree on every issue and round\n")

    from model.negotiation.model import NegotiationModel
    from model.scenario.loader import load_scenario
    from model.sweep import draw
    from model.sweep.dynamics import chunk_size, negotiate_draws

    emissions = load_scenario(EMISSIONS)
    n = args.draws
    d = draw(emissions, n, np.random.default_rng(1))
    size = chunk_size(emissions)
    NegotiationModel(emissions, seed=1).run()  # warm up: Mesa loads on first use
    res = interleaved(
        args.repeat,
        {
            "mesa": lambda: NegotiationModel(emissions, seed=1).run(),
            "per draw": lambda: [
                negotiate_draws(emissions, d.take(slice(k, k + 1))) for k in range(n)
            ],
            "draws axis": lambda: [
                negotiate_draws(emissions, d.take(slice(k, k + size))) for k in range(0, n, size)
            ],
        },
    )
    per_draw = np.concatenate([f.positions for f in res["per draw"][1]])
    stacked = np.concatenate([f.positions for f in res["draws axis"][1]])
    if not np.array_equal(per_draw, stacked, equal_nan=True):
        sys.exit("MISMATCH: the draws axis and one draw at a time differ")
    a_n, rounds = len(emissions.actors), emissions.model.rounds
    per = {k: v[0] / (1 if k == "mesa" else n) for k, v in res.items()}
    print(f"2. EC emissions case ({a_n} actors, {rounds} rounds at most), {n} draws, per draw")
    rows = (
        ("Mesa model, the scenario as written", per["mesa"]),
        ("numpy one draw at a time (baseline)", per["per draw"]),
        (f"numpy with a draws axis, chunks of {size}", per["draws axis"]),
    )
    for name, t in rows:
        print(f"  {name:<44}{t * 1000:>9.3f} ms{1 / t:>14,.0f} draws/s")
    print(
        f"  the draws axis is {per['per draw'] / per['draws axis']:.1f}x faster than numpy one"
        " draw at a time"
    )
    print(f"  and {per['mesa'] / per['draws axis']:.0f}x faster than the Mesa model per run")
    print("  positions agree on every draw\n")

    lists = [(list(map(float, x)), list(c), list(s), float(np.ptp(x)) or 1.0) for x, c, s in data]
    res = interleaved(
        1,
        {
            "naive": lambda: [naive_round(*args_) for args_ in lists],
            "per issue": lambda: [eum_round(x, c, s) for x, c, s in data],
        },
    )
    t_naive, t_round = res["naive"][0], res["per issue"][0]
    print("3. For the record (not a baseline): one round on every DEU III issue")
    print(f"  naive per-pair Python loop {t_naive:.3f} s; eum_round per issue {t_round:.3f} s")
    print(
        f"  eum_round one issue at a time is {t_naive / t_round:.0f}x faster than the Python loop"
    )


if __name__ == "__main__":
    main()
