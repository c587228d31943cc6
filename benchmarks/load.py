"""Loading a large scenario against PyYAML's C parser alone, and a file full of problems.

    python benchmarks/load.py [--repeat N] [--actors 30] [--issues 351]

The file is `benchmarks/synthetic.py`'s scenario of 30 actors x 351 issues (about 1 MB; every
stake cites a source, two red lines an actor). Baseline: `yaml.load(text, Loader=CSafeLoader)`,
the strongest simple way to read that YAML into Python (libyaml parses, PyYAML's constructor
builds the objects, nothing is checked), as called and with Python's cycle collector paused
(as `load_scenario` pauses it: the stronger baseline). Measured: `load_scenario` (read with
locations, check the format, build the scenario, check every reference) on the same file, and
on the same file with problems in every stake (about 16,000, all reported). All run in one
interleaved loop in this process; the medians and their ratios are printed.
"""

from __future__ import annotations

import argparse
import gc
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]  # this tree's model package, not an installed copy
from synthetic import synthetic_yaml  # noqa: E402

from model.scenario.loader import ScenarioError, load_scenario  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--actors", type=int, default=30)
    parser.add_argument("--issues", type=int, default=351)
    args = parser.parse_args()
    text = synthetic_yaml(args.actors, args.issues)
    # a salience written as a list in every stake, a position naming no option in half
    broken = re.sub(r"salience: ([0-9.]+),", r"salience: [\1],", text)
    broken = broken.replace("position: o", "position: O")
    with tempfile.TemporaryDirectory() as tmp:
        good, bad = Path(tmp) / "good.yaml", Path(tmp) / "bad.yaml"
        good.write_text(text, encoding="utf-8")
        bad.write_text(broken, encoding="utf-8")
        problems = 0

        def load_bad() -> None:
            nonlocal problems
            try:
                load_scenario(bad)
            except ScenarioError as exc:
                problems = len(exc.problems)

        def paused() -> None:
            gc.disable()
            try:
                yaml.load(good.read_text(), Loader=yaml.CSafeLoader)
            finally:
                gc.enable()

        jobs = {
            "yaml.load(CSafeLoader)": lambda: yaml.load(good.read_text(), Loader=yaml.CSafeLoader),
            "yaml.load(CSafeLoader), collector paused": paused,
            "load_scenario": lambda: load_scenario(good),
            "load_scenario, every stake broken": load_bad,
        }
        times: dict[str, list[float]] = {name: [] for name in jobs}
        for _ in range(args.repeat):
            for name, job in jobs.items():
                start = time.perf_counter()
                job()
                times[name].append(time.perf_counter() - start)
    size = len(text.encode()) / 1e6
    median = {name: statistics.median(t) for name, t in times.items()}
    base = median["yaml.load(CSafeLoader)"]
    paused_base = median["yaml.load(CSafeLoader), collector paused"]
    print(f"{args.actors} actors x {args.issues} issues, {size:.2f} MB; {args.repeat} interleaved")
    print(f"rounds, median of each ({problems} problems reported in the broken file)")
    print(f"  {'':9}  {'':42} {'vs yaml.load':>12} {'vs paused':>10}")
    for name, t in median.items():
        print(f"  {t:7.3f} s  {name:42} {t / base:11.2f}x {t / paused_base:9.2f}x")


if __name__ == "__main__":
    main()
