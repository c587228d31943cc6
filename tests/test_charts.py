"""The four charts: written in every format, valid, deterministic, and drawn for one issue too."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from model.api import run
from model.charts import short, write_charts
from model.loader import load_scenario

NAMES = ["acceptance", "issues", "positions", "utilities"]
MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "svg": b"<?xml", "pdf": b"%PDF"}

ONE_ISSUE = """\
title: One-issue test
issues:
  territory:
    label: Status of the occupied territories, along the line of contact or beyond it
    options:
      - {id: returned, label: "Returned to Ukraine in full, with Russian withdrawal"}
      - {id: frozen, label: "Frozen along the line of contact; no recognition of sovereignty"}
      - {id: de-jure, label: Recognised de jure as Russian by every party}
    status_quo: frozen
actors:
  east:
    name: East
    capability: 60
    stakes:
      territory:
        position: de-jure
        salience: 90
        red_line:
          at_least: frozen
          sources: [{url: "https://example.org/east", note: "no withdrawal"}]
        sources: [{url: "https://example.org/east", note: "position"}]
  west:
    name: West
    capability: 40
    stakes:
      territory:
        position: returned
        salience: 80
        red_line:
          rejects: [de-jure]
          sources: [{url: "https://example.org/west", note: "no recognition"}]
        sources: [{url: "https://example.org/west", note: "position"}]
proposals:
  plan:
    label: A plan
    provisions:
      territory: frozen
model: {seed: 1, rounds: 10}
"""


@pytest.fixture(scope="module")
def tiny_results():
    return run(load_scenario(Path(__file__).parent / "data" / "tiny.yaml"))


def png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_writes_every_chart_byte_identically(tiny_results, tmp_path: Path, fmt: str) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    names = write_charts(tiny_results, first, fmt)
    assert names == [f"{n}.{fmt}" for n in NAMES]
    assert write_charts(tiny_results, second, fmt) == names
    for name in names:
        data = (first / name).read_bytes()
        assert data.startswith(MAGIC[fmt]), name
        assert len(data) > 5_000, name
        assert data == (second / name).read_bytes(), f"{name} differs between two writes"


def test_pngs_have_sensible_sizes(tiny_results, tmp_path: Path) -> None:
    for name in write_charts(tiny_results, tmp_path, "png"):
        width, height = png_size(tmp_path / name)
        assert 400 <= width <= 4000 and 300 <= height <= 8000, (name, width, height)


def test_one_issue_scenario(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(ONE_ISSUE, encoding="utf-8")
    results = run(load_scenario(path))
    out = tmp_path / "charts"
    out.mkdir()
    names = write_charts(results, out, "png")
    assert names == [f"{n}.png" for n in NAMES]
    for name in names:
        width, height = png_size(out / name)
        assert width >= 400 and height >= 300, (name, width, height)
    # a single issue gets one large positions panel, not a thin strip
    assert png_size(out / "positions.png")[1] >= 500


def test_unknown_format_is_refused(tiny_results, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="png, svg, pdf"):
        write_charts(tiny_results, tmp_path, "jpg")


def test_short_wraps_and_cuts_long_labels() -> None:
    text = "Ukraine withdraws from the rest of Donetsk; the zone is recognised as Russian"
    cut = short(text, 20, 2)
    lines = cut.split("\n")
    assert len(lines) == 2 and all(len(line) <= 20 for line in lines)
    assert cut.endswith("…")
    assert short("Crimea", 20) == "Crimea"
