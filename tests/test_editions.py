"""Bilingual editions: block pairs, lang attributes, Khmer typography, Markdown interleaving, CLI."""

from __future__ import annotations

import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from conftest import FROZEN_NOW, article_fixtures

from translate.api import Workspace, extract, publish
from translate.catalog.store import render_catalog
from translate.cli import cli
from translate.editions import Edition, EditionFormat, bilingual_path
from translate.languages import language
from translate.load import load_article
from translate.metadata import format_date, language_name, localize_digits
from translate.publish import PublishOptions, Review, translate_blocks

ARTICLE = """Floods hit Kandal province

Heavy rain flooded three districts on Monday. Hundreds of families left their homes.

Officials said 12 schools were closed.
"""
KM = {
    "Floods hit Kandal province": "ទឹកជំនន់វាយប្រហារខេត្តកណ្ដាល",
    "Heavy rain flooded three districts on Monday.": "ភ្លៀងធ្លាក់ខ្លាំងបានធ្វើឱ្យលិចស្រុកចំនួនបីកាលពីថ្ងៃច័ន្ទ។",
    "Hundreds of families left their homes.": "គ្រួសាររាប់រយបានចាកចេញពីផ្ទះរបស់ពួកគេ។",
}
FUZZY = {"Hundreds of families left their homes."}


def _setup(workdir: Path, name: str = "floods.txt", text: str = ARTICLE) -> tuple[Path, Workspace]:
    article = workdir / name
    article.write_text(text, encoding="utf-8")
    ws = Workspace(locales=workdir / "locales")
    [result] = extract([article], [language("km")], ws, now=FROZEN_NOW)
    po_path = result.catalogs[0].path
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = KM.get(entry.msgid, "")
        if entry.msgid in FUZZY:
            entry.flags.append("fuzzy")
    po_path.write_bytes(render_catalog(po))
    return article, ws


def _bilingual(workdir: Path, fmt: EditionFormat, **kwargs) -> str:
    article, ws = _setup(workdir)
    [result] = publish([article], language("km"), workdir / "out", ws, PublishOptions(include_fuzzy=True), edition=Edition.BILINGUAL, edition_format=fmt, **kwargs)
    assert result.error is None, result.error
    assert result.output == workdir / "out" / f"floods.en-km.{fmt.value}"
    return result.output.read_text(encoding="utf-8")


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.langs: list[tuple[str, str | None]] = []
        self.links: list[dict[str, str | None]] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("h1", "h2", "p", "blockquote"):
            self.langs.append((tag, attributes.get("lang")))
        if tag == "link":
            self.links.append(attributes)
        if tag in ("script", "img", "iframe") or (tag == "link" and attributes.get("rel") == "stylesheet"):
            self.external.append(tag)


def test_translate_blocks_reports_review_per_sentence(workdir: Path) -> None:
    article, _ = _setup(workdir)
    po = polib.pofile(str(workdir / "locales/km/LC_MESSAGES/floods.po"))
    translated = translate_blocks(load_article(article), po, language("km"), PublishOptions(include_fuzzy=True))
    reviews = [s.review for b in translated.blocks for s in b.sentences]
    assert reviews == [Review.REVIEWED, Review.REVIEWED, Review.UNREVIEWED, Review.MISSING]
    assert (translated.sentences, translated.reviewed, translated.used(True), translated.used(False)) == (4, 2, 3, 2)
    assert translated.blocks[1].text == KM["Heavy rain flooded three districts on Monday."] + " " + KM["Hundreds of families left their homes."]


def test_html_pairs_every_block_with_lang_attributes(workdir: Path) -> None:
    page = _bilingual(workdir, EditionFormat.HTML)
    parser = _Blocks()
    parser.feed(page)
    assert [lang for _, lang in parser.langs] == ["km"] + ["en", "km"] * 3  # the label, then the pairs
    assert '<h1 lang="en">Floods hit Kandal province</h1>' in page
    assert '<h1 lang="km">ទឹកជំនន់វាយប្រហារខេត្តកណ្ដាល</h1>' in page
    assert parser.external == []
    assert '<html lang="km">' in page


def test_html_khmer_typography_and_layout(workdir: Path) -> None:
    page = _bilingual(workdir, EditionFormat.HTML)
    assert '"Noto Sans Khmer", "Khmer OS Siemreap"' in page
    assert "line-height: 1.8" in page
    assert "justify" not in page
    assert "grid-template-columns: 1fr 1fr" in page
    assert "@media (max-width: 40rem)" in page and "@media print" in page
    assert "Content-Security-Policy" in page


def test_html_states_review_and_hreflang(workdir: Path) -> None:
    page = _bilingual(workdir, EditionFormat.HTML)
    assert "ការបកប្រែដោយម៉ាស៊ីន — បានពិនិត្យ ២ ក្នុងចំណោម ៤ ប្រយោគ" in page
    assert '<link rel="alternate" hreflang="en" href="floods.txt">' in page
    assert '<link rel="alternate" hreflang="km" href="floods.km.txt">' in page


def test_html_highlights_unreviewed_only_when_asked(workdir: Path) -> None:
    plain = _bilingual(workdir, EditionFormat.HTML)
    assert 'class="unreviewed"' not in plain
    marked = _bilingual(workdir, EditionFormat.HTML, highlight_unreviewed=True)
    assert '<span class="unreviewed" title="not reviewed">គ្រួសាររាប់រយបានចាកចេញពីផ្ទះរបស់ពួកគេ។</span>' in marked
    assert '<span class="untranslated" lang="en">Officials said 12 schools were closed.</span>' in marked


