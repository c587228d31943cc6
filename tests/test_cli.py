"""`sim` end to end, as a user meets it."""

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from model.cli import main

ROOT = Path(__file__).resolve().parent.parent


def sim(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def test_run_writes_outputs_and_prints_summary(tiny_path, tmp_path):
    out = tmp_path / "out"
    result = sim("run", str(tiny_path), "--out", str(out), "--no-charts", "--seed", "5")
    assert result.exit_code == 0, result.output
    assert "A deal" in result.output and "REJECTS" in result.output
    assert "No deal / East: red line crossed on NATO membership = “Path open”" in (result.output)
    assert sorted(p.name for p in out.iterdir()) == [
        ".negotiation-sim-manifest.json",  # what the tool wrote here (tests/test_output_files.py)
        "report.html",
        "report.md",
        "results.json",
        "rounds.csv",
    ]
    data = json.loads((out / "results.json").read_text())
    assert data["seed"] == 5
    assert set(data) >= {"scenario", "seed", "actors", "issues", "proposals", "forecast"}
    east = data["proposals"]["status-quo"]["verdicts"]["east"]
    assert east["accepts"] is False
    assert east["violations"][0]["issue"] == "membership"
    assert east["violations"][0]["value"] == "open"
    assert east["violations"][0]["sources"] == [
        {"url": "https://example.org/east", "note": "refuses an open path"}
    ]
    assert data["issues"]["membership"]["history"][0] == {
        "round": 0,
        "mean": 60 * 90 * 100 / (60 * 90 + 40 * 60),  # full precision: 900/13, not rounded
        "median": 100.0,
        "nbs": 0.0,  # West's ideal is the status quo: nothing Pareto-improves on it
    }
    rounds = (out / "rounds.csv").read_text().splitlines()
    assert rounds[0] == "round,issue,series,value"
    assert "0,membership,east,100.000000" in rounds
    report = (out / "report.md").read_text()
    assert "| No deal | **rejects** (red line: NATO membership) 0.04 | accepts 1.00 |" in report


def test_same_seed_same_bytes_and_no_absolute_paths(tiny_path, tmp_path):
    for name in ("a", "b"):
        assert (
            sim("run", str(tiny_path), "--out", str(tmp_path / name), "--no-charts").exit_code == 0
        )
    a = (tmp_path / "a" / "results.json").read_bytes()
    assert a == (tmp_path / "b" / "results.json").read_bytes()
    assert str(ROOT).encode() not in a and str(tmp_path).encode() not in a
    assert (tmp_path / "a" / "rounds.csv").read_bytes() == (
        tmp_path / "b" / "rounds.csv"
    ).read_bytes()


def test_run_keeps_foreign_files_and_failed_run_keeps_outputs(tiny_path, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "my-notes.txt").write_text("mine")
    assert sim("run", str(tiny_path), "--out", str(out), "--no-charts").exit_code == 0
    before = (out / "results.json").read_bytes()
    broken = tmp_path / "broken.yaml"
    broken.write_text(tiny_path.read_text().replace("salience: 90", "salience: 900"))
    result = sim("run", str(broken), "--out", str(out), "--no-charts")
    assert result.exit_code == 2
    assert (out / "results.json").read_bytes() == before
    assert (out / "my-notes.txt").read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_failure_while_writing_leaves_previous_outputs(tiny, tmp_path, monkeypatch):
    from model import api
    from model.outputs import markdown as report

    out = tmp_path / "out"
    api.write_outputs(api.run(tiny), out, charts=False)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def boom(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(report, "rounds_csv", boom)
    try:
        api.write_outputs(api.run(tiny, seed=99), out, charts=False)
    except RuntimeError:
        pass
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_help_and_validate_do_not_load_mesa_or_matplotlib(tiny_path):
    code = (
        "import sys\n"
        "from model.cli import main\n"
        "for args in (['--help'], ['validate', sys.argv[1]]):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit as e:\n"
        "        assert e.code == 0, e.code\n"
        "bad = [m for m in ('mesa', 'matplotlib') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(tiny_path)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    assert "OK (2 issues, 2 actors, 1 proposal plus the status quo" in proc.stdout


def test_search_prints_the_zone_and_writes_its_files(tiny_path, tmp_path):
    out = tmp_path / "out"
    result = sim("search", str(tiny_path), "--out", str(out), "--grid", "11", "--format", "svg")
    assert result.exit_code == 0, result.output
    assert "Zone of agreement: Tiny two-issue test" in result.output
    data = json.loads((out / "search.json").read_text())
    assert data["grid_steps"] == 11
    assert data["counts"]["packages"] == 3 * len(data["grid"]["army"])
    assert json.loads((out / "results.json").read_text())["search"] == data
    written = {p.name for p in out.iterdir()}
    assert {"frontier.svg", "conflicts.svg"} <= written
    assert "acceptance.svg" not in written  # the run's charts are `sim run`'s
    report = (out / "report.md").read_text()
    assert "## Zone of agreement" in report and "![frontier.svg](frontier.svg)" in report
    assert "Zone of agreement" in (out / "report.html").read_text()


def test_sweep_is_reproducible_and_writes_its_files(tiny_path, tmp_path):
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        args = ("sweep", str(tiny_path), "--draws", "400", "--seed", "3", "--out", str(out))
        result = sim(*args, "--no-charts")
        assert result.exit_code == 0, result.output
        runs.append(out)
    assert "uncertainty sweep (400 draws, seed 3)" in result.output
    a, b = ((r / "sweep.csv").read_bytes() for r in runs)
    assert a == b and a.decode().startswith("proposal,actor,p_accept,ci_lo,ci_hi,point_accepts")
    assert (runs[0] / "results.json").read_bytes() == (runs[1] / "results.json").read_bytes()
    sweep = json.loads((runs[0] / "results.json").read_text())["sweep"]
    assert sweep["draws"] == 400 and sweep["seed"] == 3
    assert "## How sure: uncertainty sweep" in (runs[0] / "report.md").read_text()


def test_sweep_with_dynamics_reports_the_forecast(tiny_path, tmp_path):
    out = tmp_path / "out"
    args = ("sweep", str(tiny_path), "--draws", "5", "--dynamics", "--out", str(out))
    result = sim(*args, "--no-charts")
    assert result.exit_code == 0, result.output
    sweep = json.loads((out / "results.json").read_text())["sweep"]
    assert sweep["dynamics"] is True and set(sweep["forecast"]["actors"]) == {"east", "west"}
    assert "Model forecast" in result.output


def test_run_with_search_and_sweep_puts_both_in_one_report(tiny_path, tmp_path):
    out = tmp_path / "out"
    args = ("run", str(tiny_path), "--search", "--sweep", "50", "--out", str(out), "--no-charts")
    result = sim(*args)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "results.json").read_text())
    assert {"search", "sweep"} <= set(data)
    report = (out / "report.md").read_text()
    assert report.index("## Zone of agreement") < report.index("## How sure")


def test_sweep_and_search_reject_bad_arguments(tiny_path, tmp_path):
    assert sim("sweep", str(tiny_path), "--draws", "0").exit_code == 2
    assert sim("search", str(tiny_path), "--grid", "1").exit_code == 2
    missing = sim("search", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2 and "nope.yaml" in missing.output


def test_a_move_that_fails_midway_puts_back_what_it_replaced(tiny_path, tmp_path):
    out = tmp_path / "out"
    assert sim("run", str(tiny_path), "--out", str(out), "--no-charts").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (out / "rounds.csv").unlink()
    (out / "rounds.csv").mkdir()  # the last file cannot be moved into place
    result = sim("run", str(tiny_path), "--out", str(out), "--no-charts", "--seed", "9")
    assert result.exit_code == 1 and "rounds.csv is a folder" in result.output
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == {k: v for k, v in before.items() if k != "rounds.csv"}


def test_move_failure_after_some_files_restores_them(tiny_path, tmp_path, monkeypatch):
    from model import api
    from model.outputs import files as outputs

    out = tmp_path / "out"
    assert sim("run", str(tiny_path), "--out", str(out), "--no-charts").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = outputs.os.replace
    calls = []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(outputs.os, "replace", flaky)
    try:
        api.write_outputs(api.run(load_tiny(tiny_path), seed=77), out, charts=False)
    except OSError:
        pass
    assert len(calls) > 3  # two moved in, then two put back
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def load_tiny(path):
    from model.scenario.loader import load_scenario

    return load_scenario(path)


def test_list_counts_proposals_besides_the_status_quo():
    result = CliRunner().invoke(main, ["list", str(ROOT / "scenarios")])
    assert result.exit_code == 0
    rows = {ln.split()[0]: ln.split()[1:3] for ln in result.output.splitlines() if ".yaml" in ln}
    assert rows["28-point.yaml"] == ["2", "ok"]
    assert rows["base.yaml"] == ["0", "ok"]
    assert rows["all-proposals.yaml"][1] == "ok" and int(rows["all-proposals.yaml"][0]) >= 12


def test_new_writes_a_starter_that_validates_and_runs(tmp_path):
    import shutil

    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    folder = tmp_path / "scenarios"
    result = sim("new", "my-variant", "--dir", str(folder))
    assert result.exit_code == 0, result.output
    text = (folder / "my-variant.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=scenario.schema.json\n")
    assert "extends: 28-point.yaml" in text
    assert sim("new", "my-variant", "--dir", str(folder)).exit_code == 2  # never overwrites
    out = tmp_path / "out"
    result = sim("run", str(folder / "my-variant.yaml"), "--out", str(out), "--no-charts")
    assert result.exit_code == 0, result.output
    assert "my-variant" in json.loads((out / "results.json").read_text())["proposals"]


def test_new_refuses_a_base_that_does_not_exist(tmp_path):
    result = sim("new", "x", "--dir", str(tmp_path))
    assert result.exit_code == 2 and "28-point.yaml: not found" in result.output
    assert not (tmp_path / "x.yaml").exists()


def test_python_dash_m_model_is_sim(tiny_path):
    proc = subprocess.run(
        [sys.executable, "-m", "model", "validate", str(tiny_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "OK (2 issues, 2 actors, 1 proposal plus the status quo" in proc.stdout
