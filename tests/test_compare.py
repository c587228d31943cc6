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
    assert east.flipped and east.why == "now crosses its red line on NATO membership"
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


def test_28_point_against_geneva():
    """What a reader of the public record expects: the 600,000 cap and the amnesty are gone."""
    root = Path(__file__).resolve().parent.parent / "scenarios"
    a, b = load_scenario(root / "28-point.yaml"), load_scenario(root / "geneva-19-point.yaml")
    from model.compare import pairs

    ((pa, pb),) = pairs(a, b)
    assert (pa.id, pb.id) == ("us-28-point", "geneva-19-point")
    c = compare(a, pa, b, pb)
    changes = {p.issue: (p.before, p.after) for p in c.provisions}
    assert changes["army_cap"] == ("600 thousand troops", "No cap")
    assert changes["amnesty"][0].startswith("Full amnesty")
    assert changes["amnesty"][1].startswith("No amnesty")
    assert "nato_posture_post1997" not in changes  # same value, merely left open
    ukraine = next(v for v in c.verdicts if v.actor == "ukraine")
    assert ukraine.flipped and "Cap on Ukraine's peacetime armed forces" in ukraine.why
