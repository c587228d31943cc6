"""Checking that cited seed sentences really stand in the seed documents."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from model.scenario.checks import QUOTE_PATTERN
from model.scenario.located import Unreadable, read_bounded
from model.scenario.sentences import split

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
        self._sentences: dict[tuple[Path | None, str], _Sentences] = {}

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

    def sentences(self, doc: str, folder: Path | None) -> _Sentences:
        """The seed's sentences (read once), for the whole-sentence check and suggestions."""
        if (folder, doc) not in self._sentences:
            raw = read_bounded(folder / doc, MAX_SEED_BYTES, noun="seed document")  # type: ignore[operator]
            self._sentences[(folder, doc)] = _Sentences(raw.decode("utf-8-sig"))
        return self._sentences[(folder, doc)]

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
        wanted = normalise(quote)
        shown_quote = f"{quote[:70]!r}" + ("..." if len(quote) > 70 else "")
        sentences = self.sentences(doc, folder)
        if wanted not in text:
            near = sentences.closest(wanted)
            hint = f" (closest sentence: {near[:100]!r}{'...' * (len(near) > 100)})" if near else ""
            return f"quote not found in {doc}: {shown_quote}{hint}"
        if re.search(QUOTE_PATTERN, wanted) and not sentences.whole(wanted):
            # (a quote of under three words is already refused by the schema)
            return (
                f"quote not found in {doc} as whole sentences (it starts or ends inside one): "
                + shown_quote
            )
        return None


class _Sentences:
    """A seed's sentences, normalised and joined, with where each starts and ends: a quote is
    whole when it runs from the start of one sentence to the end of the same or a later one."""

    def __init__(self, text: str) -> None:
        self.list = [normalise(s.text) for s in split(text)]
        self.joined = " ".join(self.list)
        self.starts, self.ends, at = set(), set(), 0
        for sentence in self.list:
            self.starts.add(at)
            self.ends.add(at + len(sentence))
            at += len(sentence) + 1

    def whole(self, quote: str) -> bool:
        at = self.joined.find(quote)
        while at >= 0:
            if at in self.starts and at + len(quote) in self.ends:
                return True
            at = self.joined.find(quote, at + 1)
        return False

    def closest(self, quote: str) -> str | None:
        """The seed sentence most like the quote (difflib's ratio, at least 0.6), if any."""
        if len(self.list) > 5000:
            return None  # a very long seed: not worth a quadratic search in a validation
        found = difflib.get_close_matches(quote, self.list, n=1, cutoff=0.6)
        return found[0] if found else None
