"""Start-up and a whole run against the import floor: what the user waits for, in processes.

    python benchmarks/startup.py [--repeat N] [--no-run]

Each row times a `sim` command (as `python -m model`, from this checkout) and the strongest
simple baseline for it: importing what it cannot do without. `sim validate` and `sim --help`
are measured against `python -c "import click, yaml"` (the CLI library and the YAML parser);
`sim run` with its charts against `python -c "import mesa, matplotlib.pyplot"`. All commands
run (bytecode compiled, as an installed package has it) in one interleaved loop (each round
runs each command once, in turn), so that a busy machine slows all of them alike; the medians
of wall time and of CPU time, and their ratios, are printed.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = "scenarios/28-point.yaml"


def commands(out: str, with_run: bool) -> dict[str, list[str]]:
    py = sys.executable
    cmds = {
        "import click, yaml": [py, "-c", "import click, yaml"],
        "sim --help": [py, "-m", "model", "--help"],
        f"sim validate {SCENARIO}": [py, "-m", "model", "validate", SCENARIO],
    }
    if with_run:
        cmds["import mesa, matplotlib.pyplot"] = [py, "-c", "import mesa, matplotlib.pyplot"]
        cmds[f"sim run {SCENARIO}"] = [py, "-m", "model", "run", SCENARIO, "--out", out, "--force"]
    return cmds


BASELINE = {
    "sim --help": "import click, yaml",
    f"sim validate {SCENARIO}": "import click, yaml",
    f"sim run {SCENARIO}": "import mesa, matplotlib.pyplot",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="rounds (default 7)")
    parser.add_argument("--no-run", action="store_true", help="only start-up, not `sim run`")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cmds = commands(str(Path(tmp) / "out"), not args.no_run)
        # as after `pip install`, every module's bytecode is compiled once and reused (kept
        # outside the checkout); PYTHONDONTWRITEBYTECODE would add compiling to every start
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        times: dict[str, list[float]] = {name: [] for name in cmds}
        cpu: dict[str, list[float]] = {name: [] for name in cmds}
        for round_ in range(args.repeat + 1):
            for name, cmd in cmds.items():
                before = _children_cpu()
                start = time.perf_counter()
                subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
                if round_:  # the first round compiles the bytecode: not timed
                    times[name].append(time.perf_counter() - start)
                    cpu[name].append(_children_cpu() - before)
    wall = {name: statistics.median(t) for name, t in times.items()}
    used = {name: statistics.median(t) for name, t in cpu.items()}
    print(f"{args.repeat} interleaved rounds: medians of wall and CPU time, their ratios")
    for name in cmds:
        base = BASELINE.get(name)
        ratio = ""
        if base:
            ratio = f"{wall[name] / wall[base]:5.2f}x {used[name] / used[base]:5.2f}x  {base}"
        print(f"  {wall[name]:7.3f} s {used[name]:7.3f} s  {name:42} {ratio}")


def _children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
