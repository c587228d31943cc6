"""The one style kit of every chart: palettes, markers, sizes, the file settings and `save`.

Actors keep one style across all charts (`actor_styles`), assigned in scenario order: a colour
from a colour-blind-safe palette (Okabe-Ito without its black, a brown, Paul Tol's wine and
indigo; the five first the most distinct), a marker of its own and, past ten actors, a dash
pattern. Black is kept for the statistics (weighted mean and median, the forecast, no deal).
Proposals keep one marker and fill (`proposal_styles`) in issues.png and frontier.png.

Every chart is drawn on its own `Figure` (`figure`, with an Agg canvas: no pyplot, no backend
switch, no global rcParams) and saved by `save` with fixed dpi, no timestamps and a fixed svg
hash salt, so the same results give byte-identical files.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from model.scenario.types import Issue

# --- colours ------------------------------------------------------------------------------------

BLUE, ORANGE, BLUISH_GREEN, REDDISH_PURPLE = "#0072B2", "#E69F00", "#009E73", "#CC79A7"
VERMILLION, SKY_BLUE, YELLOW = "#D55E00", "#56B4E9", "#F0E442"
"""Okabe-Ito without its black."""
BROWN, WINE, INDIGO = "#8C510A", "#882255", "#332288"
STATISTICS = "black"
SEQUENTIAL = "cividis"
"""For a count or amount (dark = few, light = many): colour-blind safe, and unlike the palette's
cycle, no two values share a colour."""
"""The black kept for the statistics (weighted mean and median, the forecast, no deal); no
actor is drawn in it, except in timeline.png (`TIMELINE_PALETTE`)."""
PALETTE = [
    BLUE,
    ORANGE,
    BLUISH_GREEN,
    REDDISH_PURPLE,
    BROWN,  # not vermillion: next to orange the two read as one, tinted or for colour-blind eyes
    SKY_BLUE,
    VERMILLION,
    YELLOW,
    WINE,
    INDIGO,
]
"""Actor colours: the five first as far apart as the palette allows (also for deuteranopia and
protanopia), since the shipped scenarios have five actors. Black is not among them: it is
reserved for the statistics."""
TIMELINE_PALETTE = [*PALETTE[:7], STATISTICS]
"""timeline.png's actor colours: the palette's seven first, then black for the eighth actor (the
chart draws no statistic), repeating from the ninth."""
ACTOR_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "<", ">", "p", "d", "h"]
ACTOR_DASHES: list[Any] = ["-", (0, (6, 2)), (0, (1.5, 1.5)), (0, (6, 2, 1.5, 2))]
"""An actor past the palette's length repeats a colour with a new dash pattern (and its own
marker), so every actor's (colour, dash, marker) is distinct."""
PROPOSAL_MARKERS = ["s", "D", "^", "v", "P", "<", ">", "p", "h"]
PROPOSAL_COLOURS = ["#332288", "#882255", "#999933", "#44AA99", "#8C510A", "#777777", "white"]
"""Proposal k: marker k mod 9, fill k mod 7: no two of the first 63 proposals look alike, and
neighbours differ in both shape and colour. Filled with a black edge; white reads as hollow.
No X (no deal) and no star (the forecast, the Nash package)."""
NO_DEAL_STYLE = {"marker": "X", "color": STATISTICS, "markersize": 7.5}
FORECAST_MARKER = "*"
UTILITY_AXIS = "utility (0 = worst, 1 = ideal)"
VERDICT_COLOURS = {"accepts": "#80CEB9", "rejects": "#EAAE80", "depends": "#F8F2A0"}
"""Cell fill of a verdict (acceptance.png): Okabe-Ito's bluish green, vermillion and yellow, each
lightened halfway to white so black text reads on it; the three stay apart for the common colour
blindnesses, and the verdict is also written in the cell (✓ / ✗ / ?)."""
CROSSING = "#B2182B"
"""A red line crossed (issues.png's ✗ marks): a dark red no actor is drawn in."""
LIGHT = 0.7
"""A colour lighter than this (luminance; the yellow) gets a dark outline where it is text."""
OUTLINE = patheffects.withStroke(linewidth=0.9, foreground="#444444")

# --- files --------------------------------------------------------------------------------------

DPI = 110
FORMATS = ("png", "svg", "pdf")
METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None},
}
"""No software version or timestamp in the files, so they are byte-identical run to run."""
PNG_COMPRESSION = 3
"""zlib level of the PNGs: level 6 (Pillow's default) costs a third more encoding time on the
tall charts for files about 1.5% smaller."""
SVG_SALT = "negotiation-sim"
"""svg ids are hashed with this salt instead of a random one (set only while saving)."""


def check_format(fmt: str) -> None:
    """Refuse a format before anything is drawn."""
    if fmt not in FORMATS:
        raise ValueError(f"chart format must be one of {', '.join(FORMATS)}, not {fmt!r}")


