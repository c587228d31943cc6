"""Writing a run's files without ever losing the previous run's, or a file the tool did not write.

Everything is built in a temporary folder inside the target (so on the target's own file
system, whatever mount or symlink leads there); only when all of it has been written is each
file moved into place with an atomic rename. A run that fails, while building or while moving,
leaves the target as it was. SIGTERM while building ends the run cleanly (the temporary folder
is removed); SIGTERM and Ctrl-C while moving wait until the moves are done.

A manifest in the target (MANIFEST) lists each file the tool wrote there, with its SHA-256 and
the run that wrote it. A run replaces only files it finds there under their manifest hash (or
with the very bytes it would write); any other file of the same name is refused (OutputRefused)
unless `force`. Before moving, a run records its files in the manifest as `pending`; after, it
writes the manifest anew without it. A run killed outright (SIGKILL, power loss) between two
moves thus leaves a manifest that says which files came from which run, and its files count as
the tool's for the next run. Temporary folders of runs that died (their lock is free) are
removed by the next run into the same folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from model.outputs.drawing import ChartProcess
from model.results import Results

try:
    import fcntl
except ImportError:  # Windows: stale folders are then told by age alone
    fcntl = None  # type: ignore[assignment]

MANIFEST = ".negotiation-sim-manifest.json"
TMP_PREFIX = ".negotiation-sim-tmp."
_LOCK = ".lock"
_STARTED = time.time()  # about when this process started: older unlocked leftovers are stale


class OutputRefused(Exception):
    """Nothing was written, for reasons the user can act on: one line per problem."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def write_atomically(
    folder: Path, build: Callable[[Path], list[str]], force: bool = False
) -> list[str]:
    """Call `build(tmp)` to write files into a scratch folder, then move them into `folder`.

    Raises OutputRefused, naming each file, if a file to be replaced was not written by the tool
    (see the module docstring) and `force` is false."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"{folder} exists and is not a folder")
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale(folder)
    signals = _Signals()
    with signals.exiting():
        tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=folder))
        try:
            with _locked(tmp):
                names = build(tmp)
                for name in names:
                    if (folder / name).is_dir():
                        raise IsADirectoryError(
                            f"{folder / name} is a folder; a run would write a file there"
                        )
                manifest = _read_manifest(folder)
                hashes = {name: _sha256(tmp / name) for name in names}
                if not force:
                    _refuse_foreign(folder, hashes, manifest)
                with signals.deferred():
                    _move_in(tmp, folder, names, hashes, manifest)
                return names
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            if created:
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only if empty: a run that failed leaves no new folder


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest's files and pending run; empty if there is none (or it cannot be read)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"files": {}}
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return {"files": {}}
    return data


def _known_hashes(manifest: dict[str, Any], name: str) -> set[str]:
    """The contents the tool wrote under `name`: the last complete run's, and an interrupted
    run's (pending)."""
    known = set()
    entry = manifest["files"].get(name)
    if isinstance(entry, dict) and isinstance(entry.get("sha256"), str):
        known.add(entry["sha256"])
    pending = manifest.get("pending")
    if isinstance(pending, dict) and isinstance(pending.get("files"), dict):
        if isinstance(pending["files"].get(name), str):
            known.add(pending["files"][name])
    return known


def _refuse_foreign(folder: Path, hashes: dict[str, str], manifest: dict[str, Any]) -> None:
    """Raise OutputRefused naming every file the run would replace that the tool did not write
    (or that was changed since), unless its content is already what the run would write."""
    lines = []
    for name, new in hashes.items():
        target = folder / name
        if target.is_symlink():
            lines.append(
                f"{target}: is a symbolic link, not a file this tool wrote; not replaced "
                "(move it away, or pass --force to replace it)"
            )
        elif target.exists():
            old = _sha256(target)
            if old != new and old not in _known_hashes(manifest, name):
                lines.append(
                    f"{target}: not written by this tool, or changed since it was; not replaced "
                    "(move it away, or pass --force to replace it)"
                )
    if lines:
        raise OutputRefused([*lines, f"{folder}: nothing was written."])


