"""Glossaries: CSV and TBX files, per-language files, and ``translate glossary``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from conftest import FROZEN_NOW, SAMPLES

from translate.api import Workspace, extract
from translate.cli import cli
from translate.errors import ConfigError
from translate.glossary import Term, find_terms, load_glossary, read_glossary
from translate.languages import language
from translate.terms import candidate_terms

TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en">
  <text><body>
    <termEntry id="c1">
      <descrip type="definition">Lower house of parliament</descrip>
      <langSet xml:lang="en"><tig><term>National Assembly</term></tig></langSet>
      <langSet xml:lang="km"><tig><term>រដ្ឋសភា</term></tig></langSet>
      <langSet xml:lang="fr"><tig><term>Assemblée nationale</term></tig></langSet>
    </termEntry>
    <termEntry id="c2">
      <langSet xml:lang="en"><tig><term>ADHOC</term><termNote type="usageNote">do not translate</termNote></tig></langSet>
    </termEntry>
    <termEntry id="c3">
      <langSet xml:lang="en"><tig><term>Ministry of Justice</term></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"""

TBX3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <text><body>
    <conceptEntry id="c1">
      <langSec xml:lang="en"><termSec><term>Phnom Penh</term></termSec></langSec>
      <langSet xml:lang="km"><term>ភ្នំពេញ</term></langSet>
    </conceptEntry>
  </body></text>
