"""`sim explain`: the parts add up to the utility that decides the verdict."""

import pytest
from click.testing import CliRunner

from model.cli import main
from model.evaluation.explain import explain
from model.evaluation.verdicts import evaluate


def test_parts_add_up(tiny):
    for pid, proposal in tiny.proposals.items():
        verdicts = evaluate(tiny, proposal)
        for aid in tiny.actors:
            ex = explain(tiny, aid, proposal)
            assert sum(t.contribution for t in ex.terms) == pytest.approx(verdicts[aid].utility)
            assert sum(t.status_quo_contribution for t in ex.terms) == pytest.approx(
                verdicts[aid].reservation
            )
            assert ex.verdict == verdicts[aid], (pid, aid)


def test_explain_cli(tiny_path):
    r = CliRunner().invoke(
        main, ["explain", str(tiny_path), "--actor", "west", "--proposal", "deal"]
    )
    assert r.exit_code == 0
    assert "Army cap                    600 thousand troops" in r.output
    assert (
        "0.557" in r.output
        and "Verdict: West REJECTS: worse than no deal (0.557 < 1.000)." in r.output
    )
    r = CliRunner().invoke(main, ["explain", str(tiny_path), "--actor", "wst"])
    assert r.exit_code == 2 and "unknown actor 'wst' (did you mean 'west'?)" in r.stderr
