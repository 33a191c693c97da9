"""Catalog entries to exchange units and back.

Export is a pure reading of a catalog. Import (:func:`apply_units`) is a pure
function of the catalog on disk, so :func:`translate.catalog.store.update_catalog`
can apply it again when a translator saves the catalog meanwhile. It never
loses a translation: a unit's text replaces the catalog's only when the
catalog held none, or still holds what the file was made from (or machine
output nobody edited), and a reviewed entry is replaced only by a reviewed
unit. Everything else is reported as a conflict and left as it was.
"""

from __future__ import annotations

import copy
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import replace

import polib

from translate.catalog.provenance import Record, Records, State
from translate.catalog.stats import is_translated
from translate.exchange.provenance import read_notes
from translate.exchange.units import CatalogImport, CatalogUnits, Conflict, ExchangeError, Reference, Unit, UnitState
from translate.mt.pretranslate import text_digest

log = logging.getLogger(__name__)


def unit_id(context: str | None, source: str) -> str:
    """A stable identifier for an entry: the same sentence keeps it across exports (an XML NMTOKEN)."""
    key = source if context is None else f"{context}\x04{source}"
    return "u" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def entry_state(entry: polib.POEntry, records: Records | None = None) -> UnitState:
    """The review state of a catalog entry (``records``: its catalog's provenance sidecar).

    Fuzzy machine output nobody edited is ``MACHINE``, unless the English
    changed since (``#| msgid``): then it translates other English and needs review.
    """
    if not is_translated(entry):
        return UnitState.NEW
    if "fuzzy" not in entry.flags:
        return UnitState.REVIEWED
    if entry.previous_msgid is None and read_notes(entry, records).machine_untouched:
        return UnitState.MACHINE
    return UnitState.NEEDS_REVIEW


def _reference(file: str, line: str) -> Reference:
    return Reference(file, str(line) if line else "")


def entry_unit(entry: polib.POEntry, records: Records | None = None) -> Unit:
    """The exchange unit of one catalog entry (``records``: its catalog's provenance sidecar)."""
    notes = read_notes(entry, records)
    return Unit(
        id=unit_id(entry.msgctxt, entry.msgid),
        source=entry.msgid,
        target=entry.msgstr,
        state=entry_state(entry, records),
        context=entry.msgctxt,
        comments=notes.comments,
        provenance=notes.provenance,
        extracted=tuple(entry.comment.splitlines()) if entry.comment else (),
        references=tuple(_reference(file, line) for file, line in entry.occurrences),
        flags=tuple(flag for flag in entry.flags if flag != "fuzzy"),
        previous_source=entry.previous_msgid,
        exported_digest=text_digest(entry.msgstr),
    )


def catalog_units(catalog: polib.POFile, original: str, records: Records | None = None) -> CatalogUnits:
    """The units of a catalog's current entries (obsolete and plural entries are left out; ``records``: its sidecar)."""
    units = []
    for entry in catalog:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            log.warning("%s: plural entry %r left out of the export", original, entry.msgid)
            continue
        units.append(entry_unit(entry, records))
    return CatalogUnits(original, tuple(units))


def _find(catalog: polib.POFile, unit: Unit, by_id: dict[str, polib.POEntry]) -> polib.POEntry | None:
    """The entry a unit is for: by msgctxt and msgid, else by one of our ids, else by msgid alone when that is unique."""
    current = [e for e in catalog if not e.obsolete and e.msgid == unit.source]
    if unit.context is not None:
        return next((e for e in current if e.msgctxt == unit.context), None)
    entry = by_id.get(unit.id)
    if entry is not None and entry.msgid == unit.source:
        return entry
    plain = [e for e in current if e.msgctxt is None]
    if plain:
        return plain[0]
    return current[0] if len(current) == 1 else None


