"""Markup, non-translatables and glossary terms through machine translation into catalogs.

The scrambling engine does to placeholders what real models do: it reorders
words, puts spaces inside braces, writes Khmer or full-width digits, repeats a
placeholder and sometimes loses one. Whatever it does, every URL, code span,
tag and link of the English ends up in the translation exactly, or the entry is
flagged with exactly what the translator must restore.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import polib
import pytest
from conftest import FROZEN_NOW, msgfmt_check

from translate.api import MTRequest, Workspace, extract
from translate.api import machine_translate as api_machine_translate
from translate.catalog.provenance import read_records
from translate.glossary import Glossary, Term, read_glossary
from translate.languages import Language, language
from translate.mt.backends.fake import FakeEngine
from translate.mt.decoding import DecodingConfig
from translate.mt.memory import TranslationMemory
from translate.mt.models import ResolvedModel
from translate.mt.protect import mask
from translate.mt.service import EngineSpec, machine_translate
from translate.mt.setup import MTSettings
from translate.mt.types import Translation

KM = language("km")
MODEL = ResolvedModel(name="fake-model", path=Path("."), family="nllb", revision="0123456789abcdef0123456789abcdef01234567", license="MIT")
KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")

ARTICLE = """---
title: Floods reach Phnom Penh
---

# Floods reach Phnom Penh