def figure(**kw: Any) -> Figure:
    """A `Figure` with its own Agg canvas: nothing goes through pyplot or the global backend."""
    fig = Figure(**kw)
    FigureCanvasAgg(fig)
    return fig


def save(fig: Figure, folder: Path, name: str, fmt: str) -> str:
    """Write `fig` as `folder/name.fmt`, the same bytes for the same figure; return the file name.

    The svg salt is set in a scoped `rc_context`, so a caller's rcParams are left as they were.
    """
    filename = f"{name}.{fmt}"
    with matplotlib.rc_context({"svg.hashsalt": SVG_SALT}):
        fig.savefig(
            Path(folder) / filename,
            format=fmt,
            dpi=DPI,
            metadata=METADATA[fmt],
            **({"pil_kwargs": {"compress_level": PNG_COMPRESSION}} if fmt == "png" else {}),
        )
    return filename


# --- text ---------------------------------------------------------------------------------------


def short(text: str, width: int, lines: int = 1) -> str:
    """`text` wrapped to `width` characters in at most `lines` lines, cut with an ellipsis.

    The one place labels are shortened, so every chart cuts long scenario labels the same way.
    """
    width = max(width, 6)
    wrapped = textwrap.wrap(text, width, max_lines=lines, placeholder=" …")
    return "\n".join(wrapped) if wrapped else text


def headline(title: str, what: str, width: int = 110, page: Page | None = None) -> str:
    """A chart's title: the scenario's title, then what the chart shows, in at most two lines
    (a third says which page of a paged chart this is)."""
    head = short(f"{title}: {what}", width, 2)
    return head if page is None or page.of == 1 else f"{head}\n{page.words}"


# --- pages --------------------------------------------------------------------------------------

PAGE_IN = 46.0
"""The tallest a page of a chart grows, in inches (about 5,000 pixels): a chart of many issues
is cut into pages of whole panels, each a file a viewer opens and a reader scrolls (one page of
100 issues x 80 actors was 162,000 pixels tall). 28-point's 16 issues fit on one."""


@dataclass(frozen=True)
class Page:
    """One page of a paged chart: its number, the number of pages, and the issues it shows
    (their places in the scenario, from 0)."""

    number: int
    of: int
    first: int
    last: int
    total: int
    inches: float  # the height of its panels

    @property
    def words(self) -> str:
        issues = f"issues {self.first + 1}–{self.last + 1} of {self.total}"
        return f"page {self.number} of {self.of}: {issues}"

    def file(self, name: str) -> str:
        """The page's file stem: the chart's name for the first page, name-2, name-3… after."""
        return name if self.number == 1 else f"{name}-{self.number}"


def pages(heights: Sequence[float], per: Sequence[int] | None = None) -> list[Page]:
    """Cut panels of these heights (inches) into pages of at most PAGE_IN each (a panel taller
    than that alone on its page). `per`: how many issues each panel holds (default one)."""
    per = [1] * len(heights) if per is None else list(per)
    groups: list[list[int]] = [[]]
    used = 0.0
    for k, h in enumerate(heights):
        if groups[-1] and used + h > PAGE_IN:
            groups.append([])
            used = 0.0
        groups[-1].append(k)
        used += h
    starts = list(accumulate(per, initial=0))
    return [
        Page(
            n + 1,
            len(groups),
            starts[g[0]],
            starts[g[-1] + 1] - 1,
            starts[-1],
            sum(heights[k] for k in g),
        )
        for n, g in enumerate(groups)
    ]


def chars(inches: float, font: float, glyph: float = 0.52, least: int = 0) -> int:
    """How many characters of a `font`-point font fit in `inches`, a glyph being `glyph` ems
    wide on average (larger: more conservative); at least `least`."""
    return max(least, int(inches * 72 / (font * glyph)))


def header(
    fig: Figure, handles: list, title: str, ncol: int, labels: list[str] | None = None
) -> None:
    """The figure's title with its legend under it, above the panels.

    The title is the legend's own title: constrained layout does not stack a suptitle and an
    outside legend, which then overlap.
    """
    fig.legend(
        handles=handles,
        labels=labels if labels is not None else [h.get_label() for h in handles],
        handler_map={tuple: HandlerTuple(ndivide=None, pad=0)},
        loc="outside upper center",
        ncol=ncol,
        fontsize=8.5,
        frameon=False,
        title=title,
        title_fontsize=12,
        alignment="center",
    )


TITLE_Y = 1.0
"""A panel's title set at the top of its axes (`set_title(..., y=TITLE_Y)`), which is where
matplotlib puts it when the ticks are below; left unset, it measures every tick label of the
panel at each draw to find that out."""


