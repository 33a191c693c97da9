"""The property every format must have: publishing msgstr == msgid reproduces the source."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest

from conftest import FROZEN_NOW, article_fixtures, msgfmt_check, page_fixtures, sample_articles
from translate.api import Workspace, extract, publish
from translate.catalog.paths import catalog_path
from translate.catalog.store import render_catalog, write_atomic
from translate.formats.html_main import visible
from translate.languages import language
from translate.load import load_article
from translate.publish import PublishOptions
from translate.render import render

ARTICLES = article_fixtures() + page_fixtures() + sample_articles()
KM = language("km")


def _fill(po_path: Path, fill) -> None:
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = fill(entry.msgid)
    write_atomic(po_path, render_catalog(po))


def _with_marker(article) -> str:
    """The source with only its language marker set to Khmer: what identity publishing must give."""
    return render(article.source, (), lambda block: None, marker=article.marker, lang=KM.code)


def test_there_are_three_articles_per_format() -> None:
    for fmt in ("text", "markdown", "html"):
        assert sum(1 for p in article_fixtures() if p.parent.name == fmt) >= 3, fmt


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_identity_publishing_is_byte_identical(path: Path, workdir: Path) -> None:
    article_path = workdir / path.name
    shutil.copyfile(path, article_path)
    [result] = extract([article_path], [KM], Workspace(locales=workdir / "locales"), now=FROZEN_NOW)
    assert result.error is None, result.error
    po_path = catalog_path(workdir / "locales", load_article(article_path).slug, "km")
    msgfmt_check(result.template)
    msgfmt_check(po_path)
    _fill(po_path, lambda msgid: msgid)
    msgfmt_check(po_path)
    [published] = publish([article_path], KM, workdir / "out", Workspace(locales=workdir / "locales"))
    assert published.error is None, published.error
    assert published.translated == published.sentences > 0
    data = published.output.read_bytes()
    original = path.read_bytes()
    article = load_article(article_path)
    if article.marker is None:
        assert data == original
    else:
        text = data.decode(article.encoding)
        if article.bom:
            text = text.lstrip("\ufeff")
        published_text = text.replace("\r\n", "\n") if article.newline == "\r\n" else text
        assert published_text == _with_marker(article)


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_translations_land_in_every_sentence(path: Path, workdir: Path) -> None:
    """With every sentence translated, no English sentence is left in the published text."""
    article_path = workdir / path.name
    shutil.copyfile(path, article_path)
    ws = Workspace(locales=workdir / "locales")
    [result] = extract([article_path], [KM], ws, now=FROZEN_NOW)
    po_path = result.catalogs[0].path
    _fill(po_path, lambda msgid: f"ក{len(msgid)}ខ")
    # the stand-in translations drop numbers and markup, which the checks would withhold: here only where they land matters
    [published] = publish([article_path], KM, workdir / "out", ws, PublishOptions(checks=False))
    assert published.error is None, published.error
    text = published.output.read_text(encoding=load_article(article_path).encoding)
    reread = load_article(published.output)
    # A byline's date is published in Khmer too, and read again as part of the byline's sentence.
    english = [s.msgid for s in reread.segments() if not (s.msgid.startswith("ក") and s.msgid.endswith("ខ")) and re.search("[A-Za-z]", visible(s.msgid))]
    assert [s.msgid for s in reread.segments()] and not english, english[:5]
    assert text
