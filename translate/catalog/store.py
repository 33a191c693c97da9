"""Read and write catalogs safely.

Writes are atomic (a temporary file in the same folder, fsync, rename; see
:mod:`translate.catalog.atomic`), and a catalog is only replaced if it is
still what was read: when a translator saved it in the meantime (Poedit,
Lokalize, a Weblate pull), the update is worked out again on what they saved,
so their work is merged rather than clobbered. A catalog being saved right now,
or one that looks cut short by a save in progress
(:mod:`translate.catalog.guard`), is left alone: the update stops with
:class:`~translate.errors.BeingEditedError` and the next run does it.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib

from translate.catalog.atomic import WRITER_WAIT, Snapshot, check_writable, digest, read_file, snapshot, write_atomic, write_error
from translate.catalog.guard import KnownCatalogs
from translate.catalog.stats import catalog_stats
from translate.catalog.template import WRAP_WIDTH
from translate.errors import BeingEditedError, CatalogError, ConflictError

log = logging.getLogger(__name__)

_POLIB_LINE = re.compile(r"line (\d+)")
_STRING_LINE = re.compile(r'(?:#~\s*)?(?:#\|\s*)?(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*"')
_CLOSED = re.compile(r'(?:^|[^\\])(?:\\\\)*"\s*$')


def _unterminated_string(text: str) -> int | None:
    """Line number of the first string without its closing quote (polib would silently drop it)."""
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped[-1:] == '"' and stripped[-2:-1] != "\\" and stripped.count('"') > 1:
            continue  # a quote closes it: the opening one is the first (no prefix holds one), so the last is another
        opening = _STRING_LINE.match(stripped)
        if opening and not _CLOSED.search(stripped[opening.end() :]):
            return number
    return None


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
        catalog = polib.pofile(text, wrapwidth=WRAP_WIDTH, check_for_duplicates=False)
    except (OSError, ValueError) as error:
        found = _POLIB_LINE.search(str(error))
        raise CatalogError(
            f"is not a valid PO file: {error}",
            path=path,
            line=int(found.group(1)) if found else None,
            hint="fix it (msgfmt -c shows the problem) or restore it from version control",
        ) from error
    catalog.fpath = str(path)  # errors about an entry name the file and the entry's line
    _refuse_duplicates(catalog, text, path)
    return catalog


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


def read_catalog(path: Path, *, wait: float = WRITER_WAIT) -> tuple[polib.POFile | None, Snapshot]:
    """Read a catalog and remember what it held; ``(None, snapshot)`` when it does not exist.

    A catalog that another program has open for writing (an editor saving
    it in place) is read once that program is done, waiting up to ``wait``
    seconds. The catalog's ``fpath`` is ``path``, so that later messages can
    name it.

    Raises:
        BeingEditedError: it was still being written after ``wait`` seconds.
        CatalogError: it cannot be read or parsed.
    """
    try:
        data, seen = read_file(path, wait=wait)
    except OSError as error:
        raise CatalogError(f"cannot be read: {error.strerror}", path=path) from error
    if data is None:
        return None, seen
    catalog = parse_catalog(data, path)
    catalog.fpath = str(path)
    return catalog, seen


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


@dataclass(frozen=True)
class Update:
    """The outcome of :func:`update_catalog`."""

    catalog: polib.POFile
    written: bool
    attempts: int


def update_catalog(
    path: Path,
    change: Callable[[polib.POFile | None], polib.POFile],
    *,
    attempts: int = 5,
    known: KnownCatalogs | None = None,
    before_write: Callable[[polib.POFile], None] | None = None,
) -> Update:
    """Apply ``change`` to the catalog at ``path`` and write the result safely.

    ``change`` receives the catalog as it is on disk (``None`` when there is
    none) and returns the new one; it must be a pure function of its input so
    that it can be applied again. If the file is changed by someone else
    between reading and writing, it is read again and ``change`` re-applied to
    what they saved. Nothing is written when the result is what is on disk.

    Args:
        known: what catalogs held when last read in good order (default: only
            the reads of this call); a catalog that looks cut short compared
            with it is not written.
        before_write: called with the new catalog right before it replaces the
            file (to write what belongs with it, such as its provenance
            sidecar, first); not called when nothing is written.

    Raises:
        BeingEditedError: the catalog is being saved by another program, or
            looks cut short by a save in progress; it was not written.
        CatalogError: the catalog on disk cannot be read.
        ConflictError: the file kept changing during ``attempts`` tries.
    """
    known = known if known is not None else KnownCatalogs()
    for attempt in range(1, attempts + 1):
        current, seen = read_catalog(path)
        cut_short = known.half_saved(path, current, seen.seen) if current is not None else None
        if current is not None and cut_short is None:
            known.remember_catalog(path, seen.digest or "", current)
        updated = change(current)
        data = render_catalog(updated)
        if current is not None and data == render_catalog(current):
            return Update(updated, written=False, attempts=attempt)
        if cut_short is not None:
            known.skip(path, seen.seen)
            raise BeingEditedError(
                f"{cut_short}: another program may be saving it; it was left as it is",
                path=path,
                hint="run the command again when it is saved",
            )
        if before_write is not None:
            before_write(updated)
        try:
            write_atomic(path, data, expected=seen)
        except ConflictError as error:
            log.info("%s: %s; merging again (attempt %d)", path, error.message, attempt)
            continue
        known.remember(path, digest(data), catalog_stats(updated))
        return Update(updated, written=True, attempts=attempt)
    raise ConflictError(
        f"kept changing on disk during {attempts} attempts to update it",
        path=path,
        hint="close it in your editor (or wait for the other job) and run the command again",
    )


__all__ = ["Snapshot", "Update", "parse_catalog", "read_catalog", "render_catalog", "snapshot", "update_catalog", "write_atomic"]
