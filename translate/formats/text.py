"""Reader for plain-text articles such as pages saved from a news site.

The layout it understands: paragraphs separated by blank lines; a paragraph of
one short line without closing punctuation is a heading (the first one is the
title); lines starting with a bullet (``•``, ``-``, ``*``) or a number (``1.``)
are list items, with their indented continuation lines; a short line after
the title such as ``By Jane Doe | 25 November 2026`` is a byline, its date a
block of its own (see :mod:`translate.bylines`). Page furniture is kept
out of translation by two lists of regular expressions (see
:class:`translate.config.ReadOptions`): ``skip_lines`` drops single lines
("Logo of ...", "Content image - ..."), ``stop_at`` drops a line and everything
after it ("MOST VIEWED" teasers). The paragraph right after a skipped image
line is the image's caption.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from translate.article import Block, BlockKind, Parsed, Span
from translate.bylines import is_byline_text, split_byline
from translate.config import ReadOptions
from translate.errors import ConfigError

_BULLET = re.compile(r"[ \t]*(?:[•·▪◦‣\-*–]|\d{1,3}[.)])[ \t]+")
_CLOSING = tuple(".!?:;,\"”’'»)…")
_IMAGE_LINE = re.compile(r"(?i).*\b(image|photo|picture|graphic)\b.*")
_HEADING_MAX = 150


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # without the line end
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _lines(source: str) -> list[_Line]:
    lines: list[_Line] = []
    start = 0
    for raw in source.split("\n"):
        lines.append(_Line(start, start + len(raw), raw))
        start += len(raw) + 1
    return lines


def _compile(patterns: tuple[str, ...], option: str) -> list[re.Pattern[str]]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as error:
            raise ConfigError(f"invalid {option} pattern {pattern!r}: {error}", hint="write a Python regular expression") from error
    return compiled


def _matches(patterns: list[re.Pattern[str]], line: _Line) -> bool:
    text = line.text.strip()
    return any(pattern.fullmatch(text) for pattern in patterns)


def _trimmed(source: str, start: int, end: int) -> Span | None:
    while start < end and source[start].isspace():
        start += 1
    while end > start and source[end - 1].isspace():
        end -= 1
    return Span(start, end) if start < end else None


def _block(source: str, kind: BlockKind, start: int, end: int) -> Block | None:
    span = _trimmed(source, start, end)
    if span is None:
        return None
    return Block(kind=kind, text=source[span.start : span.end], pieces=(span,))


def _paragraph_blocks(source: str, paragraph: list[_Line], kind: BlockKind) -> list[Block]:
    """Blocks of one paragraph: list items each on their own, other lines together."""
    blocks: list[Block] = []
    run_start: int | None = None
    run_end = 0
    item: tuple[int, int] | None = None

    def flush() -> None:
        nonlocal run_start, item
        if item is not None:
            made = _block(source, BlockKind.LIST_ITEM, *item)
            if made:
                blocks.append(made)
            item = None
        if run_start is not None:
            made = _block(source, kind, run_start, run_end)
            if made:
                blocks.append(made)
            run_start = None

    for line in paragraph:
        bullet = _BULLET.match(line.text)
        if bullet:
            flush()
            item = (line.start + bullet.end(), line.end)
        elif item is not None and line.text[:1] in (" ", "\t"):
            item = (item[0], line.end)
        else:
            if item is not None:
                flush()
            if run_start is None:
                run_start = line.start
            run_end = line.end
    flush()
    return blocks


def _is_heading(paragraph: list[_Line]) -> bool:
    if len(paragraph) != 1:
        return False
    text = paragraph[0].text.strip()
    return len(text) <= _HEADING_MAX and not text.endswith(_CLOSING) and not _BULLET.match(paragraph[0].text)


def parse(source: str, options: ReadOptions, path: str) -> Parsed:
    """Find the title, headings, paragraphs, list items and captions of a plain-text article.

    Raises:
        ConfigError: a furniture pattern in ``options`` is not a valid regex.
    """
    skip = _compile(options.skip_lines, "skip-line")
    stop = _compile(options.stop_at, "stop-at")
    blocks: list[Block] = []
    paragraph: list[_Line] = []
    caption_next = False
    seen_title = False

    def flush() -> None:
        nonlocal caption_next, seen_title
        if not paragraph:
            return
        if caption_next:
            kind = BlockKind.CAPTION
        elif seen_title and len(paragraph) == 1 and is_byline_text(paragraph[0].text):
            byline = _block(source, BlockKind.BYLINE, paragraph[0].start, paragraph[0].end)
            if byline is not None:
                blocks.extend(split_byline(byline, source, "text"))
            paragraph.clear()
            caption_next = False
            return
        elif _is_heading(paragraph):
            kind = BlockKind.HEADING if seen_title else BlockKind.TITLE
            seen_title = True
        else:
            kind = BlockKind.PARAGRAPH
            seen_title = True
        blocks.extend(_paragraph_blocks(source, paragraph, kind))
        paragraph.clear()
        caption_next = False

    for line in _lines(source):
        if line.blank:
            flush()
        elif _matches(stop, line):
            break
        elif _matches(skip, line):
            flush()
            caption_next = bool(_IMAGE_LINE.fullmatch(line.text.strip()))
        else:
            paragraph.append(line)
    flush()
    return Parsed(blocks=tuple(blocks), marker=None)
