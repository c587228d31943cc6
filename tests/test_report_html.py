"""report.html renders in a real browser with every chart visible (headless Chromium)."""

import html
import re
import shutil
import struct
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from model.api import run, search_extra, sweep_extra, write_outputs
from model.cli import main
from model.outputs.html import FIT, WIDE, report_html
from model.outputs.markdown import quoted
from model.scenario.loader import load_scenario
from model.search import search_scenario
from model.sweep import sweep

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PROBE = """<script>
window.addEventListener('load', () => {
  const out = [...document.querySelectorAll('figure')].map(f => {
    const i = f.querySelector('img');
    const r = i ? i.getBoundingClientRect() : {width: 0, height: 0};
    const ok = i && i.complete && i.naturalWidth > 0 && r.width > 100 && r.height > 50;
    return f.id.replace('chart-', '') + ':' + (ok ? 'shown' : 'hidden') + ':' +
      (i ? i.naturalWidth + 'x' + Math.round(r.width) : '0x0');
  });
  document.body.setAttribute('data-charts', out.join(' '));
});
</script></body>"""

# Six dated proposals: a timeline, and an acceptance chart wider than WIDE x FIT pixels
DATED = """
proposals:
  a: {label: "First plan", date: 2022-03-01, provisions: {membership: paused, army: 600}}
  b: {label: "Second plan", date: 2022-04-01, provisions: {membership: banned, army: 300}}
  c: {label: "Third plan", date: 2023-06-01, provisions: {membership: open, army: 900}}
  d: {label: "Fourth plan", date: 2024-01-01, provisions: {membership: paused, army: 800}}
  e: {label: "Fifth plan", date: 2025-02-01, provisions: {membership: paused, army: 500}}
  f: {label: "Sixth plan", date: 2025-11-01, provisions: {membership: banned, army: 1000}}
  status-quo: {label: No deal}
model: {seed: 1, rounds: 50}
"""
RUN_CHARTS = ["acceptance", "issues", "positions", "utilities"]
ALL_CHARTS = [*RUN_CHARTS, "timeline", "frontier", "conflicts", "sweep", "tornado"]


def charts_in_chromium(report: Path, tmp_path: Path) -> dict[str, tuple[str, int, int]]:
    """Each figure of `report` as Chromium lays it out: {chart: (shown|hidden, natural width,
    rendered width)}; a chart is shown if its image loaded, has a natural size and is drawn
    larger than 100 x 50 pixels."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    probe = tmp_path / "probe.html"
    # the report's Content-Security-Policy forbids scripts; the probe is the test's own
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", report.read_text())
    probe.write_text(page.replace("</body>", PROBE))
    dom = subprocess.run(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1280,900",
            "--virtual-time-budget=5000",
            "--dump-dom",
            probe.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    found = re.search(r'data-charts="([^"]*)"', dom)
    assert found, "the probe did not run: " + dom[-500:]
    out = {}
    for item in found.group(1).split():
        name, state, size = item.split(":")
        natural, rendered = size.split("x")
        out[name] = (state, int(natural), int(rendered))
    return out


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html")
    write_outputs(run(load_scenario(ROOT / "scenarios" / "28-point.yaml")), out)
    return out / "report.html"


def test_report_is_self_contained(report):
    html = report.read_text()
    assert "http://" not in re.sub(r'href="[^"]+"', "", html).replace("http://www.w3.org", "")
    assert html.count("data:image/png;base64,") == 4
    assert 'src="acceptance.png"' not in html
    assert "absolutely unacceptable" in html or "unacceptable to us" in html  # quotes of red lines


@pytest.fixture(scope="module")
def full_report(tmp_path_factory) -> Path:
    """A report with every chart: the run's four, the timeline, the search's and the sweep's."""
    folder = tmp_path_factory.mktemp("full")
    tiny = (ROOT / "tests" / "data" / "tiny.yaml").read_text()
    path = folder / "dated.yaml"
    path.write_text(tiny[: tiny.index("proposals:")] + DATED, encoding="utf-8")
    sc = load_scenario(path)
    extras = [search_extra(sc, search_scenario(sc, grid_steps=11)), sweep_extra(sweep(sc, 60, 3))]
    out = folder / "out"
    write_outputs(run(sc), out, extras=extras)
    return out / "report.html"


