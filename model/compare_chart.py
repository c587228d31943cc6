"""compare.png: each actor's utility before and after, with its verdicts."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from model.compare import Comparison  # noqa: E402

SAVE = {
    "png": {"metadata": {"Software": None}},
    "svg": {"metadata": {"Date": None}},
    "pdf": {"metadata": {"CreationDate": None}},
}


def write_compare_chart(comparisons: list[Comparison], folder: Path, fmt: str = "png") -> str:
    matplotlib.rcParams["svg.hashsalt"] = "negotiation-sim"
    n = len(comparisons)
    rows = max(len(c.verdicts) for c in comparisons)
    fig = Figure(figsize=(10, (0.55 * rows + 1.6) * n + 0.6), layout="constrained")
    axes = fig.subplots(n, 1, squeeze=False)[:, 0]
    for ax, c in zip(axes, comparisons, strict=True):
        names = [v.name for v in c.verdicts]
        y = np.arange(len(names))
        before = [v.before.utility for v in c.verdicts]
        after = [v.after.utility for v in c.verdicts]
        reserve = [v.after.reservation for v in c.verdicts]
        ax.barh(y - 0.2, before, 0.4, color="#9ecae1", label=f"before: {c.a[1].label}")
        ax.barh(y + 0.2, after, 0.4, color="#08519c", label=f"after: {c.b[1].label}")
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
            for dy, ver in ((-0.2, v.before), (0.2, v.after)):
                word = "accepts" if ver.accepts else "rejects"
                ax.text(
                    1.01,
                    k + dy,
                    word,
                    va="center",
                    fontsize=8,
                    color="#1a7f37" if ver.accepts else "#b91c1c",
                    transform=ax.get_yaxis_transform(),
                )
        ax.set_yticks(y, names)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.02)
        ax.set_xlabel("utility (0 = worst, 1 = the actor's ideal)")
        ax.set_title(_wrap(c.title(), 95), fontsize=10, loc="left")
        ax.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3, fontsize=8, frameon=False
        )
    fig.suptitle("What changes for each actor", fontsize=12)
    name = f"compare.{fmt}"
    fig.savefig(folder / name, format=fmt, dpi=110, **SAVE[fmt])
    return name


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))
