"""The sweep's two charts: how sure each verdict is (sweep.png) and what moves it (tornado.png).

Drawn from a `SweepResult` alone, each on its own `Figure` (no pyplot state), with the run
charts' palette, dpi and metadata, so the same result gives byte-identical files.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from model.outputs.charts.run import DPI, FORMATS, METADATA, actor_styles, ink, short  # noqa: E402
from model.results import FORECAST_ID  # noqa: E402
from model.sweep import SweepResult, Swing  # noqa: E402

TOP = 12
"""How many inputs the tornado shows."""


def write_sweep_charts(result: SweepResult, folder: Path, fmt: str = "png") -> list[str]:
    """Write sweep.<fmt> and tornado.<fmt> into `folder`; return the file names."""
    if fmt not in FORMATS:
        raise ValueError(f"chart format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    folder = Path(folder)
    names = []
    for name, figure in (("sweep", sweep_figure), ("tornado", tornado_figure)):
        filename = f"{name}.{fmt}"
        with matplotlib.rc_context({"svg.hashsalt": "negotiation-sim"}):
            figure(result).savefig(folder / filename, format=fmt, dpi=DPI, metadata=METADATA[fmt])
        names.append(filename)
    return names


def _colours(result: SweepResult) -> dict[str, str]:
    """The run charts' actor colours (`model.charts.actor_styles`)."""
    return {aid: s.colour for aid, s in actor_styles(result.scenario.actors).items()}


def _title(result: SweepResult, what: str) -> str:
    return short(f"{result.scenario.title}: {what}", 100, 2)


def sweep_figure(result: SweepResult) -> Figure:
    """One panel per proposal (and the forecast): each actor's P(accept) with its 95% interval,
    and the verdict on the scenario as written as a diamond at 0 (rejects) or 1 (accepts)."""
    sc = result.scenario
    colours = _colours(result)
    rows = result.rows()
    n_a = len(sc.actors)
    panel_h = 0.28 * n_a + 0.55
    fig = Figure(figsize=(10, 1.5 + panel_h * len(rows)), layout="constrained")
    axes = fig.subplots(len(rows), 1, sharex=True, squeeze=False, height_ratios=[1.0] * len(rows))[
        :, 0
    ]
    names = [a.name for a in sc.actors.values()]
    for ax, (pid, label, cells) in zip(axes, rows, strict=True):
        y = list(range(n_a))[::-1]
        for k, x in enumerate(cells):
            colour = colours[x.actor]
            ax.barh(y[k], x.p, height=0.62, color=colour, alpha=0.75, lw=0, zorder=2)
            ax.errorbar(
                x.p,
                y[k],
                xerr=[[x.p - x.ci[0]], [x.ci[1] - x.p]],
                fmt="none",
                ecolor="black",
                elinewidth=1.2,
                capsize=3,
                zorder=3,
            )
            ax.plot(
                1.0 if x.point_accepts else 0.0,
                y[k],
                marker="D",
                ms=7,
                mfc="white",
                mec="black",
                mew=1.3,
                ls="",
                zorder=4,
                clip_on=False,
            )
            ax.text(
                1.04,
                y[k],
                f"{x.p:.2f}  [{x.ci[0]:.2f}, {x.ci[1]:.2f}]",
                va="center",
                ha="left",
                fontsize=8.5,
                fontweight="bold" if 0 < x.accepted < x.draws else "normal",
            )
        ax.set_yticks(y, names, fontsize=9)
        for tick, x in zip(ax.get_yticklabels(), cells, strict=True):
            ink(tick, colours[x.actor])
        ax.set_xlim(-0.03, 1.33)
        ax.set_ylim(-0.6, n_a - 0.4)
        ax.spines[["top", "right"]].set_visible(False)
        ax.spines["bottom"].set_bounds(0, 1)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.grid(axis="x", color="#dddddd", lw=0.8, zorder=0)
        ax.set_title(
            short(
                label if pid != FORECAST_ID else "Model forecast (the negotiation, per draw)", 95
            ),
            loc="left",
            fontsize=10,
            fontweight="bold",
        )
    axes[-1].set_xlabel(
        f"P(accept): share of {result.draws} draws in which the actor accepts "
        "(bar; whisker = 95% Wilson interval)",
        fontsize=9,
    )
    handles = [
        Line2D([], [], marker="D", ms=7, mfc="white", mec="black", mew=1.3, ls=""),
        Line2D([], [], color="black", lw=1.2, marker="|", ms=8),
    ]
    fig.legend(
        handles=handles,
        labels=[
            "verdict on the scenario as written (at 1 = accepts, at 0 = rejects)",
            "95% interval; bold numbers: verdicts some draws flip",
        ],
        loc="outside upper center",
        ncol=2,
        fontsize=8.5,
        frameon=False,
        title=_title(result, f"how sure is each verdict? ({result.draws} draws)"),
        title_fontsize=12,
    )
    return fig


