"""Reading the documents to extract from: bounded, UTF-8 text only, a folder read as its .txt."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from model.scenario.located import Unreadable, _utf16, read_bounded

MAX_DOC_BYTES = 10_000_000  # a long transcript is ~1 MB; ten times that is not an article


@dataclass(frozen=True)
class Document:
    name: str  # as the user named it (the file's name inside a folder given)
    text: str


class DocumentError(Exception):
    """A document that cannot be read: one line naming the file and why."""


def _decode(path: Path, raw: bytes) -> str:
    if _utf16(raw):  # (the same test as for scenario files)
        raise DocumentError(f"{path}: UTF-16 text; save it as UTF-8 and try again")
    if b"\x00" in raw[:8192]:
        raise DocumentError(f"{path}: a binary file, not plain text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8 and try again"
        ) from None
    if not text.strip():
        raise DocumentError(f"{path}: empty document")
    return text


def read_documents(paths: list[str | os.PathLike[str]]) -> list[Document]:
    """Each path's text, a folder giving every .txt in it (sorted); DocumentError for the first
    one that cannot be read."""
    out = []
    for given in paths:
        path = Path(given)
        try:
            files = (
                sorted(p for p in path.iterdir() if p.suffix == ".txt" and p.is_file())
                if path.is_dir()
                else None
            )
        except (OSError, ValueError) as exc:
            raise DocumentError(f"{path}: cannot read it: {exc}") from None
        if files is not None:
            if not files:
                raise DocumentError(f"{path}: a folder with no .txt document in it")
        else:
            files = [path]
        for file in files:
            try:
                raw = read_bounded(file, MAX_DOC_BYTES, noun="text document")
            except Unreadable as exc:
                raise DocumentError(f"{file}: {exc}") from None
            out.append(Document(str(file), _decode(file, raw)))
    return out
