"""The scenario file format, defined once.

These pydantic models are both the structural check the loader runs and the JSON Schema that
`sim schema` prints for editors, so the two cannot drift apart. Checks that need the whole
scenario (an option that must exist, a value inside an issue's range) live in `loader.py`.
"""

from __future__ import annotations

from pathlib import Path
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

from model.scenario import checks
from model.scenario.types import ModelSettings, Uncertainty

ID_PATTERN = r"^[a-z][a-z0-9_-]*$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
MAX_MAGNITUDE = checks.MAX_MAGNITUDE
QUOTE_PATTERN = checks.QUOTE_PATTERN

Dynamics = Literal["concession", "eum"]
Forecast = Literal["mean", "median", "nbs"]
DYNAMICS: tuple[str, ...] = get_args(Dynamics)
FORECASTS: tuple[str, ...] = get_args(Forecast)

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]


Date = Annotated[str, StringConstraints(pattern=DATE_PATTERN), AfterValidator(checks.real_date)]
Quote = Annotated[str, StringConstraints(pattern=QUOTE_PATTERN)]


Value = Annotated[
    str | float,
    BeforeValidator(checks.scalar),
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

    _one_kind = model_validator(mode="after")(checks.source_kind)


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

    _kind = model_validator(mode="after")(checks.issue_kind)


class Spread(_Strict):
    """How unsure a number is, for `sim sweep`: a normal spread (`sd`) or a uniform `range`."""

    sd: float | None = Field(None, ge=0, description="standard deviation of a normal draw")
    range: list[float] | None = Field(
        None, min_length=2, max_length=2, description="[low, high] of a uniform draw"
    )

    _one = model_validator(mode="after")(checks.one_spread)


class UncertainSalience(Spread):
    value: float = Field(ge=0, le=100)


class UncertainCapability(Spread):
    value: float = Field(gt=0)


class UncertainValue(Spread):
    value: Value


Salience = Annotated[
    UncertainSalience,
    BeforeValidator(
        checks.uncertain,
        json_schema_input_type=Annotated[float, Field(ge=0, le=100)] | UncertainSalience,
    ),
]
Capability = Annotated[
    UncertainCapability,
    BeforeValidator(
        checks.uncertain, json_schema_input_type=Annotated[float, Field(gt=0)] | UncertainCapability
    ),
]
Position = Annotated[
    UncertainValue,
    BeforeValidator(checks.uncertain, json_schema_input_type=Value | UncertainValue),
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

    _some_test = model_validator(mode="after")(checks.some_test)


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

    _some_bound = model_validator(mode="after")(checks.some_bound)


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


class ProvisionSpec(_Strict):
    value: Value | None = None
    open: bool = Field(False, description="the text leaves the issue open: status quo holds")
    sources: Sources = []
    note: str | None = None

    _value_or_open = model_validator(mode="after")(checks.value_or_open)


Provision = Annotated[ProvisionSpec, BeforeValidator(checks.provision)]


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


# The light checker --------------------------------------------------------------------------
# Loading a scenario must not pay for importing pydantic and building these models (about 60 ms,
# more than Python's start-up) on every call. So the models above are compiled, once, into a
# plain table (`_format.py`, generated by `python -m model.scenario.schema`) that `checker.py`
# walks, calling the same rules (`checks.py`). The format is still defined here only: the table
# is derived from pydantic's own core schema of these models, tests/test_startup.py fails when
# it is stale, and the checker only ever says "valid" or "ask pydantic" (a table that lags
# behind, or a construct it does not know, costs time, never a wrong verdict).

_STRICT_CONFIG = {"allow_inf_nan": False, "extra_fields_behavior": "forbid", "strict": True}
_BOUNDS = ("ge", "gt", "le", "lt")


def compiled_format() -> dict[str, Any]:
    """`ScenarioSpec` as the light checker's table: {"root": node, "defs": {name: node}}."""
    defs: dict[str, Any] = {}
    root = _compile(ScenarioSpec.__pydantic_core_schema__, defs)
    return {"root": root, "defs": dict(sorted(defs.items()))}


def _ref_name(ref: str) -> str:
    return ref.rpartition(":")[0].rpartition(".")[2] or ref


def _function_name(function: Any) -> str:
    inner = function["function"]
    if function["type"] != "no-info" or getattr(checks, inner.__name__, None) is not inner:
        raise TypeError(f"the light checker cannot run {inner!r}: define it in checks.py")
    return inner.__name__


def _compile(node: dict[str, Any], defs: dict[str, Any]) -> Any:  # noqa: C901 - one case a kind
    kind = node["type"]
    if "ref" in node:
        name = _ref_name(node["ref"])
        if name not in defs:
            defs[name] = None  # being compiled (a model may refer to itself)
            defs[name] = _compile({k: v for k, v in node.items() if k != "ref"}, defs)
        return ("ref", name)
    known = {"type", "metadata", "serialization"}
    if kind == "definitions":
        for sub in node["definitions"]:
            _compile(sub, defs)
        return _compile(node["schema"], defs)
    if kind == "definition-ref":
        return ("ref", _ref_name(node["schema_ref"]))
    if kind in ("str", "float", "int", "bool"):
        extra = set(node) - known - set(_BOUNDS) - {"pattern"}
        if extra:
            raise TypeError(f"the light checker does not know {sorted(extra)} on {kind}")
        if kind == "str":
            return ("str", node.get("pattern"))
        if kind == "bool":
            return ("bool",)
        return (kind, *(node.get(b) for b in _BOUNDS))
    if kind == "literal":
        return ("literal", tuple(node["expected"]))
    if kind == "nullable":
        return ("nullable", _compile(node["schema"], defs))
    if kind == "list":
        items = _compile(node["items_schema"], defs)
        return ("list", items, node.get("min_length"), node.get("max_length"))
    if kind == "dict":
        keys, values = _compile(node["keys_schema"], defs), _compile(node["values_schema"], defs)
        return ("dict", keys, values, node.get("min_length"), node.get("max_length"))
    if kind == "union":
        choices = [c[0] if isinstance(c, tuple) else c for c in node["choices"]]
        return ("union", tuple(_compile(c, defs) for c in choices))
    if kind in ("function-before", "function-after"):
        return (kind[9:], _function_name(node["function"]), _compile(node["schema"], defs))
    if kind == "model":
        config = {k: v for k, v in node["config"].items() if k != "title"}
        # a field is read by its alias only (`in`, not `in_`), as the checker does
        if config.pop("validate_by_alias", True) is not True or config.pop("validate_by_name", 0):
            raise TypeError("the light checker reads fields by their alias only")
        fields_node = node["schema"]
        if config != _STRICT_CONFIG or fields_node["type"] != "model-fields" or node["root_model"]:
            raise TypeError(f"the light checker expects strict closed models, not {config}")
        fields = []
        for attr, field in fields_node["fields"].items():
            schema = field["schema"]
            required = schema["type"] != "default"
            default = None if required else schema.get("default")
            if not isinstance(default, str | int | float | bool | type(None)):
                default = None  # a list, mapping or model default: no rule reads it
            inner = schema if required else schema["schema"]
            key = field.get("validation_alias", attr)
            if not isinstance(key, str):
                raise TypeError(f"the light checker takes only plain aliases, not {key!r}")
            fields.append((key, attr, required, default, _compile(inner, defs)))
        return ("model", fields_node["model_name"], tuple(fields))
    raise TypeError(f"the light checker does not know the core schema kind {kind!r}")


def write_compiled(path: Path | None = None) -> Path:
    """Regenerate `_format.py` from the models above."""
    import pprint

    path = path or Path(__file__).with_name("_format.py")
    text = (
        '"""The scenario format of `schema.py`, compiled for the light checker (`checker.py`).\n\n'
        "Generated by `python -m model.scenario.schema` (then `ruff format` it): do not edit;\n"
        'tests/test_startup.py fails when it no longer matches schema.py."""\n\n'
        f"FORMAT = {pprint.pformat(compiled_format(), width=96, sort_dicts=False)}\n"
    )
    path.write_text(text, encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"wrote {write_compiled()}")
