"""What the last sync left behind, so that the next one only redoes what changed.

One SQLite row per article: the digests of its source, its template, each
language's catalog (as it was when the article was published) and each
published file, and the fingerprint of the settings. An article is up to date
when every one of those files still has the recorded digest. A row is only
written once an article is completely done, so a run killed at any point
leaves rows that are true, and the next run redoes the rest.

The entry counts of catalogs, as they were last read or written in good
order, are the *last known state* that tells a catalog cut short by an
editor's save in progress (:mod:`translate.catalog.guard`); the catalogs a
run left alone for that reason are remembered with the exact state they were
in, so that the next run can tell a save still in progress from a catalog
that is meant to be so.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from translate.catalog.guard import KnownCatalogs
from translate.catalog.stats import CatalogStats
from translate.errors import TranslateError

if TYPE_CHECKING:
    import polib

#: Seconds to wait for another program that holds the database's write lock.
BUSY_TIMEOUT_S = 10.0

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS articles (path TEXT PRIMARY KEY, record TEXT NOT NULL)",
    # entry counts of catalogs by digest, so that status does not parse an unchanged catalog again
    "CREATE TABLE IF NOT EXISTS stats (path TEXT PRIMARY KEY, digest TEXT NOT NULL, counts TEXT NOT NULL)",
    # catalogs left alone because they looked cut short: the exact state (digest:inode:mtime) they were in
    "CREATE TABLE IF NOT EXISTS skipped (path TEXT PRIMARY KEY, stamp TEXT NOT NULL)",
)


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes (first 16 bytes, hex), ``None`` when it does not exist."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:32]
    except FileNotFoundError:
        return None
    except OSError as error:  # unreadable: never equal to a recorded digest, so the article is redone and its error reported
        return f"unreadable:{error.errno}"


@dataclass(frozen=True)
class Record:
    """The files of one article as the last completed sync left them.

    Attributes:
        fingerprint: the settings' fingerprint (:meth:`WorkspaceConfig.fingerprint`).
        files: relative path -> digest (``None``: the file did not exist).
    """

    fingerprint: str
    files: tuple[tuple[str, str | None], ...]

    def to_json(self) -> str:
        return json.dumps({"fingerprint": self.fingerprint, "files": dict(self.files)}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Record | None:
        try:
            data = json.loads(text)
            return cls(str(data["fingerprint"]), tuple(sorted((str(k), v) for k, v in data["files"].items())))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


class StateError(TranslateError):
    """The sync state file cannot be used."""


def _is_locked(error: sqlite3.Error) -> bool:
    return isinstance(error, sqlite3.OperationalError) and any(word in str(error) for word in ("locked", "busy"))


class SyncState:
    """The state database of a workspace (``.translate/state.sqlite3``).

    Args:
        path: the database file (created if missing).
        timeout: seconds to wait while another program holds its lock
            (default :data:`BUSY_TIMEOUT_S`); then :class:`StateError`.
    """

    def __init__(self, path: Path, timeout: float | None = None) -> None:
        self.path = path
        self.timeout = BUSY_TIMEOUT_S if timeout is None else timeout
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StateError(f"cannot be created: {error.strerror or error}", path=path,
                             hint=f"make {path.parent} a writable folder") from error
        self._db: sqlite3.Connection | None = None
        try:
            self._db = sqlite3.connect(path, isolation_level=None, timeout=self.timeout)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            for statement in SCHEMA:
                self._db.execute(statement)
        except sqlite3.Error as error:
            self.close()
            if _is_locked(error):
                raise self._locked(error) from error
            raise StateError(f"cannot be opened: {error}", path=path, hint="delete it: the next sync redoes every article once") from error

    def _locked(self, error: sqlite3.Error) -> StateError:
        return StateError(
            f"is locked by another program (waited {self.timeout:g} s): {error}",
            path=self.path,
            hint="close the program that holds it, such as an sqlite3 shell or a backup, and run again; nothing was changed",
        )

    def _failed(self, error: sqlite3.Error, doing: str) -> StateError:
        if _is_locked(error):
            return self._locked(error)
        return StateError(f"cannot be {doing}: {error}", path=self.path,
                          hint="free disk space or fix the folder's permissions; the next sync redoes what was not recorded")

    def check_writable(self) -> None:
        """Take and release the write lock, so that a database another program holds is found before any work.

        Raises:
            StateError: the lock was not free within the timeout, or the file cannot be written.
        """
        assert self._db is not None
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("ROLLBACK")
        except sqlite3.Error as error:
            raise self._failed(error, "written") from error

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> SyncState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def records(self) -> dict[str, Record]:
        """Every article's record, keyed by its relative path.

        Raises:
            StateError: the database is locked or unreadable.
        """
        assert self._db is not None
        found = {}
        try:
            rows = self._db.execute("SELECT path, record FROM articles").fetchall()
        except sqlite3.Error as error:
            raise self._failed(error, "read") from error
        for path, text in rows:
            record = Record.from_json(text)
            if record is not None:
                found[path] = record
        return found

    def put(self, records: Mapping[str, Record]) -> None:
        """Store records in one transaction.

        Raises:
            StateError: the database stayed locked or cannot be written (nothing of this call is stored).
        """
        if not records:
            return
        self._write("INSERT OR REPLACE INTO articles (path, record) VALUES (?, ?)", [(p, r.to_json()) for p, r in records.items()])

    def forget(self, paths: Iterable[str]) -> None:
        """Drop the records of these articles (they will be done again)."""
        self._write("DELETE FROM articles WHERE path = ?", [(p,) for p in paths])

    def _write(self, statement: str, rows: list[tuple[str, ...]]) -> None:
        assert self._db is not None
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany(statement, rows)
        except sqlite3.Error as error:
            raise self._failed(error, "written") from error

    def cached_counts(self) -> dict[str, tuple[str, tuple[int, ...]]]:
        """Catalog entry counts remembered by :meth:`put_counts`: path -> (digest, counts)."""
        assert self._db is not None
        found = {}
        try:
            rows = self._db.execute("SELECT path, digest, counts FROM stats").fetchall()
        except sqlite3.Error as error:
            raise self._failed(error, "read") from error
        for path, digest, counts in rows:
            try:
                found[path] = (digest, tuple(int(n) for n in json.loads(counts)))
            except (ValueError, TypeError):
                continue
        return found

    def put_counts(self, counts: Mapping[str, tuple[str, tuple[int, ...]]]) -> None:
        """Remember catalog entry counts by the catalog's digest (best effort: skipped while the database is busy)."""
        if not counts or self._db is None:
            return
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany(
                    "INSERT OR REPLACE INTO stats (path, digest, counts) VALUES (?, ?, ?)",
                    [(p, d, json.dumps(list(c))) for p, (d, c) in counts.items()],
                )
        except sqlite3.Error:
            pass

    def known_catalogs(self, root: Path) -> KnownCatalogs:
        """The last known state of the workspace's catalogs (paths in the database are relative to ``root``)."""
        known = {}
        for path, (digest, counts) in self.cached_counts().items():
            if len(counts) == 5:
                known[str(root / path)] = (digest, CatalogStats(*counts))
        skipped = {str(root / path): stamp for path, stamp in self._db.execute("SELECT path, stamp FROM skipped")}
        return KnownCatalogs(known, skipped)

    def put_known(self, known: KnownCatalogs, root: Path) -> None:
        """Store what a run learnt of the catalogs (see :meth:`known_catalogs`)."""

        def relative(path: str) -> str:
            return Path(path).relative_to(root).as_posix() if Path(path).is_relative_to(root) else path

        counts = {relative(p): (d[:32], (s.entries, s.translated, s.fuzzy, s.untranslated, s.obsolete)) for p, (d, s) in known.updated.items()}
        self.put_counts(counts)
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM skipped WHERE path = ?", [(p,) for p in counts])
            self._db.executemany("INSERT OR REPLACE INTO skipped (path, stamp) VALUES (?, ?)", [(relative(p), stamp) for p, stamp in known.skipped.items()])
        known.updated.clear()


def catalog_keys(path: Path) -> frozenset[tuple[str | None, str]]:
    """The (msgctxt, msgid) of a catalog's current entries (none when it cannot be read)."""
    from translate.catalog.store import read_catalog

    try:
        catalog, _ = read_catalog(path)
    except TranslateError:
        return frozenset()
    return frozenset((e.msgctxt, e.msgid) for e in catalog or () if not e.obsolete)


def read_settled(po: Path, sentences: frozenset[tuple[str | None, str]]) -> tuple[str | None, polib.POFile | None]:
    """A language catalog's digest for an article's state row, read just before publishing, and the catalog read.

    A catalog that lacks some of the template's ``sentences`` (a translator's
    save replaced the merge a sync made) gets a mark no file has, so that the
    next sync merges it again. The catalog is ``None`` when there is none or
    it cannot be read (publishing reports why).
    """
    from translate.catalog.store import read_catalog

    try:
        catalog, seen = read_catalog(po)
    except TranslateError:
        return file_digest(po), None
    if catalog is None or seen.digest is None:
        return None, None
    if not sentences <= {(e.msgctxt, e.msgid) for e in catalog if not e.obsolete}:
        return "not-merged", catalog
    return seen.digest[:32], catalog
