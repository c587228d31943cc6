"""The `sim` command: a thin layer over `model.api`.

Scenario problems exit with status 2 and one `FILE:LINE: message` line each on stderr; nothing a
user can get wrong in a scenario ends in a traceback.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from model.scenario.loader import ScenarioError, load_scenario, split_spec
from model.scenario.located import MAX_BYTES, LoadError, one_line, printable, read_yaml
from model.scenario.types import Scenario

FORMATS = ("png", "svg", "pdf")


def _allowed_outside() -> bool:
    """Whether `--allow-outside` was given (the option keeps it in the context's meta)."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.meta.get("allow_outside"))


def _max_bytes() -> int:
    """The size limit `--max-file-size` (or SIM_MAX_FILE_SIZE) set, else the loader's."""
    ctx = click.get_current_context(silent=True)
    size = ctx.meta.get("max_file_mb") if ctx else None
    return MAX_BYTES if size is None else int(size * 1_000_000)


def _read(path: str | Path, seeds: str | None) -> Scenario:
    return load_scenario(
        path, seeds=seeds, allow_outside=_allowed_outside(), max_bytes=_max_bytes()
    )


def _load(path: str, seeds: str | None) -> Scenario:
    try:
        return _read(path, seeds)
    except ScenarioError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        n = len(exc.problems)
        click.echo(one_line(f"{path}: {n} problem{'s' * (n != 1)}; nothing was run."), err=True)
        sys.exit(2)


def _keep_allow_outside(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    ctx.meta["allow_outside"] = value


_allow_outside_option = click.option(
    "--allow-outside",
    is_flag=True,
    expose_value=False,
    callback=_keep_allow_outside,
    help="Let extends/include read files outside the scenario's project folder (the nearest "
    "folder above it holding seeds/, else its own folder).",
)


def _keep_max_file_size(ctx: click.Context, _param: click.Parameter, value: float | None) -> None:
    ctx.meta["max_file_mb"] = value


_max_file_size_option = click.option(
    "--max-file-size",
    type=click.FloatRange(min=0, min_open=True),
    metavar="MB",
    envvar="SIM_MAX_FILE_SIZE",
    expose_value=False,
    callback=_keep_max_file_size,
    help=f"Largest scenario file read, in MB (default: {MAX_BYTES / 1e6:g}; also set by the "
    "environment variable SIM_MAX_FILE_SIZE).",
)


def _seeds_option(command: Callable[..., None]) -> click.Command:
    """--seeds, --allow-outside and --max-file-size: every command that reads scenarios takes
    all three."""
    command = click.option(
        "--seeds",
        type=click.Path(file_okay=False),
        help="Folder of the seed documents (default: the nearest seeds/ above the scenario).",
    )(command)
    return _max_file_size_option(_allow_outside_option(command))


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}") from None


_as_of_option = click.option(
    "--as-of",
    "as_of",
    callback=_date,
    metavar="YYYY-MM-DD",
    help="Judge undated proposals (and run the dynamics) on the stances in force on this date "
    "(default: the latest stances). Dated proposals are always judged on their own date.",
)


def _view(sc: Scenario, as_of: str | None) -> Scenario:
    from model.scenario.dated import view

    return view(sc, as_of)


class _Sim(click.Group):
    """The command group, with a last resort: whatever still escapes as an exception becomes one
    line on stderr and exit status 3, never a traceback (SIM_DEBUG=1 shows the traceback)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise
        except Exception as exc:
            if os.environ.get("SIM_DEBUG"):
                raise
            text = one_line(str(exc))
            text = text if len(text) <= 300 else text[:297] + "..."
            click.echo(
                f"sim: internal error: {type(exc).__name__}: {text} (please report it)", err=True
            )
            ctx.exit(3)


@click.group(cls=_Sim, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="negotiation-sim")
def main() -> None:
    """Model the parties to a negotiation and see which proposals satisfy which positions."""


_out_option = click.option(
    "--out", type=click.Path(), help="Output folder (default: outputs/<scenario>/)."
)
_force_option = click.option(
    "--force",
    is_flag=True,
    help="Replace files in the output folder that have an output's name even if this tool did "
    "not write them (or they were changed since).",
)
_format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="png", show_default=True
)
_no_charts_option = click.option("--no-charts", is_flag=True, help="Skip the charts (faster).")
_grid_option = click.option(
    "--grid",
    "grid_steps",
    type=click.IntRange(min=2),
    default=21,
    show_default=True,
    help="Search: evenly spaced values tried on each numeric issue (plus every value a party, "
    "red line or proposal names).",
)
_draws_option = click.option(
    "--draws",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Sweep: how many versions of the scenario to draw.",
)
_dynamics_option = click.option(
    "--dynamics", is_flag=True, help="Sweep: also run the negotiation in every draw (slower)."
)
_workers_option = click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Sweep with --dynamics: parallel processes.",
)


# The search's defaults are model.search.budget's TIME_LIMIT and MEMORY_MB, written again here
# so that `sim --help` and `sim validate` need not import the search (numpy);
# tests/test_search_limits.py keeps the two equal.
_time_limit_option = click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=60,
    show_default=True,
    metavar="SECONDS",
    help="Search: this many seconds after the command starts (the run included), give what is "
    "proved so far (bounds, a Nash package not proven best).",
)
_memory_limit_option = click.option(
    "--memory-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=2048,
    show_default=True,
    metavar="MB",
    help="Search: memory its arrays may take; a larger search is bounded instead.",
)


def _search(
    sc: Scenario, grid_steps: int, top: int, time_limit: float, memory_mb: float, start: float
):
    """The search's terminal table (`top` packages) and its part of the outputs; progress on
    stderr when it takes long. The time limit counts from `start`, the command's start: what
    the user waits for is the command, the run before the search included."""
    from model.outputs.search import search_extra, search_text
    from model.search import search_scenario
    from model.search.budget import Budget

    budget = Budget(memory_mb, time_limit, progress=lambda m: click.echo(m, err=True), start=start)
    result = search_scenario(sc, grid_steps=grid_steps, budget=budget)
    return search_text(result, limit=top), search_extra(sc, result)


def _sweep(
    sc: Scenario, draws: int, seed: int | None, dynamics: bool, workers: int, as_of: str | None
):
    """The sweep's terminal table and outputs, with a progress bar on stderr while the dynamics
    run."""
    from model.outputs.sweep import sweep_extra, sweep_text
    from model.sweep import sweep

    if not sc.proposals:
        click.echo(
            one_line(
                f"{sc.path}:1: proposals: none to sweep (the sweep draws each actor's "
                "verdict on each proposal)"
            ),
            err=True,
        )
        sys.exit(2)
    seed = sc.model.seed if seed is None else seed
    if not dynamics:
        result = sweep(sc, draws, seed, as_of=as_of)
    else:
        with click.progressbar(
            length=draws, label=f"negotiating {draws} drawn scenarios", file=sys.stderr
        ) as bar:
            done = 0

            def progress(n: int) -> None:
                nonlocal done
                bar.update(n - done)
                done = n

            result = sweep(
                sc, draws, seed, dynamics=True, workers=workers, progress=progress, as_of=as_of
            )
    return sweep_text(result), sweep_extra(result)


def _written(folder: Path, write: Callable[[], list[str]]) -> None:
    """Write a command's files, then say which; a refusal (a file the tool did not write) exits
    2, a failing disk 1, each in one line."""
    from model.outputs.files import OutputRefused

    try:
        names = write()
    except OutputRefused as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    except OSError as exc:
        click.echo(f"{folder}: cannot write outputs: {exc.strerror or exc}", err=True)
        sys.exit(1)
    click.echo(f"\nWrote {', '.join(names)} to {folder}/")


def _write(
    results,
    sc: Scenario,
    out: str | None,
    fmt: str,
    no_charts: bool,
    extras,
    force: bool = False,
    run_charts: bool = True,
    process=None,
) -> None:
    from model.outputs.files import write_outputs

    folder = Path(out) if out else Path("outputs") / sc.name
    _written(
        folder,
        lambda: write_outputs(
            results,
            folder,
            fmt=fmt,
            charts=not no_charts,
            extras=extras,
            force=force,
            run_charts=run_charts,
            process=process,
        ),
    )


def _write_analysis(
    results, sc: Scenario, out: str | None, fmt: str, no_charts: bool, extra, force: bool
) -> None:
    """An analysis's outputs (`sim search`, `sim sweep`, `sim discover`): its section, files and
    charts with the run's report and results, not the run's charts again."""
    _write(results, sc, out, fmt, no_charts, [extra], force, run_charts=False)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=True))
@_out_option
@click.option("--seed", type=click.IntRange(min=0), help="Random seed (default: model.seed).")
@_format_option
@_no_charts_option
@click.option("--search", "with_search", is_flag=True, help="Also search the zone of agreement.")
@click.option(
    "--sweep",
    "sweep_draws",
    type=click.IntRange(min=1),
    help="Also run an uncertainty sweep of this many draws.",
)
@_grid_option
@_time_limit_option
@_memory_limit_option
@_dynamics_option
@_workers_option
@_as_of_option
@_seeds_option
@_force_option
def run(
    scenario: str,
    out: str | None,
    seed: int | None,
    fmt: str,
    no_charts: bool,
    with_search: bool,
    sweep_draws: int | None,
    grid_steps: int,
    time_limit: float,
    memory_limit: float,
    dynamics: bool,
    workers: int,
    as_of: str | None,
    seeds: str | None,
    force: bool,
) -> None:
    """Evaluate every proposal against every actor, run the negotiation, write the results.

    With --search and --sweep N, the report also holds the zone of agreement and how sure the
    verdicts are (as `sim search` and `sim sweep` write them).
    """
    from model.outputs.drawing import ChartProcess
    from model.outputs.terminal import summary
    from model.pipeline import run as run_scenario

    start = time.monotonic()
    sc = _load(scenario, seeds)
    # the charts' second process imports while the model runs (model.outputs.drawing)
    with ChartProcess(0 if no_charts else len(sc.issues)) as process:
        results = run_scenario(sc, seed=seed, as_of=as_of)
        click.echo(summary(results))
        extras = []
        if any(p.record for p in sc.proposals.values()):
            from model.backtest import backtest
            from model.outputs.backtest import backtest_extra

            extras.append(backtest_extra(results, backtest(results)))
        raw, sc = sc, results.scenario  # the search works on the dated view, the sweep on the file
        if with_search:
            text, extra = _search(sc, grid_steps, 10, time_limit, memory_limit, start)
            click.echo("\n" + text)
            extras.append(extra)
        if sweep_draws:
            swept, extra = _sweep(raw, sweep_draws, seed, dynamics, workers, as_of)
            click.echo("\n" + swept)
            extras.append(extra)
        _write(results, sc, out, fmt, no_charts, extras, force, process=process)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=True))
@_out_option
@_grid_option
@click.option(
    "--top", type=click.IntRange(min=1), default=10, show_default=True, help="Packages listed."
)
@_time_limit_option
@_memory_limit_option
@_format_option
@_no_charts_option
@_as_of_option
@_seeds_option
@_force_option
def search(
    scenario: str,
    out: str | None,
    grid_steps: int,
    top: int,
    time_limit: float,
    memory_limit: float,
    fmt: str,
    no_charts: bool,
    as_of: str | None,
    seeds: str | None,
    force: bool,
) -> None:
    """The zone of possible agreement: packages every actor accepts, the Pareto frontier, the
    Nash bargaining package, and, when there is none, the red lines in conflict.

    The search is exact (every package, not a sample) within --time-limit and --memory-limit;
    beyond them it says what it proved and what it only bounded. Writes search.json, frontier
    and conflicts charts and the run's report and results with a `Zone of agreement` section
    (not the run's charts: `sim run --search` draws both).
    """
    from model.pipeline import run as run_scenario

    start = time.monotonic()
    raw = _load(scenario, seeds)
    sc = _view(raw, as_of)
    results = run_scenario(raw, as_of=as_of)
    text, extra = _search(sc, grid_steps, top, time_limit, memory_limit, start)
    click.echo(text)
    _write_analysis(results, sc, out, fmt, no_charts, extra, force)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=True))
@_draws_option
@click.option("--seed", type=click.IntRange(min=0), help="Seed of the draws (default: model.seed).")
@_dynamics_option
@_workers_option
@_out_option
@_format_option
@_no_charts_option
@_as_of_option
@_seeds_option
@_force_option
def sweep(
    scenario: str,
    draws: int,
    seed: int | None,
    dynamics: bool,
    workers: int,
    out: str | None,
    fmt: str,
    no_charts: bool,
    as_of: str | None,
    seeds: str | None,
    force: bool,
) -> None:
    """How sure the verdicts are: draw the scenario's uncertain numbers DRAWS times and report
    each actor's probability of accepting each proposal, and the guesses that move it most.

    Spreads come from the scenario (`salience: {value: 80, sd: 10}`, ...) and its
    `uncertainty:` defaults. Writes sweep.csv, sweep and tornado charts and the run's report and
    results with a `How sure` section (not the run's charts: `sim run --sweep N` draws both).
    """
    from model.pipeline import run as run_scenario

    raw = _load(scenario, seeds)
    sc = _view(raw, as_of)
    swept, extra = _sweep(raw, draws, seed, dynamics, workers, as_of)
    click.echo(swept)
    results = run_scenario(raw, seed=seed, as_of=as_of)
    _write_analysis(results, sc, out, fmt, no_charts, extra, force)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=True))
@click.option(
    "--target",
    "targets",
    multiple=True,
    help="accept:PROPOSAL:ACTOR, agree:PROPOSAL, zone or clear (the forecast crosses no red "
    "line; runs the negotiation). Default: every rejection as written, and zone.",
)
@click.option(
    "--draws",
    type=click.IntRange(min=2),
    default=256,
    show_default=True,
    help="Base draws of the Saltelli design (a power of two; rows: draws x (inputs + 2)).",
)
@click.option(
    "--seed", type=click.IntRange(min=0), help="Seed of the design (default: model.seed)."
)
@_dynamics_option
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Local worker processes (ignored with --scheduler).",
)
@click.option(
    "--scheduler", metavar="ADDRESS", help="Run on this Dask scheduler (tcp://host:8786)."
)
@click.option(
    "--sobol-all",
    is_flag=True,
    help="Ask zone on every row of the design, for its Sobol indices (one search per row: a "
    "cluster's job).",
)
@click.option(
    "--search-seconds",
    type=click.FloatRange(min=0.1),
    default=20.0,
    show_default=True,
    help="Time limit of each draw's search for a zone of agreement.",
)
@_out_option
@_format_option
@_no_charts_option
@_as_of_option
@_seeds_option
@_force_option
def discover(
    scenario: str,
    targets: tuple[str, ...],
    draws: int,
    seed: int | None,
    dynamics: bool,
    workers: int,
    scheduler: str | None,
    sobol_all: bool,
    search_seconds: float,
    out: str | None,
    fmt: str,
    no_charts: bool,
    as_of: str | None,
    seeds: str | None,
    force: bool,
) -> None:
    """What would have to be true: the boxes of inputs in which an actor accepts, a zone of
    agreement opens or the forecast crosses no red line (PRIM), and how much of each target's
    variance each input explains (Sobol indices).

    The inputs are the sweep's (the scenario's spreads and `uncertainty:` defaults). Writes
    discover.png, sensitivity.png and the run's report and results (not its charts) with a
    `What would have to be true` section; the same seed gives the same results on any engine.
    """
    from model.api import discover as discover_scenario
    from model.discover import DiscoverError
    from model.outputs.discover import discover_extra, discover_text
    from model.pipeline import run as run_scenario

    raw = _load(scenario, seeds)
    sc = _view(raw, as_of)
    seed = sc.model.seed if seed is None else seed
    with click.progressbar(length=1, label="discovering", file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        try:
            result = discover_scenario(
                raw,
                targets=list(targets) or None,
                draws=draws,
                seed=seed,
                dynamics=dynamics,
                workers=workers,
                scheduler=scheduler,
                progress=progress,
                sobol_all=sobol_all,
                search_seconds=search_seconds,
                as_of=as_of,
            )
        except DiscoverError as exc:
            click.echo(one_line(f"{sc.path}: {exc}"), err=True)
            sys.exit(2)
    click.echo(discover_text(result))
    extra = discover_extra(result)
    results = run_scenario(raw, seed=seed, as_of=as_of)
    _write_analysis(results, sc, out, fmt, no_charts, extra, force)


@main.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=True))
@_seeds_option
def validate(scenarios: tuple[str, ...], seeds: str | None) -> None:
    """Check scenario files (structure, references, ranges, seed quotes) without running them."""
    failed = 0
    for path in scenarios:
        try:
            sc = _read(path, seeds)
        except ScenarioError as exc:
            failed += 1
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            continue
        quotes = sum(1 for source in sc.sources() if source.doc)
        click.echo(
            one_line(f"{path}") + f": OK ({len(sc.issues)} issues, {len(sc.actors)} actors, "
            f"{_proposals(sc)}, {quotes} seed quotes found)"
        )
    if failed:
        sys.exit(2)


def _proposals(sc: Scenario) -> str:
    """How many texts the scenario holds, counted as `sim list` counts them: those with
    provisions, the status quo (no deal) apart."""
    n = sum(1 for p in sc.proposals.values() if p.provisions)
    plus = " plus the status quo" if len(sc.proposals) > n else ""
    return f"{n} proposal{'s' * (n != 1)}{plus}"


@main.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editors' completion and checking)."""
    import json

    from model.scenario.schema import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


STARTER = """\
# yaml-language-server: $schema={schema}
# A what-if scenario: it starts from {base} and changes only what is written here.
# Run it with:  sim run {path}
extends: {base}
title: "{name}: my variant"
description: >
  Say here what this variant changes and why.

# Change a provision of an existing proposal (ids of issues and options: see {base}
# and its base files; `sim validate {path}` names what is wrong, with file and line):
# proposals:
#   us-28-point:
#     provisions:
#       army_cap: 800                  # a number on a numeric issue

# Add a proposal of your own (issues you leave out stay at the status quo):
proposals:
  {name}:
    label: "{name}"
    provisions: {{}}
    #  nato_membership: {{value: <option id>, sources: [{{url: "https://...", note: "..."}}]}}

# Move an actor's red line or salience:
# actors:
#   ukraine:
#     stakes:
#       army_cap:
#         salience: 60
"""


@main.command()
@click.argument("name")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False),
    default="scenarios",
    show_default=True,
    help="Where to write NAME.yaml.",
)
@click.option(
    "--extends",
    "base",
    default="28-point.yaml",
    show_default=True,
    help="Scenario (relative to --dir) the new one starts from.",
)
def new(name: str, folder: str, base: str) -> None:
    """Write a commented starter scenario NAME.yaml that extends another."""
    import re

    if not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
        click.echo(f"{name}: a scenario name is lower-case letters, digits, '-' and '_'", err=True)
        sys.exit(2)
    path = Path(folder) / f"{name}.yaml"
    if not (Path(folder) / base).is_file():
        click.echo(
            one_line(
                f"{Path(folder) / base}: not found; --extends names a scenario file relative to "
                f"--dir ({folder})"
            ),
            err=True,
        )
        sys.exit(2)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = STARTER.format(name=name, base=base, path=path, schema="scenario.schema.json")
    # a new file or nothing: never through a symbolic link (dangling or not), never over a file
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except FileExistsError:
        click.echo(f"{path}: already exists; not overwritten", err=True)
        sys.exit(2)
    except OSError as exc:
        click.echo(f"{path}: cannot write: {exc.strerror or exc}", err=True)
        sys.exit(2)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    click.echo(f"Wrote {path}: edit it, then `sim run {path}`.")


