"""Validated scenario objects: what the rest of the package works with.

Every value is held as a number on its issue's own scale (0-100 for ordinal issues, the issue's
range for numeric ones), so evaluation and dynamics never need to know where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

QUOTE_MARKS = '"“”„«»'


def quoted(text: str) -> str:
    """`text` in quotation marks, unless it already holds some (a quote that quotes a speaker,
    as in `"It is unacceptable," she said.`): then as it stands, so its marks are not doubled."""
    text = text.strip()
    return text if any(m in text for m in QUOTE_MARKS) else f"“{text}”"


MODIFIED = " (modified in "
"""How a proposal's label marks that a later file edits the text it names (see the loader)."""


@dataclass(frozen=True)
class Source:
    doc: str | None = None
    quote: str | None = None
    url: str | None = None
    note: str | None = None

    def cite(self) -> str:
        if self.doc is not None:
            return f"{self.doc}: {quoted(self.quote or '')}"
        return f"{self.url}" + (f" ({self.note})" if self.note else "")

    def to_dict(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v is not None}


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    value: float
    keywords: tuple[str, ...] = ()  # other words for it, for sim extract


@dataclass(frozen=True)
class StatusQuoChange:
    date: str
    status_quo: float
    sources: tuple[Source, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Issue:
    id: str
    label: str
    kind: str  # "ordinal" or "numeric"
    lo: float
    hi: float
    status_quo: float
    options: tuple[Option, ...] = ()
    unit: str | None = None
    description: str | None = None
    sources: tuple[Source, ...] = ()
    value_labels: tuple[tuple[float, str], ...] = ()  # numeric: words for special values
    changes: tuple[StatusQuoChange, ...] = ()  # later status quo, oldest first
    initial_status_quo: float | None = None  # the earliest, when there are changes
    keywords: tuple[str, ...] = ()  # words that tell a sentence is on this issue (sim extract)

    @property
    def span(self) -> float:
        return self.hi - self.lo

    def snap(self, value: float) -> float:
        """The nearest option's value on an ordinal issue; numeric values stay as they are."""
        if not self.options:
            return value
        return min(self.options, key=lambda o: (abs(o.value - value), o.value)).value

    def option_at(self, value: float) -> Option | None:
        for opt in self.options:
            if abs(opt.value - value) < 1e-9:
                return opt
        return None

    def describe(self, value: float) -> str:
        """A reader's label for a value: the option label, or the number with its unit."""
        opt = self.option_at(value)
        if opt is not None:
            return opt.label
        if self.options:
            return f"{value:.1f} (between options)"
        for v, label in self.value_labels:
            if abs(v - value) < 1e-9:
                return label
        return f"{value:g} {self.unit}"

    def value_id(self, value: float) -> str | float:
        """The value as written in a scenario: an option id, or the number."""
        opt = self.option_at(value)
        if opt is not None:
            return opt.id
        return round(value, 6)


@dataclass(frozen=True)
class Spread:
    """How unsure a number is: a normal `sd`, or a uniform draw in [lo, hi]; for `sim sweep`."""

    sd: float | None = None
    lo: float | None = None
    hi: float | None = None


@dataclass(frozen=True)
class Uncertainty:
    """The sweep's defaults where an entry states no spread of its own."""

    salience_sd: float = 10.0
    position_sd: float = 5.0  # points of a 0-100 scale
    capability_sd: float = 0.2  # share of the capability
    red_line_probability: float = 1.0


@dataclass(frozen=True)
class Condition:
    """A test on one issue of a package: its value is at least, at most, or among, the values
    given (every test given must pass)."""

    issue: str
    at_least: float | None = None
    at_most: float | None = None
    among: frozenset[float] | None = None
    text: str = ""

    def met_by(self, value: float) -> bool:
        if self.at_least is not None and value < self.at_least - 1e-9:
            return False
        if self.at_most is not None and value > self.at_most + 1e-9:
            return False
        return self.among is None or any(abs(value - v) < 1e-9 for v in self.among)


@dataclass(frozen=True)
class RedLine:
    """The values an actor will not accept on one issue, unless the package meets every
    condition of `unless` on other issues (what the actor would take in exchange)."""

    at_most: float | None = None
    at_least: float | None = None
    rejects: frozenset[float] = frozenset()
    text: str = ""
    note: str | None = None
    sources: tuple[Source, ...] = ()
    probability: float | None = None  # chance it holds; None = the scenario's default
    unless: tuple[Condition, ...] = ()

    def waived_by(self, package: dict[str, float]) -> bool:
        """True when the package meets every condition of `unless` (never, without one)."""
        return bool(self.unless) and all(c.met_by(package[c.issue]) for c in self.unless)

    def crossed_in(self, package: dict[str, float], issue: str) -> bool:
        """The package's value on `issue` crosses this red line, and no condition waives it."""
        return self.crossed_by(package[issue]) and not self.waived_by(package)

    def crossed_by(self, value: float) -> bool:
        """The value is unacceptable while the red line holds (conditions aside)."""
        if self.at_most is not None and value > self.at_most + 1e-9:
            return True
        if self.at_least is not None and value < self.at_least - 1e-9:
            return True
        return any(abs(value - r) < 1e-9 for r in self.rejects)

    def feasible_interval(self, issue: Issue, ideal: float) -> tuple[float, float]:
        """The widest interval around `ideal` that holds no unacceptable value.

        Negotiating positions move continuously, so a red line that rejects single options is
        turned into the contiguous stretch of acceptable values on which the actor's ideal sits.
        """
        lo = issue.lo if self.at_least is None else self.at_least
        hi = issue.hi if self.at_most is None else self.at_most
        for r in self.rejects:
            allowed = [o.value for o in issue.options if not self.crossed_by(o.value)]
            if r < ideal:
                lo = max(lo, min((v for v in allowed if v > r), default=ideal))
            elif r > ideal:
                hi = min(hi, max((v for v in allowed if v < r), default=ideal))
        return lo, hi


@dataclass(frozen=True)
class StakeChange:
    """A later stance: the fields given replace the stake's from `date` on (`red_line` None with
    `drops_red_line`: no red line from that date)."""

    date: str
    position: float | None = None
    salience: float | None = None
    red_line: RedLine | None = None
    drops_red_line: bool = False
    sources: tuple[Source, ...] = ()
    note: str | None = None
    position_spread: Spread | None = None
    salience_spread: Spread | None = None


@dataclass(frozen=True)
class Stake:
    """An actor's stance on one issue. Its fields are the latest stance, so code that ignores
    dates sees the stances of today; a stake that changed over time also keeps its `initial`
    stance and its `changes`, oldest first (model.scenario.dated resolves the one in force on a
    date)."""

    issue: str
    position: float
    salience: float
    red_line: RedLine | None = None
    sources: tuple[Source, ...] = ()
    note: str | None = None
    position_spread: Spread | None = None
    salience_spread: Spread | None = None
    changes: tuple[StakeChange, ...] = ()
    initial: StakeChange | None = None  # the earliest stance, when there are changes


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    capability: float
    stakes: dict[str, Stake] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()
    note: str | None = None
    capability_spread: Spread | None = None
    speakers: tuple[str, ...] = ()  # who speaks for the actor (sim extract)


@dataclass(frozen=True)
class Provision:
    issue: str
    value: float
    open: bool = False
    sources: tuple[Source, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Reaction:
    """A party's recorded reaction to a text at the time: 'wrote', 'basis' or 'rejected'."""

    actor: str
    reaction: str
    date: str | None = None
    sources: tuple[Source, ...] = ()
    note: str | None = None

    @property
    def accepts(self) -> bool:
        """What the reaction says of the verdict: writing a text or taking it as a basis for
        talks is accepting it; rejecting it is not."""
        return self.reaction != "rejected"


@dataclass(frozen=True)
class Proposal:
    id: str
    label: str
    provisions: dict[str, Provision] = field(default_factory=dict)
    date: str | None = None
    description: str | None = None
    sources: tuple[Source, ...] = ()
    origin: str = ""  # the file that defines it (a scenario may inherit proposals)
    record: dict[str, Reaction] = field(default_factory=dict)  # by actor id

    def package(self, issues: dict[str, Issue]) -> dict[str, float]:
        """One value per issue: the provision's, else (left out or open) the status quo."""
        return {
            iid: (
                self.provisions[iid].value
                if iid in self.provisions and not self.provisions[iid].open
                else issue.status_quo
            )
            for iid, issue in issues.items()
        }


@dataclass(frozen=True)
class ModelSettings:
    seed: int = 42
    rounds: int = 30
    dynamics: str = "concession"
    tolerance: float = 0.01
    concession_rate: float = 0.3
    noise: float = 0.0
    forecast: str = "mean"


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    issues: dict[str, Issue]
    actors: dict[str, Actor]
    proposals: dict[str, Proposal]
    model: ModelSettings
    description: str | None = None
    path: str = ""
    uncertainty: Uncertainty = field(default_factory=Uncertainty)
    as_of: str | None = None  # set on a dated view (model.scenario.dated.view)

    def sources(self) -> list[Source]:
        """Every source the scenario cites, wherever it is written (for counts and checks)."""
        out = [s for issue in self.issues.values() for s in issue.sources]
        out += [s for issue in self.issues.values() for c in issue.changes for s in c.sources]
        for actor in self.actors.values():
            out += actor.sources
            for stake in actor.stakes.values():
                stances = (stake.initial, *stake.changes) if stake.initial else (stake,)
                for stance in stances:
                    out += stance.sources
                    out += stance.red_line.sources if stance.red_line else ()
        for proposal in self.proposals.values():
            out += proposal.sources
            for provision in proposal.provisions.values():
                out += provision.sources
            for reaction in proposal.record.values():
                out += reaction.sources
        return out
