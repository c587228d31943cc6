"""The light check of a scenario's structure: is the tree plainly valid, without pydantic?

It walks the table `_format.py` compiled from `schema.py`'s models and runs the rules of
`checks.py`, answering only "valid" or "not sure". The loader asks pydantic (imported then, and
only then) for every "not sure": pydantic decides and words the problems. So a valid file never
pays for pydantic, and the verdict and every message stay pydantic's.
"""

from __future__ import annotations

import math
import re
from functools import cache
from types import SimpleNamespace
from typing import Any

from model.scenario import checks
from model.scenario._format import FORMAT


class _NotSure(Exception):
    pass


_KEYS: dict[int, frozenset[str]] = {}
"""The keys each model of FORMAT allows, by the id of its node (FORMAT lives as long as this)."""


@cache
def _pattern(text: str) -> re.Pattern[str]:
    # pydantic matches with Rust's regex, where `$` is the very end (Python's also allows a
    # newline before it): `\Z` keeps the light check at least as strict
    return re.compile(text[:-1] + r"\Z" if text.endswith("$") else text)


def plainly_valid(raw: Any) -> bool:
    """True if `raw` (dicts, lists and scalars: the located tree itself will do) certainly
    conforms to the format."""
    try:
        _check(FORMAT["root"], raw)
    except (_NotSure, ValueError, TypeError, KeyError, IndexError, RecursionError):
        return False
    return True


def _check(node: tuple[Any, ...], value: Any) -> Any:  # noqa: C901 - one case a kind
    kind = node[0]
    if kind == "ref":
        return _check(FORMAT["defs"][node[1]], value)
    if kind == "str":
        if type(value) is not str or (node[1] is not None and not _pattern(node[1]).search(value)):
            raise _NotSure
        return value
    if kind == "float" or kind == "int":
        if kind == "float":
            if type(value) not in (float, int) or not math.isfinite(value):
                raise _NotSure
        elif type(value) is not int:
            raise _NotSure
        ge, gt, le, lt = node[1:]
        if (
            (ge is not None and not value >= ge)
            or (gt is not None and not value > gt)
            or (le is not None and not value <= le)
            or (lt is not None and not value < lt)
        ):
            raise _NotSure
        return value
    if kind == "bool":
        if type(value) is not bool:
            raise _NotSure
        return value
    if kind == "nullable":
        return None if value is None else _check(node[1], value)
    if kind == "literal":
        if not any(type(value) is type(e) and value == e for e in node[1]):
            raise _NotSure
        return value
    if kind == "list":
        if not isinstance(value, list) or not _length_ok(len(value), node[2], node[3]):
            raise _NotSure
        return [_check(node[1], item) for item in value]
    if kind == "dict":
        if not isinstance(value, dict) or not _length_ok(len(value), node[3], node[4]):
            raise _NotSure
        return {_check(node[1], k): _check(node[2], v) for k, v in value.items()}
    if kind == "union":
        for choice in node[1]:
            try:
                return _check(choice, value)
            except (_NotSure, ValueError):
                continue
        raise _NotSure
    if kind == "before":
        return _check(node[2], getattr(checks, node[1])(value))
    if kind == "after":
        return getattr(checks, node[1])(_check(node[2], value))
    if kind == "model":
        if not isinstance(value, dict):
            raise _NotSure
        fields = node[2]
        keys = _KEYS.get(id(node))
        if keys is None:
            keys = _KEYS[id(node)] = frozenset(field[0] for field in fields)
        if not value.keys() <= keys:
            raise _NotSure  # an unknown key
        out = {}
        for key, attr, required, default, sub in fields:
            if key in value:
                out[attr] = _check(sub, value[key])
            elif required:
                raise _NotSure
            else:
                out[attr] = default
        return SimpleNamespace(**out)
    raise _NotSure  # a kind this checker does not know: let pydantic decide


def _length_ok(n: int, low: int | None, high: int | None) -> bool:
    return (low is None or n >= low) and (high is None or n <= high)
