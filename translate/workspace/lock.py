"""An advisory lock that keeps two syncs of one workspace apart.

``fcntl.flock`` on ``.translate/sync.lock``: the kernel releases it when the
holder exits, even after ``kill -9``, so a crashed run never leaves a stale
lock behind. The holder writes its process id into the file so that a second
run can say who holds it.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

from translate.errors import TranslateError


class LockedError(TranslateError):
    """Another process holds the workspace lock."""

    def __init__(self, path: Path, pid: int | None) -> None:
        holder = f"pid {pid}" if pid else "another process"
        super().__init__(
            f"another translate sync ({holder}) is running in this workspace",
            path=path,
            hint="wait for it to finish, or run with --wait",
        )
        self.pid = pid


class LockFileError(TranslateError):
    """The lock file cannot be created or opened (a folder in its place, a read-only workspace)."""


def _open_error(path: Path, error: OSError) -> LockFileError:
    if isinstance(error, IsADirectoryError) or path.is_dir():
        return LockFileError("is a folder, not the workspace's lock file", path=path,
                             hint=f"remove it with rmdir {path}; translate sync creates the file itself")
    reason = error.strerror or str(error)
    return LockFileError(f"cannot be created or opened: {reason}", path=path,
                         hint=f"make {path.parent} a writable folder: translate sync keeps its lock and state there")


class WorkspaceLock:
    """Hold the lock for a ``with`` block.

    Args:
        path: the lock file (created if missing).
        wait: seconds to wait for the holder to finish (0: fail at once; ``None``: forever).
    """

    def __init__(self, path: Path, wait: float | None = 0.0) -> None:
        self.path = path
        self.wait = wait
        self._fd: int | None = None

    def holder(self) -> int | None:
        """The process id written by the current holder, if any."""
        try:
            text = self.path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return int(text) if text.isdigit() else None

    def acquire(self) -> None:
        """Take the lock.

        Raises:
            LockedError: another process holds it (after waiting, when asked to).
            LockFileError: the lock file cannot be created or opened.
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise _open_error(self.path, error) from error
        deadline = None if self.wait is None else time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    os.close(fd)
                    raise LockedError(self.path, self.holder()) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> WorkspaceLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.release()
