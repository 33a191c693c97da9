"""No executable HTML in the bilingual page, whatever the article or the catalog holds."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from conftest import FROZEN_NOW

from translate.api import Workspace, extract, publish
from translate.catalog.store import render_catalog
from translate.editions import Edition, EditionFormat
from translate.editions.sanitize import safe_pair
from translate.languages import language
from translate.publish import PublishOptions

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "img-onerror": '<img src=x onerror="alert(1)">',
    "javascript-url": '<a href="javascript:alert(1)">click</a>',
    "javascript-url-entities": '<a href="jav&#x61;script:alert(1)">click</a>',
    "data-url": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    "svg-onload": '<svg onload="alert(1)"><circle r="1"/></svg>',
    "iframe": '<iframe src="https://example.com/"></iframe>',
    "object": '<object data="x.swf"></object><embed src="x.swf">',
    "style-attr": '<span style="background:url(javascript:alert(1))" onmouseover="alert(1)">x</span>',
    "broken-tag": '<a href="https://ok.example/" onclick=alert(1) >x</a',
}
FORBIDDEN_TAGS = {"script", "iframe", "svg", "object", "embed", "img", "math", "frame", "base", "form"}


class _Audit(HTMLParser):
    """Every element, attribute and URL an HTML page would act on."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "formaction", "data", "xlink:href"):
                url = (value or "").strip().lower().replace("\t", "").replace("\n", "")
                if url.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"{tag}[{name}={value}]")
            if name == "style" and tag != "style":
                self.problems.append(f"{tag}[style]")

    handle_startendtag = handle_starttag


def audit(page: str) -> list[str]:
    parser = _Audit()
    parser.feed(page)
    parser.close()
    return parser.problems


def _publish(workdir: Path, name: str, source: str, msgstr_for) -> str:
    article = workdir / name
    article.write_text(source, encoding="utf-8")
    ws = Workspace(locales=workdir / "locales")
    [result] = extract([article], [language("km")], ws, now=FROZEN_NOW)
    assert result.error is None, result.error
    po_path = result.catalogs[0].path
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = msgstr_for(entry.msgid)
    po_path.write_bytes(render_catalog(po))
    # checks off: the markup check would withhold a typed payload; the page must be safe without it too
    [published] = publish(
        [article], language("km"), workdir / "out", ws, PublishOptions(include_fuzzy=True, checks=False),
        edition=Edition.BILINGUAL, edition_format=EditionFormat.HTML, highlight_unreviewed=True,
    )
    assert published.error is None and published.output is not None, published.error
    return published.output.read_text(encoding="utf-8")


def _sources(payload: str) -> list[tuple[str, str]]:
    return [
        ("story.txt", f"A title\n\nThe minister spoke {payload} on Monday.\n"),
        ("story.md", f"# A title\n\nThe minister spoke {payload} on Monday.\n"),
        ("story.html", f"<html><body><h1>A title</h1><p>The minister spoke {payload} on Monday.</p></body></html>\n"),
    ]


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
def test_payload_in_source_is_not_executable(workdir: Path, payload: str, fmt: str) -> None:
    name, source = next(s for s in _sources(payload) if s[0].endswith(fmt))
    page = _publish(workdir, name, source, lambda msgid: "សេចក្ដីប្រែ " + msgid)
    assert audit(page) == []


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
def test_payload_typed_into_msgstr_is_not_executable(workdir: Path, payload: str, fmt: str) -> None:
    name, source = next(s for s in _sources('<a href="https://example.com/">link</a>' if fmt == "html" else "plainly") if s[0].endswith(fmt))
    page = _publish(workdir, name, source, lambda msgid: f"រដ្ឋមន្ត្រី {payload} ថ្ងៃច័ន្ទ។")
    assert audit(page) == []
    assert "រដ្ឋមន្ត្រី" in page


def test_translation_keeps_only_the_sources_markup() -> None:
    source = 'See <a href="https://example.com/">the report</a> and <em>this</em>.'
    _, translated = safe_pair(source, 'មើល <a href="https://example.com/km" title="t">របាយការណ៍</a> <strong>នេះ</strong> <em>ផង</em>។', "html")
    assert translated == 'មើល <a href="https://example.com/km">របាយការណ៍</a> នេះ <em>ផង</em>។'


@pytest.mark.parametrize(
    "href, kept",
    [("https://a.example/", True), ("http://a.example/", True), ("mailto:desk@a.example", True), ("/km/story", True), ("story.km.html", True),
     ("javascript:alert(1)", False), ("data:text/html,x", False), ("vbscript:x", False)],
)
def test_only_safe_url_schemes(href: str, kept: bool) -> None:
    source, translated = safe_pair(f'<a href="{href}">x</a>', f'<a href="{href}">ក</a>', "html")
    assert (f'href="{href}"' in source) is kept
    assert (f'href="{href}"' in translated) is kept


def _publish_markdown(workdir: Path, name: str, source: str, msgstr_for) -> str:
    article = workdir / name
    article.write_text(source, encoding="utf-8")
    ws = Workspace(locales=workdir / "locales")
    [result] = extract([article], [language("km")], ws, now=FROZEN_NOW)
    po_path = result.catalogs[0].path
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = msgstr_for(entry.msgid)
    po_path.write_bytes(render_catalog(po))
    [published] = publish([article], language("km"), workdir / "out", ws, PublishOptions(include_fuzzy=True, checks=False), edition=Edition.BILINGUAL, edition_format=EditionFormat.MARKDOWN)
    assert published.error is None and published.output is not None, published.error
    return published.output.read_text(encoding="utf-8")


MARKDOWN_PAYLOADS = {**PAYLOADS, "md-javascript-link": "[click](javascript:alert(1))", "md-autolink": "<javascript:alert(1)>", "md-data-link": "[x]( data:text/html,x)"}


@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS.values(), ids=MARKDOWN_PAYLOADS.keys())
@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
@pytest.mark.parametrize("where", ["source", "msgstr"])
def test_markdown_edition_renders_without_executable_html(workdir: Path, payload: str, fmt: str, where: str) -> None:
    from markdown_it import MarkdownIt

    in_source = payload if where == "source" else "plainly"
    name, source = next(s for s in _sources(in_source) if s[0].endswith(fmt))
    msgstr = (lambda msgid: "ប្រែ " + msgid) if where == "source" else (lambda msgid: f"រដ្ឋមន្ត្រី {payload} ថ្ងៃច័ន្ទ។")
    text = _publish_markdown(workdir, name, source, msgstr)
    body = text.split("---\n", 2)[2]
    # A static site that lets raw HTML through (markdown-it with html=True, kramdown).
    assert audit(MarkdownIt("commonmark", {"html": True}).render(body)) == []
