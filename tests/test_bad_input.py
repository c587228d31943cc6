"""Every broken scenario exits with status 2 and names file, line and key; never a traceback."""

import string
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.cli import main

TINY = (Path(__file__).parent / "data" / "tiny.yaml").read_text()


def validate(path: Path, *options: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["validate", str(path), *options])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, [ln for ln in result.stderr.splitlines() if ln]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # messages then name files as the user typed them


def write(tmp_path: Path, text: str | bytes, name: str = "s.yaml") -> Path:
    (tmp_path / name).write_bytes(text if isinstance(text, bytes) else text.encode())
    return Path(name)


CASES = [
    (
        "salience: 90",
        "salence: 90",
        "s.yaml:22: actors.east.stakes.membership: unknown key "
        "'salence' (did you mean 'salience'?)",
    ),
    (
        "capability: 40",
        'capability: "strong"',
        "s.yaml:30: actors.west.capability: expected a number, got 'strong'",
    ),
    (
        "membership: paused",
        "membership: pausd",
        "s.yaml:50: proposals.deal.provisions.membership: "
        "unknown option 'pausd' of issue 'membership' (did you mean 'paused'?)",
    ),
    (
        "army: 600",
        "army: 6000",
        "s.yaml:51: proposals.deal.provisions.army: 6000 is outside the "
        "range of issue 'army' [0, 1000] thousand troops",
    ),
    (
        "      army: {position: 100",
        "      navy: {position: 100",
        "s.yaml:27: actors.east.stakes.navy: unknown issue 'navy'",
    ),
    (
        "salience: 60",
        "salience: 160",
        "s.yaml:34: actors.west.stakes.membership.salience: must be <= 100, got 160",
    ),
    (
        "rejects: [banned]",
        "rejects: [bannned]",
        "s.yaml:36: actors.west.stakes.membership.red_line"
        ".rejects.0: unknown option 'bannned' of issue 'membership' (did you mean 'banned'?)",
    ),
    (
        "at_least: paused",
        "at_most: paused",
        "s.yaml:21: actors.east.stakes.membership.position: the actor's own ideal 'banned' crosses",
    ),
    (
        "label: A deal",
        'label: A deal\n    date: "Nov 2025"',
        "s.yaml:49: proposals.deal.date: expected a date as YYYY-MM-DD, got 'Nov 2025'",
    ),
    (
        "label: A deal",
        'label: A deal\n    date: "2025-02-30"',
        "s.yaml:49: proposals.deal.date: '2025-02-30' is not a date: day is out of range",
    ),
    (
        "label: A deal",
        "label: A deal\n    date: 2025-13-45",
        "s.yaml:49: proposals.deal.date: '2025-13-45' is not a date: month must be in 1..12",
    ),
    (
        "rounds: 50}",
        "rounds: 50, dynamics: eumm}",
        "s.yaml:54: model.dynamics: unknown value 'eumm' (did you mean 'eum'?); known: "
        "concession, eum",
    ),
    ("rounds: 50}", "rounds: 0}", "s.yaml:54: model.rounds: must be >= 1, got 0"),
    ("capability: 40", "capability: .inf", "s.yaml:30: actors.west.capability: expected a finite"),
    ("army: 600", "army: .nan", "s.yaml:51: proposals.deal.provisions.army: expected a finite"),
    (
        "unit: thousand troops",
        "unit: thousand troops\n    labels: [{value: 2000, label: Huge}]",
        "s.yaml:14: issues.army.labels.0.value: 2000 is outside the range of issue 'army'",
    ),
    (
        "status_quo: open",
        "status_quo: open\n    labels: [{value: 1, label: x}]",
        "s.yaml:3: issues.membership: 'labels' name values of a numeric issue",
    ),
    (
        'sources: [{url: "https://example.org/east"}]',
        'sources: [{doc: doc.txt, quote: "   "}]',
        "s.yaml:26: actors.east.stakes.membership.sources.0.quote: a quote must be a sentence",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), CASES)
def test_one_mistake_one_line(tmp_path, old, new, expected):
    assert old in TINY
    code, lines = validate(write(tmp_path, TINY.replace(old, new, 1)))
    assert code == 2
    assert any(ln.startswith(expected) for ln in lines), lines


