"""Stances through time: the scenario as it stood on a date.

Actors' stakes and issues' status quo may change over time (`changes:` in the file, each with its
date and sources, the earlier stance kept). A dated text is judged against the stances and status
quo in force on its date; everything else against one date the user picks (`--as-of`), by
default the latest stance. A view is a plain Scenario with the changes applied and `as_of` set,
so evaluation, the dynamics, the search and the sweep need not know about dates.
"""

from __future__ import annotations

from dataclasses import replace

from model.scenario.types import Issue, Scenario, Stake


def change_dates(scenario: Scenario) -> list[str]:
    """Every date on which some stance or status quo changes, oldest first."""
    dates = {c.date for issue in scenario.issues.values() for c in issue.changes}
    for actor in scenario.actors.values():
        dates |= {c.date for stake in actor.stakes.values() for c in stake.changes}
    return sorted(dates)


def latest(scenario: Scenario) -> str | None:
    """The date of the latest stance (None when nothing in the scenario changes over time)."""
    dates = change_dates(scenario)
    return dates[-1] if dates else None


def stake_on(stake: Stake, date: str | None) -> Stake:
    """The stance in force on `date` (ISO dates compare as text); None: the latest."""
    out = replace(stake, changes=())
    for change in stake.changes:
        if date is not None and change.date > date:
            break
        out = replace(
            out,
            position=out.position if change.position is None else change.position,
            salience=out.salience if change.salience is None else change.salience,
            red_line=None
            if change.drops_red_line
            else (change.red_line if change.red_line is not None else out.red_line),
            sources=change.sources,
            note=change.note if change.note is not None else out.note,
            position_spread=change.position_spread or out.position_spread,
            salience_spread=change.salience_spread or out.salience_spread,
        )
    return out


def issue_on(issue: Issue, date: str | None) -> Issue:
    out = replace(issue, changes=())
    for change in issue.changes:
        if date is not None and change.date > date:
            break
        out = replace(out, status_quo=change.status_quo)
    return out


def view(scenario: Scenario, date: str | None = None) -> Scenario:
    """The scenario as it stood on `date` (None: the latest stances), with `as_of` set to the
    date used (None only when nothing changes over time)."""
    used = date if date is not None else latest(scenario)
    actors = {
        aid: replace(a, stakes={iid: stake_on(s, date) for iid, s in a.stakes.items()})
        for aid, a in scenario.actors.items()
    }
    issues = {iid: issue_on(i, date) for iid, i in scenario.issues.items()}
    return replace(scenario, actors=actors, issues=issues, as_of=used)


def date_of(scenario: Scenario, proposal_id: str, as_of: str | None) -> str | None:
    """The date a proposal is judged on: its own, else `as_of` (None: the latest stances)."""
    proposal = scenario.proposals.get(proposal_id)
    return proposal.date if proposal is not None and proposal.date else as_of
