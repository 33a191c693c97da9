"""Provenance records beside catalogs: the sidecar file, migration from translator comments, review states, notes."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from conftest import msgfmt_check
from translate.catalog.annotate import Unconfirmed, legacy_record, refresh, unconfirmed_keys
from translate.catalog.provenance import (
    Match,
    Origin,
    Provenance,
    Record,
    Records,
    State,
    entry_provenance,
    parse_records,
    read_records,
    render_records,
    save_records,
    sidecar_path,
    text_digest,
)
from translate.catalog.store import render_catalog
from translate.errors import CatalogError
from translate.mt.pretranslate import machine_text_untouched, provenance_of, recorded_checks

REVISION = "f8d333a098d1c1ea10c34e2bd9a4b3c6f5e1d2a7"
LINK = "[the full statement](https://example.org/statement)"
MSGID = f"Read {LINK} for details and the annex of the ministry."
MACHINE = "អាន​សេចក្តី​ថ្លែងការណ៍​ពេញលេញ។"


def _record(msgid: str, text: str, state: State = State.SUGGESTED, **extra: object) -> Record:
    digest = text_digest(text)
    return Record(None, msgid, Origin.MACHINE, digest, state, Provenance("nllb-200-distilled-600m", REVISION, "transformers|beam:4", digest), **extra)  # type: ignore[arg-type]


def _catalog(*entries: polib.POEntry) -> polib.POFile:
    po = polib.POFile(wrapwidth=78)
    po.metadata = {"Project-Id-Version": "story", "PO-Revision-Date": "2024-01-01 00:00+0000", "Last-Translator": "Dara", "Language-Team": "Khmer", "Language": "km", "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit", "Plural-Forms": "nplurals=1; plural=0;"}
    for entry in entries:
        po.append(entry)
    return po


def test_sidecar_round_trip_and_one_record_a_line(tmp_path: Path) -> None:
    po_path = tmp_path / "story.po"
    records = Records([
        _record("B sentence.", "ខ", issues=("repetition",), checks=("numbers",), restore=(f"link: {LINK}",), matches=(Match(87, "B sentences.", "ខខ"),)),
        Record("front matter", "Title", Origin.REVIEWED, text_digest("ចំណងជើង"), source_catalog="km/LC_MESSAGES/other.po"),
        _record("A sentence.", "ក", State.UNCONFIRMED),
    ])
    assert save_records(po_path, records) and not save_records(po_path, records)  # written once, then unchanged
    assert sidecar_path(po_path) == tmp_path / "story.mt.jsonl"
    lines = sidecar_path(po_path).read_text(encoding="utf-8").splitlines()
    assert lines[0] == '{"format": "translate-provenance", "version": 1}'
    assert [line.split('"msgid": ')[1][:3] for line in lines[1:]] == ['"A ', '"B ', '"Ti']  # sorted: no context first
    assert read_records(po_path) == records
    assert render_records(read_records(po_path)) == sidecar_path(po_path).read_bytes()


def test_no_records_writes_no_sidecar(tmp_path: Path) -> None:
    assert not save_records(tmp_path / "story.po", Records())
    assert not sidecar_path(tmp_path / "story.po").exists()
    assert len(read_records(tmp_path / "story.po")) == 0


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('{"format": "other"}\n', 1, "is not a provenance file"),
        ('{"format": "translate-provenance", "version": 9}\n', 1, "newer version"),
        ('{"format": "translate-provenance", "version": 1}\n{"msgid": "x"}\n', 2, "line is not a provenance record"),
        ('{"format": "translate-provenance", "version": 1}\n\nnot json\n', 3, "line is not a provenance record"),
    ],
    ids=["not-ours", "newer", "missing-fields", "not-json"],
)
def test_bad_sidecar_names_file_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "story.mt.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        parse_records(path.read_bytes(), path)
    assert caught.value.line == line and message in str(caught.value) and "story.mt.jsonl" in str(caught.value)


def test_records_are_found_by_key_previous_msgid_and_digest() -> None:
    records = Records([_record("Old English.", MACHINE)])
    moved = polib.POEntry(msgid="New English.", msgstr=MACHINE, flags=["fuzzy"], previous_msgid="Old English.")
    lost_previous = polib.POEntry(msgid="New English.", msgstr=MACHINE, flags=["fuzzy"])  # pybabel update without --previous
    edited = polib.POEntry(msgid="Old English.", msgstr=MACHINE + " (edited)", flags=["fuzzy"])
    assert records.for_entry(moved) is not None and records.for_entry(lost_previous) is not None
    assert records.for_entry(edited) is None and records.history(edited) is not None
    assert entry_provenance(moved, records) == Provenance("nllb-200-distilled-600m", REVISION, "transformers|beam:4", text_digest(MACHINE))


LEGACY = (
    "a translator's own note\n"
    "mt:nllb-200-distilled-600m@f8d333a098d1\n"
    "mt_settings:transformers|beam:4|maxnew:3x+10|maxin:200|lp:1|rp:1|nrng:0|retry:yes\n"
    f"mt_sha256:{text_digest(MACHINE)}\n"
    "mt_issues:markup-not-placed\n"
    "mt_check:markup,urls\n"
    f"mt_restore: link: {LINK}"
)


def test_legacy_comments_move_to_records_and_notes() -> None:
    entry = polib.POEntry(msgid=MSGID, msgstr=MACHINE, flags=["fuzzy"], tcomment=LEGACY, comment="paragraph")
    refreshed = refresh(_catalog(entry), Records())
    [moved] = refreshed.catalog
    assert refreshed.migrated == 1
    assert moved.tcomment == "a translator's own note"  # only the translator's line stays in their comment box
    assert moved.comment.split("\n") == [
        "paragraph",
        "mt: nllb-200-distilled-600m@f8d333a098d1",
        "mt issues: markup-not-placed",
        "mt checks failed: markup, urls",
        f"mt restore: link: {LINK}",
    ]
    [record] = refreshed.records
    assert record.provenance is not None and record.provenance.settings.startswith("transformers|beam:4|maxnew")
    assert record.checks == ("markup", "urls") and record.state is State.SUGGESTED
    assert machine_text_untouched(moved, refreshed.records) and recorded_checks(moved, refreshed.records) == ["markup", "urls"]
    assert refresh(refreshed.catalog, refreshed.records).catalog.__unicode__() == refreshed.catalog.__unicode__()  # settled


def test_legacy_history_of_an_edited_entry_is_kept() -> None:
    entry = polib.POEntry(msgid=MSGID, msgstr="អាន​ (a person's text)", tcomment=LEGACY)
    refreshed = refresh(_catalog(entry), Records())
    [moved] = refreshed.catalog
    [record] = refreshed.records
    assert record.digest == text_digest(MACHINE) and records_history(refreshed.records, moved) == record
    assert not machine_text_untouched(moved, refreshed.records) and moved.comment == ""  # a person's text: no machine notes


def records_history(records: Records, entry: polib.POEntry) -> Record | None:
    return records.history(entry)


def test_legacy_comments_are_still_read_before_migration() -> None:
    entry = polib.POEntry(msgid=MSGID, msgstr=MACHINE, flags=["fuzzy"], tcomment=LEGACY)
    assert provenance_of(entry) is not None and machine_text_untouched(entry) and recorded_checks(entry) == ["markup", "urls"]


def test_wrapped_mt_restore_line_is_joined_back() -> None:
    """pybabel update wraps translator comments at 76 columns: the tail of mt_restore became a line of its own."""
    wrapped = LEGACY.replace(f"mt_restore: link: {LINK}", "mt_restore: link: [the full\nstatement](https://example.org/statement)")
    entry = polib.POEntry(msgid=MSGID, msgstr=MACHINE, flags=["fuzzy"], tcomment=wrapped)
    record, comment = legacy_record(entry)
    assert record is not None and record.restore == (f"link: {LINK}",)
    assert comment == "a translator's own note"


def test_a_translator_line_that_only_looks_like_ours_stays() -> None:
    entry = polib.POEntry(msgid="A.", msgstr="ក", tcomment="mt: ask the desk about this one")
    record, comment = legacy_record(entry)
    assert record is None and comment == "mt: ask the desk about this one"


def _machine_catalog(n: int, fuzzy: list[bool]) -> tuple[polib.POFile, Records]:
    entries, records = [], []
    for number in range(n):
        text = f"ប្រយោគ {number}។"
        entries.append(polib.POEntry(msgid=f"Sentence {number}.", msgstr=text, flags=["fuzzy"] if fuzzy[number] else []))
        records.append(_record(f"Sentence {number}.", text))
    return _catalog(*entries), Records(records)


def test_one_suggestion_accepted_unedited_is_reviewed() -> None:
    catalog, records = _machine_catalog(3, [False, True, True])
    refreshed = refresh(catalog, records)
    assert refreshed.unconfirmed == () and refreshed.accepted == 1
    assert refreshed.records.get((None, "Sentence 0.")).state is State.ACCEPTED
    assert refreshed.catalog[0].comment == ""  # reviewed: the machine notes go


def test_every_fuzzy_flag_lost_at_once_is_unconfirmed_until_settled() -> None:
    catalog, records = _machine_catalog(3, [False, False, False])
    catalog[2].msgstr = "ប្រយោគ ដែល​បាន​កែ។"  # edited in the spreadsheet: that one is a person's
    refreshed = refresh(catalog, records)
    assert refreshed.unconfirmed == ("Sentence 0.", "Sentence 1.")
    assert unconfirmed_keys(refreshed.catalog, refreshed.records) == {(None, "Sentence 0."), (None, "Sentence 1.")}
    assert "fuzzy" not in refreshed.catalog[0].flags  # reported, never rewritten unasked
    assert "CSV round trip" in refreshed.catalog[0].comment
    again = refresh(refreshed.catalog, refreshed.records)  # stays unconfirmed on the next run
    assert again.unconfirmed == ("Sentence 0.", "Sentence 1.")
    restored = refresh(refreshed.catalog, refreshed.records, unconfirmed=Unconfirmed.RESTORE)
    assert restored.restored == 2 and [("fuzzy" in e.flags) for e in restored.catalog] == [True, True, False]
    accepted = refresh(refreshed.catalog, refreshed.records, unconfirmed=Unconfirmed.ACCEPT)
    assert accepted.unconfirmed == () and accepted.records.get((None, "Sentence 1.")).state is State.ACCEPTED


def test_records_of_entries_gone_are_dropped() -> None:
    catalog, records = _machine_catalog(2, [True, True])
    records = records.with_records([_record("Gone.", "ទៅ")])
    assert [r.msgid for r in refresh(catalog, records).records] == ["Sentence 0.", "Sentence 1."]


def test_notes_are_valid_po_and_never_wrapped(tmp_path: Path) -> None:
    long = "mt restore: link: [" + "word " * 30 + "](https://example.org/a-long-address)"
    entry = polib.POEntry(msgid="A long one.", msgstr="ក។", flags=["fuzzy"])
    record = _record("A long one.", "ក។", restore=(long[len("mt restore: ") :],), matches=(Match(80, "A long two.", "ខ។"),))
    [annotated] = refresh(_catalog(entry), Records([record])).catalog
    path = tmp_path / "km.po"
    path.write_bytes(render_catalog(_catalog(annotated)))
    text = path.read_text(encoding="utf-8")
    assert f"#. {long}\n" in text and "#. tm 80%: A long two. → ខ។\n" in text
    msgfmt_check(path)


def _mixed_catalog() -> tuple[polib.POFile, Records]:
    """Legacy comments, unconfirmed suggestions, a reviewed entry and one to fill."""
    catalog, _ = _machine_catalog(3, [False, False, True])
    states = [State.UNCONFIRMED, State.UNCONFIRMED, State.SUGGESTED]  # a CSV round trip dropped two fuzzy flags at an earlier run
    records = Records([_record(f"Sentence {n}.", f"ប្រយោគ {n}។", state) for n, state in enumerate(states)])
    catalog.append(polib.POEntry(msgid=MSGID, msgstr=MACHINE, flags=["fuzzy"], tcomment=LEGACY, comment="paragraph"))
    catalog.append(polib.POEntry(msgid="Nothing yet.", msgstr=""))
    return catalog, records


def test_in_place_variants_give_what_the_copying_ones_give() -> None:
    """Callers that own a catalog skip the copy; the result must not differ by a byte, and the default leaves the input alone."""
    from translate.catalog.annotate import as_reviewed
    from translate.mt.pretranslate import Suggestion, fill

    catalog, records = _mixed_catalog()
    pristine = render_catalog(catalog)
    copied = refresh(catalog, records)
    assert render_catalog(catalog) == pristine and copied.catalog is not catalog
    owned, _ = _mixed_catalog()
    in_place = refresh(owned, records, in_place=True)
    assert in_place.catalog is owned and render_catalog(owned) == render_catalog(copied.catalog)
    assert (in_place.records, in_place.unconfirmed, in_place.migrated) == (copied.records, copied.unconfirmed, copied.migrated) != ((), (), 0)

    reviewed = as_reviewed(catalog, records)
    assert render_catalog(catalog) == pristine
    owned, _ = _mixed_catalog()
    assert as_reviewed(owned, records, in_place=True) is owned
    assert [(e.msgid, e.msgstr, e.flags) for e in owned] == [(e.msgid, e.msgstr, e.flags) for e in reviewed]
    assert [("fuzzy" in e.flags) for e in reviewed] == [True, True, True, True, False]  # the unconfirmed pair counts as suggestions

    suggestions = {"Nothing yet.": Suggestion("មិន​ទាន់។", Origin.REVIEWED)}
    filled, report = fill(copied.catalog, suggestions, lang="km", records=copied.records)
    assert filled is not copied.catalog and render_catalog(copied.catalog) == render_catalog(in_place.catalog)
    filled_in_place, report_in_place = fill(in_place.catalog, suggestions, lang="km", records=in_place.records, in_place=True)
    assert filled_in_place is in_place.catalog and render_catalog(filled_in_place) == render_catalog(filled)
    assert report_in_place == report and report.reviewed == 1
