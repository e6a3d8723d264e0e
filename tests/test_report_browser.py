"""The HTML report in a real browser: headless Chromium from the distribution, driven by
Playwright (``pip install -e '.[browser]'``; ``apt-get install chromium``; never
``playwright install``: browser downloads are not possible here).

Checks: the page loads from ``file://`` and asks for nothing else, logs no console
error, shows the heat map and every section, the collapse buttons work, and print to
PDF puts every section on a page of its own. The committed screenshots in ``docs/img``
are real PNGs; remake them with::

    python -m tests.test_report_browser --update-screenshots

Every test skips, saying why, where Chromium or Playwright is missing.
"""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
IMG = REPO / "docs" / "img"
SCREENSHOTS = ("report-first-screen.png", "report-point.png")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SOA_TEXT = """control,status,justification
A.5.1,implemented,
5.10,implemented,
5.15,implemented,
A.5.19,implemented,
5.20,implemented,
5.21,partial,two of five suppliers assessed
5.24,implemented,
5.29,planned,
8.5,implemented,
8.8,in progress,
8.13,implemented,
8.24,n/a,
8.30,n/a,no outsourced development
clause 6.1.2,implemented,
"""


def chromium() -> str | None:
    """The system's Chromium (``BIO2MAP_CHROMIUM`` or the Debian path), or None."""
    for candidate in (os.environ.get("BIO2MAP_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")


def skip_reason() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "needs Playwright: pip install -e '.[browser]'"
    if chromium() is None:
        return "needs Chromium from the distribution: apt-get install chromium"
    return None


REASON = skip_reason()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


def make_report(folder: Path) -> Path:
    from bio2map.cli.main import main

    soa = folder / "vvt.csv"
    soa.write_text(SOA_TEXT, encoding="utf-8")
    out = folder / "report.html"
    assert main(["report", "--soa", str(soa), "-o", str(out), "--title", "Gap report"]) == 0
    return out


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_report(tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Visit:
    """A page of the report, with every request and console error it made."""

    def __init__(self, browser: Any, url: str, width: int = 1280, height: int = 900) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()

        def route(r: Any) -> None:
            self.requests.append(r.request.url)
            if r.request.url.split("#")[0] == url.split("#")[0]:
                r.continue_()
            else:
                r.abort()

        self.page.route("**/*", route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url, wait_until="load")

    def close(self) -> None:
        self.context.close()


def test_loads_from_file_with_nothing_else(browser: Any, report: Path) -> None:
    from bio2map.render.report_html import SECTIONS

    url = report.as_uri()
    visit = Visit(browser, url)
    try:
        page = visit.page
        assert visit.requests == [url]  # not a font, a style sheet or a favicon
        assert visit.errors == []
        assert page.title() == "Gap report"
        heat = page.locator("#heatmap svg")
        assert heat.is_visible()
        box = heat.bounding_box()
        assert box is not None
        assert box["width"] > 500
        assert box["height"] > 300
        assert page.locator("#heatmap .legend").is_visible()
        for key, title in SECTIONS:
            section = page.locator(f"section#{key}")
            assert section.is_visible(), key
            assert section.locator("h2").inner_text() == title
        assert page.locator("details.point").count() == 10
        assert page.locator("#ir2690-5\\.1\\.4").is_visible()
        point = page.locator("#nis2-21\\.2\\.d").inner_text()
        assert "two of five suppliers assessed" in point  # the justification
        assert "A.8.30 not applicable (left out)" in point  # the reason
    finally:
        visit.close()


def test_collapse_and_expand(browser: Any, report: Path) -> None:
    visit = Visit(browser, report.as_uri())
    try:
        page = visit.page
        assert page.locator("#toolbar").is_visible()  # the script shows it
        page.click("#collapse")
        assert not page.locator("#ir2690-5\\.1\\.4").is_visible()
        assert page.locator("#nis2-21\\.2\\.d summary").is_visible()
        page.click("#expand")
        assert page.locator("#ir2690-5\\.1\\.4").is_visible()
        assert visit.errors == []
    finally:
        visit.close()


def test_reads_without_script(browser: Any, report: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(report.as_uri())
        assert not page.locator("#toolbar").is_visible()
        assert page.locator("#ir2690-5\\.1\\.4").is_visible()
        assert page.locator("#bio2-5\\.19\\.01").is_visible()
    finally:
        context.close()


def test_print_puts_each_section_on_its_own_pages(browser: Any, report: Path) -> None:
    pypdf = pytest.importorskip("pypdf", reason="needs pypdf: pip install -e '.[browser]'")
    from bio2map.render.report_html import SECTIONS

    visit = Visit(browser, report.as_uri())
    try:
        pdf = visit.page.pdf(format="A4", print_background=True)
    finally:
        visit.close()
    pages = [p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= len(SECTIONS)
    assert pages[0].startswith("Gap report")
    starts = []
    for _key, title in SECTIONS[1:]:
        found = [i for i, text in enumerate(pages) if text.startswith(title + "\n")]
        assert len(found) == 1, (title, found)
        starts.append(found[0])
    assert "Summary" in pages[0]
    assert starts == sorted(starts)
    assert starts[0] >= 1
    # tables are not cut mid-row: every continued table repeats its header row
    for text in pages[starts[1] : starts[2]]:  # the points
        assert text.startswith(("Art. 21(2)", "requirement ", "control ")), text[:60]


def test_screenshots_are_committed() -> None:
    for name in SCREENSHOTS:
        data = (IMG / name).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), name
        assert len(data) > 20_000, name


def update_screenshots() -> None:
    """Remake docs/img/report-first-screen.png and report-point.png."""
    import tempfile

    from playwright.sync_api import sync_playwright

    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        report = make_report(Path(tmp))
        b = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            visit = Visit(b, report.as_uri(), width=1280, height=960)
            visit.page.screenshot(path=str(IMG / SCREENSHOTS[0]))
            visit.close()
            visit = Visit(b, report.as_uri() + "#nis2-21.2.d", width=1280, height=960)
            visit.page.screenshot(path=str(IMG / SCREENSHOTS[1]))
            visit.close()
        finally:
            b.close()
    for name in SCREENSHOTS:
        print(f"wrote {IMG / name}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update-screenshots"]:
        sys.exit("usage: python -m tests.test_report_browser --update-screenshots")
    if REASON is not None:
        sys.exit(REASON)
    update_screenshots()
