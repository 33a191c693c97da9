"""The bilingual page in a real browser: both columns laid out, Khmer in a Khmer font, no errors.

Needs Chromium and a Khmer font (CI: apt-get install chromium fonts-khmeros
fonts-noto-core) and playwright. Skipped outside CI when Chromium is missing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest
from conftest import FLORES as FLORES_DIR, FROZEN_NOW, ROOT, SAMPLES

from translate.api import Workspace, extract, publish
from translate.catalog.store import render_catalog
from translate.editions import Edition, EditionFormat
from translate.languages import language
from translate.publish import PublishOptions

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
FLORES = FLORES_DIR / "khm_Khmr.dev"
SAMPLE = SAMPLES / "phnompenhpost-justice-ministry.txt"
ARTIFACTS = ROOT / "tests" / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip("chromium is not installed (apt-get install chromium fonts-khmeros fonts-noto-core); runs in CI", allow_module_level=True)


@pytest.fixture(scope="module")
def page_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample article's bilingual page, Khmer from FLORES-200 as stand-in translations."""
    if not SAMPLE.is_file() or not FLORES.is_file():
        pytest.fail(f"test data missing: {SAMPLE} / {FLORES}")
    work = tmp_path_factory.mktemp("browser")
    article = work / SAMPLE.name
    shutil.copyfile(SAMPLE, article)
    ws = Workspace(locales=work / "locales")
    [result] = extract([article], [language("km")], ws, now=FROZEN_NOW)
    po_path = result.catalogs[0].path
    khmer = FLORES.read_text(encoding="utf-8").splitlines()
    po = polib.pofile(str(po_path))
    for index, entry in enumerate(po):
        entry.msgstr = khmer[index]
        if index % 3 == 1:
            entry.flags.append("fuzzy")
    po_path.write_bytes(render_catalog(po))
    [published] = publish(
        [article], language("km"), work / "out", ws, PublishOptions(include_fuzzy=True),
        edition=Edition.BILINGUAL, edition_format=EditionFormat.HTML, highlight_unreviewed=True,
    )
    assert published.error is None and published.output is not None
    return published.output


@pytest.fixture(scope="module")
def browser():
    if os.environ.get("CI"):
        from playwright import sync_api  # in CI the test must run, not skip
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM or "/usr/bin/chromium", args=ARGS, headless=True)
        yield browser
        browser.close()


def _open(browser, page_path: Path, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(page_path.as_uri())
    page.evaluate("document.fonts.ready")
    return page, errors, requests


def _boxes(page):
    pair = page.locator(".pair.paragraph").first
    return pair.locator('[lang="en"]').bounding_box(), pair.locator('[lang="km"]').bounding_box()


def test_columns_side_by_side_at_desktop_width(browser, page_path: Path) -> None:
    page, errors, requests = _open(browser, page_path, 1280)
    en, km = _boxes(page)
    assert en and km and en["width"] > 100 and en["height"] > 0 and km["width"] > 100 and km["height"] > 0
    assert km["x"] >= en["x"] + en["width"] - 1, (en, km)  # right of the English
    assert abs(km["y"] - en["y"]) < 5
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "bilingual-desktop.png"), full_page=False)
    assert errors == []
    assert [url for url in requests if not url.startswith("file:")] == []
    page.close()


def test_columns_stacked_at_narrow_width(browser, page_path: Path) -> None:
    page, errors, _ = _open(browser, page_path, 400)
    en, km = _boxes(page)
    assert en and km and en["width"] > 100 and km["width"] > 100
    assert km["y"] >= en["y"] + en["height"] - 1, (en, km)  # below the English
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "bilingual-narrow.png"), full_page=False)
    assert errors == []
    page.close()


def test_khmer_is_set_in_a_khmer_font(browser, page_path: Path) -> None:
    page, _, _ = _open(browser, page_path, 1280)
    available = page.evaluate(
        """() => ['Noto Sans Khmer', 'Khmer OS Siemreap', 'Khmer OS'].filter(f => document.fonts.check(`16px "${f}"`, 'ក'))"""
    )
    assert available, "no Khmer font available to the page"
    style = page.locator('.pair.paragraph [lang="km"]').first.evaluate(
        "e => { const s = getComputedStyle(e); return [s.fontFamily, s.lineHeight, s.fontSize, s.letterSpacing, s.textAlign]; }"
    )
    family, line_height, size, spacing, align = style
    assert "Noto Sans Khmer" in family and "Khmer OS Siemreap" in family
    assert float(line_height.rstrip("px")) / float(size.rstrip("px")) == pytest.approx(1.8, abs=0.05)
    assert spacing in ("normal", "0px") and align != "justify"
    # The Khmer text really is drawn with a Khmer font: its width differs from a
    # generic fallback's (which shows missing-glyph boxes of another width).
    widths = page.evaluate(
        """() => { const c = document.createElement('canvas').getContext('2d'); const t = 'ក្រសួងយុត្តិធម៌';
        c.font = '16px "Noto Sans Khmer", "Khmer OS Siemreap"'; const khmer = c.measureText(t).width;
        c.font = '16px monospace'; const mono = c.measureText(t).width; return [khmer, mono]; }"""
    )
    assert widths[0] > 0 and widths[0] != widths[1]
    page.close()
