"""Pre-translate catalog entries: which entries to fill, and filling them safely.

Machine output goes in as ``#, fuzzy``; where it came from (model, revision,
decoding settings, the digest of the text as written, issues, failed checks,
markup to put back, similar reviewed translations) is a record in the
catalog's provenance sidecar (:mod:`translate.catalog.provenance`), which no PO
tool rewrites, and translators see it as extracted comments
(:mod:`translate.catalog.annotate`)::

    #. paragraph
    #. mt: nllb-200-distilled-600m@f8d333a098d1
    #. mt issues: markup-not-placed
    #. mt checks failed: markup
    #. mt restore: link: [the report](https://example.org/report)
    #. tm 82%: The report was published on Monday. → …

An entry whose msgstr no longer has the recorded digest was edited by a person
and is never replaced. Reviewed (non-fuzzy) entries are never touched.
Reviewed human translations of the same sentence found in other catalogs are
reused first, as a gettext compendium would be, and recorded as such.

Machine output in Khmer is post-processed (:func:`translate.khmer.postprocess`:
character order, spacing, full stop) before it is written, and the quality
checks (:mod:`translate.checks`) run on it: the names of those that fail are
recorded with it. Markup of the English that the machine translation lacks (a
link or emphasis whose place in the translation is not certain, a URL the model
lost) is listed exactly as written in the English, for the translator to put
back.

Catalogs written by older versions carry the same facts in translator
comments (``# mt:…``); they are read here until the next update moves them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polib

from translate.catalog.annotate import legacy_record
from translate.catalog.provenance import Match, Origin, Provenance, Record, Records, State, entry_provenance, text_digest
from translate.catalog.stats import is_translated
from translate.mt.protect import unplaced_markup
from translate.mt.types import Issue

if TYPE_CHECKING:
    from translate.khmer import KhmerOptions


@dataclass(frozen=True)
class Suggestion:
    """A translation to write into an entry.

    Attributes:
        text: the translation.
        origin: machine output, or a reviewed translation from another catalog.
        provenance: for machine output, its provenance (digest filled in when written).
        issues: problems detected in machine output.
        source_catalog: for reviewed translations, the catalog it comes from.
    """

    text: str
    origin: Origin
    provenance: Provenance | None = None
    issues: tuple[Issue, ...] = ()
    source_catalog: str = ""


def record_of(entry: polib.POEntry, records: Records | None = None) -> Record | None:
    """The record of the suggestion an entry still holds untouched: from the sidecar, else from legacy comments."""
    record = records.for_entry(entry) if records is not None else None
    if record is None:
        legacy, _ = legacy_record(entry)
        if legacy is not None and legacy.digest == text_digest(entry.msgstr or ""):
            record = legacy
    return record


def provenance_of(entry: polib.POEntry, records: Records | None = None) -> Provenance | None:
    """The provenance of the machine text an entry still holds untouched, if any.

    ``records`` are the catalog's (:func:`translate.catalog.provenance.read_records`);
    catalogs of older versions are read from their translator comments.
    """
    if records is not None and (found := entry_provenance(entry, records)) is not None:
        return found
    record = record_of(entry)
    return record.provenance if record is not None and record.origin is Origin.MACHINE else None


def recorded_checks(entry: polib.POEntry, records: Records | None = None) -> list[str]:
    """The names of the checks the entry's machine text failed when it was written."""
    record = record_of(entry, records)
    return list(record.checks) if record is not None else []


def machine_text_untouched(entry: polib.POEntry, records: Records | None = None) -> bool:
    """Whether the entry's msgstr is still exactly what a machine wrote."""
    return provenance_of(entry, records) is not None


def needs_translation(entry: polib.POEntry, *, retranslate_machine: bool = False, records: Records | None = None) -> bool:
    """Whether ``mt`` should fill this entry.

    Untranslated entries are filled; with ``retranslate_machine``, so are fuzzy
    entries whose text is still the machine's own. Everything else (reviewed
    entries, text a person wrote or edited) is left alone.
    """
    if entry.obsolete or entry.msgid_plural:
        return False
    if not is_translated(entry):
        return True
    return retranslate_machine and "fuzzy" in entry.flags and machine_text_untouched(entry, records)


def pending(catalog: polib.POFile, *, retranslate_machine: bool = False, records: Records | None = None) -> list[str]:
    """The distinct msgids of a catalog that need a translation, in catalog order."""
    seen: dict[str, None] = {}
    for entry in catalog:
        if needs_translation(entry, retranslate_machine=retranslate_machine, records=records):
            seen.setdefault(entry.msgid, None)
    return list(seen)


def _machine_text(source: str, text: str, lang: str, khmer: KhmerOptions | None) -> tuple[str, list[str]]:
    """Machine output as written (Khmer post-processed) and the names of the checks it fails."""
    from translate.checks import all_failures
    from translate.checks.standard import base_language
    from translate.khmer import postprocess

    if not lang:
        return text, []
    if base_language(lang) == "km":
        text = postprocess(text, khmer)
    return text, list(dict.fromkeys(failure.check for failure in all_failures(source, text, lang)))


