"""Translation memory in SQLite, so a re-run only translates sentences that changed.

Machine translations are keyed by source sentence, language pair, model id and
revision and decoding-settings signature; reviewed translations (a compendium,
like gettext's) by source and language pair only, several per sentence allowed:
lookups return the most recently updated. Sources are stored normalized (see
:func:`normalize_source`); targets exactly as given. WAL journaling and a busy
timeout let two runs share one file; every write is one short transaction.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from translate.article import normalize_space
from translate.errors import TranslateError
from translate.mt.types import Issue

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 30.0
_CHUNK = 500  # bound parameters per IN query, well under SQLite's limit
_FIX_HINT = "delete it to start a new memory, or point --memory elsewhere"

_SCHEMA = (
    """CREATE TABLE machine (
        source TEXT NOT NULL, src TEXT NOT NULL, tgt TEXT NOT NULL,
        model TEXT NOT NULL, revision TEXT NOT NULL, settings TEXT NOT NULL,
        target TEXT NOT NULL, issues TEXT NOT NULL, created TEXT NOT NULL,
        PRIMARY KEY (source, src, tgt, model, revision, settings)) WITHOUT ROWID""",
    """CREATE TABLE reviewed (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        source TEXT NOT NULL, src TEXT NOT NULL, tgt TEXT NOT NULL,
        target TEXT NOT NULL, origin TEXT NOT NULL, updated TEXT NOT NULL,
        UNIQUE (source, src, tgt, target))""",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)


class MemoryStoreError(TranslateError):
    """The translation memory cannot be opened, read or written."""


@dataclass(frozen=True)
class MachineKey:
    """What a machine translation depends on. ``source`` is normalized on lookup."""

    source: str
    src: str
    tgt: str
    model: str
    revision: str
    settings: str  # DecodingConfig.signature()


@dataclass(frozen=True)
class MachineRecord:
    """A stored machine translation; ``created`` is set by the memory when left out."""

    key: MachineKey
    target: str
    issues: tuple[Issue, ...] = ()
    created: datetime | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ReviewedRecord:
    """A translation a person reviewed; ``origin`` is the catalog it came from.

    ``updated`` defaults to the time of the write; pass the catalog's revision
    date to order translations by when they were reviewed instead.
    """

    source: str
    src: str
    tgt: str
    target: str
    origin: str
    updated: datetime | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Conflict:
    """A sentence with more than one reviewed translation, most recent first."""

    source: str
    src: str
    tgt: str
    translations: tuple[ReviewedRecord, ...]


@dataclass(frozen=True)
class MemoryStats:
    """Record counts; ``conflicts`` counts sentences with several reviewed translations."""

    machine: int
    reviewed: int
    conflicts: int


def default_memory_path(env: Mapping[str, str] = os.environ) -> Path:
    """Where the memory lives unless ``--memory`` says otherwise.

    ``TRANSLATE_MEMORY`` wins, then ``$XDG_CACHE_HOME/translate/memory.sqlite3``
    (ignored unless absolute, as the XDG specification says), then
    ``~/.cache/translate/memory.sqlite3``. A leading ``~`` is ``HOME`` from ``env``.
    """

    def home() -> Path:
        return Path(env["HOME"]) if env.get("HOME") else Path.home()

    if explicit := env.get("TRANSLATE_MEMORY"):
        path = Path(explicit)
        return home().joinpath(*path.parts[1:]) if path.parts[:1] == ("~",) else path
    cache = Path(env.get("XDG_CACHE_HOME", ""))
    if not cache.is_absolute():
        cache = home() / ".cache"
    return cache / "translate" / "memory.sqlite3"


def normalize_source(text: str) -> str:
    """The form a source sentence is stored under: ASCII white space collapsed, NFC."""
    return unicodedata.normalize("NFC", normalize_space(text))


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(when: datetime) -> str:
    """UTC ISO 8601 with microseconds: sorts as text in time order."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_stamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _parse_issues(text: str) -> tuple[Issue, ...]:
    """Issues written as ``a,b``; names a newer version added are skipped."""
    known = {issue.value for issue in Issue}
    return tuple(Issue(name) for name in text.split(",") if name in known)


