"""The scenario file format, defined once.

These pydantic models are both the structural check the loader runs and the JSON Schema that
`sim schema` prints for editors, so the two cannot drift apart. Checks that need the whole
scenario (an option that must exist, a value inside an issue's range) live in `loader.py`.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from model.scenario.types import ModelSettings, Uncertainty

ID_PATTERN = r"^[a-z][a-z0-9_-]*$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
MAX_MAGNITUDE = 1e12
"""The largest end of a numeric issue's range: the search sums exact integers scaled from the
range, so an end near the float limit (±1e308) would overflow it."""
QUOTE_PATTERN = r"\S+\s+\S+\s+\S+"
"""A quote is a sentence: at least three words (an empty or one-word quote stands anywhere)."""

Dynamics = Literal["concession", "eum"]
Forecast = Literal["mean", "median", "nbs"]
DYNAMICS: tuple[str, ...] = get_args(Dynamics)
FORECASTS: tuple[str, ...] = get_args(Forecast)

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]


def _real_date(value: str) -> str:
    try:
        _dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a date: {exc}") from None
    return value


Date = Annotated[str, StringConstraints(pattern=DATE_PATTERN), AfterValidator(_real_date)]
Quote = Annotated[str, StringConstraints(pattern=QUOTE_PATTERN)]


def _scalar(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("expected an option id or a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value}")
    return value


Value = Annotated[
    str | float,
    BeforeValidator(_scalar),
    WithJsonSchema({"type": ["string", "number"], "description": "an option id or a number"}),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class Source(_Strict):
    """A seed sentence (`doc` + `quote`) or a public-record page (`url` + `note`)."""

    doc: str | None = Field(None, description="seed file name in seeds/")
    quote: Quote | None = Field(None, description="exact sentence of that seed")
    url: str | None = Field(None, description="public-record page")
    note: str | None = Field(None, description="what the page says")

    @model_validator(mode="after")
    def _one_kind(self) -> Source:
        if self.doc is not None or self.quote is not None:
            if self.doc is None or self.quote is None:
                raise ValueError("a seed source needs both 'doc' and 'quote'")
            if self.url is not None:
                raise ValueError("a source is either a seed ('doc', 'quote') or a 'url', not both")
        elif self.url is None:
            raise ValueError("a source needs 'doc' and 'quote', or 'url'")
        return self


Sources = list[Source]


class OptionSpec(_Strict):
    id: Id
    label: str
    value: float | None = Field(None, ge=0, le=100, description="place on the 0-100 scale")
    keywords: list[str] = Field([], description="other words for this option (sim extract)")


class ValueLabelSpec(_Strict):
    value: float
    label: str


class StatusQuoChangeSpec(_Strict):
    date: Date = Field(description="YYYY-MM-DD: from when this status quo holds")
    status_quo: Value
    sources: Sources = Field(min_length=1)
    note: str | None = None


class IssueSpec(_Strict):
    label: str
    description: str | None = None
    options: list[OptionSpec] | None = Field(None, min_length=2, description="ordered options")
    range: list[float] | None = Field(
        None, min_length=2, max_length=2, description="[min, max] of a numeric issue"
    )
    unit: str | None = None
    labels: list[ValueLabelSpec] | None = Field(
        None,
        description="numeric issue: words for special values, shown instead of the number "
        "(e.g. {value: 1000, label: 'No cap'})",
    )
    status_quo: Value = Field(description="what holds if no deal is made")
    sources: Sources = []
    keywords: list[str] = Field(
        [],
        description="words that tell a sentence is on this issue (sim extract; 'word*' = prefix)",
    )
    changes: list[StatusQuoChangeSpec] = Field(
        [], description="later status quo, oldest first; `status_quo` above is the earliest"
    )

    @model_validator(mode="after")
    def _kind(self) -> IssueSpec:
        if (self.options is None) == (self.range is None):
            raise ValueError("an issue needs either 'options' or 'range' (not both)")
        if self.range is not None:
            if self.unit is None:
                raise ValueError("a numeric issue ('range') needs a 'unit'")
            if not self.range[0] < self.range[1]:
                raise ValueError("'range' must be [min, max] with min < max")
            if max(abs(self.range[0]), abs(self.range[1])) > MAX_MAGNITUDE:
                raise ValueError(
                    f"'range' ends must lie within ±{MAX_MAGNITUDE:g}: choose a unit that "
                    "keeps the numbers smaller"
                )
        elif self.labels is not None:
            raise ValueError("'labels' name values of a numeric issue; options have labels")
        return self


class Spread(_Strict):
    """How unsure a number is, for `sim sweep`: a normal spread (`sd`) or a uniform `range`."""

    sd: float | None = Field(None, ge=0, description="standard deviation of a normal draw")
    range: list[float] | None = Field(
        None, min_length=2, max_length=2, description="[low, high] of a uniform draw"
    )

    @model_validator(mode="after")
    def _one(self) -> Spread:
        if self.sd is not None and self.range is not None:
            raise ValueError("give either 'sd' or 'range', not both")
        if self.range is not None and not self.range[0] <= self.range[1]:
            raise ValueError("'range' must be [low, high] with low <= high")
        return self


class UncertainSalience(Spread):
    value: float = Field(ge=0, le=100)


class UncertainCapability(Spread):
    value: float = Field(gt=0)


class UncertainValue(Spread):
    value: Value


def _uncertain(value: Any) -> Any:
    return value if isinstance(value, dict) else {"value": value}


Salience = Annotated[
    UncertainSalience,
    BeforeValidator(
        _uncertain, json_schema_input_type=Annotated[float, Field(ge=0, le=100)] | UncertainSalience
    ),
]
Capability = Annotated[
    UncertainCapability,
    BeforeValidator(
        _uncertain, json_schema_input_type=Annotated[float, Field(gt=0)] | UncertainCapability
    ),
]
Position = Annotated[
    UncertainValue,
    BeforeValidator(_uncertain, json_schema_input_type=Value | UncertainValue),
]


class ConditionSpec(_Strict):
    """A condition on another issue of the same package: met when its value is at least, at most,
    or one of, the values given (all the keys given must hold)."""

    model_config = ConfigDict(
        extra="forbid", strict=True, allow_inf_nan=False, populate_by_name=False
    )

    issue: Id
    at_least: Value | None = None
    at_most: Value | None = None
    in_: list[Id] | None = Field(None, alias="in", min_length=1, description="option ids")

    @model_validator(mode="after")
    def _some_test(self) -> ConditionSpec:
        if self.at_most is None and self.at_least is None and self.in_ is None:
            raise ValueError("a condition needs 'at_least', 'at_most' or 'in'")
        return self


class RedLineSpec(_Strict):
    """The values an actor will not accept (unless the package meets the `unless` conditions)."""

    probability: float | None = Field(
        None, ge=0, le=1, description="chance the red line holds (for `sim sweep`; default 1)"
    )

    at_most: Value | None = Field(None, description="accepts only values up to this")
    at_least: Value | None = Field(None, description="accepts only values from this up")
    rejects: list[Id] | None = Field(None, description="options it will not accept")
    unless: list[ConditionSpec] | None = Field(
        None,
        min_length=1,
        description="the red line is waived when the package meets all these conditions on "
        "other issues (what the actor would take in exchange)",
    )
    note: str | None = None
    sources: Sources = Field(min_length=1)

    @model_validator(mode="after")
    def _some_bound(self) -> RedLineSpec:
        if self.at_most is None and self.at_least is None and not self.rejects:
            raise ValueError("a red line needs 'at_most', 'at_least' or 'rejects'")
        return self


class StakeChangeSpec(_Strict):
    """A later stance on the issue, in force from `date` until the next change."""

    date: Date = Field(description="YYYY-MM-DD: from when the new stance holds")
    position: Position | None = None
    salience: Salience | None = None
    red_line: RedLineSpec | None = Field(
        None, description="the red line from this date (null: none from this date)"
    )
    sources: Sources = Field(min_length=1)
    note: str | None = None


class StakeSpec(_Strict):
    position: Position = Field(description="the actor's ideal")
    salience: Salience = Field(description="0-100: how much the issue matters to the actor")
    red_line: RedLineSpec | None = None
    sources: Sources = Field(min_length=1)
    note: str | None = None
    changes: list[StakeChangeSpec] = Field(
        [], description="later stances, oldest first; the fields above are the earliest"
    )


class ActorSpec(_Strict):
    name: str
    capability: Capability = Field(description="clout, > 0; only ratios matter")
    sources: Sources = []
    speakers: list[str] = Field(
        [], description="people, titles and bodies that speak for the actor (sim extract)"
    )
    note: str | None = None
    stakes: dict[Id, StakeSpec] = Field(min_length=1)


def _provision(value: Any) -> Any:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return {"value": value}
    return value


class ProvisionSpec(_Strict):
    value: Value | None = None
    open: bool = Field(False, description="the text leaves the issue open: status quo holds")
    sources: Sources = []
    note: str | None = None

    @model_validator(mode="after")
    def _value_or_open(self) -> ProvisionSpec:
        if (self.value is None) == self.open:
            return self
        raise ValueError("a provision needs either 'value' or 'open: true'")


Provision = Annotated[ProvisionSpec, BeforeValidator(_provision)]


Reaction = Literal["wrote", "basis", "rejected"]
REACTIONS: tuple[str, ...] = get_args(Reaction)


class ReactionSpec(_Strict):
    """A party's recorded reaction to the text at the time."""

    reaction: Reaction = Field(
        description="'wrote' (author or co-author), 'basis' (called it a basis for talks, or "
        "accepted it with changes it did not insist on) or 'rejected' (refused it, or answered "
        "with a counter-text rewriting its core)"
    )
    date: Date | None = Field(None, description="YYYY-MM-DD of the reaction")
    sources: Sources = Field(min_length=1)
    note: str | None = None


