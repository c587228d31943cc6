"""acceptance.png: who accepts which proposal, and why not.

Actors x proposals, the last column (set apart) the model's forecast. A cell's fill is the
actor's verdict, the first thing to read; inside it the verdict in words, the actor's utility as a
number and a bar against its no-deal utility (a tick), and, where it does not accept, the reason
in the one wording of `model.evaluation.reasons`.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from model.evaluation.reasons import fitted_reason, open_reason
from model.outputs.charts.style import VERDICT_COLOURS, chars, figure, headline, short
from model.results import Results

FORECAST_GAP = 0.35
"""Space between the proposals and the forecast column, in cells: the forecast is no text."""
MARKS = {"accepts": "✓ accepts", "rejects": "✗ rejects", "depends": "? depends"}
BAR = 0.8  # the utility bar's full length (utility 1), in cells
TRACK = "#ffffff"
UTILITY_BAR = "#333333"
REASON_LINES = 5


def acceptance_figure(results: Results) -> Figure:
    """Actors x proposals: fill is the verdict; utility a number and a bar; the reason in words."""
    sc = results.scenario
    cols = results.columns()
    actors = list(sc.actors.values())
    cell_w, cell_h = 1.9, 1.2
    fig = figure(
        figsize=(1.8 + cell_w * (len(cols) + FORECAST_GAP), cell_h * len(actors) + 2.6),
        layout="constrained",
    )
    ax = fig.subplots()
    xs = [float(c) for c in range(len(cols) - 1)] + [len(cols) - 1 + FORECAST_GAP]
    width = chars(cell_w - 0.15, 6.5)
    words = set()
    for r, actor in enumerate(actors):
        for x, (pid, _, verdicts) in zip(xs, cols, strict=True):
            v = verdicts[actor.id]
            word = results.verdict_word(pid, actor.id)
            words.add(word)
            ax.add_patch(
                Rectangle(
                    (x - 0.5, r - 0.5),
                    1,
                    1,
                    facecolor=VERDICT_COLOURS[word],
                    edgecolor="white",
                    lw=2,
                    gid=f"cell:{pid}:{actor.id}",
                )
            )
            ax.text(
                x, r - 0.33, MARKS[word], ha="center", va="center", fontsize=10.5, fontweight="bold"
            )
            _utility_bar(ax, x, r - 0.17, v.utility, v.reservation)
            if word != "accepts":
                ov = results.open_verdicts.get(pid, {}).get(actor.id)
                reason = (
                    short(open_reason(results.on(pid), ov, v), width, REASON_LINES)
                    if ov is not None
                    else fitted_reason(results.on(pid), v, width, REASON_LINES, short)
                )
                ax.text(x, r - 0.05, reason, ha="center", va="top", fontsize=6.5, linespacing=1.1)
    ax.set_xlim(-0.5, xs[-1] + 0.5)
    ax.set_ylim(len(actors) - 0.5, -0.5)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_xticks(xs, [short(label, 22, 4) for _, label, _ in cols], fontsize=8)
    ax.get_xticklabels()[-1].set_fontweight("bold")
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.tick_params(length=0)
    ax.set_yticks(
        range(len(actors)),
        [f"{a.name}\n(no deal: {results.reservation(a.id):.2f})" for a in actors],
        fontsize=9,
    )
    ax.set_xlabel("proposal (last column, set apart: the model's forecast, not a text)")
    ax.set_ylabel("actor (its utility of no deal, the status quo)")
    fig.suptitle(headline(sc.title, "who accepts which proposal, and why not"), fontsize=12)
    fig.legend(
        handles=_legend(words),
        loc="outside lower center",
        ncol=2 if fig.get_figwidth() >= 9.5 else 1,  # side by side only where they fit
        fontsize=8,
        frameon=False,
    )
    return fig


def _utility_bar(ax, x: float, y: float, utility: float, reservation: float) -> None:
    """The utility as a number left of a bar from 0 to 1, with a tick at the no-deal utility."""
    left = x - BAR / 2 + 0.17
    length = BAR - 0.17
    ax.text(left - 0.03, y, f"{utility:.2f}", ha="right", va="center", fontsize=8)
    ax.add_patch(
        Rectangle((left, y - 0.05), length, 0.1, facecolor=TRACK, lw=0.5, edgecolor="#666666")
    )
    ax.add_patch(Rectangle((left, y - 0.05), length * utility, 0.1, facecolor=UTILITY_BAR, lw=0))
    tick = left + length * reservation
    ax.plot([tick, tick], [y - 0.09, y + 0.09], color="black", lw=1.6, solid_capstyle="butt")


def _legend(words: set[str]) -> list:
    """One entry per encoding: the three fills (those used), the bar and the no-deal tick."""
    meaning = {
        "accepts": "accepts: no red line crossed and worth at least no deal",
        "rejects": "rejects: a red line crossed (named), or worse than no deal",
        "depends": "depends: a text with open points; accepted only if they are settled its way",
    }
    fills = [
        Patch(
            facecolor=VERDICT_COLOURS[w], edgecolor="#999999", label=f"{MARKS[w][0]} {meaning[w]}"
        )
        for w in MARKS
        if w in words or w != "depends"
    ]
    return [
        *fills,
        Patch(
            facecolor=UTILITY_BAR,
            label="number and bar: the actor's utility of the text (0 = worst, 1 = its ideal)",
        ),
        Line2D(
            [],
            [],
            color="black",
            lw=1.6,
            ls="",
            marker="|",
            markersize=11,
            label="tick on the bar: what no deal is worth to the actor",
        ),
    ]
