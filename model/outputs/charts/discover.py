"""The discovery's two charts: the boxes in which each target holds with PRIM's peeling
trajectory (discover.png), and each input's Sobol indices per target (sensitivity.png).

Drawn from a `DiscoverResult` alone, each on its own `Figure`, in the charts' one style.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from model.discover import METHOD, DiscoverResult, Finding
from model.outputs.charts.style import (
    BLUE,
    ORANGE,
    SEQUENTIAL,
    STATISTICS,
    check_format,
    figure,
    headline,
    save,
    short,
)
from model.outputs.discover import NEGLIGIBLE, box_sentence, condition

TOP = 8
"""Inputs per target in sensitivity.png (largest total index first)."""
MAX_TARGETS = 8
"""Targets per chart (the first ones, in the order asked)."""


def write_discover_charts(result: DiscoverResult, folder: Path, fmt: str = "png") -> list[str]:
    """Write discover.<fmt> and sensitivity.<fmt> into `folder`; return the file names."""
    check_format(fmt)
    return [
        save(draw(result), Path(folder), name, fmt)
        for name, draw in (("discover", discover_figure), ("sensitivity", sensitivity_figure))
    ]


def _empty(fig: Figure, text: str) -> Figure:
    fig.text(0.5, 0.5, text, ha="center", va="center", fontsize=11, wrap=True)
    return fig


def discover_figure(result: DiscoverResult) -> Figure:
    """Per target with a box: left, the peeling trajectory (coverage against density, each point
    a box, its colour how many inputs it limits, the chosen box ringed); right, the chosen box's
    limits on each limited input's drawn range, and the box in words above."""
    rows = [f for f in result.findings if f.boxes][:MAX_TARGETS]
    title = headline(result.scenario.title, "what would have to be true (PRIM boxes)", 100)
    if not rows:
        fig = figure(figsize=(10, 2.5))
        fig.suptitle(title, fontsize=12)
        return _empty(fig, "No target flips within the spreads drawn: no box to show.")
    fig = figure(figsize=(12, 0.6 + 3.1 * len(rows)), layout="constrained")
    fig.suptitle(title, fontsize=12)
    axes = fig.subplots(len(rows), 2, squeeze=False, width_ratios=[1, 1.6])
    for (left, right), f in zip(axes, rows, strict=True):
        box = f.boxes[0]
        _trajectory(left, f)
        _limits(right, result, f)
        right.set_title(short(box_sentence(result, f, box), 85, 5), fontsize=8, loc="left")
    return fig


def _trajectory(ax, f: Finding) -> None:
    box = f.boxes[0]
    steps = box.trajectory
    most = max(s.limited for s in steps)
    dots = ax.scatter(
        [s.coverage for s in steps],
        [s.density for s in steps],
        s=16,
        c=[s.limited for s in steps],
        cmap=SEQUENTIAL,
        vmin=0,
        vmax=max(most, 1),
        zorder=2,
    )
    bar = ax.figure.colorbar(dots, ax=ax, pad=0.02, fraction=0.05)
    bar.set_label("inputs the box limits", fontsize=7.5)
    bar.ax.tick_params(labelsize=7)
    bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    chosen = steps[box.chosen]
    ax.scatter(
        [chosen.coverage],
        [chosen.density],
        s=110,
        facecolors="none",
        edgecolors=STATISTICS,
        linewidths=1.5,
        zorder=3,
    )
    ax.annotate(
        "chosen box",
        (chosen.coverage, chosen.density),
        xytext=(-9, -4),
        textcoords="offset points",
        ha="right",
        va="top",
        fontsize=7.5,
    )
    ax.axhline(f.share, color=STATISTICS, ls=":", lw=1)
    ax.text(0.3, f.share, f"all draws: {f.share:.0%}", fontsize=7.5, va="bottom", ha="center")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.05)
    ax.set_xlabel("coverage: share of the draws where it holds that fall in the box", fontsize=8)
    ax.set_ylabel("density: share of the box's\ndraws where it holds", fontsize=8)
    ax.set_title(short(f.words, 55, 2), fontsize=9.5, loc="left")
    ax.grid(alpha=0.3)


