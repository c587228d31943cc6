"""Problems with a scenario file, worded for the person who wrote it: each with file, line and
key path, pydantic's validation errors reworded (with did-you-mean hints) in one place."""

from __future__ import annotations

import difflib
import types
import typing
from typing import TYPE_CHECKING, Any

from model.scenario.located import Loc, LocDict, dotted, locate, one_line

if TYPE_CHECKING:
    from pydantic import BaseModel


class Problem(typing.NamedTuple):
    loc: Loc
    message: str

    def __str__(self) -> str:
        return one_line(f"{self.loc}: {self.message}")


class ScenarioError(Exception):
    """A scenario that cannot be used; `problems` lists every reason, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.loc.file, p.loc.line, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


_TYPE_WORDS = {
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "string_type": "expected text",
    "bool_type": "expected true or false",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
    "list_type": "expected a list",
    "finite_number": "expected a finite number",
}


def problem_from(err: Any, tree: LocDict) -> Problem:
    """One of pydantic's validation errors, worded for the person who wrote the file."""
    from model.scenario import schema

    loc = tuple(err["loc"])
    is_key = bool(loc) and loc[-1] == "[key]"
    if is_key:
        loc = loc[:-1]
    if loc and loc[-1] == "value" and not isinstance(_at(tree, loc[:-1]), dict):
        loc = loc[:-1]  # `salience: 160` was read as `{value: 160}`: speak of what was written
    where = locate(tree, loc) or tree.loc
    path = dotted(loc)
    kind = err["type"]
    ctx = err.get("ctx") or {}
    given = err.get("input")
    if kind == "extra_forbidden":
        key = loc[-1]
        known = _fields_at(loc[:-1])
        hint = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        msg = f"unknown key {_show(key)}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
        if known and not hint:
            msg += f"; expected one of: {', '.join(known)}"
        parent = dotted(loc[:-1])
        return Problem(where, f"{parent}: {msg}" if parent else msg)
    if kind == "missing":
        return Problem(locate(tree, loc[:-1]) or tree.loc, f"{path}: missing required key")
    if is_key:
        return Problem(
            where,
            f"{path}: {_show(given)} is not a valid id (lower-case letters, "
            "digits, '-' and '_', starting with a letter)",
        )
    if kind == "value_error":
        msg = err["msg"].removeprefix("Value error, ")
    elif kind in _TYPE_WORDS:
        msg = f"{_TYPE_WORDS[kind]}, got {_show(given)}"
    elif kind == "string_pattern_mismatch":
        msg = {
            schema.ID_PATTERN: f"{given!r} is not a valid id (lower-case letters, digits, '-' "
            "and '_')",
            schema.DATE_PATTERN: f"expected a date as YYYY-MM-DD, got {_show(given)}",
            schema.QUOTE_PATTERN: f"a quote must be a sentence of the seed (three words or "
            f"more), got {_show(given)}",
        }.get(ctx.get("pattern"), err["msg"])
    elif kind == "literal_error":
        options = [
            o.strip(" '") for o in str(ctx.get("expected", "")).replace(" or ", ",").split(",")
        ]
        hint = difflib.get_close_matches(str(given), options, n=1, cutoff=0.6)
        msg = f"unknown value {_show(given)}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
        msg += f"; known: {', '.join(options)}"
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        op = {
            "greater_than_equal": ">=",
            "less_than_equal": "<=",
            "greater_than": ">",
            "less_than": "<",
        }[kind]
        bound = next(iter(ctx.values()))
        msg = f"must be {op} {bound:g}, got {_show(given)}"
    elif kind == "too_short":
        msg = f"needs at least {ctx.get('min_length')} item(s)"
    elif kind == "too_long":
        msg = f"takes at most {ctx.get('max_length')} item(s)"
    else:
        msg = err["msg"]
    return Problem(where, f"{path}: {msg}" if path else msg)


def _at(tree: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        try:
            tree = tree[step]
        except (KeyError, IndexError, TypeError):
            return None
    return tree


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 40 else text[:37] + "..."


def _fields_at(path: tuple[Any, ...]) -> list[str]:
    """The keys the format allows at `path`, for did-you-mean suggestions."""
    model = model_at(path)
    return list(model.model_fields) if model is not None else []


def model_at(path: tuple[Any, ...]) -> type[BaseModel] | None:
    """The format's model of the mapping at `path` in a scenario file (None if not a model)."""
    from pydantic import BaseModel

    from model.scenario import schema

    tp: Any = schema.ScenarioSpec
    for step in path:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(step))
            if field is None:
                return None
            tp = field.annotation
        elif typing.get_origin(tp) in (dict, list):
            tp = typing.get_args(tp)[-1]
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _unwrap(tp: Any) -> Any:
    from pydantic import BaseModel

    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            tp = models[0] if models else args[0]
        else:
            return tp