@main.command(name="list")
@click.argument("folder", default="scenarios", type=click.Path(file_okay=False))
@_seeds_option
def list_(folder: str, seeds: str | None) -> None:
    """List the scenarios in FOLDER with their titles, proposals, and whether they validate."""
    rows = []
    for path in sorted(Path(folder).glob("*.yaml")):
        name = one_line(path.name)
        try:
            sc = _read(path, seeds)
            n = sum(1 for p in sc.proposals.values() if p.provisions)
            rows.append((name, one_line(printable(sc.title)), str(n), "ok"))
        except ScenarioError as exc:
            n = len(exc.problems)
            title = one_line(printable(_own_title(path)))
            rows.append((name, title, "", f"{n} problem{'s' * (n != 1)}"))
    if not rows:
        click.echo(one_line(f"{folder}: no scenario files"))
        return
    w = max(len(r[0]) for r in rows) + 2
    click.echo("file".ljust(w) + "proposals  valid      title")
    for name, title, n, ok in rows:
        click.echo(name.ljust(w) + n.rjust(9) + "  " + ok.ljust(10) + " " + title)
    click.echo("\nproposals: those with provisions; the status quo (no deal) is not counted.")


def _own_title(path: Path) -> str:
    """The title a file that does not validate gives itself, if its YAML can be read."""
    try:
        tree = read_yaml(path, path.name, _max_bytes())
    except LoadError:
        return ""
    title = tree.get("title") if isinstance(tree, dict) else None
    return title if isinstance(title, str) else ""


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=True))
@click.option("--actor", "actor_ids", multiple=True, help="Actor id (default: every actor).")
@click.option("--proposal", "proposal_ids", multiple=True, help="Proposal id (default: all).")
@_as_of_option
@_seeds_option
def explain(
    scenario: str,
    actor_ids: tuple[str, ...],
    proposal_ids: tuple[str, ...],
    as_of: str | None,
    seeds: str | None,
) -> None:
    """Why each actor accepts or rejects each proposal, provision by provision."""
    import difflib

    from model.evaluation.explain import explain as explain_pair
    from model.evaluation.explain import render

    sc = _load(scenario, seeds)
    for kind, wanted, known in (
        ("actor", actor_ids, sc.actors),
        ("proposal", proposal_ids, sc.proposals),
    ):
        for item in wanted:
            if item not in known:
                hint = difflib.get_close_matches(item, list(known), n=1)
                extra = f" (did you mean {hint[0]!r}?)" if hint else ""
                click.echo(
                    f"{scenario}: unknown {kind} {item!r}{extra}; known: {', '.join(known)}",
                    err=True,
                )
                sys.exit(2)
    from model.scenario.dated import date_of

    blocks = []
    for pid in proposal_ids or tuple(sc.proposals):
        on = _view(sc, date_of(sc, pid, as_of))
        for aid in actor_ids or tuple(sc.actors):
            blocks.append(render(on, on.proposals[pid], explain_pair(on, aid, on.proposals[pid])))
    click.echo(("\n\n" + "=" * 72 + "\n\n").join(blocks))


