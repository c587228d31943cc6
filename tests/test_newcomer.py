"""What a newcomer trips on: every reason shown, labels not ids, all problems at once, an edited
proposal named as such, the status quo's verdict explained, and small inconsistencies."""

from pathlib import Path

from click.testing import CliRunner

from model.cli import main

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "data" / "tiny.yaml"
BAN = """
  ban:
    label: A ban
    provisions:
      membership: banned
      army: 600
"""


def sim(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def with_ban(tmp_path: Path) -> Path:
    """tiny.yaml plus a text that crosses West's red line AND is worse for it than no deal."""
    text = TINY.read_text(encoding="utf-8").replace("proposals:\n", "proposals:" + BAN, 1)
    path = tmp_path / "ban.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_reason_in_the_terminal_and_the_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = sim("run", str(with_ban(tmp_path)), "--out", str(out), "--no-charts", "--seed", "5")
    assert r.exit_code == 0, r.output
    # a label, not the option id `banned`; and the comparison with no deal as well
    assert (
        "  A ban / West: red line crossed on NATO membership = “Banned”; "
        "and worse than no deal (0.34 < 1.00)"
    ) in r.output
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "red line: NATO membership; and worse than no deal (0.34 < 1.00)" in report


def test_every_reason_in_explain(tmp_path: Path) -> None:
    path = with_ban(tmp_path)
    r = sim("explain", str(path), "--actor", "west", "--proposal", "ban")
    assert r.exit_code == 0, r.output
    assert (
        "Verdict: West REJECTS: red line: NATO membership; and worse than no deal (0.343 < 1.000)."
    ) in r.output
    r = sim(
        "explain",
        str(ROOT / "scenarios" / "28-point.yaml"),
        "--actor",
        "ukraine",
        "--proposal",
        "us-28-point",
    )
    assert (
        "Verdict: Ukraine REJECTS: red line: Ukraine's NATO membership; Donetsk and Luhansk; "
        "and worse than no deal (0.415 < 0.623)."
    ) in r.output


def test_every_reason_in_the_chart_cell(tmp_path: Path) -> None:
    from model.evaluation.reasons import fitted_reason
    from model.outputs.charts.style import short
    from model.pipeline import run
    from model.scenario.loader import load_scenario

    results = run(load_scenario(with_ban(tmp_path)))
    v = results.verdicts["ban"]["west"]
    assert fitted_reason(results.scenario, v, 40, 4, short).replace("\n", " ") == (
        "red line: NATO membership; and worse than no deal (0.34 < 1.00)"
    )


def test_every_reason_in_compare(tmp_path: Path) -> None:
    path = with_ban(tmp_path)
    r = sim("compare", f"{path}:deal", f"{path}:ban", "--out", str(tmp_path / "c"))
    assert r.exit_code == 0, r.output
    assert (
        "  West: rejects -> rejects, utility 0.56 -> 0.34 (-0.21) (now crosses its red line on "
        "NATO membership; still worse than no deal (0.34 < 1.00))"
    ) in r.output
    md = (tmp_path / "c" / "compare.md").read_text(encoding="utf-8")
    assert "now crosses its red line on NATO membership; still worse than no deal" in md


def test_an_edited_proposal_is_named_as_modified(tmp_path: Path) -> None:
    plan = tmp_path / "my-plan.yaml"
    plan.write_text(
        f"extends: {ROOT / 'scenarios' / '28-point.yaml'}\n"
        "title: My plan\n"
        "proposals:\n  us-28-point:\n    provisions:\n      army_cap: 800\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    r = sim("run", str(plan), "--out", str(out), "--no-charts")
    assert r.exit_code == 0, r.output
    label = "US 28-point plan (reported, Nov 2025) (modified in my-plan.yaml)"
    assert (
        "\nUS 28-point pla... (modified in my-plan.yaml) accepts 0.63    REJECTS 0.43" in r.output
    )
    assert f"  {label} / Ukraine: red line crossed on" in r.output
    assert f"### {label}" in (out / "report.md").read_text(encoding="utf-8")
    r = sim("explain", str(plan), "--actor", "ukraine", "--proposal", "us-28-point")
    assert r.output.startswith(f"Ukraine on {label}\n")
    # the file that defines the text names it as it is
    r = sim("run", str(ROOT / "scenarios" / "28-point.yaml"), "--out", str(out), "--no-charts")
    assert "modified in" not in r.output
