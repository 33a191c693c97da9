"""Machine-translation provenance of a catalog entry, for the exchange formats.

Provenance lives in the catalog's sidecar (:mod:`translate.catalog.provenance`);
catalogs of older versions still carry it in translator comments until their
next update. This module is the one place the exchange formats read it: as
``kind: value`` lines (``mt``, ``mt_settings``, ``mt_sha256``, ``mt_issues``,
``mt_check``, ``mt_restore``, ``tm_reviewed``), which XLIFF 2.0 writes as
``<mda:meta>`` and XLIFF 1.2 appends to the translator note.

Provenance read back from an exchange file is informational only: the sidecar
stays the record, and an imported text that differs from the machine's digest
is a person's text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polib

from translate.catalog.annotate import legacy_record
from translate.catalog.provenance import Origin, Record, Records
from translate.mt.pretranslate import machine_text_untouched, record_of

#: The kinds of provenance line, in the order they are written.
KINDS = ("mt", "mt_settings", "mt_sha256", "mt_issues", "mt_check", "mt_restore", "tm_reviewed")


@dataclass(frozen=True)
class ProvenanceLine:
    """One provenance fact as an exchange file carries it.

    Attributes:
        kind: one of :data:`KINDS`.
        value: the fact, one line.
    """

    kind: str
    value: str

    def text(self) -> str:
        """The line as written in a translator note."""
        return f"{self.kind}:{self.value}"


@dataclass(frozen=True)
class EntryNotes:
    """An entry's translator comment and provenance.

    Attributes:
        comments: lines a person wrote.
        provenance: the provenance of the text the entry still holds untouched.
        machine_untouched: the msgstr is still exactly the machine's output.
    """

    comments: tuple[str, ...]
    provenance: tuple[ProvenanceLine, ...]
    machine_untouched: bool


def record_lines(record: Record) -> tuple[ProvenanceLine, ...]:
    """A sidecar record as provenance lines."""
    if record.origin is Origin.REVIEWED:
        return (ProvenanceLine("tm_reviewed", record.source_catalog or "memory"),)
    lines: list[ProvenanceLine] = []
    if record.provenance is not None:
        lines += [
            ProvenanceLine("mt", f"{record.provenance.model}@{record.provenance.revision}"),
            ProvenanceLine("mt_settings", record.provenance.settings),
        ]
    lines.append(ProvenanceLine("mt_sha256", record.digest))
    if record.issues:
        lines.append(ProvenanceLine("mt_issues", ",".join(record.issues)))
    if record.checks:
        lines.append(ProvenanceLine("mt_check", ",".join(record.checks)))
    lines += [ProvenanceLine("mt_restore", " " + item) for item in record.restore]
    return tuple(line for line in lines if "\n" not in line.value)


def read_notes(entry: polib.POEntry, records: Records | None = None) -> EntryNotes:
    """The person's comments and the provenance of ``entry`` (``records``: its catalog's sidecar)."""
    _, comment = legacy_record(entry)
    record = record_of(entry, records)
    provenance = record_lines(record) if record is not None else ()
    comments = tuple(comment.splitlines()) if comment else ()
    return EntryNotes(comments, provenance, machine_text_untouched(entry, records))


def split_notes(comment: str) -> tuple[tuple[str, ...], tuple[ProvenanceLine, ...]]:
    """A translator note as read from a file (XLIFF 1.2 carries it whole): person lines, provenance lines."""
    person: list[str] = []
    provenance: list[ProvenanceLine] = []
    for line in (comment or "").splitlines():
        stripped = line.strip()
        kind = next((k for k in KINDS if stripped.startswith(k + ":") and (k == "mt_restore" or " " not in stripped)), None)
        if kind is None:
            person.append(line)
        else:
            provenance.append(ProvenanceLine(kind, stripped[len(kind) + 1 :]))
    return tuple(person), tuple(provenance)


def comment_text(comments: Iterable[str], provenance: Iterable[ProvenanceLine]) -> str:
    """The translator note holding a person's ``comments`` and then ``provenance`` (the inverse of :func:`split_notes`).

    Raises:
        ValueError: a provenance line of an unknown kind or holding a line break.
    """
    lines = list(comments)
    for item in provenance:
        if item.kind not in KINDS or "\n" in item.value:
            raise ValueError(f"not a provenance line: {item!r}")
        lines.append(item.text())
    return "\n".join(lines)
