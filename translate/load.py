"""Read an article file: decode it, parse it with its format's reader, split sentences."""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path
from typing import Protocol

from translate.article import Article, Block, Parsed
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
    options = options or ReadOptions()
    fmt = fmt or detect_format(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise InputError("no such file", path=path, hint="check the path") from error
    except IsADirectoryError as error:
        raise InputError("is a folder, not an article", path=path, hint="pass article files, e.g. articles/*.md") from error
    except OSError as error:
        raise InputError(f"cannot be read: {error.strerror}", path=path) from error
    decoded = decode(data, path, options.encoding)
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
