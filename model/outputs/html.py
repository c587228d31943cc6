"""report.html: the report a person opens, in one self-contained file (charts embedded)."""

from __future__ import annotations

import base64
import html
import struct
from collections.abc import Sequence
from pathlib import Path

from model.evaluation.reasons import rejection_reason
from model.results import Results
from model.scenario.types import Source, quoted

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#1f2328;line-height:1.45}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
table{border-collapse:collapse;margin:1em 0;font-size:.92em}
th,td{border:1px solid #d0d7de;padding:.35em .6em;text-align:left;vertical-align:top}
th{background:#f6f8fa}.yes{color:#1a7f37;font-weight:600}.no{color:#b91c1c;font-weight:600}
figure{margin:1.5em 0}figcaption{color:#57606a;font-size:.9em}
.zoom{position:absolute;opacity:0;pointer-events:none}
.frame{display:block;overflow-x:auto;cursor:zoom-in;border:1px solid #eee}
.frame img,.frame svg{display:block;max-width:100%;height:auto}
.zoom:checked+.frame{cursor:zoom-out;width:calc(100vw - 2em);margin-left:calc(50% - 50vw + 1em)}
.zoom:checked+.frame img,.zoom:checked+.frame svg{max-width:none;width:auto}
.zoom:focus-visible+.frame{outline:2px solid #0969da}
.hint{font-size:.85em}blockquote{margin:.4em 0 .8em 1em;padding-left:.8em;
border-left:3px solid #d0d7de;color:#3d444d}.muted{color:#57606a}
"""

CAPTIONS = {
    "acceptance": "Actors by proposal: colour is the actor's utility; the mark says whether it "
    "accepts, and a rejection names the red line crossed.",
    "issues": "Each issue's options, each actor's ideal and unacceptable zone, and where each "
    "proposal lands.",
    "positions": "Negotiating positions round by round, with the weighted mean and median.",
    "utilities": "Each actor's utility of each proposal against what no deal is worth to it.",
    "frontier": "The zone of agreement: each panel projects the packages no actor can improve on "
    "without another losing (the Pareto frontier) onto two actors' utilities, with no deal, the "
    "Nash bargaining package and the proposals marked.",
    "conflicts": "Which actor holds a red line on which issue, and which of them stand in the way "
    "of a deal.",
    "sweep": "How sure each verdict is: the probability that each actor accepts each proposal "
    "across the drawn scenarios, with its 95% interval.",
    "tornado": "The guesses that matter most: how far each uncertain input moves a verdict.",
    "timeline": "The dated proposals in order: each actor's utility (line), whether it accepts "
    "(dot) or rejects (cross), and what no deal is worth to it (dotted): who each text moved "
    "toward.",
}


FIT = 1100
"""The page's width in CSS pixels: a wider chart is shown fitted, or at its natural size."""
WIDE = 1.6
"""A chart wider than WIDE x FIT opens at its natural size (scrolled sideways): fitted, its
text would be too small to read."""


def _e(text: object) -> str:
    return html.escape(str(text))


def _png_width(data: bytes) -> int:
    return struct.unpack(">I", data[16:20])[0] if data[:8] == b"\x89PNG\r\n\x1a\n" else 0


def _source(s: Source) -> str:
    if s.doc is not None:
        return (
            f"<blockquote>{_e(quoted(s.quote))}<br>"
            f"<span class=muted>seeds/{_e(s.doc)}</span></blockquote>"
        )
    note = f" &mdash; {_e(s.note)}" if s.note else ""
    return f'<blockquote><a href="{_e(s.url)}">{_e(s.url)}</a>{note}</blockquote>'


def _figure(folder: Path, name: str) -> str:
    """The chart embedded in a <figure>. A PNG or SVG chart sits in a frame that toggles, on a
    click, between fitted to the page and its natural size (scrolling sideways), with no
    script: the frame is the label of a hidden checkbox, and CSS reads the box's state."""
    path = folder / name
    stem, _, ext = name.rpartition(".")
    caption = _e(CAPTIONS.get(stem, ""))
    if ext == "pdf":
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        body = f'<embed src="data:application/pdf;base64,{data}" width="100%" height="600">'
        return f"<figure id=chart-{_e(stem)}>{body}<figcaption>{caption}</figcaption></figure>"
    if ext == "svg":
        body = path.read_text(encoding="utf-8")
        body = body[body.index("<svg") :]
        wide = False
    else:
        raw = path.read_bytes()
        data = base64.b64encode(raw).decode("ascii")
        body = f'<img alt="{_e(stem)} chart" src="data:image/png;base64,{data}">'
        wide = _png_width(raw) > WIDE * FIT
    box = f"zoom-{_e(stem)}"
    hint = (
        "shown at full size: scroll sideways; click it to fit it to the page"
        if wide
        else "click the chart to see it at full size, and again to fit it"
    )
    return (
        f"<figure id=chart-{_e(stem)}>"
        f"<input type=checkbox class=zoom id={box}{' checked' if wide else ''}>"
        f'<label class=frame for={box} title="click: full size / fit to the page">{body}</label>'
        f"<figcaption>{caption} <span class=hint>({hint})</span></figcaption></figure>"
    )


def report_html(
    results: Results, folder: Path, charts: list[str], sections: Sequence[str] = ()
) -> str:
    """The HTML page; `folder` holds the chart files named in `charts`, which get embedded;
    `sections` are report.md sections (the search's, the sweep's), converted from Markdown."""
    sc = results.scenario
    actors = list(sc.actors.values())
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<title>{_e(sc.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_e(sc.title)}</h1>",
    ]
    if sc.description:
        parts.append(f"<p>{_e(sc.description.strip())}</p>")
    state = "converged" if results.converged else "stopped at the round limit"
    parts.append(
        f"<p class=muted>Scenario <code>{_e(sc.name)}</code>, seed {results.seed}, dynamics "
        f"<code>{_e(sc.model.dynamics)}</code>: {results.rounds} rounds ({state}).</p>"
    )
    parts += [
        "<h2>Summary</h2>",
        "<p>Utility runs from 0 (worst) to 1 (the actor's ideal). An "
        "actor accepts iff no provision crosses one of its red lines and the package is "
        "worth at least no deal.</p>",
        "<table><tr><th>proposal</th>",
    ]
    parts += [f"<th>{_e(a.name)}</th>" for a in actors] + ["</tr>"]
    for _, label, verdicts in results.columns():
        parts.append(f"<tr><td>{_e(label)}</td>")
        for a in actors:
            v = verdicts[a.id]
            if v.accepts:
                parts.append(f"<td><span class=yes>accepts</span> {v.utility:.2f}</td>")
            else:
                why = f"<br><small>{_e(rejection_reason(results.scenario, v))}</small>"
                parts.append(f"<td><span class=no>rejects</span> {v.utility:.2f}{why}</td>")
        parts.append("</tr>")
    parts.append("<tr><td><em>no deal (reservation)</em></td>")
    parts += [f"<td>{results.reservation(a.id):.2f}</td>" for a in actors]
    parts.append("</tr></table>")
    if charts:
        parts.append("<h2>Charts</h2>")
        parts += [_figure(folder, name) for name in charts]
    parts.append("<h2>Red lines crossed, with their sources</h2>")
    for _, label, verdicts in results.columns():
        crossed = [(a, x) for a in actors for x in verdicts[a.id].violations]
        parts.append(f"<h3>{_e(label)}</h3>")
        if not crossed:
            parts.append("<p>No red line is crossed.</p>")
        for a, x in crossed:
            issue = sc.issues[x.issue]
            parts.append(
                f"<p><strong>{_e(a.name)}</strong> &mdash; <em>{_e(issue.label)}</em>: "
                f"{_e(quoted(issue.describe(x.value)))} crosses its red line "
                f"({_e(x.red_line.text)}).</p>"
            )
            parts += [_source(s) for s in x.red_line.sources]
    parts += [
        "<h2>The forecast</h2>",
        f"<p>{_e(results.forecast.description or '')}</p>",
        "<table><tr><th>issue</th><th>status quo</th><th>forecast</th></tr>",
    ]
    for iid, issue in sc.issues.items():
        f = results.forecast.provisions[iid].value
        parts.append(
            f"<tr><td>{_e(issue.label)}</td><td>{_e(issue.describe(issue.status_quo))}"
            f"</td><td>{_e(issue.describe(f))}</td></tr>"
        )
    parts.append("</table>")
    if sections:
        import markdown  # the report.md sections render as they do on GitHub

        parts += [markdown.markdown(s, extensions=["tables"]) for s in sections]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
