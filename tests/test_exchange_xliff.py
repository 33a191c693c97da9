"""XLIFF 2.0 and 1.2: schema-valid files, lossless round trips, safe imports, Translate Toolkit reading and writing them."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from lxml import etree

from conftest import msgfmt_check
from exchange_helpers import KM, REVIEWED, SCHEMAS, SLUG, blank, catalog_file, make_catalog, ttk, ttk_read
from translate.catalog.provenance import read_records
from translate.catalog.store import render_catalog
from translate.cli import cli
from translate.exchange.catalog_units import entry_state
from translate.exchange.provenance import comment_text, read_notes
from translate.exchange.service import XliffVersion, export_xliff, import_xliff, read_xliff
from translate.exchange.units import ExchangeError, UnitState

VERSIONS = [pytest.param(v, id=f"xliff-{v.value}") for v in XliffVersion]
SCHEMA_FILES = {XliffVersion.V2_0: "xliff-core-2.0.xsd", XliffVersion.V1_2: "xliff-core-1.2-strict.xsd"}


@pytest.fixture
def locales(workdir: Path) -> Path:
    return make_catalog(workdir)


def _schema(version: XliffVersion) -> etree.XMLSchema:
    """The official OASIS schema (from Debian's php-symfony-translation, see scripts/setup), offline."""
    path = SCHEMAS / SCHEMA_FILES[version]
    if not path.exists():
        pytest.fail(f"{path} is missing: ./scripts/setup unpacks the XLIFF schemas into {SCHEMAS}")
    doc = etree.parse(str(path))
    for imported in doc.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
        imported.set("schemaLocation", (SCHEMAS / "xml.xsd").as_uri())
    return etree.XMLSchema(doc)


def _state(entry: polib.POEntry, locales: Path) -> UnitState:
    """An entry's review state, read with its catalog's provenance sidecar."""
    return entry_state(entry, read_records(catalog_file(locales)))


def _states(po: polib.POFile, locales: Path) -> dict[str, UnitState]:
    return {e.msgid: _state(e, locales) for e in po if not e.obsolete}


def test_fixture_catalog_has_every_state(locales: Path) -> None:
    po = polib.pofile(str(catalog_file(locales)))
    assert set(_states(po, locales).values()) == set(UnitState)
    assert any(e.msgctxt for e in po) and any(e.previous_msgid for e in po)


@pytest.mark.parametrize("version", VERSIONS)
def test_export_is_valid_against_the_oasis_schema(locales: Path, workdir: Path, version: XliffVersion) -> None:
    out = workdir / "km.xlf"
    result = export_xliff(locales, KM, out, version=version)
    assert result.units == len([e for e in polib.pofile(str(catalog_file(locales))) if not e.obsolete])
    schema = _schema(version)
    assert schema.validate(etree.parse(str(out))), schema.error_log


@pytest.mark.parametrize("version", VERSIONS)
def test_schema_check_catches_a_broken_file(locales: Path, workdir: Path, version: XliffVersion) -> None:
    out = workdir / "km.xlf"
    export_xliff(locales, KM, out, version=version)
    broken = out.read_text(encoding="utf-8").replace('state="', 'state="almost-', 1)
    assert not _schema(version).validate(etree.fromstring(broken.encode("utf-8")))


@pytest.mark.parametrize("version", VERSIONS)
def test_export_then_import_into_a_blank_catalog_restores_it_byte_for_byte(locales: Path, workdir: Path, version: XliffVersion) -> None:
    path = catalog_file(locales)
    original = path.read_bytes()
    out = workdir / "km.xlf"
    export_xliff(locales, KM, out, version=version)
    path.write_bytes(render_catalog(blank(polib.pofile(str(path)))))
    [result] = import_xliff(out, locales)
    assert result.written and not result.conflicts
    assert path.read_bytes() == original
    msgfmt_check(path)


@pytest.mark.parametrize("version", VERSIONS)
def test_import_of_an_unchanged_export_writes_nothing(locales: Path, workdir: Path, version: XliffVersion) -> None:
    path = catalog_file(locales)
    before = path.read_bytes()
    out = workdir / "km.xlf"
    export_xliff(locales, KM, out, version=version)
    [result] = import_xliff(out, locales)
    assert not result.written and result.translated == 0 and not result.conflicts
    assert path.read_bytes() == before


@pytest.mark.parametrize("version", VERSIONS)
def test_states_read_back_as_written(locales: Path, workdir: Path, version: XliffVersion) -> None:
    out = workdir / "km.xlf"
    export_xliff(locales, KM, out, version=version)
    [file] = read_xliff(out).files
    po = polib.pofile(str(catalog_file(locales)))
    assert {u.source: u.state for u in file.units} == _states(po, locales)
    by_source = {u.source: u for u in file.units}
    reviewed = next(e for e in po if REVIEWED in e.tcomment)
    assert by_source[reviewed.msgid].comments == (REVIEWED,)
    assert [p.kind for p in by_source[reviewed.msgid].provenance][:3] == ["mt", "mt_settings", "mt_sha256"]
    front = next(e for e in po if e.msgctxt)
    assert by_source[front.msgid].context == front.msgctxt
    changed = next(e for e in po if e.previous_msgid)
    assert by_source[changed.msgid].previous_source == changed.previous_msgid


def test_xliff2_state_attributes(locales: Path, workdir: Path) -> None:
    out = workdir / "km.xlf"
    export_xliff(locales, KM, out)
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0", "mda": "urn:oasis:names:tc:xliff:metadata:2.0"}
    root = etree.parse(str(out)).getroot()
    states = {(s.get("state"), s.get("subState")) for s in root.iterfind(".//x:segment", ns)}
    assert states == {("initial", None), ("translated", "translate:machine"), ("translated", "translate:needs-review"), ("reviewed", None)}
    for segment in root.iterfind(".//x:segment[@state='initial']", ns):
        assert segment.find("x:target", ns) is None
    kinds = {m.get("type") for m in root.iterfind(".//mda:metaGroup[@category='provenance']/mda:meta", ns)}
    assert {"mt", "mt_settings", "mt_sha256"} <= kinds


def test_xliff12_state_attributes(locales: Path, workdir: Path) -> None:
    out = workdir / "km.xlf"
    export_xliff(locales, KM, out, version=XliffVersion.V1_2)
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    root = etree.parse(str(out)).getroot()
    seen = set()
    for unit in root.iterfind(".//x:trans-unit", ns):
        target = unit.find("x:target", ns)
        seen.add((unit.get("approved"), None if target is None else target.get("state"), None if target is None else target.get("state-qualifier")))
    assert seen == {
        (None, None, None),
        ("yes", "signed-off", None),
        ("no", "needs-review-translation", "mt-suggestion"),
        ("no", "needs-review-translation", None),
        ("no", "needs-review-translation", "fuzzy-match"),
    }


NS = {"x2": "urn:oasis:names:tc:xliff:document:2.0", "x1": "urn:oasis:names:tc:xliff:document:1.2"}


def _change_unit(out: Path, source: str, *, target: str | None = None, reviewed: bool | None = None, new_source: str | None = None) -> int:
    """Edit the unit of ``source`` in an exported file as a CAT tool would; returns the unit's line."""
    tree = etree.parse(str(out))
    v2 = tree.getroot().get("version") == "2.0"
    units = tree.getroot().iterfind(".//x2:unit" if v2 else ".//x1:trans-unit", NS)
    unit = next(u for u in units if u.findtext(".//x2:source" if v2 else "x1:source", namespaces=NS) == source)
    segment = unit.find("x2:segment", NS) if v2 else unit
    if target is not None:
        segment.find("x2:target" if v2 else "x1:target", NS).text = target
    if new_source is not None:
        segment.find("x2:source" if v2 else "x1:source", NS).text = new_source
    if reviewed is not None and v2:
        segment.set("state", "final" if reviewed else "translated")
        segment.attrib.pop("subState", None)
    elif reviewed is not None:
        unit.set("approved", "yes" if reviewed else "no")
    tree.write(str(out), encoding="utf-8", xml_declaration=True)
    return unit.sourceline


@pytest.mark.parametrize("version", VERSIONS)
def test_a_cat_tool_edit_replaces_text_the_catalog_still_holds(locales: Path, workdir: Path, version: XliffVersion) -> None:
    path = catalog_file(locales)
    po = polib.pofile(str(path))
    machine = next(e for e in po if _state(e, locales) is UnitState.MACHINE)
    edited = next(e for e in po if _state(e, locales) is UnitState.NEEDS_REVIEW and not e.previous_msgid)
    reviewed = next(e for e in po if REVIEWED in e.tcomment)
    out = workdir / "km.xlf"
    export_xliff(locales, KM, out, version=version)
    _change_unit(out, machine.msgid, target="ពីកម្មវិធី CAT")
    _change_unit(out, edited.msgid, target="កែម្ដងទៀត")
    _change_unit(out, reviewed.msgid, target="បានពិនិត្យម្ដងទៀត")  # still reviewed in the file
    [result] = import_xliff(out, locales)
    assert result.translated == 3 and not result.conflicts
    after = {e.msgid: e for e in polib.pofile(str(path))}
    assert after[machine.msgid].msgstr == "ពីកម្មវិធី CAT" and "fuzzy" in after[machine.msgid].flags
    assert _state(after[machine.msgid], locales) is UnitState.NEEDS_REVIEW  # no longer the machine's own text
    assert after[edited.msgid].msgstr == "កែម្ដងទៀត"
    assert after[reviewed.msgid].msgstr == "បានពិនិត្យម្ដងទៀត" and _state(after[reviewed.msgid], locales) is UnitState.REVIEWED
    assert after[reviewed.msgid].tcomment.startswith(REVIEWED)
    msgfmt_check(path)
    # GNU gettext and Babel compile the imported catalog; the reviewed translation is in both .mo files.
    subprocess.run(["msgfmt", "-o", str(workdir / "gnu.mo"), str(path)], check=True)
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "-q", "compile", "-i", str(path), "-o", str(workdir / "babel.mo")], check=True)
    for mo in ("gnu.mo", "babel.mo"):
        with open(workdir / mo, "rb") as handle:
            catalog = gettext.GNUTranslations(handle)
        found = catalog.pgettext(reviewed.msgctxt, reviewed.msgid) if reviewed.msgctxt else catalog.gettext(reviewed.msgid)
        assert found == "បានពិនិត្យម្ដងទៀត", mo
        assert catalog.gettext(machine.msgid) == machine.msgid  # fuzzy: not compiled


