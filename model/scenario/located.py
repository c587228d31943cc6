"""Safe YAML loading that remembers where every key and item came from.

Error messages must name the file and line of the offending key, also after `extends`/`include`
have merged several files, so each mapping and list carries the location of each of its entries.
YAML is composed with PyYAML's safe loader (no object-constructing tags) and then walked here,
which is where the bounds on size, nesting and alias expansion are enforced.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 16_000_000
"""The largest scenario file read, by default: 16 MB, room for scenarios far larger than the
shipped ones (1 MB holds 30 actors x 351 issues). `load_scenario(max_bytes=...)` and
`sim --max-file-size MB` (or the environment's SIM_MAX_FILE_SIZE) set another. The bound is
there so that a wrong file named by mistake (a log, a data dump) is refused at once instead of
parsed for minutes."""
SIZE_SETTING = "--max-file-size MB or SIM_MAX_FILE_SIZE"
"""How a user raises the bound, named in the message that refuses a file."""
MAX_DEPTH = 40
MAX_NODES = 200_000
"""The nodes a file may expand to, or half its characters if more: text alone cannot write a
node in fewer than two, so only aliases (`*a` repeating `&a`) can exceed it."""

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
"""Characters no scenario text needs: C0/C1 controls (tab and newline apart), Unicode line
separators and lone surrogates. In a terminal they move the cursor, recolour or forge lines."""

_RAW_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
"""The same, as raw characters of a file (where a carriage return ends a line)."""

_CONTROL_NAMES = {
    0x00: "NUL",
    0x07: "bell",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x0D: "carriage return",
    0x1B: "escape",
    0x7F: "delete",
}

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")


def one_line(text: str) -> str:
    """`text` with every control character escaped (newline included): what a message prints
    is always exactly one line, and nothing in a file can move the cursor or forge a line."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]", _escape, text)


def printable(text: str) -> str:
    """`text` without the characters a terminal would act on (newlines and tabs kept): for
    titles and labels printed from a scenario, which may come from a file that did not load."""
    return _UNSAFE.sub("", text)


def _escape(match: re.Match[str]) -> str:
    return (
        repr(match.group())[1:-1] if ord(match.group()) < 0x100 else f"\\u{ord(match.group()):04x}"
    )


def describe_char(char: str) -> str:
    """`U+001B (escape)`: a character that cannot be shown, named."""
    name = _CONTROL_NAMES.get(ord(char))
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def dotted(path: tuple[Any, ...]) -> str:
    """A key path as `a.b.0.c`; a key that is not a plain name is quoted (a newline in it is
    escaped), so a key cannot pose as another path or as a second message line."""
    return ".".join(
        str(p)
        if isinstance(p, int) or (isinstance(p, str) and _PLAIN_KEY.fullmatch(p))
        else repr(p)
        for p in path
    )


_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

_TREE_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}

