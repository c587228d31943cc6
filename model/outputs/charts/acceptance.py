"""acceptance.png: who accepts which proposal, and why not.

Actors x proposals, the last column the model's forecast: each cell coloured by the actor's
utility, with its verdict and, where it rejects, the reason in the one wording of
`model.evaluation.reasons`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from model.evaluation.reasons import fitted_reason, open_reason
from model.outputs.charts.style import CMAP, UTILITY_AXIS, chars, figure, headline, luminance, short
from model.results import Results


def acceptance_figure(results: Results) -> Figure:
    """Actors x proposals: colour is the actor's utility, ✓/✗ its verdict, with the reason."""
    sc = results.scenario
    cols = results.columns()
    actors = list(sc.actors.values())
    cell_w, cell_h = 1.9, 1.05
    label_w = 1.6
    fig = figure(
        figsize=(label_w + cell_w * len(cols) + 1.4, cell_h * len(actors) + 3.2),
        layout="constrained",
    )
    ax = fig.subplots()
    grid = np.array([[verdicts[a.id].utility for _, _, verdicts in cols] for a in actors])
    image = ax.imshow(grid, cmap=CMAP, vmin=0, vmax=1, aspect="auto")
    cmap = image.get_cmap()
    width = chars(cell_w - 0.15, 6.5)
    marks = {"accepts": "✓ accepts", "rejects": "✗ rejects", "depends": "? depends"}
    for r, actor in enumerate(actors):
        for c, (pid, _, verdicts) in enumerate(cols):
            v = verdicts[actor.id]
            word = results.verdict_word(pid, actor.id)
            ov = results.open_verdicts.get(pid, {}).get(actor.id)
            text_colour = "black" if luminance(cmap(v.utility)) > 0.5 else "white"
            mark = marks[word]
            ax.text(c, r - 0.22, mark, ha="center", va="center", fontsize=10.5, color=text_colour)
            ax.text(
                c,
                r - 0.02,
                f"utility {v.utility:.2f}",
                ha="center",
                va="center",
                fontsize=7.5,
                color=text_colour,
            )
            if word != "accepts":
                reason = (
                    short(open_reason(results.on(pid), ov, v), width, 4)
                    if ov is not None
                    else fitted_reason(results.on(pid), v, width, 4, short)
                )
                ax.text(
                    c,
                    r + 0.12,
                    reason,
                    ha="center",
                    va="top",
                    fontsize=6.5,
                    color=text_colour,
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
    fig.suptitle(headline(sc.title, "who accepts which proposal, and why not"), fontsize=12)
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
    if results.open_verdicts:
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker="$?$",
                color="black",
                markersize=10,
                label="a text with open points: depends on how they are settled",
            )
        )
    wide = fig.get_figwidth() >= 9.5  # the two explanations side by side only where they fit
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncol=2 if wide else 1,
        fontsize=8,
        frameon=False,
    )
    return fig