def test_all_problems_not_just_the_first(tmp_path):
    text = TINY.replace("salience: 90", "salence: 90").replace("army: 600", "army: -5")
    text = text.replace("membership: paused", "membership: nope")
    code, lines = validate(write(tmp_path, text))
    assert code == 2
    assert len([ln for ln in lines if ln.startswith("s.yaml:")]) == 4  # missing + unknown + 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "s.yaml:1: file is empty"),
        ("# only a comment\n", "s.yaml:1: file is empty"),
        ("issues: [\n", "s.yaml:2: YAML syntax error"),
        (
            'title: "never closed\nissues: {}\n',
            "s.yaml:3: YAML syntax error: found unexpected end of stream (while scanning a "
            "quoted scalar that starts on line 1)",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "s.yaml:1: is a binary file"),
        ("- a\n- b\n", "s.yaml:1: a scenario file must be a mapping"),
        ("x: !!python/object/apply:os.system ['true']\n", "s.yaml:1: x: unsupported YAML tag"),
        ("a: 1\na: 2\n", "s.yaml:2: duplicate key 'a'"),
        ("extends: nowhere.yaml\n", "s.yaml:1: extends: file not found: nowhere.yaml"),
    ],
)
def test_unreadable_files(tmp_path, content, expected):
    code, lines = validate(write(tmp_path, content))
    assert code == 2
    assert any(ln.startswith(expected) for ln in lines), lines


def test_directory_and_missing_file(tmp_path):
    code, lines = validate(tmp_path)
    assert code == 2 and lines[0].endswith(":1: is a directory, not a scenario file")
    code, lines = validate(Path("nope.yaml"))
    assert code == 2 and lines[0].endswith("nope.yaml:1: file not found")


def test_alias_bomb_is_bounded(tmp_path):
    rows = ["a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]"]
    for prev, name in zip("abcdefg", "bcdefgh", strict=True):
        rows.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    code, lines = validate(write(tmp_path, "\n".join(rows) + "\n"))
    assert code == 2 and "too many YAML nodes" in lines[0]


def test_extends_cycle(tmp_path):
    write(tmp_path, "extends: b.yaml\n", "a.yaml")
    write(tmp_path, "extends: a.yaml\n", "b.yaml")
    code, lines = validate(Path("a.yaml"))
    assert code == 2
    assert any("cycle:" in ln and "b.yaml:1: extends" in ln for ln in lines), lines


def test_seed_quote_not_found(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "doc.txt").write_text("Russia has no vote and no veto over who joins.\n")
    good = 'sources: [{doc: doc.txt, quote: "Russia has no  vote and no veto over who joins."}]'
    bad = 'sources: [{doc: doc.txt, quote: "Russia has a veto."}]'
    text = TINY.replace('sources: [{url: "https://example.org/east"}]', good, 1)
    code, _ = validate(write(tmp_path, text))
    assert code == 0
    text = TINY.replace('sources: [{url: "https://example.org/east"}]', bad, 1)
    code, lines = validate(write(tmp_path, text))
    assert code == 2
    assert lines[0].startswith(
        "s.yaml:26: actors.east.stakes.membership.sources.0.quote: quote not found in doc.txt"
    )


def _mutations():
    keys = [
        "label",
        "position",
        "salience",
        "capability",
        "status_quo",
        "options",
        "range",
        "red_line",
        "at_least",
        "rejects",
        "provisions",
        "stakes",
        "sources",
        "issues",
    ]
    junk = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**6), 10**6),
        st.floats(allow_nan=True),
        st.text(string.printable, max_size=8),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.sampled_from(["x", "id", "label"]), st.integers(), max_size=2),
    )
    return st.lists(st.tuples(st.sampled_from(keys), junk), min_size=1, max_size=3)


def _mutate(tree, key, value, pick):
    """Replace the pick-th occurrence of `key` anywhere in the tree with `value`."""
    seen = []

    def walk(node):
        if isinstance(node, dict):
            for k in node:
                if k == key:
                    seen.append((node, k))
                walk(node[k])
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(tree)
    if seen:
        node, k = seen[pick % len(seen)]
        node[k] = value


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_mutations(), st.integers(0, 10))
def test_generated_broken_scenarios_never_crash(tmp_path, mutations, pick):
    tmp_path = Path(".")
    tree = yaml.safe_load(TINY)
    for key, value in mutations:
        _mutate(tree, key, value, pick)
    path = write(tmp_path, yaml.safe_dump(tree, allow_unicode=True))
    code, lines = validate(path)
    assert code in (0, 2)
    if code == 2:
        assert lines and all(ln.startswith(str(path)) or "problem" in ln for ln in lines), lines


