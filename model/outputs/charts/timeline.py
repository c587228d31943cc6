"""timeline.png: the dated proposals in order, each actor's utility and verdict across them.

It answers "who did each successive text move toward?": a line per actor, a filled marker where
the actor accepts, a hollow one where its verdict depends on how the text's open points are
settled, a cross where it rejects, and each actor's no-deal utility as a dash at each text.

Every text meets the stances and status quo in force on its date (model.scenario.dated), so the
no-deal line moves with the status quo; a utility reads a text's open points at that status quo.
Texts of the
same date are alternatives (e.g. the two versions of the April 2022 Istanbul draft), not a
sequence: they sit side by side in a shaded band and no line joins them, nor joins them to
their neighbours; a dashed line goes over the band from the text before it to the text after
it. A gap of more than a year between two dates gets extra room and a labelled
band, so that three years do not look like one step; no line crosses it.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from model.outputs.charts.style import TIMELINE_PALETTE, chars, figure, save
from model.results import Results
from model.scenario.types import Scenario

BREAK_DAYS = 365  # a longer gap between two successive dates is drawn as a break
BREAK_ROOM = 0.9  # extra x room for a break
MIN_DATED = 3  # fewer dated proposals: no timeline
GLYPH = 0.6  # an average glyph, in ems: conservative, so a title is never cut off
NOTE = (
    "Each text meets the stances and status quo in force on its date. Filled: accepts however "
    "its open points are settled; hollow: depends on how they are settled; cross: rejects. A "
    "utility reads open points at the status quo. Lines join successive texts; texts of the same "
    "date are alternatives and are not joined."
)


@dataclass(frozen=True)
class Layout:
    """Where each dated proposal goes on the x axis, and which of them a line joins."""

    order: tuple[str, ...]  # proposal ids in date order (ties keep file order)
    x: dict[str, float]
    groups: tuple[tuple[str, ...], ...]  # ids sharing a date, in order
    joined: tuple[tuple[str, str], ...]  # successive single texts a line joins
    breaks: tuple[tuple[float, int], ...] = field(default=())  # (x of the gap's middle, days)
    # single texts on either side of one same-date group (no break): a dashed line over it
    bridged: tuple[tuple[str, str], ...] = field(default=())


def dated(scenario: Scenario | Results) -> list[str]:
    """Ids of the proposals that carry a date, in date order (ties keep file order)."""
    sc = scenario.scenario if isinstance(scenario, Results) else scenario
    props = sc.proposals
    return sorted((pid for pid, p in props.items() if p.date), key=lambda pid: props[pid].date)


def _day(date: str) -> dt.date:
    return dt.date.fromisoformat(str(date))


def layout(scenario: Scenario) -> Layout:
    order = dated(scenario)
    props = scenario.proposals
    groups: list[list[str]] = []
    for pid in order:
        if groups and props[groups[-1][0]].date == props[pid].date:
            groups[-1].append(pid)
        else:
            groups.append([pid])
    x: dict[str, float] = {}
    joined, breaks, bridged = [], [], []
    broken = [False]  # broken[k]: a break lies between groups k-1 and k
    pos = 0.0
    for k, group in enumerate(groups):
        if k:
            gap = (_day(props[group[0]].date) - _day(props[groups[k - 1][0]].date)).days
            pos += 1.0
            broken.append(gap > BREAK_DAYS)
            if broken[k]:
                breaks.append((pos + BREAK_ROOM / 2 - 0.5, gap))
                pos += BREAK_ROOM
            elif len(group) == 1 and len(groups[k - 1]) == 1:
                joined.append((groups[k - 1][0], group[0]))
        for n, pid in enumerate(group):
            x[pid] = pos + n
        pos += len(group) - 1
    for k in range(1, len(groups) - 1):
        before, middle, after = groups[k - 1], groups[k], groups[k + 1]
        if len(middle) > 1 and len(before) == 1 and len(after) == 1:
            if not broken[k] and not broken[k + 1]:
                bridged.append((before[0], after[0]))
    return Layout(
        tuple(order),
        x,
        tuple(tuple(g) for g in groups),
        tuple(joined),
        tuple(breaks),
        tuple(bridged),
    )


def _gap_words(days: int) -> str:
    years, months = divmod(round(days / 30.44), 12)
    if years and months:
        return f"{years} yr {months} mo later"
    return f"{years} years later" if years else f"{months} months later"


def write_timeline(results: Results, folder: Path, fmt: str = "png") -> str | None:
    """Draw the chart if the scenario has at least three dated proposals."""
    fig = timeline_figure(results)
    if fig is None:
        return None
    return save(fig, folder, "timeline", fmt)


def timeline_figure(results: Results) -> Figure | None:
    """The chart as a matplotlib Figure, or None under three dated proposals."""
    sc = results.scenario
    lay = layout(sc)
    if len(lay.order) < MIN_DATED:
        return None
    span = max(lay.x.values()) + 1
    width = max(9.0, 1.05 * span + 3.6)
    fig = figure(figsize=(width, 7.0), layout="constrained")
    ax = fig.subplots()
    for group in lay.groups:
        if len(group) > 1:
            lo, hi = lay.x[group[0]] - 0.42, lay.x[group[-1]] + 0.42
            ax.axvspan(lo, hi, color="#e5e7eb", alpha=0.7, zorder=0, lw=0)
            ax.text(
                (lo + hi) / 2,
                1.09,
                "same date: alternatives",
                ha="center",
                va="top",
                fontsize=7.5,
                color="#374151",
                zorder=1,
            )
    for mid, days in lay.breaks:
        ax.axvspan(mid - 0.3, mid + 0.3, fc="none", ec="#cbd5e1", hatch="//", lw=0, zorder=0.5)
        ax.text(
            mid,
            0.5,
            _gap_words(days),
            rotation=90,
            ha="center",
            va="center",
            fontsize=8,
            color="#374151",
            bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": "#9ca3af", "lw": 0.6},
            zorder=4,
        )
    for k, aid in enumerate(sc.actors):
        colour = TIMELINE_PALETTE[k % len(TIMELINE_PALETTE)]
        u = {pid: results.verdicts[pid][aid].utility for pid in lay.order}
        for p, q in lay.joined:
            ax.plot([lay.x[p], lay.x[q]], [u[p], u[q]], color=colour, lw=1.8, zorder=2)
        for p, q in lay.bridged:
            ax.plot(
                [lay.x[p], lay.x[q]],
                [u[p], u[q]],
                color=colour,
                lw=1.2,
                ls="--",
                alpha=0.6,
                zorder=2,
            )
        # no deal on each text's date (the status quo moves): a dash at each text, so that no
        # line crosses a break
        ax.scatter(
            [lay.x[pid] for pid in lay.order],
            [results.verdicts[pid][aid].reservation for pid in lay.order],
            marker="_",
            s=420,
            color=colour,
            lw=1.2,
            alpha=0.75,
            zorder=1,
        )
        for pid in lay.order:
            v = results.verdicts[pid][aid]
            word = results.verdict_word(pid, aid)
            ax.scatter(
                lay.x[pid],
                v.utility,
                s=60 if word == "rejects" else 55,
                marker="X" if word == "rejects" else "o",
                color="white" if word == "depends" else colour,
                edgecolor=colour if word == "depends" else "black",
                lw=1.4 if word == "depends" else (0.5 if word == "rejects" else 0.6),
                zorder=3,
            )
    labels = [
        f"{sc.proposals[pid].date}\n"
        + "\n".join(textwrap.wrap(sc.proposals[pid].label, 15, max_lines=5, placeholder="..."))
        for pid in lay.order
    ]
    ax.set_xticks([lay.x[pid] for pid in lay.order], labels, fontsize=7)
    ax.set_xlim(-0.6, span - 0.4)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("utility (0 = worst, 1 = the actor's ideal)")
    ax.set_xlabel("proposals in date order (evenly spaced; breaks mark gaps of over a year)")
    # wrapped to the figure's width (a long title on a narrow figure was cut off on the left)
    title = f"{sc.title}: each actor's utility across the proposals, in date order"
    fig.suptitle(
        "\n".join(textwrap.wrap(title, chars(width - 0.4, 12, GLYPH, least=20))), fontsize=12
    )
    note = textwrap.wrap(NOTE, chars(width - 3.2, 8.5, GLYPH, least=20))
    ax.set_title("\n".join(note), fontsize=8.5, color="#374151")
    ax.grid(axis="y", alpha=0.3)
    handles = [
        Line2D([], [], color=TIMELINE_PALETTE[k % len(TIMELINE_PALETTE)], lw=1.8, label=actor.name)
        for k, actor in enumerate(sc.actors.values())
    ]
    handles += [
        Line2D([], [], marker="o", ls="", color="grey", markeredgecolor="black", label="accepts"),
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            color="white",
            markeredgecolor="grey",
            markeredgewidth=1.4,
            label="depends on how the\nopen points are settled",
        ),
        Line2D([], [], marker="X", ls="", color="grey", markeredgecolor="black", label="rejects"),
        Line2D(
            [], [], marker="_", ls="", markersize=16, color="grey", label="no deal on that date"
        ),
        Line2D(
            [],
            [],
            ls="--",
            color="grey",
            alpha=0.6,
            label="dashed: from the text before\nthe band to the one after",
        ),
        Patch(color="#e5e7eb", label="same date: alternative\ntexts, not joined"),
    ]
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8.5, frameon=False
    )
    return fig
