"""The format's rules that are code rather than types, kept free of pydantic.

`schema.py` attaches each of them to its models (as validators), and the light checker
(`checker.py`) runs the very same functions, so a rule is written once and checked the same way
on both paths. Each model rule takes the entry (a model, or any object with its fields as
attributes), raises ValueError with the words a user reads, and returns the entry.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

QUOTE_PATTERN = r"\S+\s+\S+\s+\S+"
"""A quote is a sentence: at least three words (an empty or one-word quote stands anywhere)."""

MAX_MAGNITUDE = 1e12
"""The largest end of a numeric issue's range: the search sums exact integers scaled from the
range, so an end near the float limit (±1e308) would overflow it."""


def real_date(value: str) -> str:
    try:
        _dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a date: {exc}") from None
    return value


def scalar(value: Any) -> Any:
    """An option id or a number (not a boolean, not infinite)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("expected an option id or a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value}")
    return value


def uncertain(value: Any) -> Any:
    """`80` is short for `{value: 80}` (a number that may carry a spread)."""
    return value if isinstance(value, dict) else {"value": value}


def provision(value: Any) -> Any:
    """`issue: value` is short for `issue: {value: value}`."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return {"value": value}
    return value


def source_kind(self: Any) -> Any:
    """A seed sentence (`doc` + `quote`) or a public-record page (`url`), not both."""
    if self.doc is not None or self.quote is not None:
        if self.doc is None or self.quote is None:
            raise ValueError("a seed source needs both 'doc' and 'quote'")
        if self.url is not None:
            raise ValueError("a source is either a seed ('doc', 'quote') or a 'url', not both")
    elif self.url is None:
        raise ValueError("a source needs 'doc' and 'quote', or 'url'")
    return self


def issue_kind(self: Any) -> Any:
    """Ordinal (`options`) or numeric (`range` + `unit`), with a sensible range."""
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


def one_spread(self: Any) -> Any:
    if self.sd is not None and self.range is not None:
        raise ValueError("give either 'sd' or 'range', not both")
    if self.range is not None and not self.range[0] <= self.range[1]:
        raise ValueError("'range' must be [low, high] with low <= high")
    return self


def some_test(self: Any) -> Any:
    if self.at_most is None and self.at_least is None and self.in_ is None:
        raise ValueError("a condition needs 'at_least', 'at_most' or 'in'")
    return self


def some_bound(self: Any) -> Any:
    if self.at_most is None and self.at_least is None and not self.rejects:
        raise ValueError("a red line needs 'at_most', 'at_least' or 'rejects'")
    return self


def value_or_open(self: Any) -> Any:
    if (self.value is None) == self.open:
        return self
    raise ValueError("a provision needs either 'value' or 'open: true'")
