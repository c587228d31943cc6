"""The run's four charts: who accepts what, where the proposals fall, how positions move, utilities.

Every chart is drawn from a `Results` on its own `Figure` (no pyplot state shared between charts)
and saved with fixed dpi and no timestamps, so the same results give byte-identical files.
Actors keep one colour across all charts, assigned in scenario order from a colour-blind-safe
palette (Okabe-Ito, the same order as timeline.png).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.legend_handler import HandlerTuple  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from model.evaluate import Verdict  # noqa: E402
from model.results import Results  # noqa: E402
from model.scenario import Issue, RedLine  # noqa: E402

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000"]
PROPOSAL_MARKERS = ["s", "D", "^", "v", "P", "X", "<", ">", "p"]
PROPOSAL_FILLS = ["white", "#9a9a9a", "black"]  # a new fill each time the shapes run out
FORECAST_MARKER = "*"
DPI = 110
FORMATS = ("png", "svg", "pdf")
METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None},
}
UTILITY_AXIS = "utility (0 = worst, 1 = ideal)"
CMAP = "viridis"


def write_charts(results: Results, folder: Path, fmt: str = "png") -> list[str]:
    """Write acceptance, issues, positions and utilities charts into `folder`; return the names."""
    if fmt not in FORMATS:
        raise ValueError(f"chart format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    folder = Path(folder)
    return [
        _save(draw(results), folder, name, fmt)
        for name, draw in (
            ("acceptance", acceptance_figure),
            ("issues", issues_figure),
            ("positions", positions_figure),
            ("utilities", utilities_figure),
        )
    ]


def short(text: str, width: int, lines: int = 1) -> str:
    """`text` wrapped to `width` characters in at most `lines` lines, cut with an ellipsis.

    The one place labels are shortened, so every chart cuts long scenario labels the same way.
    """
    width = max(width, 6)
    wrapped = textwrap.wrap(text, width, max_lines=lines, placeholder=" …")
    return "\n".join(wrapped) if wrapped else text


def actor_colours(results: Results) -> dict[str, str]:
    """One colour per actor, in scenario order, the same in every chart."""
    return {aid: PALETTE[k % len(PALETTE)] for k, aid in enumerate(results.scenario.actors)}


def _save(fig: Figure, folder: Path, name: str, fmt: str) -> str:
    filename = f"{name}.{fmt}"
    with matplotlib.rc_context({"svg.hashsalt": "negotiation-sim"}):
        fig.savefig(folder / filename, format=fmt, dpi=DPI, metadata=METADATA[fmt])
    return filename


def _chars(width_in: float, fontsize: float) -> int:
    """How many characters of a `fontsize` font fit in `width_in` inches (average glyph)."""
    return int(width_in * 72 / (fontsize * 0.52))


def _header(
    fig: Figure, handles: list, title: str, ncol: int, labels: list[str] | None = None
) -> None:
    """The figure's title with its legend under it, above the panels.

    The title is the legend's own title: constrained layout does not stack a suptitle and an
    outside legend, which then overlap.
    """
    fig.legend(
        handles=handles,
        labels=labels if labels is not None else [h.get_label() for h in handles],
        handler_map={tuple: HandlerTuple(ndivide=None, pad=0)},
        loc="outside upper center",
        ncol=ncol,
        fontsize=8.5,
        frameon=False,
        title=title,
        title_fontsize=12,
        alignment="center",
    )


def _title(results: Results, what: str) -> str:
    return short(f"{results.scenario.title}: {what}", 110, 2)


# --- acceptance ---------------------------------------------------------------------------------


def acceptance_figure(results: Results) -> Figure:
    """Actors x proposals: colour is the actor's utility, ✓/✗ its verdict, with the reason."""
    sc = results.scenario
    cols = results.columns()
    actors = list(sc.actors.values())
    cell_w, cell_h = 1.9, 1.05
    label_w = 1.6
    fig = Figure(
        figsize=(label_w + cell_w * len(cols) + 1.4, cell_h * len(actors) + 3.2),
        layout="constrained",
    )
    ax = fig.subplots()
    grid = np.array([[verdicts[a.id].utility for _, _, verdicts in cols] for a in actors])
    image = ax.imshow(grid, cmap=CMAP, vmin=0, vmax=1, aspect="auto")
    cmap = image.get_cmap()
    width = _chars(cell_w - 0.15, 6.5)
    for r, actor in enumerate(actors):
        for c, (_, _, verdicts) in enumerate(cols):
            v = verdicts[actor.id]
            red, green, blue, _ = cmap(v.utility)
            ink = "black" if 0.299 * red + 0.587 * green + 0.114 * blue > 0.5 else "white"
            mark = "✓ accepts" if v.accepts else "✗ rejects"
            ax.text(c, r - 0.22, mark, ha="center", va="center", fontsize=10.5, color=ink)
            ax.text(
                c,
                r - 0.02,
                f"utility {v.utility:.2f}",
                ha="center",
                va="center",
                fontsize=7.5,
                color=ink,
            )
            if not v.accepts:
                ax.text(
                    c,
                    r + 0.12,
                    short(_reason(results, v), width, 4),
                    ha="center",
                    va="top",
                    fontsize=6.5,
                    color=ink,
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
    fig.suptitle(_title(results, "who accepts which proposal, and why not"), fontsize=12)
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
    wide = fig.get_figwidth() >= 9.5  # the two explanations side by side only where they fit
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncol=2 if wide else 1,
        fontsize=8,
        frameon=False,
    )
    return fig


