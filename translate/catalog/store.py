"""Read and write catalogs safely.

Writes are atomic (a temporary file in the same folder, fsync, rename), and a
catalog is only replaced if it is still what was read: when a translator saved
it in the meantime (Poedit, Lokalize, a Weblate pull), the update is worked
out again on what they saved, so their work is merged rather than clobbered.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import os
import re
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib

from translate.catalog.template import WRAP_WIDTH
from translate.errors import CatalogError, ConflictError

log = logging.getLogger(__name__)

_POLIB_LINE = re.compile(r"line (\d+)")
_STRING_LINE = re.compile(r'(?:#~\s*)?(?:#\|\s*)?(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*"')
_CLOSED = re.compile(r'(?:^|[^\\])(?:\\\\)*"\s*$')


def _unterminated_string(text: str) -> int | None:
    """Line number of the first string without its closing quote (polib would silently drop it)."""
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        opening = _STRING_LINE.match(stripped)
        if opening and not _CLOSED.search(stripped[opening.end() :]):
            return number
    return None


@dataclass(frozen=True)
class Snapshot:
    """What a file held when it was read: its SHA-256, or ``None`` when it did not exist."""

    path: Path
    digest: str | None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def snapshot(path: Path) -> Snapshot:
    """The current state of ``path`` on disk."""
    try:
        return Snapshot(path, _digest(path.read_bytes()))
    except FileNotFoundError:
        return Snapshot(path, None)


def parse_catalog(data: bytes, path: Path) -> polib.POFile:
    """Parse the bytes of a ``.po``/``.pot`` file.

    Raises:
        CatalogError: not UTF-8, or not a valid PO file (with the line number).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise CatalogError("is not UTF-8", path=path, line=line, hint="save the catalog as UTF-8 (charset=UTF-8 in its header)") from error
    if not text.strip():
        return polib.POFile(wrapwidth=WRAP_WIDTH, check_for_duplicates=False)
    bad_line = _unterminated_string(text)
    if bad_line is not None:
        raise CatalogError(
            "is not a valid PO file: a string has no closing quote",
            path=path,
            line=bad_line,
            hint="fix it (msgfmt -c shows the problem) or restore it from version control",
        )
    try:
        po = polib.pofile(text, wrapwidth=WRAP_WIDTH, check_for_duplicates=False)
    except (OSError, ValueError) as error:
        found = _POLIB_LINE.search(str(error))
        raise CatalogError(
            f"is not a valid PO file: {error}",
            path=path,
            line=int(found.group(1)) if found else None,
            hint="fix it (msgfmt -c shows the problem) or restore it from version control",
        ) from error
    _refuse_duplicates(po, text, path)
    return po


def _refuse_duplicates(po: polib.POFile, text: str, path: Path) -> None:
    """Refuse two active entries with one msgctxt and msgid, as msgfmt does.

    A hand edit or a bad merge can leave them; taking either translation would
    silently drop the other, so the translator is asked to choose.
    """
    seen: dict[tuple[str | None, str], polib.POEntry] = {}
    for entry in po:
        if entry.obsolete:
            continue
        first = seen.setdefault((entry.msgctxt, entry.msgid), entry)
        if first is not entry:
            lines = text.split("\n")
            before, after = _msgid_line(lines, first.linenum), _msgid_line(lines, entry.linenum)
            shown = entry.msgid if len(entry.msgid) <= 40 else entry.msgid[:39] + "…"
            raise CatalogError(
                f"has the msgid {shown!r} twice, at lines {before} and {after}",
                path=path,
                line=after,
                hint="merge the two entries into one, keeping the translation you want",
            )


def _msgid_line(lines: list[str], start: int) -> int:
    """The line of an entry's ``msgctxt`` or ``msgid`` keyword; polib counts from its first comment."""
    for number in range(max(start, 1), len(lines) + 1):
        if lines[number - 1].startswith(("msgctxt", "msgid")):
            return number
    return start


def read_catalog(path: Path) -> tuple[polib.POFile | None, Snapshot]:
    """Read a catalog and remember what it held; ``(None, snapshot)`` when it does not exist."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, Snapshot(path, None)
    except OSError as error:
        raise CatalogError(f"cannot be read: {error.strerror}", path=path) from error
    return parse_catalog(data, path), Snapshot(path, _digest(data))


def render_catalog(po: polib.POFile) -> bytes:
    """The bytes of a catalog as written to disk.

    As polib writes it, except that comments are never wrapped: GNU gettext
    and Poedit keep each comment line as it is, and a comment that tools
    write and read back (``# mt_restore: …``) must stay one line.
    """
    entries = [po.metadata_as_entry(), *(e for e in po if not e.obsolete), *po.obsolete_entries()]
    text = _render_header(po.header) + "\n".join(_render_entry(entry, po.wrapwidth) for entry in entries)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def _render_header(header: str) -> str:
    """The file's header comment, as polib writes it (an empty header is one ``#`` line)."""
    lines = []
    for line in header.split("\n"):
        lines.append("#" if not line else f"#{line}" if line[:1] in (",", ":") else f"# {line}")
    return "\n".join(lines) + "\n"


def _render_entry(entry: polib.POEntry, wrapwidth: int) -> str:
    kinds = [("tcomment", "# ")] if entry.obsolete else [("tcomment", "# "), ("comment", "#. ")]
    lines = [prefix + line for name, prefix in kinds for line in (getattr(entry, name) or "").split("\n") if getattr(entry, name)]
    if all(len(line) <= wrapwidth for line in lines):
        return entry.__unicode__(wrapwidth)
    bare = copy.copy(entry)
    bare.tcomment = bare.comment = ""
    return "\n".join([*lines, bare.__unicode__(wrapwidth)])


def write_atomic(path: Path, data: bytes, expected: Snapshot | None = None) -> None:
    """Write ``data`` to ``path`` atomically.

    Args:
        expected: when given, the file must still be in this state just
            before it is replaced.

    Raises:
        ConflictError: the file changed since ``expected`` was taken.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if expected is not None and snapshot(path).digest != expected.digest:
            raise ConflictError("changed on disk while it was being updated", path=path)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_folder(path.parent)


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


@dataclass(frozen=True)
class Update:
    """The outcome of :func:`update_catalog`."""

    catalog: polib.POFile
    written: bool
    attempts: int


def update_catalog(path: Path, change: Callable[[polib.POFile | None], polib.POFile], *, attempts: int = 5) -> Update:
    """Apply ``change`` to the catalog at ``path`` and write the result safely.

    ``change`` receives the catalog as it is on disk (``None`` when there is
    none) and returns the new one; it must be a pure function of its input so
    that it can be applied again. If the file is changed by someone else
    between reading and writing, it is read again and ``change`` re-applied to
    what they saved. Nothing is written when the result is what is on disk.

    Raises:
        CatalogError: the catalog on disk cannot be read.
        ConflictError: the file kept changing during ``attempts`` tries.
    """
    for attempt in range(1, attempts + 1):
        current, seen = read_catalog(path)
        updated = change(current)
        data = render_catalog(updated)
        if current is not None and data == render_catalog(current):
            return Update(updated, written=False, attempts=attempt)
        try:
            write_atomic(path, data, expected=seen)
        except ConflictError:
            log.info("%s changed on disk during the update; merging again (attempt %d)", path, attempt)
            continue
        return Update(updated, written=True, attempts=attempt)
    raise ConflictError(
        f"kept changing on disk during {attempts} attempts to update it",
        path=path,
        hint="close it in your editor (or wait for the other job) and run the command again",
    )