def _machine_row(record: MachineRecord, now: str) -> tuple[str, ...]:
    key = record.key
    created = _stamp(record.created) if record.created else now
    fields = (key.src, key.tgt, key.model, key.revision, key.settings)
    return (normalize_source(key.source), *fields, record.target, ",".join(record.issues), created)


def _reviewed_row(record: ReviewedRecord, now: str) -> tuple[str, ...]:
    updated = _stamp(record.updated) if record.updated else now
    return (normalize_source(record.source), record.src, record.tgt, record.target, record.origin, updated)


def _store_error(path: str, action: str, error: sqlite3.Error) -> MemoryStoreError:
    """Turn an sqlite3 error into one line that says what to do."""
    name = getattr(error, "sqlite_errorname", "")
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return MemoryStoreError(f"not a readable translation memory ({error})", path=path, hint=_FIX_HINT)
    hint: str | None = _FIX_HINT
    if isinstance(error, sqlite3.ProgrammingError):  # misuse, such as a closed memory
        hint = None
    elif name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return MemoryStoreError(
            f"cannot {action} the translation memory: another program held it for {BUSY_TIMEOUT_S:g} s ({error})",
            path=path,
            hint="try again when the other translate run has finished, close the program that holds it, or point --memory elsewhere",
        )
    elif name.startswith("SQLITE_FULL"):
        hint = "free some space and run again; what was stored before is kept"
    elif name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_IOERR")):
        hint = "check the permissions of the file and its folder, or point --memory elsewhere"
    return MemoryStoreError(f"cannot {action} the translation memory: {error}", path=path, hint=hint)


