from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "data" / "tiny.yaml"


@pytest.fixture
def tiny_path() -> Path:
    return TINY


@pytest.fixture
def tiny():
    from model.scenario.loader import load_scenario

    return load_scenario(TINY)
