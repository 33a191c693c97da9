"""The Markdown edition of an HTML article keeps links, tables, code and text kept out of translation, as Markdown.

Hugo's Goldmark omits raw HTML by default, so tags in the edition would
vanish from the site: the golden below is the edition of
``tests/data/html/edition/rice-exports.html`` with every translation equal
to its English (identity), rendered by markdown-it and by the real Hugo.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import html5lib
import polib
import pytest
from conftest import DATA, FROZEN_NOW, check_golden, msgfmt_check
from markdown_it import MarkdownIt

from translate.api import Workspace, extract, publish
from translate.catalog.store import render_catalog
from translate.editions import EditionFormat
from translate.languages import language
from translate.layout import Layout, LayoutKind
from translate.publish import PublishOptions

KM = language("km")
PAGE = DATA / "html" / "edition" / "rice-exports.html"
GOLDEN = DATA / "html" / "edition" / "golden" / "rice-exports.km.md"
XHTML = "{http://www.w3.org/1999/xhtml}"


def _edition(workdir: Path, fill, *, layout: Layout | None = None, out: Path | None = None) -> str:  # type: ignore[no-untyped-def]
    article = workdir / PAGE.name
    shutil.copyfile(PAGE, article)
    ws = Workspace(locales=workdir / "locales")
    [result] = extract([article], [KM], ws, now=FROZEN_NOW)
    po_path = result.catalogs[0].path
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr, entry.flags = fill(entry.msgid), []
    po_path.write_bytes(render_catalog(po))
    msgfmt_check(po_path)
    options = PublishOptions(checks=False, layout=layout or Layout())
    [published] = publish([article], KM, out or workdir / "out", ws, options, edition_format=EditionFormat.MARKDOWN)
    assert published.error is None, published.error
    return published.output.read_text(encoding="utf-8")


def _body(text: str) -> str:
    return text.split("\n---\n", 1)[1]


def test_identity_edition_matches_its_golden(workdir: Path) -> None:
    text = _edition(workdir, lambda msgid: msgid)
    check_golden(GOLDEN, text)


def test_markdown_renders_links_tables_code_and_kept_text(workdir: Path) -> None:
    rendered = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).render(_body(_edition(workdir, lambda msgid: msgid)))
    tree = html5lib.parse(rendered, namespaceHTMLElements=False)
    links = {a.get("href"): "".join(a.itertext()) for a in tree.iter("a")}
    assert links["https://example.org/reports/rice-2026.pdf"] == "Cambodia Rice Federation said"
    assert links["/authors/sokha"] == "Chan Sokha" and links["mailto:desk@example.org"] == "write to us"
    assert not any(href.startswith("javascript") for href in links)
    [table] = tree.iter("table")
    rows = [["".join(cell.itertext()) for cell in row] for row in table.iter("tr")]
    assert rows == [["Province", "Tonnes"], ["Battambang", "1,200"], ["Takeo | south", "800"], ["Kampot", ""]]
    [code] = [c for c in tree.iter("code") if c.get("class")]
    assert code.get("class") == "language-shell" and "# total < 5,000 tonnes" in code.text and "jq '.tonnes'" in code.text
    assert [c.text for c in tree.iter("code") if not c.get("class")] == ["rice --month 11"]
    [quote] = tree.iter("blockquote")
    assert "".join(quote.itertext()).strip() == "“Prices will hold,” said Song Saran."
    assert any("".join(p.itertext()) == "Khmer Times, Phnom Penh Post and Mekong Daily reported." for p in tree.iter("p"))
    assert [("".join(s.itertext())) for s in tree.iter("s")] == ["falling"] and [e.text for e in tree.iter("strong")] == ["12 percent"]


def test_translations_keep_their_links_and_bring_no_new_ones(workdir: Path) -> None:
    def fill(msgid: str) -> str:
        if "Cambodia Rice Federation said" in msgid:
            return 'ការនាំចេញកើនឡើង <strong>12 ភាគរយ</strong> <a href="https://example.org/reports/rice-2026.pdf" title="Full report (PDF)">សហព័ន្ធស្រូវអង្ករ</a> <a href="javascript:alert(1)">ចុច</a> [x](javascript:alert(2))។'
        return "ខ្មែរ។"
    body = _body(_edition(workdir, fill))
    assert '**12 ភាគរយ** [សហព័ន្ធស្រូវអង្ករ](https://example.org/reports/rice-2026.pdf "Full report (PDF)") ' in body
    assert '&lt;a href="javascript:alert(1)"&gt;ចុច \\[x\\](javascript:alert(2))។' in body  # the link the source has not: text
    rendered = MarkdownIt("commonmark", {"html": False}).render(body)
    assert "javascript" not in "".join(a.get("href", "") for a in html5lib.parse(rendered, namespaceHTMLElements=False).iter("a"))
    assert "| ខ្មែរ។ | 1,200 |" in body  # translated cells, numbers as in the source


def test_hugo_renders_the_edition_without_omitting_anything(workdir: Path) -> None:
    from test_sites import build_hugo

    site = workdir / "site"
    shutil.copytree(DATA / "sites" / "hugo-filename", site)
    layout = Layout(LayoutKind.HUGO_FILENAME, workdir)  # the HTML page's folder is mirrored into the site's content
    text = _edition(workdir, lambda msgid: msgid, layout=layout, out=site / "content")
    assert "translationKey" not in text and (site / "content" / "rice-exports.km.md").is_file()
    public = build_hugo(site)
    page = (public / "km" / "rice-exports" / "index.html").read_text(encoding="utf-8")
    assert "raw HTML omitted" not in page
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    assert tree.get("lang") == "km"
    assert {a.get("href") for a in tree.iter("a")} >= {"https://example.org/reports/rice-2026.pdf", "/authors/sokha", "mailto:desk@example.org"}
    assert len(list(tree.iter("table"))) == 1 and len(list(tree.iter("pre"))) == 1 and len(list(tree.iter("blockquote"))) == 1
    assert [c.get("class") for c in tree.iter("code") if c.get("class")] == ["language-shell"]


@pytest.mark.parametrize(
    ("fragment", "markdown"),
    [
        ('<a href="https://e.org/a b">x</a>', "[x](<https://e.org/a b>)"),
        ("<em> spaced </em>end", " *spaced* end"),
        ("<code>a`b</code>", "``a`b``"),
        ("<code>{{ page.x }}</code>", "&#123;{ page.x }}"),
        ("<b><i>both</i></b>", "***both***"),
        ('<a href="/x"><em>in</em> link</a>', "[*in* link](/x)"),
        ("2 <br> lines", "2 lines"),
    ],
    ids=["space-in-url", "emphasis-spaces", "backtick-in-code", "template-in-code", "nested", "emphasis-in-link", "br"],
)
def test_inline_conversion(fragment: str, markdown: str) -> None:
    from translate.editions.html_markdown import inline_markdown

    assert inline_markdown(fragment, fragment) == markdown.strip()