class TranslationMemory:
    """A translation memory in one SQLite file; use as a context manager.

    Args:
        path: the database file (its folder is created), or ``":memory:"``.
        readonly: open without writing anything; the file must exist.
        clock: the time written on new records (tests freeze it).

    Raises:
        MemoryStoreError: the file cannot be created or opened, is not a
            translation memory, or was written by a newer version.
    """

    def __init__(self, path: Path | str, *, readonly: bool = False, clock: Callable[[], datetime] = _now) -> None:
        self.path = str(path)
        self.readonly = readonly
        self._clock = clock
        self._conn = self._connect()
        try:
            with self._guard("open"):
                self._prepare()
        except BaseException:
            self._conn.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        path = Path(self.path)
        readonly_file = self.readonly and self.path != ":memory:"
        if readonly_file and not path.is_file():
            raise MemoryStoreError(
                "no translation memory here", path=self.path, hint="run translate mt first, or point --memory elsewhere"
            )
        if not self.readonly and self.path != ":memory:":
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise MemoryStoreError(
                    f"cannot create the folder of the translation memory: {error.strerror or error}",
                    path=self.path,
                    hint="point --memory at a writable place",
                ) from error
        target = f"{path.resolve().as_uri()}?mode=ro" if readonly_file else self.path
        with self._guard("open"):
            return sqlite3.connect(target, timeout=BUSY_TIMEOUT_S, isolation_level=None, uri=readonly_file)

    def _prepare(self) -> None:
        """Set the journal and create the schema, or check the one found."""
        if not self.readonly:
            self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = NORMAL")
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 and not self.readonly:
            with self._transaction():  # two runs may create it at once: decide under the write lock
                version = self._conn.execute("PRAGMA user_version").fetchone()[0]
                tables = self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if version == 0 and tables == 0:
                    for statement in _SCHEMA:
                        self._conn.execute(statement)
                    log.info("created translation memory %s", self.path)
                    version = SCHEMA_VERSION
        if version > SCHEMA_VERSION:
            raise MemoryStoreError(
                f"written by a newer version of translate (memory schema {version}, this version reads {SCHEMA_VERSION})",
                path=self.path,
                hint="upgrade translate, or point --memory elsewhere",
            )
        if version != SCHEMA_VERSION:
            raise MemoryStoreError("an SQLite database, but not a translation memory", path=self.path, hint=_FIX_HINT)
        if not self.readonly and self.path != ":memory:":
            with self._transaction():  # a memory another program holds is found now, before any model work
                pass

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise _store_error(self.path, action, error) from error

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking the write lock at its start (no upgrade deadlocks)."""
        if self.readonly:
            raise MemoryStoreError("the translation memory was opened read-only", path=self.path)
        with self._guard("write to"):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        """Close the database; further use raises :class:`MemoryStoreError`."""
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _rows_for(self, sql: str, params: tuple[str, ...], sources: list[str]) -> Iterator[tuple[str, ...]]:
        """Rows of ``sql`` with its ``IN (*)`` filled with ``sources``, a chunk at a time."""
        for start in range(0, len(sources), _CHUNK):
            chunk = sources[start : start + _CHUNK]
            with self._guard("read"):
                yield from self._conn.execute(sql.replace("(*)", f"({','.join('?' * len(chunk))})"), (*params, *chunk))

    # Machine translations

    def get_machine(self, key: MachineKey) -> MachineRecord | None:
        """The stored translation for ``key``, or ``None``."""
        return self.get_machine_many([key]).get(key)

    def get_machine_many(self, keys: Sequence[MachineKey]) -> dict[MachineKey, MachineRecord]:
        """The stored translations of those ``keys`` that have one, by the key as given."""
        groups: dict[tuple[str, ...], dict[str, list[MachineKey]]] = {}
        for key in keys:
            group = groups.setdefault((key.src, key.tgt, key.model, key.revision, key.settings), {})
            group.setdefault(normalize_source(key.source), []).append(key)
        found: dict[MachineKey, MachineRecord] = {}
        for rest, by_source in groups.items():
            rows = self._rows_for(
                "SELECT source, target, issues, created FROM machine WHERE src = ? AND tgt = ?"
                " AND model = ? AND revision = ? AND settings = ? AND source IN (*)",
                rest,
                list(by_source),
            )
            for source, target, issues, created in rows:
                for key in by_source[source]:
                    found[key] = MachineRecord(key, target, _parse_issues(issues), _parse_stamp(created))
        return found

    def put_machine(self, records: Iterable[MachineRecord]) -> None:
        """Store machine translations in one transaction, replacing those with the same key."""
        now = _stamp(self._clock())
        with self._transaction() as conn:
            conn.executemany(
                "INSERT INTO machine VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (source, src, tgt, model, revision, settings) DO UPDATE"
                " SET target = excluded.target, issues = excluded.issues, created = excluded.created",
                (_machine_row(record, now) for record in records),
            )

    # Reviewed translations

    def get_reviewed(self, source: str, src: str, tgt: str) -> ReviewedRecord | None:
        """The most recently updated reviewed translation of ``source``, or ``None``."""
        return self.get_reviewed_many([source], src, tgt).get(source)

    def get_reviewed_many(self, sources: Sequence[str], src: str, tgt: str) -> dict[str, ReviewedRecord]:
        """The latest reviewed translation of each of ``sources`` that has one, by source as given."""
        by_source: dict[str, list[str]] = {}
        for source in sources:
            by_source.setdefault(normalize_source(source), []).append(source)
        found: dict[str, ReviewedRecord] = {}
        rows = self._rows_for(
            "SELECT source, target, origin, updated FROM reviewed WHERE src = ? AND tgt = ?"
            " AND source IN (*) ORDER BY updated, id",
            (src, tgt),
            list(by_source),
        )
        for stored, target, origin, updated in rows:  # oldest first: the latest wins
            for source in by_source[stored]:
                found[source] = ReviewedRecord(source, src, tgt, target, origin, _parse_stamp(updated))
        return found

    def put_reviewed(self, records: Iterable[ReviewedRecord]) -> None:
        """Store reviewed translations in one transaction.

        A record with the same source, languages and target as a stored one
        replaces it (new origin and time); a different target is kept beside it.
        """
        now = _stamp(self._clock())
        with self._transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO reviewed (source, src, tgt, target, origin, updated) VALUES (?, ?, ?, ?, ?, ?)",
                (_reviewed_row(record, now) for record in records),
            )

    def reviewed_records(self, src: str | None = None, tgt: str | None = None) -> Iterator[ReviewedRecord]:
        """Every reviewed translation, optionally of one language pair, by pair, source and time."""
        with self._guard("read"):
            rows = self._conn.execute(
                "SELECT source, src, tgt, target, origin, updated FROM reviewed"
                " WHERE (?1 IS NULL OR src = ?1) AND (?2 IS NULL OR tgt = ?2) ORDER BY src, tgt, source, updated, id",
                (src, tgt),
            ).fetchall()
        for source, s, t, target, origin, updated in rows:
            yield ReviewedRecord(source, s, t, target, origin, _parse_stamp(updated))

    def machine_records(self, src: str | None = None, tgt: str | None = None) -> Iterator[MachineRecord]:
        """Every machine translation, optionally of one language pair, by pair, source and key."""
        with self._guard("read"):
            rows = self._conn.execute(
                "SELECT source, src, tgt, model, revision, settings, target, issues, created FROM machine"
                " WHERE (?1 IS NULL OR src = ?1) AND (?2 IS NULL OR tgt = ?2) ORDER BY src, tgt, source, model, revision, settings",
                (src, tgt),
            ).fetchall()
        for source, s, t, model, revision, settings, target, issues, created in rows:
            yield MachineRecord(MachineKey(source, s, t, model, revision, settings), target, _parse_issues(issues), _parse_stamp(created))
    def reviewed_pairs(self, src: str, tgt: str) -> Iterator[tuple[str, str]]:
        """Every stored ``(source, target)`` reviewed pair of a language pair, oldest first (the latest wins in a dict)."""
        with self._guard("read"):
            rows = self._conn.execute(
                "SELECT source, target FROM reviewed WHERE src = ? AND tgt = ? ORDER BY updated, id", (src, tgt)
            ).fetchall()
        yield from rows

    def conflicts(self, src: str | None = None, tgt: str | None = None) -> list[Conflict]:
        """Sentences with more than one distinct reviewed translation, optionally for one pair."""
        grouped: dict[tuple[str, str, str], list[ReviewedRecord]] = {}
        with self._guard("read"):
            rows = self._conn.execute(
                "SELECT r.source, r.src, r.tgt, r.target, r.origin, r.updated FROM reviewed AS r"
                " JOIN (SELECT source, src, tgt FROM reviewed WHERE (?1 IS NULL OR src = ?1)"
                " AND (?2 IS NULL OR tgt = ?2) GROUP BY source, src, tgt HAVING count(*) > 1) AS c"
                " USING (source, src, tgt) ORDER BY r.src, r.tgt, r.source, r.updated DESC, r.id DESC",
                (src, tgt),
            )
            for source, s, t, target, origin, updated in rows:
                grouped.setdefault((source, s, t), []).append(
                    ReviewedRecord(source, s, t, target, origin, _parse_stamp(updated))
                )
        return [Conflict(*key, tuple(records)) for key, records in grouped.items()]

    def stats(self) -> MemoryStats:
        """How many records the memory holds."""
        with self._guard("read"):
            machine = self._conn.execute("SELECT count(*) FROM machine").fetchone()[0]
            reviewed = self._conn.execute("SELECT count(*) FROM reviewed").fetchone()[0]
            conflicts = self._conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM reviewed GROUP BY source, src, tgt HAVING count(*) > 1)"
            ).fetchone()[0]
        return MemoryStats(machine, reviewed, conflicts)
