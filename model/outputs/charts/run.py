"""The run's four charts: who accepts what, where the proposals fall, how positions move, utilities.

Every chart is drawn from a `Results` on its own `Figure` (no pyplot state shared between charts)
and saved with fixed dpi and no timestamps, so the same results give byte-identical files.
Actors keep one style across all charts (`actor_styles`), assigned in scenario order: a colour
from a colour-blind-safe palette (Okabe-Ito without its black, in the order of timeline.png, then
three more), a marker of its own and, past ten actors, a dash pattern. Black is kept for the
statistics (weighted mean and median, the forecast, no deal). Proposals keep one marker and fill
(`proposal_styles`) in issues.png and frontier.png.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.legend_handler import HandlerTuple  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.offsetbox import AnnotationBbox, HPacker, TextArea, VPacker  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from model.evaluation.reasons import fitted_reason
from model.evaluation.verdicts import Verdict  # noqa: E402
from model.results import Results  # noqa: E402
from model.scenario.types import Issue, RedLine  # noqa: E402

PALETTE = [
    "#0072B2",  # Okabe-Ito: blue, orange, bluish green, reddish purple, vermillion, sky blue,
    "#E69F00",  # yellow (the order of timeline.png) ...
    "#009E73",
    "#CC79A7",
    "#D55E00",
    "#56B4E9",
    "#F0E442",
    "#882255",  # ... then Paul Tol's wine and indigo, and a brown
    "#332288",
    "#8C510A",
]
"""Actor colours. Black is not among them: it is reserved for the statistics (weighted mean
and median, the forecast, no deal)."""
ACTOR_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "<", ">", "p", "d", "h"]
ACTOR_DASHES: list[Any] = ["-", (0, (6, 2)), (0, (1.5, 1.5)), (0, (6, 2, 1.5, 2))]
"""An actor past the palette's length repeats a colour with a new dash pattern (and its own
marker), so every actor's (colour, dash, marker) is distinct."""
PROPOSAL_MARKERS = ["s", "D", "^", "v", "P", "<", ">", "p", "h"]
PROPOSAL_COLOURS = ["#332288", "#882255", "#999933", "#44AA99", "#8C510A", "#777777", "white"]
"""Proposal k: marker k mod 9, fill k mod 7: no two of the first 63 proposals look alike, and
neighbours differ in both shape and colour. Filled with a black edge; white reads as hollow.
No X (no deal) and no star (the forecast, the Nash package)."""
NO_DEAL_STYLE = {"marker": "X", "color": "black", "markersize": 7.5}
FORECAST_MARKER = "*"
DPI = 110
FORMATS = ("png", "svg", "pdf")
METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None},
}
UTILITY_AXIS = "utility (0 = worst, 1 = ideal)"
CMAP = "viridis"


