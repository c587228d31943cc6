"""Backtest the forecasts on DEU III: mean absolute error against the recorded outcomes.

    python benchmarks/deu3.py [--rounds 10]

Every forecast runs on the 351 scoreable issues (rules in data/deu3/README.md); the Nash
bargaining solution needs a status quo, so it runs on the issues that record one (rp). Variants
with a free parameter are tuned on final acts up to 2012 and reported on the later ones.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from deu3_data import Issue, load_issues, mae

from model.negotiation.forecasts import compromise, nash_bargaining, weighted_median
from model.negotiation.rules.eum import run_eum_many

TUNE_UNTIL = 2012
Forecast = Callable[[Issue], float]


@dataclass(frozen=True)
class Row:
    name: str
    forecast: np.ndarray  # one per issue, nan where the model does not apply


def _apply(issues: Sequence[Issue], f: Forecast) -> np.ndarray:
    return np.array([f(i) for i in issues])


def _scores(row: Row, outcome: np.ndarray, masks: Sequence[np.ndarray]) -> list[str]:
    cells = []
    for mask in masks:
        use = mask & ~np.isnan(row.forecast)
        cells.append(f"{mae(row.forecast[use], outcome[use]):8.4f} ({use.sum():3d})")
    return cells


def _tune(
    outcome: np.ndarray,
    tune: np.ndarray,
    candidates: dict[str, np.ndarray],
) -> tuple[str, np.ndarray]:
    """The candidate with the lowest error on the tuning issues."""
    best = min(candidates, key=lambda k: mae(candidates[k][tune], outcome[tune]))
    return best, candidates[best]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="EUM rounds (default 10)")
    args = parser.parse_args()

    issues = load_issues()
    outcome = np.array([i.outcome for i in issues])
    tune = np.array([i.year <= TUNE_UNTIL for i in issues])
    every = np.ones(len(issues), dtype=bool)
    masks = [every, tune, ~tune]
    sq = np.array([np.nan if i.status_quo is None else i.status_quo for i in issues])

    runs = run_eum_many([(i.x, i.council, i.s / 100.0) for i in issues], args.rounds)
    eum_median = np.array([r.median for r in runs])  # (issues, rounds + 1)
    eum_mean = np.array([r.mean for r in runs])
    council = _apply(issues, lambda i: compromise(i.x, i.council, i.s))

    rows = [
        Row(
            "compromise, equal capabilities",
            _apply(issues, lambda i: compromise(i.x, np.ones_like(i.x), i.s)),
        ),
        Row("compromise, Council weights", council),
        Row("median actor position (unweighted)", _apply(issues, lambda i: np.median(i.x))),
        Row(
            "weighted median (Council x salience)",
            _apply(issues, lambda i: weighted_median(i.x, i.council, i.s)),
        ),
        Row(
            "Nash bargaining, d = rp (Council x salience)",
            _apply(
                issues,
                lambda i: (
                    np.nan
                    if i.status_quo is None
                    else nash_bargaining(i.x, i.council, i.s, i.status_quo)
                ),
            ),
        ),
        Row("  status quo rp itself, same issues", sq),
        Row("  compromise (Council), same issues", np.where(np.isnan(sq), np.nan, council)),
        Row(f"EUM (Council), median after {args.rounds} rounds", eum_median[:, -1]),
        Row(f"EUM (Council), mean after {args.rounds} rounds", eum_mean[:, -1]),
    ]

    n_tune, n_report = int(tune.sum()), int((~tune).sum())
    print(f"DEU III (Arregui & Perarnaud 2021, doi:10.34810/data53): {len(issues)} issues")
    print("Mean absolute error on the 0-100 scale (issues counted in brackets); tune = final")
    print(f"act <= {TUNE_UNTIL} ({n_tune} issues), report = after {TUNE_UNTIL} ({n_report}).\n")
    header = f"{'forecast':48s}{'all':>15s}{'tune':>15s}{'report':>15s}"
    print(header)
    print("-" * len(header))
    for row in rows:
        print(f"{row.name:48s}" + "".join(f"{c:>15s}" for c in _scores(row, outcome, masks)))

    # Variants with a free parameter: choose it on the tuning issues only.
    eum_candidates = {
        f"EUM {stat} after {t} rounds": table[:, t]
        for stat, table in (("median", eum_median), ("mean", eum_mean))
        for t in range(1, args.rounds + 1)
    }
    alpha_candidates = {
        f"compromise, weights c * s^{a:g}": _apply(
            issues, lambda i, a=a: compromise(i.x, i.council, i.s**a)
        )
        for a in np.arange(0.0, 4.01, 0.25)
    }
    pulled = np.where(np.isnan(sq), council, sq)
    pull_candidates = {
        f"compromise pulled {lam:.0%} towards rp": (1 - lam) * council + lam * pulled
        for lam in np.arange(0.0, 0.501, 0.05)
    }
    print(f"\nVariants tuned on final acts <= {TUNE_UNTIL}, scored on later ones:")
    print(header)
    print("-" * len(header))
    baseline = mae(council[~tune], outcome[~tune])
    winners = []
    for candidates in (eum_candidates, alpha_candidates, pull_candidates):
        name, forecast = _tune(outcome, tune, candidates)
        row = Row(name, forecast)
        print(f"{row.name:48s}" + "".join(f"{c:>15s}" for c in _scores(row, outcome, masks)))
        if mae(forecast[~tune], outcome[~tune]) < baseline:
            winners.append(name)
    print(
        f"{'compromise, Council weights (baseline)':48s}"
        + "".join(f"{c:>15s}" for c in _scores(Row("", council), outcome, masks))
    )

    if winners:
        verdict = (
            "Out of sample, these beat the compromise model (Council weights): "
            + "; ".join(winners)
            + f". The report set is only {n_report} issues: treat a small margin as noise."
        )
    else:
        verdict = (
            "No variant beats the compromise model (Council weights) out of sample: on this"
            " data the c * s weighted mean remains the forecast to beat."
        )
    print("\n" + textwrap.fill(verdict, width=len(header)))


if __name__ == "__main__":
    main()
