"""The search's two charts: the Pareto frontier seen pair by pair (frontier.png) and where the
red lines sit and which of them matter (conflicts.png).

Drawn from a `SearchResult` (plus, optionally, the proposals' utility points) on their own
`Figure`s, in the charts' one style (`style`), so the same result gives
byte-identical files.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from model.outputs.charts.style import (
    BLUISH_GREEN,
    STATISTICS,
    VERMILLION,
    chars,
    check_format,
    figure,
    headline,
    proposal_styles,
    save,
    short,
)
from model.search.types import Constraint, SearchResult

Points = Mapping[str, Mapping[str, float]]
"""Proposals' utilities: {label: {actor id: utility}} (`model.search.proposal_points`)."""

FRONTIER = "#7f8fa6"
NASH = VERMILLION
NO_DEAL = STATISTICS
RELAXED = BLUISH_GREEN

# conflicts.png cell states, in colour-map order
STATES = [
    ("no red line", "#ffffff"),
    ("red line", "#d9d9d9"),
    ("met exactly: the bargain\nsits at its edge", "#fdd49e"),
    ("holds the bargain back:\nwithout it, the bargain\nwould move past it", "#d7301f"),
    ("in a minimal conflict (C1, C2 ...)", "#fc8d59"),
    ("dropped by the smallest\nrelaxation", "#7f0000"),
]


def write_search_charts(
    result: SearchResult, proposals: Points | None, folder: Path, fmt: str = "png"
) -> list[str]:
    """Write frontier.<fmt> and conflicts.<fmt> into `folder`; return the file names."""
    check_format(fmt)
    folder = Path(folder)
    return [
        save(fig, folder, name, fmt)
        for name, fig in (
            ("frontier", frontier_figure(result, proposals)),
            ("conflicts", conflicts_figure(result)),
        )
    ]


def _title(result: SearchResult, what: str) -> str:
    return headline(result.title, what) if result.title else short(what, 110, 2)


PANEL_ACTORS = 10
"""With more actors, the frontier chart shows the pairs among this many of greatest capability
(45 panels, as for the ten parties of bdm1994-emissions): every pair of 80 actors would be 3,160
panels no reader can take in."""