def _pick(spec: str, seeds: str | None) -> tuple[Scenario, str | None]:
    """`FILE` or `FILE:PROPOSAL_ID`."""
    path, pid = split_spec(spec)
    return _load(path, seeds), pid


@main.command()
@click.argument("scenarios", nargs=-1, required=True)
@click.option("--out", type=click.Path(), help="Output folder (default: outputs/compare/).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="png", show_default=True)
@_seeds_option
@_force_option
def compare(
    scenarios: tuple[str, ...], out: str | None, fmt: str, seeds: str | None, force: bool
) -> None:
    """What changes from the first scenario (or FILE:PROPOSAL) to each of the others: `sim
    compare A B C` compares A with B and A with C (not B with C)."""
    from model.api import UnknownProposal, write_compare
    from model.api import compare as compare_all
    from model.compare import TOO_FEW
    from model.outputs.compare import render_text

    if len(scenarios) < 2:
        click.echo(TOO_FEW, err=True)
        sys.exit(2)
    try:
        comparisons = compare_all([_pick(s, seeds) for s in scenarios])
    except UnknownProposal as exc:
        click.echo(f"{scenarios[exc.index]}: {exc}", err=True)
        sys.exit(2)
    click.echo(("\n\n").join(render_text(c) for c in comparisons))
    folder = Path(out) if out else Path("outputs") / "compare"
    _written(folder, lambda: write_compare(comparisons, folder, fmt, force=force))


@main.command()
@click.argument("docs", nargs=-1, required=True, type=click.Path())
@click.option(
    "--scenario",
    default="scenarios/base.yaml",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Scenario whose actors and issues to look for, and whose coding to set findings against.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json", "yaml")),
    default="text",
    show_default=True,
)
@click.option("--out", type=click.Path(dir_okay=False), help="Write the report to this file.")
@_seeds_option
@_force_option
def extract(
    docs: tuple[str, ...],
    scenario: str,
    fmt: str,
    out: str | None,
    seeds: str | None,
    force: bool,
) -> None:
    """Find the sentences of DOCS (plain-text files, or folders of .txt) in which an actor states
    its own position on an issue, and set each against the scenario's coding (cited, supports,
    contradicts, new) with a YAML snippet to paste."""
    from model.api import extract as extract_all
    from model.extract import DocumentError
    from model.outputs.extract import render, write_extract

    sc = _load(scenario, seeds)
    try:
        findings = extract_all(docs, sc)
    except DocumentError as exc:
        click.echo(one_line(str(exc)), err=True)
        sys.exit(2)
    text = render(findings, sc, fmt)
    if out is None:
        click.echo(text, nl=False)
        return
    if not findings:
        click.echo("no positions found")
    _written(Path(out).parent, lambda: write_extract(text, out, force=force))


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=True), default="scenarios/all-proposals.yaml")
@_seeds_option
def backtest(scenario: str, seeds: str | None) -> None:
    """Set the verdicts beside the record: each party's reaction to each dated text at the time
    (`record:` in the proposals), with two baselines and every disagreement's cause."""
    from model.backtest import backtest as run_backtest
    from model.outputs.backtest import backtest_text
    from model.pipeline import run as run_scenario

    sc = _load(scenario, seeds)
    results = run_scenario(sc)
    click.echo(backtest_text(results, run_backtest(results)))
