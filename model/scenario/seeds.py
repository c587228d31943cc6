"""Checking that cited seed sentences really stand in the seed documents."""

from __future__ import annotations

import re
from pathlib import Path

_TYPOGRAPHIC = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold whitespace and typographic quotes: the only liberties a quotation may take."""
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHIC)).strip()


def find_seeds_dir(start: Path) -> Path | None:
    """The nearest `seeds/` folder at or above `start` (scenarios live beside it)."""
    for folder in [start, *start.parents]:
        candidate = folder / "seeds"
        if candidate.is_dir():
            return candidate
    return None


class SeedLibrary:
    """The seed documents of one project, read once and held normalised.

    With a `folder`, every quote is checked against it. Without one, a quote is checked against
    the `seeds/` folder nearest the file it is written in, so a what-if scenario kept outside
    the project can extend the project's scenarios and their quotes still resolve.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._near: dict[Path, Path | None] = {}
        self._texts: dict[tuple[Path | None, str], str | None] = {}

    def folder_for(self, file: Path | None) -> Path | None:
        if self.folder is not None or file is None:
            return self.folder
        start = file.resolve().parent
        if start not in self._near:
            self._near[start] = find_seeds_dir(start)
        return self._near[start]

    def text(self, doc: str, folder: Path | None) -> str | None:
        if (folder, doc) not in self._texts:
            path = folder / doc if folder else None
            ok = path is not None and path.is_file() and "/" not in doc and "\\" not in doc
            text = normalise(path.read_text(encoding="utf-8")) if ok else None
            self._texts[(folder, doc)] = text
        return self._texts[(folder, doc)]

    def check(self, doc: str, quote: str, file: Path | None = None) -> str | None:
        """None if the quote stands in the doc, else what is wrong; `file` is where the quote is
        written (it decides the seeds folder when none was given)."""
        folder = self.folder_for(file)
        text = self.text(doc, folder)
        if text is None:
            where = folder if folder else "no seeds/ folder found"
            return f"seed document {doc!r} not found ({where})"
        if normalise(quote) not in text:
            return f"quote not found in {doc}: {quote[:70]!r}" + ("..." if len(quote) > 70 else "")
        return None
