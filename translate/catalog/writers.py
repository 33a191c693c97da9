"""Is another program writing a file right now? Linux read leases tell.

An editor that saves in place (truncate, write, close) holds the file open
for writing while it saves. A *read lease* (``fcntl(F_SETLEASE, F_RDLCK)``)
can only be taken on a file nobody has open for writing, and while it is
held, a program that opens the file for writing (or truncates it) waits until
the lease is released, and the lease shows it (``F_GETLEASE`` no longer
answers ``F_RDLCK``). :mod:`translate.catalog.store` takes one around reading
a catalog and around replacing it, so that a save in progress is waited for
and a save that starts while a catalog is replaced is seen.

Leases exist on Linux for files of the caller's own user (or with
``CAP_LEASE``) on local file systems. Elsewhere :func:`take` answers
``None`` and the store falls back on comparing the file's state (size,
modification time, inode, content) before and after.

While a lease is held, the kernel signals its holder when someone opens the
file for writing; that signal is set to ``SIGURG``, which is ignored unless a
program asks for it, so holding a lease never ends the process.
"""

from __future__ import annotations

import errno
import logging
import os
import signal
import time

try:
    import fcntl
except ImportError:  # not a POSIX system
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

#: How often a busy file is looked at again while waiting, in seconds.
POLL = 0.02
_UNSUPPORTED = (errno.EINVAL, errno.EACCES, errno.EPERM, errno.ENOSYS, errno.ENOLCK, errno.EOPNOTSUPP)


def take(fd: int) -> bool | None:
    """Take a read lease on ``fd`` (opened read-only).

    Returns:
        ``True``: taken, nobody has the file open for writing; ``False``:
        someone does; ``None``: leases are not available for this file.
    """
    if fcntl is None or not hasattr(fcntl, "F_SETLEASE"):
        return None
    try:
        fcntl.fcntl(fd, fcntl.F_SETSIG, signal.SIGURG)
        fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_RDLCK)
    except OSError as error:
        if error.errno in (errno.EAGAIN, errno.EBUSY):
            return False
        if error.errno in _UNSUPPORTED:
            return None
        raise
    return True


def broken(fd: int) -> bool:
    """Whether someone opened the file for writing (or truncated it) since the lease was taken."""
    assert fcntl is not None
    return fcntl.fcntl(fd, fcntl.F_GETLEASE) != fcntl.F_RDLCK


def release(fd: int) -> None:
    """Give the lease back (a writer waiting for it goes on)."""
    if fcntl is None or not hasattr(fcntl, "F_SETLEASE"):
        return
    try:
        fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_UNLCK)
    except OSError:
        pass


def wait_and_take(fd: int, timeout: float) -> bool | None:
    """Take a read lease, waiting up to ``timeout`` seconds for writers to close the file.

    Returns:
        As :func:`take`: ``False`` when someone still had the file open for
        writing at the end of the wait.
    """
    deadline = time.monotonic() + timeout
    waited = False
    while True:
        taken = take(fd)
        if taken is not False or time.monotonic() >= deadline:
            if waited and taken:
                log.info("waited for another program to finish writing a file")
            return taken
        waited = True
        time.sleep(POLL)


def wait_until_quiet(fd: int, timeout: float, quiet: float = 0.5) -> None:
    """Without leases: wait until the file's size and modification time stay put for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    last = _stamp(fd)
    still_since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(POLL)
        now = _stamp(fd)
        if now != last:
            last, still_since = now, time.monotonic()
        elif time.monotonic() - still_since >= quiet:
            return


def _stamp(fd: int) -> tuple[int, int]:
    info = os.fstat(fd)
    return info.st_size, info.st_mtime_ns
