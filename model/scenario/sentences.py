"""Sentences of a news text: pysbd's rules plus what news copy adds.

pysbd (rule-based, offline) knows abbreviations ("U.S.", "Dr.", initials) but keeps a quotation
of several sentences whole, while the scenarios cite each sentence of a quotation on its own
(`"... conflict. And we will seek ...," he told ...` is two sentences); so the quotation marks are
blanked for the split and each sentence keeps the `run` of the quotation it belongs to, which
lets the speaker named at the quotation's end be carried back to its first sentence. Each line is
a paragraph (news copy puts one per line); a headline without final punctuation is therefore its
own sentence, and a wire dateline ("KYIV, Nov 21 (Reuters) -") is cut off its first sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

OPENING = "“«„"
CLOSING = "”»"
STRAIGHT = '"'
_INNER_END = re.compile(r"[.!?…][\"'”’»)\]]*\s")  # a possible sentence end inside a line
_MARKS = str.maketrans({c: " " for c in OPENING + CLOSING + STRAIGHT})
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’ -]{1,40}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)"  # KYIV / Brussels / NEW YORK
    r"(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2}(?:,? \d{4})?)?"  # , Nov 21
    r"\s*\([A-Z][\w .'/-]{1,30}\)"  # (Reuters), (European Press)
    r"\s*[-–—]+\s*"
    r"|^[A-Z][A-Z.'’ -]{2,30}\s*[-–—]+\s+(?=[A-Z“\"])"  # MOSCOW — ... (no agency)
)


@dataclass(frozen=True)
class Sentence:
    text: str  # exactly as in the document (a quote `sim validate` finds)
    paragraph: int  # the line it stands on, counting non-empty lines from 0
    index: int  # its place in the document, from 0
    start: int  # offset of its first character in the document
    run: int  # sentences of one quotation that spans sentence ends share a run


@cache
def _segmenter():  # noqa: ANN202 - pysbd has no types
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def _inside(line: str) -> list[bool]:
    """For each character, whether a quotation is open just before it (a straight mark opens
    when none is open and closes when one is)."""
    out, open_ = [], False
    for ch in line:
        out.append(open_)
        if ch in OPENING:
            open_ = True
        elif ch in CLOSING:
            open_ = False
        elif ch == STRAIGHT:
            open_ = not open_
    return out


def _pieces(line: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one line: pysbd on the line with its quotation marks
    blanked (same length, so the offsets hold for the line itself); an opening mark goes with
    the sentence it opens, a closing one with the sentence it closes."""
    inside = _inside(line)
    starts = []
    if not _INNER_END.search(line.rstrip()):  # no end of sentence before the line's end
        return [(len(line) - len(line.lstrip()), len(line))] if line.strip() else []
    for span in _segmenter().segment(line.translate(_MARKS)):
        start = span.start
        while start > 0 and (
            line[start - 1] in OPENING or (line[start - 1] == STRAIGHT and not inside[start - 1])
        ):
            start -= 1
        starts.append(start)
    if not starts:  # nothing but quotation marks: the line is one piece
        starts = [len(line) - len(line.lstrip())]
    bounds = [*starts[1:], len(line)]
    return [(s, e) for s, e in zip(starts, bounds, strict=True) if line[s:e].strip()]


def split(text: str) -> list[Sentence]:
    """Every sentence of a document, in order."""
    out: list[Sentence] = []
    run = 0
    offset = 0
    paragraph = -1
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        base = offset
        offset += len(line)
        if not body.strip():
            continue
        paragraph += 1
        cut = _DATELINE.match(body)
        if cut and not body[cut.end() :].strip():
            continue  # a dateline on a line of its own
        skip = cut.end() if cut else 0
        rest = body[skip:]
        inside = _inside(rest)
        for start, end in _pieces(rest):
            piece = rest[start:end]
            lead = len(piece) - len(piece.lstrip())
            if not inside[start + lead]:
                run += 1  # a sentence that opens no earlier quotation starts a run
            out.append(
                Sentence(piece.strip(), paragraph, len(out), base + skip + start + lead, run)
            )
    return out