def match_units(catalog: polib.POFile, units: CatalogUnits, xliff: str, catalog_name: str) -> list[tuple[Unit, polib.POEntry]]:
    """Each translatable unit with its catalog entry.

    Raises:
        ExchangeError: a unit's source text is not in the catalog (naming the
            XLIFF file and the unit's line): the file was made for other English.
    """
    by_id = {unit_id(e.msgctxt, e.msgid): e for e in catalog if not e.obsolete}
    pairs = []
    for unit in units.units:
        entry = _find(catalog, unit, by_id)
        if entry is None:
            where = f" (msgctxt {unit.context!r})" if unit.context is not None else ""
            raise ExchangeError(
                f"unit {unit.id!r}{where} is for English that {catalog_name} does not have: {_short(unit.source)!r}",
                path=xliff,
                line=unit.line,
                hint="the article changed since this file was made: run translate extract, export again and carry the translations over",
            )
        pairs.append((unit, entry))
    return pairs


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _merge_comments(entry: polib.POEntry, unit: Unit) -> None:
    """Add the unit's translator comment lines the entry lacks (provenance stays in the sidecar)."""
    lines = (entry.tcomment or "").splitlines()
    added = [line for line in unit.comments if line not in lines]
    if added:
        entry.tcomment = "\n".join(lines + added)


def _set_state(entry: polib.POEntry, state: UnitState, previous: str | None) -> None:
    fuzzy = state is not UnitState.REVIEWED
    if fuzzy and "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    if not fuzzy:
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
    elif previous is not None:
        entry.previous_msgid = previous


def _decide(entry: polib.POEntry, unit: Unit, records: Records | None) -> str:
    """``take``, ``same`` or the reason for a conflict."""
    if entry.msgstr == unit.target:
        return "same"
    if not entry.msgstr:
        return "take"
    unchanged = unit.exported_digest is not None and unit.exported_digest == text_digest(entry.msgstr)
    if "fuzzy" not in entry.flags:
        if unit.state is UnitState.REVIEWED and unchanged:
            return "take"
        if unit.state is not UnitState.REVIEWED:
            return "the catalog has a reviewed translation and the file's is not reviewed"
        return "the catalog's reviewed translation changed since the file was made"
    if unchanged or read_notes(entry, records).machine_untouched:
        return "take"
    return "a person edited the catalog's translation since the file was made"


def apply_units(
    catalog: polib.POFile, pairs: Sequence[tuple[Unit, polib.POEntry]], name: str, records: Records | None = None
) -> tuple[polib.POFile, CatalogImport, list[Record]]:
    """A copy of ``catalog`` with the units' translations, states and comments applied.

    ``pairs`` come from :func:`match_units` on this same catalog (entries are
    looked up again in the copy by msgctxt and msgid); ``records`` are its
    provenance sidecar. Also returns the records whose machine text the file
    approved unchanged: a deliberate review, not a flag lost in a round trip.
    """
    result = copy.deepcopy(catalog)
    index = {(e.msgctxt, e.msgid): e for e in result if not e.obsolete}
    translated = reviewed = unchanged = 0
    conflicts: list[Conflict] = []
    approved: list[Record] = []
    for unit, original in pairs:
        entry = index[(original.msgctxt, original.msgid)]
        if not unit.target:
            unchanged += 1
            continue
        decision = _decide(entry, unit, records)
        was_reviewed = is_translated(entry) and "fuzzy" not in entry.flags
        if decision == "take":
            entry.msgstr = unit.target
            _set_state(entry, unit.state, unit.previous_source)
            _merge_comments(entry, unit)
            translated += 1
        elif decision == "same":
            if unit.state is UnitState.REVIEWED and "fuzzy" in entry.flags:
                _set_state(entry, UnitState.REVIEWED, None)
            _merge_comments(entry, unit)
            unchanged += not (unit.state is UnitState.REVIEWED and not was_reviewed)
        else:
            conflicts.append(Conflict(unit.line, unit.source, decision))
            continue
        if unit.state is UnitState.REVIEWED and not was_reviewed:
            reviewed += 1
            record = records.for_entry(entry) if records is not None else None
            if record is not None and record.state is not State.ACCEPTED:
                approved.append(replace(record, state=State.ACCEPTED))
    return result, CatalogImport(name, translated, reviewed, unchanged, tuple(conflicts)), approved

