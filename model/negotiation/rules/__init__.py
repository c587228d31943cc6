"""The negotiation dynamics, one registry: a scenario's `model.dynamics` names a rule here.

A rule computes, once per issue and round, what the round shares among the issue's actors
(`share`), and each Mesa agent then computes its own move from its row of that (`move`), never
past its red lines. To add a rule: write a module here with a class offering `name`, `share` and
`move` (see ConcessionRule), register it below, and add its name to `Dynamics` in
model/scenario/schema.py (tests/test_rules.py checks the two lists agree and runs every rule
through the same invariants). The sweep runs the same rule on arrays over draws: give it a form
in `model.sweep.dynamics.VECTORISED` built from the rule's own functions (tests/test_dynamics.py
checks every rule has one and that it equals the Mesa run draw by draw).
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from model.negotiation.rules.concession import ConcessionRule
from model.negotiation.rules.eum import EumRule


class Rule(Protocol):
    name: str

    def share(self, x: np.ndarray, c: np.ndarray, s: np.ndarray, position_range: float) -> Any:
        """What one issue's round shares among its actors (x positions, c capabilities,
        s saliences on 0-100; position_range: the initial positions' range), or None if the
        issue sits this round out."""

    def move(
        self,
        shared: Any,
        k: int,
        x: float,
        capability: float,
        salience: float,
        rate: float,
        bounds: tuple[float, float],
        jitter: float | None,
    ) -> float:
        """Where actor k (row k of `shared`), now at x, moves this round, within `bounds`."""


RULES: dict[str, Rule] = {rule.name: rule for rule in (ConcessionRule(), EumRule())}
