"""The maths of utilities, red lines and verdicts, on values worked out by hand."""

import pytest

from model.evaluation.reasons import rejection_reason
from model.evaluation.space import package_space
from model.evaluation.verdicts import closeness, evaluate, impacts, utility, weights


def test_option_values_are_spread_evenly(tiny):
    assert [o.value for o in tiny.issues["membership"].options] == [0.0, 50.0, 100.0]
    assert tiny.issues["army"].status_quo == 1000.0


def test_weights_are_salience_shares(tiny):
    east = tiny.actors["east"]
    assert weights(east) == pytest.approx({"membership": 90 / 140, "army": 50 / 140})


def test_utility_by_hand(tiny):
    east = tiny.actors["east"]
    # membership 'paused' (50) vs ideal 100 -> closeness 0.5; army 600 vs ideal 100 over a
    # 1000 span -> closeness 0.5
    package = {"membership": 50.0, "army": 600.0}
    assert closeness(tiny.issues["army"], 600.0, 100.0) == pytest.approx(0.5)
    assert utility(east, tiny.issues, package) == pytest.approx(0.5)
    west = tiny.actors["west"]
    expected = (60 * 0.5 + 80 * 0.6) / 140
    assert utility(west, tiny.issues, package) == pytest.approx(expected)


def test_verdicts_and_reasons(tiny):
    deal = evaluate(tiny, tiny.proposals["deal"])
    assert deal["east"].accepts
    assert deal["east"].reservation == pytest.approx((90 * 0 + 50 * 0.1) / 140)
    # West keeps its red lines but is worse off than with no deal (its ideal is the status quo)
    assert not deal["west"].accepts and deal["west"].violations == ()
    u, r = deal["west"].utility, deal["west"].reservation
    assert rejection_reason(tiny, deal["west"]) == f"worse than no deal ({u:.2f} < {r:.2f})"
    assert rejection_reason(tiny, deal["east"]) == ""
    sq = evaluate(tiny, tiny.proposals["status-quo"])
    assert not sq["east"].accepts
    assert [v.issue for v in sq["east"].violations] == ["membership"]
    assert sq["east"].violations[0].red_line.text == "at least 'Paused'"
    assert rejection_reason(tiny, sq["east"]) == "red line: NATO membership"
    assert rejection_reason(tiny, sq["east"], values=True) == (
        "red line crossed on NATO membership = “Path open”"
    )


def test_red_line_kinds(tiny):
    east_rl = tiny.actors["east"].stakes["membership"].red_line
    assert east_rl.crossed_by(0.0) and not east_rl.crossed_by(50.0)
    west = tiny.actors["west"].stakes
    assert west["membership"].red_line.crossed_by(100.0)
    assert not west["membership"].red_line.crossed_by(50.0)
    assert west["army"].red_line.crossed_by(499.0) and not west["army"].red_line.crossed_by(500)
    # negotiating room: West may move from 'open' up to 'paused' but never to the ban
    assert west["membership"].red_line.feasible_interval(tiny.issues["membership"], 0.0) == (
        0.0,
        50.0,
    )


def test_impacts_classify_each_provision(tiny):
    rows = impacts(tiny, tiny.proposals["deal"])
    assert rows["membership"]["east"].status == "below_ideal"
    assert rows["membership"]["west"].status == "below_ideal"
    assert rows["membership"]["east"].versus_status_quo == pytest.approx(0.5)
    assert rows["army"]["west"].closeness == pytest.approx(0.6)


def test_package_space_matches_direct_evaluation(tiny):
    space = package_space(tiny)
    assert space.issue_ids == ("membership", "army")
    # the numeric grid holds every proposal value, ideal and bound
    assert {600.0, 500.0, 100.0, 1000.0} <= set(space.values[1].tolist())
    j_mem, j_army = 1, list(space.values[1]).index(600.0)
    for a, actor in enumerate(space.actor_ids):
        u = space.gain[0][a, j_mem] + space.gain[1][a, j_army]
        direct = utility(tiny.actors[actor], tiny.issues, {"membership": 50.0, "army": 600.0})
        assert u == pytest.approx(direct)
    assert not space.allowed[0][1, 2]  # West rejects the ban
    assert space.reservation == pytest.approx([5 / 140, 1.0])
