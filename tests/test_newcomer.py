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


def test_rejecting_no_deal_is_explained_where_it_first_appears(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = sim("run", str(TINY), "--out", str(out), "--no-charts")
    note = "when the status quo itself crosses its red lines: for it the war goes on."
    legend = r.output.split("Why rejected")[0]
    assert f"\nAn actor REJECTS no deal {note}\n" in legend
    summary = (out / "report.md").read_text(encoding="utf-8").split("## Summary")[1]
    assert f"An actor rejects no deal {note}" in summary.split("|")[0]


def test_validate_and_list_count_proposals_alike(tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(TINY.read_text(encoding="utf-8"), encoding="utf-8")
    broken = TINY.read_text(encoding="utf-8").replace("salience: 90", "salience: high", 1)
    (tmp_path / "broken.yaml").write_text(broken, encoding="utf-8")
    r = sim("validate", str(tmp_path / "tiny.yaml"))
    assert r.output == (
        f"{tmp_path / 'tiny.yaml'}: OK (2 issues, 2 actors, 1 proposal plus the status quo, "
        "0 seed quotes found)\n"
    )
    r = sim("list", str(tmp_path))
    assert r.output.splitlines()[:3] == [
        "file         proposals  valid      title",
        "broken.yaml             1 problem  Tiny two-issue test",  # its title, though invalid
        "tiny.yaml            1  ok         Tiny two-issue test",
    ]


def test_a_missing_file_offers_the_closest_name() -> None:
    r = CliRunner().invoke(main, ["run", "scenarios/28point.yaml"])
    assert r.exit_code == 2
    assert r.stderr.splitlines()[0] == (
        "scenarios/28point.yaml:1: file not found (did you mean 'scenarios/28-point.yaml'?)"
    )


def test_compare_help_says_what_it_compares() -> None:
    r = sim("compare", "--help")
    assert "`sim compare A B C` compares A with B and A with C (not B with C)." in " ".join(
        r.output.split()
    )


def test_the_report_lists_the_files_of_its_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert sim("search", str(TINY), "--out", str(out), "--no-charts").exit_code == 0
    assert sim("sweep", str(TINY), "--draws", "20", "--out", str(out), "--no-charts").exit_code == 0
    names = sorted(p.name for p in out.iterdir())
    assert "search.json" in names and "sweep.csv" in names  # the search's file stays
    intro = (out / "report.md").read_text(encoding="utf-8").split("## Summary")[0]
    assert (
        "Files of this run: `report.md`, `report.html`, `results.json`, `rounds.csv`, "
        "`sweep.csv` (any other file in this folder is from an earlier run)."
    ) in intro
    assert "Files of this run" in (out / "report.html").read_text(encoding="utf-8")