def frontier_figure(result: SearchResult, proposals: Points | None = None) -> Figure:
    """One scatter panel per pair of actors (of the PANEL_ACTORS most capable, when there are
    more): the frontier's utilities (or the bounded search's sample of it), no deal, the Nash
    package and the proposals; dashed lines mark each actor's no-deal utility."""
    ids, names = result.actor_ids, result.actor_names
    shown = sorted(range(len(ids)), key=lambda a: (-result.capability[a], a))[:PANEL_ACTORS]
    pairs = list(itertools.combinations(sorted(shown), 2))
    if not pairs:
        pairs = [(0, 0)]
    ncols = min(4, len(pairs))
    nrows = math.ceil(len(pairs) / ncols)
    fig = figure(figsize=(3.3 * ncols + 3.4, max(3.2 * nrows, 5.0) + 0.9), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    u = result.frontier_utility
    res = np.array(result.reservation)
    nash = result.nash
    relaxed = result.relaxations[0].package if result.relaxations else None
    # one style per proposal, as in issues.png; a proposal that is the status quo would hide
    # the no-deal marker
    styles = proposal_styles(proposals or {})
    points = {
        label: pt
        for label, pt in (proposals or {}).items()
        if not all(abs(pt.get(a, math.inf) - r) < 1e-9 for a, r in zip(ids, res, strict=True))
    }
    for ax, (a, b) in zip(axes, pairs, strict=False):
        if len(u):
            ax.scatter(u[:, a], u[:, b], s=9, c=FRONTIER, alpha=0.45, linewidths=0, zorder=2)
        ax.axvline(res[a], color=NO_DEAL, lw=0.8, ls="--", zorder=1)
        ax.axhline(res[b], color=NO_DEAL, lw=0.8, ls="--", zorder=1)
        ax.scatter(res[a], res[b], marker="X", s=70, c=NO_DEAL, zorder=4)
        for label, pt in points.items():
            if ids[a] in pt and ids[b] in pt:
                ax.plot(pt[ids[a]], pt[ids[b]], ls="", zorder=5, **styles[label])
        for pkg, marker, size, colour in ((nash, "*", 220, NASH), (relaxed, "o", 90, RELAXED)):
            if pkg is not None:
                ax.scatter(
                    pkg.utility[a],
                    pkg.utility[b],
                    marker=marker,
                    s=size,
                    c=colour,
                    ec="black",
                    linewidths=0.6,
                    zorder=6,
                )
        ax.set_xlabel(short(f"{names[a]} utility", 34))
        ax.set_ylabel(short(f"{names[b]} utility", 34))
        ax.set_title(short(f"{names[a]} vs {names[b]}", 40), fontsize=10)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.25, lw=0.5)
    for ax in axes[len(pairs) :]:
        ax.set_visible(False)
    handles = []
    if len(u):
        label = f"Pareto frontier ({result.frontier_size:,} outcomes)"
        if not result.exact.frontier:
            label = f"Acceptable packages found\n({result.frontier_size:,}, a sample)"
        handles.append(_key("o", 5, FRONTIER, label, alpha=0.7))
    handles += [
        _key("X", 8, NO_DEAL, "No deal (status quo)"),
        Line2D([], [], ls="--", lw=0.8, color=NO_DEAL, label="No-deal utility (accept above)"),
    ]
    if nash is not None:
        handles.append(_key("*", 13, NASH, "Bargaining (Nash) package", mec="black"))
    if relaxed is not None:
        label = "Best package after the\nsmallest relaxation"
        handles.append(_key("o", 9, RELAXED, label, mec="black"))
    handles += [Line2D([], [], ls="", label=short(k, 40, 2), **styles[k]) for k in points]
    fig.legend(
        handles=handles,
        loc="outside right upper",
        fontsize=8,
        frameon=False,
    )
    if result.n_acceptable and not result.exact.frontier:
        what = (
            "a sample of the Pareto frontier found by the bounded search (the exact frontier did "
            "not fit the limits), seen pair by pair (utility: 0 = worst, 1 = ideal)"
        )
    elif result.n_acceptable:
        what = (
            f"the Pareto frontier of the {result.n_acceptable:,} packages acceptable to all, "
            "seen pair by pair (utility: 0 = worst, 1 = ideal)"
        )
    elif relaxed is not None:
        drop = result.relaxations[0].drop
        names = " and ".join(_constraint(result, c) for c in drop)
        verb = "is" if len(drop) == 1 else "are"
        what = (
            f"no package is acceptable to all; the green dot is the best one once {names} "
            f"{verb} dropped"
        )
    else:
        what = "no package is acceptable to all (the frontier is empty)"
    if len(ids) > PANEL_ACTORS:
        what += f"; the {PANEL_ACTORS} actors of greatest capability of {len(ids)}"
    fig.suptitle(_title(result, what), fontsize=12)
    return fig


def _key(marker: str, size: float, color: str, label: str, **style: object) -> Line2D:
    """A legend entry for a marker drawn without a line."""
    return Line2D([], [], ls="", marker=marker, ms=size, color=color, label=label, **style)


def _constraint(result: SearchResult, c: Constraint) -> str:
    if c.issue is None:
        return f"{result.name(c.actor)}'s no-deal test"
    return f"{result.name(c.actor)}'s red line on {result.issue_label(c.issue)}"


