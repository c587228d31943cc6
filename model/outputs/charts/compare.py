"""compare.png: per comparison, each actor's utility before and after with its verdicts, then
in words what the second text changes, what it leaves open (scored at the status quo), and
which verdicts flip and why.

The figure is laid out in inches from the top, block by block, so that its height follows the
amount of text and nothing overlaps or is cut off.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes

from model.compare import RULE, Comparison
from model.outputs.charts.style import chars, figure, save

WIDTH = 12.0  # inches
LEFT, RIGHT = 0.35, 0.3  # text margins, inches
BAR_LEFT, BAR_RIGHT = 1.45, 1.0  # room for actor names and verdict words
FONT = 8.5  # points, the text block
LINE = FONT * 1.5 / 72  # inches per text line
TITLE_FONT = 10.5
GLYPH = 0.56  # DejaVu Sans' average glyph, in ems (conservative)
GREEN, RED, GREY = "#1a7f37", "#b91c1c", "#4b5563"
BEFORE, AFTER = "#9ecae1", "#08519c"


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    return textwrap.wrap(text, width, subsequent_indent=indent) or [""]


def _text_lines(c: Comparison) -> list[tuple[str, str, str]]:
    """(text, colour, weight) per line of the words under the bars."""
    width = chars(WIDTH - LEFT - RIGHT, FONT, GLYPH, least=20)
    out: list[tuple[str, str, str]] = []

    def head(text: str, colour: str = "black") -> None:
        out.extend((line, colour, "bold") for line in _wrap(text, width))

    def item(text: str, colour: str = "black") -> None:
        out.extend((line, colour, "normal") for line in _wrap("\u2022 " + text, width, "   "))

    head("What the second text changes")
    for ch in c.provisions:
        item(f"{ch.label}: {ch.before}  \u2192  {ch.after}")
    if not c.provisions:
        item("no provision")
    if c.left_open:
        n = len(c.left_open)
        out.append(("", "black", "normal"))
        head(
            f"Left open by the second text, {n} point{'s' * (n > 1)}: the model assumes the "
            "status quo there (not a change the text makes)",
            GREY,
        )
        for ch in c.left_open:
            same = "; same value as before" if ch.same_value else ""
            note = textwrap.shorten(ch.note, 90, placeholder="\u2026")
            item(
                f"{ch.label}: was {ch.before}  \u2192  assumed: {ch.assumed}  [{note}{same}]", GREY
            )
        out.extend((line, GREY, "normal") for line in _wrap(RULE, width))
    out.append(("", "black", "normal"))
    flips = [v for v in c.verdicts if v.flipped]
    head("Verdicts that flip, and why" if flips else "No verdict flips")
    for v in flips:
        word = "accepts" if v.after.accepts else "rejects"
        was = "accepts" if v.before.accepts else "rejects"
        item(
            f"{v.name}: {was} \u2192 {word} (utility {v.before.utility:.2f} \u2192 "
            f"{v.after.utility:.2f}, {v.delta_text()}): {v.why}",
            GREEN if v.after.accepts else RED,
        )
    return out


def _title_lines(c: Comparison) -> list[str]:
    return _wrap(c.title(), chars(WIDTH - LEFT - RIGHT, TITLE_FONT, GLYPH, least=20))


def write_compare_chart(comparisons: list[Comparison], folder: Path, fmt: str = "png") -> str:
    blocks = []
    for c in comparisons:
        title = _title_lines(c)
        bars = 0.5 * len(c.verdicts) + 0.3
        text = _text_lines(c)
        blocks.append((c, title, bars, text))
    top = 0.55  # the suptitle
    gap_title, below_bars, gap_text, gap_block = 0.1, 0.95, 0.15, 0.45
    heights = [
        len(t) * TITLE_FONT * 1.4 / 72 + gap_title + bars + below_bars + gap_text + len(x) * LINE
        for _, t, bars, x in blocks
    ]
    height = top + sum(heights) + gap_block * (len(blocks) - 1) + 0.25
    fig = figure(figsize=(WIDTH, height))
    fig.text(
        0.5, 1 - 0.3 / height, "What changes for each actor", ha="center", va="center", fontsize=12
    )

    def at(y: float) -> float:  # inches from the top -> figure fraction
        return 1 - y / height

    y = top
    for c, title, bars, text in blocks:
        for k, line in enumerate(title):
            fig.text(
                LEFT / WIDTH,
                at(y + k * TITLE_FONT * 1.4 / 72),
                line,
                fontsize=TITLE_FONT,
                va="top",
                fontweight="bold",
            )
        y += len(title) * TITLE_FONT * 1.4 / 72 + gap_title
        ax = fig.add_axes(
            (BAR_LEFT / WIDTH, at(y + bars), (WIDTH - BAR_LEFT - BAR_RIGHT) / WIDTH, bars / height)
        )
        _bars(ax, c, bars)
        y += bars + below_bars + gap_text
        for k, (line, colour, weight) in enumerate(text):
            fig.text(
                LEFT / WIDTH,
                at(y + k * LINE),
                line,
                fontsize=FONT,
                va="top",
                color=colour,
                fontweight=weight,
            )
        y += len(text) * LINE + gap_block
    return save(fig, folder, "compare", fmt)


def _bars(ax: Axes, c: Comparison, bars: float) -> None:
    """The utility bars on an axes `bars` inches tall; the legend goes under the x label."""
    names = [v.name for v in c.verdicts]
    y = np.arange(len(names))
    before = [v.before.utility for v in c.verdicts]
    after = [v.after.utility for v in c.verdicts]
    reserve = [v.after.reservation for v in c.verdicts]
    ax.barh(y - 0.2, before, 0.4, color=BEFORE, label=f"before: {c.a[1].label}")
    ax.barh(y + 0.2, after, 0.4, color=AFTER, label=f"after: {c.b[1].label}")
    ax.scatter(
        reserve,
        y,
        marker="D",
        s=45,
        color="black",
        edgecolor="white",
        zorder=3,
        label="what no deal is worth",
    )
    for k, v in enumerate(c.verdicts):
        for dy, ver, bold in ((-0.2, v.before, False), (0.2, v.after, v.flipped)):
            word = "accepts" if ver.accepts else "rejects"
            ax.text(
                1.01,
                k + dy,
                word + (" (flips)" if bold else ""),
                va="center",
                fontsize=8,
                fontweight="bold" if bold else "normal",
                color=GREEN if ver.accepts else RED,
                transform=ax.get_yaxis_transform(),
            )
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.02)
    ax.set_xlabel("utility (0 = worst, 1 = the actor's ideal)", fontsize=9)
    ax.tick_params(labelsize=9)
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.5 / bars),
        ncol=3,
        fontsize=8,
        frameon=False,
    )