def _limits(ax, result: DiscoverResult, f: Finding) -> None:
    """Each limited input as a bar: its drawn range grey, the box's part of it blue (a red line:
    the category kept, in words)."""
    inputs = {x.key: x for x in result.inputs}
    box = f.boxes[0]
    limits = box.limits
    if not limits:
        ax.text(0.5, 0.5, "no input limited: it holds in most draws whatever", ha="center")
        ax.set_axis_off()
        return
    for y, lim in enumerate(reversed(limits)):
        x = inputs[lim.input]
        ax.barh(y, 1.0, left=0.0, color="#DDDDDD", height=0.5)
        if lim.categories is not None:
            ax.barh(y, 1.0, left=0.0, color=ORANGE, height=0.5)
            ax.text(0.5, y, " or ".join(lim.categories), ha="center", va="center", fontsize=8.5)
        else:
            lo, hi = result.values[lim.input]
            span = (hi - lo) or 1.0
            a, b = (lim.lo - lo) / span, (lim.hi - lo) / span
            ax.barh(y, b - a, left=a, color=BLUE, height=0.5)
            ax.text(0.0, y - 0.38, f"{lo:.3g}", fontsize=7, ha="left", va="center")
            ax.text(1.0, y - 0.38, f"{hi:.3g}", fontsize=7, ha="right", va="center")
            ax.text(
                (a + b) / 2,
                y,
                condition(x, lim).rsplit(" is ", 1)[-1],
                ha="center",
                va="center",
                fontsize=8,
                color="white",
                fontweight="bold",
            )
    ax.set_yticks(
        range(len(limits)),
        [short(inputs[lim.input].label, 40, 2) for lim in reversed(limits)],
        fontsize=8,
    )
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.8, len(limits) - 0.4)
    ax.set_xticks([])
    ax.set_xlabel("each input's drawn range (grey); the box keeps the coloured part", fontsize=8)


def sensitivity_figure(result: DiscoverResult) -> Figure:
    """Per target with indices: each top input's first-order and total Sobol index with its 95%
    bootstrap interval; the method in the title."""
    rows = [f for f in result.findings if f.indices][:MAX_TARGETS]
    title = headline(result.scenario.title, "which inputs explain each target", 100)
    subtitle = f"{METHOD}; {result.n} base draws, {result.rows} rows; bars: 95% bootstrap intervals"
    if not rows:
        fig = figure(figsize=(10, 2.5))
        fig.suptitle(title + "\n" + short(subtitle, 110, 2), fontsize=11)
        return _empty(
            fig,
            "No Sobol indices: the targets asked on every row never or always hold within the "
            "spreads drawn,\nand zone is asked on every row only with --sobol-all "
            "(the report says which is which).",
        )
    inputs = {x.key: x for x in result.inputs}
    fig = figure(figsize=(11, 1.0 + (0.32 * TOP + 0.8) * len(rows)), layout="constrained")
    fig.suptitle(title + "\n" + short(subtitle, 120, 2), fontsize=11)
    axes = fig.subplots(len(rows), 1, squeeze=False)[:, 0]
    for ax, f in zip(axes, rows, strict=True):
        ranked = sorted(f.indices or (), key=lambda s: (-s.total, s.input))
        # inputs that explain nothing are left off (the report's table lists them)
        ranked = ([s for s in ranked if s.total >= NEGLIGIBLE] or ranked[:1])[:TOP][::-1]
        ys = range(len(ranked))
        ax.barh(
            [y + 0.18 for y in ys],
            [s.first for s in ranked],
            height=0.34,
            color=BLUE,
            xerr=[s.first_conf for s in ranked],
            error_kw={"lw": 0.8, "capsize": 2},
        )
        ax.barh(
            [y - 0.18 for y in ys],
            [s.total for s in ranked],
            height=0.34,
            color=ORANGE,
            xerr=[s.total_conf for s in ranked],
            error_kw={"lw": 0.8, "capsize": 2},
        )
        ax.set_yticks(list(ys), [short(inputs[s.input].label, 55) for s in ranked], fontsize=8)
        lows = [min(s.first - s.first_conf, s.total - s.total_conf) for s in ranked]
        highs = [max(s.first + s.first_conf, s.total + s.total_conf) for s in ranked]
        ax.set_xlim(min(-0.05, min(lows) - 0.05), max(1.1, max(highs) + 0.05))
        ax.axvline(0, color=STATISTICS, lw=0.6)
        ax.axvline(1, color=STATISTICS, lw=0.6, ls=":")
        ax.set_title(short(f"{f.words} ({f.share:.0%} of draws)", 110), fontsize=9.5, loc="left")
        ax.grid(axis="x", alpha=0.3)
    axes[-1].set_xlabel(
        "share of the target's variance (truly 0 to 1, dotted: an estimate past them is "
        "sampling error, as wide as its interval)",
        fontsize=8.5,
    )
    fig.legend(
        handles=[
            Patch(color=BLUE, label="first order: the input alone"),
            Patch(color=ORANGE, label="total: alone and with every other input"),
            Line2D([], [], color="black", lw=0.8, label="95% interval"),
        ],
        loc="outside lower center",
        ncol=3,
        fontsize=8.5,
        frameon=False,
    )
    return fig