class ProposalSpec(_Strict):
    label: str
    date: Date | None = Field(None, description="YYYY-MM-DD")
    description: str | None = None
    sources: Sources = []
    provisions: dict[Id, Provision] = {}
    record: dict[Id, ReactionSpec] = Field(
        {}, description="each party's recorded reaction at the time, by actor id"
    )


# The defaults live once, on the dataclasses the loader builds (model.scenario.types).
_M, _U = ModelSettings(), Uncertainty()


class ModelSpec(_Strict):
    seed: int = Field(_M.seed, ge=0)
    rounds: int = Field(_M.rounds, ge=1, le=10_000)
    dynamics: Dynamics = Field(_M.dynamics, description="'concession' or 'eum'")
    tolerance: float = Field(_M.tolerance, gt=0)
    concession_rate: float = Field(
        _M.concession_rate, gt=0, le=1, description="share of the gap moved per round"
    )
    noise: float = Field(_M.noise, ge=0, le=1, description="random spread of each move (0 = none)")
    forecast: Forecast = Field(
        _M.forecast, description="'mean' (compromise model), 'median' or 'nbs' (Nash bargaining)"
    )


class UncertaintySpec(_Strict):
    """Defaults for `sim sweep` where an actor's entry states no spread of its own."""

    salience_sd: float = Field(_U.salience_sd, ge=0, description="points of salience")
    position_sd: float = Field(_U.position_sd, ge=0, description="points of the 0-100 scale")
    capability_sd: float = Field(_U.capability_sd, ge=0, description="share of the capability")
    red_line_probability: float = Field(_U.red_line_probability, ge=0, le=1)


