"""Review labels: default texts per language, Khmer digits, overrides from translate.toml, placement."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from conftest import FROZEN_NOW

from translate.api import Workspace, extract, publish
from translate.catalog.store import render_catalog
from translate.errors import ConfigError
from translate.labels import read_label_overrides, review_label
from translate.languages import language
from translate.publish import PublishOptions, add_label


@pytest.mark.parametrize(
    "lang, reviewed, total, expected",
    [
        ("en", 12, 30, "Machine translation — 12 of 30 sentences reviewed"),
        ("en", 30, 30, "Reviewed translation — all 30 sentences reviewed"),
        ("km", 12, 30, "ការបកប្រែដោយម៉ាស៊ីន — បានពិនិត្យ ១២ ក្នុងចំណោម ៣០ ប្រយោគ"),
        ("km", 30, 30, "ការបកប្រែបានពិនិត្យរួច — ប្រយោគទាំង ៣០ បានពិនិត្យ"),
        ("th", 0, 5, "Machine translation — 0 of 5 sentences reviewed"),
    ],
    ids=["en-partial", "en-all", "km-partial", "km-all", "fallback-english"],
)
def test_default_labels(lang: str, reviewed: int, total: int, expected: str) -> None:
    assert review_label(language(lang), reviewed, total) == expected


def test_khmer_digits_can_be_turned_off() -> None:
    assert review_label(language("km"), 12, 30, khmer_digits=False) == "ការបកប្រែដោយម៉ាស៊ីន — បានពិនិត្យ 12 ក្នុងចំណោម 30 ប្រយោគ"


def test_overrides_from_config(workdir: Path) -> None:
    (workdir / "translate.toml").write_text('[labels.km]\npartial = "MT {reviewed}/{total}"\n', encoding="utf-8")
    overrides = read_label_overrides(language("km"))
    assert review_label(language("km"), 1, 4, overrides) == "MT ១/៤"
    assert review_label(language("km"), 4, 4, overrides).startswith("ការបកប្រែបានពិនិត្យរួច")


@pytest.mark.parametrize(
    "toml",
    ['[labels.km]\nnope = "x"\n', '[labels.km]\npartial = 3\n'],
    ids=["unknown-key", "not-a-string"],
)
def test_bad_overrides_are_config_errors(workdir: Path, toml: str) -> None:
    (workdir / "translate.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match="labels.km"):
        read_label_overrides(language("km"))


def test_bad_template_field_is_config_error() -> None:
    with pytest.raises(ConfigError, match="reviewed"):
        review_label(language("en"), 1, 2, {"partial": "{done}"})


@pytest.mark.parametrize(
    "fmt, text, expected",
    [
        ("text", "Title\n\nBody.\n", "LABEL\n\nTitle\n\nBody.\n"),
        ("markdown", "---\ntitle: T\nlang: km\n---\n\nBody.\n", '---\ntitle: T\nlang: km\ntranslation_status: "LABEL"\n---\n\nBody.\n'),
        ("markdown", "+++\ntitle = \"T\"\n+++\n\nBody.\n", '+++\ntitle = "T"\ntranslation_status = "LABEL"\n+++\n\nBody.\n'),
        ("markdown", "Body.\n", '---\ntranslation_status: "LABEL"\n---\n\nBody.\n'),
        ("html", "<html><body class=x><p>B</p></body></html>", '<html><body class=x>\n<p class="translation-status" lang="km">LABEL</p><p>B</p></body></html>'),
    ],
    ids=["text-first-line", "markdown-yaml", "markdown-toml", "markdown-no-front-matter", "html-note"],
)
def test_label_placement(fmt: str, text: str, expected: str) -> None:
    assert add_label(text, fmt, "LABEL", language("km")) == expected


def test_localized_output_labelled_only_when_asked(workdir: Path) -> None:
    article = workdir / "floods.txt"
    article.write_text("Floods hit Kandal\n\nHeavy rain fell.\n", encoding="utf-8")
    ws = Workspace(locales=workdir / "locales")
    [result] = extract([article], [language("km")], ws, now=FROZEN_NOW)
    po_path = result.catalogs[0].path
    po = polib.pofile(str(po_path))
    po.find("Floods hit Kandal").msgstr = "ទឹកជំនន់"
    po_path.write_bytes(render_catalog(po))
    [plain] = publish([article], language("km"), workdir / "out", ws)
    assert plain.output is not None
    assert plain.output.read_text(encoding="utf-8") == "ទឹកជំនន់\n\nHeavy rain fell.\n"
    [labelled] = publish([article], language("km"), workdir / "out", ws, PublishOptions(label=True))
    assert labelled.output is not None
    assert labelled.output.read_text(encoding="utf-8") == "ការបកប្រែដោយម៉ាស៊ីន — បានពិនិត្យ ១ ក្នុងចំណោម ២ ប្រយោគ\n\nទឹកជំនន់\n\nHeavy rain fell.\n"
