"""The report as one ordered list of sections, which report.md and report.html both render, so
that neither can lack a section the other has.

A section holds blocks (paragraphs, tables, lists, figures, quotes, code, Markdown that an
analysis brings); a block's text is plain strings and styled spans. Nothing here is escaped or
formatted: that is each renderer's job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from model.evaluation.explain import explain, render
from model.evaluation.reasons import no_deal_note, open_reason, rejection_reason
from model.evaluation.verdicts import Verdict
from model.results import Results
from model.scenario.types import Source, quoted


@dataclass(frozen=True)
class Span:
    """Text with a style: "strong", "em" or "code"."""

    text: str
    style: str


@dataclass(frozen=True)
class Mark:
    """An actor's verdict on a proposal, with its utility and, when it rejects (or its verdict
    depends on how open points are settled), why."""

    accepts: bool
    utility: float
    reason: str = ""
    depends: bool = False


Inline = str | Span | Mark
Text = Inline | tuple[Inline, ...]


@dataclass(frozen=True)
class Paragraph:
    text: Text
    muted: bool = False  # a side note (the run's settings)


@dataclass(frozen=True)
class Heading:
    """A subsection's title."""

    text: str


@dataclass(frozen=True)
class Table:
    header: tuple[Text, ...]
    rows: tuple[tuple[Text, ...], ...]


@dataclass(frozen=True)
class Quote:
    """A source: a seed document's quote, or a link with a note."""

    source: Source


@dataclass(frozen=True)
class Item:
    """A list item, with the quotes that back it."""

    text: Text
    quotes: tuple[Quote, ...] = ()


@dataclass(frozen=True)
class Items:
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Figures:
    """Chart files, by name, in the output folder."""

    names: tuple[str, ...]


@dataclass(frozen=True)
class Code:
    """Preformatted text (an explanation laid out in columns)."""

    text: str


@dataclass(frozen=True)
class Markdown:
    """Markdown an analysis writes itself (the search's, the sweep's section)."""

    text: str


Block = Paragraph | Heading | Table | Quote | Items | Figures | Code | Markdown


@dataclass(frozen=True)
class Section:
    """A `## ` section; `title` None: its Markdown brings its own title."""

    title: str | None
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Report:
    title: str
    intro: tuple[Block, ...]
    sections: tuple[Section, ...]


def build_report(
    results: Results,
    charts: Sequence[str],
    extras: Sequence[str] = (),
    files: Sequence[str] = (),
) -> Report:
    """The report: summary, charts, red lines crossed with quotes, explanations, forecast,
    then `extras` (the search's and the sweep's sections, in Markdown), then provision by
    provision. `files`, the names this run writes, are listed in the intro: a folder may also
    hold an earlier run's files (a search, then a sweep into one folder)."""
    sc = results.scenario
    state = "converged" if results.converged else "round limit"
    intro: list[Block] = [Paragraph(sc.description.strip())] if sc.description else []
    intro.append(
        Paragraph(
            (
                "Scenario ",
                Span(sc.name, "code"),
                f", seed {results.seed}, dynamics ",
                Span(sc.model.dynamics, "code"),
                f": {results.rounds} rounds ({state}).",
            ),
            muted=True,
        )
    )
    if files:
        intro.append(
            Paragraph(
                (
                    "Files of this run: ",
                    *_joined([Span(name, "code") for name in files]),
                    " (any other file in this folder is from an earlier run).",
                ),
                muted=True,
            )
        )
    sections = [_summary(results)]
    if charts:
        sections.append(Section("Charts", (Figures(tuple(charts)),)))
    sections += [_red_lines(results), _why(results), _forecast(results)]
    sections += [_extra(text) for text in extras]
    sections.append(_provisions(results))
    return Report(sc.title, tuple(intro), tuple(sections))


