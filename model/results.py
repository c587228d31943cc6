"""What a run found, in one object: verdicts, provision impacts, the rounds and the forecast.

Charts, the report and results.json are all drawn from a `Results`; none of them reaches back
into the model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from model.evaluation.open_points import OpenVerdict
from model.evaluation.reasons import is_no_deal
from model.evaluation.verdicts import ProvisionImpact, Verdict
from model.scenario.types import Issue, Proposal, Scenario

FORECAST_ID = "forecast"


@dataclass(frozen=True)
class RoundRecord:
    """One round: every actor's position per issue, and the issue's weighted mean and median."""

    round: int
    positions: dict[str, dict[str, float]]  # issue -> actor -> position
    mean: dict[str, float]
    median: dict[str, float]
    nbs: dict[str, float]


@dataclass(frozen=True)
class Results:
    scenario: Scenario
    seed: int
    verdicts: dict[str, dict[str, Verdict]]  # proposal -> actor -> verdict
    impacts: dict[str, dict[str, dict[str, ProvisionImpact]]]  # proposal -> issue -> actor
    history: list[RoundRecord]
    forecast: Proposal  # the final round's outcome, as a proposal
    forecast_verdicts: dict[str, Verdict]
    converged: bool
    extra: dict[str, Any] = field(default_factory=dict)
    # proposal -> actor -> three-way verdict, for texts that leave points open
    open_verdicts: dict[str, dict[str, OpenVerdict]] = field(default_factory=dict)
    # proposal -> the scenario as it stood on the date that judged it (default: `scenario`)
    views: dict[str, Scenario] = field(default_factory=dict)

    @property
    def judged_on(self) -> dict[str, str | None]:
        """Proposal -> the date whose stances judged it (None: nothing in the scenario is
        dated)."""
        return {pid: sc.as_of for pid, sc in self.views.items()}

    def on(self, proposal: str) -> Scenario:
        """The dated view a proposal was judged on (the run's own view for the forecast)."""
        return self.views.get(proposal, self.scenario)

    def no_deal_rejected(self) -> bool:
        """Some actor rejects a text that changes nothing (the status quo): the outputs then
        explain how no deal can be rejected."""
        return any(
            is_no_deal(self.on(p.id), p)
            and not all(v.accepts for v in self.verdicts[p.id].values())
            for p in self.scenario.proposals.values()
        )

    def verdict_word(self, proposal: str, actor: str) -> str:
        """'accepts', 'rejects', or for a text with open points also 'depends' (on how they
        are settled): the verdict every output shows."""
        ov = self.open_verdicts.get(proposal, {}).get(actor)
        if ov is not None:
            return ov.verdict
        verdicts = self.forecast_verdicts if proposal == FORECAST_ID else self.verdicts[proposal]
        return "accepts" if verdicts[actor].accepts else "rejects"

    @property
    def rounds(self) -> int:
        return len(self.history) - 1

    def reservation(self, actor: str) -> float:
        """The actor's reservation utility: what no deal is worth to it."""
        return self.forecast_verdicts[actor].reservation

    def columns(self) -> list[tuple[str, str, dict[str, Verdict]]]:
        """(id, label, verdicts) for every proposal, then the forecast: the summary's columns."""
        cols = [(pid, p.label, self.verdicts[pid]) for pid, p in self.scenario.proposals.items()]
        cols.append((FORECAST_ID, self.forecast.label, self.forecast_verdicts))
        return cols

    def to_json(self) -> dict[str, Any]:
        """results.json: plain data, no timestamps or absolute paths (same seed, same bytes).

        Positions, forecasts and their history are written at full precision: json writes a
        float as the shortest decimal that reads back as the same float, so nothing is rounded
        away (the EC case's round-0 mean is 7.389955686853766, the float nearest 5003/677, not
        7.389956). Utilities (utility, reservation, closeness, versus_status_quo) are rounded to
        12 decimals: their last bits depend on the summation order of the numpy build, and 1e-12
        is far below the 1e-9 tolerance of the acceptance test. A number that is not finite
        would be written as null (JSON has no NaN or Infinity).
        """
        sc = self.scenario
        return {
            "scenario": {
                "name": sc.name,
                "title": sc.title,
                "file": Path(sc.path).name,
                "description": sc.description,
            },
            "seed": self.seed,
            **({"as_of": sc.as_of} if sc.as_of else {}),
            "model": vars(sc.model),
            "actors": {aid: _actor_json(sc, a) for aid, a in sc.actors.items()},
            "issues": {iid: self._issue_json(iid, i) for iid, i in sc.issues.items()},
            "proposals": {
                pid: self._proposal_json(p, self.verdicts[pid], self.impacts[pid])
                for pid, p in sc.proposals.items()
            },
            "forecast": {
                "statistic": sc.model.forecast,
                "rounds": self.rounds,
                "converged": self.converged,
                **self._proposal_json(self.forecast, self.forecast_verdicts, None),
            },
            **self.extra,
        }

    def _issue_json(self, iid: str, issue: Issue) -> dict[str, Any]:
        out: dict[str, Any] = {"label": issue.label, "kind": issue.kind}
        if issue.options:
            out["options"] = [
                {"id": o.id, "label": o.label, "value": o.value} for o in issue.options
            ]
        else:
            out["range"] = [issue.lo, issue.hi]
            out["unit"] = issue.unit
        out["status_quo"] = _value(issue, issue.status_quo)
        out["forecast"] = _value(issue, self.forecast.provisions[iid].value)
        last = self.history[-1]
        out["forecasts"] = {
            "mean": _num(last.mean[iid]),
            "median": _num(last.median[iid]),
            "nbs": _num(last.nbs[iid]),
        }
        out["history"] = [
            {
                "round": r.round,
                "mean": _num(r.mean[iid]),
                "median": _num(r.median[iid]),
                "nbs": _num(r.nbs[iid]),
            }
            for r in self.history
        ]
        return out

    def _proposal_json(
        self,
        proposal: Proposal,
        verdicts: dict[str, Verdict],
        impacts: dict[str, dict[str, ProvisionImpact]] | None,
    ) -> dict[str, Any]:
        sc = self.scenario
        out: dict[str, Any] = {"label": proposal.label}
        if proposal.date:
            out["date"] = proposal.date
        judged = self.views[proposal.id].as_of if proposal.id in self.views else None
        if judged:
            out["judged_on"] = judged
        out["provisions"] = {
            iid: {
                "value": _value(sc.issues[iid], p.value),
                "label": sc.issues[iid].describe(p.value),
                **({"open": True} if p.open else {}),
                **({"note": p.note} if p.note else {}),
                "sources": [s.to_dict() for s in p.sources],
            }
            for iid, p in proposal.provisions.items()
        }
        out["verdicts"] = {
            aid: {
                "accepts": v.accepts,
                "utility": _utility(v.utility),
                "reservation": _utility(v.reservation),
                "violations": [x.to_dict(sc.issues[x.issue]) for x in v.violations],
            }
            for aid, v in verdicts.items()
        }
        if proposal.id in self.open_verdicts:
            ov = self.open_verdicts[proposal.id]
            out["open_points"] = {
                "issues": list(next(iter(ov.values())).open_issues) if ov else [],
                "note": "'verdicts' above read the open points as never settled (status quo); "
                "here each actor accepts or rejects the text however they are settled, or its "
                "verdict depends on the settlement",
                "verdicts": {
                    aid: {
                        "verdict": o.verdict,
                        "winning": _settlement(sc, o.winning),
                        "losing": _settlement(sc, o.losing),
                    }
                    for aid, o in ov.items()
                },
            }
        if impacts is not None:
            out["impacts"] = {
                iid: {
                    aid: {
                        "status": im.status,
                        "closeness": _utility(im.closeness),
                        "versus_status_quo": _utility(im.versus_status_quo),
                    }
                    for aid, im in row.items()
                }
                for iid, row in impacts.items()
            }
        return out


def _settlement(sc: Scenario, values: dict[str, float] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {iid: _value(sc.issues[iid], v) for iid, v in values.items()}


def _num(x: float) -> float | None:
    """A number at full precision (see Results.to_json); None (null) if not finite."""
    x = float(x)
    return x if math.isfinite(x) else None


def _utility(x: float) -> float | None:
    """A utility, rounded to 12 decimals (see Results.to_json); None (null) if not finite."""
    x = float(x)
    return round(x, 12) if math.isfinite(x) else None


def _value(issue: Issue, value: float) -> str | float | None:
    """A value as a scenario writes it: the option id, else the number at full precision."""
    opt = issue.option_at(value)
    return opt.id if opt is not None else _num(value)


def _actor_json(sc: Scenario, actor: Any) -> dict[str, Any]:
    stakes = {}
    for iid, st in actor.stakes.items():
        issue = sc.issues[iid]
        entry: dict[str, Any] = {
            "position": issue.value_id(st.position),
            "salience": st.salience,
            "sources": [s.to_dict() for s in st.sources],
        }
        if st.red_line is not None:
            entry["red_line"] = {
                "text": st.red_line.text,
                "sources": [s.to_dict() for s in st.red_line.sources],
            }
        stakes[iid] = entry
    return {
        "name": actor.name,
        "capability": actor.capability,
        "sources": [s.to_dict() for s in actor.sources],
        "stakes": stakes,
    }
