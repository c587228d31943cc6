"""What the exact search finds: frozen result objects, pure data. Rendering them (JSON, terminal
text, the report's section, charts) lives in `model.outputs`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Package:
    """One package: a candidate index per issue, with each actor's utility.

    nash_log is sum_a capability_a * log(u_a - reservation_a) over the actors whose
    participation is required, or None when some of them gains nothing over no deal. count is
    the number of packages with exactly these utilities (1 outside the frontier).
    """

    choice: tuple[int, ...]
    utility: tuple[float, ...]
    nash_log: float | None
    count: int = 1


@dataclass(frozen=True)
class Constraint:
    """A red line (actor, issue), or a participation constraint (actor; issue None):
    u_actor >= reservation_actor."""

    actor: str
    issue: str | None = None

    @property
    def kind(self) -> str:
        return "participation" if self.issue is None else "red_line"


@dataclass(frozen=True)
class ConflictCore:
    """Minimal unsatisfiable sets of constraints, smallest first.

    complete_up_to: every minimal conflict of at most this many constraints is listed (larger
    sets were not all examined: the enumeration stops after MAX_CHECKS sets, or when `capped`,
    at MAX_CONFLICTS conflicts, or when `stopped`, at the search's time or memory limit).
    extracted: how many of the listed conflicts (the last ones) come from a solver's minimal
    unsatisfiable subset extraction (`model.search.mus`) beyond those sizes: each is proven
    unsatisfiable and minimal (except those in `unproven`, indices into `minimal`: proven
    unsatisfiable, but the time limit cut short a check of their minimality), and other
    conflicts of those sizes may exist.
    """

    minimal: tuple[tuple[Constraint, ...], ...]
    complete_up_to: int
    capped: bool
    n_constraints: int
    stopped: bool = False
    extracted: int = 0
    unproven: tuple[int, ...] = ()


@dataclass(frozen=True)
class Relaxation:
    """Constraints to drop so that some package satisfies all the others, and what that opens:
    the number of packages then acceptable (to the actors still required to gain) and the
    Nash package among them."""

    drop: tuple[Constraint, ...]
    acceptable: int
    package: Package | None


@dataclass(frozen=True)
class BindingRedLine:
    """A red line the Nash package sits on: its value is allowed, the next candidate value
    beyond it (on `side`, "above" or "below") is not. moves_nash: dropping this red line alone
    would move the Nash package across it (the bargain presses against the line)."""

    actor: str
    issue: str
    choice: int
    side: str
    moves_nash: bool
    nash_without: float | None = None


@dataclass(frozen=True)
class Logroll:
    """Actor a concedes issues `a_gives` to b, b concedes `b_gives` to a, each ends up ahead.

    Changes are measured from a reference package (`reference`: "no deal" or "compromise") to
    the Nash package, issue by issue (issue -> (change for a, change for b)); gain_a and gain_b
    are the totals over both sets (see `model.search.solution.logrolls`).
    """

    reference: str
    a: str
    b: str
    a_gives: tuple[str, ...]
    b_gives: tuple[str, ...]
    changes: dict[str, tuple[float, float]]
    gain_a: float
    gain_b: float


@dataclass(frozen=True)
class Exactness:
    """What the search proved and what it only bounded, when its limits (time, memory; see
    `model.search.budget`) cut it short. All True: every answer is exact.

    counts: the number of packages acceptable to all is exact (else it lies in [acceptable_low,
    acceptable_high]; the number crossing no red line is a product, always exact). frontier: every
    Pareto-optimal outcome is listed (else the list is a sample of acceptable packages found by a
    bounded search). nash: the bargaining package is proven best, or proven not to exist (else it is
    acceptable to all but not proven optimal, and no acceptable package has a Nash log-product above
    nash_bound, when that is known). conflicts: the conflict core and relaxations were searched as
    far as usual (else the limits stopped them; the core says up to which size it is complete).
    binding: whether each red line holds the bargain back was decided. limits: the time (s) and
    memory (MB) allowed; elapsed: seconds taken.
    """

    counts: bool = True
    frontier: bool = True
    nash: bool = True
    conflicts: bool = True
    binding: bool = True
    acceptable_low: int = 0
    acceptable_high: int = 0
    nash_bound: float | None = None
    time_limit: float | None = None
    memory_mb: float | None = None
    elapsed: float = 0.0

    @property
    def all(self) -> bool:
        return self.counts and self.frontier and self.nash and self.conflicts and self.binding


@dataclass(frozen=True, eq=False)
class SearchResult:
    """What the exact search found. Packages hold candidate indices into `values[i]`.

    frontier_choice (m, n_issues), frontier_utility (m, n_actors) and frontier_count (m,) hold
    the Pareto frontier, best Nash product first.
    """

    title: str
    issue_ids: tuple[str, ...]
    issue_labels: tuple[str, ...]
    actor_ids: tuple[str, ...]
    actor_names: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]
    labels: tuple[tuple[str, ...], ...]
    value_ids: tuple[tuple[str | float, ...], ...]
    reservation: tuple[float, ...]
    capability: tuple[float, ...]
    status_quo: tuple[int, ...]
    red_lines: tuple[Constraint, ...]
    red_line_text: dict[tuple[str, str], str]
    n_packages: int
    n_no_red_line: int
    n_acceptable: int
    frontier_choice: np.ndarray
    frontier_utility: np.ndarray
    frontier_count: np.ndarray
    nash: Package | None
    best: tuple[Package, ...]
    compromise: Package | None
    binding: tuple[BindingRedLine, ...]
    conflicts: ConflictCore | None
    relaxations: tuple[Relaxation, ...]
    logrolls: tuple[Logroll, ...]
    grid: dict[str, tuple[float, ...]] = field(default_factory=dict)
    grid_steps: int | None = None
    as_of: str | None = None  # the date whose stances were searched (None: nothing is dated)
    exact: Exactness = field(default_factory=Exactness)

    @property
    def frontier_size(self) -> int:
        return len(self.frontier_count)

    def name(self, actor: str) -> str:
        return self.actor_names[self.actor_ids.index(actor)]

    def issue_label(self, issue: str) -> str:
        return self.issue_labels[self.issue_ids.index(issue)]

    def value_label(self, issue: str, choice: int) -> str:
        return self.labels[self.issue_ids.index(issue)][choice]
