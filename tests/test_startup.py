"""Start-up and loading: what `sim --help` and `sim validate` import, the light structure check
against pydantic's, the libyaml composer against PyYAML's own, the size cap. No timings here:
those are in benchmarks/startup.py and benchmarks/load.py."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.cli import main
from model.scenario import located
from model.scenario.checker import plainly_valid
from model.scenario.loader import ScenarioError, _Resolver, load_scenario
from model.scenario.located import SIZE_SETTING, LocDict, LocList, plain, read_yaml

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
HEAVY = ("numpy", "matplotlib", "mesa", "pydantic")


def _imported_after(code: str) -> list[str]:
    """The heavy packages a fresh interpreter has imported after running `code`."""
    probe = f"{code}\nimport sys, json\n"
    probe += "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[-1]
    return [m for m in json.loads(out) if m in HEAVY]


def test_the_cli_and_validate_import_nothing_heavy() -> None:
    assert _imported_after("import model.cli") == []
    validate = (
        "from model.cli import main\n"
        "try:\n    main(['validate', 'scenarios/28-point.yaml'])\nexcept SystemExit as e:\n"
        "    assert e.code in (0, None), e.code"
    )
    assert _imported_after(validate) == []
    # nor does a file refused before its structure is checked (pydantic words only the format)
    broken = "import model.cli\nfrom model.scenario.loader import load_scenario\ntry:\n"
    broken += "    load_scenario('tests/data/tiny.yaml', max_bytes=10)\nexcept Exception:\n    pass"
    assert _imported_after(broken) == []


def test_package_exports_stay_whole() -> None:
    import model
    from model import api

    assert model.__all__ == ["Problem", "ScenarioError", "load_scenario", "run", "write_outputs"]
    from model import load_scenario as loaded
    from model import run, write_outputs

    assert loaded is load_scenario and callable(run) and callable(write_outputs)
    assert api.run is run and api.search_extra.__name__ == "search_extra"
    with pytest.raises(AttributeError):
        _ = model.nothing_here
    with pytest.raises(AttributeError):
        _ = api.nothing_here


def test_compiled_format_matches_the_schema() -> None:
    """`_format.py` is generated from schema.py: when this fails, regenerate it with
    `python -m model.scenario.schema && ruff format model/scenario/_format.py`."""
    from model.scenario._format import FORMAT
    from model.scenario.schema import compiled_format

    assert compiled_format() == FORMAT


def _pydantic_accepts(raw: object) -> bool:
    from pydantic import ValidationError

    from model.scenario.schema import ScenarioSpec

    try:
        ScenarioSpec.model_validate(raw)
    except ValidationError:
        return False
    return True


def _trees() -> list[object]:
    out = []
    for path in SCENARIOS:
        tree = _Resolver(None, []).resolve(path, ())
        assert tree is not None, path
        out.append(plain(tree))
    return out


TREES = _trees()


def test_every_shipped_scenario_is_plainly_valid() -> None:
    for raw in TREES:
        assert plainly_valid(raw) and _pydantic_accepts(raw)


def _paths(node: object, at: tuple = ()) -> list[tuple]:
    out = [at]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*at, key))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            out += _paths(value, (*at, n))
    return out


ODD = [
    None, "x", "three word quote", "abc\n", "2025-13-01", "2025-01-01", 0, -1, 1.5, 101, 1e13,
    float("inf"), float("nan"), True, [], {}, [1, 2], [2, 1], {"value": 5},
    {"value": 5, "sd": 1, "range": [0, 1]}, {"doc": "x"}, {"url": "u"}, "eum", "wrote",
]  # fmt: skip
KEYS = ["extra", "value", "sd", "range", "in", "in_", "open", "doc", "url", "unless", "labels"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_light_check_never_passes_what_pydantic_refuses(data) -> None:
    """Mutated scenarios (a value replaced, a key dropped or added): whatever the light check
    calls valid, pydantic accepts too; and on these it never needs pydantic for a valid one."""
    raw = copy.deepcopy(data.draw(st.sampled_from(TREES)))
    for _ in range(data.draw(st.integers(1, 2))):
        path = data.draw(st.sampled_from(_paths(raw)[1:]))
        parent = raw
        for step in path[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["replace", "drop", "add"]))
        if action == "drop" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[data.draw(st.sampled_from(KEYS))] = copy.deepcopy(
                data.draw(st.sampled_from(ODD))
            )
        else:
            parent[path[-1]] = copy.deepcopy(data.draw(st.sampled_from(ODD)))
    assert plainly_valid(raw) == _pydantic_accepts(raw)


def _located(node: object) -> object:
    """A located tree as plain data with every location kept, to compare two readings."""
    if isinstance(node, LocDict):
        return {k: (node.loc_of(k).line, _located(v)) for k, v in node.items()}
    if isinstance(node, LocList):
        return [(node.loc_of(n).line, _located(v)) for n, v in enumerate(node)]
    return node


@pytest.mark.parametrize("path", [*SCENARIOS[:3], ROOT / "tests" / "data" / "tiny.yaml"])
def test_libyaml_reads_as_pyyaml_does(path, monkeypatch) -> None:
    fast = _located(read_yaml(path, path.name))
    monkeypatch.setattr(located, "_CLoader", None)
    assert fast == _located(read_yaml(path, path.name))


def test_a_file_libyaml_refuses_is_worded_by_pyyaml(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nissues: [1, 2\nactors: {}\n")
    with pytest.raises(located.LoadError) as err:
        read_yaml(bad, "bad.yaml")
    (loc, message), *_ = err.value.problems
    assert (loc.line, message) == (
        3,
        "YAML syntax error: expected ',' or ']', but got ':' (while parsing a flow sequence "
        "that starts on line 2)",
    )


def test_size_cap_is_honoured_and_settable(tmp_path, monkeypatch) -> None:
    text = (ROOT / "tests" / "data" / "tiny.yaml").read_text()
    path = tmp_path / "padded.yaml"
    path.write_text(text + "# " + "x" * (300_000 - len(text.encode()) - 3) + "\n")  # 0.3 MB
    runner = CliRunner()
    refused = runner.invoke(main, ["validate", str(path), "--max-file-size", "0.2"])
    assert refused.exit_code == 2
    assert refused.stderr.strip() == (
        f"{path}:1: the file is 0.3 MB, larger than the limit of 0.2 MB for a scenario file "
        f"(raise it with {SIZE_SETTING})"
    )
    assert runner.invoke(main, ["validate", str(path), "--max-file-size", "0.4"]).exit_code == 0
    # the environment variable sets the same limit
    env = runner.invoke(main, ["validate", str(path)], env={"SIM_MAX_FILE_SIZE": "0.2"})
    assert env.exit_code == 2 and "limit of 0.2 MB" in env.stderr
    assert runner.invoke(main, ["validate", str(path)]).exit_code == 0  # 16 MB by default
    with pytest.raises(ScenarioError, match="limit of 0.1 MB"):
        load_scenario(path, max_bytes=100_000)
    # an included file is held to the same limit, and named
    main_file = tmp_path / "main.yaml"
    main_file.write_text("include: [padded.yaml]\ntitle: x\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(main_file, max_bytes=100_000)
    assert any("padded.yaml:1: the file is 0.3 MB" in str(p) for p in err.value.problems)


def test_thousands_of_problems_are_all_reported(tmp_path) -> None:
    """Every stake broken twice: each problem reported once, with its key (this took minutes
    before `is_broken` became a lookup)."""
    issues = "\n".join(
        f"  i{i}: {{label: I{i}, options: [{{id: a, label: A}}, {{id: b, label: B}}], "
        "status_quo: a}"
        for i in range(60)
    )
    stakes = ", ".join(
        f"i{i}: {{position: c, salience: [1], sources: [{{url: u}}]}}" for i in range(60)
    )
    actors = "\n".join(
        f"  x{a}: {{name: X{a}, capability: 1, stakes: {{{stakes}}}}}" for a in range(20)
    )
    path = tmp_path / "broken.yaml"
    path.write_text(f"issues:\n{issues}\nactors:\n{actors}\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    messages = [p.message for p in err.value.problems]
    assert len(messages) == 2 * 60 * 20
    assert "actors.x19.stakes.i59.salience: expected a number, got [1]" in messages
    assert "actors.x19.stakes.i59.position: unknown option 'c' of issue 'i59'; options: a, b" in (
        messages
    )
