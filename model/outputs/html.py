"""report.html: the report a person opens, in one self-contained file (charts embedded)."""

from __future__ import annotations

import base64
import html
import re
import struct
from collections.abc import Sequence
from pathlib import Path

from model.outputs import sections as sec
from model.results import Results
from model.scenario.types import Source, quoted

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#1f2328;line-height:1.45}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
table{border-collapse:collapse;margin:1em 0;font-size:.92em}
th,td{border:1px solid #d0d7de;padding:.35em .6em;text-align:left;vertical-align:top}
th{background:#f6f8fa}.yes{color:#1a7f37;font-weight:600}.no{color:#b91c1c;font-weight:600}.maybe{color:#9a6700;font-weight:600}
figure{margin:1.5em 0}figcaption{color:#57606a;font-size:.9em}
.zoom{position:absolute;opacity:0;pointer-events:none}
.frame{display:block;overflow-x:auto;cursor:zoom-in;border:1px solid #eee}
.frame img,.frame svg{display:block;max-width:100%;height:auto}
.zoom:checked+.frame{cursor:zoom-out;width:calc(100vw - 2em);margin-left:calc(50% - 50vw + 1em)}
.zoom:checked+.frame img,.zoom:checked+.frame svg{max-width:none;width:auto}
.zoom:focus-visible+.frame{outline:2px solid #0969da}
.hint{font-size:.85em}blockquote{margin:.4em 0 .8em 1em;padding-left:.8em;
border-left:3px solid #d0d7de;color:#3d444d}.muted{color:#57606a}
pre{background:#f6f8fa;padding:.6em .8em;overflow-x:auto;font-size:.85em;line-height:1.35}
"""

CAPTIONS = {
    "acceptance": "Actors by proposal: the fill is the verdict (accepts, rejects, or depends on "
    "how a text's open points are settled), the bar the utility against no deal (the tick), "
    "and a rejection names every reason.",
    "issues": "Each issue's options, each actor's ideal and unacceptable zone, where each "
    "proposal lands, and a cross with the actor's name for every red line a proposal crosses.",
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
    if not _web(s.url or ""):  # a scenario may say anything: only http(s) becomes a link
        return f"<blockquote>{_e(s.url)}{note}</blockquote>"
    return f'<blockquote><a href="{_e(s.url)}">{_e(s.url)}</a>{note}</blockquote>'


def _figure(folder: Path, name: str) -> str:
    """The chart embedded in a <figure>. A PNG or SVG chart sits in a frame that toggles, on a
    click, between fitted to the page and its natural size (scrolling sideways), with no
    script: the frame is the label of a hidden checkbox, and CSS reads the box's state."""
    path = folder / name
    stem, _, ext = name.rpartition(".")
    base, dash, page = stem.rpartition("-")
    paged = bool(dash) and page.isdigit() and base in CAPTIONS  # issues-2: page 2 of issues
    caption = _e(CAPTIONS.get(base if paged else stem, ""))
    if paged:
        caption = f"(continued, page {page}) {caption}"
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


def _inline(text: sec.Text) -> str:
    if isinstance(text, tuple):
        return "".join(_inline(part) for part in text)
    if isinstance(text, sec.Span):
        return f"<{text.style}>{_e(text.text)}</{text.style}>"  # strong, em, code: tags
    if isinstance(text, sec.Mark):
        if text.depends:
            why = f"<br><small>{_e(text.reason)}</small>"
            return f"<span class=maybe>depends</span> {text.utility:.2f}{why}"
        if text.accepts:
            return f"<span class=yes>accepts</span> {text.utility:.2f}"
        why = f"<br><small>{_e(text.reason)}</small>"
        return f"<span class=no>rejects</span> {text.utility:.2f}{why}"
    return _e(text)


def _row(cells: tuple[sec.Text, ...], tag: str) -> str:
    return "<tr>" + "".join(f"<{tag}>{_inline(c)}</{tag}>" for c in cells) + "</tr>"


def _block(block: sec.Block, folder: Path) -> str:
    match block:
        case sec.Paragraph():
            return f"<p{' class=muted' if block.muted else ''}>{_inline(block.text)}</p>"
        case sec.Heading():
            return f"<h3>{_e(block.text)}</h3>"
        case sec.Table():
            rows = [_row(block.header, "th"), *(_row(row, "td") for row in block.rows)]
            return "<table>" + "\n".join(rows) + "</table>"
        case sec.Quote():
            return _source(block.source)
        case sec.Items():
            items = [
                f"<li><p>{_inline(item.text)}</p>" + "".join(_source(q.source) for q in item.quotes)
                for item in block.items
            ]
            return "<ul>" + "</li>\n".join(items) + "</li></ul>"
        case sec.Figures():
            return "\n".join(_figure(folder, name) for name in block.names)
        case sec.Code():
            return f"<pre>{_e(block.text)}</pre>"
        case sec.Markdown():
            return _markdown(block.text)
    raise TypeError(f"not a report block: {block!r}")


def _web(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


_LINK = re.compile(r'\b(href|src)="([^"]*)"')


def _markdown(text: str) -> str:
    """An analysis's Markdown (its tables hold scenario strings), with raw HTML shown as text and
    only http(s) links live: a label such as `<img onerror=...>` must not run in the page."""
    import markdown  # renders as it does on GitHub

    md = markdown.Markdown(extensions=["tables"])
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    out = md.convert(text)

    def safe(m: re.Match[str]) -> str:
        return m.group(0) if _web(html.unescape(m.group(2))) else f'{m.group(1)}=""'

    return _LINK.sub(safe, out)


CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'"
)
"""No script of any kind runs in report.html: only its own styles and its embedded charts."""


def render_html(report: sec.Report, folder: Path) -> str:
    """The HTML page; `folder` holds the chart files the report names, which get embedded."""
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>{_e(report.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_e(report.title)}</h1>",
    ]
    for section in (sec.Section(None, report.intro), *report.sections):
        if section.title is not None:
            parts.append(f"<h2>{_e(section.title)}</h2>")
        parts += [_block(block, folder) for block in section.blocks]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def report_html(
    results: Results, folder: Path, charts: list[str], sections: Sequence[str] = ()
) -> str:
    """report.html of a run whose `folder` holds `charts`, with `sections` (the search's, the
    sweep's, in Markdown) after the forecast."""
    return render_html(sec.build_report(results, charts, sections), folder)
