"""report.md, rendered from the report's sections, and rounds.csv."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from model.outputs import sections as sec
from model.results import Results
from model.scenario.types import Source, quoted


def _cite(source: Source) -> str:
    if source.doc is not None:
        return f"> {quoted(source.quote)}\n>\n> — `seeds/{source.doc}`"
    note = f" — {source.note}" if source.note else ""
    return f"> <{source.url}>{note}"


STYLES = {"strong": "**", "em": "*", "code": "`"}


def _inline(text: sec.Text) -> str:
    if isinstance(text, tuple):
        return "".join(_inline(part) for part in text)
    if isinstance(text, sec.Span):
        return f"{STYLES[text.style]}{text.text}{STYLES[text.style]}"
    if isinstance(text, sec.Mark):
        if text.depends:
            verdict = f"*depends* ({text.reason})"
        else:
            verdict = "accepts" if text.accepts else f"**rejects** ({text.reason})"
        return f"{verdict} {text.utility:.2f}"
    return text


def _row(cells: tuple[sec.Text, ...]) -> str:
    return "| " + " | ".join(_inline(c) for c in cells) + " |"


def _block(block: sec.Block) -> list[str]:
    """The block's lines (the blank line after it is the caller's)."""
    match block:
        case sec.Paragraph():
            return [_inline(block.text)]
        case sec.Heading():
            return [f"### {block.text}"]
        case sec.Table():
            rule = "|" + "---|" * len(block.header)
            return [_row(block.header), rule, *(_row(row) for row in block.rows)]
        case sec.Quote():
            return _cite(block.source).splitlines()
        case sec.Items():
            lines: list[str] = []
            for item in block.items:
                lines += [""] if lines else []
                lines.append(f"- {_inline(item.text)}")
                for quote in item.quotes:
                    lines += ["", *("  " + line for line in _block(quote))]
            return lines
        case sec.Figures():
            return [f"![{name}]({name})" for name in block.names]
        case sec.Code():
            return ["```", block.text, "```"]
        case sec.Markdown():
            return [block.text]
    raise TypeError(f"not a report block: {block!r}")


def render_markdown(report: sec.Report) -> str:
    """report.md: each section under its `## ` title, a blank line after every block."""
    out = [f"# {report.title}", ""]
    for section in (sec.Section(None, report.intro), *report.sections):
        if section.title is not None:
            out += [f"## {section.title}", ""]
        for block in section.blocks:
            out += [*_block(block), ""]
    return "\n".join(out)


def report_markdown(results: Results, charts: list[str], sections: Sequence[str] = ()) -> str:
    """report.md of a run whose folder holds `charts`, with `sections` (the search's, the
    sweep's) after the forecast."""
    return render_markdown(sec.build_report(results, charts, sections))


def rounds_csv(results: Results) -> str:
    """The data collector's table in long form: round, issue, series (actor or statistic), value.

    Values are written in full: fixed-point with at least 6 decimals and as many more as it takes
    to read back the same float (100.000000, 7.389955686853766), never an exponent.
    """
    from numpy import format_float_positional

    def num(x: float) -> str:
        return format_float_positional(float(x), unique=True, min_digits=6)

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["round", "issue", "series", "value"])
    for rec in results.history:
        for iid in results.scenario.issues:
            for aid, x in rec.positions[iid].items():
                writer.writerow([rec.round, iid, aid, num(x)])
            writer.writerow([rec.round, iid, "weighted_mean", num(rec.mean[iid])])
            writer.writerow([rec.round, iid, "weighted_median", num(rec.median[iid])])
            writer.writerow([rec.round, iid, "nash_bargaining", num(rec.nbs[iid])])
    return buf.getvalue()