_STR = "tag:yaml.org,2002:str"
_MERGE_TAGS = {"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}
"""Keys that PyYAML's `flatten_mapping` rewrites (`<<` merges, `=` values)."""

_CLoader = getattr(yaml, "CSafeLoader", None)
"""libyaml's safe loader, absent when PyYAML was built without libyaml."""

_CONSTRUCT = yaml.constructor.SafeConstructor()
"""PyYAML's safe constructor, for the scalars that are not text and for merge keys (`<<`): its
methods used here keep no state."""

_SCALARS = {
    "tag:yaml.org,2002:int": _CONSTRUCT.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCT.construct_yaml_float,
    "tag:yaml.org,2002:bool": _CONSTRUCT.construct_yaml_bool,
    "tag:yaml.org,2002:null": _CONSTRUCT.construct_yaml_null,
    "tag:yaml.org,2002:timestamp": _CONSTRUCT.construct_yaml_timestamp,
}


@dataclass(frozen=True)
class Loc:
    """A place in a scenario file: what every problem message starts with."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{one_line(self.file)}:{self.line}"


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


class Unreadable(Exception):
    """Why a file cannot be read, worded for the person who named it."""

    def __init__(self, message: str, missing: bool = False, too_large: bool = False) -> None:
        super().__init__(message)
        self.missing = missing
        self.too_large = too_large


def megabytes(size: int) -> str:
    """`16 MB`, `1.5 MB`: a size as a user would write it."""
    return f"{size / 1e6:.3g} MB"


def read_bounded(path: Path, limit: int, noun: str = "scenario file") -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or Unreadable.

    A device, pipe or socket is refused before it is opened for reading (`/dev/zero` never
    ends, a FIFO may never answer), and no more than `limit` + 1 bytes are ever read.
    """
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise Unreadable(f"is a directory, not a {noun}")
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(f"is not a regular file (a device, pipe or socket), not a {noun}")
        if info.st_size > limit:
            raise _too_large(info.st_size, limit)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped since the stat above
                raise Unreadable(f"is not a regular file, not a {noun}")
            chunks, size = [], 0
            while size <= limit:
                chunk = os.read(fd, limit + 1 - size)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise Unreadable("file not found", missing=True) from None
    except ValueError:
        raise Unreadable("the file name holds a NUL byte") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Unreadable("symbolic link loop") from None
        if exc.errno == errno.ENAMETOOLONG:
            raise Unreadable("file name too long") from None
        raise Unreadable(f"cannot read file: {exc.strerror or exc}") from None
    raw = b"".join(chunks)
    if len(raw) > limit:
        raise _too_large(len(raw), limit)
    return raw


def _too_large(size: int, limit: int) -> Unreadable:
    return Unreadable(
        f"the file is {megabytes(size)}, larger than the limit of {megabytes(limit)}",
        too_large=True,
    )


def _utf16(raw: bytes) -> bool:
    """UTF-16 or UTF-32 text (what some Windows editors save): a byte-order mark, or ASCII
    letters each paired with a NUL."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = raw[:200]
    return len(head) >= 4 and (not any(head[1::2]) or not any(head[0::2]))


def read_yaml(path: Path, display: str, max_bytes: int = MAX_BYTES) -> Any:
    """Read one YAML file of at most `max_bytes` into LocDict/LocList/scalars, or raise
    LoadError naming the problem."""
    top = Loc(display, 1)
    try:
        raw = read_bounded(path, max_bytes)
    except Unreadable as exc:
        hint = _did_you_mean(path, display) if exc.missing else ""
        if exc.too_large:
            hint = f" for a scenario file (raise it with {SIZE_SETTING})"
        raise LoadError([(top, f"{exc}{hint}")]) from None
    if _utf16(raw):
        raise LoadError([(top, "is UTF-16 text: save the file as UTF-8")])
    if b"\x00" in raw:
        raise LoadError([(top, "is a binary file, not YAML text")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise LoadError(
            [(Loc(display, line), "is not UTF-8 text: save the file as UTF-8")]
        ) from None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise LoadError([(top, "file is empty")])
    # YAML refuses control characters with a traceback-like message and no key: read them as
    # spaces, then name each one with the key whose value held it
    bad = {m.start(): m.group() for m in _RAW_UNSAFE.finditer(text)}
    if bad:
        text = _RAW_UNSAFE.sub(" ", text)
    node = _compose(text, display)
    if node is None:
        raise LoadError([(top, "file is empty")])
    walker = _Walker(display, bad, max(MAX_NODES, len(text) // 2))
    value = walker.walk(node, 0, ())
    for index, char in walker.bad.items():  # in a comment, or between keys
        line = text.count("\n", 0, index) + 1
        walker.problems.append(
            (Loc(display, line), f"control character {describe_char(char)}: remove it")
        )
    if walker.problems:
        raise LoadError(walker.problems)
    return value


def _compose(text: str, display: str) -> yaml.Node | None:
    """The document's node tree, composed by libyaml (C) when PyPI's PyYAML was built with it.

    libyaml and PyYAML's pure-Python parser give the same nodes with the same marks; they word
    errors differently, so a document libyaml refuses is composed again in Python, which either
    reads it (libyaml is stricter in a few corners) or words the error as this module always has.
    """
    if _CLoader is not None:
        loader = _CLoader(text)
        try:
            return loader.get_single_node()
        except (yaml.YAMLError, RecursionError):
            pass
        finally:
            loader.dispose()
    top = Loc(display, 1)
    loader = yaml.SafeLoader(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        start = exc.context_mark
        if exc.context and exc.problem and start is not None and start.line + 1 != line:
            # where the unclosed quote, bracket or block began: usually the line to fix
            what += f" ({exc.context} that starts on line {start.line + 1})"
        raise LoadError([(Loc(display, line), f"YAML syntax error: {one_line(what)}")]) from None
    except yaml.YAMLError as exc:
        raise LoadError([(top, f"YAML error: {one_line(str(exc))}")]) from None
    except RecursionError:
        raise LoadError([(top, "YAML nesting is too deep")]) from None
    finally:
        loader.dispose()


def _did_you_mean(path: Path, display: str) -> str:
    """The closest name of an existing file of the same kind in that folder, as a hint."""
    folder = path.parent
    try:
        names = [p.name for p in folder.iterdir() if p.suffix == path.suffix and p.is_file()]
    except (OSError, ValueError):
        return ""
    hint = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
    if not hint:
        return ""
    return f" (did you mean {str(Path(display).parent / hint[0])!r}?)"


class _Walker:
    def __init__(self, display: str, bad: dict[int, str], max_nodes: int) -> None:
        self.display = display
        self.nodes = 0
        self.max_nodes = max_nodes
        self.problems: list[tuple[Loc, str]] = []
        self.bad = bad  # where the text held a control character (read as a space)
        self.locs: dict[int, Loc] = {}  # one Loc a line, shared by every node on it

    def loc(self, node: yaml.Node) -> Loc:
        line = node.start_mark.line + 1
        found = self.locs.get(line)
        if found is None:
            found = self.locs[line] = Loc(self.display, line)
        return found

    def problem(self, node: yaml.Node, path: tuple[Any, ...], message: str) -> None:
        self.problems.append((self.loc(node), f"{dotted(path)}: {message}" if path else message))

    def walk(self, node: yaml.Node, depth: int, path: tuple[Any, ...]) -> Any:
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise LoadError([(self.loc(node), "too many YAML nodes (alias expansion?)")])
        if depth > MAX_DEPTH:
            raise LoadError([(self.loc(node), f"nesting deeper than {MAX_DEPTH} levels")])
        tag = node.tag
        if node.__class__ is not yaml.ScalarNode:
            if tag not in _TREE_TAGS:
                self.problem(node, path, f"unsupported YAML tag {one_line(tag)!r}")
                return None
            if node.__class__ is yaml.MappingNode:
                return self._mapping(node, depth, path)
            out = LocList(self.loc(node))
            for n, item in enumerate(node.value):
                out.put(self.walk(item, depth + 1, (*path, n)), self.loc(item))
            return out
        if tag not in _SCALAR_TAGS:
            self.problem(node, path, f"unsupported YAML tag {one_line(tag)!r}")
            return None
        if self.bad:
            for index in range(node.start_mark.index, node.end_mark.index):
                if index in self.bad:
                    char = self.bad.pop(index)
                    self.problem(node, path, f"control character {describe_char(char)}: remove it")
        if tag == _STR:
            value = node.value
            # most text is printable, which rules out every character `_UNSAFE` looks for
            if not value.isprintable() and _UNSAFE.search(value):
                return self._unsafe(node, path, value)
            return value
        try:
            value = _SCALARS[tag](node)
        except (yaml.YAMLError, ValueError, OverflowError):
            # e.g. 2025-13-45 matches YAML's timestamp pattern but is no date: kept as the text
            # written, so the format's check names it with its key path, beside every other
            # problem, instead of stopping the reading here
            return node.value
        if isinstance(value, _dt.datetime | _dt.date):
            return value.isoformat()
        return value

    def _unsafe(self, node: yaml.Node, path: tuple[Any, ...], value: str) -> str:
        """Text holding a character no scenario needs: named, and replaced."""
        char = _UNSAFE.search(value).group()  # type: ignore[union-attr]
        if "\ud800" <= char <= "\udfff":
            msg = f"a lone surrogate {describe_char(char)} is not a character: write the "
            msg += "character itself"
        else:
            msg = f"control character {describe_char(char)}: remove it"
        self.problem(node, path, msg)
        return _UNSAFE.sub("\ufffd", value)

    def _mapping(self, node: yaml.MappingNode, depth: int, path: tuple[Any, ...]) -> LocDict:
        try:
            if any(key.tag in _MERGE_TAGS for key, _ in node.value):
                _CONSTRUCT.flatten_mapping(node)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = Loc(self.display, mark.line + 1) if mark else self.loc(node)
            what = one_line(exc.problem or exc.context or "invalid")
            self.problems.append((where, f"invalid merge key '<<': {what}"))
        except yaml.YAMLError:
            self.problem(node, path, "invalid merge key '<<'")
        out = LocDict(self.loc(node))
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, path, "a key must be a plain value")
                continue
            key = self.walk(key_node, depth + 1, path)
            if key in out:
                self.problem(key_node, path, f"duplicate key {key!r}")
                continue
            out.put(key, self.walk(value_node, depth + 1, (*path, key)), self.loc(key_node))
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
