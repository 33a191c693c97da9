"""Read a file whole and replace it atomically, only if it is still what was read.

Reading waits (up to :data:`WRITER_WAIT` seconds) for a program that has the
file open for writing to finish, so a save in progress is not read half
done; a file still being written after that is reported, not read.

Replacing writes a temporary file next to the file (next to the link's target
for a symbolic link, so the link stays a link), fsyncs it, and renames it
over the file. With ``expected``, the file must still be in the state that
was read: same content (SHA-256), size, inode and modification time, checked
right before the rename under a read lease (:mod:`translate.catalog.writers`)
so that no program can start writing it between the check and the rename.

A program that opens the file for writing at that very moment writes into the
file being replaced, which the rename has just unlinked. That is seen (the
lease is broken; without leases, the old file's size or time changed after
the check): once the program has finished, its save is put back in place and
:class:`~translate.errors.ConflictError` is raised, so the caller works its
change out again on that save. Nothing a translator saves is lost to a rename.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from translate.catalog import writers
from translate.catalog.guard import Seen
from translate.errors import BeingEditedError, ConflictError, WriteError

log = logging.getLogger(__name__)

#: Seconds to wait for another program to finish writing a file before reading or replacing it.
WRITER_WAIT = 2.0
#: Seconds to wait for a program that wrote into a file just replaced to finish its save.
RECOVER_WAIT = 30.0


@dataclass(frozen=True)
class Snapshot:
    """What a file held when it was read (``digest`` ``None``: it did not exist).

    Attributes:
        digest: SHA-256 of the bytes.
        size, inode, device, mtime_ns: from ``fstat`` of the file that was read.
    """

    path: Path
    digest: str | None
    size: int | None = None
    inode: int | None = None
    device: int | None = None
    mtime_ns: int | None = None

    @property
    def seen(self) -> Seen | None:
        """The state as :class:`~translate.catalog.guard.Seen`, ``None`` for a missing file."""
        if self.digest is None or self.size is None or self.inode is None or self.mtime_ns is None:
            return None
        return Seen(self.digest, self.size, self.inode, self.mtime_ns)

    def same(self, other: Snapshot) -> bool:
        """Whether both name the same file in the same state."""
        return (self.digest, self.size, self.inode, self.device, self.mtime_ns) == (other.digest, other.size, other.inode, other.device, other.mtime_ns)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_fd(fd: int, path: Path) -> tuple[bytes, Snapshot]:
    """The whole content of an open file and its state; read again if it changed while being read."""
    for _ in range(10):
        before = os.fstat(fd)
        chunks, offset = [], 0
        while True:
            chunk = os.pread(fd, 1 << 20, offset)
            if not chunk:
                break
            chunks.append(chunk)
            offset += len(chunk)
        after = os.fstat(fd)
        if (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns) and after.st_size == offset:
            break
        time.sleep(writers.POLL)
    data = b"".join(chunks)
    return data, Snapshot(path, digest(data), after.st_size, after.st_ino, after.st_dev, after.st_mtime_ns)


def read_file(path: Path, *, wait: float = WRITER_WAIT) -> tuple[bytes | None, Snapshot]:
    """Read a file whole once nobody is writing it; ``(None, snapshot)`` when it does not exist.

    Raises:
        BeingEditedError: another program still had it open for writing after ``wait`` seconds.
        OSError: it cannot be read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None, Snapshot(path, None)
    try:
        if writers.wait_and_take(fd, wait) is False:
            raise BeingEditedError(
                f"is being saved by another program (still open for writing after {wait:g} s); it was left as it is",
                path=path,
                hint="run the command again once the editor has saved it",
            )
        return _read_fd(fd, path)
    finally:
        writers.release(fd)
        os.close(fd)