def test_html_escapes_text_source(workdir: Path) -> None:
    article, ws = _setup(workdir, text="Prices & <costs>\n\nA < B and C > D.\n")
    [result] = publish([article], language("km"), workdir / "out", ws, edition=Edition.BILINGUAL)
    assert result.output is not None
    page = result.output.read_text(encoding="utf-8")
    assert "Prices &amp; &lt;costs&gt;" in page and "A &lt; B and C &gt; D." in page


def test_markdown_interleaves_blocks_with_front_matter(workdir: Path) -> None:
    text = _bilingual(workdir, EditionFormat.MARKDOWN)
    assert text == (
        "---\n"
        'title: "Floods hit Kandal province"\n'
        'lang: "km"\n'
        'languages: ["en", "km"]\n'
        'translationKey: "floods"\n'
        'translation_status: "ការបកប្រែដោយម៉ាស៊ីន — បានពិនិត្យ ២ ក្នុងចំណោម ៤ ប្រយោគ"\n'
        "---\n\n"
        "# Floods hit Kandal province\n\n"
        "# ទឹកជំនន់វាយប្រហារខេត្តកណ្ដាល\n\n"
        "Heavy rain flooded three districts on Monday. Hundreds of families left their homes.\n\n"
        "ភ្លៀងធ្លាក់ខ្លាំងបានធ្វើឱ្យលិចស្រុកចំនួនបីកាលពីថ្ងៃច័ន្ទ។ គ្រួសាររាប់រយបានចាកចេញពីផ្ទះរបស់ពួកគេ។\n\n"
        "Officials said 12 schools were closed.\n"
    )


def test_markdown_source_date_is_localized(workdir: Path) -> None:
    source = "---\ntitle: Floods hit Kandal province\ndate: 2026-11-26\n---\n\n## Rain\n\nHeavy rain flooded three districts on Monday.\n"
    article, ws = _setup(workdir, "floods.md", source)
    [md] = publish([article], language("km"), workdir / "out", ws, edition=Edition.BILINGUAL, edition_format=EditionFormat.MARKDOWN)
    [page] = publish([article], language("km"), workdir / "out", ws, edition=Edition.BILINGUAL, edition_format=EditionFormat.HTML)
    assert md.output is not None and page.output is not None
    text = md.output.read_text(encoding="utf-8")
    assert 'date: "2026-11-26"\n' in text and 'date_display: "ថ្ងៃព្រហស្បតិ៍ ទី២៦ ខែវិច្ឆិកា ឆ្នាំ២០២៦"\n' in text
    assert '<time datetime="2026-11-26">ថ្ងៃព្រហស្បតិ៍ ទី២៦ ខែវិច្ឆិកា ឆ្នាំ២០២៦</time>' in page.output.read_text(encoding="utf-8")
    assert "## Rain\n\n" in text


def test_bilingual_path_convention(workdir: Path) -> None:
    article, _ = _setup(workdir)
    assert bilingual_path(load_article(article), language("km"), Path("out"), EditionFormat.MARKDOWN) == Path("out/floods.en-km.md")


@pytest.mark.parametrize(
    "khmer_digits, expected",
    [(None, "ថ្ងៃព្រហស្បតិ៍ ទី២៦ ខែវិច្ឆិកា ឆ្នាំ២០២៦"), (False, "ថ្ងៃព្រហស្បតិ៍ ទី26 ខែវិច្ឆិកា ឆ្នាំ2026")],
    ids=["km-default-khmer-digits", "ascii-digits"],
)
def test_khmer_dates(khmer_digits: bool | None, expected: str) -> None:
    assert format_date(date(2026, 11, 26), language("km"), khmer_digits) == expected


def test_digits_and_language_names() -> None:
    assert localize_digits("12 of 30", language("km")) == "១២ of ៣០"
    assert localize_digits("12", language("th")) == "12"
    assert language_name("en", language("km")) == "អង់គ្លេស"
    assert format_date(date(2026, 11, 26), language("en")) == "November 26, 2026"


def test_cli_publishes_bilingual_edition(workdir: Path) -> None:
    article, _ = _setup(workdir)
    runner = CliRunner()
    result = runner.invoke(cli, ["--locales", str(workdir / "locales"), "publish", str(article), "--to", "km", "--edition", "bilingual", "--edition-format", "md", "-o", str(workdir / "out")])
    assert result.exit_code == 0, result.output
    assert (workdir / "out" / "floods.en-km.md").is_file()
    assert "floods.en-km.md" in result.output


@pytest.mark.parametrize("path", article_fixtures(), ids=lambda p: p.name)
def test_every_fixture_publishes_both_bilingual_formats(path: Path, workdir: Path) -> None:
    article = workdir / path.name
    shutil.copyfile(path, article)
    ws = Workspace(locales=workdir / "locales")
    [result] = extract([article], [language("km")], ws, now=FROZEN_NOW)
    po_path = result.catalogs[0].path
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = "ខ្មែរ " + entry.msgid
    po_path.write_bytes(render_catalog(po))
    for fmt in EditionFormat:
        # "ខ្មែរ <English>" fails the untranslated check; here only the layout matters
        [published] = publish([article], language("km"), workdir / "out", ws, PublishOptions(checks=False), edition=Edition.BILINGUAL, edition_format=fmt)
        assert published.error is None, published.error
        assert published.output is not None and published.output.read_text(encoding="utf-8").count("ខ្មែរ") >= 1
    parser = _Blocks()
    page = (workdir / "out" / f"{load_article(article).slug}.en-km.html").read_text(encoding="utf-8")
    parser.feed(page.split("<main>", 1)[1])
    langs = [lang for _, lang in parser.langs]
    assert langs and langs == ["en", "km"] * (len(langs) // 2)
