"""Dates in bylines: recognised, kept out of catalogs, published in the target language with Babel."""

from __future__ import annotations

import shutil
from datetime import date, time
from pathlib import Path

import polib
import pytest
from conftest import DATA, FROZEN_NOW, check_golden, msgfmt_check

from translate.api import Workspace, extract, publish
from translate.article import BlockKind
from translate.bylines import BylineDate, is_byline_text, parse_date
from translate.catalog.store import render_catalog, write_atomic
from translate.editions import EditionFormat
from translate.languages import language
from translate.load import load_article
from translate.publish import PublishOptions

BYLINES = DATA / "bylines"
GOLDEN = BYLINES / "golden"

#: Translations of every sentence of the fixtures (dates are never among them).
KM = {
    "Floods reach Phnom Penh": "ទឹកជំនន់ដល់ភ្នំពេញ",
    "By Jane Doe": "ដោយ Jane Doe",
    'By <a href="/authors/jane-doe" rel="author">Jane Doe</a>': 'ដោយ <a href="/authors/jane-doe" rel="author">Jane Doe</a>',
    "Updated": "ធ្វើបច្ចុប្បន្នភាព",
    "Published:": "ចុះផ្សាយ៖",
    "Published: February 30, 2026": "ចុះផ្សាយ៖ February 30, 2026",
    "Published: Feb 30, 2026": "ចុះផ្សាយ៖ Feb 30, 2026",
    "Residents wade through a flooded street on Tuesday.": "អ្នករស់នៅដើរកាត់ផ្លូវលិចទឹកកាលពីថ្ងៃអង្គារ។",
    "Photo: Sok Dara": "រូបថត៖ Sok Dara",
    "The Mekong rose above its warning level on Tuesday.": "ទន្លេមេគង្គឡើងលើសកម្រិតប្រកាសអាសន្នកាលពីថ្ងៃអង្គារ។",
    'The Mekong rose above its warning level on <time datetime="2026-11-24">Tuesday</time>.': 'ទន្លេមេគង្គឡើងលើសកម្រិតប្រកាសអាសន្នកាលពី<time datetime="2026-11-24">ថ្ងៃអង្គារ</time>។',
    "Officials said the water would fall by Friday.": "មន្ត្រីបាននិយាយថាទឹកនឹងស្រកនៅថ្ងៃសុក្រ។",
    "Schools in three districts stay closed:": "សាលារៀនក្នុងខណ្ឌចំនួនបីនៅតែបិទ៖",
    "Chbar Ampov": "ច្បារអំពៅ",
    "Mean Chey": "មានជ័យ",
}
FR = {
    "By Jane Doe": "Par Jane Doe",
    "Updated": "Mis à jour",
    "Floods reach Phnom Penh": "Les crues atteignent Phnom Penh",
}