def _run_id(hashes: dict[str, str]) -> str:
    """A name for a run's set of files, from their contents: the same outputs, the same id."""
    text = "\n".join(f"{name} {h}" for name, h in sorted(hashes.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _manifest_text(files: dict[str, dict[str, str]], run: str, pending: dict | None) -> str:
    data: dict[str, Any] = {
        "tool": "negotiation-sim",
        "note": "The files negotiation-sim wrote in this folder, with their SHA-256 and the run "
        "that wrote each; a run replaces only these (or, with --force, any file of an output's "
        "name). 'pending' lists the files of a run that was stopped while moving them in.",
        "run": run,
        "files": {name: files[name] for name in sorted(files)},
    }
    if pending is not None:
        data["pending"] = pending
    return json.dumps(data, indent=2) + "\n"


def _move_in(
    tmp: Path,
    folder: Path,
    names: list[str],
    hashes: dict[str, str],
    manifest: dict[str, Any],
) -> None:
    """Replace each file in `folder` by its new version, between a manifest that records the
    run as pending and one that records it as done; if any move fails, put back the ones
    already replaced (kept as hard links, or copies, in `tmp`) and remove the ones added."""
    run = _run_id(hashes)
    kept = {
        name: entry
        for name, entry in manifest["files"].items()
        if name not in hashes and isinstance(entry, dict) and (folder / name).is_file()
    }
    last = manifest.get("run") if isinstance(manifest.get("run"), str) else ""
    pending = {"run": run, "files": dict(sorted(hashes.items()))}
    old = {name: entry for name, entry in manifest["files"].items() if name in hashes}
    (tmp / ".manifest.pending").write_text(
        _manifest_text({**kept, **old}, last, pending), encoding="utf-8"
    )
    done_files = {name: {"sha256": h, "run": run} for name, h in hashes.items()}
    (tmp / ".manifest.done").write_text(
        _manifest_text({**kept, **done_files}, run, None), encoding="utf-8"
    )
    previous = tmp / ".previous"
    previous.mkdir()
    moves = [
        (".manifest.pending", MANIFEST),
        *((n, n) for n in names),
        (".manifest.done", MANIFEST),
    ]
    done: list[tuple[str, bool]] = []  # (name, it existed before)
    try:
        for source, name in moves:
            target = folder / name
            existed = target.exists() or target.is_symlink()
            if existed and not (previous / name).exists():
                try:
                    os.link(target, previous / name, follow_symlinks=False)
                except OSError:
                    shutil.copy2(target, previous / name, follow_symlinks=False)
            os.replace(tmp / source, target)
            done.append((name, existed))
    except BaseException:
        for name, existed in reversed(done):
            if existed and (previous / name).exists():
                os.replace(previous / name, folder / name)
            elif not existed:
                (folder / name).unlink(missing_ok=True)
        raise


def _remove_stale(folder: Path) -> None:
    """Remove temporary folders that runs into `folder` left behind when they were killed: ours
    (inside it) whose lock nobody holds, and those of older versions (beside it, named
    .<folder>.XXXXXXXX.tmp) from before this process started."""
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if entry.name.startswith(TMP_PREFIX) and _is_stale(entry):
                shutil.rmtree(entry, ignore_errors=True)
    old = re.compile(rf"\.{re.escape(folder.name)}\.[A-Za-z0-9_]{{8}}\.tmp")
    with contextlib.suppress(OSError):
        for entry in folder.parent.iterdir():
            if old.fullmatch(entry.name) and _older_than_us(entry):
                shutil.rmtree(entry, ignore_errors=True)


def _older_than_us(entry: Path) -> bool:
    try:
        return entry.is_dir() and not entry.is_symlink() and entry.stat().st_mtime < _STARTED
    except OSError:
        return False


def _is_stale(entry: Path) -> bool:
    """A temporary folder whose run is gone: its lock is free (a live run holds it until it
    removes the folder), or, without a lock file, it is older than this process."""
    if entry.is_symlink() or not entry.is_dir():
        return False
    lock = entry / _LOCK
    if not lock.is_file():
        return _older_than_us(entry)  # died before taking its lock
    if fcntl is None:
        return _older_than_us(entry) and time.time() - entry.stat().st_mtime > 86400
    try:
        with open(lock, "a") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False  # a live run holds it
            fcntl.flock(f, fcntl.LOCK_UN)
            return True
    except OSError:
        return False


@contextlib.contextmanager
def _locked(tmp: Path) -> Iterator[None]:
    """Hold the temporary folder's lock while the run lives (the system frees it if the run
    dies, however it dies)."""
    with open(tmp / _LOCK, "w") as f:
        if fcntl is not None:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield


class _Signals:
    """While outputs are written, SIGTERM ends the run as SystemExit(143), so the temporary
    folder is removed on the way out; while files are moved in, SIGTERM and Ctrl-C wait until
    the moves are done, so a run's outputs appear together. Only the main thread can set
    handlers; elsewhere nothing changes."""

    def __init__(self) -> None:
        self.deferring = False
        self.pending: BaseException | None = None

    def _stop(self, signum: int, _frame: object) -> None:
        stop = KeyboardInterrupt() if signum == signal.SIGINT else SystemExit(128 + signum)
        if self.deferring:
            self.pending = self.pending or stop
        else:
            raise stop

    @contextlib.contextmanager
    def exiting(self) -> Iterator[None]:
        try:
            before = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGTERM,)}
        except ValueError:  # not the main thread
            yield
            return
        try:
            yield
        finally:
            for sig, handler in before.items():
                signal.signal(sig, handler)

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        try:
            before = signal.signal(signal.SIGINT, self._stop)
        except ValueError:
            before = None
        self.deferring = True
        try:
            yield
        finally:
            self.deferring = False
            if before is not None:
                signal.signal(signal.SIGINT, before)
        if self.pending is not None:
            raise self.pending


