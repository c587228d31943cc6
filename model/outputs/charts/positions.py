"""positions.png: each actor's position round by round, issue by issue, with the weighted mean
and median and the forecast.
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.offsetbox import AnnotationBbox, HPacker, TextArea, VPacker
from matplotlib.ticker import MaxNLocator

from model.outputs.charts.style import (
    FORECAST_MARKER,
    STATISTICS,
    TITLE_Y,
    ActorStyle,
    Page,
    actor_styles,
    chars,
    figure,
    header,
    headline,
    issue_limits,
    name_style,
    numeric_ticks,
    pages,
    short,
    unlabelled_axes,
)
from model.results import Results
from model.scenario.types import Issue

MARKED_ROUNDS = 12  # at most this many rounds get markers; more would bury the lines


def position_pages(results: Results) -> list[Page]:
    """positions.png's pages: its rows of panels (two issues a row) in pages of at most PAGE_IN
    inches."""
    _, ncols, _, _, _, heights = _layout(results)
    n = len(results.scenario.issues)
    return pages(heights, [min(ncols, n - r * ncols) for r in range(len(heights))])


def _layout(results: Results) -> tuple[bool, int, float, int, dict[str, int], list[float]]:
    """One issue alone or many, the columns, a panel's width, the option labels' width in
    characters and lines per issue, and each row of panels' height (inches)."""
    issues = list(results.scenario.issues.items())
    single = len(issues) == 1
    ncols = 1 if len(issues) <= 2 else 2
    nrows = -(-len(issues) // ncols)
    panel_w = 10.5 if single else (11.0 if ncols == 1 else 7.0)
    width = chars(2.0 if single else 2.1, 8 if single else 6.5)
    lines = {iid: _label_lines(issue, width) for iid, issue in issues}
    heights = [
        max(
            (6.0 if single else 2.3),
            *(
                max(0.42, 0.11 * lines[iid] + 0.12) * len(i.options) + 0.7
                for iid, i in issues[r * ncols : (r + 1) * ncols]
            ),
        )
        for r in range(nrows)
    ]
    return single, ncols, panel_w, width, lines, heights


def positions_figure(results: Results, page: Page | None = None) -> Figure:
    """Each actor's position round by round, issue by issue, with the weighted mean and median.

    Actors who stand at the same place in a marked round have their markers set side by side
    around the round, so no actor hides another; with one issue, the actors are named at the
    end of their lines, all those who end at one position together. `page` (from
    `position_pages`): only its issues, the page named in the title; default every issue.
    """
    sc = results.scenario
    styles = actor_styles(sc.actors)
    single, ncols, panel_w, width, lines, heights = _layout(results)
    label_w = 2.0 if single else 2.1
    issues = list(sc.issues.items())
    if page is not None:
        issues = issues[page.first : page.last + 1]
        heights = heights[page.first // ncols : page.last // ncols + 1]
    nrows = len(heights)
    rounds = [r.round for r in results.history]
    fig = figure(figsize=(panel_w * ncols + 0.6, sum(heights) + 1.7), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, height_ratios=heights)
    lw, ms = (2.0, 7.0) if single else (1.5, 4.5)
    marked = _marked_rounds(rounds)
    for n, ax in enumerate(axes.flat):
        if n >= len(issues):
            ax.set_visible(False)
            continue
        iid, issue = issues[n]
        lo, hi = issue_limits(issue)
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
            color=STATISTICS,
            ls="--",
            lw=1.3,
            zorder=3,
        )
        ax.plot(
            rounds,
            [r.median[iid] for r in results.history],
            color=STATISTICS,
            ls=":",
            lw=1.6,
            zorder=3,
        )
        ax.plot(
            x_hi,
            results.forecast.provisions[iid].value,
            FORECAST_MARKER,
            color=STATISTICS,
            markersize=13 if single else 10,
            zorder=5,
            clip_on=False,
        )
        ax.set_ylim(lo, hi)
        ax.set_xlim(x_lo, x_hi + (x_hi - x_lo) * 0.02)
        if issue.options:
            ax.set_yticks(
                [o.value for o in issue.options],
                [short(o.label, width, lines[iid]) for o in issue.options],
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
        ax.set_title(short(issue.label, 70), loc="left", fontsize=9.5, fontweight="bold", y=TITLE_Y)
        if single:
            ax.set_xlabel("round")
            ax.set_ylabel(
                "position" + (f" ({issue.unit})" if issue.unit else " (the issue's options)")
            )
            finals = {aid: ys[-1] for aid, ys in series.items() if not np.isnan(ys[-1])}
            _end_labels(ax, results, finals, styles, rounds[-1], box[1], (lo, hi))
        unlabelled_axes(ax)
    title = headline(
        sc.title, f"negotiating positions by round ({sc.model.dynamics} dynamics)", page=page
    )
    if not single:
        fig.supxlabel("round", fontsize=10)
        fig.supylabel("position on the issue's own scale", fontsize=10)
    handles = [
        *(
            Line2D([], [], **styles[aid].line(lw=lw, markersize=ms), label=a.name)
            for aid, a in sc.actors.items()
        ),
        Line2D([], [], color=STATISTICS, ls="--", lw=1.3, label="weighted mean"),
        Line2D([], [], color=STATISTICS, ls=":", lw=1.6, label="weighted median"),
        Line2D(
            [],
            [],
            ls="",
            marker=FORECAST_MARKER,
            color=STATISTICS,
            markersize=10,
            label="forecast",
        ),
    ]
    header(fig, handles, title, ncol=min(len(handles), 7 if single else 9))
    return fig


def _label_lines(issue: Issue, width: int) -> int:
    """Lines the longest option label needs at `width` characters a line, so none is cut."""
    return max([1, *(len(textwrap.wrap(o.label, max(width, 6))) for o in issue.options)])


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
                        textprops=name_style(styles[aid].colour, size),
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
