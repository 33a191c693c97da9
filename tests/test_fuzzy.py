"""Fuzzy matches from the translation memory: the similarity, the index, and notes beside machine suggestions."""

from __future__ import annotations

import random
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from conftest import FLORES as FLORES_DIR, FROZEN_NOW, msgfmt_check
from translate.api import Workspace, extract
from translate.catalog.provenance import Match, read_records
from translate.languages import language
from translate.mt.backends.fake import FakeEngine
from translate.mt.decoding import DecodingConfig
from translate.mt.fuzzy import FuzzyIndex, similarity
from translate.mt.memory import ReviewedRecord, TranslationMemory
from translate.mt.models import ResolvedModel
from translate.mt.service import EngineSpec, machine_translate

KM = language("km")
MODEL = ResolvedModel(name="fake-model", path=Path("."), family="nllb", revision="0" * 40, license="MIT")
FLORES = FLORES_DIR / "eng_Latn.dev"


def _lcs_table(a: str, b: str) -> int:
    row = [0] * (len(b) + 1)
    for ca in a:
        previous = 0
        for j, cb in enumerate(b, start=1):
            previous, row[j] = row[j], previous + 1 if ca == cb else max(row[j], row[j - 1])
    return row[-1]


@pytest.mark.parametrize(
    ("a", "b"),
    [("", ""), ("abc", ""), ("kitten", "sitting"), ("The hotel reported 60% occupancy.", "The hotels reported 65% occupancy."), ("ក្រុង", "ក្រង"), ("a" * 130, "a" * 70 + "b" * 60)],
    ids=["empty", "one-empty", "kitten", "sentence", "khmer", "long"],
)
def test_similarity_is_normalized_indel_similarity(a: str, b: str) -> None:
    expected = 1.0 if not a and not b else 2 * _lcs_table(a, b) / (len(a) + len(b))
    assert similarity(a, b) == pytest.approx(expected)


def test_similarity_is_close_to_difflib_on_sentences() -> None:
    a, b = "Floods hit Kandal province on Monday.", "Floods hit Takeo province on Tuesday."
    assert abs(similarity(a, b) - SequenceMatcher(None, a, b, autojunk=False).ratio()) < 0.05


PAIRS = [
    ("The ministry said rice exports rose 12% in March.", "ក្រសួង​បាន​និយាយ​ថា ការ​នាំចេញ​អង្ករ​កើនឡើង ១២% ក្នុង​ខែ​មីនា។"),
    ("The ministry said rice exports rose 15% in April.", "ក្រសួង​បាន​និយាយ​ថា ការ​នាំចេញ​អង្ករ​កើនឡើង ១៥% ក្នុង​ខែ​មេសា។"),
    ("Garment workers marched in Phnom Penh on Sunday.", "កម្មករ​កាត់ដេរ​បាន​ដើរ​ក្បួន​នៅ​ភ្នំពេញ​កាលពី​ថ្ងៃអាទិត្យ។"),
    ("Officials expect more tourists next year.", "មន្ត្រី​រំពឹង​ភ្ញៀវទេសចរ​ច្រើន​ឡើង​នៅ​ឆ្នាំ​ក្រោយ។"),
]


def test_lookup_offers_the_closest_reviewed_translations_best_first() -> None:
    index = FuzzyIndex(PAIRS)
    matches = index.lookup("The ministry said rice exports rose 14% in March.")
    assert [m.source for m in matches] == [PAIRS[0][0], PAIRS[1][0]]
    assert matches[0].target == PAIRS[0][1] and matches[0].score >= matches[1].score >= 75
    assert index.lookup("Garment workers marched in Phnom Penh on Sunday.") == ()  # an exact answer is not a fuzzy match
    assert index.lookup("A completely different sentence about the weather.") == ()
    assert FuzzyIndex(PAIRS, threshold=99).lookup("The ministry said rice exports rose 14% in March.") == ()


def test_lookup_finds_what_scoring_everything_finds() -> None:
    if not FLORES.is_file():
        pytest.skip(f"{FLORES} is not here")
    sentences = FLORES.read_text(encoding="utf-8").splitlines()
    rng = random.Random(3)
    stored = []
    for sentence in sentences[:400]:
        words = sentence.split()
        for _ in range(3):
            changed = list(words)
            changed[rng.randrange(len(changed))] = rng.choice(words)
            stored.append((" ".join(changed), "ក"))
    index = FuzzyIndex(stored)
    queries = [s for s in sentences[:400:10]] + sentences[500:520]
    for query in queries:
        assert index.lookup(query) == index.lookup_all(query), query


def test_machine_suggestions_carry_matches_as_notes_never_as_msgstr(workdir: Path) -> None:
    article = workdir / "exports.txt"
    article.write_text("Rice exports\n\nThe ministry said rice exports rose 14% in March.\n", encoding="utf-8")
    locales = workdir / "locales"
    extract([article], [KM], Workspace(locales=locales), now=FROZEN_NOW)
    with TranslationMemory(workdir / "memory.sqlite3") as memory:
        memory.put_reviewed(ReviewedRecord(source, "en", "km", target, "km/LC_MESSAGES/old.po") for source, target in PAIRS)
        run = machine_translate(
            [(article, "exports")], [KM], locales, EngineSpec("fake", MODEL, DecodingConfig()), lambda: FakeEngine(MODEL, DecodingConfig()), memory
        )
    assert not run.errors and run.reviewed_hits == 0
    po_path = locales / "km" / "LC_MESSAGES" / "exports.po"
    text = po_path.read_text(encoding="utf-8")
    entry = next(e for e in read_records(po_path) if e.msgid.startswith("The ministry"))
    assert [m.source for m in entry.matches] == [PAIRS[0][0], PAIRS[1][0]]
    best = entry.matches[0]
    assert f"#. tm {best.score}%: {best.source} → {best.target}\n" in text
    assert f'msgstr "[km] The ministry said rice exports rose 14% in March."' in text  # the machine's, fuzzy
    assert isinstance(best, Match)
    msgfmt_check(po_path)
