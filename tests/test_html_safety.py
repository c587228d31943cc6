"""report.html runs no script whatever a scenario says: every scenario string is escaped (in the
analyses' Markdown sections too), only http(s) sources become links, and a Content-Security-Policy
forbids scripts."""

from pathlib import Path

from click.testing import CliRunner

from model.cli import main

TINY = Path(__file__).parent / "data" / "tiny.yaml"
PAYLOAD = "<img src=x onerror=alert(1)>"


def test_hostile_labels_and_links_stay_text(tmp_path):
    text = TINY.read_text()
    text = text.replace("label: NATO membership", f'label: "{PAYLOAD}"')
    text = text.replace("label: A deal", 'label: "<script>alert(2)</script>"')
    text = text.replace(
        'url: "https://example.org/east", note: "refuses an open path"',
        'url: "javascript:alert(3)", note: "<b>bold</b>"',
    )
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["run", str(path), "--search", "--sweep", "20", "--no-charts", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "<img src=x" not in page and "<script>" not in page and "<b>bold" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # shown, as text
    assert 'href="javascript' not in page.lower()
    assert "javascript:alert(3)" in page  # the source is still named, not linked
    # the search's and the sweep's sections (Markdown) hold the label too
    assert page.count("&lt;img src=x onerror=alert(1)&gt;") >= 3
