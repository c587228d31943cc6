"""The verdicts set beside the record: what each party did with each dated text at the time.

A cell is a (text, party) pair with a recorded reaction. Writing a text or calling it a basis for
talks counts as accepting it; rejecting it (or answering with a counter-text that rewrites its
core) as rejecting it. The model's verdict on a text that leaves points open is three-way: a
'depends' agrees with a party that wrote the text or took it as a basis (some settlement of the
open points wins its acceptance), not with one that rejected it. Two baselines are scored on the
same cells: every party accepts exactly the texts it wrote, and every party rejects every text.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.evaluation.reasons import open_reason, rejection_reason
from model.results import Results


@dataclass(frozen=True)
class Cell:
    proposal: str
    actor: str
    reaction: str  # wrote | basis | rejected
    reaction_date: str | None
    judged_on: str | None  # the date whose stances judged the text
    verdict: str  # accepts | rejects | depends
    agrees: bool
    cause: str  # why the model disagrees ("" where it agrees)
    source: str  # the record's first source, cited


@dataclass(frozen=True)
class Backtest:
    cells: tuple[Cell, ...]
    wrote_baseline: int  # cells the "accepts exactly what it wrote" rule gets right
    reject_baseline: int  # cells the "rejects everything" rule gets right

    @property
    def agreed(self) -> int:
        return sum(c.agrees for c in self.cells)

    def rate(self, hits: int) -> float:
        return hits / len(self.cells) if self.cells else 0.0


def backtest(results: Results) -> Backtest:
    """Every recorded reaction against the model's verdict on that text, on the text's date."""
    sc = results.scenario
    cells = []
    wrote = reject = 0
    for pid, proposal in sc.proposals.items():
        for aid, reaction in proposal.record.items():
            if aid not in sc.actors:
                continue
            v = results.verdicts[pid][aid]
            ov = results.open_verdicts.get(pid, {}).get(aid)
            verdict = ov.verdict if ov else ("accepts" if v.accepts else "rejects")
            accepts = reaction.accepts
            agrees = (verdict != "rejects") if accepts else (verdict == "rejects")
            wrote += (reaction.reaction == "wrote") == accepts
            reject += not accepts
            cells.append(
                Cell(
                    pid,
                    aid,
                    reaction.reaction,
                    reaction.date,
                    results.on(pid).as_of,
                    verdict,
                    agrees,
                    "" if agrees else _cause(results, pid, aid, verdict),
                    reaction.sources[0].cite() if reaction.sources else "",
                )
            )
    return Backtest(tuple(cells), wrote, reject)


def _cause(results: Results, pid: str, aid: str, verdict: str) -> str:
    """The red line or utility term behind a verdict the record contradicts."""
    sc = results.scenario
    v = results.verdicts[pid][aid]
    ov = results.open_verdicts.get(pid, {}).get(aid)
    if verdict == "rejects":
        if ov is not None:
            return open_reason(sc, ov, v)
        return rejection_reason(sc, v, values=True)
    if verdict == "depends":
        assert ov is not None
        return open_reason(sc, ov, v)
    return (
        f"no red line of its coding is crossed and the text is worth {v.utility:.2f} >= "
        f"{v.reservation:.2f} (no deal): the coding lacks what it refused"
    )
