"""The DEU III backtest reproduces the known mean absolute errors."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from model.negotiation.forecasts import compromise
from model.negotiation.rules.eum import run_eum_many

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def deu3():
    spec = importlib.util.spec_from_file_location("deu3_data", ROOT / "benchmarks" / "deu3_data.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def issues(deu3):
    return deu3.load_issues()


def test_scoreable_issues(issues):
    assert len(issues) == 351
    assert all(len(i.x) >= 3 for i in issues)
    assert all(np.all((i.x >= 0) & (i.x <= 100)) and 0 <= i.outcome <= 100 for i in issues)


def test_compromise_equal_capabilities(deu3, issues):
    forecast = [compromise(i.x, np.ones_like(i.x), i.s) for i in issues]
    assert round(deu3.mae(forecast, [i.outcome for i in issues]), 4) == 23.6411


def test_compromise_council_weights(deu3, issues):
    forecast = [compromise(i.x, i.council, i.s) for i in issues]
    assert round(deu3.mae(forecast, [i.outcome for i in issues]), 4) == 22.9923


def test_unweighted_median(deu3, issues):
    forecast = [np.median(i.x) for i in issues]
    assert round(deu3.mae(forecast, [i.outcome for i in issues]), 4) == 28.3689


def test_eum_after_ten_rounds(deu3, issues):
    """The EUM (Council weights x salience) on all 351 issues: the numbers in the README."""
    runs = run_eum_many([(i.x, i.council, i.s / 100.0) for i in issues], rounds=10)
    outcome = [i.outcome for i in issues]
    assert deu3.mae([r.median[-1] for r in runs], outcome) == pytest.approx(30.3695, abs=1e-4)
    # The EUM's ten rounds amplify the last-ulp differences of numpy's vectorised kernels: on a
    # CPU with AVX-512 the mean's MAE is 25.9451, without it 25.9421 (both seen on this project's
    # CI machines; NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL" reproduces the second).
    assert deu3.mae([r.mean[-1] for r in runs], outcome) == pytest.approx(25.9436, abs=2e-3)
    # no better than the compromise model with the same weights (22.9923)
    assert deu3.mae([r.mean[0] for r in runs], outcome) == pytest.approx(22.9923, abs=1e-4)


def test_year_and_regime_rules(deu3):
    assert deu3.final_act_year("26-01-00", "") == 2000
    assert deu3.final_act_year("1930-05-01", "26-01-00") == 2001  # misread dd-mm-yy
    assert deu3.final_act_year("", "10-11-99") == 1999
    assert deu3.final_act_year("999", "10-11-99") == 2007  # not a date, and not empty
    assert deu3.final_act_year("", "") == 2007
    assert [deu3.regime(y) for y in (2004, 2005, 2014, 2015)] == [
        "pre_nice_votes",
        "nice_votes",
        "nice_votes",
        "lisbon_population_millions",
    ]


def test_institutions_take_largest_state_and_missing_states_smallest(deu3):
    weights = {"de": 10.0, "lu": 2.0, "fr": 10.0, "nl": 5.0}
    council = deu3._council(("com", "ep", "nl", "cz"), weights)
    np.testing.assert_array_equal(council, [5.0, 5.0, 5.0, 2.0])
