"""Language codes: every spelling of one language is one language, with one catalog tree."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from translate.cli import cli
from translate.errors import ConfigError
from translate.languages import language, parse_languages


@pytest.mark.parametrize(
    ("code", "gettext"),
    [
        ("km", "km"),
        ("KM", "km"),
        ("khm", "km"),
        ("km-KH", "km"),
        ("km_KH", "km"),
        ("khm_Khmr", "km"),
        ("km-Khmr-KH", "km"),
        ("tha", "th"),
        ("th-TH", "th"),
        ("vie", "vi"),
        ("eng", "en"),
        ("fre", "fr"),
        ("pt-BR", "pt_BR"),
        ("pt_br", "pt_BR"),
        ("pt", "pt"),
        ("en-GB", "en_GB"),
        ("es-419", "es_419"),
        ("sr-Latn", "sr_Latn"),
    ],
)
def test_spellings_of_a_language_are_one_code(code: str, gettext: str) -> None:
    assert language(code).gettext == gettext


def test_a_list_with_two_spellings_of_one_language_is_one_language() -> None:
    assert [lang.code for lang in parse_languages("km,khm,km-KH,th")] == ["km", "th"]


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        ("kh", "KH is the country Cambodia; its language is km"),
        ("khmer", "the code of khmer is km"),
        ("zz-top", "use a BCP-47 tag such as km"),
    ],
)
def test_unknown_codes_are_refused_with_a_hint(code: str, hint: str) -> None:
    with pytest.raises(ConfigError) as caught:
        language(code)
    assert hint in str(caught.value)


def test_extract_to_khm_writes_the_km_tree(workdir: Path) -> None:
    (workdir / "story.txt").write_text("Floods hit Kandal\n\nHeavy rain fell on Monday.\n", encoding="utf-8")
    for code in ("km", "khm", "km-KH", "km_KH"):
        result = CliRunner().invoke(cli, ["extract", "story.txt", "--to", code])
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (workdir / "locales").iterdir()) == ["km", "templates"]
    assert "Language: km\\n" in (workdir / "locales" / "km" / "LC_MESSAGES" / "story.po").read_text(encoding="utf-8")


def test_a_tree_under_another_spelling_is_refused_with_how_to_merge_it(workdir: Path) -> None:
    (workdir / "story.txt").write_text("Floods hit Kandal\n", encoding="utf-8")
    (workdir / "locales" / "km_KH" / "LC_MESSAGES").mkdir(parents=True)
    result = CliRunner().invoke(cli, ["extract", "story.txt", "--to", "km"])
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith("Error: locales/km_KH: Khmer catalogs under another name than km (move locales/km_KH/LC_MESSAGES/*.po into locales/km/LC_MESSAGES/")
    assert not (workdir / "locales" / "km").exists()


def test_unknown_code_on_the_command_line_is_one_line(workdir: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", "story.txt", "--to", "kh"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == ["Error: --to: unknown language code 'kh' (KH is the country Cambodia; its language is km)"]
