"""Checking that cited seed sentences really stand in the seed documents."""

from __future__ import annotations

import re
from pathlib import Path

from model.scenario.located import Unreadable, read_bounded

MAX_SEED_BYTES = 20_000_000

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
        self._texts: dict[tuple[Path | None, str], str] = {}

    def folder_for(self, file: Path | None) -> Path | None:
        if self.folder is not None or file is None:
            return self.folder
        start = file.resolve().parent
        if start not in self._near:
            self._near[start] = find_seeds_dir(start)
        return self._near[start]

    def text(self, doc: str, folder: Path | None) -> str:
        """The seed's normalised text, or Unreadable saying why there is none."""
        if (folder, doc) not in self._texts:
            self._texts[(folder, doc)] = self._read(doc, folder)
        return self._texts[(folder, doc)]

    @staticmethod
    def _read(doc: str, folder: Path | None) -> str:
        if folder is None:
            raise Unreadable("no seeds/ folder found", missing=True)
        if "/" in doc or "\\" in doc or doc in ("", ".", ".."):
            raise Unreadable("a name in the seeds folder, not a path", missing=True)
        raw = read_bounded(folder / doc, MAX_SEED_BYTES, noun="seed document")
        try:
            return normalise(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise Unreadable("is not UTF-8 text") from None

    def check(self, doc: str, quote: str, file: Path | None = None) -> str | None:
        """None if the quote stands in the doc, else what is wrong; `file` is where the quote is
        written (it decides the seeds folder when none was given)."""
        folder = self.folder_for(file)
        shown = doc if len(doc) <= 80 else doc[:77] + "..."
        try:
            text = self.text(doc, folder)
        except Unreadable as exc:
            if exc.missing:
                where = folder if folder else "no seeds/ folder found"
                return f"seed document {shown!r} not found ({where})"
            return f"seed document {shown!r}: {exc}"
        if normalise(quote) not in text:
            return f"quote not found in {doc}: {quote[:70]!r}" + ("..." if len(quote) > 70 else "")
        return None
