"""report.html: the report a person opens, in one self-contained file (charts embedded)."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from pathlib import Path

from model.results import Results
from model.scenario import Source

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#1f2328;line-height:1.45}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
table{border-collapse:collapse;margin:1em 0;font-size:.92em}
th,td{border:1px solid #d0d7de;padding:.35em .6em;text-align:left;vertical-align:top}
th{background:#f6f8fa}.yes{color:#1a7f37;font-weight:600}.no{color:#b91c1c;font-weight:600}
figure{margin:1.5em 0}figure img,figure svg{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#57606a;font-size:.9em}blockquote{margin:.4em 0 .8em 1em;padding-left:.8em;
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


def _e(text: object) -> str:
    return html.escape(str(text))


def _source(s: Source) -> str:
    if s.doc is not None:
        return (
            f"<blockquote>&ldquo;{_e(s.quote)}&rdquo;<br>"
            f"<span class=muted>seeds/{_e(s.doc)}</span></blockquote>"
        )
    note = f" &mdash; {_e(s.note)}" if s.note else ""
    return f'<blockquote><a href="{_e(s.url)}">{_e(s.url)}</a>{note}</blockquote>'


def _figure(folder: Path, name: str) -> str:
    path = folder / name
    stem, _, ext = name.rpartition(".")
    caption = CAPTIONS.get(stem, "")
    if ext == "svg":
        body = path.read_text(encoding="utf-8")
        body = body[body.index("<svg") :]
    else:
        mime = {"png": "image/png", "pdf": "application/pdf"}[ext]
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        if ext == "pdf":
            body = f'<embed src="data:{mime};base64,{data}" width="100%" height="600">'
        else:
            body = f'<img alt="{_e(stem)} chart" src="data:{mime};base64,{data}">'
    return f"<figure id=chart-{_e(stem)}>{body}<figcaption>{_e(caption)}</figcaption></figure>"


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
            word = (
                "<span class=yes>accepts</span>"
                if v.accepts
                else (f"<span class=no>rejects</span><br><small>{_e(v.reason)}</small>")
            )
            parts.append(f"<td>{word} {v.utility:.2f}</td>")
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
                f"&ldquo;{_e(issue.describe(x.value))}&rdquo; crosses its red line "
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
