"""issues.png: one row per issue, where each proposal falls against each actor's ideal, red lines
and the status quo.
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.patches import Patch
from matplotlib.textpath import TextPath
from matplotlib.transforms import offset_copy

from model.evaluation.verdicts import Verdict
from model.outputs.charts.style import (
    CROSSING,
    FORECAST_MARKER,
    NO_DEAL_STYLE,
    STATISTICS,
    TITLE_Y,
    Page,
    actor_colours,
    chars,
    figure,
    header,
    headline,
    ink,
    issue_limits,
    name_style,
    numeric_ticks,
    option_gap,
    pages,
    proposal_styles,
    short,
    unlabelled_axes,
)
from model.results import FORECAST_ID as FORECAST
from model.results import Results
from model.scenario.types import Issue, RedLine

LANE_IN = 0.17  # one actor lane
PROPOSAL_STEP = 0.7  # one proposal's lane, in actor lanes: room for its label
LANE_FONT = 6.5  # a proposal's label beside its lane, and the crossings' names in it
OPTION_FONT = 6.8
ZONE_ALPHA = 0.22  # an unacceptable zone's tint, under a hatch in the actor's full colour


def issue_pages(results: Results) -> list[Page]:
    """issues.png's pages: its panels, one per issue, in pages of at most PAGE_IN inches."""
    return pages(_layout(results)[3])


def _layout(results: Results) -> tuple[list, float, float, list[float], dict[str, int]]:
    """The proposals' marks, the figure's width, the axis width, each issue panel's height
    (inches) and each issue's option-label lines: what the pages and the panels share."""
    sc = results.scenario
    proposals = _proposal_marks(results)
    row_units = len(sc.actors) + PROPOSAL_STEP * len(proposals) + 0.4
    label_in = max(len(label) for label, _, _, _ in proposals) * LANE_FONT * 0.5 / 72 + 0.2
    width = 11.0 + label_in
    axis_w = width - label_in - 0.5
    lines = {iid: _option_lines(issue, axis_w) for iid, issue in sc.issues.items()}
    heights = [
        row_units * LANE_IN + 0.42 + (0.125 * lines[iid] + 0.05 if issue.options else 0.45)
        for iid, issue in sc.issues.items()
    ]
    return proposals, width, axis_w, heights, lines