The **National Assembly** met on Monday, officials told [the Post](https://www.phnompenhpost.com/national).

Residents can check levels at https://mrcmekong.org/levels?station=PP or write to help@example.org.

Run `flood-map --city pp` to see the map, or open {{< figure src="map.png" >}} below.

[Read the full statement](https://example.org/statement).

Spokesman [Chin Malin](https://example.org/malin) said the ADHOC staff broke the law.

The ministry asked _all_ residents of Kandal to leave before 5 pm.
"""


class ScramblingEngine(FakeEngine):
    """Mistreats placeholders the way real models do, deterministically per sentence."""

    def translate(self, sentences: Sequence[str], src: Language, tgt: Language) -> list[Translation]:
        self.model_calls += 1
        self.sentences_seen.extend(sentences)
        return [Translation(source=s, text=self._scramble(s)) for s in sentences]

    @staticmethod
    def _scramble(sentence: str) -> str:
        seed = int(hashlib.sha256(sentence.encode()).hexdigest(), 16)
        # Word order changes; a name (capitalised words in a row) stays together.
        words = re.findall(r"[A-Z][\w’'-]*(?: [A-Z][\w’'-]*)*[^\w\s]*|\S+", sentence.rstrip("."))
        words.reverse()
        out = []
        for position, word in enumerate(words):
            match = re.fullmatch(r"\{(\d+)\}(\W*)", word)
            if match:
                number, rest = match.groups()
                mode = (seed >> (3 * position)) % 6
                kept = "{" + number + "}"
                forms = [kept, "{ " + number + " }", "{" + number.translate(KHMER_DIGITS) + "}", "｛" + number + "｝", kept + " " + kept, ""]
                out.append(forms[mode] + rest)
            elif word[:1].isupper():
                out.append(word)  # names are kept
            else:
                out.append("ក" * min(len(word), 4))  # everything else "translated"
        return " ".join(w for w in out if w) + "។"


def _markup_items(source: str) -> list[str]:
    """Every URL, e-mail, code span, shortcode and link target of a source sentence."""
    return re.findall(r"https?://[^\s)\]]+[^\s)\].,]|[\w.]+@[\w.]+\w|`[^`]+`|\{\{<.*?>\}\}", source)


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path]:
    article = tmp_path / "floods.md"
    article.write_text(ARTICLE, encoding="utf-8")
    locales = tmp_path / "locales"
    [result] = extract([article], [KM], Workspace(locales=locales), now=FROZEN_NOW)
    assert result.error is None
    return article, locales


def _run(article: Path, locales: Path, tmp_path: Path, engine: FakeEngine, glossary: Glossary | None = None) -> polib.POFile:
    with TranslationMemory(tmp_path / "memory.sqlite3") as memory:
        run = machine_translate([(article, article.stem)], [KM], locales, EngineSpec("fake", MODEL, DecodingConfig()), lambda: engine, memory, glossary=glossary)
    assert not run.errors
    po_path = locales / "km" / "LC_MESSAGES" / f"{article.stem}.po"
    msgfmt_check(po_path)
    return polib.pofile(str(po_path))


def test_model_never_sees_markup_or_urls(workspace: tuple[Path, Path], tmp_path: Path) -> None:
    article, locales = workspace
    engine = ScramblingEngine(MODEL, DecodingConfig())
    _run(article, locales, tmp_path, engine)
    seen = "\n".join(engine.sentences_seen)
    assert engine.sentences_seen
    for raw in ("https://", "help@example.org", "`", "{{<", "**", "](", "_all_"):
        assert raw not in seen


def test_nothing_is_dropped_silently(workspace: tuple[Path, Path], tmp_path: Path) -> None:
    """Each URL, code span, shortcode and link is in the msgstr exactly, or in a mt_restore line and flagged."""
    article, locales = workspace
    catalog = _run(article, locales, tmp_path, ScramblingEngine(MODEL, DecodingConfig()))
    restored = flagged = 0
    for entry in catalog:
        assert "fuzzy" in entry.flags
        notes = entry.comment.splitlines()
        to_restore = [line for line in notes if line.startswith("mt restore: ")]
        for item in _markup_items(entry.msgid):
            if item in entry.msgstr:
                restored += 1
            else:
                assert any(item in line for line in to_restore), (entry.msgid, entry.msgstr, entry.comment)
                flagged += 1
        if to_restore:
            assert any(line.startswith("mt issues: ") for line in notes)
            assert any(line.startswith("mt checks failed: ") for line in notes)  # the markup or urls check failed too
    assert restored >= 4 and flagged >= 1  # the scrambler both keeps and loses placeholders


def test_links_are_carried_when_their_place_is_certain(workspace: tuple[Path, Path], tmp_path: Path) -> None:
    article, locales = workspace
    catalog = _run(article, locales, tmp_path, ScramblingEngine(MODEL, DecodingConfig()))
    by_id = {entry.msgid: entry for entry in catalog}
    whole = by_id["[Read the full statement](https://example.org/statement)."]
    assert whole.msgstr.startswith("[") and whole.msgstr.endswith("](https://example.org/statement)។")
    named = by_id["Spokesman [Chin Malin](https://example.org/malin) said the ADHOC staff broke the law."]
    assert "[Chin Malin](https://example.org/malin)" in named.msgstr  # the name was kept verbatim
    post = by_id["The **National Assembly** met on Monday, officials told [the Post](https://www.phnompenhpost.com/national)."]
    assert "mt restore: link: [the Post](https://www.phnompenhpost.com/national)" in post.comment.splitlines()


def test_glossary_terms_are_inserted_and_pass_the_check(workspace: tuple[Path, Path], tmp_path: Path) -> None:
    from translate.checks.glossary import check_glossary

    article, locales = workspace
    glossary = Glossary((Term("National Assembly", "រដ្ឋសភា", "km"), Term("Phnom Penh", "ភ្នំពេញ", "km"), Term("ADHOC", "", "km"), Term("Kandal", "កណ្ដាល", "km")))
    engine = ScramblingEngine(MODEL, DecodingConfig())
    catalog = _run(article, locales, tmp_path, engine, glossary)
    seen = "\n".join(engine.sentences_seen)
    assert "National Assembly" not in seen and "Kandal" not in seen
    terms = glossary.for_language("km")
    by_id = {entry.msgid: entry for entry in catalog}
    assert by_id["Floods reach Phnom Penh"].msgstr.count("ភ្នំពេញ") == 1
    assert "កណ្ដាល" in by_id["The ministry asked _all_ residents of Kandal to leave before 5 pm."].msgstr
    for entry in catalog:
        failure = check_glossary(entry.msgid, entry.msgstr, "km", terms)
        assert failure is None, (entry.msgid, entry.msgstr)


def test_glossary_changes_the_memory_key(workspace: tuple[Path, Path], tmp_path: Path) -> None:
    """Machine output made without the glossary is not reused once a glossary applies."""
    article, locales = workspace
    first = ScramblingEngine(MODEL, DecodingConfig())
    _run(article, locales, tmp_path, first)
    po_path = locales / "km" / "LC_MESSAGES" / "floods.po"
    catalog = polib.pofile(str(po_path))
    for entry in catalog:
        entry.msgstr = ""
        entry.flags = []
        entry.tcomment = ""
    catalog.save(str(po_path))
    second = ScramblingEngine(MODEL, DecodingConfig())
    _run(article, locales, tmp_path, second, Glossary((Term("Kandal", "កណ្ដាល", "km"),)))
    assert second.model_calls == 1


def test_sentence_that_is_only_a_term_or_url_needs_no_model(tmp_path: Path) -> None:
    article = tmp_path / "links.md"
    article.write_text("# Phnom Penh\n\nPhnom Penh: https://example.org/only-a-link\n", encoding="utf-8")
    locales = tmp_path / "locales"
    extract([article], [KM], Workspace(locales=locales), now=FROZEN_NOW)
    engine = ScramblingEngine(MODEL, DecodingConfig())
    catalog = _run(article, locales, tmp_path, engine, Glossary((Term("Phnom Penh", "ភ្នំពេញ", "km"),)))
    assert engine.model_calls == 0
    assert {e.msgid: e.msgstr for e in catalog} == {"Phnom Penh": "ភ្នំពេញ", "Phnom Penh: https://example.org/only-a-link": "ភ្នំពេញ: https://example.org/only-a-link"}


def test_language_glossary_file_is_used_by_mt_through_the_api(tmp_path: Path, tiny_nllb_folder: Path) -> None:
    """locales/km/glossary.csv applies without options; a real (tiny) model never sees the term or the URL."""
    article = tmp_path / "vote.md"
    article.write_text("The National Assembly voted, see https://example.org/vote for the list.\n", encoding="utf-8")
    locales = tmp_path / "locales"
    (locales / "km").mkdir(parents=True)
    (locales / "km" / "glossary.csv").write_text("source,target,note\nNational Assembly,រដ្ឋសភា,lower house\n", encoding="utf-8")
    workspace = Workspace(locales=locales)
    extract([article], [KM], workspace, now=FROZEN_NOW)
    request = MTRequest(settings=MTSettings(model=str(tiny_nllb_folder), backend="transformers"), memory=tmp_path / "memory.sqlite3")
    run = api_machine_translate([article], [KM], workspace, request)
    assert not run.errors and run.translated == 1
    [entry] = [e for e in polib.pofile(str(locales / "km" / "LC_MESSAGES" / "vote.po")) if e.msgid]
    [record] = read_records(locales / "km" / "LC_MESSAGES" / "vote.po")
    assert record.provenance is not None and "gloss:" in record.provenance.settings and "mask:" in record.provenance.settings
    url_kept = "https://example.org/vote" in entry.msgstr
    assert url_kept or "mt restore: url: https://example.org/vote" in entry.comment.splitlines()
    term_kept = "រដ្ឋសភា" in entry.msgstr
    assert term_kept or record.issues
    masked = mask(entry.msgid, read_glossary(locales / "km" / "glossary.csv").for_language("km"))
    assert masked.text == "The {1} voted, see {2} for the list."
