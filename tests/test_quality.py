"""Tests for translate.mt.quality: a table of real and broken outputs, FLORES calibration, speed."""

from __future__ import annotations

import random
import statistics
import time

import pytest
from conftest import FLORES

from translate.mt.decoding import DecodingConfig
from translate.mt.quality import (
    assess,
    has_repetition,
    length_ratio,
    most_repeats,
    visible_length,
)
from translate.mt.types import Issue

CONFIG = DecodingConfig()
ZWSP = "\u200b"
KHMER_CONSONANTS = "".join(map(chr, range(0x1780, 0x17A3)))

# Pairs from the FLORES-200 dev set (CC-BY-SA 4.0), lines 1, 2, 308 and 341.
SCIENCE_EN = (
    "On Monday, scientists from the Stanford University School of Medicine announced the invention of a new "
    "diagnostic tool that can sort cells by type: a tiny printable chip that can be manufactured using standard "
    "inkjet printers for possibly about one U.S. cent each."
)
SCIENCE_KM = (
    "កាល\u200bពី\u200bថ្ងៃ\u200bច័ន្ទ អ្នកវិទ្យាសាស្ត្រ\u200bមក\u200bពី\u200bសាលា\u200bវេជ្ជសាស្ត្រ\u200bនៃ\u200bសាកល\u200bវិទ្យាល័យ ស្តែន\u200bហ្វ័ឌ (Stanford University School of "
    "Medicine) បាន\u200bប្រកាស\u200bពី\u200bការបង្កើត\u200bឧបករណ៍\u200bធ្វើ\u200bរោគ\u200bវិនិច្ឆ័យ\u200bថ្មី\u200bមួយ ដែល\u200bអាច\u200bតម្រៀប\u200bកោសិកា\u200bតាម\u200bប្រភេទ៖ "
    "បន្ទះ\u200bឈីប\u200bដែល\u200bអាច\u200bព្រីន\u200bបាន\u200bដ៏\u200bតូច\u200bមួយ ដែល\u200bអាច\u200bផលិត\u200bដោយ\u200bប្រើ\u200bម៉ាស៊ីន\u200bព្រីន\u200bប្រភេទinkjectស្តង់ដារ "
    "ដែល\u200bមាន\u200bតម្លៃ\u200bប្រហែល\u200bមួយ\u200bសេន\u200bសហរដ្ឋអាមេរិក។"
)
HEALTH_EN = (
    "Lead researchers say this may bring early detection of cancer, tuberculosis, HIV and malaria to patients in "
    "low-income countries, where the survival rates for illnesses such as breast cancer can be half those of richer "
    "countries."
)
HEALTH_KM = (
    "ប្រធាន\u200bក្រុមស្រាវ\u200bជ្រាវ\u200bនិយាយ\u200bថា\u200b នេះ\u200bអាច\u200bនាំ\u200bមក\u200bនូវ\u200bការចាប់\u200bបាន\u200bនូវ\u200bរោគ\u200bមហារីក រោគរបេង\u200b វីរុស\u200b HIV "
    "និង\u200bជំងឺគ្រុន\u200bចាញ់\u200bបាន\u200bតាំង\u200bពី\u200bដើម\u200bទីពីអ្នក\u200bជំងឺ\u200bនៅ\u200bក្នុង\u200bប្រទេស\u200bដែល\u200bមាន\u200bប្រាក់\u200bចំណូល\u200bទាប\u200b ដែលនៅ\u200bក្នុង\u200bប្រទេស\u200bនេះ "
    "\u200bអត្រា\u200bនៃ\u200bការ\u200bរស់\u200bរាន\u200bពី\u200bជំងឺ\u200bផ្សេង\u200bៗ\u200b ដូច\u200bជា\u200bមហារីកដោះ អាច\u200bមាន\u200bត្រឹម\u200bពាក់កណ្ដាល\u200bនៃ\u200bប្រទេស\u200bអ្នក\u200bមាន\u200bប្រាក់\u200bប៉ុណ្ណោះ\u200b។\u200b"
)
OSAKA_EN = "He died in Osaka on Tuesday."
OSAKA_KM = "គាត់បានស្លាប់នៅទីក្រុង\u200bអូសាកា\u200b កាលពីថ្ងៃអង្គារ។"
ZAYAT_EN = "Zayat was unhurt in the accident."
ZAYAT_KM = "Zayat ពុំ\u200bទទួល\u200bរងរបួស\u200b\u200bអ្វីឡើយ\u200b \u200bនៅ\u200bក្នុង\u200bគ្រោះ\u200bថ្នាក់\u200bនេះ\u200b\u200b\u200b។"


def check(source: str, output: str, *, output_tokens: int = 40, ids: list[int] | None = None, cap: int = 200) -> tuple[Issue, ...]:
    return assess(source, output, input_tokens=60, output_tokens=output_tokens, output_token_ids=ids, max_new_tokens=cap, config=CONFIG)


