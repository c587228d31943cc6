"""Scenario file -> validated `Scenario`, or every problem found, each with file and line.

Reading happens in three passes so that a user sees all problems at once: resolve `extends` and
`include` into one located tree; check its structure against `schema.ScenarioSpec`; then check
what only the whole scenario can tell (references, ranges, red lines, seed quotes) while building
the `scenario` objects.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import gc
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from model.scenario.checker import plainly_valid
from model.scenario.dated import fold, latest, stake_on
from model.scenario.located import (
    MAX_BYTES,
    LoadError,
    Loc,
    LocDict,
    LocList,
    dotted,
    locate,
    merge,
    plain,
    read_yaml,
)
from model.scenario.messages import Problem, ScenarioError, model_at, problem_from
from model.scenario.seeds import SeedLibrary, find_seeds_dir
from model.scenario.types import (
    MODIFIED,
    Actor,
    Condition,
    Issue,
    ModelSettings,
    Option,
    Proposal,
    Provision,
    Reaction,
    RedLine,
    Scenario,
    Source,
    Spread,
    Stake,
    StakeChange,
    StatusQuoChange,
    Uncertainty,
)


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def split_spec(spec: str) -> tuple[str, str | None]:
    """`FILE` or `FILE:PROPOSAL_ID` into the file and the proposal's id (None for `FILE`); a
    path that exists as written is a file, colon or not."""
    path, _, pid = spec.rpartition(":")
    if path and Path(path).is_file() and not Path(spec).exists():
        return path, pid
    return spec, None


MAX_CHAIN = 32
"""How many files deep `extends`/`include` may go."""
MAX_LOADS = 500
"""How many `extends`/`include` one scenario may follow in all (each file is parsed once)."""


def project_folder(path: Path) -> Path:
    """The project a file belongs to: the nearest folder at or above its own that holds
    `seeds/`, else its own folder."""
    start = Path(os.path.realpath(path)).parent
    seeds = find_seeds_dir(start)
    return seeds.parent if seeds is not None else start


def readable_roots(path: Path) -> tuple[Path, ...]:
    """The folders a scenario's `extends` and `include` may read from: its own project, and
    the project the command runs in (the nearest folder at or above the working folder holding
    `seeds/`), so a what-if kept elsewhere can extend the project's scenarios. A scenario from
    elsewhere cannot read, and quote in an error, any other file (a key, a password file)."""
    roots = [project_folder(path)]
    here = find_seeds_dir(Path(os.path.realpath(os.getcwd())))
    if here is not None:
        roots.append(here.parent)
    return tuple(roots)


def load_scenario(
    path: str | os.PathLike[str],
    seeds: str | os.PathLike[str] | None = None,
    allow_outside: bool = False,
    max_bytes: int = MAX_BYTES,
) -> Scenario:
    """Read, merge and validate a scenario file; raise ScenarioError listing every problem.

    `extends` and `include` stay inside `readable_roots(path)` unless `allow_outside`; no file
    larger than `max_bytes` is read.
    """
    with _no_cycle_collection():
        return _load(Path(path), seeds, allow_outside, max_bytes)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a file becomes a tree (and restored after).

    Reading builds hundreds of thousands of small containers, none in a cycle that outlives the
    reading; each run of the collector walks all of them again, which made loading a 1 MB file
    take four times as long as building it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(
    path: Path, seeds: str | os.PathLike[str] | None, allow_outside: bool, max_bytes: int
) -> Scenario:
    problems: list[Problem] = []
    try:
        roots = None if allow_outside else readable_roots(path)
    except (OSError, ValueError):
        roots = ()  # the scenario itself cannot be read: read_yaml says why
    tree = _Resolver(roots, problems, max_bytes).resolve(path, ())
    if tree is None:
        raise ScenarioError(problems)
    resolved_cleanly = not problems
    broken = _check_structure(tree, problems, report_missing=resolved_cleanly)
    library = SeedLibrary(Path(seeds) if seeds is not None else None)
    scenario = _Builder(tree, path, library, problems, broken).build()
    if problems:
        raise ScenarioError(problems)
    return scenario


def _shown(ref: str) -> str:
    return ref if len(ref) <= 80 else ref[:77] + "..."


@dataclass
class _Resolver:
    """Follows `extends` and `include`: each file parsed once however often it is named (a file
    including the next twice, sixteen deep, is 17 reads, not 65,536), within bounds."""

    roots: tuple[Path, ...] | None
    problems: list[Problem]
    max_bytes: int = MAX_BYTES
    done: dict[Path, LocDict | None] = field(default_factory=dict)
    loads: int = 0

    def target(self, path: Path, ref: str) -> tuple[Path | None, str | None]:
        """The file `ref` names from `path`, or why it cannot be read."""
        if "\x00" in ref:
            return None, "the file name holds a NUL byte"
        try:
            target = Path(os.path.realpath(path.parent / ref))
            mode = os.stat(target).st_mode
        except FileNotFoundError:
            return None, f"file not found: {_shown(ref)}"
        except (OSError, ValueError) as exc:
            number = getattr(exc, "errno", None)
            why = {errno.ELOOP: "symbolic link loop", errno.ENAMETOOLONG: "file name too long"}
            return None, f"{_shown(ref)!r}: {why.get(number, 'cannot be read')}"
        if self.roots is not None and not any(target.is_relative_to(r) for r in self.roots):
            return None, (
                f"{_shown(ref)!r} lies outside the project folder {self.roots[0]} (the folder "
                "holding seeds/, else the scenario's own): not read; --allow-outside reads it"
            )
        if not stat.S_ISREG(mode):  # a folder, or a device or pipe that may never end
            return None, f"{_shown(ref)!r} is not a regular file"
        return target, None

    def resolve(self, path: Path, stack: tuple[Path, ...]) -> LocDict | None:
        """Load one file with its `extends` and `include` merged in, or None if it is unusable."""
        display = display_path(path)
        try:
            tree = read_yaml(path, display, self.max_bytes)
        except LoadError as exc:
            self.problems.extend(Problem(loc, msg) for loc, msg in exc.problems)
            return None
        if not isinstance(tree, LocDict):
            self.problems.append(
                Problem(Loc(display, 1), "a scenario file must be a mapping of keys")
            )
            return None
        here = Path(os.path.realpath(path))
        base: LocDict = LocDict(tree.loc)
        parents: list[tuple[str, Any]] = []
        if "extends" in tree:
            parents.append(("extends", tree["extends"]))
        includes = tree.get("include", [])
        if isinstance(includes, list):
            parents.extend(("include", inc) for inc in includes)
        for index, (key, ref) in enumerate(parents):
            loc = tree.loc_of(key)
            if isinstance(includes, LocList) and key == "include":
                loc = includes.loc_of(index - ("extends" in tree))
            if not isinstance(ref, str):
                continue  # reported by the structure check
            target, why = self.target(path, ref)
            if target is None:
                self.problems.append(Problem(loc, f"{key}: {why}"))
                continue
            if target in stack or target == here:
                chain = " -> ".join(display_path(p) for p in (*stack, here, target))
                self.problems.append(Problem(loc, f"{key}: cycle: {chain}"))
                continue
            if len(stack) + 1 >= MAX_CHAIN:
                self.problems.append(
                    Problem(loc, f"{key}: more than {MAX_CHAIN} files deep: not followed")
                )
                continue
            self.loads += 1
            if self.loads > MAX_LOADS:
                if self.loads == MAX_LOADS + 1:
                    self.problems.append(
                        Problem(loc, f"{key}: more than {MAX_LOADS} extends/include in all")
                    )
                continue
            if target not in self.done:
                self.done[target] = self.resolve(target, (*stack, here))
            sub = self.done[target]
            if sub is not None:
                base = merge(base, sub)
        own = LocDict(tree.loc)
        for key, value in tree.items():
            if key not in ("extends", "include"):
                own.put(key, value, tree.loc_of(key))
        merged = merge(base, own)
        for key in ("extends", "include"):  # kept for the structure check of this file
            if key in tree:
                merged.put(key, tree[key], tree.loc_of(key))
        return merged


def _check_structure(
    tree: LocDict, problems: list[Problem], report_missing: bool
) -> set[tuple[Any, ...]]:
    """Check the tree against the format; return the paths of the entries that broke it.

    A key missing after a failed `extends`/`include` is a consequence, not a second problem,
    so it is only reported when every file resolved.
    """
    if plainly_valid(tree):
        return set()
    raw = plain(tree)
    # something is (or may be) wrong: pydantic decides, and its errors are worded for the user
    from pydantic import ValidationError

    from model.scenario import schema

    try:
        schema.ScenarioSpec.model_validate(raw)
    except ValidationError as exc:
        broken = set()
        for err in exc.errors(include_url=False):
            loc = tuple(p for p in err["loc"] if p != "[key]")
            broken.add(loc)
            if err["type"] != "missing" or report_missing:
                problems.append(problem_from(err, tree))
        problems.extend(_skipped_checks(tree, raw, broken))
        return broken
    return set()


def _skipped_checks(tree: LocDict, raw: Any, broken: set[tuple[Any, ...]]) -> list[Problem]:
    """The checks on a whole entry (a red line needs a bound) that pydantic skipped because a
    field of that entry failed: run on the mapping as written, so that they are reported in the
    same pass instead of one fix later."""
    out = []
    inside = {loc[:n] for loc in broken for n in range(len(loc))} - broken
    for path in sorted(inside, key=lambda p: tuple(map(str, p))):
        model, node = model_at(path), _node(raw, path)
        if model is None or not isinstance(node, dict):
            continue
        entry = model.model_construct(**node)
        for name, dec in model.__pydantic_decorators__.model_validators.items():
            if dec.info.mode != "after":
                continue
            try:
                getattr(entry, name)()
            except ValueError as exc:
                out.append(Problem(locate(tree, path) or tree.loc, f"{dotted(path)}: {exc}"))
            except Exception:  # noqa: BLE001 - a field of the wrong type: reported already
                continue
    return out


def _files_in(node: Any) -> set[str]:
    """The files that wrote the keys and items of a located subtree."""
    if isinstance(node, LocDict):
        locs, values = list(node.locs.values()), list(node.values())
    elif isinstance(node, LocList):
        locs, values = node.locs, list(node)
    else:
        return set()
    out = {loc.file for loc in locs}
    for value in values:
        out |= _files_in(value)
    return out


def _node(raw: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        try:
            raw = raw[step]
        except (KeyError, IndexError, TypeError):
            return None
    return raw


_ISSUE_CORE = ("label", "options", "range", "unit", "status_quo")
"""What an issue cannot be built without; a broken source or later change leaves it usable."""


def _valid_list(raw: Any) -> list[Any]:
    """The mappings of a list the format may have found wrong (a source that is not one)."""
    return [x for x in raw if isinstance(x, dict)] if isinstance(raw, list) else []


def _central(raw: Any) -> Any:
    """The stated value of a number that may carry a spread (`{value: 80, sd: 10}`)."""
    value = raw.get("value") if isinstance(raw, dict) else raw
    return float(value) if isinstance(value, int | float) else value


def _spread(raw: Any) -> Spread | None:
    if not isinstance(raw, dict):
        return None
    rng = raw.get("range")
    if raw.get("sd") is None and rng is None:
        return None
    lo, hi = (float(v) for v in rng) if rng else (None, None)
    return Spread(raw.get("sd"), lo, hi)


def _settings(defaults: Any, spec: dict[str, Any]) -> Any:
    """The settings written (`model:`, `uncertainty:`) over their defaults: the structure check
    passed them, so only a whole number given for a fraction is made a float."""
    given = {
        key: float(value) if isinstance(getattr(defaults, key), float) else value
        for key, value in plain(spec).items()
    }
    return replace(defaults, **given)


class _Builder:
    """Turns a structurally valid tree into `Scenario`, recording cross-reference problems."""

    def __init__(
        self,
        tree: LocDict,
        path: Path,
        seeds: SeedLibrary,
        problems: list[Problem],
        broken: set[tuple[Any, ...]],
    ):
        self.tree = tree
        self.broken = broken
        # every path at or above a broken entry: `is_broken` is one lookup, not a scan of all
        # (a file with thousands of problems asks it tens of thousands of times)
        self.above_broken = {loc[:n] for loc in broken for n in range(len(loc) + 1)}
        self.path = path
        self.seeds = seeds
        self.problems = problems
        self.issues: dict[str, Issue] = {}

    def fail(self, at: tuple[Any, ...], message: str) -> None:
        self.problems.append(
            Problem(locate(self.tree, at) or self.tree.loc, f"{dotted(at)}: {message}")
        )

    def is_broken(self, path: tuple[Any, ...]) -> bool:
        """True if the structure check found a problem at or below `path`."""
        return path in self.above_broken

    def is_broken_at(self, path: tuple[Any, ...], keys: tuple[str, ...]) -> bool:
        """True if the entry at `path` is broken as a whole or at one of its `keys`: the parts
        it cannot be built without. A problem elsewhere in it (a source, a later change) must
        not hide what the rest of the file gets wrong, so the rest is still built and checked."""
        return path in self.broken or any(self.is_broken((*path, k)) for k in keys)

    def entries(self, key: str) -> list[tuple[str, dict[str, Any]]]:
        """The entries of a top-level section that can be built (broken parts are reported)."""
        section = self.tree.get(key)
        if not isinstance(section, dict):
            return []
        return [
            (k, v)
            for k, v in section.items()
            if isinstance(v, dict)
            and (key != "issues" or not self.is_broken_at((key, k), _ISSUE_CORE))
        ]

    def children(
        self, path: tuple[Any, ...], spec: dict[str, Any], key: str, whole: bool = True
    ) -> list[Any]:
        """The entries of a sub-mapping such as an actor's stakes: the well-formed ones, or with
        `whole` False every mapping (the builder then checks what it can of a broken one)."""
        sub = spec.get(key)
        if not isinstance(sub, dict):
            return []
        return [
            (k, v)
            for k, v in sub.items()
            if not self.is_broken((*path, key, k)) or (not whole and isinstance(v, dict))
        ]

    def build(self) -> Scenario:
        t = self.tree
        for iid, spec in self.entries("issues"):
            issue = self.issue(iid, spec)
            if issue is not None:
                self.issues[iid] = issue
        actors = {aid: self.actor(aid, spec) for aid, spec in self.entries("actors")}
        proposals = {pid: self.proposal(pid, spec) for pid, spec in self.entries("proposals")}
        model_spec = t.get("model")
        ok = isinstance(model_spec, dict) and not self.is_broken(("model",))
        model = self.model(model_spec if ok else {})
        scenario = Scenario(
            name=self.path.stem,
            title=t.get("title") or self.path.stem,
            description=t.get("description"),
            issues=self.issues,
            actors=actors,
            proposals=proposals,
            model=model,
            path=display_path(self.path),
            uncertainty=self.uncertainty(t.get("uncertainty")),
        )
        return replace(scenario, as_of=latest(scenario))

    def uncertainty(self, spec: Any) -> Uncertainty:
        if not isinstance(spec, dict) or self.is_broken(("uncertainty",)):
            return Uncertainty()
        return _settings(Uncertainty(), spec)

    def sources(self, at: tuple[Any, ...], specs: Any) -> tuple[Source, ...]:
        out = []
        for n, spec in enumerate(specs if isinstance(specs, list) else []):
            if not isinstance(spec, dict):
                continue  # a bare string or number: the structure check named it
            src = Source(**{k: spec.get(k) for k in ("doc", "quote", "url", "note")})
            if isinstance(src.doc, str) and isinstance(src.quote or "", str):
                # (a doc or quote of another type is named by the structure check)
                loc = locate(self.tree, (*at, n))
                wrong = self.seeds.check(src.doc, src.quote or "", Path(loc.file) if loc else None)
                if wrong:
                    self.fail((*at, n, "quote" if "not found in" in wrong else "doc"), wrong)
            out.append(src)
        return tuple(out)

    def issue(self, iid: str, spec: dict[str, Any]) -> Issue | None:
        at = ("issues", iid)
        sources = self.sources((*at, "sources"), spec.get("sources"))
        if spec.get("options") is not None:
            options = self.options(at, spec["options"])
            if options is None:
                return None
            lo, hi, kind, unit = 0.0, 100.0, "ordinal", spec.get("unit")
        else:
            lo, hi = (float(v) for v in spec["range"])
            options, kind, unit = (), "numeric", spec["unit"]
        issue = Issue(
            iid, spec["label"], kind, lo, hi, 0.0, options, unit, spec.get("description"), sources
        )
        labels = []
        for n, entry in enumerate(spec.get("labels") or []):
            if self.is_broken((*at, "labels", n)):
                continue
            value = self.value(issue, (*at, "labels", n, "value"), entry["value"])
            if value is not None:
                labels.append((value, entry["label"]))
        sq = self.value(issue, (*at, "status_quo"), spec["status_quo"])
        changes = []
        for n, cspec in enumerate(spec.get("changes") or []):
            if self.is_broken((*at, "changes", n)):
                continue
            value = self.value(issue, (*at, "changes", n, "status_quo"), cspec["status_quo"])
            if value is not None:
                sources = self.sources((*at, "changes", n, "sources"), cspec.get("sources"))
                changes.append(StatusQuoChange(cspec["date"], value, sources, cspec.get("note")))
        self.check_dates((*at, "changes"), spec.get("changes") or [])
        first = sq if sq is not None else lo
        return replace(
            issue,
            status_quo=changes[-1].status_quo if changes else first,
            value_labels=tuple(labels),
            changes=tuple(changes),
            initial_status_quo=first if changes else None,
            keywords=tuple(spec.get("keywords") or ()),
        )

    def options(
        self, at: tuple[Any, ...], specs: list[dict[str, Any]]
    ) -> tuple[Option, ...] | None:
        seen: set[str] = set()
        for n, spec in enumerate(specs):
            if spec["id"] in seen:
                self.fail((*at, "options", n, "id"), f"duplicate option id {spec['id']!r}")
                return None
            seen.add(spec["id"])
        given = [spec.get("value") for spec in specs]
        last = len(specs) - 1
        anchors = {0: 0.0, last: 100.0}
        anchors.update({n: float(v) for n, v in enumerate(given) if v is not None})
        keys = sorted(anchors)
        values = []
        for n in range(len(specs)):
            left = max(k for k in keys if k <= n)
            right = min(k for k in keys if k >= n)
            if left == right:
                values.append(anchors[n])
            else:
                frac = (n - left) / (right - left)
                values.append(anchors[left] + frac * (anchors[right] - anchors[left]))
        for n in range(1, len(values)):
            if values[n] <= values[n - 1]:
                self.fail(
                    (*at, "options", n, "value"),
                    "option values must increase along the list",
                )
                return None
        return tuple(
            Option(s["id"], s["label"], v, tuple(s.get("keywords") or ()))
            for s, v in zip(specs, values, strict=True)
        )

    def value(self, issue: Issue, at: tuple[Any, ...], raw: Any) -> float | None:
        """An option id or number, resolved on the issue's scale (None and a problem if bad)."""
        if issue.kind == "ordinal":
            if not isinstance(raw, str):
                ids = ", ".join(o.id for o in issue.options)
                self.fail(
                    at,
                    f"expected an option id of issue {issue.id!r} ({ids}), got {raw!r}",
                )
                return None
            for opt in issue.options:
                if opt.id == raw:
                    return opt.value
            ids = [o.id for o in issue.options]
            named = [o.id for o in issue.options if o.label.casefold() == raw.casefold()]
            if named:
                self.fail(
                    at,
                    f"{raw!r} is the label of option {named[0]!r} of issue {issue.id!r}: "
                    f"write its id, {named[0]}",
                )
                return None
            hint = difflib.get_close_matches(raw, ids, n=1, cutoff=0.5)
            extra = f" (did you mean {hint[0]!r}?)" if hint else f"; options: {', '.join(ids)}"
            self.fail(at, f"unknown option {raw!r} of issue {issue.id!r}{extra}")
            return None
        if isinstance(raw, str):
            self.fail(
                at,
                f"issue {issue.id!r} is numeric ({issue.unit}): expected a number, got {raw!r}",
            )
            return None
        if not issue.lo <= raw <= issue.hi:
            self.fail(
                at,
                f"{raw:g} is outside the range of issue {issue.id!r} "
                f"[{issue.lo:g}, {issue.hi:g}] {issue.unit}",
            )
            return None
        return float(raw)

    def known_issue(self, at: tuple[Any, ...], iid: str) -> Issue | None:
        if iid in self.issues:
            return self.issues[iid]
        known = self.tree.get("issues")
        known = list(known) if isinstance(known, dict) else []
        if iid in known:
            return None  # the issue itself is broken and already reported
        hint = difflib.get_close_matches(iid, known, n=1, cutoff=0.6)
        self.fail(
            at,
            f"unknown issue {iid!r}" + (f" (did you mean {hint[0]!r}?)" if hint else ""),
        )
        return None

    def actor(self, aid: str, spec: dict[str, Any]) -> Actor:
        at = ("actors", aid)
        stakes = {}
        for iid, sspec in self.children(at, spec, "stakes", whole=False):
            issue = self.known_issue((*at, "stakes", iid), iid)
            if issue is None:
                continue
            stake = self.stake(issue, (*at, "stakes", iid), sspec)
            if stake is not None:
                stakes[iid] = stake
        return Actor(
            aid,
            str(spec.get("name", aid)),
            _central(spec.get("capability", 1.0))
            if not self.is_broken((*at, "capability"))
            else 1.0,
            stakes,
            self.sources((*at, "sources"), spec.get("sources")),
            spec.get("note"),
            _spread(spec.get("capability")),
            tuple(spec.get("speakers") or ()),
        )

    def stake(self, issue: Issue, at: tuple[Any, ...], spec: dict[str, Any]) -> Stake | None:
        """The stake, or None with its problems reported; a stake broken in one part (a salience
        of `high`, no sources) still has its other parts checked."""
        position = None
        raw = spec.get("position")
        if raw is not None and not self.is_broken((*at, "position")):
            pos_at = (*at, "position", "value") if isinstance(raw, dict) else (*at, "position")
            position = self.value(issue, pos_at, _central(raw))
        red_line = None
        if isinstance(spec.get("red_line"), dict) and not self.is_broken((*at, "red_line")):
            red_line = self.red_line(issue, (*at, "red_line"), spec["red_line"])
        sources = self.sources((*at, "sources"), _valid_list(spec.get("sources")))
        if position is None or self.is_broken(at):
            for n, cspec in enumerate(spec.get("changes") or []):
                if isinstance(cspec, dict) and not self.is_broken((*at, "changes", n)):
                    self.stake_change(issue, (*at, "changes", n), cspec)
            return None
        if red_line is not None and red_line.crossed_by(position):
            self.fail(
                (*at, "position"),
                f"the actor's own ideal {spec['position']!r} crosses its "
                f"red line ({red_line.text})",
            )
        stake = Stake(
            issue.id,
            position,
            _central(spec["salience"]),
            red_line,
            sources,
            spec.get("note"),
            _spread(raw),
            _spread(spec["salience"]),
        )
        changes = []
        for n, cspec in enumerate(spec.get("changes") or []):
            if self.is_broken((*at, "changes", n)):
                continue
            change = self.stake_change(issue, (*at, "changes", n), cspec)
            if change is not None:
                changes.append(change)
        self.check_dates((*at, "changes"), spec.get("changes") or [])
        if changes:  # the stake holds the latest stance, and keeps the earliest and the changes
            first = StakeChange(
                "",
                stake.position,
                stake.salience,
                stake.red_line,
                stake.red_line is None,
                stake.sources,
                stake.note,
                stake.position_spread,
                stake.salience_spread,
            )
            stake = replace(
                fold(stake, tuple(changes), None), changes=tuple(changes), initial=first
            )
        for n, change in enumerate(changes):
            now = stake_on(stake, change.date)
            if now.red_line is not None and not now.red_line.unless:
                if now.red_line.crossed_by(now.position):
                    self.fail(
                        (*at, "changes", n),
                        f"from {change.date} the actor's own ideal "
                        f"{issue.describe(now.position)!r} crosses its red line "
                        f"({now.red_line.text})",
                    )
        return stake

    def check_dates(self, at: tuple[Any, ...], specs: list[Any]) -> None:
        """Changes come oldest first, one a date."""
        dates = [c.get("date") for c in specs if isinstance(c, dict)]
        for n in range(1, len(dates)):
            a, b = dates[n - 1], dates[n]
            if isinstance(a, str) and isinstance(b, str):
                if b == a:
                    self.fail((*at, n, "date"), f"two changes on one date ({b})")
                elif b < a:
                    self.fail(
                        (*at, n, "date"),
                        f"{b} is dated before the previous change ({a}): list changes oldest first",
                    )

    def stake_change(
        self, issue: Issue, at: tuple[Any, ...], spec: dict[str, Any]
    ) -> StakeChange | None:
        position = None
        if spec.get("position") is not None:
            raw = spec["position"]
            pos_at = (*at, "position", "value") if isinstance(raw, dict) else (*at, "position")
            position = self.value(issue, pos_at, _central(raw))
            if position is None:
                return None
        red_line = None
        if spec.get("red_line") is not None:
            red_line = self.red_line(issue, (*at, "red_line"), spec["red_line"])
        salience = spec.get("salience")
        return StakeChange(
            spec["date"],
            position,
            None if salience is None else _central(salience),
            red_line,
            "red_line" in spec and spec["red_line"] is None,
            self.sources((*at, "sources"), spec.get("sources")),
            spec.get("note"),
            _spread(spec.get("position")),
            _spread(salience),
        )

    def conditions(
        self, issue: Issue, at: tuple[Any, ...], specs: list[dict[str, Any]]
    ) -> tuple[Condition, ...]:
        out = []
        for n, cspec in enumerate(specs):
            cat = (*at, n)
            other = self.known_issue((*cat, "issue"), cspec["issue"])
            if other is None:
                continue
            if other.id == issue.id:
                self.fail((*cat, "issue"), "a red line's condition must be on another issue")
                continue
            bounds, words = self.bounds(other, cat, cspec, ("at_least", "at_most"))
            among = None
            if cspec.get("in") is not None:
                values = [self.value(other, (*cat, "in", k), o) for k, o in enumerate(cspec["in"])]
                among = frozenset(v for v in values if v is not None)
                words.append("one of " + ", ".join(repr(other.describe(v)) for v in sorted(among)))
            text = f"{other.label} {' and '.join(words)}"
            out.append(Condition(other.id, bounds["at_least"], bounds["at_most"], among, text))
        return tuple(out)

    def bounds(
        self, issue: Issue, at: tuple[Any, ...], spec: dict[str, Any], keys: tuple[str, ...]
    ) -> tuple[dict[str, float | None], list[str]]:
        """The bounds a red line or a condition states on `issue` (`at_most`, `at_least`: an
        option id or a number), resolved on its scale, and their words in `keys`' order."""
        found: dict[str, float | None] = {}
        words = []
        for key in keys:
            found[key] = None
            if spec.get(key) is not None:
                found[key] = self.value(issue, (*at, key), spec[key])
                if found[key] is not None:
                    words.append(f"{key.replace('_', ' ')} {issue.describe(found[key])!r}")
        return found, words

    def red_line(self, issue: Issue, at: tuple[Any, ...], spec: dict[str, Any]) -> RedLine | None:
        bounds, parts = self.bounds(issue, at, spec, ("at_most", "at_least"))
        rejects: set[float] = set()
        for n, oid in enumerate(spec.get("rejects") or []):
            if issue.kind != "ordinal":
                self.fail(
                    (*at, "rejects"),
                    "'rejects' applies to ordinal issues; use "
                    "'at_most'/'at_least' on a numeric issue",
                )
                break
            value = self.value(issue, (*at, "rejects", n), oid)
            if value is not None:
                rejects.add(value)
        if rejects:
            parts.append("rejects " + ", ".join(repr(issue.describe(v)) for v in sorted(rejects)))
        lo, hi = bounds["at_least"], bounds["at_most"]
        if lo is not None and hi is not None and lo > hi:
            self.fail(at, "'at_least' lies above 'at_most': no value is acceptable")
        sources = self.sources((*at, "sources"), spec.get("sources"))
        unless = self.conditions(issue, (*at, "unless"), spec.get("unless") or [])
        text = "; ".join(parts)
        if unless:
            text += " unless " + " and ".join(c.text for c in unless)
        return RedLine(
            hi,
            lo,
            frozenset(rejects),
            text,
            spec.get("note"),
            sources,
            spec.get("probability"),
            unless,
        )

    def proposal(self, pid: str, spec: dict[str, Any]) -> Proposal:
        at = ("proposals", pid)
        provisions = {}
        for iid, pspec in self.children(at, spec, "provisions"):
            pat = (*at, "provisions", iid)
            issue = self.known_issue(pat, iid)
            if issue is None:
                continue
            if not isinstance(pspec, dict):
                pspec = {"value": pspec}
            sources = self.sources((*pat, "sources"), pspec.get("sources"))
            if pspec.get("open"):
                value: float | None = issue.status_quo
            else:
                raw_at = pat if not isinstance(self.tree_at(pat), dict) else (*pat, "value")
                value = self.value(issue, raw_at, pspec["value"])
            if value is not None:
                provisions[iid] = Provision(
                    iid, value, bool(pspec.get("open")), sources, pspec.get("note")
                )
        record = {}
        for aid, rspec in self.children(at, spec, "record"):
            rat = (*at, "record", aid)
            if aid not in self.actor_ids():
                hint = difflib.get_close_matches(aid, self.actor_ids(), n=1, cutoff=0.6)
                self.fail(
                    rat,
                    f"a reaction of unknown actor {aid!r}"
                    + (f" (did you mean {hint[0]!r}?)" if hint else ""),
                )
                continue
            sources = self.sources((*rat, "sources"), rspec.get("sources"))
            record[aid] = Reaction(
                aid, rspec["reaction"], rspec.get("date"), sources, rspec.get("note")
            )
        origin = (locate(self.tree, (*at, "label")) or self.tree.loc).file
        return Proposal(
            pid,
            self.proposal_label(pid, spec, origin),
            provisions,
            spec.get("date"),
            spec.get("description"),
            self.sources((*at, "sources"), spec.get("sources")),
            origin=origin,
            record=record,
        )

    def proposal_label(self, pid: str, spec: dict[str, Any], origin: str) -> str:
        """The proposal's label, marked as modified when a later file (a what-if that `extends`
        the one defining it) changes its provisions or date: every output then names the edited
        text as such, not by the label of the text it edits."""
        label = str(spec.get("label", pid))
        node = self.tree.get("proposals", {}).get(pid)
        edits: set[str] = set()
        for key in ("provisions", "date"):
            if isinstance(node, LocDict) and key in node:
                edits |= {node.loc_of(key).file} | _files_in(node[key])
        edits.discard(origin)
        if not edits:
            return label
        main = display_path(self.path)
        where = main if main in edits else sorted(edits)[0]
        return f"{label}{MODIFIED}{Path(where).name})"

    def actor_ids(self) -> list[str]:
        actors = self.tree.get("actors")
        return list(actors) if isinstance(actors, dict) else []

    def tree_at(self, path: tuple[Any, ...]) -> Any:
        node: Any = self.tree
        for step in path:
            node = node[step]
        return node

    def model(self, spec: dict[str, Any]) -> ModelSettings:
        return _settings(ModelSettings(), spec)
