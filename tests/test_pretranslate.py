"""Machine translation into catalogs: what is filled, what is never touched, the memory."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import polib
import pytest

from conftest import DATA, FROZEN_NOW, msgfmt_check
from translate.api import Workspace, extract
from translate.catalog.store import render_catalog
from translate.languages import language
from translate.mt.backends.fake import FakeEngine
from translate.mt.decoding import DecodingConfig
from translate.mt.models import ResolvedModel
from translate.mt.memory import TranslationMemory
from translate.catalog.provenance import Origin, Records, read_records
from translate.mt.pretranslate import machine_text_untouched, provenance_of
from translate.mt.service import EngineSpec, machine_translate

KM = language("km")
MODEL = ResolvedModel(name="fake-model", path=Path("."), family="nllb", revision="0123456789abcdef0123456789abcdef01234567", license="MIT")


class Harness:
    """An article, its catalog, a memory and an engine that counts its loads."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.locales = root / "locales"
        self.memory = TranslationMemory(root / "memory.sqlite3")
        self.loads = 0
        self.engines: list[FakeEngine] = []
        self.spec = EngineSpec("fake", MODEL, DecodingConfig())

    def article(self, name: str, source: Path | str) -> Path:
        path = self.root / name
        if isinstance(source, Path):
            shutil.copyfile(source, path)
        else:
            path.write_text(source, encoding="utf-8")
        [result] = extract([path], [KM], Workspace(locales=self.locales), now=FROZEN_NOW)
        assert result.error is None
        return path

    def load(self) -> FakeEngine:
        self.loads += 1
        engine = FakeEngine(MODEL, DecodingConfig())
        self.engines.append(engine)
        return engine

    def mt(self, *paths: Path, retranslate_machine: bool = False):
        articles = [(p, p.name.split(".", 1)[0]) for p in paths]
        return machine_translate(articles, [KM], self.locales, self.spec, self.load, self.memory, retranslate_machine=retranslate_machine)

    def catalog(self, path: Path) -> polib.POFile:
        return polib.pofile(str(self.locales / "km" / "LC_MESSAGES" / f"{path.name.split('.', 1)[0]}.po"))

    def records(self, path: Path) -> Records:
        return read_records(self.locales / "km" / "LC_MESSAGES" / f"{path.name.split('.', 1)[0]}.po")

    def save(self, path: Path, po: polib.POFile) -> None:
        (self.locales / "km" / "LC_MESSAGES" / f"{path.name.split('.', 1)[0]}.po").write_bytes(render_catalog(po))


@pytest.fixture
def harness(workdir: Path) -> Harness:
    return Harness(workdir)


def test_fills_untranslated_as_fuzzy_with_provenance(harness: Harness) -> None:
    article = harness.article("rice.txt", DATA / "text" / "cambodia-rice-exports.txt")
    run = harness.mt(article)
    assert run.model_calls == 1 and run.translated == run.sentences > 5
    po, records = harness.catalog(article), harness.records(article)
    for entry in po:
        assert entry.msgstr == f"[km] {entry.msgid}"
        assert "fuzzy" in entry.flags
        provenance = provenance_of(entry, records)
        assert provenance is not None and provenance.model == "fake-model" and provenance.revision == MODEL.revision
        assert "beam:4" in provenance.settings and machine_text_untouched(entry, records)
        assert not entry.tcomment  # the translator's comment box stays theirs
        assert "mt: fake-model@0123456789ab" in entry.comment.split("\n")  # shown as a note for translators
    msgfmt_check(harness.locales / "km" / "LC_MESSAGES" / "rice.po")


def test_rerun_makes_zero_model_calls_and_loads_nothing(harness: Harness) -> None:
    article = harness.article("rice.txt", DATA / "text" / "cambodia-rice-exports.txt")
    harness.mt(article)
    before = (harness.locales / "km" / "LC_MESSAGES" / "rice.po").read_bytes()
    run = harness.mt(article)
    assert run.model_calls == 0 and harness.loads == 1 and run.sentences == 0
    assert (harness.locales / "km" / "LC_MESSAGES" / "rice.po").read_bytes() == before


def test_memory_answers_a_fresh_catalog_without_the_model(harness: Harness) -> None:
    article = harness.article("rice.txt", DATA / "text" / "cambodia-rice-exports.txt")
    harness.mt(article)
    shutil.rmtree(harness.locales)
    harness.article("rice.txt", DATA / "text" / "cambodia-rice-exports.txt")
    run = harness.mt(article)
    assert run.model_calls == 0 and run.memory_hits == run.sentences > 0
    assert all(e.msgstr.startswith("[km] ") for e in harness.catalog(article))


def test_edited_article_translates_only_what_changed(harness: Harness) -> None:
    article = harness.article("floods.txt", (DATA / "merge" / "edited" / "before.txt").read_text(encoding="utf-8"))
    harness.mt(article)
    harness.article("floods.txt", (DATA / "merge" / "edited" / "after.txt").read_text(encoding="utf-8"))
    run = harness.mt(article, retranslate_machine=True)
    assert harness.engines[-1].sentences_seen == [
        "Heavy rain flooded four districts on Monday.",
        "The provincial governor visited the area on Tuesday.",
    ]
    assert run.memory_hits == 4  # the unchanged machine entries come back from the memory
    edited = harness.catalog(article).find("Heavy rain flooded four districts on Monday.")
    assert edited.msgstr == "[km] Heavy rain flooded four districts on Monday." and edited.previous_msgid is None


