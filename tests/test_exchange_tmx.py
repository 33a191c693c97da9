"""TMX 1.4: the translation memory out and back in, and through Translate Toolkit."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import FROZEN_NOW
from exchange_helpers import SLUG, catalog_file, make_catalog, ttk, ttk_read
from translate.cli import cli
from translate.exchange.service import export_tmx, import_tmx
from translate.exchange.units import ExchangeError
from translate.languages import language
from translate.mt.memory import MachineKey, MachineRecord, ReviewedRecord, TranslationMemory
from translate.mt.pretranslate import reviewed_translations

WHEN = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
REVIEWED = [
    ReviewedRecord("The river rose overnight.", "en", "km", "ទឹកទន្លេឡើងពេញមួយយប់។", "km/LC_MESSAGES/flood.po", WHEN),
    ReviewedRecord("The river rose overnight.", "en", "km", "ទឹកទន្លេបានឡើងកាលពីយប់មិញ។", "km/LC_MESSAGES/flood-2.po", WHEN),
    ReviewedRecord('Officials said "wait" & <see>.', "en", "km", "មន្ត្រីបាននិយាយថា «រង់ចាំ» & <see>។", "km/LC_MESSAGES/x.po", WHEN),
    ReviewedRecord("Rice exports grew.", "en", "th", "การส่งออกข้าวเพิ่มขึ้น", "th/LC_MESSAGES/rice.po", WHEN),
]
MACHINE = MachineRecord(MachineKey("Rice exports grew.", "en", "km", "nllb-200-distilled-600m", "f8d333a098d1" * 3 + "abcd", "ctranslate2|beam:4"), "ការនាំចេញអង្ករកើនឡើង។", ())


@pytest.fixture
def memory(tmp_path: Path) -> TranslationMemory:
    with TranslationMemory(tmp_path / "memory.sqlite3") as store:
        store.put_reviewed(REVIEWED)
        store.put_machine([MACHINE])
        yield store


def _key(record: ReviewedRecord) -> tuple[str, str, str, str, str]:
    return (record.source, record.src, record.tgt, record.target, record.origin)


def test_export_is_tmx_14_that_translate_toolkit_reads_unit_for_unit(memory: TranslationMemory, tmp_path: Path) -> None:
    out = tmp_path / "memory.tmx"
    result = export_tmx(memory, out, now=FROZEN_NOW)
    assert (result.reviewed, result.machine) == (4, 0)
    root = etree.parse(str(out)).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    for required in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"):
        assert header.get(required), required  # the attributes TMX 1.4 requires of <header>
    assert header.get("srclang") == "en"
    tus = root.findall("body/tu")
    assert len(tus) == 4
    for tu in tus:
        langs = [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tu.findall("tuv")]
        assert langs[0] == "en" and len(langs) == 2 and all(tuv.find("seg") is not None for tuv in tu.findall("tuv"))
        assert [child.tag for child in tu] == ["prop"] * len(tu.findall("prop")) + ["tuv", "tuv"]  # (note|prop)*, tuv+
        assert tu.get("changedate") == "20261120T080000Z"
    units = ttk_read(out, "tmx")
    assert sorted((u["source"], u["target"]) for u in units) == sorted((r.source, r.target) for r in REVIEWED)


def test_export_then_import_restores_the_reviewed_records(memory: TranslationMemory, tmp_path: Path) -> None:
    out = tmp_path / "memory.tmx"
    export_tmx(memory, out, machine=True)
    with TranslationMemory(tmp_path / "fresh.sqlite3") as fresh:
        result = import_tmx(out, fresh)
        assert result.reviewed == {"km": 3, "th": 1} and result.machine == 1
        assert sorted(map(_key, fresh.reviewed_records())) == sorted(map(_key, REVIEWED))
        assert {r.updated for r in fresh.reviewed_records()} == {WHEN}
        assert list(fresh.machine_records()) == []  # machine output never becomes reviewed


def test_machine_output_is_exported_only_when_asked_and_marked(memory: TranslationMemory, tmp_path: Path) -> None:
    out = tmp_path / "memory.tmx"
    result = export_tmx(memory, out, tgt="km", machine=True)
    assert (result.reviewed, result.machine) == (3, 1)
    props = [{p.get("type"): p.text for p in tu.findall("prop")} for tu in etree.parse(str(out)).getroot().iter("tu")]
    machine = [p for p in props if p["x-translate-kind"] == "machine"]
    assert machine == [{"x-translate-kind": "machine", "x-translate-model": f"{MACHINE.key.model}@{MACHINE.key.revision}", "x-translate-settings": "ctranslate2|beam:4"}]


def test_translate_toolkit_po2tmx_output_goes_into_the_memory_as_reviewed(workdir: Path) -> None:
    locales = make_catalog(workdir)
    shutil.copyfile(catalog_file(locales), workdir / f"{SLUG}.po")
    ttk("po2tmx", "-l", "km-KH", f"{SLUG}.po", "ttk.tmx", cwd=workdir)
    assert "<!DOCTYPE tmx" in (workdir / "ttk.tmx").read_text(encoding="utf-8")
    expected = sorted(reviewed_translations(polib.pofile(str(catalog_file(locales)))))
    assert expected
    with TranslationMemory(workdir / "memory.sqlite3") as store:
        result = import_tmx(workdir / "ttk.tmx", store, lang=language("km"))
        assert result.reviewed == {"km": len(expected)}
        found = store.get_reviewed_many([source for source, _ in expected], "en", "km")
        assert sorted((source, record.target) for source, record in found.items()) == expected
        assert {record.origin for record in found.values()} == {"tmx:ttk.tmx"}


def test_without_a_language_each_segment_keeps_its_own_tag(tmp_path: Path) -> None:
    tmx = tmp_path / "agency.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">\n'
        '<header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en-US" srclang="en-US" datatype="plaintext"/>\n'
        "<body>\n"
        '<tu><tuv xml:lang="en-US"><seg>Hello <bpt i="1">&lt;b&gt;</bpt>world<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>'
        '<tuv xml:lang="km-KH"><seg>សួស្តី <bpt i="1">&lt;b&gt;</bpt>ពិភពលោក<ept i="1">&lt;/b&gt;</ept>។</seg></tuv>'
        '<tuv xml:lang="th"><seg>สวัสดีชาวโลก</seg></tuv></tu>\n'
        '<tu><tuv xml:lang="en-US"><seg>Only English.</seg></tuv></tu>\n'
        "</body>\n</tmx>\n",
        encoding="utf-8",
    )
    with TranslationMemory(tmp_path / "memory.sqlite3") as store:
        result = import_tmx(tmx, store)
        # km-KH is stored under its canonical tag, km (the region adds nothing: Khmer's only one), where lookups find it.
        assert result.reviewed == {"km": 1, "th": 1} and result.incomplete == 1
        [km] = list(store.reviewed_records(tgt="km"))
        assert (km.source, km.target) == ("Hello <b>world</b>.", "សួស្តី <b>ពិភពលោក</b>។")
        result = import_tmx(tmx, store, lang=language("km"))
        assert result.reviewed == {"km": 1} and result.other_languages == 1


def test_bad_files_are_refused_with_their_line(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "memory.sqlite3") as store:
        bad = tmp_path / "bad.tmx"
        bad.write_text('<tmx version="1.4">\n<body>\n<tu><tuv><seg>x</seg></tuv></tu>\n</body></tmx>', encoding="utf-8")
        with pytest.raises(ExchangeError) as caught:
            import_tmx(bad, store)
        assert str(caught.value).startswith(f"{bad}:3: a <tuv> has no xml:lang")
        bad.write_text('<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<tmx version="1.4"><body>&e;</body></tmx>', encoding="utf-8")
        with pytest.raises(ExchangeError, match="entities"):
            import_tmx(bad, store)
        bad.write_text("<xliff/>", encoding="utf-8")
        with pytest.raises(ExchangeError, match="not a TMX document"):
            import_tmx(bad, store)
        assert store.stats().reviewed == 0


def test_cli_memory_export_and_import(memory: TranslationMemory, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "km.tmx"
    result = runner.invoke(cli, ["memory", "export", str(out), "--to", "km", "--memory", memory.path])
    assert result.exit_code == 0 and result.output.strip() == f"{out}: 3 reviewed translations"
    fresh = tmp_path / "fresh.sqlite3"
    result = runner.invoke(cli, ["memory", "import", str(out), "--memory", str(fresh)])
    assert result.exit_code == 0 and result.output.strip() == f"{out}: stored 3 km as reviewed"
    result = runner.invoke(cli, ["memory", "import", str(tmp_path / "missing.tmx"), "--memory", str(fresh)])
    assert result.exit_code == 1 and "missing.tmx: cannot be read" in result.output
