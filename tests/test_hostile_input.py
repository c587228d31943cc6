"""Hostile or unlucky input: every case ends in `FILE:LINE: key.path: message` lines and exit
status 2 (or, for what nothing foresaw, one line and status 3), never a traceback, a hang or a
read of a file outside the project."""

from __future__ import annotations

import os
import random
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.cli import main
from model.scenario.located import SIZE_SETTING

ROOT = Path(__file__).resolve().parent.parent
TINY = (Path(__file__).parent / "data" / "tiny.yaml").read_text()


def sim(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def errors(result: Result) -> list[str]:
    return [ln for ln in result.stderr.splitlines() if ln]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def write(name: str, text: str | bytes) -> str:
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    Path(name).write_bytes(text if isinstance(text, bytes) else text.encode())
    return name


@pytest.mark.parametrize(
    ("raw", "name"),
    [("\x0c", "U+000C (form feed)"), ("\x1b[31m", "U+001B (escape)"), ("\x7f", "U+007F (delete)")],
)
def test_a_control_character_is_named_with_its_key(raw, name):
    for title in (f'"Tiny{raw} test"', f"Tiny{raw} test"):  # quoted and plain
        r = sim("validate", write("s.yaml", TINY.replace("Tiny two-issue test", title)))
        assert r.exit_code == 2
        assert errors(r) == [f"s.yaml:1: title: control character {name}: remove it"]
    # written as an escape in a double-quoted string, it is refused the same way
    r = sim("validate", write("s.yaml", TINY.replace("Tiny two-issue test", '"Tiny\\e[31m"')))
    assert errors(r) == ["s.yaml:1: title: control character U+001B (escape): remove it"]


def test_a_source_written_as_a_bare_string():
    text = TINY.replace("    status_quo: open\n", '    status_quo: open\n    sources: ["x"]\n')
    text = text.replace("label: A deal", 'label: A deal\n    sources: ["https://e.org"]')
    text = text.replace('[{url: "https://example.org/east"}]', "[{doc: 5, quote: a b c}]", 1)
    r = sim("validate", write("s.yaml", text))
    assert r.exit_code == 2
    assert errors(r) == [
        "s.yaml:10: issues.membership.sources.0: expected a mapping, got 'x'",
        "s.yaml:27: actors.east.stakes.membership.sources.0.doc: expected text, got 5",
        "s.yaml:50: proposals.deal.sources.0: expected a mapping, got 'https://e.org'",
    ]


def test_a_lone_surrogate_is_refused_before_it_reaches_the_terminal():
    path = write("s.yaml", TINY.replace("Tiny two-issue test", '"Tiny \\uD800"'))
    expected = "s.yaml:1: title: a lone surrogate U+D800 is not a character: write the character"
    for command in (("validate",), ("run", "--no-charts", "--out", "out")):
        r = sim(*command, path)
        assert r.exit_code == 2
        assert errors(r)[0].startswith(expected)
    assert not Path("out").exists()


def test_a_seed_name_too_long_for_the_file_system():
    Path("seeds").mkdir()
    long = "a" * 300 + ".txt"
    text = TINY.replace(
        'sources: [{url: "https://example.org/east"}]',
        f'sources: [{{doc: {long}, quote: "one two three"}}]',
        1,
    )
    r = sim("validate", write("s.yaml", text))
    assert r.exit_code == 2
    assert errors(r) == [
        f"s.yaml:26: actors.east.stakes.membership.sources.0.doc: seed document "
        f"'{long[:77]}...': file name too long"
    ]


def test_extends_that_cannot_be_followed():
    os.symlink("loop-b.yaml", "loop-a.yaml")
    os.symlink("loop-a.yaml", "loop-b.yaml")
    cases = {
        'extends: "a\\0b.yaml"\n': "s.yaml:1: extends: control character U+0000 (NUL): remove it",
        "extends: loop-a.yaml\n": "s.yaml:1: extends: 'loop-a.yaml': symbolic link loop",
        f"extends: {'b' * 400}.yaml\n": f"s.yaml:1: extends: '{'b' * 77}...': file name too long",
    }
    for text, expected in cases.items():
        r = sim("validate", write("s.yaml", text))
        assert r.exit_code == 2
        assert errors(r) == [expected]


def test_sweep_of_a_scenario_whose_proposals_are_null():
    text = TINY[: TINY.index("proposals:")] + "proposals: null\n"
    path = write("s.yaml", text)
    assert sim("validate", path).exit_code == 0
    r = sim("sweep", path, "--draws", "3", "--no-charts", "--out", "out")
    assert r.exit_code == 2
    assert errors(r) == [
        "s.yaml:1: proposals: none to sweep (the sweep draws each actor's verdict on each proposal)"
    ]


def test_a_range_near_the_float_limit():
    text = TINY.replace("range: [0, 1000]", "range: [-1.0e+308, 1.0e+308]")
    for command in (("validate",), ("search", "--no-charts", "--out", "out")):
        r = sim(*command, write("s.yaml", text))
        assert r.exit_code == 2
        assert errors(r)[0] == (
            "s.yaml:10: issues.army: 'range' ends must lie within ±1e+12: choose a unit that "
            "keeps the numbers smaller"
        )


def test_an_unforeseen_error_is_one_line_and_status_3(monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr("model.cli.load_scenario", broken)
    r = sim("validate", write("s.yaml", TINY))
    assert r.exit_code == 3
    assert errors(r) == [
        "sim: internal error: RuntimeError: disk on fire\\nsecond line (please report it)"
    ]
    # click's own usage errors keep their status
    assert sim("validate").exit_code == 2


def test_devices_pipes_and_oversized_files_are_not_read():
    os.mkfifo("pipe.yaml")
    write("fifo.yaml", "extends: pipe.yaml\n")
    write("zero.yaml", "extends: /dev/zero\n")
    write("big.yaml", "title: x\n" + "#" * 1_000_000 + "\n")
    started = time.monotonic()
    assert errors(sim("validate", "fifo.yaml")) == [
        "fifo.yaml:1: extends: 'pipe.yaml' is not a regular file"
    ]
    assert errors(sim("validate", "zero.yaml", "--allow-outside")) == [
        "zero.yaml:1: extends: '/dev/zero' is not a regular file"
    ]
    assert errors(sim("validate", "pipe.yaml")) == [
        "pipe.yaml:1: is not a regular file (a device, pipe or socket), not a scenario file"
    ]
    assert errors(sim("validate", "big.yaml", "--max-file-size", "0.5")) == [
        "big.yaml:1: the file is 1 MB, larger than the limit of 0.5 MB for a scenario file "
        f"(raise it with {SIZE_SETTING})"
    ]
    listed = sim("list", ".")
    assert listed.exit_code == 0
    assert "pipe.yaml" in listed.output and "1 problem" in listed.output
    assert time.monotonic() - started < 10


def test_includes_are_parsed_once_and_bounded():
    # each file includes the next one twice, sixteen deep: 2**16 reads without a cache
    for n in range(16):
        write(f"f{n}.yaml", f"include: [f{n + 1}.yaml, f{n + 1}.yaml]\n")
    write("f16.yaml", TINY)
    started = time.monotonic()
    r = sim("validate", "f0.yaml")
    assert r.exit_code == 0, r.output
    assert time.monotonic() - started < 5
    # a chain deeper than 32 files is cut, and the file where it is cut is named
    for n in range(40):
        write(f"c{n}.yaml", f"extends: c{n + 1}.yaml\n")
    write("c40.yaml", TINY)
    assert errors(sim("validate", "c0.yaml")) == [
        "c31.yaml:1: extends: more than 32 files deep: not followed"
    ]
    # so many includes in all (of one small file) that they stop being followed
    write("piece.yaml", "title: piece\n")
    write("many.yaml", "include:\n" + "  - piece.yaml\n" * 501)
    assert errors(sim("validate", "many.yaml")) == [
        "many.yaml:502: include: more than 500 extends/include in all"
    ]


def test_messages_are_one_line_each():
    r = sim("validate", write("s.yaml", TINY + '"x\\ns.yaml:1: forged": 1\n'))
    assert r.exit_code == 2
    assert errors(r)[-1].startswith("s.yaml:55: unknown key 'x\\ns.yaml:1: forged'")
    assert not any(ln.startswith("s.yaml:1: forged") for ln in errors(r))
    r = sim("validate", write("s.yaml", TINY.replace("issues:", "<<: 5\nissues:")))
    assert errors(r) == [
        "s.yaml:2: invalid merge key '<<': expected a mapping or list of mappings for merging, "
        "but found scalar"
    ]
    r = sim("validate", write("s.yaml", "\ufeffa: 1\n".encode("utf-16")))
    assert errors(r) == ["s.yaml:1: is UTF-16 text: save the file as UTF-8"]


def test_list_prints_no_terminal_control_sequences():
    write("a.yaml", TINY.replace("Tiny two-issue test", '"Tiny \\e[2J\\e[31mred"'))
    write("b.yaml", TINY.replace("Tiny two-issue test", '"Tiny\\u0085two"'))
    write("c\x1b[31m.yaml", TINY)
    r = sim("list", ".")
    assert r.exit_code == 0
    assert "\x1b" not in r.output and "\x85" not in r.output
    assert "c\\x1b[31m.yaml" in r.output


def test_includes_stay_inside_the_project(tmp_path):
    secret = tmp_path / "home" / ".config" / "token.yaml"
    secret.parent.mkdir(parents=True)
    secret.write_text("api_key: s3cr3t-value\n")
    project = tmp_path / "home" / "downloads"
    write(str(project / "s.yaml"), TINY + "include: [../.config/token.yaml]\n")
    r = sim("validate", str(project / "s.yaml"))
    assert r.exit_code == 2
    assert "s3cr3t" not in r.output and "api_key" not in r.output
    assert errors(r) == [
        "home/downloads/s.yaml:55: include: '../.config/token.yaml' lies outside the project "
        f"folder {project} (the folder holding seeds/, else the scenario's own): not read; "
        "--allow-outside reads it"
    ]
    # the flag lets it be read (and then it is judged like any file)
    r = sim("validate", str(project / "s.yaml"), "--allow-outside")
    assert r.exit_code == 2 and "unknown key 'api_key'" in r.output


def test_new_does_not_follow_a_dangling_symlink(tmp_path):
    Path("scenarios").mkdir()
    write("scenarios/28-point.yaml", TINY)
    os.symlink(tmp_path / "elsewhere.yaml", "scenarios/mine.yaml")
    r = sim("new", "mine")
    assert r.exit_code == 2
    assert errors(r) == ["scenarios/mine.yaml: already exists; not overwritten"]
    assert not (tmp_path / "elsewhere.yaml").exists()
    assert sim("new", "other").exit_code == 0
    assert "extends: 28-point.yaml" in Path("scenarios/other.yaml").read_text()


# Fuzzing: mutations of a shipped scenario, in a copy of the project.

JUNK = [
    "",
    "null",
    "~",
    "[]",
    "{}",
    "[1, 2",
    "-1.0e+308",
    "1e999",
    "'\\x0c'",
    '"\\uD800"',
    "\x1b[31m",
    "\x7f",
    "\x0c",
    "&a",
    "*a",
    "<<: 5",
    "!!binary x",
    "? x",
    "'",
    '"',
    "-",
    ":",
]


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, ...]:
    kinds = st.sampled_from(["delete", "duplicate", "scalar", "insert", "indent", "bytes"])
    return tuple(draw(st.lists(kinds, min_size=1, max_size=3)))


def mutate(text: str, kinds: tuple[str, ...], rng: random.Random) -> str:
    lines = text.split("\n")
    for kind in kinds:
        n = rng.randrange(len(lines))
        line = lines[n]
        if kind == "delete":
            del lines[n]
        elif kind == "duplicate":
            lines.insert(n, line)
        elif kind == "scalar" and ":" in line:
            key = line.split(":", 1)[0]
            value = rng.choice([*JUNK, str(rng.randint(-(10**9), 10**9)), str(rng.random())])
            lines[n] = f"{key}: {value}"
        elif kind == "insert":
            lines.insert(n, rng.choice(JUNK))
        elif kind == "indent":
            lines[n] = " " * rng.choice([1, 2, 3, 8]) + line
        else:
            at = rng.randrange(len(line) + 1)
            lines[n] = (
                line[:at] + rng.choice(["\x00", "\x0c", "\x1b", "\x7f", "\ud800", "é"]) + line[at:]
            )
    return "\n".join(lines)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "scenarios", root / "scenarios")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    return root


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(mutations(), st.randoms(use_true_random=False), st.integers(0, 7))
def test_mutated_shipped_scenarios_never_crash(project, kinds, rng, also_run):
    text = (ROOT / "scenarios" / "28-point.yaml").read_text(encoding="utf-8")
    path = project / "scenarios" / "mutant.yaml"
    path.write_bytes(mutate(text, kinds, rng).encode("utf-8", "surrogatepass"))
    started = time.monotonic()
    r = sim("validate", str(path))
    if os.environ.get("FUZZ_TALLY"):  # how many cases were tried and refused, for a report
        with open(os.environ["FUZZ_TALLY"], "a") as tally:
            tally.write(f"{r.exit_code}\n")
    assert r.exit_code in (0, 2), r.output
    assert all(ln.startswith(f"{project}/scenarios/") for ln in errors(r)), errors(r)
    if also_run == 0 and r.exit_code == 0:  # one in eight valid mutants is also run
        r = sim("run", str(path), "--no-charts", "--out", str(project / "out"))
        assert r.exit_code in (0, 2), r.output
    assert time.monotonic() - started < 5
