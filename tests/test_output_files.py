"""Where and how a run writes its files: only finite numbers, any file system, never a user's own
file, nothing left behind when killed (model/outputs/files.py), all through `sim`."""

import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from model.cli import main
from model.outputs.files import MANIFEST, TMP_PREFIX

ROOT = Path(__file__).resolve().parent.parent


def sim(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def visible(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.name[0] != "."}


# item 5: a capability at the end of the float range ------------------------------------------


@pytest.mark.parametrize("dynamics", ["concession", "eum"])
def test_a_huge_capability_runs_and_writes_only_finite_numbers(tiny_path, tmp_path, dynamics):
    text = tiny_path.read_text().replace("capability: 40", "capability: 1.0e+308")
    text = text.replace("model: {seed: 1, rounds: 50}", f"model: {{seed: 1, dynamics: {dynamics}}}")
    scenario = tmp_path / "huge.yaml"
    scenario.write_text(text)
    out = tmp_path / "out"
    result = sim("run", str(scenario), "--out", str(out), "--no-charts")
    assert result.exit_code == 0, result.output
    assert "nan" not in result.output
    values = [ln.rsplit(",", 1)[1] for ln in (out / "rounds.csv").read_text().splitlines()[1:]]
    assert values and all(math.isfinite(float(v)) for v in values)
    data = json.loads((out / "results.json").read_text())
    forecasts = data["issues"]["army"]["forecasts"]
    assert all(isinstance(x, float) for x in forecasts.values())
    # West holds (almost) all the clout: the weighted mean ends at West's ideal, 1000
    assert forecasts["mean"] == pytest.approx(1000.0)
    verdicts = data["forecast"]["verdicts"]
    assert all(isinstance(v["utility"], float) for v in verdicts.values())


def test_ordinary_capabilities_give_the_same_numbers_on_any_scale(tiny_path, tmp_path):
    """Capabilities are divided by a power of two, exactly: 60 and 40 times 2**1000 run bit
    for bit as 60 and 40 (on the stated numbers, 60 x 2**1000 x salience 90 x position 1000
    would overflow)."""
    big = tiny_path.read_text()
    for c in ("60", "40"):
        big = big.replace(f"capability: {c}", f"capability: {math.ldexp(int(c), 1000)!r}")
    (tmp_path / "big.yaml").write_text(big)
    for name, path in (("a", tiny_path), ("b", tmp_path / "big.yaml")):
        assert sim("run", str(path), "--out", str(tmp_path / name), "--no-charts").exit_code == 0
    a = (tmp_path / "a" / "rounds.csv").read_text()
    assert a == (tmp_path / "b" / "rounds.csv").read_text()
    assert "1,membership,weighted_mean,nan" not in a


def test_a_number_that_is_not_finite_is_never_written(tiny, tmp_path):
    from model import api
    from model.outputs.files import OutputRefused

    results = api.run(tiny)
    results.history[1].mean["army"] = float("nan")  # as the dynamics gave it before the fix
    out = tmp_path / "out"
    with pytest.raises(OutputRefused) as refused:
        api.write_outputs(results, out, charts=False)
    assert refused.value.lines == [
        "rounds.csv: 1 number not finite (first: round 1, army, mean = nan); inputs too large "
        "or too small for floating point?",
        f"{out}: nothing was written.",
    ]
    assert not out.exists()


# item 6: --out on another file system ----------------------------------------------------------


def test_out_through_a_symlink_into_another_folder(tiny_path, tmp_path):
    elsewhere = Path(tempfile.mkdtemp(prefix="sim-elsewhere-"))
    try:
        link = tmp_path / "out"
        link.symlink_to(elsewhere, target_is_directory=True)
        for seed in ("1", "2"):  # a first run, then one that replaces its files
            result = sim("run", str(tiny_path), "--out", str(link), "--no-charts", "--seed", seed)
            assert result.exit_code == 0, result.output
        assert link.is_symlink()
        assert sorted(visible(elsewhere)) == [
            "report.html",
            "report.md",
            "results.json",
            "rounds.csv",
        ]
        assert json.loads((elsewhere / "results.json").read_text())["seed"] == 2
        assert [p.name for p in elsewhere.iterdir() if p.name.startswith(TMP_PREFIX)] == []
        assert [p.name for p in tmp_path.iterdir()] == ["out"]
    finally:
        shutil.rmtree(elsewhere)


def test_out_on_another_device(tiny_path, tmp_path):
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second file system here")
    elsewhere = shm / f"sim-test-{uuid.uuid4().hex}"
    elsewhere.mkdir()
    try:
        link = tmp_path / "out"
        link.symlink_to(elsewhere, target_is_directory=True)
        for target in (link, elsewhere / "direct"):
            for _ in range(2):
                result = sim("run", str(tiny_path), "--out", str(target), "--no-charts")
                assert result.exit_code == 0, result.output
                assert "Invalid cross-device link" not in result.output
        assert "results.json" in visible(elsewhere)
        assert "results.json" in visible(elsewhere / "direct")
    finally:
        shutil.rmtree(elsewhere)


# item 7: a user's own file with an output's name ----------------------------------------------


def test_a_users_own_file_is_not_replaced_without_force(tiny_path, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.md").write_text("my own notes")
    result = sim("run", str(tiny_path), "--out", str(out), "--no-charts")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{out / 'report.md'}: not written by this tool, or changed since it was; not replaced "
        "(move it away, or pass --force to replace it)",
        f"{out}: nothing was written.",
    ]
    assert sorted(p.name for p in out.iterdir()) == ["report.md"]
    assert (out / "report.md").read_text() == "my own notes"

    forced = sim("run", str(tiny_path), "--out", str(out), "--no-charts", "--force")
    assert forced.exit_code == 0, forced.output
    assert (out / "report.md").read_text().startswith("# ")


def test_a_run_replaces_its_own_files_but_not_edited_ones(tiny_path, tmp_path):
    out = tmp_path / "out"
    assert sim("run", str(tiny_path), "--out", str(out), "--no-charts").exit_code == 0
    manifest = json.loads((out / MANIFEST).read_text())
    assert sorted(manifest["files"]) == ["report.html", "report.md", "results.json", "rounds.csv"]
    assert "pending" not in manifest
    # a second run with other numbers replaces the tool's own files without --force
    again = sim("run", str(tiny_path), "--out", str(out), "--no-charts", "--seed", "7")
    assert again.exit_code == 0, again.output
    assert json.loads((out / "results.json").read_text())["seed"] == 7
    # a file the user edited since is the user's now
    (out / "rounds.csv").write_text("edited by hand\n")
    edited = sim("run", str(tiny_path), "--out", str(out), "--no-charts")
    assert edited.exit_code == 2
    assert f"{out / 'rounds.csv'}: not written by this tool" in edited.stderr
    assert (out / "rounds.csv").read_text() == "edited by hand\n"
    assert json.loads((out / "results.json").read_text())["seed"] == 7  # nothing was written


def test_compare_refuses_a_users_file_too(tiny_path, tmp_path):
    out = tmp_path / "cmp"
    out.mkdir()
    (out / "compare.md").write_text("mine")
    args = ("compare", str(tiny_path), f"{tiny_path}:status-quo", "--out", str(out))
    result = sim(*args)
    assert result.exit_code == 2 and "compare.md: not written by this tool" in result.stderr
    assert (out / "compare.md").read_text() == "mine"
    assert sim(*args, "--force").exit_code == 0
    assert (out / "compare.md").read_text() != "mine"


# item 8: killed runs ------------------------------------------------------------------------


def _run_killed(tiny_path: Path, out: Path, how: str) -> subprocess.CompletedProcess:
    """`sim run` in a process that signals itself while writing: `build` (while the files are
    built), `move` (on the second move), `kill` (SIGKILL on the second move)."""
    code = f"""
import os, signal, sys
from model.outputs import files, markdown
how = {how!r}
if how == "build":
    real_csv = markdown.rounds_csv
    def rounds_csv(results):
        os.kill(os.getpid(), signal.SIGTERM)
        return real_csv(results)
    markdown.rounds_csv = rounds_csv
else:
    real = os.replace
    calls = []
    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGKILL if how == "kill" else signal.SIGTERM)
        return real(src, dst)
    files.os.replace = replace
from model.cli import main
main(["run", sys.argv[1], "--out", sys.argv[2], "--no-charts", "--seed", "3"])
"""
    return subprocess.run(
        [sys.executable, "-c", code, str(tiny_path), str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_sigterm_while_building_removes_the_temporary_folder(tiny_path, tmp_path):
    out = tmp_path / "out"
    assert sim("run", str(tiny_path), "--out", str(out), "--no-charts").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    proc = _run_killed(tiny_path, out, "build")
    assert proc.returncode == 128 + signal.SIGTERM, proc.stderr
    assert "Traceback" not in proc.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_sigterm_while_moving_lets_the_run_finish_its_moves(tiny_path, tmp_path):
    out = tmp_path / "out"
    assert sim("run", str(tiny_path), "--out", str(out), "--no-charts").exit_code == 0
    proc = _run_killed(tiny_path, out, "move")
    assert proc.returncode == 128 + signal.SIGTERM, proc.stderr
    assert "Traceback" not in proc.stderr
    # every output is the new run's, and the manifest says so
    assert json.loads((out / "results.json").read_text())["seed"] == 3
    manifest = json.loads((out / MANIFEST).read_text())
    assert "pending" not in manifest
    assert {e["run"] for e in manifest["files"].values()} == {manifest["run"]}
    assert [p.name for p in out.iterdir() if p.name.startswith(TMP_PREFIX)] == []


def test_a_run_killed_between_moves_is_recorded_and_cleaned_up_next_time(tiny_path, tmp_path):
    out = tmp_path / "out"
    assert sim("run", str(tiny_path), "--out", str(out), "--no-charts").exit_code == 0
    first = json.loads((out / MANIFEST).read_text())["run"]
    proc = _run_killed(tiny_path, out, "kill")
    assert proc.returncode == -signal.SIGKILL
    # the manifest (moved in first) names the killed run's files as pending; one of them is in
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["run"] == first and manifest["pending"]["run"] != first
    assert json.loads((out / "results.json").read_text())["seed"] != 3  # not moved yet
    assert [p.name for p in out.iterdir() if p.name.startswith(TMP_PREFIX)] != []
    # the next run needs no --force, removes the dead run's temporary folder, and ends clean
    again = sim("run", str(tiny_path), "--out", str(out), "--no-charts", "--seed", "4")
    assert again.exit_code == 0, again.output
    assert [p.name for p in out.iterdir() if p.name.startswith(TMP_PREFIX)] == []
    manifest = json.loads((out / MANIFEST).read_text())
    assert "pending" not in manifest
    assert {e["run"] for e in manifest["files"].values()} == {manifest["run"]}


def test_stale_temporary_folders_go_live_ones_stay(tiny_path, tmp_path):
    fcntl = pytest.importorskip("fcntl")
    out = tmp_path / "out"
    out.mkdir()
    dead = out / f"{TMP_PREFIX}dead"
    dead.mkdir()
    (dead / ".lock").write_text("")
    (dead / "report.md").write_text("half written")
    live = out / f"{TMP_PREFIX}live"
    live.mkdir()
    old_style = tmp_path / ".out.abcd1234.tmp"  # left beside the folder by earlier versions
    old_style.mkdir()
    os.utime(old_style, (0, 0))
    with open(live / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a run still writing holds it
        assert sim("run", str(tiny_path), "--out", str(out), "--no-charts").exit_code == 0
    assert not dead.exists() and not old_style.exists()
    assert live.exists()
