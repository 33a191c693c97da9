"""Model files checked against their recorded SHA-256 before use, hashed once.

``translate models verify`` hashes every file of a model on request. Loading
a model checks it too (:func:`verify_on_use`): a locked model's files against
models.lock, a CTranslate2 conversion's files against what was recorded when
it was converted. Hashing gigabytes on every run would cost seconds, so each
folder remembers what it has hashed in ``.translate-verified.json``: one entry
per file with the digest found and the file's size, modification and change
times (nanoseconds), inode and device. A file whose ``stat`` still matches its
entry is not read again; any write to it changes its change time (which,
unlike the modification time, cannot be set back), so it is hashed again and
a difference is found.

A file changed less than :data:`RACY_SECONDS` before it was hashed is not
remembered: a later change within the same tick of the file system's clock
could leave its times as they were (git calls these entries "racily clean").
It is simply hashed again on its next use.

The record is a convenience, never a source of trust beyond the stat fields:
a folder that cannot be written (a read-only model store) is hashed on every
use, with a warning that says so.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from translate.mt.lockfile import LockedFile, LockedModel, ModelError

logger = logging.getLogger(__name__)

#: The record of what a folder's files hashed to (hidden: never a model file).
VERIFIED_FILE = ".translate-verified.json"
#: Files changed this recently before hashing are not remembered (timestamp granularity).
RACY_SECONDS = 2.0
#: First-use hashing above this size is announced on stderr (it takes seconds).
NOTICE_BYTES = 256 << 20
_CHUNK = 1 << 20  # 1 MiB
_STAT_FIELDS = ("size", "mtime_ns", "ctime_ns", "ino", "dev")


class IntegrityError(ModelError):
    """A model file is missing or differs from its recorded SHA-256 or size."""


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _stamp(info: os.stat_result) -> dict[str, int]:
    return {"size": info.st_size, "mtime_ns": info.st_mtime_ns, "ctime_ns": info.st_ctime_ns, "ino": info.st_ino, "dev": info.st_dev}


class VerifiedFiles:
    """The digests a folder's files had when they were last hashed (``.translate-verified.json``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / VERIFIED_FILE
        self._entries = self._read()
        self._new: dict[str, dict[str, object]] = {}

    def _read(self) -> dict[str, dict[str, object]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            logger.info("ignoring %s (%s): the files are hashed again", self.path, error)
            return {}
        files = data.get("files") if isinstance(data, dict) and data.get("version") == 1 else None
        return {k: v for k, v in files.items() if isinstance(v, dict)} if isinstance(files, dict) else {}

    def known(self, name: str, info: os.stat_result) -> str | None:
        """The digest remembered for ``name`` if the file's ``stat`` is still the one it had then."""
        entry = self._entries.get(name)
        if entry is None or any(entry.get(k) != v for k, v in _stamp(info).items()):
            return None
        digest = entry.get("sha256")
        return digest if isinstance(digest, str) else None

    def hash(self, name: str) -> tuple[str, int]:
        """Hash ``folder/name`` and remember the result when that is safe; returns (sha256, size)."""
        file = self.folder / name
        started = time.time_ns()
        before = file.stat()
        digest = sha256_file(file)
        after = file.stat()
        changed_at = max(after.st_mtime_ns, after.st_ctime_ns)
        if _stamp(before) == _stamp(after) and started - changed_at >= RACY_SECONDS * 1e9:
            self._new[name] = {**_stamp(after), "sha256": digest}
        return digest, after.st_size

    def save(self) -> None:
        """Add the new entries to the record (atomically; best effort: a read-only folder is only logged)."""
        if not self._new:
            return
        entries = {**self._read(), **self._new}  # keep what another process added meanwhile
        try:
            fd, temp = tempfile.mkstemp(prefix=f"{VERIFIED_FILE}.", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump({"version": 1, "files": entries}, handle, indent=1, sort_keys=True)
                os.replace(temp, self.path)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError as error:
            logger.warning("cannot write %s (%s): the model is hashed again on every use", self.path, error.strerror or error)
            return
        self._entries, self._new = entries, {}


class FileStatus(StrEnum):
    """The outcome of checking one locked file."""

    OK = "ok"
    MISSING = "missing"
    MISMATCH = "mismatch"  # size or SHA-256 differs from models.lock
    UNRECORDED = "unrecorded"  # models.lock has no SHA-256 (or size) for it yet


@dataclass(frozen=True)
class FileCheck:
    """One locked file checked against its folder copy.

    ``actual_sha256`` is empty when the file is missing, or when its size already
    differs from the locked size (hashing gigabytes to confirm a mismatch is pointless).
    """

    path: str
    status: FileStatus
    expected_sha256: str
    actual_sha256: str
    expected_size: int | None
    actual_size: int | None

    def describe(self) -> str:
        """One line for people, such as ``tokenizer.json: mismatch (sha256 expected …, got …)``."""
        if self.status is FileStatus.MISMATCH:
            if self.expected_size is not None and self.actual_size != self.expected_size:
                return f"{self.path}: mismatch (size expected {self.expected_size}, got {self.actual_size})"
            return f"{self.path}: mismatch (sha256 expected {self.expected_sha256}, got {self.actual_sha256})"
        if self.status is FileStatus.UNRECORDED:
            return f"{self.path}: unrecorded (sha256 {self.actual_sha256}, {self.actual_size} bytes)"
        return f"{self.path}: {self.status}"


@dataclass(frozen=True)
class VerifyReport:
    """Every locked file of one model checked against its folder."""

    name: str
    path: Path
    files: tuple[FileCheck, ...]

    @property
    def ok(self) -> bool:
        """Every file is present and matches a recorded hash."""
        return all(f.status is FileStatus.OK for f in self.files)

    @property
    def complete(self) -> bool:
        """Nothing is missing or altered (some hashes may still be unrecorded)."""
        return all(f.status in (FileStatus.OK, FileStatus.UNRECORDED) for f in self.files)

    @property
    def problems(self) -> tuple[FileCheck, ...]:
        """The files that are not ``ok``."""
        return tuple(f for f in self.files if f.status is not FileStatus.OK)


def _check_file(locked: LockedFile, folder: Path, record: VerifiedFiles, trust_record: bool) -> FileCheck:
    file = folder / locked.path
    try:
        info = file.stat()
    except OSError:
        info = None
    if info is None or not file.is_file():
        return FileCheck(locked.path, FileStatus.MISSING, locked.sha256, "", locked.size, None)
    size = info.st_size
    if locked.size is not None and size != locked.size:
        return FileCheck(locked.path, FileStatus.MISMATCH, locked.sha256, "", locked.size, size)
    actual = record.known(locked.path, info) if trust_record else None
    if actual is None:
        actual, size = record.hash(locked.path)
    if not locked.sha256 or locked.size is None:
        status = FileStatus.UNRECORDED if not locked.sha256 or actual == locked.sha256 else FileStatus.MISMATCH
    else:
        status = FileStatus.OK if actual == locked.sha256 else FileStatus.MISMATCH
    return FileCheck(locked.path, status, locked.sha256, actual, locked.size, size)


def check_files(folder: Path, files: Sequence[LockedFile], *, trust_record: bool = False) -> tuple[FileCheck, ...]:
    """Check ``files`` in ``folder`` (sizes first, then SHA-256), remembering what was hashed.

    Args:
        trust_record: skip hashing a file whose ``stat`` matches the folder's
            record (:class:`VerifiedFiles`); ``False`` hashes every file.
    """
    record = VerifiedFiles(folder)
    checks = tuple(_check_file(f, Path(folder), record, trust_record) for f in files)
    record.save()
    return checks


def verify_folder(model: LockedModel, folder: Path, *, trust_record: bool = False) -> VerifyReport:
    """Check every locked file of ``model`` in ``folder`` (see :func:`check_files`)."""
    return VerifyReport(model.name, folder, check_files(folder, model.files, trust_record=trust_record))


def _announce(folder: Path, files: Sequence[LockedFile], what: str) -> None:
    """Say so when the first check of a folder will hash a lot (seconds of reading)."""
    record = VerifiedFiles(folder)
    todo = 0
    for locked in files:
        try:
            info = (folder / locked.path).stat()
        except OSError:
            continue
        if record.known(locked.path, info) is None:
            todo += info.st_size
    if todo >= NOTICE_BYTES:
        logger.warning("checking %s: hashing %.1f GB once; later runs only compare file sizes and times", what, todo / 1e9)


def require_intact(folder: Path, files: Sequence[LockedFile], *, what: str, hint: str) -> tuple[FileCheck, ...]:
    """Check ``files`` in ``folder`` before they are used; hashes only what changed since the last check.

    Args:
        what: names the files' owner in messages (``model nllb-200-distilled-600m``).
        hint: how to get an intact copy.

    Returns:
        The checks (files without a recorded SHA-256 come back ``unrecorded``).

    Raises:
        IntegrityError: a file is missing, or its size or SHA-256 differs from
            the record; the message names the file and both digests.
    """
    folder = Path(folder)
    _announce(folder, files, what)
    checks = check_files(folder, files, trust_record=True)
    for check in checks:
        if check.status is FileStatus.MISSING:
            raise IntegrityError(f"is missing: {what} cannot be used", path=folder / check.path, hint=hint)
        if check.status is FileStatus.MISMATCH:
            if check.expected_size is not None and check.actual_size != check.expected_size:
                found = f"size expected {check.expected_size}, found {check.actual_size}"
            else:
                found = f"sha256 expected {check.expected_sha256}, found {check.actual_sha256}"
            raise IntegrityError(f"differs from what was recorded for {what} ({found}): refusing to load it",
                                 path=folder / check.path, hint=hint)
    return checks
