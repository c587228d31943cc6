"""Writing a run's files without ever losing the previous run's.

Everything is built in a temporary folder beside the target; only when all of it has been
written is each file moved into place with an atomic rename. A run that fails leaves the target
as it was, and files in the target that a run did not make are never touched.
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
        for name in names:
            os.replace(tmp / name, folder / name)
        return names
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