def write_charts(results: Results, folder: Path, fmt: str = "png") -> list[str]:
    """Write acceptance, issues, positions and utilities charts into `folder`; return the names."""
    if fmt not in FORMATS:
        raise ValueError(f"chart format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    folder = Path(folder)
    return [
        _save(draw(results), folder, name, fmt)
        for name, draw in (
            ("acceptance", acceptance_figure),
            ("issues", issues_figure),
            ("positions", positions_figure),
            ("utilities", utilities_figure),
        )
    ]


def short(text: str, width: int, lines: int = 1) -> str:
    """`text` wrapped to `width` characters in at most `lines` lines, cut with an ellipsis.

    The one place labels are shortened, so every chart cuts long scenario labels the same way.
    """
    width = max(width, 6)
    wrapped = textwrap.wrap(text, width, max_lines=lines, placeholder=" …")
    return "\n".join(wrapped) if wrapped else text


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


OUTLINE = patheffects.withStroke(linewidth=0.9, foreground="#444444")


def _luminance(colour: str) -> float:
    red, green, blue = to_rgb(colour)
    return 0.299 * red + 0.587 * green + 0.114 * blue


def ink(text: Text, colour: str) -> None:
    """Colour a text in an actor's colour; a light one (yellow) gets a dark outline to read."""
    text.set_color(colour)
    if _luminance(colour) > 0.7:
        text.set_path_effects([OUTLINE])


def actor_colours(results: Results) -> dict[str, str]:
    """One colour per actor, in scenario order, the same in every chart."""
    return {aid: s.colour for aid, s in actor_styles(results.scenario.actors).items()}


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


def _save(fig: Figure, folder: Path, name: str, fmt: str) -> str:
    filename = f"{name}.{fmt}"
    with matplotlib.rc_context({"svg.hashsalt": "negotiation-sim"}):
        fig.savefig(folder / filename, format=fmt, dpi=DPI, metadata=METADATA[fmt])
    return filename


def _chars(width_in: float, fontsize: float) -> int:
    """How many characters of a `fontsize` font fit in `width_in` inches (average glyph)."""
    return int(width_in * 72 / (fontsize * 0.52))


def _header(
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


def _title(results: Results, what: str) -> str:
    return short(f"{results.scenario.title}: {what}", 110, 2)


# --- acceptance ---------------------------------------------------------------------------------


def acceptance_figure(results: Results) -> Figure:
    """Actors x proposals: colour is the actor's utility, ✓/✗ its verdict, with the reason."""
    sc = results.scenario
    cols = results.columns()
    actors = list(sc.actors.values())
    cell_w, cell_h = 1.9, 1.05
    label_w = 1.6
    fig = Figure(
        figsize=(label_w + cell_w * len(cols) + 1.4, cell_h * len(actors) + 3.2),
        layout="constrained",
    )
    ax = fig.subplots()
    grid = np.array([[verdicts[a.id].utility for _, _, verdicts in cols] for a in actors])
    image = ax.imshow(grid, cmap=CMAP, vmin=0, vmax=1, aspect="auto")
    cmap = image.get_cmap()
    width = _chars(cell_w - 0.15, 6.5)
    for r, actor in enumerate(actors):
        for c, (_, _, verdicts) in enumerate(cols):
            v = verdicts[actor.id]
            red, green, blue, _ = cmap(v.utility)
            ink = "black" if 0.299 * red + 0.587 * green + 0.114 * blue > 0.5 else "white"
            mark = "✓ accepts" if v.accepts else "✗ rejects"
            ax.text(c, r - 0.22, mark, ha="center", va="center", fontsize=10.5, color=ink)
            ax.text(
                c,
                r - 0.02,
                f"utility {v.utility:.2f}",
                ha="center",
                va="center",
                fontsize=7.5,
                color=ink,
            )
            if not v.accepts:
                ax.text(
                    c,
                    r + 0.12,
                    fitted_reason(results.scenario, v, width, 4, short),
                    ha="center",
                    va="top",
                    fontsize=6.5,
                    color=ink,
                    linespacing=1.1,
                )
    ax.set_xticks(range(len(cols)), [short(label, 22, 4) for _, label, _ in cols], fontsize=8)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_yticks(
        range(len(actors)),
        [f"{a.name}\n(no deal: {results.reservation(a.id):.2f})" for a in actors],
        fontsize=9,
    )
    ax.set_xticks(np.arange(len(cols) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(actors) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", lw=2)
    ax.tick_params(which="minor", length=0)
    ax.axvline(len(cols) - 1.5, color="black", lw=2.5)  # the forecast is the model's, not a text
    ax.set_xlabel("proposal (last column: the model's forecast)")
    ax.set_ylabel("actor (its utility of no deal, the status quo)")
    fig.colorbar(image, ax=ax, label=UTILITY_AXIS, shrink=0.9, pad=0.02)
    fig.suptitle(_title(results, "who accepts which proposal, and why not"), fontsize=12)
    handles = [
        Line2D(
            [],
            [],
            ls="",
            marker="$✓$",
            color="black",
            markersize=10,
            label="accepts: no red line crossed and worth at least no deal",
        ),
        Line2D(
            [],
            [],
            ls="",
            marker="$✗$",
            color="black",
            markersize=10,
            label="rejects: the red line(s) crossed, by issue, or worse than no deal",
        ),
    ]
    wide = fig.get_figwidth() >= 9.5  # the two explanations side by side only where they fit
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncol=2 if wide else 1,
        fontsize=8,
        frameon=False,
    )
    return fig


# --- issues -------------------------------------------------------------------------------------

LANE_IN = 0.17  # one actor lane
PROPOSAL_STEP = 0.7  # one proposal's lane, in actor lanes: room for its label
PROPOSAL_LABEL = 44  # characters of a proposal's label beside its lane


def issues_figure(results: Results) -> Figure:
    """One row per issue: each actor's ideal and unacceptable zone, status quo, proposals.

    Every proposal (and the forecast) has its own labelled lane above the actors', in every
    panel, so proposals at the same value never hide each other and the key is beside them.
    """
    sc = results.scenario
    colours = actor_colours(results)
    proposals = _proposal_marks(results)
    n_act, n_prop = len(sc.actors), len(proposals)
    prop_span = PROPOSAL_STEP * n_prop
    row_units = n_act + prop_span + 0.4
    tick_lines = 3
    width = 13.0
    axis_w = width - 3.2
    heights = [
        row_units * LANE_IN + 0.42 + (0.13 * tick_lines if issue.options else 0.45)
        for issue in sc.issues.values()
    ]
    fig = Figure(figsize=(width, sum(heights) + 1.5), layout="constrained")
    axes = fig.subplots(len(sc.issues), 1, squeeze=False, height_ratios=heights)[:, 0]
    # lanes, top to bottom: the proposals (one each), then one lane per actor
    prop_y = [-0.5 - prop_span + PROPOSAL_STEP * (k + 0.5) for k in range(n_prop)]
    for ax, (iid, issue) in zip(axes, sc.issues.items(), strict=True):
        lo, hi = _xlim(issue)
        ax.set_xlim(lo, hi)
        ax.set_ylim(n_act - 0.5, -0.5 - prop_span - 0.15)
        ax.axvline(issue.status_quo, color="#9a9a9a", lw=5, alpha=0.45, zorder=0)
        for k in range(0, n_prop, 2):  # every other proposal lane shaded, to read across
            ax.axhspan(
                prop_y[k] - PROPOSAL_STEP / 2,
                prop_y[k] + PROPOSAL_STEP / 2,
                color="#f7f7f7",
                zorder=-1,
                lw=0,
            )
        for k, (aid, actor) in enumerate(sc.actors.items()):
            stake = actor.stakes.get(iid)
            if k % 2 == 0:
                ax.axhspan(k - 0.5, k + 0.5, color="#f2f2f2", zorder=-1, lw=0)
            if stake is None:
                ax.text(
                    lo + 0.005 * (hi - lo),
                    k,
                    "no stake",
                    fontsize=6.5,
                    color="#888888",
                    va="center",
                    ha="left",
                )
                continue
            if stake.red_line is not None:
                for a, b in _unacceptable(issue, stake.red_line):
                    ax.fill_between(
                        [a, b], k - 0.42, k + 0.42, color=colours[aid], alpha=0.35, lw=0, zorder=1
                    )
            ax.plot(
                stake.position,
                k,
                "o",
                color=colours[aid],
                markeredgecolor="black",
                markeredgewidth=0.7,
                markersize=7,
                zorder=4,
            )
        for y, (_, style, package) in zip(prop_y, proposals, strict=True):
            value = package[iid]
            ax.plot([value, value], [y, n_act - 0.5], color="#555555", lw=0.6, alpha=0.3, ls=":")
            ax.plot(value, y, ls="", zorder=5, **style)
        ax.set_yticks(
            [*prop_y, *range(n_act)],
            [
                *(short(label, PROPOSAL_LABEL) for label, _, _ in proposals),
                *(short(a.name, 16) for a in sc.actors.values()),
            ],
        )
        for tick in ax.get_yticklabels()[:n_prop]:
            tick.set_fontsize(6.5)
            tick.set_color("#333333")
        for tick, aid in zip(ax.get_yticklabels()[n_prop:], sc.actors, strict=True):
            ink(tick, colours[aid])
            tick.set_fontweight("bold")
            tick.set_fontsize(7.5)
        ax.tick_params(axis="y", length=0, pad=2)
        ax.axhline(-0.5, color="#bbbbbb", lw=0.6)
        _issue_xaxis(ax, issue, axis_w, tick_lines)
        ax.set_title(issue.label, loc="left", fontsize=9.5, fontweight="bold")
    handles = [
        *(
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                color=colours[aid],
                markeredgecolor="black",
                label=f"{a.name}: ideal",
            )
            for aid, a in sc.actors.items()
        ),
        tuple(Patch(color=colours[aid], alpha=0.35, lw=0) for aid in sc.actors),
        Line2D([], [], color="#9a9a9a", lw=5, alpha=0.45, label="status quo (no deal)"),
        Line2D(
            [],
            [],
            ls="",
            marker="s",
            color="#777777",
            markeredgecolor="black",
            label="a proposal's value (each proposal named in its lane, above the actors)",
        ),
    ]
    zone = "shaded in an actor's lane: crosses its red line"
    labels = [zone if isinstance(h, tuple) else h.get_label() for h in handles]
    title = _title(results, "where each proposal falls against each actor's ideal and red lines")
    _header(fig, handles, title, ncol=min(len(handles), 4), labels=labels)
    return fig


def _proposal_marks(results: Results) -> list[tuple[str, dict[str, Any], dict[str, float]]]:
    """(label, marker style, package) for every proposal, then the forecast (a black star).

    A proposal without provisions is no deal, drawn as no deal is in frontier.png."""
    sc = results.scenario
    styles = proposal_styles(p.label for p in sc.proposals.values() if p.provisions)
    out = [
        (p.label, styles.get(p.label, NO_DEAL_STYLE), p.package(sc.issues))
        for p in sc.proposals.values()
    ]
    star = {"marker": FORECAST_MARKER, "color": "black", "markersize": 10}
    out.append((results.forecast.label, star, results.forecast.package(sc.issues)))
    return out


def _gap(issue: Issue) -> float:
    """The smallest distance between adjacent options (the issue's span if it has none)."""
    values = sorted(o.value for o in issue.options)
    gaps = [b - a for a, b in zip(values, values[1:], strict=False) if b - a > 1e-9]
    return min(gaps, default=issue.span or 1.0)


def _xlim(issue: Issue) -> tuple[float, float]:
    """Room for the end options' labels on an ordinal issue, a small margin on a numeric one."""
    pad = _gap(issue) / 2 if issue.options else 0.02 * (issue.span or 1.0)
    return issue.lo - pad, issue.hi + pad


def _issue_xaxis(ax: Axes, issue: Issue, axis_w: float, lines: int) -> None:
    """Option labels as ticks on an ordinal issue, shortened to the room each has; else the unit."""
    if issue.options:
        lo, hi = _xlim(issue)
        room = axis_w * _gap(issue) / (hi - lo)
        ax.set_xticks(
            [o.value for o in issue.options],
            [short(o.label, _chars(room - 0.08, 6.8), lines) for o in issue.options],
            fontsize=6.8,
            linespacing=1.05,
        )
        ax.tick_params(axis="x", length=2)
    else:
        ax.set_xlabel(issue.unit or "value", fontsize=8, labelpad=1)
        ax.set_xticks(*numeric_ticks(issue, *ax.get_xlim(), sep="\n"))
        ax.tick_params(axis="x", labelsize=7.5)


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


def _unacceptable(issue: Issue, red_line: RedLine) -> list[tuple[float, float]]:
    """The stretches of the issue's axis a red line rules out, as (from, to) intervals."""
    if issue.options:
        values = sorted(o.value for o in issue.options)
        lo, hi = _xlim(issue)
        bounds = [lo, *((a + b) / 2 for a, b in zip(values, values[1:], strict=False)), hi]
        cells = [(bounds[k], bounds[k + 1]) for k, v in enumerate(values) if red_line.crossed_by(v)]
    else:
        xs = np.linspace(issue.lo, issue.hi, 1001)
        step = xs[1] - xs[0] if len(xs) > 1 else 0.0
        cells = [(x - step / 2, x + step / 2) for x in xs if red_line.crossed_by(float(x))]
    merged: list[tuple[float, float]] = []
    for a, b in cells:
        if merged and abs(merged[-1][1] - a) < 1e-9:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


# --- positions ----------------------------------------------------------------------------------

MARKED_ROUNDS = 12  # at most this many rounds get markers; more would bury the lines


def positions_figure(results: Results) -> Figure:
    """Each actor's position round by round, issue by issue, with the weighted mean and median.

    Actors who stand at the same place in a marked round have their markers set side by side
    around the round, so no actor hides another; with one issue, the actors are named at the
    end of their lines, all those who end at one position together.
    """
    sc = results.scenario
    styles = actor_styles(sc.actors)
    issues = list(sc.issues.items())
    rounds = [r.round for r in results.history]
    single = len(issues) == 1
    ncols = 1 if len(issues) <= 2 else 2
    nrows = -(-len(issues) // ncols)
    panel_w = 10.5 if single else (11.0 if ncols == 1 else 6.6)
    heights = [
        max(
            (6.0 if single else 2.3),
            *(0.42 * len(i.options) + 0.7 for _, i in issues[r * ncols : (r + 1) * ncols]),
        )
        for r in range(nrows)
    ]
    fig = Figure(figsize=(panel_w * ncols + 0.6, sum(heights) + 1.7), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, height_ratios=heights)
    label_w = 2.0 if single else 1.7
    lw, ms = (2.0, 7.0) if single else (1.5, 4.5)
    marked = _marked_rounds(rounds)
    for n, ax in enumerate(axes.flat):
        if n >= len(issues):
            ax.set_visible(False)
            continue
        iid, issue = issues[n]
        lo, hi = _xlim(issue)
        # the axes' size in inches, roughly: what turns marker sizes into data units
        box = (panel_w - label_w - (3.0 if single else 0.5), heights[n // ncols] - 0.7)
        series = {
            aid: [r.positions[iid].get(aid, np.nan) for r in results.history] for aid in sc.actors
        }
        series = {aid: ys for aid, ys in series.items() if not all(np.isnan(ys))}
        for aid, ys in series.items():
            ax.plot(rounds, ys, **styles[aid].line(lw=lw, marker="", zorder=2))
        x_lo, x_hi = _dodged_markers(ax, rounds, marked, series, styles, box, (lo, hi), ms)
        ax.plot(
            rounds,
            [r.mean[iid] for r in results.history],
            color="black",
            ls="--",
            lw=1.3,
            zorder=3,
        )
        ax.plot(
            rounds,
            [r.median[iid] for r in results.history],
            color="black",
            ls=":",
            lw=1.6,
            zorder=3,
        )
        ax.plot(
            x_hi,
            results.forecast.provisions[iid].value,
            FORECAST_MARKER,
            color="black",
            markersize=13 if single else 10,
            zorder=5,
            clip_on=False,
        )
        ax.set_ylim(lo, hi)
        ax.set_xlim(x_lo, x_hi + (x_hi - x_lo) * 0.02)
        if issue.options:
            ax.set_yticks(
                [o.value for o in issue.options],
                [short(o.label, _chars(label_w, 6.5), 2) for o in issue.options],
                fontsize=6.5 if not single else 8,
                linespacing=1.0,
            )
        else:
            ax.set_ylabel(issue.unit or "value", fontsize=8)
            ax.set_yticks(*numeric_ticks(issue, lo, hi, sep=" = "))
            ax.tick_params(axis="y", labelsize=7.5 if not single else 8.5)
        ax.tick_params(axis="x", labelsize=7.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
        ax.grid(alpha=0.25)
        ax.set_title(short(issue.label, 70), loc="left", fontsize=9.5, fontweight="bold")
        if single:
            ax.set_xlabel("round")
            ax.set_ylabel(
                "position" + (f" ({issue.unit})" if issue.unit else " (the issue's options)")
            )
            finals = {aid: ys[-1] for aid, ys in series.items() if not np.isnan(ys[-1])}
            _end_labels(ax, results, finals, styles, rounds[-1], box[1], (lo, hi))
    title = _title(results, f"negotiating positions by round ({sc.model.dynamics} dynamics)")
    if not single:
        fig.supxlabel("round", fontsize=10)
        fig.supylabel("position on the issue's own scale", fontsize=10)
    handles = [
        *(
            Line2D([], [], **styles[aid].line(lw=lw, markersize=ms), label=a.name)
            for aid, a in sc.actors.items()
        ),
        Line2D([], [], color="black", ls="--", lw=1.3, label="weighted mean"),
        Line2D([], [], color="black", ls=":", lw=1.6, label="weighted median"),
        Line2D(
            [],
            [],
            ls="",
            marker=FORECAST_MARKER,
            color="black",
            markersize=10,
            label="forecast",
        ),
    ]
    _header(fig, handles, title, ncol=min(len(handles), 7 if single else 9))
    return fig


def _marked_rounds(rounds: list[int]) -> list[int]:
    """The rounds that get markers: all of them, or every k-th and the last."""
    step = -(-len(rounds) // MARKED_ROUNDS)
    marked = rounds[::step]
    return marked if marked[-1] == rounds[-1] else [*marked, rounds[-1]]


def _dodged_markers(
    ax: Axes,
    rounds: list[int],
    marked: list[int],
    series: dict[str, list[float]],
    styles: dict[str, ActorStyle],
    box: tuple[float, float],
    ylim: tuple[float, float],
    ms: float,
) -> tuple[float, float]:
    """Each actor's marker at each marked round; actors whose markers would overlap there set
    side by side around the round, in scenario order. Returns the x-limits that hold them all
    (the right one is where the forecast star goes)."""
    x_span = max(rounds[-1] - rounds[0], 1)
    pt_per_round = box[0] * 72 / (x_span * 1.12)
    gap = min((b - a for a, b in zip(marked, marked[1:], strict=False)), default=1)
    # markers closer than a third of their size hide each other; farther apart, both show
    y_tol = 0.35 * ms / 72 / max(box[1], 0.5) * (ylim[1] - ylim[0])
    at = {r: k for k, r in enumerate(rounds)}
    xs: dict[str, list[float]] = {aid: [] for aid in series}
    ys: dict[str, list[float]] = {aid: [] for aid in series}
    reach = 0.0
    for r in marked:
        here = sorted(
            ((series[aid][at[r]], order, aid) for order, aid in enumerate(series)),
            key=lambda t: (t[0], t[1]),
        )
        here = [t for t in here if not np.isnan(t[0])]
        clusters: list[list[tuple[float, int, str]]] = []
        for t in here:
            if clusters and t[0] - clusters[-1][0][0] < y_tol:
                clusters[-1].append(t)
            else:
                clusters.append([t])
        for cluster in clusters:
            n = len(cluster)
            dx = ms * 1.15 / pt_per_round
            if n > 1:
                dx = min(dx, 0.85 * gap / (n - 1))
            for j, (y, _, aid) in enumerate(sorted(cluster, key=lambda t: t[1])):
                xs[aid].append(r + (j - (n - 1) / 2) * dx)
                ys[aid].append(y)
            reach = max(reach, (n - 1) / 2 * dx + 0.5 * ms / pt_per_round)
    for aid in series:
        ax.plot(xs[aid], ys[aid], **styles[aid].line(ls="", markersize=ms, zorder=4))
    return rounds[0] - reach, rounds[-1] + reach + 1.2 * ms / pt_per_round


def _end_labels(
    ax: Axes,
    results: Results,
    finals: dict[str, float],
    styles: dict[str, ActorStyle],
    last: int,
    height_in: float,
    ylim: tuple[float, float],
) -> None:
    """The actors' names right of the plot, at their final positions: every actor who ends
    at one position on one label (three names a line), labels spread apart where they would
    overlap, each joined to its position by a thin line."""
    span = ylim[1] - ylim[0]
    groups: list[list[str]] = []
    for aid in sorted(finals, key=lambda a: (finals[a], list(finals).index(a))):
        if groups and abs(finals[aid] - finals[groups[-1][0]]) < 1e-6 * max(span, 1):
            groups[-1].append(aid)
        else:
            groups.append([aid])
    size = 8.5
    row = size * 1.35 / 72 / max(height_in, 0.5) * span  # one text line, in data units
    lines = [[g[k : k + 3] for k in range(0, len(g), 3)] for g in groups]
    need = [len(ls) * row for ls in lines]
    centres = [finals[g[0]] for g in groups]
    # spread: push each label above the one below it, then pull the stack back under the top
    for k in range(1, len(centres)):
        centres[k] = max(centres[k], centres[k - 1] + (need[k - 1] + need[k]) / 2)
    top = ylim[1] - need[-1] / 2 if need else ylim[1]
    if centres and centres[-1] > top:
        centres[-1] = top
        for k in range(len(centres) - 2, -1, -1):
            centres[k] = min(centres[k], centres[k + 1] - (need[k] + need[k + 1]) / 2)
    names = results.scenario.actors
    for group, rows, centre in zip(groups, lines, centres, strict=True):
        # one line of names per row, each name in its actor's colour, on one baseline
        rows_box = [
            HPacker(
                children=[
                    TextArea(
                        names[aid].name + ("," if j < len(row_ids) - 1 else ""),
                        textprops=_name_style(styles[aid].colour, size),
                    )
                    for j, aid in enumerate(row_ids)
                ],
                align="baseline",
                pad=0,
                sep=size * 0.35,
            )
            for row_ids in rows
        ]
        box = VPacker(children=rows_box, align="left", pad=0, sep=1)
        ax.add_artist(
            AnnotationBbox(
                box,
                (last, finals[group[0]]),
                xycoords="data",
                xybox=(1.03, centre),
                boxcoords=ax.get_yaxis_transform(),
                box_alignment=(0, 0.5),
                frameon=False,
                pad=0,
                annotation_clip=False,
                arrowprops={"arrowstyle": "-", "color": "#9a9a9a", "lw": 0.7, "shrinkB": 1},
            )
        )


def _name_style(colour: str, size: float) -> dict[str, Any]:
    style: dict[str, Any] = {"color": colour, "fontsize": size, "fontweight": "bold"}
    if _luminance(colour) > 0.7:  # yellow: outlined, to read on white
        style["path_effects"] = [OUTLINE]
    return style


# --- utilities ----------------------------------------------------------------------------------


def utilities_figure(results: Results) -> Figure:
    """Each actor's utility of every proposal and the forecast, against what no deal is worth."""
    sc = results.scenario
    colours = actor_colours(results)
    cols = results.columns()
    actors = list(sc.actors.values())
    bar = 0.8 / len(actors)
    group_h = max(0.2 * len(actors) + 0.3, 0.75)
    fig = Figure(figsize=(11.0, group_h * len(cols) + 2.0), layout="constrained")
    ax = fig.subplots()
    for g, (_, _, verdicts) in enumerate(cols):
        for k, actor in enumerate(actors):
            v = verdicts[actor.id]
            y = g - 0.4 + bar * (k + 0.5)
            ax.barh(
                y,
                v.utility,
                bar * 0.9,
                color=colours[actor.id],
                alpha=1.0 if v.accepts else 0.35,
                hatch=None if v.accepts else "///",
                edgecolor=colours[actor.id] if v.accepts else "black",
                lw=0.5,
            )
            ax.plot(
                [v.reservation] * 2,
                [y - bar * 0.5, y + bar * 0.5],
                color="black",
                lw=2.2,
                solid_capstyle="butt",
                zorder=4,
            )
            if not v.accepts:
                ax.text(max(v.utility, v.reservation) + 0.012, y, "✗", va="center", fontsize=9)
    ax.set_yticks(range(len(cols)), [short(label, 30, 3) for _, label, _ in cols], fontsize=8.5)
    ax.set_ylim(len(cols) - 0.5, -0.5)
    for g in range(len(cols) - 1):
        ax.axhline(g + 0.5, color="#dddddd", lw=0.8)
    ax.axhline(len(cols) - 1.5, color="black", lw=1.2)
    ax.set_xlim(0, 1.05)
    ax.set_xlabel(UTILITY_AXIS)
    ax.set_ylabel("proposal (last: the model's forecast)")
    ax.grid(axis="x", alpha=0.3)
    fig.suptitle(
        _title(results, "what each proposal is worth to each actor, against no deal"),
        fontsize=12,
    )
    handles = [
        *(Patch(color=colours[a.id], label=a.name) for a in actors),
        Patch(
            facecolor="#bbbbbb",
            edgecolor="black",
            hatch="///",
            lw=0.5,
            label="✗ hatched, pale: the actor rejects it",
        ),
        Line2D([], [], color="black", lw=2.2, label="what no deal is worth to the actor"),
    ]
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8.5, frameon=False
    )
    return fig
