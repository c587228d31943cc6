"""report.html renders in a real browser with every chart visible (headless Chromium)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from model.api import run, write_outputs
from model.loader import load_scenario

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
  const imgs = [...document.querySelectorAll('figure img')];
  const shown = imgs.filter(i => i.complete && i.naturalWidth > 100 &&
                                 i.getBoundingClientRect().width > 100);
  document.body.setAttribute('data-charts', imgs.length + '/' + shown.length);
});
</script></body>"""


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


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium package")
def test_report_renders_every_chart_in_chromium(report, tmp_path):
    probe = tmp_path / "probe.html"
    probe.write_text(report.read_text().replace("</body>", PROBE))
    profile = tmp_path / "profile"
    dom = subprocess.run(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={profile}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            probe.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert 'data-charts="4/4"' in dom
    shot = tmp_path / "page.png"
    subprocess.run(
        [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={profile}",
            "--window-size=1200,3000",
            f"--screenshot={shot}",
            report.as_uri(),
        ],
        capture_output=True,
        timeout=120,
    )
    assert shot.exists() and shot.stat().st_size > 50_000