@pytest.mark.parametrize("version", VERSIONS)
def test_a_translator_edit_made_since_the_export_is_never_lost(locales: Path, workdir: Path, version: XliffVersion) -> None:
    path = catalog_file(locales)
    out = workdir / "km.xlf"
    export_xliff(locales, KM, out, version=version)
    po = polib.pofile(str(path))
    edited = next(e for e in po if _state(e, locales) is UnitState.NEEDS_REVIEW and not e.previous_msgid)
    edited.msgstr = "ការកែពី Poedit"
    path.write_bytes(render_catalog(po))
    reviewed = next(e for e in po if REVIEWED in e.tcomment)
    lines = {
        edited.msgid: _change_unit(out, edited.msgid, target="ការកែពី CAT"),
        reviewed.msgid: _change_unit(out, reviewed.msgid, target="មិនទាន់ពិនិត្យ", reviewed=False),
    }
    before = path.read_bytes()
    [result] = import_xliff(out, locales)
    assert {c.source: c.line for c in result.conflicts} == lines
    assert path.read_bytes() == before
    runner = CliRunner()
    output = runner.invoke(cli, ["xliff", "import", str(out)]).output
    assert f"warning: {out}:{lines[edited.msgid]}: not taken, a person edited the catalog's translation" in output


@pytest.mark.parametrize("version", VERSIONS)
def test_a_reviewed_unit_confirms_a_fuzzy_entry(locales: Path, workdir: Path, version: XliffVersion) -> None:
    path = catalog_file(locales)
    changed = next(e for e in polib.pofile(str(path)) if e.previous_msgid)
    out = workdir / "km.xlf"
    export_xliff(locales, KM, out, version=version)
    _change_unit(out, changed.msgid, reviewed=True)
    [result] = import_xliff(out, locales)
    assert result.reviewed == 1 and result.translated == 0
    entry = next(e for e in polib.pofile(str(path)) if e.msgid == changed.msgid)
    assert "fuzzy" not in entry.flags and entry.previous_msgid is None and entry.msgstr == changed.msgstr