@dataclass(frozen=True)
class Extra:
    """An analysis beside the run (the search, the sweep), as the outputs need it.

    key        its section in results.json
    data       that section (plain JSON types)
    markdown   its section of report.md (and, converted, of report.html)
    charts     draws its charts into a folder in a format, returns the file names
    files      further files it writes: name -> text (search.json, sweep.csv)
    """

    key: str
    data: dict[str, Any]
    markdown: str
    charts: Callable[[Path, str], list[str]] | None = None
    files: dict[str, str] = field(default_factory=dict)


def json_text(data: dict[str, Any]) -> str:
    # allow_nan=False: NaN and Infinity are not JSON; a strict parser would reject the file
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_outputs(
    results: Results,
    folder: str | os.PathLike[str],
    fmt: str = "png",
    charts: bool = True,
    extras: Sequence[Extra] = (),
    force: bool = False,
    run_charts: bool = True,
    process: ChartProcess | None = None,
) -> list[str]:
    """Write charts, report.md, report.html, results.json and rounds.csv into `folder`,
    atomically, with the sections, charts and files of any `extras`.

    run_charts=False draws only the extras' charts: `sim search`, `sim sweep` and `sim discover`
    cost their own computation and charts, not the run's four again (a folder keeps the ones an
    earlier `sim run` wrote). `process`: a ChartProcess started before the run, to draw part of
    the run's charts.

    Raises OutputRefused if a number to be written is not finite (nothing is written), or if a
    file to be replaced was not written by the tool and `force` is false (see write_atomically).
    """
    from model.outputs.html import render_html
    from model.outputs.markdown import render_markdown, rounds_csv
    from model.outputs.sections import build_report

    problems = not_finite(results, extras)
    if problems:
        raise OutputRefused([*problems, f"{folder}: nothing was written."])

    def build(tmp: Path) -> list[str]:
        names: list[str] = []
        if charts and run_charts:
            from model.outputs.charts import write_charts  # matplotlib loads only when drawing
            from model.outputs.charts.timeline import write_timeline

            names += write_charts(results, tmp, fmt, process)
            timeline = write_timeline(results, tmp, fmt)
            names += [timeline] if timeline else []
        if charts:
            for extra in extras:
                names += extra.charts(tmp, fmt) if extra.charts else []
        files = ["report.md", "report.html", "results.json", "rounds.csv"]
        files += [name for extra in extras for name in extra.files]
        markdown = [extra.markdown for extra in extras]
        report = build_report(results, names, markdown, files=[*names, *files])
        (tmp / "report.md").write_text(render_markdown(report), encoding="utf-8")
        (tmp / "report.html").write_text(render_html(report, tmp), encoding="utf-8")
        data = results.to_json()
        data.update({extra.key: extra.data for extra in extras})
        (tmp / "results.json").write_text(json_text(data), encoding="utf-8")
        (tmp / "rounds.csv").write_text(rounds_csv(results), encoding="utf-8")
        for extra in extras:
            for name, body in extra.files.items():
                (tmp / name).write_text(body, encoding="utf-8")
        return [*names, *files]

    return write_atomically(Path(folder), build, force=force)