def _cells(result: SearchResult) -> tuple[np.ndarray, str]:
    """The state (index into STATES) of every (row, actor) cell, and the chart's subtitle.

    Rows are the issues and, last, "better off than no deal" (the participation constraints).
    """
    n_i, n_a = len(result.issue_ids), len(result.actor_ids)
    state = np.zeros((n_i + 1, n_a), int)
    for c in result.red_lines:
        state[result.issue_ids.index(c.issue), result.actor_ids.index(c.actor)] = 1
    if result.conflicts is None:
        for b in result.binding:
            i, a = result.issue_ids.index(b.issue), result.actor_ids.index(b.actor)
            state[i, a] = max(state[i, a], 3 if b.moves_nash else 2)
        if result.nash is None:
            sub = "no conflict, but no package leaves every party strictly better off"
        else:
            sub = (
                f"no conflict ({result.n_acceptable:,} packages acceptable to all); red lines "
                "the bargaining (Nash) package sits on"
            )
        return state, sub

    def where(c) -> tuple[int, int]:
        row = n_i if c.issue is None else result.issue_ids.index(c.issue)
        return row, result.actor_ids.index(c.actor)

    for s in result.conflicts.minimal:
        for c in s:
            state[where(c)] = 4
    if result.relaxations:
        for c in result.relaxations[0].drop:
            state[where(c)] = 5
    n = len(result.conflicts.minimal)
    sub = f"no package is acceptable to all: {n} minimal conflict{'s' if n != 1 else ''}"
    if result.relaxations:
        sub += f"; the smallest relaxation drops {len(result.relaxations[0].drop)}"
    return state, sub


def conflicts_figure(result: SearchResult) -> Figure:
    """Issues x actors: who has a red line where, and which red lines (or no-deal constraints)
    are in the conflict core and the smallest relaxation, or bind at the Nash package."""
    state, sub = _cells(result)
    n_rows, n_a = state.shape
    rows = [short(lab, 50) for lab in result.issue_labels] + ["Better off than no deal"]
    named = result.conflicts is None and result.nash is not None  # cells name the Nash values
    cell_w, cell_h = (1.6, 0.56) if named else (1.15, 0.36)
    fig = figure(figsize=(2.0 + cell_w * n_a + 3.2, 1.6 + cell_h * n_rows), layout="constrained")
    ax = fig.subplots()
    cmap = ListedColormap([c for _, c in STATES])
    ax.imshow(state, cmap=cmap, vmin=-0.5, vmax=len(STATES) - 0.5, aspect="auto")
    ax.set_xticks(range(n_a), [short(n, 14, 2) for n in result.actor_names], fontsize=9)
    ax.set_yticks(range(n_rows), rows, fontsize=9)
    ax.xaxis.tick_top()
    ax.set_xticks(np.arange(-0.5, n_a), minor=True)
    ax.set_yticks(np.arange(-0.5, n_rows), minor=True)
    ax.grid(which="minor", color="#8c8c8c", lw=0.6)
    ax.tick_params(which="minor", length=0)
    ax.axhline(n_rows - 1.5, color="black", lw=1.4)
    text: dict[tuple[int, int], str] = {}
    if result.conflicts is None and result.nash is not None:
        for b in result.binding:  # the Nash value, where a red line is at its edge
            i, a = result.issue_ids.index(b.issue), result.actor_ids.index(b.actor)
            text[i, a] = short(result.value_label(b.issue, b.choice), chars(cell_w - 0.12, 6.5), 4)
        for a, (u, r) in enumerate(zip(result.nash.utility, result.reservation, strict=True)):
            text[n_rows - 1, a] = f"gains {u - r:+.3f}"
    elif result.conflicts is not None:
        for k, s in enumerate(result.conflicts.minimal, 1):
            for c in s:
                row = n_rows - 1 if c.issue is None else result.issue_ids.index(c.issue)
                cell = (row, result.actor_ids.index(c.actor))
                text[cell] = f"{text[cell]} C{k}" if cell in text else f"C{k}"
        for cell, t in text.items():
            text[cell] = short(t, 16, 2)
    size = 6.5 if result.conflicts is None else 8
    for (i, a), t in text.items():
        colour = "white" if state[i, a] in (3, 5) else "black"
        ax.text(a, i, t, ha="center", va="center", fontsize=size, color=colour)
    used = sorted({int(s) for s in np.unique(state)} | {0, 1})
    handles = [Patch(facecolor=STATES[k][1], edgecolor="#8c8c8c", label=STATES[k][0]) for k in used]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        fontsize=8,
        frameon=False,
        title="Cell",
        title_fontsize=9,
    )
    fig.suptitle(_title(result, sub), fontsize=11)
    return fig