def issues_figure(results: Results, page: Page | None = None) -> Figure:
    """One row per issue: each actor's ideal and unacceptable zone, status quo, proposals.

    Every proposal (and the forecast) has its own labelled lane above the actors', in every
    panel, so proposals at the same value never hide each other and the key is beside them.
    Beside a proposal's mark, a red ✗ and an actor's name for each red line it crosses there.
    The figure is tall, so its legend is both above and below the panels. `page` (from
    `issue_pages`): only its issues, the page named in the title; default every issue.
    """
    sc = results.scenario
    colours = actor_colours(sc.actors)
    proposals, width, axis_w, heights, lines = _layout(results)
    crossings = _crossings(results)
    n_act, n_prop = len(sc.actors), len(proposals)
    prop_span = PROPOSAL_STEP * n_prop
    shown = list(sc.issues.items())
    if page is not None:
        shown, heights = (
            shown[page.first : page.last + 1],
            heights[page.first : page.last + 1],
        )
    fig = figure(figsize=(width, sum(heights) + 2.6), layout="constrained")
    axes = fig.subplots(len(shown), 1, squeeze=False, height_ratios=heights)[:, 0]
    # lanes, top to bottom: the proposals (one each), then one lane per actor
    prop_y = [-0.5 - prop_span + PROPOSAL_STEP * (k + 0.5) for k in range(n_prop)]
    # drawn as few artists as the chart allows (one collection for the shaded lanes, one for
    # the actors' ideals, one for the proposals' guide lines, in each panel): a figure of
    # sixteen panels otherwise has thousands, and drawing them was most of a run's time
    shaded = [(y - PROPOSAL_STEP / 2, y + PROPOSAL_STEP / 2) for y in prop_y[::2]]
    shaded += [(k - 0.5, k + 0.5) for k in range(0, n_act, 2)]
    shade_colours = ["#f7f7f7"] * len(prop_y[::2]) + ["#f2f2f2"] * len(range(0, n_act, 2))
    name_w = {aid: _width(a.name, LANE_FONT) for aid, a in sc.actors.items()}
    cross = MarkerStyle("$✗$")  # parsed once, not once a mark
    for ax, (iid, issue) in zip(axes, shown, strict=True):
        lo, hi = issue_limits(issue)
        ax.set_xlim(lo, hi)
        ax.set_ylim(n_act - 0.5, -0.5 - prop_span - 0.15)
        ax.axvline(issue.status_quo, color="#9a9a9a", lw=5, alpha=0.45, zorder=0)
        ax.add_collection(  # every other lane shaded, to read across
            PolyCollection(
                [[(0, a), (1, a), (1, b), (0, b)] for a, b in shaded],
                facecolors=shade_colours,
                lw=0,
                zorder=-1,
                transform=ax.get_yaxis_transform(),
            ),
            autolim=False,
        )
        ideals: list[tuple[float, int, str]] = []
        for k, (aid, actor) in enumerate(sc.actors.items()):
            stake = actor.stakes.get(iid)
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
                    _zone(ax, a, b, k, colours[aid])
            ideals.append((stake.position, k, colours[aid]))
        if ideals:
            ax.scatter(
                [x for x, _, _ in ideals],
                [k for _, k, _ in ideals],
                s=7.0**2,  # as a marker 7 points across
                c=[c for _, _, c in ideals],
                marker="o",
                edgecolors="black",
                linewidths=0.7,
                zorder=4,
            )
        guides = [
            [(package[iid], y), (package[iid], n_act - 0.5)]
            for y, (_, _, package, _) in zip(prop_y, proposals, strict=True)
        ]
        ax.add_collection(
            LineCollection(guides, colors="#555555", lw=0.6, alpha=0.3, linestyles=":"),
            autolim=False,
        )
        for y, (_, style, package, pid) in zip(prop_y, proposals, strict=True):
            value = package[iid]
            ax.plot(value, y, ls="", zorder=5, **style)
            crossed = [aid for aid in sc.actors if iid in crossings.get((pid, aid), ())]
            at = (value - lo) / (hi - lo)
            _mark_crossings(ax, value, y, at, crossed, sc, colours, name_w, cross)
        ax.set_yticks(
            [*prop_y, *range(n_act)],
            [*(label for label, _, _, _ in proposals), *(a.name for a in sc.actors.values())],
        )
        for tick in ax.get_yticklabels()[:n_prop]:
            tick.set_fontsize(LANE_FONT)
            tick.set_color("#333333")
        for tick, aid in zip(ax.get_yticklabels()[n_prop:], sc.actors, strict=True):
            ink(tick, colours[aid])
            tick.set_fontweight("bold")
            tick.set_fontsize(7.5)
        ax.tick_params(axis="y", length=0, pad=2)
        ax.axhline(-0.5, color="#bbbbbb", lw=0.6)
        _issue_xaxis(ax, issue, axis_w, lines[iid])
        ax.set_title(issue.label, loc="left", fontsize=9.5, fontweight="bold", y=TITLE_Y)
        unlabelled_axes(ax)
    handles, labels = _legend(results, colours)
    title = headline(
        sc.title, "where each proposal falls against each actor's ideal and red lines", page=page
    )
    ncol = min(len(handles), 3)
    header(fig, handles, title, ncol=ncol, labels=labels)
    fig.legend(  # the same key below the last panel, a long way down from the first
        handles=handles,
        labels=labels,
        handler_map={tuple: HandlerTuple(ndivide=None, pad=0)},
        loc="outside lower center",
        ncol=ncol,
        fontsize=8.5,
        frameon=False,
    )
    return fig


def _legend(results: Results, colours: dict[str, str]) -> tuple[list, list[str]]:
    """The key: actors' ideals, the hatched zones, the status quo, a proposal and a crossing."""
    sc = results.scenario
    handles: list = [
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
        tuple(
            Patch(
                facecolor=(*to_rgb(colours[aid]), ZONE_ALPHA),
                edgecolor=colours[aid],
                hatch="////",
                lw=0,
            )
            for aid in sc.actors
        ),
        Line2D([], [], color="#9a9a9a", lw=5, alpha=0.45, label="status quo (no deal)"),
        Line2D(
            [],
            [],
            ls="",
            marker="s",
            color="#777777",
            markeredgecolor="black",
            label="a proposal's value (each named in its lane, above the actors)",
        ),
        Line2D([], [], ls="", marker="$✗$", color=CROSSING, markersize=8),
    ]
    labels = [h.get_label() if isinstance(h, Line2D) else "" for h in handles]
    labels[len(sc.actors)] = (
        "hatched in an actor's lane: beyond its red line (as the scenario stands)"
    )
    labels[-1] = (
        "✗ and a name beside a proposal: it crosses that actor's red line\n"
        "on this issue (the actor's stance on the proposal's date)"
    )
    return handles, labels


