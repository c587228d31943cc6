"""Prove a refactor changed no output: hash every file `sim run --search --sweep 500` writes for
every shipped scenario in png, svg and pdf (plus the terminal text), then compare two manifests.

    python benchmarks/outputs_identical.py save before.json    # on the old code
    python benchmarks/outputs_identical.py save after.json     # on the new code
    python benchmarks/outputs_identical.py diff before.json after.json

Run from the repository root; `save` uses `python -m model` from the current folder, so a git
worktree of the old commit can produce its manifest beside the new one. It takes a few minutes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

FORMATS = ("png", "svg", "pdf")
DRAWS = "500"


def scenarios(root: Path) -> list[Path]:
    """Every shipped scenario (not the shared actor files)."""
    found = sorted((root / "scenarios").glob("*.yaml"))
    found += sorted((root / "scenarios" / "validation").glob("*.yaml"))
    return found


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def one(root: Path, scenario: Path, fmt: str, out: Path) -> dict[str, str]:
    """The hashes of one run's files and of what it printed."""
    rel = scenario.relative_to(root)
    proc = subprocess.run(
        [sys.executable, "-m", "model", "run", str(rel), "--search", "--sweep", DRAWS]
        + ["--format", fmt, "--out", str(out)],
        cwd=root,
        capture_output=True,
    )
    hashes = {"<exit>": str(proc.returncode), "<stdout>": digest(proc.stdout)}
    hashes["<stderr>"] = digest(proc.stderr)
    for path in sorted((root / out).rglob("*")):
        if path.is_file():
            hashes[str(path.relative_to(root / out))] = digest(path.read_bytes())
    return hashes


def save(manifest: Path) -> None:
    root = Path.cwd()
    # the same relative out folder for both manifests, since the summary prints it
    base = Path("outputs") / "identity"
    shutil.rmtree(root / base, ignore_errors=True)
    jobs = [(s, fmt, base / f"{s.stem}-{fmt}") for s in scenarios(root) for fmt in FORMATS]
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = list(pool.map(lambda job: one(root, *job), jobs))
    shutil.rmtree(root / base, ignore_errors=True)
    result = {f"{s.relative_to(root)}:{fmt}": h for (s, fmt, _), h in zip(jobs, found, strict=True)}
    manifest.write_text(json.dumps(result, indent=1, sort_keys=True))
    print(f"{manifest}: {sum(len(h) for h in result.values())} hashes from {len(jobs)} runs")


def diff(before: Path, after: Path) -> int:
    a, b = json.loads(before.read_text()), json.loads(after.read_text())
    changed = [
        f"{run}/{name}"
        for run in sorted(set(a) | set(b))
        for name in sorted(set(a.get(run, {})) | set(b.get(run, {})))
        if a.get(run, {}).get(name) != b.get(run, {}).get(name)
    ]
    for line in changed:
        print("differs:", line)
    total = sum(len(h) for h in b.values())
    print(f"{total - len(changed)} of {total} outputs identical; {len(changed)} differ")
    return 1 if changed else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "save":
        save(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "diff":
        sys.exit(diff(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)