# -- reading dates ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25 November 2026", BylineDate(date(2026, 11, 25))),
        ("November 25, 2026", BylineDate(date(2026, 11, 25))),
        ("Nov. 25, 2026", BylineDate(date(2026, 11, 25))),
        ("Sept 3, 2026", BylineDate(date(2026, 9, 3))),
        ("Wednesday, November 25, 2026", BylineDate(date(2026, 11, 25))),
        ("25th Nov 2026", BylineDate(date(2026, 11, 25))),
        ("2026-11-25", BylineDate(date(2026, 11, 25))),
        ("November 25, 2026 17:30 ICT", BylineDate(date(2026, 11, 25), time(17, 30), "ICT")),
        ("Nov 25, 2026 5:30 pm", BylineDate(date(2026, 11, 25), time(17, 30))),
        ("Nov 25, 2026 12:05 a.m. GMT+7", BylineDate(date(2026, 11, 25), time(0, 5), "GMT+7")),
        ("February 30, 2026", None),
        ("Nov 25, 2026 25:10", None),
        ("November 25", None),
        ("yesterday", None),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_parse_date(text: str, expected: BylineDate | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "byline"),
    [
        ("By Jane Doe | 25 November 2026", True),
        ("Published: November 25, 2026 17:30 ICT", True),
        ("Updated Nov 25, 2026", True),
        ("*By Jane Doe | 25 November 2026*", True),
        ("By Sok Chan, Phnom Penh", True),
        ("25 November 2026", True),
        ("Jane Doe · 25 November 2026", True),
        ("Updated guidelines for rice exports", False),
        ("By the end of November 25, 2026 the river had fallen.", False),
        ("Floods on 25 November 2026", False),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_is_byline_text(text: str, byline: bool) -> None:
    assert is_byline_text(text) is byline


@pytest.mark.parametrize("name", ["story.txt", "story.md", "story.html"])
def test_dates_are_blocks_of_their_own_and_stay_out_of_catalogs(name: str, workdir: Path) -> None:
    article_path = workdir / name
    shutil.copyfile(BYLINES / name, article_path)
    article = load_article(article_path)
    dates = [b.text for b in article.blocks if b.kind is BlockKind.DATE]
    assert dates[0] == "25 November 2026"
    assert dates[1] in ("Nov 26, 2026 5:30 pm ICT", "November 25, 2026 17:30 ICT", "Nov 26, 2026")
    [result] = extract([article_path], [language("km")], Workspace(locales=workdir / "locales"), now=FROZEN_NOW)
    msgids = [e.msgid for e in polib.pofile(str(result.catalogs[0].path))]
    assert not any(d in m for d in dates for m in msgids), msgids
    assert any(m.startswith("By ") and m.endswith("Jane Doe" if name != "story.html" else "</a>") for m in msgids)
    if name != "story.md":
        assert any("30, 2026" in m for m in msgids)  # an unparseable date stays in its text
    msgfmt_check(result.catalogs[0].path)
    msgfmt_check(result.template)


def test_html_byline_keeps_its_time_element_and_machine_date() -> None:
    article = load_article(BYLINES / "story.html")
    byline = next(b for b in article.blocks if b.kind is BlockKind.BYLINE)
    assert byline.text == 'By <a href="/authors/jane-doe" rel="author">Jane Doe</a>'
    paragraph = next(b for b in article.blocks if b.kind is BlockKind.PARAGRAPH)
    assert '<time datetime="2026-11-24">Tuesday</time>' in paragraph.text  # a <time> outside a byline is prose


# -- publishing ---------------------------------------------------------------


def _catalog(workdir: Path, name: str, lang: str, translations: dict[str, str] | None) -> tuple[Path, Workspace]:
    article_path = workdir / name
    shutil.copyfile(BYLINES / name, article_path)
    ws = Workspace(locales=workdir / "locales")
    [result] = extract([article_path], [language(lang)], ws, now=FROZEN_NOW)
    po_path = result.catalogs[0].path
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = entry.msgid if translations is None else translations.get(entry.msgid, "")
    write_atomic(po_path, render_catalog(po))
    msgfmt_check(po_path)
    return article_path, ws


def _published(workdir: Path, name: str, lang: str, translations: dict[str, str] | None, **kwargs) -> str:
    article_path, ws = _catalog(workdir, name, lang, translations)
    options = kwargs.pop("options", PublishOptions())
    [result] = publish([article_path], language(lang), workdir / "out", ws, options, **kwargs)
    assert result.error is None, result.error
    assert result.output is not None
    return result.output.read_text(encoding="utf-8")


def _golden(name: str, text: str) -> None:
    check_golden(GOLDEN / name, text, cldr=True)


@pytest.mark.parametrize("name", ["story.txt", "story.md", "story.html"])
def test_identity_publishing_keeps_english_dates_byte_for_byte(name: str, workdir: Path) -> None:
    text = _published(workdir, name, "km", None)
    source = (BYLINES / name).read_text(encoding="utf-8")
    assert text.replace('lang="km"', 'lang="en"').replace("lang: km\n", "") == source


@pytest.mark.parametrize(
    ("name", "lang", "translations", "golden"),
    [
        ("story.txt", "km", KM, "story.km.txt"),
        ("story.md", "km", KM, "story.km.md"),
        ("story.html", "km", KM, "story.km.html"),
        ("story.txt", "fr", FR, "story.fr.txt"),
        ("story.txt", "th", {"By Jane Doe": "โดย Jane Doe"}, "story.th.txt"),
    ],
    ids=lambda value: value if isinstance(value, str) and "." in value else None,
)
def test_byline_dates_published_in_target_language(name: str, lang: str, translations: dict[str, str], golden: str, workdir: Path) -> None:
    _golden(golden, _published(workdir, name, lang, translations))


def test_khmer_dates_have_khmer_month_names_and_digits(workdir: Path) -> None:
    text = _published(workdir, "story.txt", "km", KM)
    assert "ដោយ Jane Doe | ថ្ងៃពុធ ទី២៥ ខែវិច្ឆិកា ឆ្នាំ២០២៦\n" in text
    assert "ធ្វើបច្ចុប្បន្នភាព ថ្ងៃព្រហស្បតិ៍ ទី២៦ ខែវិច្ឆិកា ឆ្នាំ២០២៦ ម៉ោង ១៧:៣០ ICT\n" in text
    assert "ចុះផ្សាយ៖ February 30, 2026" in text  # not a date: translated as text


def test_ascii_digits_and_keep_dates(workdir: Path) -> None:
    text = _published(workdir, "story.txt", "km", KM, options=PublishOptions(khmer_digits=False))
    assert "ថ្ងៃពុធ ទី25 ខែវិច្ឆិកា ឆ្នាំ2026" in text
    kept = _published(workdir, "story.txt", "km", KM, options=PublishOptions(localize_dates=False))
    assert "ដោយ Jane Doe | 25 November 2026\n" in kept


def test_localized_markdown_of_a_text_article(workdir: Path) -> None:
    text = _published(workdir, "story.txt", "km", KM, edition_format=EditionFormat.MARKDOWN)
    _golden("story.txt.km.md", text)


def test_localized_markdown_of_an_html_article(workdir: Path) -> None:
    text = _published(workdir, "story.html", "km", KM, edition_format=EditionFormat.MARKDOWN)
    _golden("story.html.km.md", text)


@pytest.mark.parametrize("fmt", [EditionFormat.HTML, EditionFormat.MARKDOWN], ids=str)
def test_bilingual_editions_show_both_dates(fmt: EditionFormat, workdir: Path) -> None:
    from translate.editions import Edition

    text = _published(workdir, "story.html", "km", KM, edition=Edition.BILINGUAL, edition_format=fmt)
    if fmt is EditionFormat.HTML:
        assert '<p lang="en">25 November 2026</p>\n<p lang="km">ថ្ងៃពុធ ទី២៥ ខែវិច្ឆិកា ឆ្នាំ២០២៦</p>' in text
    else:
        assert "\n\n25 November 2026\n\nថ្ងៃពុធ ទី២៥ ខែវិច្ឆិកា ឆ្នាំ២០២៦\n\n" in text