def _joined(spans: Sequence[Span]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for n, span in enumerate(spans):
        out += [", ", span] if n else [span]
    return tuple(out)


def _mark(results: Results, pid: str, v: Verdict) -> Mark:
    ov = results.open_verdicts.get(pid, {}).get(v.actor)
    if ov is not None:
        reason = "" if ov.verdict == "accepts" else open_reason(results.on(pid), ov, v)
        return Mark(ov.verdict == "accepts", v.utility, reason, ov.verdict == "depends")
    return Mark(v.accepts, v.utility, "" if v.accepts else rejection_reason(results.on(pid), v))


def _summary(results: Results) -> Section:
    actors = list(results.scenario.actors.values())
    rows = [
        (label, *(_mark(results, pid, verdicts[a.id]) for a in actors))
        for pid, label, verdicts in results.columns()
    ]
    rows.append(
        (
            Span("no deal (reservation)", "em"),
            *(f"{results.reservation(a.id):.2f}" for a in actors),
        )
    )
    text = (
        "Each cell: the verdict and the actor's utility (0 = worst, 1 = its ideal package). "
        "An actor accepts iff no provision crosses one of its red lines and the package is worth "
        "at least no deal (the status quo)."
    )
    if results.no_deal_rejected():
        text += " " + no_deal_note()
    if results.open_verdicts:
        text += (
            " On a text that leaves points open, the verdict holds however they are settled, or "
            "depends on how (with the settlement that wins the actor and one that loses it); "
            "the utility reads the open points at the status quo."
        )
    if results.scenario.as_of:
        text += (
            " Each dated text is judged on the stances and status quo of its date, the rest on "
            f"those of {results.scenario.as_of}."
        )
    header = ("proposal", *(a.name for a in actors))
    return Section("Summary", (Paragraph(text), Table(header, tuple(rows))))


def _red_lines(results: Results) -> Section:
    sc = results.scenario
    actors = list(sc.actors.values())
    blocks: list[Block] = []
    for _, label, verdicts in results.columns():
        crossed = [(a, x) for a in actors for x in verdicts[a.id].violations]
        blocks.append(Heading(label))
        if not crossed:
            blocks.append(Paragraph("No red line is crossed."))
            continue
        items = []
        for a, x in crossed:
            issue = sc.issues[x.issue]
            text = (
                Span(a.name, "strong"),
                " — ",
                Span(issue.label, "em"),
                f": the proposal's {quoted(issue.describe(x.value))} crosses its red line "
                f"({x.red_line.text}).",
            )
            items.append(Item(text, tuple(Quote(s) for s in x.red_line.sources)))
        blocks.append(Items(tuple(items)))
    return Section("Red lines crossed, with their sources", tuple(blocks))


def _why(results: Results) -> Section:
    sc = results.scenario
    text = (
        "Each part is the actor's salience share of the issue times the provision's closeness "
        "to its ideal; the parts add up to the utility."
    )
    blocks: list[Block] = [Paragraph(text)]
    blocks += [
        Code(render(results.on(p.id), p, explain(results.on(p.id), aid, p)))
        for p in [*sc.proposals.values(), results.forecast]
        for aid in sc.actors
    ]
    return Section("Why: each actor on each proposal", tuple(blocks))


def _forecast(results: Results) -> Section:
    sc = results.scenario
    rows = tuple(
        (
            issue.label,
            issue.describe(issue.status_quo),
            issue.describe(results.forecast.provisions[iid].value),
        )
        for iid, issue in sc.issues.items()
    )
    table = Table(("issue", "status quo", "forecast"), rows)
    return Section("The forecast", (Paragraph(results.forecast.description or ""), table))


WORDS = {"ideal": "ideal", "below_ideal": "below ideal", "red_line": Span("red line", "strong")}


def _provisions(results: Results) -> Section:
    sc = results.scenario
    actors = list(sc.actors.values())
    blocks: list[Block] = []
    for pid, proposal in sc.proposals.items():
        if not proposal.provisions:
            continue
        rows = []
        for iid, row in results.impacts[pid].items():
            issue = sc.issues[iid]
            cells: list[Text] = []
            for a in actors:
                im = row.get(a.id)
                if im is None:
                    cells.append("—")
                else:
                    cells.append((WORDS[im.status], f" ({im.versus_status_quo:+.2f} vs no deal)"))
            value = issue.describe(proposal.provisions[iid].value)
            if proposal.provisions[iid].open:
                value += " (left open)"
            rows.append((issue.label, value, *cells))
        header = ("issue", "provision", *(a.name for a in actors))
        blocks += [Heading(proposal.label), Table(header, tuple(rows))]
    return Section("Provision by provision", tuple(blocks))


def _extra(text: str) -> Section:
    """An analysis's section, which arrives as Markdown under its own `## ` title: the title is
    read off so that both renderers head it as they head every other section."""
    text = text.strip()
    head, _, body = text.partition("\n\n")
    if head.startswith("## ") and "\n" not in head and body and not body[0].isspace():
        return Section(head[3:], (Markdown(body),))
    return Section(None, (Markdown(text),))