CASES = [
    # Good translations: nothing to report.
    ("good-long", SCIENCE_EN, SCIENCE_KM, {}, ()),
    ("good-with-repetition-mark", HEALTH_EN, HEALTH_KM, {}, ()),
    ("good-spaces-not-zwsp", HEALTH_EN, HEALTH_KM.replace(ZWSP, " "), {}, ()),
    ("good-zwsp-removed", SCIENCE_EN, SCIENCE_KM.replace(ZWSP, ""), {}, ()),
    ("good-short", OSAKA_EN, OSAKA_KM, {}, ()),
    ("good-zwsp-runs", ZAYAT_EN, ZAYAT_KM, {}, ()),
    ("good-big-number", "The fund holds 1,000,000,000,000 riel.", "មូលនិធិមាន ១,០០០,០០០,០០០,០០០ រៀល។", {}, ()),
    ("good-dots", "Wait for it . . . and then nothing.", "រង់ចាំ........ ហើយគ្មានអ្វីទេ។", {}, ()),
    ("good-three-words", "Go, go, go!", "ទៅ ទៅ ទៅ!", {}, ()),
    ("good-ids", OSAKA_EN, OSAKA_KM, {"ids": [12, 7, 7, 7, 30, 12, 7, 12, 7, 2]}, ()),
    ("short-source-any-ratio", "Yes.", "បាទ ខ្ញុំយល់ព្រមទាំងស្រុងជាមួយនឹងសំណើនេះ។", {}, ()),
    # Loops.
    ("loop-syllable", OSAKA_EN, OSAKA_KM[:-1] + "ការការការការ។", {}, (Issue.REPETITION,)),
    ("loop-syllable-zwsp", OSAKA_EN, "គាត់\u200bការ\u200bការ\u200bការ\u200bការ\u200bការ", {}, (Issue.REPETITION,)),
    ("loop-mixed-separators", OSAKA_EN, "គាត់ ការ ការ\u200bការ ការ\u200bការ។", {}, (Issue.REPETITION,)),
    ("loop-word-spaced", OSAKA_EN, "គាត់ បាន ស្លាប់ ស្លាប់ ស្លាប់ ស្លាប់ នៅ អូសាកា។", {}, (Issue.REPETITION,)),
    ("loop-khmer-phrase", OSAKA_EN, "គាត់" + "បានស្លាប់នៅទីក្រុង" * 3, {}, (Issue.REPETITION,)),
    ("loop-english-phrase", "The minister said the plan would go ahead.",
     "The minister said the plan said the plan said the plan would go ahead.", {}, (Issue.REPETITION,)),
    ("loop-token", OSAKA_EN, OSAKA_KM, {"ids": [12, 7, 7, 7, 7, 2]}, (Issue.REPETITION,)),
    ("loop-token-trigram", OSAKA_EN, OSAKA_KM, {"ids": [1, 5, 6, 7, 5, 6, 7, 5, 6, 7, 2]}, (Issue.REPETITION,)),
    ("loop-token-4gram", OSAKA_EN, OSAKA_KM, {"ids": [4, 3, 2, 1] * 3}, (Issue.REPETITION,)),
    ("ids-trusted-over-text", OSAKA_EN, "គាត់ការការការការ។", {"ids": [1, 2, 3, 4, 5]}, ()),
    ("loop-until-cap", SCIENCE_EN, SCIENCE_KM + "ដែល\u200bមាន\u200bតម្លៃ\u200bប្រហែល " * 80, {"output_tokens": 200},
     (Issue.HIT_LENGTH_CAP, Issue.REPETITION, Issue.LENGTH_RATIO)),
    # Cut or implausible lengths.
    ("truncated", SCIENCE_EN, SCIENCE_KM[: len(SCIENCE_KM) // 2], {"output_tokens": 200}, (Issue.HIT_LENGTH_CAP,)),
    ("over-cap", SCIENCE_EN, SCIENCE_KM, {"output_tokens": 250}, (Issue.HIT_LENGTH_CAP,)),
    ("first-clause-only", SCIENCE_EN, "កាល\u200bពី\u200bថ្ងៃ\u200bច័ន្ទ។", {}, (Issue.LENGTH_RATIO,)),
    ("far-too-long", OSAKA_EN, OSAKA_KM + " " + HEALTH_KM, {}, (Issue.LENGTH_RATIO,)),
    # Nothing.
    ("empty", SCIENCE_EN, "", {"output_tokens": 1}, (Issue.EMPTY,)),
    ("blank", SCIENCE_EN, " \n" + ZWSP + " ", {"output_tokens": 2}, (Issue.EMPTY,)),
    ("empty-at-cap", SCIENCE_EN, "", {"output_tokens": 200}, (Issue.HIT_LENGTH_CAP, Issue.EMPTY)),
]


@pytest.mark.parametrize(("source", "output", "options", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_cases(source: str, output: str, options: dict, expected: tuple[Issue, ...]) -> None:
    assert check(source, output, **options) == expected


def test_issues_in_enum_order() -> None:
    issues = check(SCIENCE_EN, "ការ" * 400, output_tokens=400)
    assert issues == (Issue.HIT_LENGTH_CAP, Issue.REPETITION, Issue.LENGTH_RATIO)
    assert list(issues) == [issue for issue in Issue if issue in issues]


def test_default_cap_from_config() -> None:
    cap = CONFIG.max_new_tokens(20)
    assert assess(SCIENCE_EN, SCIENCE_KM, input_tokens=20, output_tokens=cap - 1, config=CONFIG) == ()
    assert assess(SCIENCE_EN, SCIENCE_KM, input_tokens=20, output_tokens=cap, config=CONFIG) == (Issue.HIT_LENGTH_CAP,)


def test_ratio_bounds_follow_config() -> None:
    strict = DecodingConfig(min_length_ratio=1.3, max_length_ratio=1.5)
    ratio = length_ratio(SCIENCE_EN, SCIENCE_KM)
    assert ratio is not None and ratio < 1.3
    issues = assess(SCIENCE_EN, SCIENCE_KM, input_tokens=60, output_tokens=70, max_new_tokens=200, config=strict)
    assert issues == (Issue.LENGTH_RATIO,)


@pytest.mark.parametrize(
    ("items", "period", "expected"),
    [([], 1, 1), ([1], 1, 1), ([1, 1], 1, 2), ([1, 2, 1, 2, 1], 2, 2), ([1, 2, 1, 2, 1, 2], 2, 3), ("abcabcab", 3, 2), ([7] * 9, 1, 9)],
    ids=["empty", "one", "pair", "partial-third", "three-pairs", "characters", "long-run"],
)
def test_most_repeats(items: list[int], period: int, expected: int) -> None:
    assert most_repeats(items, period) == expected


@pytest.mark.parametrize(
    ("ids", "loops"),
    [([5, 5, 5], False), ([5, 5, 5, 5], True), ([1, 2, 1, 2], False), ([1, 2, 1, 2, 1, 2], True), ([1, 2, 3, 4, 5] * 3, False)],
    ids=["unigram-x3", "unigram-x4", "bigram-x2", "bigram-x3", "5gram-x3"],
)
def test_token_thresholds(ids: list[int], loops: bool) -> None:
    assert has_repetition("", ids) is loops


def test_visible_length_ignores_zero_width_marks() -> None:
    assert visible_length(f" {ZWSP}ការ{ZWSP}ងារ\u200c\n") == 6


def test_fast_on_long_outputs() -> None:
    rng = random.Random(7)
    ids = [rng.randrange(256_000) for _ in range(1_000)]
    text = SCIENCE_KM * 20
    noise = "".join(rng.choice(KHMER_CONSONANTS + " ") for _ in range(5_000))
    start = time.perf_counter()
    for _ in range(10):
        assert not has_repetition(text, ids)
        assert not has_repetition(text)
        assert has_repetition(text + "ការ" * 300)
        assert not has_repetition("." * 5_000 + "ab" * 3 + noise)
    assert time.perf_counter() - start < 2.0


def flores_pairs() -> list[tuple[str, str]]:
    english, khmer = (FLORES / "eng_Latn.dev", FLORES / "khm_Khmr.dev")
    if not english.is_file() or not khmer.is_file():
        pytest.skip(f"FLORES-200 dev set not found in {FLORES} (set TRANSLATE_FLORES)")
    pairs = list(zip(english.read_text(encoding="utf-8").splitlines(), khmer.read_text(encoding="utf-8").splitlines(), strict=True))
    assert len(pairs) == 997
    return pairs


def test_flores_length_ratios_within_default_bounds() -> None:
    """Every real English-Khmer pair lies well within the default ratio bounds.

    Measured (visible characters, zero-width marks not counted): min 0.49,
    1st percentile 0.70, median 1.095, 99th percentile 1.70, max 2.04.
    """
    ratios = sorted(r for source, target in flores_pairs() if (r := length_ratio(source, target)) is not None)
    assert len(ratios) == 997  # the shortest English sentence has 28 characters
    percentiles = statistics.quantiles(ratios, n=100)
    summary = {"min": ratios[0], "p1": percentiles[0], "median": percentiles[49], "p99": percentiles[98], "max": ratios[-1]}
    print("FLORES eng->khm length ratios: " + ", ".join(f"{k} {v:.3f}" for k, v in summary.items()))
    assert [round(v, 2) for v in summary.values()] == [0.49, 0.70, 1.09, 1.70, 2.04]
    assert CONFIG.min_length_ratio < summary["min"] and summary["max"] < CONFIG.max_length_ratio


@pytest.mark.parametrize("spacing", ["zwsp", "spaces", "none"])
def test_flores_references_have_no_issues(spacing: str) -> None:
    """No false alarm on any real translation, however its words are spaced, nor on the English."""
    replacement = {"zwsp": ZWSP, "spaces": " ", "none": ""}[spacing]
    for source, target in flores_pairs():
        for output in (target.replace(ZWSP, replacement), source):
            issues = assess(source, output, input_tokens=60, output_tokens=60, max_new_tokens=200, config=CONFIG)
            assert issues == (), (source, output)