@pytest.mark.parametrize("version", VERSIONS)
def test_a_file_for_other_english_is_refused_whole(locales: Path, workdir: Path, version: XliffVersion) -> None:
    path = catalog_file(locales)
    out = workdir / "km.xlf"
    export_xliff(locales, KM, out, version=version)
    po = [e for e in polib.pofile(str(path)) if not e.obsolete]
    machine = next(e for e in po if _state(e, locales) is UnitState.MACHINE)
    _change_unit(out, machine.msgid, target="ការបកប្រែថ្មី")
    victim = po[-4]
    line = _change_unit(out, victim.msgid, new_source="An English sentence nobody wrote.")
    before = path.read_bytes()
    with pytest.raises(ExchangeError) as caught:
        import_xliff(out, locales)
    message = str(caught.value)
    assert message.startswith(f"{out}:{line}: unit ") and "nobody wrote" in message and "\n" not in message
    assert path.read_bytes() == before  # the other unit's translation was not taken either


def test_a_file_for_a_missing_catalog_or_another_source_language_is_refused(locales: Path, workdir: Path) -> None:
    out = workdir / "km.xlf"
    export_xliff(locales, KM, out)
    other = out.read_text(encoding="utf-8").replace(f"km/LC_MESSAGES/{SLUG}.po", "km/LC_MESSAGES/other.po")
    (workdir / "other.xlf").write_text(other, encoding="utf-8")
    with pytest.raises(ExchangeError, match="other.po, which does not exist"):
        import_xliff(workdir / "other.xlf", locales)
    french = out.read_text(encoding="utf-8").replace('srcLang="en"', 'srcLang="fr"')
    (workdir / "fr.xlf").write_text(french, encoding="utf-8")
    with pytest.raises(ExchangeError, match="translated from 'fr'"):
        import_xliff(workdir / "fr.xlf", locales)