def test_full_report_embeds_every_chart(full_report):
    html = full_report.read_text()
    assert html.count("data:image/png;base64,") == len(ALL_CHARTS)
    for name in ALL_CHARTS:
        assert f"<figure id=chart-{name}>" in html, name
    assert "<script" not in html.lower() and "http://" not in re.sub(r'href="[^"]+"', "", html)


def test_wide_chart_opens_at_natural_size(full_report):
    html = full_report.read_text()
    width = struct.unpack(">I", (full_report.parent / "acceptance.png").read_bytes()[16:20])[0]
    assert width > WIDE * FIT  # six proposals and the forecast: too wide to read fitted
    assert "<input type=checkbox class=zoom id=zoom-acceptance checked>" in html
    assert "<input type=checkbox class=zoom id=zoom-issues>" in html  # fits: shown fitted


def test_summary_names_issues_by_label_and_quotes_once(full_report):
    html = full_report.read_text()
    assert "red line: NATO membership" in html and "red line: membership" not in html
    assert quoted('"It is unacceptable," she said.') == '"It is unacceptable," she said.'
    assert quoted("It is unacceptable") == "“It is unacceptable”"


def test_red_line_reason_is_not_cut(tmp_path):
    """A long issue label is given in full in the summary table (no ellipsis)."""
    tiny = (ROOT / "tests" / "data" / "tiny.yaml").read_text()
    label = "Ukraine's membership of NATO, or a path to it, as the Bucharest summit promised"
    path = tmp_path / "long.yaml"
    path.write_text(tiny.replace("label: NATO membership", f'label: "{label}"'), encoding="utf-8")
    results = run(load_scenario(path))
    html = report_html(results, tmp_path, [])
    assert f"red line: {label}".replace("'", "&#x27;") in html


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium package")
def test_report_renders_every_chart_in_chromium(report, full_report, tmp_path):
    start = time.monotonic()
    charts = charts_in_chromium(report, tmp_path / "28")
    assert list(charts) == RUN_CHARTS
    assert all(state == "shown" for state, _, _ in charts.values()), charts
    charts = charts_in_chromium(full_report, tmp_path / "full")
    assert sorted(charts) == sorted(ALL_CHARTS)
    assert all(state == "shown" for state, _, _ in charts.values()), charts
    natural, rendered = charts["acceptance"][1:]
    assert rendered == natural > WIDE * FIT  # the wide chart at its natural size
    natural, rendered = charts["issues"][1:]
    assert natural > rendered >= FIT * 0.9  # fitted to the page
    shot = tmp_path / "page.png"
    subprocess.run(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1200,3000",
            f"--screenshot={shot}",
            full_report.as_uri(),
        ],
        capture_output=True,
        timeout=60,
    )
    assert shot.exists() and shot.stat().st_size > 50_000
    assert time.monotonic() - start < 30


def test_html_has_every_section_of_the_markdown(tiny_path, tmp_path):
    """report.md and report.html come from one list of sections: each `## ` title of the
    Markdown heads a section of the page, in the same order, for a run with the search's and
    the sweep's sections."""
    out = tmp_path / "out"
    r = CliRunner().invoke(
        main, ["run", str(tiny_path), "--search", "--sweep", "40", "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    md = (out / "report.md").read_text(encoding="utf-8")
    page = (out / "report.html").read_text(encoding="utf-8")
    fenced = re.sub(r"^```$.*?^```$", "", md, flags=re.M | re.S)  # an explanation is no title
    titles = re.findall(r"^## (.+)$", fenced, flags=re.M)
    assert titles[0] == "Summary" and "Zone of agreement" in titles and len(titles) == 8
    assert "Why: each actor on each proposal" in titles and titles[-1] == "Provision by provision"
    assert any(t.startswith("How sure") for t in titles)
    assert re.findall(r"<h2>(.*?)</h2>", page) == [html.escape(t) for t in titles]


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium package")
def test_a_script_in_the_report_does_not_run(report, tmp_path):
    """The Content-Security-Policy holds in a real browser: a script that found its way into the
    page (here put there on purpose) does not run."""
    page = tmp_path / "page.html"
    page.write_text(
        report.read_text().replace(
            "</body>", "<script>document.body.setAttribute('data-ran', 'yes')</script></body>"
        )
    )
    dom = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "<body" in dom and 'data-ran="yes"' not in dom