def _crossings(results: Results) -> dict[tuple[str, str], set[str]]:
    """(proposal id, actor id) -> the issues whose red lines the proposal crosses for the actor,
    from the verdicts (each text on its date's stances; a conditional red line may be waived)."""
    out: dict[tuple[str, str], set[str]] = {}
    verdicts: dict[str, dict[str, Verdict]] = {
        **results.verdicts,
        FORECAST: results.forecast_verdicts,
    }
    for pid, by_actor in verdicts.items():
        for aid, v in by_actor.items():
            if v.violations:
                out[pid, aid] = {x.issue for x in v.violations}
    return out


def _mark_crossings(
    ax: Axes,
    value: float,
    y: float,
    at: float,
    crossed: list[str],
    sc: Any,
    colours: dict[str, str],
    name_w: dict[str, float],
    cross: MarkerStyle,
) -> None:
    """A red ✗ and the actor's name for each actor whose red line the proposal crosses here,
    beside its mark: to its right, or its left in the right part of the axis (`at` > 0.6).
    `name_w` holds each actor's name's width in points, `cross` the ✗ marker."""
    step = -1 if at > 0.6 else 1
    offset = 8.0
    for aid in crossed if step > 0 else reversed(crossed):
        name = sc.actors[aid].name
        mark_at = offset if step > 0 else -(offset + name_w[aid] + 9)
        ax.plot(
            value,
            y,
            ls="",
            marker=cross,
            color=CROSSING,
            markersize=6.5,
            gid="crossing",
            zorder=6,
            transform=offset_copy(ax.transData, ax.figure, x=mark_at, units="points"),
        )
        ax.text(
            value,
            y,
            name,
            va="center",
            ha="left",
            transform=offset_copy(ax.transData, ax.figure, x=mark_at + 5, units="points"),
            zorder=6,
            **name_style(colours[aid], LANE_FONT),
        )
        offset += name_w[aid] + 13


def _width(text: str, size: float) -> float:
    """The width in points of `text` in bold at `size` points (no canvas needed)."""
    return float(
        TextPath((0, 0), text, size=size, prop=FontProperties(weight="bold")).get_extents().width
    )


def _zone(ax: Axes, a: float, b: float, k: int, colour: str) -> None:
    """An actor's unacceptable stretch (a, b) in its lane `k`: a tint, hatched in its colour."""
    ax.fill_between(
        [a, b],
        k - 0.42,
        k + 0.42,
        facecolor=(*to_rgb(colour), ZONE_ALPHA),
        edgecolor=colour,
        hatch="////",
        lw=0,
        zorder=1,
    )


def _proposal_marks(
    results: Results,
) -> list[tuple[str, dict[str, Any], dict[str, float], str]]:
    """(label, marker style, package, id) for every proposal, then the forecast (a black star).

    A proposal without provisions is no deal, drawn as no deal is in frontier.png."""
    sc = results.scenario
    styles = proposal_styles(p.label for p in sc.proposals.values() if p.provisions)
    out = [
        (p.label, styles.get(p.label, NO_DEAL_STYLE), p.package(sc.issues), pid)
        for pid, p in sc.proposals.items()
    ]
    star = {"marker": FORECAST_MARKER, "color": STATISTICS, "markersize": 10}
    out.append((results.forecast.label, star, results.forecast.package(sc.issues), FORECAST))
    return out


def _option_room(issue: Issue, axis_w: float) -> int:
    """Characters per line an option's label has: the axis width between two options."""
    lo, hi = issue_limits(issue)
    return chars(axis_w * option_gap(issue) / (hi - lo) - 0.08, OPTION_FONT)


def _option_lines(issue: Issue, axis_w: float) -> int:
    """Lines the longest option label needs at its room, so none is cut (at least 2)."""
    room = _option_room(issue, axis_w)
    return max([2, *(len(textwrap.wrap(o.label, max(room, 6))) for o in issue.options)])


def _issue_xaxis(ax: Axes, issue: Issue, axis_w: float, lines: int) -> None:
    """Option labels in full as ticks on an ordinal issue, wrapped to the room each has; else
    the unit."""
    if issue.options:
        room = _option_room(issue, axis_w)
        ax.set_xticks(
            [o.value for o in issue.options],
            [short(o.label, room, lines) for o in issue.options],
            fontsize=OPTION_FONT,
            linespacing=1.05,
        )
        ax.tick_params(axis="x", length=2)
    else:
        ax.set_xlabel(issue.unit or "value", fontsize=8, labelpad=1)
        ax.set_xticks(*numeric_ticks(issue, *ax.get_xlim(), sep="\n"))
        ax.tick_params(axis="x", labelsize=7.5)


def _unacceptable(issue: Issue, red_line: RedLine) -> list[tuple[float, float]]:
    """The stretches of the issue's axis a red line rules out, as (from, to) intervals."""
    if issue.options:
        values = sorted(o.value for o in issue.options)
        lo, hi = issue_limits(issue)
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
