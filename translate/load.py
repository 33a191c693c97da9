"""Read an article file: decode it, parse it with its format's reader, split sentences."""

from __future__ import annotations

import dataclasses
import importlib
import os
import stat
from pathlib import Path
from typing import Protocol

from translate.article import Article, Block, Parsed, article_slug
from translate.config import ReadOptions
from translate.errors import InputError
from translate.textfile import decode

#: File extension -> reader module in ``translate.formats``.
FORMATS_BY_EXTENSION = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
FORMATS = ("text", "markdown", "html")
_SPECIAL_FILES = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class Reader(Protocol):
    def __call__(self, source: str, options: ReadOptions, path: str) -> Parsed: ...


def detect_format(path: Path) -> str:
    """The format of an article, from its extension.

    Raises:
        InputError: the extension is not one of a known format.
    """
    fmt = FORMATS_BY_EXTENSION.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS_BY_EXTENSION))
        raise InputError(f"unknown article format {path.suffix or '(no extension)'!r}", path=path, hint=f"use one of {known}, or pass --format text|markdown|html")
    return fmt


def reader(fmt: str) -> Reader:
    """The ``parse`` function of a format, imported on first use."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}", hint="use text, markdown or html")
    module = importlib.import_module(f"translate.formats.{fmt}")
    parse: Reader = module.parse
    return parse


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, for messages; ``None`` for a regular file."""
    for test, kind in _SPECIAL_FILES:
        if test(mode):
            return kind
    return None if stat.S_ISREG(mode) else "not a file"


def read_article_bytes(path: Path) -> bytes:
    """The bytes of an article file.

    Only regular files (or links to them) are read: a named pipe would block
    the command until something writes to it, and a device such as
    ``/dev/zero`` never ends. The file is checked before it is opened, opened
    without blocking, and checked again on the open descriptor.

    Raises:
        InputError: the file is missing, a folder, not a regular file, or cannot be read.
    """
    try:
        kind = _kind(path.stat().st_mode)
        if kind is None:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
            with os.fdopen(fd, "rb") as handle:
                kind = _kind(os.fstat(handle.fileno()).st_mode)
                if kind is None:
                    return handle.read()
    except FileNotFoundError as error:
        raise InputError("no such file", path=path, hint="check the path") from error
    except OSError as error:
        raise InputError(f"cannot be read: {error.strerror}", path=path) from error
    if kind == "a folder":
        raise InputError("is a folder, not an article", path=path, hint="pass article files, e.g. articles/*.md")
    raise InputError(
        f"is not a regular file ({kind})",
        path=path,
        hint="pass the article file itself: named pipes, devices and sockets are not read",
    )


def segment_blocks(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Fill in the sentences of each block.

    A sentence without a letter in the text a reader sees (a closing tag left
    after the last full stop, a bullet, a score, an image link) is no
    sentence: it never becomes a catalog entry and stays in the article as
    it is, like the space between sentences.
    """
    from translate.segment import has_words, split_sentences

    return tuple(
        dataclasses.replace(b, sentences=tuple(s for s in split_sentences(b.text, b.protected) if has_words(b.text[s.start : s.end])))
        for b in blocks
    )


def load_article(path: str | Path, options: ReadOptions | None = None, fmt: str | None = None) -> Article:
    """Read, parse and segment one article file.

    Args:
        path: the article file.
        options: how to find translatable text; defaults to :class:`ReadOptions`.
        fmt: force a format instead of guessing it from the extension.

    Raises:
        InputError: the file cannot be read, decoded or parsed.
    """
    path = Path(path)
    article_slug(path)
    options = options or ReadOptions()
    fmt = fmt or detect_format(path)
    decoded = decode(read_article_bytes(path), path, options.encoding)
    parsed = reader(fmt)(decoded.text, options, str(path))
    return Article(
        path=path,
        format=fmt,
        source=decoded.text,
        blocks=segment_blocks(parsed.blocks),
        marker=parsed.marker,
        encoding=decoded.encoding,
        bom=decoded.bom,
        newline=decoded.newline,
    )
