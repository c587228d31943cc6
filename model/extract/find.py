"""Finding the sentences in which an actor states its own position on an issue.

Transparent rules, in three steps per sentence: who speaks (a speaker named with a verb of
speech, "according to X", a party as the subject of a stance verb, or a pronoun or a quotation
followed back to the last named speaker), whether the sentence is that speaker's own position
(not its claim about another party's, and not the journalist's analysis: no speaker, no
position), and what kind of stance its cue words mark. Every finding keeps the cue that fired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from model.extract import lexicon as lx
from model.extract.documents import Document
from model.extract.matching import FOLD, IssueHit, Issues, Mention, Speakers
from model.scenario.sentences import Sentence, split
from model.scenario.types import Scenario

_I = re.IGNORECASE
SPEECH = re.compile(rf"(?<!\w)(?:{lx.SPEECH})(?!\w)")
STANCE = re.compile(rf"(?:(?<!\w)(?:{lx.STANCE})|'s (?:{lx.POSSESSIVE}))(?!\w)")
PRONOUN_BEFORE = re.compile(rf"(?<!\w)(?:{lx.PRONOUN})(?:\s+\w+){{0,2}}\s*$", _I)
PRONOUN_AFTER = re.compile(rf"^\s*(?:{lx.PRONOUN})(?!\w)", _I)
ACCORDING = re.compile(r"(?<!\w)according to\s+(?:the\s+)?", _I)
PRESS_AFTER = re.compile(rf"^(?:'s)?\s*(?:(?:peace|new|draft|news|own)\s+)?(?:{lx.PRESS})(?!\w)")
CHARACTERISING = re.compile(rf"(?<!\w)(?:{lx.CHARACTERISING})(?!\w)", _I)
TEXT_QUOTED = re.compile(rf"(?<!\w){lx.TEXT_QUOTED}", _I)
INTENT = re.compile(rf"(?<!\w)(?:{lx.INTENT})(?!\w)")
QUOTED = re.compile(r'"[^"]{12,}"')
WHOLE_TEXT = re.compile(rf"(?<!\w)(?:{lx.WHOLE_TEXT})(?!\w)", _I)
GAP = re.compile(r"^[\s,]*(?:[\w'.-]+[\s,]+){0,6}$")  # "Grushko, the deputy minister, said"
TITLE_GAP = re.compile(r"^(?:[\w'.-]+\s+){0,4}$")  # "according to Foreign Minister Sergei Lavrov"
SHORT_GAP = re.compile(r"^\s*(?:[\w'-]+\s+){0,2}$")  # "Moscow also wants", "NATO has firmly"
CUES = {
    kind: [(re.compile(rf"(?<!\w)(?:{c})(?!\w)", _I), s) for c, s in cues]
    for kind, cues in lx.KINDS.items()
}
QUOTES = '"“”«»„'

# how sure the speaker is, by how it was found
NAMED, ACCORDING_TO, SUBJECT, RUN, PRONOUN, CARRIED = 0.95, 0.85, 0.8, 0.85, 0.75, 0.6


@dataclass(frozen=True)
class Finding:
    doc: str
    quote: str  # the whole sentence, exactly as in the document
    actor: str
    issue: str | None  # None: a stance on a whole text ("a basis for talks")
    kind: str  # refusal | demand | acceptance | concession
    value: str | float | None  # option id or number the sentence names
    confidence: float
    cue: str  # the cue words that fired
    speaker: str  # the words that named the speaker ("Lavrov", "she -> Zakharova")
    keyword: str | None  # the words that named the issue
    status: str = ""  # cited | supports | contradicts | new (set by model.extract.status)
    reason: str = ""
    snippet: str = ""

    def to_dict(self) -> dict[str, object]:
        keys = ("doc", "quote", "actor", "issue", "kind", "value", "confidence", "cue", "status")
        return {k: getattr(self, k) for k in keys}


@dataclass(frozen=True)
class _Speaker:
    actor: str
    words: str
    sure: float
    end: int  # where the attribution ends in the sentence (content is what is left)


def kind_of(folded: str) -> tuple[str, str, float] | None:
    """The strongest cue's kind, the words that fired and its strength (ties: refusal first).
    The speaker's own words come first: a cue inside quotation marks outranks one in the
    journalist's paraphrase around them ("'no veto,' Rutte said, stressing members must ...")."""
    quoted = " ".join(m.group() for m in QUOTED.finditer(folded))
    for text in (quoted.replace('"', ""), folded.replace('"', "")):  # a cue may hold a mark
        best = None
        for kind in lx.KIND_ORDER:
            for pattern, strength in CUES[kind]:
                m = pattern.search(text)
                if m and (best is None or strength > best[2]):
                    best = (kind, m.group(), strength)
        if best is not None:
            return best
    return None


