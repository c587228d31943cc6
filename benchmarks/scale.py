"""Time and peak memory of `sim run`, `sim search` and `sim sweep` (all --no-charts) on synthetic
scenarios of growing size, up to 80 actors x 100 issues, and whether each search was exact.

    python benchmarks/scale.py [--quick] [--time-limit S] [--memory-limit MB] [--draws N]

Each command runs in a child process of its own (`python -m model ...`, from this checkout), so
the wall time includes start-up, and the peak resident memory is that child's own (its rusage
from os.wait4). Scenarios come from `synthetic.py` (seed 1, actors in 3 camps, 2 red lines
each, 2 random proposals for the sweep to judge). The search is run with its time limit and
memory budget (default 60 s, 2048 MB), and the table says which of its answers it proved exact
and which it only bounded. --quick: the two smallest sizes and a 10 s search limit.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_yaml  # noqa: E402

SIZES = [(5, 16), (10, 16), (20, 30), (40, 60), (80, 100)]
QUICK = [(5, 16), (10, 16)]


def measure(argv: list[str]) -> tuple[float, float, int, str]:
    """(wall seconds, peak MB, exit code, stderr) of `python -m model argv` in its own process."""
    t = time.monotonic()
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "model", *argv],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - t
        err.seek(0)
        return wall, usage.ru_maxrss / 1024, proc.returncode, err.read()


def exactness(path: Path) -> str:
    """What the search proved: "exact", or which answers are bounded."""
    data = json.loads(path.read_text())
    e = data["exact"]
    if all(e.values()):
        return "exact"
    bounded = [k for k, v in e.items() if not v]
    out = "bounded: " + ", ".join(bounded)
    b = data["bounds"]
    if "nash_log_at_most" in b and data["nash"] is not None:
        out += f" (Nash gap {b['nash_log_at_most'] - data['nash']['nash_log']:.3g})"
    elif e["nash"] and data["nash"] is not None:
        out += " (Nash proven)"
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="two small sizes, a 10 s search limit")
    p.add_argument("--time-limit", type=float, help="search time limit (default 60, quick 10)")
    p.add_argument("--memory-limit", type=float, default=2048.0)
    p.add_argument("--draws", type=int, default=1000, help="sweep draws")
    a = p.parse_args()
    limit = a.time_limit or (10.0 if a.quick else 60.0)
    sizes = QUICK if a.quick else SIZES
    print(
        f"sim run / search / sweep --no-charts; search --time-limit {limit:g} "
        f"--memory-limit {a.memory_limit:g}; sweep --draws {a.draws}"
    )
    print(f"{'actors x issues':<16}{'command':<8}{'wall s':>8}{'peak MB':>9}  search answer")
    for actors, issues in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"synthetic-{actors}x{issues}.yaml"
            path.write_text(synthetic_yaml(actors, issues, seed=1, camps=3, proposals=2))
            limits = ["--time-limit", f"{limit:g}", "--memory-limit", f"{a.memory_limit:g}"]
            runs = {
                "run": ["run", str(path)],
                "search": ["search", str(path), *limits],
                "sweep": ["sweep", str(path), "--draws", str(a.draws)],
            }
            for name, argv in runs.items():
                out = Path(tmp) / name
                wall, peak, rc, err = measure([*argv, "--no-charts", "--out", str(out)])
                note = ""
                if rc:
                    note = "FAILED: " + (err.strip().splitlines() or ["?"])[-1][:80]
                elif name == "search":
                    note = exactness(out / "search.json")
                size = f"{actors} x {issues}"
                print(f"{size:<16}{name:<8}{wall:>8.1f}{peak:>9.0f}  {note}", flush=True)


if __name__ == "__main__":
    main()
