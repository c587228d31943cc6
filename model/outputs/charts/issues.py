"""issues.png: one row per issue, where each proposal falls against each actor's ideal, red lines
and the status quo.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from model.outputs.charts.style import (
    FORECAST_MARKER,
    NO_DEAL_STYLE,
    STATISTICS,
    actor_colours,
    chars,
    figure,
    header,
    headline,
    ink,
    issue_limits,
    numeric_ticks,
    option_gap,
    proposal_styles,
    short,
)
from model.results import Results
from model.scenario.types import Issue, RedLine

LANE_IN = 0.17  # one actor lane
PROPOSAL_STEP = 0.7  # one proposal's lane, in actor lanes: room for its label
PROPOSAL_LABEL = 44  # characters of a proposal's label beside its lane


def issues_figure(results: Results) -> Figure:
    """One row per issue: each actor's ideal and unacceptable zone, status quo, proposals.

    Every proposal (and the forecast) has its own labelled lane above the actors', in every
    panel, so proposals at the same value never hide each other and the key is beside them.
    """
    sc = results.scenario
    colours = actor_colours(sc.actors)
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
    fig = figure(figsize=(width, sum(heights) + 1.5), layout="constrained")
    axes = fig.subplots(len(sc.issues), 1, squeeze=False, height_ratios=heights)[:, 0]
    # lanes, top to bottom: the proposals (one each), then one lane per actor
    prop_y = [-0.5 - prop_span + PROPOSAL_STEP * (k + 0.5) for k in range(n_prop)]
    for ax, (iid, issue) in zip(axes, sc.issues.items(), strict=True):
        lo, hi = issue_limits(issue)
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
    title = headline(sc.title, "where each proposal falls against each actor's ideal and red lines")
    header(fig, handles, title, ncol=min(len(handles), 4), labels=labels)
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
    star = {"marker": FORECAST_MARKER, "color": STATISTICS, "markersize": 10}
    out.append((results.forecast.label, star, results.forecast.package(sc.issues)))
    return out


def _issue_xaxis(ax: Axes, issue: Issue, axis_w: float, lines: int) -> None:
    """Option labels as ticks on an ordinal issue, shortened to the room each has; else the unit."""
    if issue.options:
        lo, hi = issue_limits(issue)
        room = axis_w * option_gap(issue) / (hi - lo)
        ax.set_xticks(
            [o.value for o in issue.options],
            [short(o.label, chars(room - 0.08, 6.8), lines) for o in issue.options],
            fontsize=6.8,
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
