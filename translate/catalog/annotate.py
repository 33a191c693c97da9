"""Keep a catalog and its provenance records in step, on every update.

:func:`refresh` is applied to a catalog each time ``translate`` writes it
(``extract``, ``mt``, ``sync``):

* **Migration.** Provenance that older versions wrote into translator
  comments (``# mt:…``, ``# mt_settings:…``, ``# mt_sha256:…``,
  ``# mt_issues:…``, ``# mt_check:…``, ``# mt_restore:…``,
  ``# tm_reviewed:…``) becomes records, and those lines leave the translator's
  comment; the translator's own lines stay. A ``mt_restore`` line that
  ``pybabel update`` wrapped is joined again. The digest keeps the history:
  text edited since is still told apart from untouched machine text.
* **Review states.** An untouched machine suggestion that lost its ``fuzzy``
  flag was accepted by a person, unless the catalog lost *every* fuzzy flag at
  once with at least two such suggestions among them: that is what a
  ``po2csv``/``csv2po`` round trip (or a tool that drops flags) does, so those
  are *unconfirmed*: reported, and not counted as reviewed, until a person
  edits them, or ``translate mt --restore-fuzzy`` / ``--accept-unedited``
  settles them. A translator's flags are never changed without being asked.
* **Notes.** What translators should see goes in extracted comments
  (``#.``), shown by Poedit as notes for translators, by Weblate as the
  string's description and by Lokalize with the unit's metadata, away from
  the translator's own comment box. Notes are re-derived from the records,
  so tools that drop or replace extracted comments (``msgmerge``,
  ``pybabel update``) lose nothing.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from enum import StrEnum

import polib

from translate.catalog.provenance import Match, Origin, Provenance, Record, Records, State, text_digest

#: Prefixes of the extracted-comment lines that ``translate`` writes and re-derives.
NOTE_PREFIXES = ("mt:", "mt ", "tm:", "tm ")

_LEGACY = {
    "model": "mt:",
    "settings": "mt_settings:",
    "digest": "mt_sha256:",
    "issues": "mt_issues:",
    "checks": "mt_check:",
    "restore": "mt_restore:",
    "reviewed": "tm_reviewed:",
}
_LEGACY_PREFIXES = tuple(_LEGACY.values())
#: Lines a wrapped ``mt_restore`` comment may have been split into.
_MAX_WRAPPED = 6


class Unconfirmed(StrEnum):
    """What to do with unconfirmed suggestions (machine text that lost its fuzzy flag with all others)."""

    KEEP = "keep"  # report them; the catalog is left as it is
    RESTORE = "restore"  # mark them fuzzy again
    ACCEPT = "accept"  # record that a person accepted them


@dataclass(frozen=True)
class Refreshed:
    """What :func:`refresh` found and did.

    Attributes:
        catalog: the catalog with legacy comments moved and notes re-derived.
        records: the records, migrated, with review states, pruned to the catalog.
        migrated: entries whose provenance moved out of translator comments.
        unconfirmed: msgids of untouched machine suggestions that lost their fuzzy
            flag with every other (left as they are, see :class:`Unconfirmed`).
        restored: entries marked fuzzy again (``Unconfirmed.RESTORE``).
        accepted: untouched machine suggestions a person accepted in this update.
    """

    catalog: polib.POFile
    records: Records
    migrated: int = 0
    unconfirmed: tuple[str, ...] = ()
    restored: int = 0
    accepted: int = 0


def _legacy_lines(tcomment: str, msgid: str) -> tuple[dict[str, list[str]], list[str]]:
    """Legacy provenance lines of a translator comment by kind, and the translator's own lines."""
    found: dict[str, list[str]] = {}
    kept: list[str] = []
    lines = (tcomment or "").split("\n")
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        kind = next((k for k, p in _LEGACY.items() if _is_legacy(line, k, p)), None)
        if kind is None:
            kept.append(lines[index])
            index += 1
            continue
        value = line[len(_LEGACY[kind]) :].strip()
        index += 1
        if kind == "restore":  # pybabel update wraps long comments: join the pieces back
            joined = index
            while not _restore_complete(value, msgid) and joined < len(lines) and joined - index < _MAX_WRAPPED:
                candidate = lines[joined].strip()
                if not candidate or candidate.startswith(_LEGACY_PREFIXES):
                    break
                value = f"{value} {candidate}"
                joined += 1
            if _restore_complete(value, msgid):
                index = joined
        found.setdefault(kind, []).append(value)
    return found, kept


