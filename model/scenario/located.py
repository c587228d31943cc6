"""Safe YAML loading that remembers where every key and item came from.

Error messages must name the file and line of the offending key, also after `extends`/`include`
have merged several files, so each mapping and list carries the location of each of its entries.
YAML is composed with PyYAML's safe loader (no object-constructing tags) and then walked here,
which is where the bounds on size, nesting and alias expansion are enforced.
"""

from __future__ import annotations

import datetime as _dt
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_NODES = 200_000

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

_TREE_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


@dataclass(frozen=True)
class Loc:
    """A place in a scenario file: what every problem message starts with."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class LocDict(dict):
    """A mapping whose `locs[key]` is where that key was written and `loc` where it starts."""

    def __init__(self, loc: Loc) -> None:
        super().__init__()
        self.loc = loc
        self.locs: dict[Any, Loc] = {}

    def put(self, key: Any, value: Any, loc: Loc) -> None:
        self[key] = value
        self.locs[key] = loc

    def loc_of(self, key: Any) -> Loc:
        return self.locs.get(key, self.loc)


class LocList(list):
    """A list whose `locs[i]` is where item i was written."""

    def __init__(self, loc: Loc) -> None:
        super().__init__()
        self.loc = loc
        self.locs: list[Loc] = []

    def put(self, value: Any, loc: Loc) -> None:
        self.append(value)
        self.locs.append(loc)

    def loc_of(self, index: int) -> Loc:
        return self.locs[index] if 0 <= index < len(self.locs) else self.loc


class LoadError(Exception):
    """Problems found while reading one file; each is (Loc, message)."""

    def __init__(self, problems: list[tuple[Loc, str]]) -> None:
        super().__init__("; ".join(f"{loc}: {msg}" for loc, msg in problems))
        self.problems = problems


def read_yaml(path: Path, display: str) -> Any:
    """Read one YAML file into LocDict/LocList/scalars, or raise LoadError naming the problem."""
    top = Loc(display, 1)
    if path.is_dir():
        raise LoadError([(top, "is a directory, not a scenario file")])
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise LoadError([(top, "file not found" + _did_you_mean(path, display))]) from None
    except OSError as exc:
        raise LoadError([(top, f"cannot read file: {exc.strerror}")]) from None
    if len(raw) > MAX_BYTES:
        raise LoadError([(top, f"file is larger than {MAX_BYTES} bytes")])
    if b"\x00" in raw:
        raise LoadError([(top, "is a binary file, not YAML text")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LoadError([(top, "is not UTF-8 text")]) from None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise LoadError([(top, "file is empty")])
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        start = exc.context_mark
        if exc.context and exc.problem and start is not None and start.line + 1 != line:
            # where the unclosed quote, bracket or block began: usually the line to fix
            what += f" ({exc.context} that starts on line {start.line + 1})"
        raise LoadError([(Loc(display, line), f"YAML syntax error: {what}")]) from None
    except yaml.YAMLError as exc:
        raise LoadError([(top, f"YAML error: {exc}")]) from None
    except RecursionError:
        raise LoadError([(top, "YAML nesting is too deep")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise LoadError([(top, "file is empty")])
    walker = _Walker(display, yaml.SafeLoader(""))
    value = walker.walk(node, 0)
    if walker.problems:
        raise LoadError(walker.problems)
    return value


def _did_you_mean(path: Path, display: str) -> str:
    """The closest name of an existing file of the same kind in that folder, as a hint."""
    folder = path.parent
    if not folder.is_dir():
        return ""
    names = [p.name for p in folder.iterdir() if p.suffix == path.suffix and p.is_file()]
    hint = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
    if not hint:
        return ""
    return f" (did you mean {str(Path(display).parent / hint[0])!r}?)"


class _Walker:
    def __init__(self, display: str, constructor: yaml.SafeLoader) -> None:
        self.display = display
        self.constructor = constructor
        self.nodes = 0
        self.problems: list[tuple[Loc, str]] = []

    def loc(self, node: yaml.Node) -> Loc:
        return Loc(self.display, node.start_mark.line + 1)

    def walk(self, node: yaml.Node, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise LoadError([(self.loc(node), "too many YAML nodes (alias expansion?)")])
        if depth > MAX_DEPTH:
            raise LoadError([(self.loc(node), f"nesting deeper than {MAX_DEPTH} levels")])
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _TREE_TAGS:
            self.problems.append((self.loc(node), f"unsupported YAML tag {node.tag!r}"))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            out = LocList(self.loc(node))
            for item in node.value:
                out.put(self.walk(item, depth + 1), self.loc(item))
            return out
        if node.tag not in _SCALAR_TAGS:
            self.problems.append((self.loc(node), f"unsupported YAML tag {node.tag!r}"))
            return None
        try:
            value = self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError):
            # e.g. 2025-13-45 matches YAML's timestamp pattern but is no date: kept as the text
            # written, so the format's check names it with its key path, beside every other
            # problem, instead of stopping the reading here
            return node.value
        if isinstance(value, _dt.datetime | _dt.date):
            return value.isoformat()
        return value

    def _mapping(self, node: yaml.MappingNode, depth: int) -> LocDict:
        try:
            self.constructor.flatten_mapping(node)
        except yaml.YAMLError as exc:
            self.problems.append((self.loc(node), f"invalid merge key: {exc}"))
        out = LocDict(self.loc(node))
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append((self.loc(key_node), "a key must be a plain value"))
                continue
            key = self.walk(key_node, depth + 1)
            if key in out:
                self.problems.append((self.loc(key_node), f"duplicate key {key!r}"))
                continue
            out.put(key, self.walk(value_node, depth + 1), self.loc(key_node))
        return out


def merge(base: Any, over: Any) -> Any:
    """Merge `over` onto `base`: mappings key by key, anything else replaced; None deletes."""
    if not (isinstance(base, LocDict) and isinstance(over, LocDict)):
        return over
    out = LocDict(over.loc)
    for key, value in base.items():
        out.put(key, value, base.loc_of(key))
    for key, value in over.items():
        if value is None:
            out.pop(key, None)
            out.locs.pop(key, None)
        elif key in out:
            out.put(key, merge(out[key], value), over.loc_of(key))
        else:
            out.put(key, value, over.loc_of(key))
    return out


def plain(value: Any) -> Any:
    """Strip location bookkeeping: plain dicts and lists, for validation and JSON."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def locate(tree: Any, path: tuple[Any, ...]) -> Loc | None:
    """The location of the deepest entry along `path` that exists in `tree`."""
    found: Loc | None = getattr(tree, "loc", None)
    node = tree
    for step in path:
        if isinstance(node, LocDict) and step in node:
            found = node.loc_of(step)
            node = node[step]
        elif isinstance(node, LocList) and isinstance(step, int) and 0 <= step < len(node):
            found = node.loc_of(step)
            node = node[step]
        else:
            break
    return found