def snapshot(path: Path) -> Snapshot:
    """The current state of ``path`` on disk, as it is (without waiting for writers)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return Snapshot(path, None)
    try:
        return _read_fd(fd, path)[1]
    finally:
        os.close(fd)


def target_of(path: Path) -> Path:
    """The file a write to ``path`` replaces: the target of a symbolic link (of links to links), else ``path``."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def write_atomic(path: Path, data: bytes, expected: Snapshot | None = None) -> None:
    """Write ``data`` to ``path`` atomically; through a symbolic link, to its target.

    Args:
        expected: when given, the file must still be in this state (content,
            size, inode, modification time) just before it is replaced.

    Raises:
        ConflictError: the file changed since ``expected`` was taken, another
            program was writing it, or one saved it in place while it was
            being replaced (that save is put back first).
        WriteError: the folder cannot be written (permissions, read-only or
            full file system); the file on disk is unchanged and no temporary
            file is left behind.
    """
    target = target_of(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = 0o644
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise write_error(path, error) from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if expected is None:
            os.replace(tmp, target)
        else:
            _replace_if_unchanged(Path(tmp), target, data, expected, shown=path)
    except BaseException as error:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(error, OSError):
            raise write_error(path, error) from error
        raise
    _fsync_folder(target.parent)


def write_error(path: Path, error: OSError, folder: Path | None = None, *, outcome: str = "the file on disk is unchanged") -> WriteError:
    """One line for a failed write, saying what to do and what became of the file.

    Args:
        folder: the folder to name in the hint (default: the file's own).
        outcome: what the hint says was left.
    """
    folder = folder if folder is not None else path.parent
    code = error.errno
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        reason = "no space left on the device" if code == errno.ENOSPC else (error.strerror or str(error)).lower()
        hint = "free some space and run again"
    elif code in (errno.EACCES, errno.EPERM):
        reason, hint = "permission denied", f"make {folder} writable, or write somewhere else"
    elif code == errno.EROFS:
        reason, hint = "the file system is read-only", "write somewhere else"
    elif code in (errno.ENOTDIR, errno.EEXIST):
        reason, hint = "a file stands where a folder is needed", f"check the folders on the way to {folder}"
    else:
        reason, hint = error.strerror or str(error), f"check {folder}"
    return WriteError(f"cannot be written: {reason}", path=path, hint=f"{hint}; {outcome}")



def check_writable(folder: Path) -> None:
    """Make sure files can be created in ``folder`` (or, while it does not exist, in its nearest existing parent).

    Creates and removes one empty temporary file; creates no folder.

    Raises:
        WriteError: files cannot be created there.
    """
    target = Path(folder)
    while not target.exists() and target.parent != target:
        target = target.parent
    try:
        fd, tmp = tempfile.mkstemp(dir=target, prefix=".translate-write-check.", suffix=".tmp")
    except OSError as error:
        raise write_error(Path(folder), error, folder=target, outcome="nothing was done") from error
    os.close(fd)
    os.unlink(tmp)



def _replace_if_unchanged(tmp: Path, target: Path, data: bytes, expected: Snapshot, shown: Path) -> None:
    try:
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        if expected.digest is not None:
            raise ConflictError("was removed while it was being updated", path=shown) from None
        _create(tmp, target, shown)
        return
    try:
        leased = writers.wait_and_take(fd, WRITER_WAIT)
        if leased is False:
            raise ConflictError("is being saved by another program", path=shown)
        _, checked = _read_fd(fd, shown)
        if not checked.same(expected):
            raise ConflictError("changed on disk while it was being updated", path=shown)
        os.replace(tmp, target)
        if leased:
            written_into_old = writers.broken(fd)
        else:
            after = os.fstat(fd)
            written_into_old = (after.st_size, after.st_mtime_ns) != (checked.size, checked.mtime_ns)
        writers.release(fd)
        if written_into_old:
            _put_back(fd, target, data, shown, leased is not None)
    finally:
        writers.release(fd)
        os.close(fd)


def _create(tmp: Path, target: Path, shown: Path) -> None:
    """Put a new file in place, unless another program created one meanwhile."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise ConflictError("was created by another program while it was being written", path=shown) from None
    except OSError:  # no hard links on this file system
        os.replace(tmp, target)
        return
    os.unlink(tmp)


def _put_back(fd: int, target: Path, ours: bytes, shown: Path, leases: bool) -> None:
    """Another program wrote into the file just replaced (open as ``fd``): put its save back, then report a conflict.

    Raises:
        ConflictError: always, so that the caller updates the save that was put back.
    """
    if leases:
        writers.wait_and_take(fd, RECOVER_WAIT)
        writers.release(fd)
    else:
        writers.wait_until_quiet(fd, RECOVER_WAIT)
    theirs, _ = _read_fd(fd, shown)
    now = snapshot(target)
    if now.digest == digest(ours):
        log.warning("%s: another program saved it in place while it was being replaced; putting that save back", shown)
        try:
            write_atomic(target, theirs, expected=now)
        except ConflictError:
            pass  # replaced again meanwhile: keep their save beside it
        else:
            raise ConflictError("was saved in place by another program while it was being replaced; that save was put back", path=shown)
    kept = target.with_name(f"{target.name}.saved-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}")
    kept.write_bytes(theirs)
    log.error("%s: saved in place by one program and replaced by another meanwhile; the first save is in %s", shown, kept)
    raise ConflictError(
        f"was saved by two other programs while it was being replaced; one save is kept in {kept.name}",
        path=shown,
        hint="compare the two and keep what is right",
    )


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