def tornado_figure(result: SweepResult, top: int = TOP) -> Figure:
    """The inputs that move verdicts most: one bar per input, its swing on the actor x proposal
    it moves most (named at the right, with P(accept) at the input's two ends), whisker
    +-1.96 se."""
    sc = result.scenario
    colours = _colours(result)
    swings = [s for s in result.sensitivity if s.swing != 0][:top]
    fig = Figure(figsize=(12, 2.2 + 0.6 * max(len(swings), 2)), layout="constrained")
    ax = fig.subplots()
    title = _title(result, "what moves the verdicts")
    if not swings:
        ax.set_axis_off()
        ax.text(
            0.5,
            0.5,
            "No uncertain input moves any verdict in these draws.",
            ha="center",
            va="center",
            fontsize=12,
        )
        fig.suptitle(title, fontsize=12)
        return fig
    y = list(range(len(swings)))[::-1]
    reach = max(abs(s.swing) + 1.96 * s.se for s in swings)
    limit = min(1.0, max(0.1, (int(reach * 10) + 1) / 10))
    for k, s in enumerate(swings):
        ax.barh(y[k], s.swing, height=0.62, color=colours[s.actor], alpha=0.8, lw=0, zorder=2)
        lo, hi = max(-1.0, s.swing - 1.96 * s.se), min(1.0, s.swing + 1.96 * s.se)
        ax.errorbar(
            s.swing,
            y[k],
            xerr=[[s.swing - lo], [hi - s.swing]],  # a swing cannot leave [-1, 1]
            fmt="none",
            ecolor="black",
            capsize=3,
            zorder=3,
        )
    ax.set_yticks(y, [short(s.label, 46, 2) for s in swings], fontsize=8.5)
    for tick, s in zip(ax.get_yticklabels(), swings, strict=True):
        ink(tick, colours[s.actor])
    ax.axvline(0, color="black", lw=0.8, zorder=1)
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-0.6, len(swings) - 0.4)
    ax.grid(axis="x", color="#dddddd", lw=0.8, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlabel(
        "swing in P(accept): input in its top fifth of the draws minus its bottom fifth\n"
        "(a red line: holds minus does not); whisker ±1.96 se",
        fontsize=9,
    )
    # what each input moves most, as the right-hand axis' tick labels so the layout makes room
    right = ax.twinx()
    right.set_ylim(ax.get_ylim())
    right.set_yticks(y, [_moves(result, s) for s in swings], fontsize=8)
    right.tick_params(axis="y", length=0)
    right.spines[["top", "right"]].set_visible(False)
    shown = [aid for aid in sc.actors if any(s.actor == aid for s in swings)]
    fig.legend(
        handles=[Patch(color=colours[aid], alpha=0.8) for aid in shown],
        labels=[f"input of {sc.actors[aid].name}" for aid in shown],
        loc="outside upper center",
        ncol=min(len(shown), 5),
        fontsize=8.5,
        frameon=False,
        title=title,
        title_fontsize=12,
    )
    return fig


def _moves(result: SweepResult, s: Swing) -> str:
    """The actor x proposal an input moves most, and P(accept) at its two ends."""
    sc = result.scenario
    what = sc.proposals[s.proposal].label if s.proposal in sc.proposals else "the model forecast"
    pair = short(f"moves {sc.actors[s.pair_actor].name} on {what}", 52, 2)
    if s.kind == "red_line":
        return f"{pair}\nP(accept) {s.p_high:.2f} if it holds, {s.p_low:.2f} if not"
    return f"{pair}\nP(accept) {s.p_high:.2f} high, {s.p_low:.2f} low"
