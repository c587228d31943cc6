"""timeline.png: the dated proposals in order, each actor's utility and verdict across them.

It answers "who did each successive text move toward?": a line per actor, a filled marker where
the actor accepts, a cross where it rejects, and each actor's no-deal utility as a faint line.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from model.results import Results  # noqa: E402

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000"]
SAVE = {
    "png": {"metadata": {"Software": None}},
    "svg": {"metadata": {"Date": None}},
    "pdf": {"metadata": {"CreationDate": None}},
}


def dated(results: Results) -> list[str]:
    """Ids of the proposals that carry a date, in date order (ties keep file order)."""
    props = results.scenario.proposals
    return sorted((pid for pid, p in props.items() if p.date), key=lambda pid: props[pid].date)


def write_timeline(results: Results, folder: Path, fmt: str = "png") -> str | None:
    """Draw the chart if the scenario has at least three dated proposals."""
    order = dated(results)
    if len(order) < 3:
        return None
    matplotlib.rcParams["svg.hashsalt"] = "negotiation-sim"
    sc = results.scenario
    fig = Figure(figsize=(max(9.0, 1.1 * len(order) + 2.5), 6.4), layout="constrained")
    ax = fig.subplots()
    xs = list(range(len(order)))
    for k, (aid, actor) in enumerate(sc.actors.items()):
        colour = PALETTE[k % len(PALETTE)]
        ys = [results.verdicts[pid][aid].utility for pid in order]
        ax.plot(xs, ys, color=colour, lw=1.8, label=actor.name, zorder=2)
        ax.axhline(results.reservation(aid), color=colour, lw=0.8, ls=":", alpha=0.7, zorder=1)
        for x, pid in zip(xs, order, strict=True):
            v = results.verdicts[pid][aid]
            if v.accepts:
                ax.scatter(x, v.utility, s=55, color=colour, edgecolor="black", lw=0.6, zorder=3)
            else:
                ax.scatter(
                    x,
                    v.utility,
                    s=60,
                    marker="X",
                    color=colour,
                    edgecolor="black",
                    lw=0.5,
                    zorder=3,
                )
    labels = [
        f"{sc.proposals[pid].date}\n"
        + "\n".join(textwrap.wrap(sc.proposals[pid].label, 15, max_lines=5, placeholder="..."))
        for pid in order
    ]
    ax.set_xticks(xs, labels, fontsize=7)
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("utility (0 = worst, 1 = the actor's ideal)")
    ax.set_xlabel("proposals in date order")
    ax.set_title(
        f"{sc.title}: each actor's utility across the proposals, in date order", fontsize=11
    )
    ax.grid(axis="y", alpha=0.3)
    handles, names = ax.get_legend_handles_labels()
    handles += [
        Line2D([], [], marker="o", ls="", color="grey", markeredgecolor="black", label="accepts"),
        Line2D([], [], marker="X", ls="", color="grey", markeredgecolor="black", label="rejects"),
        Line2D([], [], ls=":", color="grey", label="no deal (dotted, actor's colour)"),
    ]
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8.5, frameon=False
    )
    name = f"timeline.{fmt}"
    fig.savefig(folder / name, format=fmt, dpi=110, **SAVE[fmt])
    return name