def _not_press(m: Mention, folded: str) -> bool:
    return not PRESS_AFTER.match(folded[m.end :])


def _speaker(folded: str, mentions: list[Mention]) -> tuple[_Speaker | None, bool]:
    """The speaker named in the sentence, and whether a pronoun stands for one instead: the
    subject of its first verb of speech or of stance, or the party after "according to".
    A text quoted word for word speaks for no party: what it says is not looked at."""
    quoted = TEXT_QUOTED.search(folded)
    if quoted is not None:
        folded = folded[: quoted.start()]
    mentions = [m for m in mentions if m.end <= len(folded) and _not_press(m, folded)]
    events = sorted(
        [(m.start(), "speech", m) for m in SPEECH.finditer(folded)]
        + [(m.start(), "stance", m) for m in STANCE.finditer(folded)]
        + [(m.start(), "according", m) for m in ACCORDING.finditer(folded)],
        key=lambda e: e[0],
    )
    for _at, kind, verb in events:
        if kind == "according":
            if PRONOUN_AFTER.match(folded[verb.end() :]):
                return None, True
            first = [m for m in mentions if m.start >= verb.end()]
            if first and TITLE_GAP.match(folded[verb.end() : first[0].start]):
                return _Speaker(first[0].actor, first[0].alias, ACCORDING_TO, first[0].end), False
            continue
        gap = GAP if kind == "speech" else SHORT_GAP
        before = [
            m
            for m in mentions
            if m.end <= verb.start()
            and gap.match(folded[m.end : verb.start()])
            and not any(q in folded[m.end : verb.start()] for q in QUOTES)
        ]
        if before:
            m = before[-1]
            if kind == "speech":
                return _Speaker(m.actor, m.alias, NAMED, verb.end()), False
            return _Speaker(m.actor, m.alias, SUBJECT, m.start), False
        if PRONOUN_BEFORE.search(folded[: verb.start()]):
            return None, True
        if kind == "speech":
            after = [m for m in mentions if m.start >= verb.end()]
            if after and GAP.match(folded[verb.end() : after[0].start]):
                if after[0].start - verb.end() < 60:
                    return _Speaker(after[0].actor, after[0].alias, NAMED, after[0].end), False
            if PRONOUN_AFTER.match(folded[verb.end() :]):
                return None, True
    return None, False


def _characterises(folded: str, mentions: list[Mention], speaker: _Speaker) -> bool:
    """The speaker puts a stance in another party's mouth ("Kyiv says Moscow wants ...")."""
    for m in mentions:
        if m.actor == speaker.actor or m.start < speaker.end:
            continue
        nxt = INTENT.search(folded, m.end)
        if nxt and SHORT_GAP.match(folded[m.end : nxt.start()]):
            return True
    return bool(CHARACTERISING.search(folded))


