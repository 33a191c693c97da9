"""No executable content in any published edition, whatever the article or the catalog holds.

The table: every payload of :mod:`xss_support` × every edition that makes a page
× every source format × where the payload is (in the source article, or typed
into every body msgstr of a reviewed catalog). Each page is parsed with
html5lib (Markdown editions rendered first as a site that passes raw HTML and
any link through) and audited. Editions that are the source filled in
(``localized`` of HTML and Markdown) may keep what the source itself has,
nothing more; new pages keep nothing executable at all.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from xss_support import (
    EDITIONS,
    HOSTILE_PREFIX,
    OWN_FORMAT,
    PAYLOADS,
    Published,
    as_page,
    audit,
    echo,
    hostile,
    hostile_values,
    publish_all,
    source_text,
    split_front_matter,
    template_tags,
    value_markup,
    VALUES,
)

from translate.editions.sanitize import safe_pair

CASES = [
    pytest.param(payload, edition, fmt, where, id=f"{payload}-{edition}-{fmt}-{where}")
    for payload in PAYLOADS
    for edition, fmt in EDITIONS
    for where in ("source", "msgstr")
]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str, str], Published]:
    """Every edition of an article with a payload, published once per (payload, format, where)."""
    root = tmp_path_factory.mktemp("xss")
    cache: dict[tuple[str, str, str], Published] = {}

    def get(payload: str, fmt: str, where: str) -> Published:
        key = (payload, fmt, where)
        if key not in cache:
            if where == "source":
                cache[key] = publish_all(root / f"{len(cache)}", fmt, source_text(fmt, PAYLOADS[payload]), echo)
            else:
                cache[key] = publish_all(root / f"{len(cache)}", fmt, source_text(fmt, "plainly"), hostile(PAYLOADS[payload]))
        return cache[key]

    return get


@pytest.mark.parametrize("payload, edition, fmt, where", CASES)
def test_no_executable_markup(published: Callable[[str, str, str], Published], payload: str, edition: str, fmt: str, where: str) -> None:
    result = published(payload, fmt, where)
    assert edition in result.pages, result.errors
    text = result.pages[edition]
    problems = audit(as_page(edition, fmt, text))
    own_format = (edition, fmt) in OWN_FORMAT
    if where == "source" and own_format:
        # The article filled in: the source's own markup may stay, the translation adds none.
        assert problems <= audit(as_page(edition, fmt, result.source)), problems
    else:
        assert not problems, problems
    source_templates = template_tags(result.source)
    if own_format:
        assert template_tags(text) <= source_templates
    elif fmt == "md":
        assert template_tags(text) <= {tag for tag in source_templates if not tag.startswith("{:")}
    else:
        assert template_tags(text) == set()
    if where == "msgstr":
        assert HOSTILE_PREFIX in text  # the translation is published, its markup made text
    if text.startswith("---\n"):
        # Front-matter values are plain text: no markup beyond what the source's values had.
        assert value_markup(split_front_matter(text)[0]) <= value_markup(split_front_matter(result.source)[0])


def test_table_size() -> None:
    """The size of the table, as reported in docs/publishing.md."""
    assert (len(PAYLOADS), len(EDITIONS), len(CASES)) == (45, 10, 900)


# --- plain-text values: titles, front matter and attributes are refused, with the catalog's file and line ---------

@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
def test_markup_in_a_title_or_front_matter_is_refused(tmp_path: Path, fmt: str, payload: str) -> None:
    result = publish_all(tmp_path / "bad", fmt, source_text(fmt, "plainly"), hostile_values(PAYLOADS[payload]))
    assert result.pages == {}
    assert len(result.errors) == (3 if fmt == "md" else 4)  # every edition refused
    po_path = tmp_path / "bad" / "locales" / "km" / "LC_MESSAGES" / "story.po"
    lines = po_path.read_text(encoding="utf-8").splitlines()
    for error in result.errors.values():
        assert "\n" not in error
        where, _, message = error.partition(": ")
        path, line = where.rsplit(":", 1)
        assert path == str(po_path)
        assert lines[int(line) - 1].startswith("msgstr "), lines[int(line) - 1]  # the msgstr to fix
        assert lines[int(line) - 2] in {f'msgid "{value}"' for value in VALUES}
        assert "adds markup to plain text" in message


def test_a_refused_article_does_not_stop_the_others(tmp_path: Path) -> None:
    from translate.api import Workspace, extract, publish
    from translate.languages import language
    from translate.publish import PublishOptions
    from xss_support import fill_catalog

    bad, good = tmp_path / "bad.md", tmp_path / "good.md"
    bad.write_text(source_text("md", "plainly"), encoding="utf-8")
    good.write_text(source_text("md", "plainly"), encoding="utf-8")
    ws = Workspace(locales=tmp_path / "locales")
    results = extract([bad, good], [language("km")], ws)
    fill_catalog(results[0].catalogs[0].path, hostile_values("<script>alert(1)</script>"))
    fill_catalog(results[1].catalogs[0].path, hostile("<img src=x onerror=alert(1)>"))
    refused, published = publish([bad, good], language("km"), tmp_path / "out", ws, PublishOptions(checks=False))
    assert refused.error is not None and refused.output is None
    assert published.error is None and published.output is not None
    assert not audit(as_page("localized", "md", published.output.read_text(encoding="utf-8")))


def test_a_plain_text_file_keeps_the_translation_as_typed(tmp_path: Path) -> None:
    """A .txt file is not rendered: the translator's text goes in unchanged (its Markdown and HTML editions escape it)."""
    payload = PAYLOADS["img-onerror"]
    result = publish_all(tmp_path, "txt", source_text("txt", "plainly"), hostile(payload), names=("localized",))
    assert f"{HOSTILE_PREFIX} {payload} ថ្ងៃច័ន្ទ។" in result.pages["localized"]


# --- the bilingual page's own allow-list ---------------------------------------------------------------


def test_translation_keeps_only_the_sources_markup() -> None:
    source = 'See <a href="https://example.com/">the report</a> and <em>this</em>.'
    _, translated = safe_pair(source, 'មើល <a href="https://example.com/km" title="t">របាយការណ៍</a> <strong>នេះ</strong> <em>ផង</em>។', "html")
    assert translated == 'មើល <a href="https://example.com/km">របាយការណ៍</a> នេះ <em>ផង</em>។'


@pytest.mark.parametrize(
    "href, kept",
    [("https://a.example/", True), ("http://a.example/", True), ("mailto:desk@a.example", True), ("/km/story", True), ("story.km.html", True),
     ("javascript:alert(1)", False), ("data:text/html,x", False), ("vbscript:x", False)],
)  # fmt: skip
def test_only_safe_url_schemes(href: str, kept: bool) -> None:
    source, translated = safe_pair(f'<a href="{href}">x</a>', f'<a href="{href}">ក</a>', "html")
    assert (f'href="{href}"' in source) is kept
    assert (f'href="{href}"' in translated) is kept