def test_malformed_and_entity_laden_files_are_refused_with_their_line(workdir: Path, locales: Path) -> None:
    bad = workdir / "bad.xlf"
    bad.write_text('<?xml version="1.0"?>\n<xliff version="2.0">\n  <file>\n</xliff>\n', encoding="utf-8")
    with pytest.raises(ExchangeError) as caught:
        import_xliff(bad, locales)
    assert caught.value.line == 4 and "well-formed" in str(caught.value)
    bomb = workdir / "bomb.xlf"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY a "aaaaaaaa">]>\n<xliff version="2.0">&a;</xliff>\n', encoding="utf-8")
    with pytest.raises(ExchangeError, match="entities"):
        import_xliff(bomb, locales)


def test_cli_export_and_import(locales: Path, workdir: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["xliff", "export", "jekyll_post.md", "--to", "km", "-o", "km.xlf", "--xliff-version", "1.2"])
    assert result.exit_code == 0, result.output
    assert "units from 1 catalog(s), XLIFF 1.2" in result.output
    result = runner.invoke(cli, ["xliff", "import", "km.xlf"])
    assert result.exit_code == 0 and "unchanged (0 translations taken" in result.output
    result = runner.invoke(cli, ["xliff", "export", "missing.md", "--to", "km", "-o", "x.xlf"])
    assert result.exit_code == 1 and "missing.md" in result.output and "translate extract missing.md --to km" in result.output
    (workdir / "empty.xlf").write_text("", encoding="utf-8")
    result = runner.invoke(cli, ["xliff", "import", "empty.xlf"])
    assert result.exit_code == 1 and result.output.startswith("Error: empty.xlf:")


# Translate Toolkit, run from its own environment


def test_translate_toolkit_xliff2po_reads_our_xliff12_as_the_catalog(locales: Path, workdir: Path) -> None:
    out = workdir / "km.xlf"
    export_xliff(locales, KM, out, version=XliffVersion.V1_2)
    ttk("xliff2po", out, workdir / "back.po")
    back = {e.msgid: e for e in polib.pofile(str(workdir / "back.po")) if e.msgid}
    ours = [e for e in polib.pofile(str(catalog_file(locales))) if not e.obsolete]
    records = read_records(catalog_file(locales))
    assert len(back) == len(ours)
    for entry in ours:
        theirs = back[entry.msgid]  # xliff2po does not carry msgctxt; our msgids are unique here
        assert theirs.msgstr == entry.msgstr
        assert ("fuzzy" in theirs.flags) == ("fuzzy" in entry.flags and bool(entry.msgstr)), entry.msgid
        notes = read_notes(entry, records)
        assert theirs.tcomment == comment_text(notes.comments, notes.provenance)  # the sidecar's provenance as note lines
        assert theirs.comment == entry.comment
        assert theirs.occurrences == entry.occurrences
    assert subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(workdir / "back.po")], capture_output=True).returncode == 0


def test_translate_toolkit_reads_our_xliff2(locales: Path, workdir: Path) -> None:
    out = workdir / "km.xlf"
    export_xliff(locales, KM, out)
    units = ttk_read(out, "xliff2")
    po = [e for e in polib.pofile(str(catalog_file(locales))) if not e.obsolete]
    assert [(u["source"], u["target"]) for u in units] == [(e.msgid, e.msgstr) for e in po]
    assert [u["approved"] for u in units] == [_state(e, locales) is UnitState.REVIEWED for e in po]


