"""Where the suggestions in a catalog came from, recorded beside the catalog.

``locales/<lang>/LC_MESSAGES/<slug>.po`` has a sidecar
``<slug>.mt.jsonl``: one JSON record per entry that ``translate`` filled,
keyed by ``msgctxt`` and ``msgid``, with the digest of the text it wrote. It
holds the machine translation's model, revision and decoding settings, the
issues and failed checks found in it, the markup to put back, the closest
reviewed translations in the memory, and its review state. No PO tool reads or
rewrites the sidecar, so provenance survives ``msgmerge``, ``pybabel update``,
``msgcat``, Poedit, Weblate, Translate Toolkit and a CSV round trip alike; what
translators see of it in the catalog (extracted comments) is re-derived from
it on every update (:mod:`translate.catalog.annotate`).

The digest is that of the text as written: an entry whose ``msgstr`` still
has it holds that suggestion untouched; any other text was written or edited
by a person. Records are found by key, by the previous ``msgid`` (``#|``) of an
entry whose English changed, and by digest, so a tool that loses the previous
``msgid`` does not make machine text look like a person's.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

import polib

from translate.catalog.atomic import write_atomic
from translate.errors import CatalogError

log = logging.getLogger(__name__)

#: File name suffix of the sidecar that replaces ``.po``.
SIDECAR_SUFFIX = ".mt.jsonl"
FORMAT = "translate-provenance"
VERSION = 1

Key = tuple[str | None, str]


def text_digest(text: str) -> str:
    """A short digest of a translation, to tell later whether someone edited it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Provenance:
    """Where a machine translation came from.

    Attributes:
        model: model name.
        revision: model revision (commit).
        settings: backend and decoding-settings signature.
        digest: :func:`text_digest` of the machine text as written.
    """

    model: str
    revision: str
    settings: str
    digest: str

    @property
    def signature(self) -> str:
        """``model@revision`` (revision shortened to 12 characters), as catalogs show it."""
        return f"{self.model}@{self.revision[:12]}"


class Origin(StrEnum):
    """Where a suggestion comes from."""

    MACHINE = "machine"
    REVIEWED = "reviewed"


class State(StrEnum):
    """What became of an untouched machine suggestion.

    ``suggested``: fuzzy, waiting for review. ``accepted``: a person removed
    the fuzzy flag without changing a character. ``unconfirmed``: the flag
    was lost together with every other one of the catalog (a CSV round trip,
    a tool that drops flags), so it is not counted as reviewed.
    """

    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    UNCONFIRMED = "unconfirmed"


@dataclass(frozen=True)
class Match:
    """A reviewed translation of a similar English sentence (similarity in percent)."""

    score: int
    source: str
    target: str


@dataclass(frozen=True)
class Record:
    """What ``translate`` wrote into one entry.

    Attributes:
        msgctxt, msgid: the entry.
        origin: machine output, or a reviewed translation reused from another catalog.
        digest: :func:`text_digest` of the text written.
        state: for machine output, its review state.
        provenance: for machine output, model, revision and settings.
        issues: problems the engine detected.
        checks: names of the quality checks the text failed when written.
        restore: markup of the English missing in the text, as written in the English.
        matches: reviewed translations of similar sentences, best first.
        source_catalog: for reused translations, the catalog they come from.
    """

    msgctxt: str | None
    msgid: str
    origin: Origin
    digest: str
    state: State = State.SUGGESTED
    provenance: Provenance | None = None
    issues: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    restore: tuple[str, ...] = ()
    matches: tuple[Match, ...] = ()
    source_catalog: str = field(default="")

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid)

    def to_json(self) -> str:
        data: dict[str, object] = {"msgid": self.msgid}
        if self.msgctxt is not None:
            data["msgctxt"] = self.msgctxt
        data["origin"] = str(self.origin)
        data["digest"] = self.digest
        if self.origin is Origin.MACHINE:
            data["state"] = str(self.state)
        if self.provenance is not None:
            data.update(model=self.provenance.model, revision=self.provenance.revision, settings=self.provenance.settings)
        for name in ("issues", "checks", "restore"):
            if getattr(self, name):
                data[name] = list(getattr(self, name))
        if self.matches:
            data["matches"] = [[m.score, m.source, m.target] for m in self.matches]
        if self.source_catalog:
            data["catalog"] = self.source_catalog
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Record:
        """Parse one line; raises ``ValueError`` (or ``KeyError``/``TypeError``) when it is not a record."""
        data = json.loads(text)
        origin = Origin(data["origin"])
        digest = str(data["digest"])
        provenance = None
        if "model" in data:
            provenance = Provenance(str(data["model"]), str(data["revision"]), str(data.get("settings", "")), digest)
        matches = tuple(Match(int(score), str(source), str(target)) for score, source, target in data.get("matches", ()))
        msgctxt = data.get("msgctxt")
        return cls(
            msgctxt=None if msgctxt is None else str(msgctxt),
            msgid=str(data["msgid"]),
            origin=origin,
            digest=digest,
            state=State(data.get("state", State.SUGGESTED)),
            provenance=provenance,
            issues=tuple(str(x) for x in data.get("issues", ())),
            checks=tuple(str(x) for x in data.get("checks", ())),
            restore=tuple(str(x) for x in data.get("restore", ())),
            matches=matches,
            source_catalog=str(data.get("catalog", "")),
        )


def _text(entry: polib.POEntry) -> str:
    return entry.msgstr if not entry.msgid_plural else ""