class Extractor:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.speakers = Speakers(scenario)
        self.issues = Issues(scenario)

    def document(self, doc: Document) -> list[Finding]:
        sentences = split(doc.text)
        found: list[Finding] = []
        resolved = self._attribute(sentences)
        hits = [self.issues.hits(s.text.translate(FOLD)) for s in sentences]
        for n, (sentence, who) in enumerate(zip(sentences, resolved, strict=True)):
            if who is not None:
                found += self._findings(
                    doc.name, sentence, who, hits[n], _topic(sentences, hits, n)
                )
        return found

    def _attribute(self, sentences: list[Sentence]) -> list[_Speaker | None]:
        """Each sentence's speaker: named in it, else its quotation's, else (for a pronoun or a
        quotation standing alone) the last speaker named within the last two paragraphs."""
        named: list[_Speaker | None] = []
        pronoun: list[bool] = []
        person: list[_Speaker | None] = []  # the first person named, the antecedent of "he"
        for s in sentences:
            folded = s.text.translate(FOLD)
            mentions = self.speakers.mentions(folded)
            who, by_pronoun = _speaker(folded, mentions)
            named.append(who)
            pronoun.append(by_pronoun)
            first = next((m for m in mentions if m.alias in self.speakers.persons), None)
            person.append(_Speaker(first.actor, first.alias, NAMED, 0) if first else None)
        out: list[_Speaker | None] = []
        before: list[_Speaker | None] = []  # the last named speaker still in reach
        last: tuple[int, _Speaker] | None = None
        for s, who, by_pronoun, named_person in zip(sentences, named, pronoun, person, strict=True):
            recent = last[1] if last is not None and s.paragraph - last[0] <= 2 else None
            if who is None and by_pronoun and named_person is not None:
                who = _Speaker(named_person.actor, f"pronoun -> {named_person.words}", PRONOUN, 0)
            elif who is None and by_pronoun and recent is not None:
                who = _Speaker(recent.actor, f"pronoun -> {recent.words}", PRONOUN, 0)
            before.append(recent)
            if who is not None and who.sure != PRONOUN:
                last = (s.paragraph, who)
            elif who is None and named_person is not None:
                last = (s.paragraph, named_person)
            out.append(who)
        runs: dict[int, _Speaker] = {}
        quoted_runs: set[int] = set()  # runs whose first sentence opens a quotation
        for s, who in zip(sentences, out, strict=True):
            if who is not None:
                runs.setdefault(s.run, who)
            if s.text[:1] in QUOTES and all(t.run != s.run for t in sentences[: s.index]):
                quoted_runs.add(s.run)
        for n, s in enumerate(sentences):
            if out[n] is not None:
                continue
            if s.run in runs:
                out[n] = _Speaker(runs[s.run].actor, runs[s.run].words, RUN, 0)
            elif s.run in quoted_runs and before[n] is not None:
                carried = before[n]
                out[n] = _Speaker(carried.actor, f"quotation -> {carried.words}", CARRIED, 0)
        return out

    def _findings(
        self, doc: str, s: Sentence, who: _Speaker, hits: list[IssueHit], carried: IssueHit | None
    ) -> list[Finding]:
        """The sentence's findings: one per issue it names; none named, a stance on a whole
        text if it names one, else the issue of the sentence before (a quotation that goes
        on about it: "This is the sovereign right of any country")."""
        folded = s.text.translate(FOLD)
        mentions = self.speakers.mentions(folded)
        if _characterises(folded, mentions, who):
            return []
        kind = kind_of(folded)
        if kind is None:
            return []
        name, cue, strength = kind
        confidence = round(who.sure * strength, 2)
        if not hits:
            whole = WHOLE_TEXT.search(folded)
            if whole is not None:
                return [
                    Finding(
                        doc,
                        s.text,
                        who.actor,
                        None,
                        name,
                        None,
                        confidence,
                        cue,
                        who.words,
                        whole.group(),
                    )
                ]
            if carried is None:
                return []
            confidence = round(confidence * 0.8, 2)
            hits = [IssueHit(carried.issue, f"{carried.keyword} (a sentence beside)", None, 0)]
        return [
            Finding(
                doc,
                s.text,
                who.actor,
                h.issue,
                name,
                h.value,
                confidence,
                cue,
                who.words,
                h.keyword,
            )
            for h in hits
        ]


def _topic(sentences: list[Sentence], hits: list[list[IssueHit]], n: int) -> IssueHit | None:
    """The issue a sentence that names none is about: the one named last in the nearest sentence
    before it (same or previous paragraph), else the first named after it in its paragraph ("NATO
    leaders dismissed Moscow's position. Rutte said ... membership.")."""
    for m in range(n - 1, -1, -1):
        if sentences[n].paragraph - sentences[m].paragraph > 1:
            break
        if hits[m]:
            return max(hits[m], key=lambda h: h.at)
    for m in range(n + 1, len(sentences)):
        if sentences[m].paragraph != sentences[n].paragraph:
            break
        if hits[m]:
            return min(hits[m], key=lambda h: h.at)
    return None


def extract(scenario: Scenario, docs: list[Document]) -> list[Finding]:
    """Every finding in the documents, in document order."""
    extractor = Extractor(scenario)
    return [f for doc in docs for f in extractor.document(doc)]
