"""What changes between two scenarios or two proposals: provisions, verdicts and why, utilities.

Two scenario files are compared proposal by proposal where they share proposal ids (a what-if
that edits a proposal or an actor); otherwise the first proposal each file defines itself is
compared with the other's (e.g. the 28-point plan against the Geneva revision). `FILE:ID`
picks a proposal explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.evaluate import Verdict, evaluate
from model.scenario import Proposal, Scenario


@dataclass(frozen=True)
class ProvisionChange:
    issue: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class VerdictChange:
    actor: str
    name: str
    before: Verdict
    after: Verdict
    issue_labels: dict[str, str]

    @property
    def flipped(self) -> bool:
        return self.before.accepts != self.after.accepts

    def _labels(self, issues: set[str]) -> str:
        return ", ".join(self.issue_labels.get(i, i) for i in sorted(issues))

    @property
    def why(self) -> str:
        """The red lines now crossed or no longer crossed, else the utility against no deal."""
        was = {v.issue for v in self.before.violations}
        now = {v.issue for v in self.after.violations}
        parts = []
        if now - was:
            parts.append("now crosses its red line on " + self._labels(now - was))
        if was - now:
            parts.append("no longer crosses its red line on " + self._labels(was - now))
        if not parts and self.flipped:
            a, b = self.after, self.before
            side = "at least" if a.accepts else "below"
            parts.append(
                f"utility {b.utility:.2f} -> {a.utility:.2f}, "
                f"now {side} no deal ({a.reservation:.2f})"
            )
        return "; ".join(parts)


@dataclass(frozen=True)
class Comparison:
    a: tuple[Scenario, Proposal]
    b: tuple[Scenario, Proposal]
    provisions: tuple[ProvisionChange, ...]
    verdicts: tuple[VerdictChange, ...]

    @property
    def changed(self) -> bool:
        return bool(self.provisions) or any(
            v.flipped or abs(v.after.utility - v.before.utility) > 1e-12 for v in self.verdicts
        )

    def title(self) -> str:
        (sa, pa), (sb, pb) = self.a, self.b
        return f"{pa.label} [{sa.name}] -> {pb.label} [{sb.name}]"


def pairs(a: Scenario, b: Scenario) -> list[tuple[Proposal, Proposal]]:
    """The proposals to set side by side (see the module docstring)."""
    shared = [pid for pid in a.proposals if pid in b.proposals]
    own_a = [p for p in a.proposals.values() if p.origin == a.path]
    own_b = [p for p in b.proposals.values() if p.origin == b.path]
    if own_a and own_b and {p.id for p in own_a} != {p.id for p in own_b}:
        return [(own_a[0], own_b[0])]
    if shared:
        return [(a.proposals[pid], b.proposals[pid]) for pid in shared]
    first_a = own_a[0] if own_a else next(iter(a.proposals.values()))
    first_b = own_b[0] if own_b else next(iter(b.proposals.values()))
    return [(first_a, first_b)]


def compare(a: Scenario, pa: Proposal, b: Scenario, pb: Proposal) -> Comparison:
    """Provisions that differ, and every actor's verdict before and after."""
    changes = []
    pkg_a, pkg_b = pa.package(a.issues), pb.package(b.issues)
    for iid in dict.fromkeys([*a.issues, *b.issues]):
        ia, ib = a.issues.get(iid), b.issues.get(iid)
        before = _describe(ia, pa, pkg_a.get(iid))
        after = _describe(ib, pb, pkg_b.get(iid))
        same_value = ia is not None and ib is not None and pkg_a[iid] == pkg_b[iid]
        if before != after and not same_value:
            label = (ia or ib).label  # type: ignore[union-attr]
            changes.append(ProvisionChange(iid, label, before, after))
    va, vb = evaluate(a, pa), evaluate(b, pb)
    labels = {iid: i.label for iid, i in {**a.issues, **b.issues}.items()}
    verdicts = tuple(
        VerdictChange(aid, b.actors[aid].name, va[aid], vb[aid], labels)
        for aid in b.actors
        if aid in va
    )
    return Comparison((a, pa), (b, pb), tuple(changes), verdicts)


def _describe(issue, proposal: Proposal, value: float | None) -> str:
    if issue is None or value is None:
        return "(no such issue)"
    prov = proposal.provisions.get(issue.id)
    if prov is None:
        return f"{issue.describe(value)} (status quo: not addressed)"
    if prov.open:
        return f"{issue.describe(value)} (left open)"
    return issue.describe(value)


def render_text(c: Comparison) -> str:
    lines = [c.title(), ""]
    if c.provisions:
        lines.append("Provisions that differ:")
        for ch in c.provisions:
            lines.append(f"  {ch.label}: {ch.before}  ->  {ch.after}")
    else:
        lines.append("No provision differs.")
    lines += ["", "Verdicts and utilities:"]
    for v in c.verdicts:
        word = lambda x: "accepts" if x.accepts else "rejects"  # noqa: E731
        flip = "FLIPS " if v.flipped else ""
        delta = v.after.utility - v.before.utility
        why = f" ({v.why})" if v.why else ""
        lines.append(
            f"  {v.name}: {flip}{word(v.before)} -> {word(v.after)}, utility "
            f"{v.before.utility:.2f} -> {v.after.utility:.2f} ({delta:+.2f}){why}"
        )
    return "\n".join(lines)


def render_markdown(comparisons: list[Comparison], chart: str | None) -> str:
    out = ["# Comparison", ""]
    if chart:
        out += [f"![{chart}]({chart})", ""]
    for c in comparisons:
        out += [f"## {c.title()}", "", "| issue | before | after |", "|---|---|---|"]
        out += [f"| {ch.label} | {ch.before} | {ch.after} |" for ch in c.provisions]
        if not c.provisions:
            out.append("| (none) | | |")
        out += ["", "| actor | before | after | utility change | why |", "|---|---|---|---|---|"]
        for v in c.verdicts:
            b = "accepts" if v.before.accepts else "rejects"
            a = "accepts" if v.after.accepts else "rejects"
            if v.flipped:
                a = f"**{a}**"
            out.append(
                f"| {v.name} | {b} {v.before.utility:.2f} | {a} {v.after.utility:.2f} | "
                f"{v.after.utility - v.before.utility:+.2f} | {v.why} |"
            )
        out.append("")
    return "\n".join(out)
