"""DEU III issues in the form the forecasts take, by the scoring rules in data/deu3/README.md.

An issue is scoreable when its outcome is in [0, 100] and at least 3 actors have both a position
and a salience in [0, 100]; only those actors count for it. Capability is the Council voting
weight of the regime in force in the year of the final act (pre-Nice <= 2004, Nice <= 2014,
Lisbon after); the Commission and Parliament take the largest value among the issue's
participating member states; a participating state missing from the regime's table takes the
table's smallest value.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data" / "deu3"
INSTITUTIONS = ("com", "ep")
REGIMES = ("pre_nice_votes", "nice_votes", "lisbon_population_millions")
# a date as the file stores it: dd-mm-yy, or yyyy-mm-dd after a spreadsheet misread dd-mm-yy;
# either way the year is the last two digits. Anything else (999, blank) does not parse.
_DATE = re.compile(r"^\d{2}(?:\d{2})?-\d{2}-(\d{2})$")
FALLBACK_YEAR = 2007


@dataclass(frozen=True)
class Issue:
    """One scoreable issue: the counting actors' data, in the file's 0-100 units."""

    id: str
    year: int
    actors: tuple[str, ...]
    x: np.ndarray
    s: np.ndarray
    council: np.ndarray
    status_quo: float | None
    outcome: float


def _value(text: str | None) -> float | None:
    """A number in [0, 100], else None (999 and blank are the file's missing codes)."""
    try:
        v = float(text or "")
    except ValueError:
        return None
    return v if 0.0 <= v <= 100.0 else None


def final_act_year(finact: str, intro: str) -> int:
    """Year of the final act; the introduction date only when the final-act field is empty."""
    field = finact.strip() or intro.strip()
    m = _DATE.match(field)
    if m is None:
        return FALLBACK_YEAR
    yy = int(m.group(1))
    return 1900 + yy if yy >= 90 else 2000 + yy


def regime(year: int) -> str:
    """The council-weights column in force in that year."""
    return REGIMES[0] if year <= 2004 else REGIMES[1] if year <= 2014 else REGIMES[2]


def load_weights(path: Path = DATA / "council-weights.csv") -> dict[str, dict[str, float]]:
    """{regime column: {member state: weight}}, leaving out states absent from a regime."""
    table: dict[str, dict[str, float]] = {col: {} for col in REGIMES}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            for col in REGIMES:
                if row[col].strip():
                    table[col][row["actor"]] = float(row[col])
    return table


def actor_codes(header: list[str]) -> tuple[str, ...]:
    """Actors that have both a p<code> and an s<code> column, in file order."""
    cols = set(header)
    return tuple(h[1:] for h in header if h.startswith("p") and "s" + h[1:] in cols)


def _council(actors: tuple[str, ...], weights: dict[str, float]) -> np.ndarray:
    smallest = min(weights.values())
    states = [weights.get(a, smallest) for a in actors if a not in INSTITUTIONS]
    largest = max(states) if states else max(weights.values())
    return np.array([largest if a in INSTITUTIONS else weights.get(a, smallest) for a in actors])


def load_issues(
    tsv: Path = DATA / "deu3.tsv", weights_csv: Path = DATA / "council-weights.csv"
) -> list[Issue]:
    """All scoreable issues in file order. Rows without an issue number (the added GDP row)
    are skipped."""
    weights = load_weights(weights_csv)
    issues = []
    with open(tsv, newline="") as f:
        reader = csv.DictReader(f, delimiter="\t")
        codes = actor_codes(list(reader.fieldnames or []))
        for row in reader:
            outcome = _value(row["out"])
            if not row["isnr"].strip() or outcome is None:
                continue
            data = [(a, _value(row["p" + a]), _value(row["s" + a])) for a in codes]
            data = [(a, p, s) for a, p, s in data if p is not None and s is not None]
            if len(data) < 3:
                continue
            actors = tuple(a for a, _, _ in data)
            year = final_act_year(row["finact"], row["intro"])
            issues.append(
                Issue(
                    id=row["isnr"],
                    year=year,
                    actors=actors,
                    x=np.array([p for _, p, _ in data]),
                    s=np.array([s for _, _, s in data]),
                    council=_council(actors, weights[regime(year)]),
                    status_quo=_value(row["rp"]),
                    outcome=outcome,
                )
            )
    return issues


def mae(forecast: np.ndarray, outcome: np.ndarray) -> float:
    """Mean absolute error."""
    return float(np.mean(np.abs(np.asarray(forecast) - np.asarray(outcome))))