</tbx>
"""


def test_csv_with_note_and_do_not_translate(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "glossary.csv"
    path.write_text(
        "source,target,note,flags\nNational Assembly,រដ្ឋសភា,lower house,\nADHOC,,rights group,do-not-translate\nCSOs,CSOs,,\n"
        "Licadho,,human rights,read-only\nMinistry of Interior,,,\n",
        encoding="utf-8",
    )
    terms = read_glossary(path).terms
    assert terms[0] == Term("National Assembly", "រដ្ឋសភា", "", "lower house")
    assert [(t.source, t.keep) for t in terms] == [("National Assembly", False), ("ADHOC", True), ("CSOs", True), ("Licadho", True)]
    assert "Ministry of Interior" not in {t.source for t in terms}  # no approved translation yet: not a term
    assert not caplog.records  # a file with a flags column says what it means: no warning


def test_empty_target_of_an_older_glossary_is_not_do_not_translate_and_is_warned_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "glossary.csv"
    path.write_text("source,target,note\nNational Assembly,រដ្ឋសភា,lower house\nADHOC,,rights group\nCSOs,,\n", encoding="utf-8")
    with caplog.at_level("WARNING", logger="translate.glossary"):
        assert [t.source for t in read_glossary(path).terms] == ["National Assembly"]
        read_glossary(path)
    [record] = caplog.records
    assert record.getMessage().startswith(f"{path}:3: 2 term(s) with an empty target are not approved translations")
    assert "add a flags column with do-not-translate" in record.getMessage()


def test_a_mistyped_flag_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "glossary.csv"
    path.write_text("source,target,flags\nADHOC,,do-not-translte\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_glossary(path)
    assert str(caught.value).startswith(f"{path}:2: unknown glossary flag 'do-not-translte'")


def test_do_not_translate_with_another_target_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "glossary.csv"
    path.write_text("source,target,flags\nADHOC,អាដហុក,do-not-translate\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="marked do-not-translate but has the target"):
        read_glossary(path)


def test_tbx2_pairs_english_with_each_language(tmp_path: Path) -> None:
    path = tmp_path / "terms.tbx"
    path.write_text(TBX, encoding="utf-8")
    glossary = read_glossary(path)
    assert Term("National Assembly", "រដ្ឋសភា", "km", "Lower house of parliament") in glossary.terms
    assert [t.target for t in glossary.for_language("fr")] == ["Assemblée nationale", ""]
    assert [(t.source, t.keep) for t in glossary.for_language("km")] == [("National Assembly", False), ("ADHOC", True)]
    assert "Ministry of Justice" not in {t.source for t in glossary.terms}  # English only, no do-not-translate note


def test_tbx_element_names_of_tbx3_are_read(tmp_path: Path) -> None:
    path = tmp_path / "terms.tbx"
    path.write_text(TBX3.replace("langSec", "langSet"), encoding="utf-8")
    assert read_glossary(path).for_language("km") == (Term("Phnom Penh", "ភ្នំពេញ", "km"),)


def test_tbx_with_entity_declarations_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.tbx"
    path.write_text('<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><martif>&b;</martif>', encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read the TBX glossary"):
        read_glossary(path)


def test_broken_tbx_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "terms.tbx"
    path.write_text("<martif>\n<text>\n<body>\n</text>\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not well-formed XML") as caught:
        read_glossary(path)
    assert caught.value.line == 4


def test_csv_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "glossary.csv"
    path.write_text("source,target\nNational Assembly,រដ្ឋសភា\n,ភ្នំពេញ\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_glossary(path)
    assert caught.value.line == 3 and "no source term" in str(caught.value)
    path.write_text("term,translation\nx,y\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="source and target"):
        read_glossary(path)


def test_language_file_terms_apply_to_that_language_only(tmp_path: Path) -> None:
    (tmp_path / "km").mkdir()
    (tmp_path / "km" / "glossary.csv").write_text("source,target\nPhnom Penh,ភ្នំពេញ\n", encoding="utf-8")
    (tmp_path / "th").mkdir()
    glossary = load_glossary(tmp_path, ["km", "th"])
    assert glossary.for_language("km") == (Term("Phnom Penh", "ភ្នំពេញ", "km"),)
    assert glossary.for_language("th") == ()
    assert glossary.signature("km") and not glossary.signature("th")


def test_longest_term_wins_and_whole_words_only() -> None:
    terms = (Term("Ministry of Justice", "ក្រសួងយុត្តិធម៌"), Term("Justice", "យុត្តិធម៌"), Term("UN", "អ.ស.ប"))
    found = find_terms("The Ministry of Justice and UNESCO met the UN.", sorted(terms, key=lambda t: -len(t.source)))
    assert [(o.text, o.term.target) for o in found] == [("Ministry of Justice", "ក្រសួងយុត្តិធម៌"), ("UN", "អ.ស.ប")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The Ministry of Justice and the UN Human Rights Council met.", ["Ministry of Justice", "UN Human Rights Council"]),
        ("Ministry spokesman Chin Malin said so.", ["Chin Malin"]),
        ("Citing the November 23 sentencing of Kem Sokha’s aides, ADHOC objected.", ["Kem Sokha", "ADHOC"]),
        ("They met [Prime Minister Hun Manet](https://x.org) on Monday.", ["Prime Minister Hun Manet"]),
    ],
    ids=["institutions", "sentence-start", "possessive-and-month", "inside-a-link"],
)
def test_candidate_terms(sentence: str, expected: list[str]) -> None:
    assert candidate_terms(sentence) == expected


def _sample_workspace(tmp_path: Path) -> Path:
    article = tmp_path / "justice.txt"
    article.write_bytes((SAMPLES / "phnompenhpost-justice-ministry.txt").read_bytes())
    locales = tmp_path / "locales"
    extract([article], [language("km")], Workspace(locales=locales), now=FROZEN_NOW)
    po_path = locales / "km" / "LC_MESSAGES" / "justice.po"
    catalog = polib.pofile(str(po_path))
    for entry in catalog:
        if entry.msgid == "They also called on the National Assembly, which represents the Cambodian people, to review the laws and make amendments to protect activities and humanitarian support for victims of human rights abuses that were offered in good faith.":
            entry.msgstr = "ពួកគេក៏បានអំពាវនាវដល់រដ្ឋសភាផងដែរ។"
        if entry.msgid.startswith("Ministry spokesman Chin Malin"):
            entry.msgstr = "អ្នកនាំពាក្យក្រសួង លោក Chin Malin បាននិយាយ។"
            entry.flags.append("fuzzy")
    catalog.save(str(po_path))
    (locales / "km" / "glossary.csv").write_text("source,target,note,flags\nNational Assembly,រដ្ឋសភា,lower house,\nADHOC,,rights group,do-not-translate\n", encoding="utf-8")
    return article


def test_glossary_command_lists_terms_with_translations(tmp_path: Path) -> None:
    article = _sample_workspace(tmp_path)
    result = CliRunner().invoke(cli, ["--locales", str(tmp_path / "locales"), "glossary", str(article), "--to", "km", "--json"])
    assert result.exit_code == 0, result.output
    terms = {item["source"]: item for item in json.loads(result.output)}
    assert terms["CSOs"]["count"] == 6 and terms["ADHOC"]["count"] == 4
    assert terms["ADHOC"]["approved"] == {"target": "ADHOC", "keep": True, "note": "rights group"}
    assembly = terms["National Assembly"]
    assert assembly["uses_approved"] == 1
    assert assembly["translations"] == [{"article": "justice", "msgid": assembly["translations"][0]["msgid"], "msgstr": "ពួកគេក៏បានអំពាវនាវដល់រដ្ឋសភាផងដែរ។", "reviewed": True}]
    malin = terms["Chin Malin"]
    assert [(t["msgstr"], t["reviewed"]) for t in malin["translations"]] == [("អ្នកនាំពាក្យក្រសួង លោក Chin Malin បាននិយាយ។", False)]


def test_glossary_command_csv_is_a_readable_glossary(tmp_path: Path) -> None:
    article = _sample_workspace(tmp_path)
    result = CliRunner().invoke(cli, ["--locales", str(tmp_path / "locales"), "glossary", str(article), "--to", "km", "--csv", "--min-count", "3"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows[0] == {"source": "CSOs", "target": "", "note": "6x in 1 articles", "flags": ""}
    assert {"source": "National Assembly", "target": "រដ្ឋសភា", "note": "lower house", "flags": ""} in rows  # approved terms whatever --min-count
    assert {"source": "ADHOC", "target": "ADHOC", "note": "rights group", "flags": "do-not-translate"} in rows
    written = tmp_path / "new.csv"
    written.write_text(result.output, encoding="utf-8")
    # read back, only the approved and do-not-translate terms are terms: an unfilled row forbids nothing
    assert {t.source for t in read_glossary(written).terms} == {"National Assembly", "ADHOC"}


def test_a_glossary_filled_halfway_does_not_forbid_translating_the_rest(tmp_path: Path) -> None:
    """Export terms, approve one, and machine translation may still translate the others."""
    from translate.mt.protect import mask

    article = _sample_workspace(tmp_path)
    (tmp_path / "locales" / "km" / "glossary.csv").unlink()
    result = CliRunner().invoke(cli, ["--locales", str(tmp_path / "locales"), "glossary", str(article), "--to", "km", "--csv", "--min-count", "3"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and all(row["target"] == "" for row in rows)
    rows[0]["target"] = "អង្គការសង្គមស៊ីវិល"  # the first term approved, the rest left for later
    written = tmp_path / "locales" / "km" / "glossary.csv"
    with written.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["source", "target", "note", "flags"])
        writer.writeheader()
        writer.writerows(rows)
    terms = read_glossary(written).for_language("km")
    assert [t.source for t in terms] == [rows[0]["source"]]
    masked = mask(f"{rows[1]['source']} met {rows[0]['source']}.", terms)
    assert rows[1]["source"] in masked.text and rows[0]["source"] not in masked.text


def test_glossary_command_table_and_bad_article(tmp_path: Path) -> None:
    article = _sample_workspace(tmp_path)
    result = CliRunner().invoke(cli, ["--locales", str(tmp_path / "locales"), "glossary", str(article), str(tmp_path / "missing.txt"), "--to", "km"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("term")
    assert any(line.startswith("National Assembly") and "រដ្ឋសភា (1/1)" in line for line in lines)
    assert "missing.txt" in result.output