def _is_legacy(line: str, kind: str, prefix: str) -> bool:
    """Whether a comment line is one an older version wrote (one word after the prefix; ``mt_restore: …`` aside)."""
    if not line.startswith(prefix):
        return False
    return kind == "restore" or (len(line) > len(prefix) and " " not in line)


def _restore_complete(value: str, msgid: str) -> bool:
    """Whether a ``mt_restore`` value names a whole piece of markup of the English (``kind: markup``)."""
    from translate.mt.protect import unplaced_markup

    return value in unplaced_markup(msgid, "")


def legacy_record(entry: polib.POEntry) -> tuple[Record | None, str]:
    """The record an older version wrote into the entry's translator comment, and the comment without it."""
    found, kept = _legacy_lines(entry.tcomment or "", entry.msgid)
    if not found:
        return None, entry.tcomment or ""
    comment = "\n".join(kept)
    key = (entry.msgctxt, entry.msgid)
    if "reviewed" in found:
        text = entry.msgstr or ""
        return Record(*key, origin=Origin.REVIEWED, digest=text_digest(text), source_catalog=found["reviewed"][-1]), comment
    model_line = found.get("model", [""])[-1]
    digest = found.get("digest", [""])[-1]
    if "@" not in model_line or not digest or " " in digest:
        return None, comment  # not enough left to tell machine text apart: the lines are dropped, the text stays a person's
    model, revision = model_line.rsplit("@", 1)
    fuzzy = "fuzzy" in entry.flags
    untouched = digest == text_digest(entry.msgstr or "")
    record = Record(
        *key,
        origin=Origin.MACHINE,
        digest=digest,
        state=State.SUGGESTED if fuzzy or not untouched else State.ACCEPTED,
        provenance=Provenance(model, revision, found.get("settings", [""])[-1], digest),
        issues=_names(found.get("issues", [])),
        checks=_names(found.get("checks", [])),
        restore=tuple(found.get("restore", [])),
    )
    return record, comment


def _names(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n.strip() for v in values for n in v.split(",") if n.strip()))


def strip_notes(comment: str) -> str:
    """An extracted comment without the notes ``translate`` derives from records."""
    return "\n".join(line for line in (comment or "").split("\n") if line and not line.startswith(NOTE_PREFIXES))


def _match_note(match: Match) -> str:
    return f"tm {match.score}%: {match.source} → {match.target}"


def notes(record: Record) -> list[str]:
    """The extracted-comment lines that show a record to translators."""
    if record.origin is Origin.REVIEWED:
        return [f"tm: reviewed translation from {record.source_catalog}"] if record.source_catalog else ["tm: reviewed translation"]
    signature = record.provenance.signature if record.provenance else "machine translation"
    first = f"mt: {signature}"
    if record.state is State.UNCONFIRMED:
        first += " (lost its fuzzy flag without an edit, probably in a CSV round trip: not counted as reviewed)"
    lines = [first]
    if record.issues:
        lines.append("mt issues: " + ", ".join(record.issues))
    if record.checks:
        lines.append("mt checks failed: " + ", ".join(record.checks))
    lines.extend(f"mt restore: {item}" for item in record.restore)
    lines.extend(_match_note(m) for m in record.matches)
    return lines


def _shows(entry: polib.POEntry, record: Record | None) -> bool:
    if record is None or entry.obsolete:
        return False
    if record.origin is Origin.REVIEWED:
        return "fuzzy" not in entry.flags
    return "fuzzy" in entry.flags or record.state is State.UNCONFIRMED


def annotate(catalog: polib.POFile, records: Records, *, in_place: bool = False) -> polib.POFile:
    """A copy of ``catalog`` whose extracted comments show the records of the suggestions it holds.

    Args:
        in_place: change ``catalog`` itself and return it (for a caller that owns it).
    """
    result = catalog if in_place else copy.deepcopy(catalog)
    for entry in result:
        if entry.obsolete:
            continue
        record = records.for_entry(entry)
        lines = [strip_notes(entry.comment or "")] if strip_notes(entry.comment or "") else []
        if _shows(entry, record):
            assert record is not None
            lines.extend(notes(record))
        entry.comment = "\n".join(lines)
    return result


