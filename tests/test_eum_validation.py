"""`sim run` on the EC car-emissions case with `dynamics: eum` reproduces the published numbers.

This goes through the whole product (scenario file, Mesa agents, data collector, results), not
just model/eum.py, which tests/test_eum.py checks on its own.
"""

import csv
from pathlib import Path

import pytest

from model.api import run
from model.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "bdm1994"


@pytest.fixture(scope="module")
def history():
    results = run(load_scenario(ROOT / "scenarios" / "validation" / "bdm1994-emissions.yaml"))
    return results.history


def _rows(name):
    with open(DATA / name, newline="") as f:
        return list(csv.DictReader(f))


def test_round_zero_exact(history):
    assert history[0].mean["deadline"] == pytest.approx(7.389955686853767, abs=1e-12)
    assert history[0].median["deadline"] == 7.0


def test_published_medians_and_means(history):
    for row in _rows("scholz2011_table2_published.csv"):
        n = int(row["round"])
        if not 1 <= n <= 8:
            continue
        assert history[n].mean["deadline"] == pytest.approx(float(row["mean_published"]), abs=0.1)
        # round 2: the published 9.9 is matched no closer than the open reference run (9.61)
        tol = 0.3 if n == 2 else 0.1
        assert history[n].median["deadline"] == pytest.approx(
            float(row["median_published"]), abs=tol
        )


def test_every_position_matches_the_reference_run(history):
    for row in _rows("jmckib_reference_run_10rounds.csv"):
        n = int(row["round"])
        for actor in ("Netherlands", "Belgium", "Luxembourg", "Ireland", "UK", "Greece"):
            got = history[n].positions["deadline"][actor.lower()]
            assert got == pytest.approx(float(row[actor]), abs=1e-9), (n, actor)
