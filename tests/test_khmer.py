"""Khmer post-processing of machine output: character order, spacing, full stop, digits."""

from __future__ import annotations

import re

import pytest
from conftest import FLORES as FLORES_DIR

from translate.errors import ConfigError
from translate.khmer import (
    KhmerOptions,
    apply_spacing,
    khmer_digits,
    khmer_full_stop,
    khmer_options,
    normalize_order,
    postprocess,
)

FLORES = FLORES_DIR / "khm_Khmr.dev"
ZWSP = "\u200b"
COENG_DA = "\u17d2\u178a"
COENG_TA = "\u17d2\u178f"


@pytest.fixture(scope="module")
def references() -> list[str]:
    if not FLORES.is_file():
        pytest.skip("FLORES-200 dev data not available")
    return FLORES.read_text(encoding="utf-8").splitlines()


def test_order_is_idempotent_on_all_flores_lines(references: list[str]) -> None:
    assert len(references) == 997
    for line in references:
        once = normalize_order(line)
        assert normalize_order(once) == once


def test_order_keeps_every_zwsp_and_every_coeng_da(references: list[str]) -> None:
    with_da = 0
    for line in references:
        once = normalize_order(line)
        assert once.count(ZWSP) == line.count(ZWSP)
        assert once.count(COENG_DA) == line.count(COENG_DA)
        with_da += COENG_DA in line
    assert with_da == 94


def test_order_changes_34_flores_lines_mostly_subscript_ro(references: list[str]) -> None:
    changed = [(line, normalize_order(line)) for line in references if normalize_order(line) != line]
    assert len(changed) == 34
    ro_second = [pair for pair in changed if re.sub("(\u17d2\u179a)(\u17d2[\u1780-\u17b3])", r"\2\1", pair[0]) == pair[1]]
    assert len(ro_second) >= 31


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("ស្រ្តី", "ស្ត្រី"),  # subscript RO typed first
        ("\u1780\u17c1\u17b8", "\u1780\u17be"),  # split vowel E + II -> OE
        ("\u1780\u17c1\u17b6", "\u1780\u17c4"),  # split vowel E + AA -> AU
        ("\u179f\u17ca\u17d2\u1791\u17bc", "\u179f\u17d2\u1791\u17ca\u17bc"),  # shifter typed before the subscript
        ("\u1780\u17d2\u17d2\u179a", "\u1780\u17d2\u179a"),  # doubled coeng
        ("បណ្ដាញ", "បណ្ដាញ"),  # coeng DA stays coeng DA
    ],
    ids=["ro-second", "compose-oe", "compose-au", "shifter-after-coeng", "double-coeng", "coeng-da-kept"],
)
def test_order_rules(typed: str, normal: str) -> None:
    assert normalize_order(typed) == normal
    assert COENG_TA not in normalize_order("បណ្ដាញ")


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("keep", "ប្រធាន ក្រុម ស្រាវជ្រាវ និយាយ ថា HIV និង CNN"),
        ("zwsp", "ប្រធាន\u200bក្រុម\u200bស្រាវជ្រាវ\u200bនិយាយ\u200bថា HIV និង CNN"),
        ("remove", "ប្រធានក្រុមស្រាវជ្រាវនិយាយថា HIV និង CNN"),
    ],
)
def test_spacing_policies_touch_only_spaces_between_khmer(policy: str, expected: str) -> None:
    assert apply_spacing("ប្រធាន ក្រុម ស្រាវជ្រាវ និយាយ ថា HIV និង CNN", policy) == expected


def test_spacing_never_removes_zwsp(references: list[str]) -> None:
    for line in references[:100]:
        assert apply_spacing(line, "remove").count(ZWSP) == line.count(ZWSP)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("អ្នក\u200bបើក\u200bយន្តហោះ\u200bត្រូវ\u200bបាន\u200bគេ\u200bកំណត់\u200bអត្តសញ្ញាណ.", "អ្នក\u200bបើក\u200bយន្តហោះ\u200bត្រូវ\u200bបាន\u200bគេ\u200bកំណត់\u200bអត្តសញ្ញាណ។"),
        ("គាត់\u200bនិយាយ\u200bថា «ទៅ».", "គាត់\u200bនិយាយ\u200bថា «ទៅ»។"),
        ("គាត់\u200bនិយាយ\u200bថា «ទៅ.»", "គាត់\u200bនិយាយ\u200bថា «ទៅ។»"),
        ("ប្រទេស U.S.", "ប្រទេស U.S."),
        ("តម្លៃ 3.", "តម្លៃ 3."),
    ],
    ids=["plain", "after-quote", "inside-quote", "abbreviation", "number"],
)
def test_full_stop(text: str, expected: str) -> None:
    assert khmer_full_stop(text) == expected


def test_khmer_digits_leave_urls_markup_and_latin_words() -> None:
    text = "ក្រុមហ៊ុន 1,200 ក្នុងឆ្នាំ 2007 មើល https://example.org/2007 និង [តំណ](https://a.org/3) COVID-19 `v2`"
    assert khmer_digits(text) == "ក្រុមហ៊ុន ១,២០០ ក្នុងឆ្នាំ ២០០៧ មើល https://example.org/2007 និង [តំណ](https://a.org/3) COVID-19 `v2`"


def test_postprocess_defaults_and_text_without_khmer() -> None:
    assert postprocess("ស្រ្តី បាន និយាយ.") == "ស្ត្រី\u200bបាន\u200bនិយាយ។"
    assert postprocess("ស្រ្តី 5 នាក់.", KhmerOptions(order=False, spacing="keep", full_stop=False, digits=True)) == "ស្រ្តី ៥ នាក់."
    assert postprocess("Hello world.") == "Hello world."


def test_khmer_config_table() -> None:
    assert khmer_options({}) == KhmerOptions()
    assert khmer_options({"spacing": "keep", "digits": True}) == KhmerOptions(spacing="keep", digits=True)
    with pytest.raises(ConfigError, match="spacing"):
        khmer_options({"spacing": "tabs"})
    with pytest.raises(ConfigError, match="unknown"):
        khmer_options({"spaces": "keep"})
    with pytest.raises(ConfigError, match="boolean"):
        khmer_options({"digits": "yes"})
