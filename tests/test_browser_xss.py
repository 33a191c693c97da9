"""Every published page in headless Chromium, from catalogs full of hostile translations.

One article per source format, one body sentence per payload of
:mod:`xss_support`, every msgstr reviewed and hostile. Every edition that
makes a page is loaded (Markdown rendered as a site that passes raw HTML and
any link through), with the page's Content-Security-Policy bypassed so that
only the markup protects it. The page is then exercised: every element gets
pointer and focus events, every ``javascript:``-like link, button and input is
clicked. Nothing may open a dialog, call the canary (``alert``, ``fetch``…
replaced by functions that count), navigate away or request anything but the
page itself. A control page holding the raw payloads shows each detector works.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest
from xss_support import EDITIONS, PAYLOADS, as_page, publish_all

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip("chromium is not installed (apt-get install chromium); runs in CI", allow_module_level=True)

CANARY = """
window.__xss = [];
for (const name of ['alert', 'confirm', 'prompt', 'print', 'fetch', 'open']) {
  const original = window[name];
  window[name] = function () { window.__xss.push(name); try { return original && original.apply(this, arguments); } catch (e) {} };
}
const send = XMLHttpRequest.prototype.send;
XMLHttpRequest.prototype.send = function () { window.__xss.push('xhr'); return send.apply(this, arguments); };
"""

EXERCISE = """async () => {
  const all = Array.from(document.querySelectorAll('*'));
  for (const e of all) {
    for (const type of ['mouseover', 'mouseenter', 'mousemove', 'focus', 'focusin', 'animationstart', 'transitionend']) {
      try { e.dispatchEvent(new Event(type, {bubbles: true})); } catch (err) {}
    }
  }
  for (const e of all) {
    const href = e.getAttribute && (e.getAttribute('href') || e.getAttribute('xlink:href'));
    let protocol = null;
    try { protocol = href ? new URL(href, document.baseURI).protocol : null; } catch (err) {}
    const link = href !== null && href !== undefined;
    const safe = ['http:', 'https:', 'mailto:', 'file:'].includes(protocol);
    if ((link && !safe) || ['BUTTON', 'INPUT', 'SUMMARY', 'AREA'].includes(e.tagName)) {
      try { e.click(); } catch (err) {}
    }
  }
  await new Promise(resolve => setTimeout(resolve, 300));
  return window.__xss || [];
}"""


def _sentence(index: int) -> str:
    return f"Sentence number {index} is here."


def _source(fmt: str) -> str:
    sentences = [_sentence(index) for index in range(len(PAYLOADS))]
    if fmt == "txt":
        return "A title\n\n" + "\n\n".join(sentences) + "\n"
    if fmt == "md":
        return "---\ntitle: A title\n---\n\n" + "\n\n".join(sentences) + "\n"
    body = "".join(f"<p>{sentence}</p>\n" for sentence in sentences)
    return f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>A title</title></head>\n<body>\n<h1>A title</h1>\n{body}</body></html>\n'


def _hostile(entry: polib.POEntry) -> str:
    for index, payload in enumerate(PAYLOADS.values()):
        if entry.msgid == _sentence(index):
            return f"ប្រយោគ {payload} ទី{index}។"
    return "ចំណងជើង"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every page of every edition, written as an HTML file: ``<edition>-<format>`` -> path."""
    root = tmp_path_factory.mktemp("browser-xss")
    found: dict[str, Path] = {}
    published = {fmt: publish_all(root / fmt, fmt, _source(fmt), _hostile) for fmt in ("txt", "md", "html")}
    for edition, fmt in EDITIONS:
        result = published[fmt]
        assert edition in result.pages, result.errors
        path = root / "pages" / f"{edition}-{fmt}.html"
        path.parent.mkdir(exist_ok=True)
        path.write_text(as_page(edition, fmt, result.pages[edition]), encoding="utf-8")
        found[f"{edition}-{fmt}"] = path
    control = root / "pages" / "control.html"
    control.write_text(
        "<!DOCTYPE html><html><body>" + "".join(f"<p>{payload}</p>" for payload in PAYLOADS.values() if payload.startswith("<")) + "</body></html>",
        encoding="utf-8",
    )
    found["control"] = control
    return found


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


def visit(browser, path: Path) -> dict[str, list[str]]:
    """Load and exercise a page; what it ran, asked and requested."""
    context = browser.new_context(bypass_csp=True, java_script_enabled=True)
    context.add_init_script(CANARY)
    page = context.new_page()
    url = path.as_uri()
    dialogs: list[str] = []
    requests: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: requests.append(request.url) if request.url != url else None)
    context.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
    page.goto(url)
    page.wait_for_timeout(200)
    try:
        canary = page.evaluate(EXERCISE)
    except Exception as error:  # the page navigated away while being exercised
        canary = [f"navigated: {error}"]
    page.wait_for_timeout(200)
    navigated = [page.url] if page.url != url else []
    context.close()
    return {"dialogs": dialogs, "canary": canary, "requests": requests, "navigated": navigated}


@pytest.mark.parametrize("name", [f"{edition}-{fmt}" for edition, fmt in EDITIONS])
def test_published_page_runs_nothing_and_requests_nothing(browser, pages: dict[str, Path], name: str) -> None:
    assert visit(browser, pages[name]) == {"dialogs": [], "canary": [], "requests": [], "navigated": []}


def test_the_detectors_catch_the_raw_payloads(browser, pages: dict[str, Path]) -> None:
    """The same payloads unescaped: dialogs, canary calls and requests are all seen."""
    seen = visit(browser, pages["control"])
    assert seen["dialogs"] and seen["canary"] and seen["requests"], seen
