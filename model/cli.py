"""The `sim` command: a thin layer over `model.api`.

Scenario problems exit with status 2 and one `FILE:LINE: message` line each on stderr; nothing a
user can get wrong in a scenario ends in a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from model.loader import ScenarioError, load_scenario
from model.scenario import Scenario

FORMATS = ("png", "svg", "pdf")


def _load(path: str, seeds: str | None) -> Scenario:
    try:
        return load_scenario(path, seeds=seeds)
    except ScenarioError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        n = len(exc.problems)
        click.echo(f"{path}: {n} problem{'s' * (n != 1)}; nothing was run.", err=True)
        sys.exit(2)


_seeds_option = click.option(
    "--seeds",
    type=click.Path(file_okay=False),
    help="Folder of the seed documents (default: the nearest seeds/ above the scenario).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="negotiation-sim")
def main() -> None:
    """Model the parties to a negotiation and see which proposals satisfy which positions."""


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=True))
@click.option("--out", type=click.Path(), help="Output folder (default: outputs/<scenario>/).")
@click.option("--seed", type=click.IntRange(min=0), help="Random seed (default: model.seed).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="png", show_default=True)
@click.option("--no-charts", is_flag=True, help="Skip the charts (faster).")
@_seeds_option
def run(
    scenario: str, out: str | None, seed: int | None, fmt: str, no_charts: bool, seeds: str | None
) -> None:
    """Evaluate every proposal against every actor, run the negotiation, write the results."""
    from model.api import run as run_scenario
    from model.api import write_outputs
    from model.report import summary

    sc = _load(scenario, seeds)
    results = run_scenario(sc, seed=seed)
    folder = Path(out) if out else Path("outputs") / sc.name
    try:
        names = write_outputs(results, folder, fmt=fmt, charts=not no_charts)
    except OSError as exc:
        click.echo(f"{folder}: cannot write outputs: {exc.strerror or exc}", err=True)
        sys.exit(1)
    click.echo(summary(results))
    click.echo(f"\nWrote {', '.join(names)} to {folder}/")


@main.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=True))
@_seeds_option
def validate(scenarios: tuple[str, ...], seeds: str | None) -> None:
    """Check scenario files (structure, references, ranges, seed quotes) without running them."""
    failed = 0
    for path in scenarios:
        try:
            sc = load_scenario(path, seeds=seeds)
        except ScenarioError as exc:
            failed += 1
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            continue
        quotes = sum(
            1
            for a in sc.actors.values()
            for st in a.stakes.values()
            for s in (*st.sources, *(st.red_line.sources if st.red_line else ()))
            if s.doc
        ) + sum(
            1
            for p in sc.proposals.values()
            for pr in p.provisions.values()
            for s in pr.sources
            if s.doc
        )
        click.echo(
            f"{path}: OK ({len(sc.issues)} issues, {len(sc.actors)} actors, "
            f"{len(sc.proposals)} proposals, {quotes} seed quotes found)"
        )
    if failed:
        sys.exit(2)


@main.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editors' completion and checking)."""
    import json

    from model.schema import json_schema

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
    if path.exists():
        click.echo(f"{path}: already exists; not overwritten", err=True)
        sys.exit(2)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        STARTER.format(name=name, base=base, path=path, schema="scenario.schema.json"),
        encoding="utf-8",
    )
    click.echo(f"Wrote {path}: edit it, then `sim run {path}`.")


@main.command(name="list")
@click.argument("folder", default="scenarios", type=click.Path(file_okay=False))
@_seeds_option
def list_(folder: str, seeds: str | None) -> None:
    """List the scenarios in FOLDER with their titles, proposals, and whether they validate."""
    rows = []
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            sc = load_scenario(path, seeds=seeds)
            rows.append((path.name, sc.title, str(len(sc.proposals)), "ok"))
        except ScenarioError as exc:
            n = len(exc.problems)
            rows.append((path.name, "", "", f"{n} problem{'s' * (n != 1)}"))
    if not rows:
        click.echo(f"{folder}: no scenario files")
        return
    w = max(len(r[0]) for r in rows) + 2
    click.echo("file".ljust(w) + "proposals  valid      title")
    for name, title, n, ok in rows:
        click.echo(name.ljust(w) + n.rjust(9) + "  " + ok.ljust(10) + " " + title)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=True))
@click.option("--actor", "actor_ids", multiple=True, help="Actor id (default: every actor).")
@click.option("--proposal", "proposal_ids", multiple=True, help="Proposal id (default: all).")
@_seeds_option
def explain(
    scenario: str, actor_ids: tuple[str, ...], proposal_ids: tuple[str, ...], seeds: str | None
) -> None:
    """Why each actor accepts or rejects each proposal, provision by provision."""
    import difflib

    from model.explain import explain as explain_pair
    from model.explain import render

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
    blocks = [
        render(sc, sc.proposals[pid], explain_pair(sc, aid, sc.proposals[pid]))
        for pid in (proposal_ids or tuple(sc.proposals))
        for aid in (actor_ids or tuple(sc.actors))
    ]
    click.echo(("\n\n" + "=" * 72 + "\n\n").join(blocks))


def _pick(spec: str, seeds: str | None) -> tuple[Scenario, str | None]:
    """`FILE` or `FILE:PROPOSAL_ID`."""
    path, _, pid = spec.rpartition(":")
    if path and Path(path).is_file() and not Path(spec).exists():
        return _load(path, seeds), pid
    return _load(spec, seeds), None


@main.command()
@click.argument("scenarios", nargs=-1, required=True)
@click.option("--out", type=click.Path(), help="Output folder (default: outputs/compare/).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="png", show_default=True)
@_seeds_option
def compare(scenarios: tuple[str, ...], out: str | None, fmt: str, seeds: str | None) -> None:
    """What changes from the first scenario (or FILE:PROPOSAL) to each of the others."""
    from model.compare import compare as compare_pair
    from model.compare import pairs, render_markdown, render_text
    from model.outputs import write_atomically

    if len(scenarios) < 2:
        click.echo("compare needs at least two scenarios (FILE or FILE:PROPOSAL)", err=True)
        sys.exit(2)
    loaded = [_pick(s, seeds) for s in scenarios]
    for (sc, pid), spec in zip(loaded, scenarios, strict=True):
        if pid is not None and pid not in sc.proposals:
            click.echo(f"{spec}: no proposal {pid!r}; known: {', '.join(sc.proposals)}", err=True)
            sys.exit(2)
    (base, base_pid), comparisons = loaded[0], []
    for other, other_pid in loaded[1:]:
        if base_pid or other_pid:
            pa = base.proposals[base_pid] if base_pid else pairs(base, other)[0][0]
            pb = other.proposals[other_pid] if other_pid else pairs(base, other)[0][1]
            todo = [(pa, pb)]
        else:
            todo = pairs(base, other)
        found = [compare_pair(base, pa, other, pb) for pa, pb in todo]
        changed = [c for c in found if c.changed]
        comparisons += changed or found[:1]
    click.echo(("\n\n").join(render_text(c) for c in comparisons))
    folder = Path(out) if out else Path("outputs") / "compare"

    def build(tmp: Path) -> list[str]:
        from model.compare_chart import write_compare_chart

        chart = write_compare_chart(comparisons, tmp, fmt)
        (tmp / "compare.md").write_text(render_markdown(comparisons, chart), encoding="utf-8")
        return [chart, "compare.md"]

    names = write_atomically(folder, build)
    click.echo(f"\nWrote {', '.join(names)} to {folder}/")