def unlabelled_axes(ax: Axes) -> None:
    """Hide an axis label left empty and fix its place: matplotlib otherwise measures every
    tick label of the panel again at each draw to place the empty text (on a chart of sixteen
    panels, with the title's search above, a quarter of the drawing)."""
    for axis in (ax.xaxis, ax.yaxis):
        if not axis.label.get_text():
            axis.set_label_coords(0.5, 0.5)
            axis.label.set_visible(False)


# --- actors and proposals -----------------------------------------------------------------------


@dataclass(frozen=True)
class ActorStyle:
    """How one actor is drawn in every chart: colour, line dash and marker."""

    colour: str
    dash: Any
    marker: str

    def line(self, **kw: Any) -> dict[str, Any]:
        """Keyword arguments for `Axes.plot` / `Line2D`: the line and its marker."""
        return {
            "color": self.colour,
            "ls": self.dash,
            "marker": self.marker,
            "markeredgecolor": "#333333",
            "markeredgewidth": 0.6,
            **kw,
        }


def actor_styles(actor_ids: Iterable[str]) -> dict[str, ActorStyle]:
    """One style per actor, in scenario order, the same in every chart; no two alike."""
    out = {}
    for k, aid in enumerate(actor_ids):
        dash = ACTOR_DASHES[k // len(PALETTE) % len(ACTOR_DASHES)]
        marker = ACTOR_MARKERS[k % len(ACTOR_MARKERS)]
        out[aid] = ActorStyle(PALETTE[k % len(PALETTE)], dash, marker)
    return out


def actor_colours(actor_ids: Iterable[str]) -> dict[str, str]:
    """One colour per actor, in scenario order, the same in every chart."""
    return {aid: s.colour for aid, s in actor_styles(actor_ids).items()}


def proposal_styles(labels: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Marker style (`Axes.plot` keywords) of each proposal, by label, in scenario order.

    issues.png and frontier.png both call it with the proposals that have provisions (a
    proposal without any is no deal, drawn as `NO_DEAL_STYLE`), so a proposal looks the same in
    both.
    """
    return {
        label: {
            "marker": PROPOSAL_MARKERS[k % len(PROPOSAL_MARKERS)],
            "color": PROPOSAL_COLOURS[k % len(PROPOSAL_COLOURS)],
            "markeredgecolor": "black",
            "markeredgewidth": 0.7,
            "markersize": 6.5,
        }
        for k, label in enumerate(labels)
    }


def luminance(colour: Any) -> float:
    """How light a colour is, 0 (black) to 1 (white)."""
    red, green, blue = to_rgb(colour)
    return 0.299 * red + 0.587 * green + 0.114 * blue


def ink(text: Text, colour: str) -> None:
    """Colour a text in an actor's colour; a light one (yellow) gets a dark outline to read."""
    text.set_color(colour)
    if luminance(colour) > LIGHT:
        text.set_path_effects([OUTLINE])


def name_style(colour: str, size: float) -> dict[str, Any]:
    """Text properties of an actor's name in its colour, bold, outlined where light (`ink`)."""
    style: dict[str, Any] = {"color": colour, "fontsize": size, "fontweight": "bold"}
    if luminance(colour) > LIGHT:
        style["path_effects"] = [OUTLINE]
    return style


# --- an issue's axis (issues.png, positions.png) ------------------------------------------------


def option_gap(issue: Issue) -> float:
    """The smallest distance between adjacent options (the issue's span if it has none)."""
    values = sorted(o.value for o in issue.options)
    gaps = [b - a for a, b in zip(values, values[1:], strict=False) if b - a > 1e-9]
    return min(gaps, default=issue.span or 1.0)


def issue_limits(issue: Issue) -> tuple[float, float]:
    """Room for the end options' labels on an ordinal issue, a small margin on a numeric one."""
    pad = option_gap(issue) / 2 if issue.options else 0.02 * (issue.span or 1.0)
    return issue.lo - pad, issue.hi + pad


def numeric_ticks(issue: Issue, lo: float, hi: float, sep: str) -> tuple[list[float], list[str]]:
    """Ticks of a numeric issue's axis from `lo` to `hi`: round numbers, and the values the
    scenario names (`Issue.value_labels`, e.g. 1000 = "No cap") with their names after `sep`."""
    named = [(v, label) for v, label in issue.value_labels if lo <= v <= hi]
    room = 0.06 * (hi - lo)
    plain = [
        float(v)
        for v in MaxNLocator(nbins=8, steps=[1, 2, 2.5, 5, 10]).tick_values(lo, hi)
        if lo - 1e-9 <= v <= hi + 1e-9 and all(abs(v - n) > room for n, _ in named)
    ]
    ticks = sorted([(v, f"{v:g}") for v in plain] + [(v, f"{v:g}{sep}{t}") for v, t in named])
    return [v for v, _ in ticks], [t for _, t in ticks]
