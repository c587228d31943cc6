"""Who speaks (the actors' `speakers:`) and on what (the issues' `keywords:`), as regexes built
once per scenario, so that an analyst who adds a speaker or an issue teaches the extractor too."""

from __future__ import annotations

import re
from dataclasses import dataclass

from model.scenario.types import Issue, Scenario

FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
"""One character for one: offsets in the folded text are offsets in the original."""

_BODY = {
    "Ministry", "Embassy", "Office", "House", "Department", "Council", "Commission", "Minister",
    "Union", "States", "Kingdom", "Assembly", "Parliament", "Kremlin", "President", "Secretary",
    "General", "Spokesperson", "Forces", "Delegation", "Government", "Cabinet", "Street",
}  # fmt: skip


def is_person(speaker: str) -> bool:
    """Written as a person's name: two or three capitalised words, none of them a body's."""
    words = speaker.split()
    return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and not _BODY & set(words)


def aliases(speakers: tuple[str, ...], name: str) -> tuple[list[str], set[str]]:
    """The names an actor is mentioned by (its own name, its speakers, and the surname of each
    speaker written as a person's name: "Sergei Lavrov" is also "Lavrov"), and which of them
    name a person (the antecedents of "he" and "she")."""
    out, persons = [name, *speakers], set()
    for s in speakers:
        if is_person(s):
            persons.add(s)
            if len(s.split()[-1]) > 3:
                out.append(s.split()[-1])
                persons.add(s.split()[-1])
    return sorted({a for a in out if a}, key=len, reverse=True), persons


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    actor: str
    alias: str


class Speakers:
    def __init__(self, scenario: Scenario) -> None:
        table: dict[str, str] = {}
        self.persons: set[str] = set()
        for actor in scenario.actors.values():
            names, persons = aliases(actor.speakers, actor.name)
            for alias in names:
                table.setdefault(alias.translate(FOLD), actor.id)
            self.persons |= {p.translate(FOLD) for p in persons}
        self.table = table
        names = sorted(table, key=len, reverse=True)
        self.pattern = re.compile(
            r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])"
        )

    def mentions(self, folded: str) -> list[Mention]:
        return [Mention(m.start(), m.end(), self.table[m.group()], m.group())
                for m in self.pattern.finditer(folded)]  # fmt: skip


class Keyword:
    """`word*` matches a prefix; `a & b` needs both; otherwise the words as a phrase."""

    def __init__(self, word: str) -> None:
        self.word = word
        self.parts = []
        self.needles = []  # each part's words in lower case: a cheap test before the regex
        for part in word.split("&"):
            part = part.strip().translate(FOLD)
            self.needles.append(part.rstrip("*").lower().split()[0] if part.strip("*") else "")
            body = re.escape(part.rstrip("*")).replace(r"\ ", r"\s+")
            tail = r"\w*" if part.endswith("*") else r"(?!\w)"
            self.parts.append(re.compile(rf"(?<!\w){body}{tail}", re.IGNORECASE))

    def at(self, folded: str, lower: str | None = None) -> int | None:
        """Where the last of its parts stands in the sentence, or None if one is missing
        (`lower`: the sentence in lower case, if the caller has it)."""
        lower = folded.lower() if lower is None else lower
        if any(n not in lower for n in self.needles):
            return None
        starts = [p.search(folded) for p in self.parts]
        return None if None in starts else max(m.start() for m in starts if m)


@dataclass(frozen=True)
class IssueHit:
    issue: str
    keyword: str
    value: str | float | None  # option id or number named in the sentence
    at: int  # where the keyword stands in the sentence


_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:[ ,]\d{3})+|\d+(?:\.\d+)?)(\s*(?:thousand|k)\b)?", re.I)


class Issues:
    def __init__(self, scenario: Scenario) -> None:
        self.issues = scenario.issues
        self.keywords = {
            iid: [
                Keyword(k)
                for k in (
                    *issue.keywords,
                    issue.label,
                    *(k for o in issue.options for k in o.keywords),
                )
                if k.strip()
            ]
            for iid, issue in scenario.issues.items()
        }
        self.options = {
            iid: [(o.id, Keyword(k)) for o in issue.options for k in (o.label, *o.keywords)]
            for iid, issue in scenario.issues.items()
        }

    def hits(self, folded: str) -> list[IssueHit]:
        out = []
        lower = folded.lower()
        for iid, patterns in self.keywords.items():
            fired = next(
                ((k, at) for k in patterns if (at := k.at(folded, lower)) is not None), None
            )
            if fired is not None:
                value = self.value(self.issues[iid], folded, lower)
                out.append(IssueHit(iid, fired[0].word, value, fired[1]))
        return out

    def value(self, issue: Issue, folded: str, lower: str) -> str | float | None:
        if issue.options:
            named = {oid for oid, k in self.options[issue.id] if k.at(folded, lower) is not None}
            return named.pop() if len(named) == 1 else None
        for m in _NUMBER.finditer(folded):
            if not (m.group(2) or "," in m.group(1) or " " in m.group(1)):
                continue  # a bare number is a year or a date more often than a value
            number = float(m.group(1).replace(",", "").replace(" ", ""))
            if "thousand" in (issue.unit or "") and not m.group(2) and number >= 1000:
                number /= 1000
            if issue.lo <= number <= issue.hi:
                return number
        return None
