"""utilities.png: what each proposal and the forecast are worth to each actor, against what no
deal is worth to it.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from model.outputs.charts.style import (
    STATISTICS,
    UTILITY_AXIS,
    actor_colours,
    figure,
    headline,
    short,
)
from model.results import Results

HATCH = {"accepts": None, "rejects": "///", "depends": "...."}
MARK = {"rejects": "✗", "depends": "?"}
"""A verdict's look: solid accepts; pale and hatched rejects; pale and dotted depends (a text
with open points), as acceptance.png's three verdicts."""


def utilities_figure(results: Results) -> Figure:
    """Each actor's utility of every proposal and the forecast, against what no deal is worth;
    the bar's look is the three-way verdict, as in acceptance.png."""
    sc = results.scenario
    colours = actor_colours(sc.actors)
    cols = results.columns()
    actors = list(sc.actors.values())
    bar = 0.8 / len(actors)
    group_h = max(0.2 * len(actors) + 0.3, 0.75)
    fig = figure(figsize=(11.0, group_h * len(cols) + 2.0), layout="constrained")
    ax = fig.subplots()
    for g, (pid, _, verdicts) in enumerate(cols):
        for k, actor in enumerate(actors):
            v = verdicts[actor.id]
            word = results.verdict_word(pid, actor.id)
            y = g - 0.4 + bar * (k + 0.5)
            ax.barh(
                y,
                v.utility,
                bar * 0.9,
                color=colours[actor.id],
                alpha=1.0 if word == "accepts" else 0.35,
                hatch=HATCH[word],
                edgecolor=colours[actor.id] if word == "accepts" else "black",
                lw=0.5,
            )
            ax.plot(
                [v.reservation] * 2,
                [y - bar * 0.5, y + bar * 0.5],
                color=STATISTICS,
                lw=2.2,
                solid_capstyle="butt",
                zorder=4,
            )
            if word != "accepts":
                ax.text(
                    max(v.utility, v.reservation) + 0.012, y, MARK[word], va="center", fontsize=9
                )
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
        headline(sc.title, "what each proposal is worth to each actor, against no deal"),
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
        *(
            [
                Patch(
                    facecolor="#dddddd",
                    edgecolor="black",
                    hatch=HATCH["depends"],
                    lw=0.5,
                    label="? dotted, pale: depends on how\nits open points are settled",
                )
            ]
            if results.open_verdicts
            else []
        ),
        Line2D([], [], color=STATISTICS, lw=2.2, label="what no deal is worth to the actor"),
    ]
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8.5, frameon=False
    )
    return fig