def not_finite(results: Results, extras: Sequence[Extra] = ()) -> list[str]:
    """One line per output that would carry a number that is not finite (nan, inf), naming the
    first such number and how many there are: JSON has no such numbers, and a nan in rounds.csv
    or a report means the arithmetic broke, not a finding."""
    found: dict[str, list[str]] = {}

    def check(where: str, what: str, x: object) -> None:
        if isinstance(x, (int, float)) and not isinstance(x, bool) and not math.isfinite(x):
            found.setdefault(where, []).append(f"{what} = {x}")

    for rec in results.history:
        for iid, row in rec.positions.items():
            for aid, x in row.items():
                check("rounds.csv", f"round {rec.round}, {iid}, position of {aid}", x)
        for series, values in (("mean", rec.mean), ("median", rec.median), ("nbs", rec.nbs)):
            for iid, x in values.items():
                check("rounds.csv", f"round {rec.round}, {iid}, {series}", x)
    verdicts = {**results.verdicts, results.forecast.id: results.forecast_verdicts}
    for pid, row in verdicts.items():
        for aid, v in row.items():
            check("results.json", f"proposals.{pid}.verdicts.{aid}.utility", v.utility)
            check("results.json", f"proposals.{pid}.verdicts.{aid}.reservation", v.reservation)
    for pid, by_issue in results.impacts.items():
        for iid, row in by_issue.items():
            for aid, im in row.items():
                at = f"proposals.{pid}.impacts.{iid}.{aid}"
                check("results.json", f"{at}.closeness", im.closeness)
                check("results.json", f"{at}.versus_status_quo", im.versus_status_quo)
    for iid, p in results.forecast.provisions.items():
        check("results.json", f"forecast.provisions.{iid}", p.value)
    for extra in extras:
        _walk(extra.data, extra.key, lambda at, x: check("results.json", at, x))
        for name, body in extra.files.items():
            if name.endswith(".csv"):
                for n, line in enumerate(body.splitlines(), 1):
                    for cell in line.split(","):
                        if cell.strip().lower().lstrip("+-") in ("nan", "inf", "infinity"):
                            found.setdefault(name, []).append(f"line {n}: {cell}")
    return [
        f"{name}: {len(items)} number{'s' * (len(items) != 1)} not finite (first: {items[0]}); "
        "inputs too large or too small for floating point?"
        for name, items in found.items()
    ]


def _walk(data: object, at: str, visit: Callable[[str, object], None]) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            _walk(value, f"{at}.{key}", visit)
    elif isinstance(data, (list, tuple)):
        for k, value in enumerate(data):
            _walk(value, f"{at}.{k}", visit)
    else:
        visit(at, data)
