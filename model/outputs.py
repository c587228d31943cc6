"""Writing a run's files without ever losing the previous run's.

Everything is built in a temporary folder beside the target; only when all of it has been
written is each file moved into place with an atomic rename. A run that fails, while building or
while moving, leaves the target as it was, and files in the target that a run did not make are
never touched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


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
