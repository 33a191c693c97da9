"""Build an article's template (``.pot``): one entry per distinct sentence."""

from __future__ import annotations

import os
import re
import string
from datetime import datetime, timezone
from pathlib import Path

import polib
from babel.messages.catalog import PYTHON_FORMAT

from translate.article import Article, Block, BlockKind
from translate.catalog.header import template_metadata

WRAP_WIDTH = 78


#: What one ``#:`` reference cannot hold: white space (it separates references),
#: control characters and line separators (they end the comment line), lone
#: surrogates (file-name bytes that are not UTF-8), and ``%`` (the escape itself).
_NOT_IN_REFERENCE = re.compile("[\\s\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff%]")


def reference_path(path: Path, base: Path | None = None) -> str:
    """How an article is named in ``#:`` references: relative to ``base`` (default: the working folder) when inside it.

    What a reference cannot hold is percent-encoded as in URLs (the bytes of
    the file name): ``my story.md`` is ``my%20story.md`` and a line break
    ``%0A``, so every reference is one word that msgfmt, polib and editors
    read back as it was written.
    """
    base = (base or Path.cwd()).resolve()
    resolved = path.resolve()
    try:
        where = resolved.relative_to(base).as_posix()
    except ValueError:
        where = Path(os.path.relpath(resolved, base)).as_posix() if resolved.anchor == base.anchor else resolved.as_posix()
    return _NOT_IN_REFERENCE.sub(lambda match: "".join(f"%{byte:02X}" for byte in os.fsencode(match.group())), where)


def block_note(block: Block) -> str:
    """The ``#.`` comment of a block's sentences: its kind and any note of the reader."""
    note = str(block.kind)
    if block.kind is BlockKind.FRONT_MATTER and block.context:
        note = f"front matter: {block.context}"
    if block.comment:
        note = f"{note}: {block.comment}"
    return note


#: A printf directive as GNU gettext reads ``c-format`` strings (``%%`` aside).
_C_FORMAT = re.compile(r"%(?:\d+\$)?[-+ #0'I]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?:hh|h|ll|l|L|q|j|z|Z|t)?[diouxXeEfFgGaAcspnm]")


def _brace_format(text: str) -> bool:
    """Whether ``text`` parses as a ``str.format`` string with a replacement field."""
    try:
        return any(field is not None for _, field, _, _ in string.Formatter().parse(text))
    except ValueError:
        return False


def format_flags(msgid: str) -> list[str]:
    """The ``no-*-format`` flags of a sentence that format-guessing tools could take for a format string.

    Sentences are prose, never format strings, but ``60% occupancy`` reads as
    the directive ``% o`` to Babel (which marks it ``python-format`` on
    ``pybabel update``) and to a C-format check, and ``{0}`` as a
    ``python-brace-format`` field. As xgettext does for a string it is told is
    not a format string, such entries say so; ``msgmerge`` carries these flags
    from the template, and ``msgfmt -c`` and editors that check with it
    (Poedit) then check no format.
    """
    flags = []
    if "%" in msgid and (_C_FORMAT.search(msgid) or PYTHON_FORMAT.search(msgid)):
        flags += ["no-c-format", "no-python-format"]
    if "{" in msgid and _brace_format(msgid):
        flags.append("no-python-brace-format")
    return flags


def new_catalog() -> polib.POFile:
    """An empty catalog with the project's wrapping and no duplicate check (entries are keyed here)."""
    return polib.POFile(wrapwidth=WRAP_WIDTH, check_for_duplicates=False)


def build_template(article: Article, *, created: datetime | None = None, base: Path | None = None) -> polib.POFile:
    """The template of one article.

    Repeated sentences (a title that is also the first heading) are one entry
    with several ``#:`` references; the block kinds go in ``#.`` comments; a
    block's ``context`` (front-matter key) becomes ``msgctxt``.
    """
    pot = new_catalog()
    pot.metadata = template_metadata(article.slug, created or datetime.now(timezone.utc))
    where = reference_path(article.path, base)
    pot.header = f"Sentences of the article {where}, for translation."
    pot.metadata_is_fuzzy = True  # as xgettext marks templates
    entries: dict[tuple[str | None, str], polib.POEntry] = {}
    notes: dict[tuple[str | None, str], list[str]] = {}
    for segment in article.segments():
        block = article.blocks[segment.block]
        key = (block.context, segment.msgid)
        entry = entries.get(key)
        if entry is None:
            entry = polib.POEntry(msgid=segment.msgid, msgstr="", msgctxt=block.context, occurrences=[], flags=format_flags(segment.msgid))
            entries[key] = entry
            notes[key] = []
            pot.append(entry)
        occurrence = (where, str(segment.line))
        if occurrence not in entry.occurrences:
            entry.occurrences.append(occurrence)
        note = block_note(block)
        if note not in notes[key]:
            notes[key].append(note)
    for key, entry in entries.items():
        entry.comment = "; ".join(notes[key])
    return pot


def same_entries(a: polib.POFile, b: polib.POFile) -> bool:
    """Whether two templates have the same entries, references and comments (headers aside)."""
    def shape(po: polib.POFile) -> list[tuple[object, ...]]:
        return [(e.msgctxt, e.msgid, tuple(e.occurrences), e.comment, tuple(e.flags), e.obsolete) for e in po]

    return shape(a) == shape(b)
