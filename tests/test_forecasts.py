"""Compromise, weighted median and Nash bargaining forecasts."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.negotiation.forecasts import compromise, nash_bargaining, weighted_median

DATA = Path(__file__).resolve().parent / "data" / "bdm1994"


@pytest.fixture(scope="module")
def ec() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    with open(DATA / "actors.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    return (
        np.array([float(r["position"]) for r in rows]),
        np.array([float(r["capability"]) for r in rows]),
        np.array([float(r["salience"]) for r in rows]),
    )


def test_ec_compromise_and_median(ec):
    x, c, s = ec
    assert compromise(x, c, s / 100) == 7.389955686853767  # the published number, exactly
    assert compromise(x, c, s) == pytest.approx(7.389955686853767, abs=1e-12)
    assert weighted_median(x, c, s) == 7.0
    # saliences on 0-1 give the same forecasts
    assert compromise(x, c, s / 100) == pytest.approx(compromise(x, c, s), abs=1e-12)
    assert weighted_median(x, c, s / 100) == 7.0


def test_median_tie_takes_lower_and_stacks():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    assert weighted_median(x, np.ones(4), np.ones(4)) == 2.0
    # 0.1 + 0.2 is not 0.3 in floating point; still a tie
    assert weighted_median(np.array([0.0, 5.0, 9.0]), np.ones(3), np.array([0.1, 0.2, 0.3])) == 5.0
    stack = np.array([[1.0, 2.0, 3.0], [9.0, 0.0, 5.0]])
    np.testing.assert_array_equal(weighted_median(stack, np.ones((2, 3)), np.ones((2, 3))), [2, 5])
    np.testing.assert_allclose(compromise(stack, np.ones((2, 3)), np.ones((2, 3))), [2, 14 / 3])


def test_zero_weight_falls_back_to_equal_weights():
    x = np.array([0.0, 1.0, 5.0])
    assert compromise(x, np.ones(3), np.zeros(3)) == pytest.approx(2.0)
    assert weighted_median(x, np.zeros(3), np.ones(3)) == 1.0


def test_nbs_single_actor_gets_its_ideal():
    assert nash_bargaining(np.array([30.0]), np.ones(1), np.ones(1), 0.0) == pytest.approx(30.0)


def test_nbs_two_actors_solves_the_first_order_condition():
    x, w = np.array([40.0, 100.0]), np.array([2.0, 1.0])
    nbs = nash_bargaining(x, w, np.ones(2), status_quo=0.0)
    a = np.abs(0.0 - x)
    assert np.sum(w * (x - nbs) / (a**2 - (nbs - x) ** 2)) == pytest.approx(0.0, abs=1e-9)
    assert 40.0 < nbs < 80.0  # the Pareto set is (0, 80): the actor at 40 gains only there


def test_nbs_degenerate_cases_return_status_quo():
    sq = 50.0
    both_sides = nash_bargaining(np.array([20.0, 80.0]), np.ones(2), np.ones(2), sq)
    assert both_sides == sq
    someone_at_sq = nash_bargaining(np.array([50.0, 90.0]), np.ones(2), np.ones(2), sq)
    assert someone_at_sq == sq
    # an actor at the status quo that does not care does not block the deal
    indifferent = nash_bargaining(np.array([50.0, 90.0]), np.ones(2), np.array([0.0, 1.0]), sq)
    assert indifferent == pytest.approx(90.0)
    assert nash_bargaining(np.array([10.0]), np.ones(1), np.zeros(1), sq) == sq


def test_nbs_with_far_status_quo_tends_to_compromise(ec):
    x, c, s = ec
    assert nash_bargaining(x, c, s, status_quo=-1e6) == pytest.approx(compromise(x, c, s), abs=1e-4)


positions = st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=8)


@st.composite
def forecast_inputs(draw):
    x = np.array(draw(positions))
    n = len(x)
    unit = st.floats(0, 1, allow_nan=False)
    c = np.array(draw(st.lists(unit, min_size=n, max_size=n)))
    s = np.array(draw(st.lists(unit, min_size=n, max_size=n)))
    sq = draw(st.floats(-50, 150, allow_nan=False))
    return x, c, s, sq


@settings(max_examples=200, deadline=None)
@given(forecast_inputs())
def test_forecasts_lie_within_positions(inputs):
    x, c, s, sq = inputs
    tol = 1e-9
    assert x.min() - tol <= compromise(x, c, s) <= x.max() + tol
    med = weighted_median(x, c, s)
    assert med in x
    nbs = nash_bargaining(x, c, s, sq)
    assert min(x.min(), sq) - tol <= nbs <= max(x.max(), sq) + tol


@settings(max_examples=200, deadline=None)
@given(forecast_inputs())
def test_weighted_median_is_a_condorcet_winner(inputs):
    x, c, s, _ = inputs
    w = c * s if (c * s).sum() > 0 else np.ones_like(x)
    med = weighted_median(x, c, s)
    loss = lambda p: float(np.sum(w * np.abs(x - p)))  # noqa: E731
    # med beats or ties every other position in the weighted pairwise vote
    assert all(loss(med) <= loss(p) + 1e-9 * (1 + loss(p)) for p in x)


@settings(max_examples=200, deadline=None)
@given(forecast_inputs())
def test_nbs_is_pareto_improving_and_optimal(inputs):
    x, c, s, sq = inputs
    w = c * s
    nbs = nash_bargaining(x, c, s, sq)
    active = w > 0
    gains = (sq - x[active]) ** 2 - (nbs - x[active]) ** 2
    assert np.all(gains >= -1e-6)  # nobody who cares is worse off than at the status quo
    if nbs == sq or not active.any():
        return
    xa, wa = x[active], w[active]
    lo, hi = xa - np.abs(sq - xa), xa + np.abs(sq - xa)
    # factored gains: no cancellation when p sits within rounding of an end
    gain = lambda p: (hi - p) * (p - lo)  # noqa: E731
    assert np.all((lo < nbs) & (nbs < hi))  # strictly inside the Pareto set

    def value(p: float) -> float:
        # a gain that underflows to 0 (subnormal scales) has log -inf: a fact, not an error
        with np.errstate(divide="ignore"):
            return float(np.sum(wa * np.log(gain(p))))

    if not np.isfinite(value(nbs)):  # gains that underflow at subnormal scales
        return
    for p in np.linspace(nbs - 1e-3, nbs + 1e-3, 5):
        if np.all(gain(p) > 0):
            assert value(nbs) >= value(p) - 1e-9