def test_translate_toolkit_reads_our_xliff12(locales: Path, workdir: Path) -> None:
    out = workdir / "km.xlf"
    export_xliff(locales, KM, out, version=XliffVersion.V1_2)
    units = ttk_read(out, "xliff1")
    po = [e for e in polib.pofile(str(catalog_file(locales))) if not e.obsolete]
    assert [(u["source"], u["target"], u["approved"]) for u in units] == [(e.msgid, e.msgstr, _state(e, locales) is UnitState.REVIEWED) for e in po]
    assert [u["locations"] for u in units] == [[f"{f}:{n}" for f, n in e.occurrences] for e in po]


def test_an_xliff_made_by_translate_toolkit_po2xliff_imports(locales: Path, workdir: Path) -> None:
    path = catalog_file(locales)
    original = polib.pofile(str(path))
    shutil.copyfile(path, workdir / f"{SLUG}.po")
    ttk("po2xliff", f"{SLUG}.po", "ttk.xlf", cwd=workdir)
    path.write_bytes(render_catalog(blank(polib.pofile(str(path)))))
    [result] = import_xliff(workdir / "ttk.xlf", locales)
    assert not result.conflicts
    after = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path)) if not e.obsolete}
    for entry in original:
        if entry.obsolete:
            continue
        mine = after[(entry.msgctxt, entry.msgid)]
        assert mine.msgstr == entry.msgstr
        assert ("fuzzy" in mine.flags) == ("fuzzy" in entry.flags and bool(entry.msgstr))
        assert mine.tcomment == entry.tcomment  # translator comments and provenance came through the toolkit
        assert _state(mine, locales) is _state(entry, locales) or entry.previous_msgid
    msgfmt_check(path)


def test_provenance_lines_split_from_and_join_back_into_a_translator_note() -> None:
    from translate.exchange.provenance import ProvenanceLine, comment_text, split_notes

    comment = "Checked by Dara\nmt:nllb@f8d333a098d1\nmt_settings:transformers|beam:4\nmt_restore: link: [the report](https://example.org/r)\nsee also: mt is fine"
    person, provenance = split_notes(comment)
    assert person == ("Checked by Dara", "see also: mt is fine")
    assert [p.kind for p in provenance] == ["mt", "mt_settings", "mt_restore"]
    assert comment_text(person, provenance) == "Checked by Dara\nsee also: mt is fine\nmt:nllb@f8d333a098d1\nmt_settings:transformers|beam:4\nmt_restore: link: [the report](https://example.org/r)"
    with pytest.raises(ValueError):
        comment_text([], [ProvenanceLine("not-ours", "x")])


@pytest.mark.parametrize("version", VERSIONS)
def test_machine_text_approved_in_the_file_is_recorded_as_accepted(locales: Path, workdir: Path, version: XliffVersion) -> None:
    """Approving every machine unit at once in a CAT tool is a review, not flags lost in a CSV round trip."""
    from translate.catalog.annotate import unconfirmed_keys
    from translate.catalog.provenance import State

    path = catalog_file(locales)
    po = polib.pofile(str(path))
    machine = [e for e in po if not e.obsolete and _state(e, locales) is UnitState.MACHINE]
    assert len(machine) >= 2
    out = workdir / "km.xlf"
    export_xliff(locales, KM, out, version=version)
    fuzzy = [e for e in po if not e.obsolete and e.msgstr and "fuzzy" in e.flags]
    for entry in fuzzy:  # every fuzzy unit approved: the catalog is left without a fuzzy flag
        _change_unit(out, entry.msgid, reviewed=True)
    [result] = import_xliff(out, locales)
    assert result.reviewed == len(fuzzy) and not result.conflicts
    assert not any("fuzzy" in e.flags for e in polib.pofile(str(path)) if not e.obsolete and e.msgstr)
    after = polib.pofile(str(path))
    records = read_records(path)
    for entry in machine:
        mine = next(e for e in after if e.msgid == entry.msgid and e.msgctxt == entry.msgctxt)
        assert "fuzzy" not in mine.flags and mine.msgstr == entry.msgstr
        assert records.for_entry(mine).state is State.ACCEPTED
    assert not unconfirmed_keys(after, records)
