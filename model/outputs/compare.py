"""compare.md, compare.png and the terminal text of `sim compare`."""

from __future__ import annotations

from pathlib import Path

from model.compare import RULE, Comparison
from model.evaluation.verdicts import Verdict
from model.outputs.files import write_atomically


def _word(v: Verdict) -> str:
    return "accepts" if v.accepts else "rejects"


def render_text(c: Comparison) -> str:
    """One comparison as the terminal prints it."""
    lines = [c.title(), ""]
    dates = [sc.as_of for sc, _ in (c.a, c.b)]
    if any(dates):
        first, second = (d or "the latest stances" for d in dates)
        lines[-1:] = [f"Each text judged on the stances of its date: {first}, then {second}.", ""]
    if c.provisions:
        lines.append("What the second text changes:")
        for ch in c.provisions:
            lines.append(f"  {ch.label}: {ch.before}  ->  {ch.after}")
    else:
        lines.append("The second text changes no provision.")
    if c.left_open:
        lines += [
            "",
            "Left open by the second text (status quo assumed, not a change the text makes):",
        ]
        for ch in c.left_open:
            same = "; same value as before" if ch.same_value else ""
            lines.append(f"  {ch.label}: {ch.before}  ->  {ch.after} [{ch.note}{same}]")
        lines.append("  " + RULE)
    lines += ["", "Verdicts and utilities:"]
    for v in c.verdicts:
        flip = "FLIPS " if v.flipped else ""
        why = f" ({v.why})" if v.why else ""
        lines.append(
            f"  {v.name}: {flip}{_word(v.before)} -> {_word(v.after)}, utility "
            f"{v.before.utility:.2f} -> {v.after.utility:.2f} ({v.delta_text()}){why}"
        )
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(comparisons: list[Comparison], chart: str | None) -> str:
    """compare.md: the chart, then per comparison its changes, points left open and verdicts."""
    out = ["# Comparison", ""]
    if chart:
        out += [f"![{chart}]({chart})", ""]
    out += [RULE + " Such points are listed apart from the changes a text makes.", ""]
    for c in comparisons:
        out += [f"## {c.title()}", "", "### What the second text changes", ""]
        out += ["| issue | before | after |", "|---|---|---|"]
        out += [
            f"| {_cell(ch.label)} | {_cell(ch.before)} | {_cell(ch.after)} |" for ch in c.provisions
        ]
        if not c.provisions:
            out.append("| (none) | | |")
        if c.left_open:
            out += ["", "### Left open by the second text (status quo assumed)", ""]
            out += ["| issue | before | status quo assumed | why open |", "|---|---|---|---|"]
            for ch in c.left_open:
                same = " (same value as before)" if ch.same_value else ""
                out.append(
                    f"| {_cell(ch.label)} | {_cell(ch.before)} | {_cell(ch.assumed)}{same} | "
                    f"{_cell(ch.note)} |"
                )
        out += ["", "### Verdicts and utilities", ""]
        out += ["| actor | before | after | utility change | why |", "|---|---|---|---|---|"]
        for v in c.verdicts:
            a = _word(v.after)
            if v.flipped:
                a = f"**{a}**"
            out.append(
                f"| {v.name} | {_word(v.before)} {v.before.utility:.2f} | {a} "
                f"{v.after.utility:.2f} | {v.delta_text()} | {_cell(v.why)} |"
            )
        out.append("")
    return "\n".join(out)


def write_compare(
    comparisons: list[Comparison], folder: Path, fmt: str = "png", force: bool = False
) -> list[str]:
    """Write compare.md and the chart into `folder`, atomically; return the file names.
    Refuses to replace a file the tool did not write unless `force` (see write_atomically)."""

    def build(tmp: Path) -> list[str]:
        from model.outputs.charts.compare import write_compare_chart  # matplotlib: only here

        chart = write_compare_chart(comparisons, tmp, fmt)
        (tmp / "compare.md").write_text(render_markdown(comparisons, chart), encoding="utf-8")
        return [chart, "compare.md"]

    return write_atomically(Path(folder), build, force=force)
