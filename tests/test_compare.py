"""`sim compare`: provisions that differ, verdicts that flip and why."""

from pathlib import Path

from click.testing import CliRunner

from model.cli import main
from model.compare import compare
from model.loader import load_scenario


def test_flip_names_the_red_line(tiny):
    c = compare(tiny, tiny.proposals["deal"], tiny, tiny.proposals["status-quo"])
    assert [(p.issue, p.before, p.after) for p in c.provisions] == [
        ("membership", "Paused", "Path open (status quo: not addressed)"),
        ("army", "600 thousand troops", "1000 thousand troops (status quo: not addressed)"),
    ]
    east, west = c.verdicts
    assert east.flipped and east.why == "now crosses its red line on membership"
    assert west.flipped and west.why.startswith("utility 0.56 -> 1.00, now at least no deal")


def test_what_if_file_compares_shared_proposals(tiny_path, tmp_path):
    variant = tmp_path / "variant.yaml"
    variant.write_text(
        f"extends: {tiny_path}\nproposals:\n  deal:\n    provisions:\n      army: 800\n"
    )
    assert load_scenario(variant).proposals["deal"].provisions["army"].value == 800
    out = tmp_path / "cmp"
    r = CliRunner().invoke(main, ["compare", str(tiny_path), str(variant), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "Army cap: 600 thousand troops  ->  800 thousand troops" in r.output
    assert "No deal" not in r.output  # unchanged proposals are left out
    assert sorted(p.name for p in Path(out).iterdir()) == ["compare.md", "compare.png"]
