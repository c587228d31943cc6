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
    """The seed documents of one project, read once and held normalised."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._texts: dict[str, str | None] = {}

    def text(self, doc: str) -> str | None:
        if doc not in self._texts:
            path = self.folder / doc if self.folder else None
            ok = path is not None and path.is_file() and "/" not in doc and "\\" not in doc
            self._texts[doc] = normalise(path.read_text(encoding="utf-8")) if ok else None
        return self._texts[doc]

    def check(self, doc: str, quote: str) -> str | None:
        """None if the quote stands in the doc, else what is wrong."""
        text = self.text(doc)
        if text is None:
            where = self.folder if self.folder else "no seeds/ folder found"
            return f"seed document {doc!r} not found ({where})"
        if normalise(quote) not in text:
            return f"quote not found in {doc}: {quote[:70]!r}" + ("..." if len(quote) > 70 else "")
        return None