class ScenarioSpec(_Strict):
    title: str | None = None
    description: str | None = None
    extends: str | None = Field(None, description="scenario this one starts from")
    include: list[str] = Field([], description="fragments merged in before this file")
    issues: dict[Id, IssueSpec] = Field(min_length=1)
    actors: dict[Id, ActorSpec] = Field(min_length=1)
    proposals: dict[Id, ProposalSpec] = {}
    model: ModelSpec = ModelSpec()
    uncertainty: UncertaintySpec = UncertaintySpec()


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file (editors accept the `issue: value` shorthand too)."""
    schema = ScenarioSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "negotiation-sim scenario"
    provisions = schema["$defs"]["ProposalSpec"]["properties"]["provisions"]
    provisions["patternProperties"][ID_PATTERN] = {
        "anyOf": [{"type": ["string", "number"]}, {"$ref": "#/$defs/ProvisionSpec"}]
    }
    _close_id_maps(schema)
    # extends/include are resolved before validation, so a fragment need not hold everything
    schema.pop("required", None)
    return schema


def _close_id_maps(node: Any) -> None:
    """Mappings keyed by ids reject keys that are not ids, as the loader does."""
    if isinstance(node, dict):
        if "patternProperties" in node:
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _close_id_maps(value)
    elif isinstance(node, list):
        for value in node:
            _close_id_maps(value)
