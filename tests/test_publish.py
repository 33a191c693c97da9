"""Publishing localized articles: untranslated policies, fuzzy entries, joining, paths."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from conftest import FROZEN_NOW

from translate.api import Workspace, extract, publish
from translate.catalog.store import render_catalog
from translate.errors import PublishError
from translate.languages import language
from translate.load import load_article
from translate.publish import PublishOptions, Untranslated, localize, output_path

ARTICLE = """Floods hit Kandal province

Heavy rain flooded three districts on Monday. Hundreds of families left their homes.
"""
KM = {
    "Floods hit Kandal province": "ទឹកជំនន់វាយប្រហារខេត្តកណ្ដាល",
    "Heavy rain flooded three districts on Monday.": "ភ្លៀងធ្លាក់ខ្លាំងបានធ្វើឱ្យលិចស្រុកចំនួនបីកាលពីថ្ងៃច័ន្ទ។",
}


def _catalog(workdir: Path, lang: str = "km", fuzzy: bool = False) -> tuple[Path, Path]:
    article = workdir / "floods.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    [result] = extract([article], [language(lang)], Workspace(locales=workdir / "locales"), now=FROZEN_NOW)
    po_path = result.catalogs[0].path
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = KM.get(entry.msgid, "")
        if fuzzy and entry.msgstr and entry.msgid.startswith("Heavy"):
            entry.flags.append("fuzzy")
    po_path.write_bytes(render_catalog(po))
    return article, po_path


def _publish(article: Path, po_path: Path, lang: str = "km", **options) -> str:
    loaded = load_article(article)
    return localize(loaded, polib.pofile(str(po_path)), language(lang), PublishOptions(**options)).text


def test_untranslated_source_keeps_english(workdir: Path) -> None:
    text = _publish(*_catalog(workdir))
    assert text == (
        "ទឹកជំនន់វាយប្រហារខេត្តកណ្ដាល\n\n"
        "ភ្លៀងធ្លាក់ខ្លាំងបានធ្វើឱ្យលិចស្រុកចំនួនបីកាលពីថ្ងៃច័ន្ទ។ Hundreds of families left their homes.\n"
    )


def test_untranslated_omit_drops_sentence(workdir: Path) -> None:
    text = _publish(*_catalog(workdir), untranslated=Untranslated.OMIT)
    assert text == "ទឹកជំនន់វាយប្រហារខេត្តកណ្ដាល\n\nភ្លៀងធ្លាក់ខ្លាំងបានធ្វើឱ្យលិចស្រុកចំនួនបីកាលពីថ្ងៃច័ន្ទ។\n"


def test_untranslated_fail_names_first_missing_sentence(workdir: Path) -> None:
    with pytest.raises(PublishError) as info:
        _publish(*_catalog(workdir), untranslated=Untranslated.FAIL)
    message = str(info.value)
    assert "floods.txt" in message and "line 3" in message and "Hundreds of families" in message


def test_fuzzy_used_only_when_asked(workdir: Path) -> None:
    article, po_path = _catalog(workdir, fuzzy=True)
    assert "Heavy rain flooded" in _publish(article, po_path)
    assert "ភ្លៀង" in _publish(article, po_path, include_fuzzy=True)


def test_sentences_joined_without_space_in_thai(workdir: Path) -> None:
    article, po_path = _catalog(workdir, lang="th")
    po = polib.pofile(str(po_path))
    po.find("Heavy rain flooded three districts on Monday.").msgstr = "ฝนตกหนัก"
    po.find("Hundreds of families left their homes.").msgstr = "หลายร้อยครอบครัว"
    po_path.write_bytes(render_catalog(po))
    assert "ฝนตกหนักหลายร้อยครอบครัว\n" in _publish(article, po_path, lang="th")


def test_output_path_convention(workdir: Path) -> None:
    article = workdir / "story.md"
    article.write_text("---\ntitle: A story\n---\n\nBody text.\n", encoding="utf-8")
    assert output_path(load_article(article), language("km"), Path("out")) == Path("out/story.km.md")
    assert output_path(load_article(article), language("pt_BR"), Path("out")) == Path("out/story.pt-BR.md")


def test_markdown_front_matter_gets_language_key(workdir: Path) -> None:
    article = workdir / "story.md"
    article.write_text("---\ntitle: A story\ndate: 2026-11-26\n---\n\nBody text.\n", encoding="utf-8")
    ws = Workspace(locales=workdir / "locales")
    extract([article], [language("km")], ws, now=FROZEN_NOW)
    [result] = publish([article], language("km"), workdir / "out", ws)
    assert result.output is not None
    text = result.output.read_text(encoding="utf-8")
    assert text == "---\ntitle: A story\ndate: 2026-11-26\nlang: km\n---\n\nBody text.\n"


def test_publish_without_catalog_says_what_to_run(workdir: Path) -> None:
    article = workdir / "floods.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    [result] = publish([article], language("km"), workdir / "out", Workspace(locales=workdir / "locales"))
    assert result.error is not None and "translate extract" in str(result.error)


def test_failed_publish_keeps_previous_output(workdir: Path) -> None:
    article, po_path = _catalog(workdir)
    ws = Workspace(locales=workdir / "locales")
    [first] = publish([article], language("km"), workdir / "out", ws)
    assert first.output is not None
    previous = first.output.read_bytes()
    [second] = publish([article], language("km"), workdir / "out", ws, PublishOptions(untranslated=Untranslated.FAIL))
    assert second.error is not None
    assert first.output.read_bytes() == previous


def test_cli_labels_and_links_localized_markdown(workdir: Path) -> None:
    from click.testing import CliRunner

    from translate.cli import cli

    article = workdir / "story.md"
    article.write_text("---\ntitle: A story\ndate: 2026-11-26\n---\n\nBody text.\n", encoding="utf-8")
    extract([article], [language("km")], Workspace(locales=workdir / "locales"), now=FROZEN_NOW)
    result = CliRunner().invoke(cli, ["--locales", str(workdir / "locales"), "publish", str(article), "--to", "km", "--label", "--metadata", "-o", str(workdir / "out")])
    assert result.exit_code == 0, result.output
    assert (workdir / "out" / "story.km.md").read_text(encoding="utf-8") == (
        "---\ntitle: A story\ndate: 2026-11-26\nlang: km\n"
        'translationKey: "story"\n'
        'date_display: "ថ្ងៃព្រហស្បតិ៍ ទី២៦ ខែវិច្ឆិកា ឆ្នាំ២០២៦"\n'
        'translation_status: "ការបកប្រែដោយម៉ាស៊ីន — បានពិនិត្យ ០ ក្នុងចំណោម ២ ប្រយោគ"\n'
        "---\n\nBody text.\n"
    )


def test_localized_html_gets_hreflang_alternates(workdir: Path) -> None:
    article = workdir / "story.html"
    article.write_text("<html><head><title>A story</title></head><body><p>Body text.</p></body></html>\n", encoding="utf-8")
    ws = Workspace(locales=workdir / "locales")
    extract([article], [language("km")], ws, now=FROZEN_NOW)
    [result] = publish([article], language("km"), workdir / "out", ws, PublishOptions(metadata=True, label=True))
    assert result.output is not None
    text = result.output.read_text(encoding="utf-8")
    assert '<link rel="alternate" hreflang="en" href="story.html">\n<link rel="alternate" hreflang="km" href="story.km.html">\n</head>' in text
    assert '<body>\n<p class="translation-status" lang="km">ការបកប្រែដោយម៉ាស៊ីន — បានពិនិត្យ ០ ក្នុងចំណោម ២ ប្រយោគ</p><p>' in text


def test_label_and_metadata_switched_on_in_config(workdir: Path) -> None:
    from click.testing import CliRunner

    from translate.cli import cli

    (workdir / "translate.toml").write_text("[publish]\nlabel = true\nmetadata = true\n", encoding="utf-8")
    article = workdir / "story.md"
    article.write_text("---\ntitle: A story\n---\n\nBody text.\n", encoding="utf-8")
    extract([article], [language("km")], Workspace(locales=workdir / "locales"), now=FROZEN_NOW)
    runner = CliRunner()
    assert runner.invoke(cli, ["--locales", str(workdir / "locales"), "publish", str(article), "--to", "km", "-o", "out"]).exit_code == 0
    text = (workdir / "out" / "story.km.md").read_text(encoding="utf-8")
    assert 'translationKey: "story"\n' in text and "translation_status:" in text
    assert runner.invoke(cli, ["--locales", str(workdir / "locales"), "publish", str(article), "--to", "km", "--no-label", "--no-metadata", "-o", "out"]).exit_code == 0
    assert (workdir / "out" / "story.km.md").read_text(encoding="utf-8") == "---\ntitle: A story\nlang: km\n---\n\nBody text.\n"
