"""The JSON Schema editors use is the loader's own definition, shipped up to date."""

import json
from pathlib import Path

import jsonschema
import yaml
from click.testing import CliRunner

from model.cli import main
from model.scenario.schema import json_schema

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_schema_is_current():
    shipped = json.loads((ROOT / "scenarios" / "scenario.schema.json").read_text())
    assert shipped == json_schema(), "run: sim schema > scenarios/scenario.schema.json"


def test_cli_prints_the_schema():
    result = CliRunner().invoke(main, ["schema"])
    assert json.loads(result.output) == json_schema()


def test_schema_accepts_valid_and_rejects_what_the_loader_rejects(tiny_path):
    tree = yaml.safe_load(tiny_path.read_text())
    jsonschema.validate(tree, json_schema())
    tree["actors"]["east"]["stakes"]["membership"]["salence"] = 3
    validator = jsonschema.Draft202012Validator(json_schema())
    assert any("salence" in e.message for e in validator.iter_errors(tree))


def test_every_shipped_scenario_declares_the_schema():
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        first = path.read_text().splitlines()[0]
        assert first == "# yaml-language-server: $schema=scenario.schema.json", path.name
    for path in sorted((ROOT / "scenarios" / "actors").glob("*.yaml")):
        first = path.read_text().splitlines()[0]
        assert first == "# yaml-language-server: $schema=../scenario.schema.json", path.name