def test_quotes_are_checked_against_the_seeds_beside_the_file_that_cites_them(tmp_path):
    project = tmp_path / "project"
    (project / "seeds").mkdir(parents=True)
    (project / "scenarios").mkdir()
    (project / "seeds" / "doc.txt").write_text("Russia has no vote and no veto over who joins.\n")
    good = 'sources: [{doc: doc.txt, quote: "Russia has no vote and no veto over who joins."}]'
    text = TINY.replace('sources: [{url: "https://example.org/east"}]', good, 1)
    (project / "scenarios" / "base.yaml").write_text(text)
    # a what-if kept outside the project, with no seeds/ above it
    elsewhere = tmp_path / "mine"
    elsewhere.mkdir()
    (elsewhere / "what-if.yaml").write_text("extends: ../project/scenarios/base.yaml\n")
    code, lines = validate(elsewhere / "what-if.yaml", "--allow-outside")
    assert code == 0, lines
    # without the flag, a file outside its own folder (no seeds/ above it) is not read
    code, lines = validate(elsewhere / "what-if.yaml")
    assert code == 2
    assert "extends: '../project/scenarios/base.yaml' lies outside the project folder" in lines[0]


def test_every_problem_in_one_pass(tmp_path):
    """A bad date, a salience of `high`, an empty red line, a stake without sources, a label
    written for an option id, and seed quotes (one word, wrong, from a missing file): all
    reported at once, each with its key path, none hiding another."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "doc.txt").write_text("Russia has no vote and no veto over who joins.\n")
    quotes = (
        'sources: [{doc: doc.txt, quote: "Russia"}, {doc: doc.txt, quote: "Russia has a veto."},'
        ' {doc: gone.txt, quote: "Russia has no vote"}]'
    )
    text = (
        TINY.replace("label: A deal", "label: A deal\n    date: 2025-13-45", 1)
        .replace("salience: 90", "salience: high", 1)
        .replace("at_least: paused\n", "", 1)
        .replace(
            'army: {position: 100, salience: 50, sources: [{url: "https://example.org/east"}]}',
            "army: {position: 100, salience: 50}",
            1,
        )
        .replace("position: open", "position: Path open", 1)
        .replace('sources: [{url: "https://example.org/east"}]', quotes, 1)
    )
    code, lines = validate(write(tmp_path, text))
    assert code == 2
    assert lines == [
        "s.yaml:22: actors.east.stakes.membership.salience: expected a number, got 'high'",
        "s.yaml:23: actors.east.stakes.membership.red_line: a red line needs 'at_most', "
        "'at_least' or 'rejects'",
        "s.yaml:25: actors.east.stakes.membership.sources.0.quote: a quote must be a sentence of "
        "the seed (three words or more), got 'Russia'",
        "s.yaml:25: actors.east.stakes.membership.sources.1.quote: quote not found in doc.txt: "
        "'Russia has a veto.'",
        "s.yaml:25: actors.east.stakes.membership.sources.2.doc: seed document 'gone.txt' not "
        f"found ({seeds.resolve()})",
        "s.yaml:26: actors.east.stakes.army.sources: missing required key",
        "s.yaml:32: actors.west.stakes.membership.position: 'Path open' is the label of option "
        "'open' of issue 'membership': write its id, open",
        "s.yaml:48: proposals.deal.date: '2025-13-45' is not a date: month must be in 1..12",
    ]


def test_a_whole_entry_check_beside_a_field_problem(tmp_path):
    """pydantic skips a model's own check when one of its fields fails: the loader runs it."""
    text = TINY.replace("at_least: paused\n", "", 1).replace(
        'note: "refuses an open path"}', 'note: "refuses an open path", quote: "a b c"}', 1
    )
    code, lines = validate(write(tmp_path, text))
    assert code == 2
    assert lines == [
        "s.yaml:23: actors.east.stakes.membership.red_line: a red line needs 'at_most', "
        "'at_least' or 'rejects'",
        "s.yaml:24: actors.east.stakes.membership.red_line.sources.0: a seed source needs both "
        "'doc' and 'quote'",
    ]