def test_reviewed_and_human_edited_entries_are_never_touched(harness: Harness) -> None:
    article = harness.article("floods.txt", (DATA / "merge" / "edited" / "before.txt").read_text(encoding="utf-8"))
    harness.mt(article)
    po = harness.catalog(article)
    reviewed = po.find("Floods hit Kandal province")
    reviewed.msgstr, reviewed.flags = "ទឹកជំនន់", []
    edited = po.find("Hundreds of families left their homes.")
    edited.msgstr = "គ្រួសាររាប់រយ (edited by a translator)"
    harness.save(article, po)
    harness.article("floods.txt", (DATA / "merge" / "edited" / "before.txt").read_text(encoding="utf-8").replace("Kandal", "Kandal and Takeo").replace("homes.", "houses."))
    harness.mt(article, retranslate_machine=True)
    po = harness.catalog(article)
    changed_title = po.find("Floods hit Kandal and Takeo province")
    assert changed_title.msgstr == "ទឹកជំនន់" and "fuzzy" in changed_title.flags  # reviewed text kept, merge made it fuzzy
    houses = po.find("Hundreds of families left their houses.")
    assert houses.msgstr == "គ្រួសាររាប់រយ (edited by a translator)"
    untouched = po.find("He promised food and clean water.")
    assert untouched.msgstr == "[km] He promised food and clean water."


def test_without_flag_fuzzy_machine_entries_stay(harness: Harness) -> None:
    article = harness.article("floods.txt", (DATA / "merge" / "edited" / "before.txt").read_text(encoding="utf-8"))
    harness.mt(article)
    harness.article("floods.txt", (DATA / "merge" / "edited" / "after.txt").read_text(encoding="utf-8"))
    run = harness.mt(article)
    assert run.model_calls == 0
    edited = harness.catalog(article).find("Heavy rain flooded four districts on Monday.")
    assert edited.previous_msgid == "Heavy rain flooded three districts on Monday."


def test_reviewed_translation_from_another_catalog_is_reused(harness: Harness) -> None:
    first = harness.article("floods.txt", (DATA / "merge" / "edited" / "before.txt").read_text(encoding="utf-8"))
    po = harness.catalog(first)
    po.find("Schools will stay closed until the water recedes.").msgstr = "សាលារៀននឹងបិទ។"
    harness.save(first, po)
    second = harness.article("schools.txt", "Schools reopen\n\nSchools will stay closed until the water recedes. Parents are worried.\n")
    run = harness.mt(second)
    assert run.reviewed_hits == 1
    entry = harness.catalog(second).find("Schools will stay closed until the water recedes.")
    assert entry.msgstr == "សាលារៀននឹងបិទ។" and "fuzzy" not in entry.flags
    assert "tm: reviewed translation from km/LC_MESSAGES/floods.po" in entry.comment.split("\n") and not entry.tcomment
    record = harness.records(second).for_entry(entry)
    assert record is not None and record.origin is Origin.REVIEWED and record.source_catalog == "km/LC_MESSAGES/floods.po"
    assert harness.engines[-1].sentences_seen == ["Schools reopen", "Parents are worried."]


def test_provenance_survives_merge_and_msgmerge(harness: Harness) -> None:
    import subprocess

    article = harness.article("floods.txt", (DATA / "merge" / "edited" / "before.txt").read_text(encoding="utf-8"))
    harness.mt(article)
    harness.article("floods.txt", (DATA / "merge" / "edited" / "after.txt").read_text(encoding="utf-8"))
    ours = harness.catalog(article)
    po_path = harness.locales / "km" / "LC_MESSAGES" / "floods.po"
    out = harness.root / "msgmerged.po"
    subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(out), str(po_path), str(harness.locales / "templates" / "floods.pot")], check=True)
    records = harness.records(article)
    for po in (ours, polib.pofile(str(out))):
        kept = po.find("He promised food and clean water.")
        assert machine_text_untouched(kept, records)


def test_corrupt_catalog_is_reported_and_others_continue(harness: Harness) -> None:
    good = harness.article("rice.txt", DATA / "text" / "cambodia-rice-exports.txt")
    bad = harness.article("floods.txt", (DATA / "merge" / "edited" / "before.txt").read_text(encoding="utf-8"))
    (harness.locales / "km" / "LC_MESSAGES" / "floods.po").write_text('msgid "x"\nmsgstr "unterminated\n', encoding="utf-8")
    run = harness.mt(bad, good)
    assert len(run.errors) == 1 and "floods.po:2" in str(run.errors[0])
    assert all(e.msgstr for e in harness.catalog(good))


def test_khmer_options_reach_machine_output(harness: Harness) -> None:
    from translate.khmer import KhmerOptions
    from translate.mt.service import machine_translate

    class KhmerishEngine(FakeEngine):
        def translate(self, sentences, src, tgt):  # type: ignore[no-untyped-def]
            return [dataclasses.replace(t, text="កម្ពុជា " + t.source) for t in super().translate(sentences, src, tgt)]

    article = harness.article("rice.txt", DATA / "text" / "cambodia-rice-exports.txt")
    articles = [(article, "rice")]
    machine_translate(articles, [KM], harness.locales, harness.spec, lambda: KhmerishEngine(MODEL, DecodingConfig()), harness.memory, khmer=KhmerOptions(digits=True))
    entry = next(e for e in harness.catalog(article) if "485,000" in e.msgid)
    assert "៤៨៥" in entry.msgstr and "485" not in entry.msgstr
    assert machine_text_untouched(entry, harness.records(article))
