"""What changes between two scenarios or two proposals: provisions, verdicts and why, utilities.

Two scenario files are compared proposal by proposal where they share proposal ids (a what-if
that edits a proposal or an actor); otherwise the first proposal each file defines itself is
compared with the other's (e.g. the 28-point plan against the Geneva revision). `FILE:ID`
picks a proposal explicitly.

A provision the second text leaves open (`open: true`: bracketed, not reported, not addressed)
or leaves out is not a change the text makes: the model scores it at the issue's status quo
(its rule for every point a text leaves open or out), and the comparison lists it apart, as
"left open (status quo assumed)", with the reason the scenario gives. Verdict reasons say when
a red line is crossed, or no longer crossed, only because a point is left open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from model.evaluation.reasons import below_no_deal, worse_than_no_deal
from model.evaluation.verdicts import Verdict, evaluate, utility
from model.scenario.dated import view
from model.scenario.types import Issue, Proposal, Scenario

RULE = (
    "The model scores a point a text leaves open (bracketed, not reported, not addressed) "
    "or leaves out at its status quo, what holds with no deal."
)
NOT_ADDRESSED = "not addressed by the text"
TOO_FEW = "compare needs at least two scenarios (FILE or FILE:PROPOSAL)"


@dataclass(frozen=True)
class ProvisionChange:
    """One issue on which the two texts differ.

    kind "changed": the second text states a value that differs from the first's (or settles
    a point the first left open). kind "left_open": the second text leaves open or out a
    point the first settled; `after` names the status quo the model assumes, `note` why it
    is open, and `same_value` is true when that status quo equals the first text's value.
    """

    issue: str
    label: str
    before: str
    after: str
    kind: str = "changed"
    note: str = ""
    same_value: bool = False
    assumed: str = ""  # left_open: the status quo the model assumes, as a reader's label


@dataclass(frozen=True)
class VerdictChange:
    actor: str
    name: str
    before: Verdict
    after: Verdict
    issue_labels: dict[str, str]
    open_after: frozenset[str] = frozenset()  # issues the second text leaves open or out
    from_open: float = 0.0  # the part of the utility change due to those issues

    @property
    def flipped(self) -> bool:
        return self.before.accepts != self.after.accepts

    def _labels(self, issues: set[str]) -> str:
        return ", ".join(self.issue_labels.get(i, i) for i in sorted(issues))

    @property
    def why(self) -> str:
        """Every reason that holds for the second verdict, said as a change: the red lines now
        crossed, still crossed or no longer crossed, and the utility against no deal when the
        second text is worse than no deal (or no longer is).

        A red line crossed (or no longer crossed) on a point the second text leaves open is
        said to be so: the value there is the status quo the model assumes, not the text's.
        """
        was = {v.issue for v in self.before.violations}
        now = {v.issue for v in self.after.violations}
        parts = []
        crossed, cleared = now - was, was - now
        if crossed - self.open_after:
            parts.append("now crosses its red line on " + self._labels(crossed - self.open_after))
        if crossed & self.open_after:
            parts.append(
                "left open, so at the status quo, which crosses its red line on "
                + self._labels(crossed & self.open_after)
            )
        if cleared - self.open_after:
            parts.append(
                "no longer crosses its red line on " + self._labels(cleared - self.open_after)
            )
        if cleared & self.open_after:
            parts.append(
                "left open, so at the status quo, which no longer crosses its red line on "
                + self._labels(cleared & self.open_after)
            )
        if was & now:
            parts.append("still crosses its red line on " + self._labels(was & now))
        a, b = self.after, self.before
        if below_no_deal(a):
            parts.append(("still " if below_no_deal(b) else "now ") + worse_than_no_deal(a))
        elif below_no_deal(b) and not a.accepts:
            parts.append(f"no longer worse than no deal ({a.utility:.2f} >= {a.reservation:.2f})")
        if not parts and self.flipped:
            side = "at least" if a.accepts else "below"
            parts.append(
                f"utility {b.utility:.2f} -> {a.utility:.2f}, "
                f"now {side} no deal ({a.reservation:.2f})"
            )
        return "; ".join(parts)

    @property
    def delta(self) -> float:
        return self.after.utility - self.before.utility

    def delta_text(self) -> str:
        """`+0.27`, or `-0.40, -0.35 of it from points left open` when those weigh in."""
        text = f"{self.delta:+.2f}"
        if abs(self.from_open) >= 0.005:
            text += f", {self.from_open:+.2f} of it from points left open"
        return text


@dataclass(frozen=True)
class Comparison:
    a: tuple[Scenario, Proposal]
    b: tuple[Scenario, Proposal]
    provisions: tuple[ProvisionChange, ...]  # the changes the second text makes
    verdicts: tuple[VerdictChange, ...]
    left_open: tuple[ProvisionChange, ...] = ()  # settled in the first, open in the second

    @property
    def changed(self) -> bool:
        return (
            bool(self.provisions)
            or bool(self.left_open)
            or any(v.flipped or abs(v.delta) > 1e-12 for v in self.verdicts)
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


def is_set(proposal: Proposal, iid: str) -> bool:
    """Whether the text states a value on the issue (neither open nor left out)."""
    prov = proposal.provisions.get(iid)
    return prov is not None and not prov.open


def open_reason(proposal: Proposal, iid: str) -> str:
    """Why a point is open, as the scenario says (its note), or that the text leaves it out."""
    prov = proposal.provisions.get(iid)
    if prov is None:
        return NOT_ADDRESSED
    return prov.note or "left open"


def _assumed(issue: Issue) -> str:
    return f"left open (status quo assumed: {issue.describe(issue.status_quo)})"


def _text(issue: Issue, proposal: Proposal, value: float) -> str:
    return issue.describe(value) if is_set(proposal, issue.id) else _assumed(issue)


def compare(a: Scenario, pa: Proposal, b: Scenario, pb: Proposal) -> Comparison:
    """Provisions that differ or are left open, and every actor's verdict before and after, each
    text judged on the stances of its own date (an undated one on the scenario's latest)."""
    a = view(a, pa.date) if pa.date else a
    b = view(b, pb.date) if pb.date else b
    changes, left_open = [], []
    pkg_a, pkg_b = pa.package(a.issues), pb.package(b.issues)
    for iid in dict.fromkeys([*a.issues, *b.issues]):
        ia, ib = a.issues.get(iid), b.issues.get(iid)
        if ia is None or ib is None:
            before = "(no such issue)" if ia is None else _text(ia, pa, pkg_a[iid])
            after = "(no such issue)" if ib is None else _text(ib, pb, pkg_b[iid])
            changes.append(ProvisionChange(iid, (ia or ib).label, before, after))  # type: ignore[union-attr]
            continue
        same = abs(pkg_a[iid] - pkg_b[iid]) < 1e-9
        if is_set(pa, iid) and not is_set(pb, iid):
            left_open.append(
                ProvisionChange(
                    iid,
                    ib.label,
                    ia.describe(pkg_a[iid]),
                    _assumed(ib),
                    "left_open",
                    open_reason(pb, iid),
                    same,
                    ib.describe(ib.status_quo),
                )
            )
        elif not same or (is_set(pb, iid) and not is_set(pa, iid)):
            changes.append(
                ProvisionChange(iid, ib.label, _text(ia, pa, pkg_a[iid]), _text(ib, pb, pkg_b[iid]))
            )
    va, vb = evaluate(a, pa), evaluate(b, pb)
    labels = {iid: i.label for iid, i in {**a.issues, **b.issues}.items()}
    open_after = frozenset(iid for iid in b.issues if not is_set(pb, iid))
    verdicts = tuple(
        VerdictChange(
            aid,
            b.actors[aid].name,
            va[aid],
            vb[aid],
            labels,
            open_after,
            _from_open(b, aid, pkg_a, pkg_b, open_after),
        )
        for aid in b.actors
        if aid in va
    )
    return Comparison((a, pa), (b, pb), tuple(changes), verdicts, tuple(left_open))


def _from_open(
    b: Scenario,
    aid: str,
    pkg_a: dict[str, float],
    pkg_b: dict[str, float],
    open_after: frozenset[str],
) -> float:
    """The part of the actor's utility change that the points left open account for.

    Utility is additive over issues, so with the second scenario's actor this is exactly
    u(second package) - u(second package with the open points at the first text's values).
    """
    actor = b.actors[aid]
    mixed = {iid: pkg_a.get(iid, v) if iid in open_after else v for iid, v in pkg_b.items()}
    return utility(actor, b.issues, pkg_b) - utility(actor, b.issues, mixed)


class UnknownProposal(ValueError):
    """A proposal picked by id (`FILE:PROPOSAL`) that its scenario does not define."""

    def __init__(self, index: int, pid: str, known: Sequence[str]) -> None:
        self.index = index  # which of the picked scenarios
        super().__init__(f"no proposal {pid!r}; known: {', '.join(known)}")


def compare_picked(picked: Sequence[tuple[Scenario, str | None]]) -> list[Comparison]:
    """What changes from the first scenario to each of the others; each comes with the id of
    the proposal picked in it, or None to pair proposals as `pairs` does. Of the pairs of two
    files, those that change nothing are left out (all but one, if none changes)."""
    if len(picked) < 2:
        raise ValueError(TOO_FEW)
    for index, (sc, pid) in enumerate(picked):
        if pid is not None and pid not in sc.proposals:
            raise UnknownProposal(index, pid, list(sc.proposals))
    (base, base_pid), comparisons = picked[0], []
    for other, other_pid in picked[1:]:
        if base_pid or other_pid:
            pa = base.proposals[base_pid] if base_pid else pairs(base, other)[0][0]
            pb = other.proposals[other_pid] if other_pid else pairs(base, other)[0][1]
            todo = [(pa, pb)]
        else:
            todo = pairs(base, other)
        found = [compare(base, pa, other, pb) for pa, pb in todo]
        changed = [c for c in found if c.changed]
        comparisons += changed or found[:1]
    return comparisons
