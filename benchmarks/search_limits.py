"""`sim search` on large synthetic scenarios: wall time, peak memory and what it reported.

    python benchmarks/search_limits.py [--time-limit S] [--memory-limit MB]

Each case (actors x issues from `synthetic.py`, and one issue of 500 options) runs
`sim search` in a child process of its own, which reports its peak resident memory
(ru_maxrss). The search must answer within about its time limit and memory budget and say
whether it is exact or bounded.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_yaml  # noqa: E402

_CHILD = """
import json, resource, runpy, sys
sys.argv = json.loads(sys.argv[1])
try:
    runpy.run_module("model", run_name="__main__")
finally:
    print("maxrss_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""

CASES = [(5, 16, None), (10, 16, None), (20, 30, None), (40, 60, None), (3, 1, 500)]


def run_case(actors: int, issues: int, options: int | None, args: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scenario.yaml"
        path.write_text(synthetic_yaml(actors, issues, seed=1, options=options))
        out = Path(tmp) / "out"
        argv = ["sim", "search", str(path), "--no-charts", "--out", str(out), *args]
        cmd = [sys.executable, "-c", _CHILD, json.dumps(argv)]
        t = time.monotonic()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        wall = time.monotonic() - t
        peak = int(proc.stderr.strip().splitlines()[-1].split()[-1])
        row = {"wall_s": wall, "peak_mb": peak / 1024, "rc": proc.returncode}
        if proc.returncode:
            row["error"] = proc.stderr.strip().splitlines()[-1:]
            return row
        data = json.loads((out / "search.json").read_text())
        row.update(
            exact=data["exact"],
            counts=data["counts"],
            bounds=data["bounds"]["acceptable_to_all"],
            nash=data["nash"] is not None,
            progress_lines=len([x for x in proc.stderr.splitlines() if x.startswith("search:")]),
        )
        return row


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--time-limit", default="60")
    p.add_argument("--memory-limit", default="2048")
    a = p.parse_args()
    args = ["--time-limit", a.time_limit, "--memory-limit", a.memory_limit]
    print(f"sim search {' '.join(args)}")
    head = f"{'case':<18}{'wall s':>8}{'peak MB':>9}  {'exact (counts frontier nash conf.)':<36}"
    print(head + "acceptable to all [low, high]  frontier  no red line")
    for actors, issues, options in CASES:
        name = f"{actors}x{issues}" + (f" ({options} opt.)" if options else "")
        r = run_case(actors, issues, options, args)
        if r["rc"]:
            print(f"{name:<18}{r['wall_s']:>8.1f}{r['peak_mb']:>9.0f}  FAILED {r['error']}")
            continue
        e = r["exact"]
        flags = " ".join(
            "yes" if e[k] else "no" for k in ("counts", "frontier", "nash", "conflicts")
        )
        b = r["bounds"]
        print(
            f"{name:<18}{r['wall_s']:>8.1f}{r['peak_mb']:>9.0f}  {flags:<36}"
            f"[{b['low']:,}, {b['high']:.3g}]  {r['counts']['pareto_frontier']:>8,}  "
            f"{r['counts']['no_red_line_crossed']:.3g}"
        )


if __name__ == "__main__":
    main()