def _settle(catalog: polib.POFile, records: Records, action: Unconfirmed) -> tuple[Records, list[polib.POEntry], int, int]:
    """Review states from the entries' flags; returns records, unconfirmed entries, restored and accepted counts."""
    changed: list[Record] = []
    lost: list[tuple[polib.POEntry, Record]] = []
    for entry in catalog:
        if entry.obsolete:
            continue
        record = records.for_entry(entry)
        if record is None or record.origin is not Origin.MACHINE:
            continue
        if "fuzzy" in entry.flags:
            if record.state is not State.SUGGESTED:
                changed.append(replace(record, state=State.SUGGESTED))
        elif record.state is State.SUGGESTED:
            lost.append((entry, record))
        elif record.state is State.UNCONFIRMED:
            lost.append((entry, record))
    fresh = [(e, r) for e, r in lost if r.state is State.SUGGESTED]
    any_fuzzy = any("fuzzy" in e.flags for e in catalog if not e.obsolete)
    bulk = len(fresh) >= 2 and not any_fuzzy
    unconfirmed = [(e, r) for e, r in lost if r.state is State.UNCONFIRMED or bulk]
    accepted = [(e, r) for e, r in fresh if not bulk]
    changed.extend(replace(r, state=State.ACCEPTED) for _, r in accepted)
    restored = 0
    if action is Unconfirmed.ACCEPT:
        changed.extend(replace(r, state=State.ACCEPTED) for _, r in unconfirmed)
        accepted += unconfirmed
        unconfirmed = []
    elif action is Unconfirmed.RESTORE:
        for entry, record in unconfirmed:
            entry.flags.insert(0, "fuzzy")
            changed.append(replace(record, state=State.SUGGESTED))
        restored = len(unconfirmed)
        unconfirmed = []
    else:
        changed.extend(replace(r, state=State.UNCONFIRMED) for _, r in unconfirmed)
    return records.with_records(changed), [e for e, _ in unconfirmed], restored, len(accepted)


def refresh(catalog: polib.POFile, records: Records, *, unconfirmed: Unconfirmed = Unconfirmed.KEEP, in_place: bool = False) -> Refreshed:
    """Migrate legacy comments, settle review states, re-derive notes and prune records (pure unless ``in_place``).

    Args:
        catalog: the catalog as it is about to be written.
        records: its records as read from the sidecar (plus any just written).
        unconfirmed: what to do with machine suggestions that lost their fuzzy
            flag with every other (default: report them, change nothing).
        in_place: work on ``catalog`` itself, which becomes the result's
            catalog (for a caller that owns it: a copy of a whole catalog is
            most of the cost otherwise).
    """
    result = catalog if in_place else copy.deepcopy(catalog)
    migrated: list[Record] = []
    for entry in result:
        record, comment = legacy_record(entry)
        if comment != (entry.tcomment or ""):
            entry.tcomment = comment
            if record is not None and records.get(record.key) is None:
                migrated.append(record)
    records = records.with_records(migrated)
    records, lost, restored, accepted = _settle(result, records, unconfirmed)
    records = records.kept_for(result)
    return Refreshed(
        catalog=annotate(result, records, in_place=True),
        records=records,
        migrated=len(migrated),
        unconfirmed=tuple(e.msgid for e in lost),
        restored=restored,
        accepted=accepted,
    )


def as_reviewed(catalog: polib.POFile, records: Records, *, in_place: bool = False) -> polib.POFile:
    """The catalog as ``translate`` counts it: unconfirmed machine suggestions fuzzy (for publishing and counts; never written).

    Args:
        in_place: change ``catalog`` itself and return it (for a caller that
            owns it and will not write it): no copy of the catalog is made.
    """
    settled = refresh(catalog, records, in_place=in_place)
    keys = unconfirmed_keys(settled.catalog, settled.records)
    if not keys:
        return settled.catalog if in_place else catalog
    result = settled.catalog if in_place else copy.deepcopy(catalog)
    for entry in result:
        if (entry.msgctxt, entry.msgid) in keys and not entry.obsolete:
            entry.flags.insert(0, "fuzzy")
    return result


def unconfirmed_keys(catalog: polib.POFile, records: Records) -> set[tuple[str | None, str]]:
    """Keys of the entries holding an unconfirmed machine suggestion (not to be counted as reviewed)."""
    found = set()
    for entry in catalog:
        record = records.for_entry(entry)
        if record is not None and record.origin is Origin.MACHINE and record.state is State.UNCONFIRMED and "fuzzy" not in entry.flags:
            found.add((entry.msgctxt, entry.msgid))
    return found
