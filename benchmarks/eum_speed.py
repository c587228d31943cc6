"""Speed of the vectorised EUM on DEU III against a naive loop over actor pairs.

    python benchmarks/eum_speed.py [--rounds 10] [--repeat 3]

Prints actor-rounds per second of model.eum on every scoreable DEU III issue and of the Mesa
model on the EC car-emissions case (the model shares each round's offer matrices, every agent
chooses its own move from its row; the time includes the data collector's three forecasts per
round), and the speed-up of one round over `naive_round` below, a plain-Python transcription
of the same equations that loops over every pair (and voter x pair triple). Ratios, not
absolute times, are the result: both sides run on the same machine and data. The naive version
lives only here; the tests use it as an independent check of the vectorised code.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from model.negotiation.rules.eum import eum_round, run_eum_many

EMISSIONS = Path(__file__).resolve().parent.parent / "scenarios/validation/bdm1994-emissions.yaml"


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
    from timing import best_of  # beside this script; tests import the module alone

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    # beside this script; imported here so the tests can load naive_round from a file path
    from deu3_data import load_issues

    issues = load_issues()
    data = [(i.x, i.council, i.s / 100.0) for i in issues]
    actors = sum(len(i.x) for i in issues)
    lists = [(list(map(float, x)), list(c), list(s), float(np.ptp(x)) or 1.0) for x, c, s in data]

    t_many = best_of(args.repeat, lambda: run_eum_many(data, args.rounds))[0]
    t_batch1 = best_of(args.repeat, lambda: run_eum_many(data, 1))[0]
    t_loop1 = best_of(args.repeat, lambda: [eum_round(x, c, s) for x, c, s in data])[0]
    t_naive1 = best_of(1, lambda: [naive_round(*args_) for args_ in lists])[0]

    from model.negotiation.model import NegotiationModel
    from model.scenario.loader import load_scenario

    emissions = load_scenario(EMISSIONS)
    t_mesa = best_of(args.repeat, lambda: NegotiationModel(emissions, seed=1).run())[0]

    rate = actors * args.rounds / t_many
    mesa_rate = len(emissions.actors) * emissions.model.rounds / t_mesa
    print(f"DEU III: {len(issues)} issues, {actors} actor-issue pairs, {args.rounds} rounds")
    print(f"run_eum_many (issues stacked by actor count): {rate:,.0f} actor-rounds/s")
    print(f"Mesa model, EC case (10 agents x 10 rounds):  {mesa_rate:,.0f} actor-rounds/s")
    print("one round on every issue, speed-up over the naive per-pair Python loop:")
    print(f"  eum_round, one issue at a time:   {t_naive1 / t_loop1:6.0f}x")
    print(f"  run_eum_many, issues stacked:      {t_naive1 / t_batch1:6.0f}x")
    print(f"  stacked vs one issue at a time:    {t_loop1 / t_batch1:6.1f}x")


if __name__ == "__main__":
    main()