def _apply(
    entry: polib.POEntry,
    suggestion: Suggestion,
    lang: str = "",
    khmer: KhmerOptions | None = None,
    matches: tuple[Match, ...] = (),
) -> Record:
    """Write a suggestion into an entry; returns its record."""
    failed: list[str] = []
    text = suggestion.text
    if suggestion.origin is Origin.MACHINE:
        text, failed = _machine_text(entry.msgid, text, lang, khmer)
    entry.msgstr = text
    entry.previous_msgid = None
    entry.previous_msgctxt = None
    key = (entry.msgctxt, entry.msgid)
    if suggestion.origin is Origin.REVIEWED:
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        return Record(*key, origin=Origin.REVIEWED, digest=text_digest(text), source_catalog=suggestion.source_catalog)
    if "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    assert suggestion.provenance is not None
    digest = text_digest(text)
    return Record(
        *key,
        origin=Origin.MACHINE,
        digest=digest,
        state=State.SUGGESTED,
        provenance=Provenance(suggestion.provenance.model, suggestion.provenance.revision, suggestion.provenance.settings, digest),
        issues=tuple(str(issue) for issue in suggestion.issues),
        checks=tuple(failed),
        restore=tuple(unplaced_markup(entry.msgid, text)),
        matches=tuple(matches),
    )


@dataclass(frozen=True)
class FillReport:
    """What :func:`fill` wrote.

    Attributes:
        records: the provenance of every entry written (for the catalog's sidecar).
    """

    machine: int
    reviewed: int
    flagged: int
    records: tuple[Record, ...] = field(default=(), compare=False)


def fill(
    catalog: polib.POFile,
    suggestions: Mapping[str, Suggestion],
    *,
    retranslate_machine: bool = False,
    lang: str | None = None,
    khmer: KhmerOptions | None = None,
    records: Records | None = None,
    matches: Mapping[str, tuple[Match, ...]] | None = None,
    in_place: bool = False,
) -> tuple[polib.POFile, FillReport]:
    """A copy of ``catalog`` with suggestions written into the entries that need them.

    Pure: applied again to a catalog a translator saved in the meantime, it
    fills only what still needs filling there. The catalog itself gets only
    the text and the ``fuzzy`` flag; the provenance of each entry written is in
    the report's ``records`` (see :func:`translate.catalog.annotate.refresh` for
    the notes translators see).

    Args:
        lang: the catalog's language, for post-processing and checking machine
            output; by default its ``Language`` header (none: neither is done).
        khmer: how Khmer machine output is post-processed (default: :class:`KhmerOptions` defaults).
        records: the catalog's provenance records, to tell untouched machine text.
        matches: reviewed translations of similar sentences, by msgid, recorded with machine output.
        in_place: write into ``catalog`` itself and return it (for a caller that owns it).
    """
    if lang is None:
        lang = catalog.metadata.get("Language", "")
    matches = matches or {}
    result = catalog if in_place else copy.deepcopy(catalog)
    machine = reviewed = flagged = 0
    written: list[Record] = []
    for entry in result:
        suggestion = suggestions.get(entry.msgid)
        if suggestion is None or not needs_translation(entry, retranslate_machine=retranslate_machine, records=records):
            continue
        record, comment = legacy_record(entry)
        if record is not None:
            entry.tcomment = comment  # the old provenance no longer describes the text
        written.append(_apply(entry, suggestion, lang, khmer, matches.get(entry.msgid, ())))
        if suggestion.origin is Origin.REVIEWED:
            reviewed += 1
        else:
            machine += 1
            flagged += bool(suggestion.issues)
    return result, FillReport(machine=machine, reviewed=reviewed, flagged=flagged, records=tuple(written))


def reviewed_translations(catalog: polib.POFile, records: Records | None = None) -> Iterable[tuple[str, str]]:
    """``(msgid, msgstr)`` of the catalog's reviewed entries (translated, not fuzzy).

    Untouched machine text that lost its fuzzy flag with every other one (see
    :class:`translate.catalog.provenance.State`) is not reviewed.
    """
    for entry in catalog:
        if not entry.obsolete and not entry.msgid_plural and is_translated(entry) and "fuzzy" not in entry.flags:
            record = records.for_entry(entry) if records is not None else None
            if record is not None and record.origin is Origin.MACHINE and record.state is State.UNCONFIRMED:
                continue
            yield entry.msgid, entry.msgstr


__all__ = [
    "FillReport",
    "Origin",
    "Provenance",
    "Suggestion",
    "fill",
    "machine_text_untouched",
    "needs_translation",
    "pending",
    "provenance_of",
    "record_of",
    "recorded_checks",
    "reviewed_translations",
    "text_digest",
]
