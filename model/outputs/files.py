"""Writing a run's files without ever losing the previous run's.

Everything is built in a temporary folder beside the target; only when all of it has been
written is each file moved into place with an atomic rename. A run that fails, while building or
while moving, leaves the target as it was, and files in the target that a run did not make are
never touched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from model.results import Results


def write_atomically(folder: Path, build: Callable[[Path], list[str]]) -> list[str]:
    """Call `build(tmp)` to write files into a scratch folder, then move them into `folder`."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"{folder} exists and is not a folder")
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    try:
        names = build(tmp)
        folder.mkdir(exist_ok=True)
        _move_in(tmp, folder, names)
        return names
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _move_in(tmp: Path, folder: Path, names: list[str]) -> None:
    """Replace each file in `folder` by its new version; if any move fails, put back the ones
    already replaced (kept as hard links, or copies, in `tmp`) and remove the ones added."""
    for name in names:
        if (folder / name).is_dir():
            raise IsADirectoryError(f"{folder / name} is a folder; a run would write a file there")
    previous = tmp / ".previous"
    previous.mkdir()
    done: list[tuple[str, bool]] = []  # (name, it existed before)
    try:
        for name in names:
            target = folder / name
            existed = target.exists()
            if existed:
                try:
                    os.link(target, previous / name)
                except OSError:
                    shutil.copy2(target, previous / name)
            os.replace(tmp / name, target)
            done.append((name, existed))
    except BaseException:
        for name, existed in reversed(done):
            if existed:
                os.replace(previous / name, folder / name)
            else:
                (folder / name).unlink(missing_ok=True)
        raise


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
) -> list[str]:
    """Write charts, report.md, report.html, results.json and rounds.csv into `folder`,
    atomically, with the sections, charts and files of any `extras`."""
    from model.outputs.html import render_html
    from model.outputs.markdown import render_markdown, rounds_csv
    from model.outputs.sections import build_report

    def build(tmp: Path) -> list[str]:
        names: list[str] = []
        if charts:
            from model.outputs.charts import write_charts  # matplotlib loads only when drawing
            from model.outputs.charts.timeline import write_timeline

            names += write_charts(results, tmp, fmt)
            timeline = write_timeline(results, tmp, fmt)
            names += [timeline] if timeline else []
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

    return write_atomically(Path(folder), build)