def _reason(results: Results, verdict: Verdict) -> str:
    """Why an actor rejects, with issues named by their (short) labels."""
    if verdict.violations:
        issues = results.scenario.issues
        return "red line: " + "; ".join(
            short(issues[x.issue].label, 36) for x in verdict.violations
        )
    return f"worse than no deal ({verdict.utility:.2f} < {verdict.reservation:.2f})"


# --- issues -------------------------------------------------------------------------------------

LANE_IN = 0.17  # one actor lane
PROPOSAL_STEP = 0.55  # proposal sub-lanes, in actor lanes


def issues_figure(results: Results) -> Figure:
    """One row per issue: each actor's ideal and unacceptable zone, status quo, proposals."""
    sc = results.scenario
    colours = actor_colours(results)
    proposals = _proposal_marks(results)
    n_act, n_prop = len(sc.actors), len(proposals)
    prop_span = PROPOSAL_STEP * n_prop
    row_units = n_act + prop_span + 0.4
    tick_lines = 3
    width = 13.0
    axis_w = width - 2.0
    heights = [
        row_units * LANE_IN + 0.42 + (0.13 * tick_lines if issue.options else 0.3)
        for issue in sc.issues.values()
    ]
    fig = Figure(
        figsize=(width, sum(heights) + 1.4 + 0.2 * (1 + n_prop // 4)), layout="constrained"
    )
    axes = fig.subplots(len(sc.issues), 1, squeeze=False, height_ratios=heights)[:, 0]
    for ax, (iid, issue) in zip(axes, sc.issues.items(), strict=True):
        lo, hi = _xlim(issue)
        ax.set_xlim(lo, hi)
        # lanes, top to bottom: the proposals (one sub-lane each), then one lane per actor
        prop_y = [-0.5 - prop_span + PROPOSAL_STEP * (k + 0.5) for k in range(n_prop)]
        ax.set_ylim(n_act - 0.5, -0.5 - prop_span - 0.15)
        ax.axvline(issue.status_quo, color="#9a9a9a", lw=5, alpha=0.45, zorder=0)
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
            ax.plot([value, value], [y, n_act - 0.5], color="#555555", lw=0.6, alpha=0.45, ls=":")
            ax.plot(value, y, ls="", zorder=5, **style)
        ax.set_yticks(
            [-0.5 - prop_span / 2, *range(n_act)],
            ["proposals", *(short(a.name, 16) for a in sc.actors.values())],
            fontsize=7.5,
        )
        for tick, aid in zip(ax.get_yticklabels()[1:], sc.actors, strict=True):
            tick.set_color(colours[aid])
            tick.set_fontweight("bold")
        ax.tick_params(axis="y", length=0)
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
        *(Line2D([], [], ls="", label=short(label, 60), **style) for label, style, _ in proposals),
    ]
    zone = "shaded in an actor's lane: crosses its red line"
    labels = [zone if isinstance(h, tuple) else h.get_label() for h in handles]
    title = _title(results, "where each proposal falls against each actor's ideal and red lines")
    _header(fig, handles, title, ncol=3, labels=labels)
    return fig


def _proposal_marks(results: Results) -> list[tuple[str, dict[str, Any], dict[str, float]]]:
    """(label, marker style, package) for every proposal, then the forecast (a black star)."""
    sc = results.scenario
    out = []
    for k, p in enumerate(sc.proposals.values()):
        style = {
            "marker": PROPOSAL_MARKERS[k % len(PROPOSAL_MARKERS)],
            "color": PROPOSAL_FILLS[k // len(PROPOSAL_MARKERS) % len(PROPOSAL_FILLS)],
            "markeredgecolor": "black",
            "markeredgewidth": 0.8,
            "markersize": 6.5,
        }
        out.append((p.label, style, p.package(sc.issues)))
    star = {"marker": FORECAST_MARKER, "color": "black", "markersize": 11}
    out.append((results.forecast.label, star, results.forecast.package(sc.issues)))
    return out


def _gap(issue: Issue) -> float:
    """The smallest distance between adjacent options (the issue's span if it has none)."""
    values = sorted(o.value for o in issue.options)
    gaps = [b - a for a, b in zip(values, values[1:], strict=False) if b - a > 1e-9]
    return min(gaps, default=issue.span or 1.0)


def _xlim(issue: Issue) -> tuple[float, float]:
    """Room for the end options' labels on an ordinal issue, a small margin on a numeric one."""
    pad = _gap(issue) / 2 if issue.options else 0.02 * (issue.span or 1.0)
    return issue.lo - pad, issue.hi + pad


def _issue_xaxis(ax: Axes, issue: Issue, axis_w: float, lines: int) -> None:
    """Option labels as ticks on an ordinal issue, shortened to the room each has; else the unit."""
    if issue.options:
        lo, hi = _xlim(issue)
        room = axis_w * _gap(issue) / (hi - lo)
        ax.set_xticks(
            [o.value for o in issue.options],
            [short(o.label, _chars(room - 0.08, 6.8), lines) for o in issue.options],
            fontsize=6.8,
            linespacing=1.05,
        )
        ax.tick_params(axis="x", length=2)
    else:
        ax.set_xlabel(issue.unit or "value", fontsize=8, labelpad=1)
        ax.tick_params(axis="x", labelsize=7.5)


def _unacceptable(issue: Issue, red_line: RedLine) -> list[tuple[float, float]]:
    """The stretches of the issue's axis a red line rules out, as (from, to) intervals."""
    if issue.options:
        values = sorted(o.value for o in issue.options)
        lo, hi = _xlim(issue)
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


# --- positions ----------------------------------------------------------------------------------


def positions_figure(results: Results) -> Figure:
    """Each actor's position round by round, issue by issue, with the weighted mean and median."""
    sc = results.scenario
    colours = actor_colours(results)
    issues = list(sc.issues.items())
    rounds = [r.round for r in results.history]
    single = len(issues) == 1
    ncols = 1 if len(issues) <= 2 else 2
    nrows = -(-len(issues) // ncols)
    panel_w = 10.0 if single else (11.0 if ncols == 1 else 6.6)
    heights = [
        max(
            (6.0 if single else 2.3),
            *(0.42 * len(i.options) + 0.7 for _, i in issues[r * ncols : (r + 1) * ncols]),
        )
        for r in range(nrows)
    ]
    fig = Figure(figsize=(panel_w * ncols + 0.6, sum(heights) + 1.5), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, height_ratios=heights)
    label_w = 2.0 if single else 1.7
    for n, ax in enumerate(axes.flat):
        if n >= len(issues):
            ax.set_visible(False)
            continue
        iid, issue = issues[n]
        for aid, actor in sc.actors.items():
            ys = [r.positions[iid].get(aid, np.nan) for r in results.history]
            if all(np.isnan(ys)):
                continue
            ax.plot(rounds, ys, color=colours[aid], lw=2 if single else 1.5, label=actor.name)
        ax.plot(
            rounds,
            [r.mean[iid] for r in results.history],
            color="black",
            ls="--",
            lw=1.3,
            label="weighted mean",
        )
        ax.plot(
            rounds,
            [r.median[iid] for r in results.history],
            color="black",
            ls=":",
            lw=1.6,
            label="weighted median",
        )
        ax.plot(
            rounds[-1],
            results.forecast.provisions[iid].value,
            FORECAST_MARKER,
            color="black",
            markersize=13 if single else 10,
            label="forecast",
            zorder=5,
            clip_on=False,
        )
        lo, hi = _xlim(issue)
        ax.set_ylim(lo, hi)
        ax.set_xlim(rounds[0], rounds[0] + max(rounds[-1] - rounds[0], 1) * 1.03)
        if issue.options:
            ax.set_yticks(
                [o.value for o in issue.options],
                [short(o.label, _chars(label_w, 6.5), 2) for o in issue.options],
                fontsize=6.5 if not single else 8,
                linespacing=1.0,
            )
        else:
            ax.set_ylabel(issue.unit or "value", fontsize=8)
            ax.tick_params(axis="y", labelsize=7.5)
        ax.tick_params(axis="x", labelsize=7.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
        ax.grid(alpha=0.25)
        ax.set_title(short(issue.label, 70), loc="left", fontsize=9.5, fontweight="bold")
        if single:
            ax.set_xlabel("round")
            ax.set_ylabel(
                "position" + (f" ({issue.unit})" if issue.unit else " (the issue's options)")
            )
            ax.legend(loc="best", fontsize=9, framealpha=0.9)
    title = _title(results, f"negotiating positions by round ({sc.model.dynamics} dynamics)")
    if single:
        fig.suptitle(title, fontsize=12)
    else:
        fig.supxlabel("round", fontsize=10)
        fig.supylabel("position on the issue's own scale", fontsize=10)
        handles = [
            *(
                Line2D([], [], color=colours[aid], lw=1.5, label=a.name)
                for aid, a in sc.actors.items()
            ),
            Line2D([], [], color="black", ls="--", lw=1.3, label="weighted mean"),
            Line2D([], [], color="black", ls=":", lw=1.6, label="weighted median"),
            Line2D(
                [],
                [],
                ls="",
                marker=FORECAST_MARKER,
                color="black",
                markersize=10,
                label="forecast",
            ),
        ]
        _header(fig, handles, title, ncol=min(len(handles), 9))
    return fig


# --- utilities ----------------------------------------------------------------------------------


def utilities_figure(results: Results) -> Figure:
    """Each actor's utility of every proposal and the forecast, against what no deal is worth."""
    sc = results.scenario
    colours = actor_colours(results)
    cols = results.columns()
    actors = list(sc.actors.values())
    bar = 0.8 / len(actors)
    group_h = max(0.2 * len(actors) + 0.3, 0.75)
    fig = Figure(figsize=(11.0, group_h * len(cols) + 2.0), layout="constrained")
    ax = fig.subplots()
    for g, (_, _, verdicts) in enumerate(cols):
        for k, actor in enumerate(actors):
            v = verdicts[actor.id]
            y = g - 0.4 + bar * (k + 0.5)
            ax.barh(
                y,
                v.utility,
                bar * 0.9,
                color=colours[actor.id],
                alpha=1.0 if v.accepts else 0.35,
                hatch=None if v.accepts else "///",
                edgecolor=colours[actor.id] if v.accepts else "black",
                lw=0.5,
            )
            ax.plot(
                [v.reservation] * 2,
                [y - bar * 0.5, y + bar * 0.5],
                color="black",
                lw=2.2,
                solid_capstyle="butt",
                zorder=4,
            )
            if not v.accepts:
                ax.text(max(v.utility, v.reservation) + 0.012, y, "✗", va="center", fontsize=9)
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
        _title(results, "what each proposal is worth to each actor, against no deal"),
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
        Line2D([], [], color="black", lw=2.2, label="what no deal is worth to the actor"),
    ]
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8.5, frameon=False
    )
    return fig