class Records:
    """The records of one catalog (immutable; the ``with_*`` methods return new ones)."""

    def __init__(self, records: Iterable[Record] = ()) -> None:
        self._by_key: dict[Key, Record] = {}
        for record in records:
            self._by_key[record.key] = record
        self._by_digest: dict[str, Record] = {}
        for record in self._by_key.values():
            self._by_digest.setdefault(record.digest, record)

    def __iter__(self) -> Iterator[Record]:
        return iter(sorted(self._by_key.values(), key=lambda r: (r.msgctxt or "", r.msgctxt is not None, r.msgid)))

    def __len__(self) -> int:
        return len(self._by_key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Records) and self._by_key == other._by_key

    def get(self, key: Key) -> Record | None:
        return self._by_key.get(key)

    def for_entry(self, entry: polib.POEntry) -> Record | None:
        """The record of the suggestion the entry still holds untouched, if any.

        Looked up by the entry's key, then by its previous ``msgid`` (the English
        changed), then by the digest of its text (a tool lost the previous ``msgid``).
        """
        text = _text(entry)
        if not text:
            return None
        digest = text_digest(text)
        keys = [(entry.msgctxt, entry.msgid)]
        if entry.previous_msgid:
            keys.append((entry.previous_msgctxt if entry.previous_msgctxt is not None else entry.msgctxt, entry.previous_msgid))
        for key in keys:
            record = self._by_key.get(key)
            if record is not None and record.digest == digest:
                return record
        return self._by_digest.get(digest)

    def history(self, entry: polib.POEntry) -> Record | None:
        """The last record of the entry's key, whether or not its text was edited since."""
        return self._by_key.get((entry.msgctxt, entry.msgid))

    def with_records(self, records: Iterable[Record]) -> Records:
        """These records, with ``records`` replacing those of the same key."""
        return Records([*self._by_key.values(), *records])

    def kept_for(self, catalog: polib.POFile) -> Records:
        """Only the records that still describe an entry of ``catalog`` (active or obsolete)."""
        keys = {(e.msgctxt, e.msgid) for e in catalog}
        digests = {text_digest(_text(e)) for e in catalog if _text(e)}
        return Records(r for r in self._by_key.values() if r.key in keys or r.digest in digests)


def entry_provenance(entry: polib.POEntry, records: Records) -> Provenance | None:
    """The provenance of the machine text an entry still holds untouched, if any.

    For tools that carry provenance into other formats (XLIFF, TMX): read the
    catalog's records with :func:`read_records`.
    """
    record = records.for_entry(entry)
    if record is None or record.origin is not Origin.MACHINE or record.provenance is None:
        return None
    return record.provenance


def sidecar_path(po_path: Path) -> Path:
    """The provenance file of a catalog: ``<slug>.mt.jsonl`` beside ``<slug>.po``."""
    return po_path.with_name(po_path.stem + SIDECAR_SUFFIX)


def _header() -> str:
    return json.dumps({"format": FORMAT, "version": VERSION}, sort_keys=True)


def render_records(records: Records) -> bytes:
    """The bytes of a sidecar: a header line, then one record a line, sorted by context and msgid."""
    return ("\n".join([_header(), *(r.to_json() for r in records)]) + "\n").encode("utf-8")


def parse_records(data: bytes, path: Path) -> Records:
    """Parse a sidecar's bytes.

    Raises:
        CatalogError: not a provenance file, a newer version, or a line that is not a record (with its number).
    """
    hint = f"restore it from version control, or delete it (the suggestions it describes then count as a person's text)"
    try:
        lines = data.decode("utf-8").splitlines()
    except UnicodeDecodeError as error:
        raise CatalogError("is not UTF-8", path=path, line=data.count(b"\n", 0, error.start) + 1, hint=hint) from error
    if not lines:
        return Records()
    try:
        header = json.loads(lines[0])
        version = int(header["version"]) if header.get("format") == FORMAT else None
    except (ValueError, KeyError, TypeError, AttributeError):
        version = None
    if version is None:
        raise CatalogError("is not a provenance file of translate", path=path, line=1, hint=hint)
    if version > VERSION:
        raise CatalogError(f"was written by a newer version of translate (provenance version {version})", path=path, line=1, hint="upgrade translate")
    records = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        try:
            records.append(Record.from_json(line))
        except (ValueError, KeyError, TypeError) as error:
            raise CatalogError(f"line is not a provenance record ({error})", path=path, line=number, hint=hint) from error
    return Records(records)


def read_records(po_path: Path) -> Records:
    """The records of the catalog at ``po_path`` (none when it has no sidecar).

    Raises:
        CatalogError: the sidecar cannot be read or parsed.
    """
    path = sidecar_path(po_path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Records()
    except OSError as error:
        raise CatalogError(f"cannot be read: {error.strerror}", path=path) from error
    return parse_records(data, path)


def save_records(po_path: Path, records: Records) -> bool:
    """Write the sidecar of ``po_path`` atomically when its content changes; whether it was written.

    No records and no sidecar: nothing is written.

    Raises:
        WriteError: the folder cannot be written.
    """
    path = sidecar_path(po_path)
    data = render_records(records)
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        if not len(records):
            return False
    except OSError:
        pass
    write_atomic(path, data)
    log.debug("wrote %s (%d records)", path, len(records))
    return True


def with_state(record: Record, state: State) -> Record:
    return replace(record, state=state)


__all__ = [
    "Key",
    "Match",
    "Origin",
    "Provenance",
    "Record",
    "Records",
    "State",
    "entry_provenance",
    "parse_records",
    "read_records",
    "render_records",
    "save_records",
    "sidecar_path",
    "text_digest",
]
