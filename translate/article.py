"""Data types that travel between the stages: an article, its blocks, their sentences.

A reader turns a source file into an :class:`Article`: the decoded source text
(the *skeleton*) plus the translatable :class:`Block` s found in it, each
knowing exactly which characters of the source it covers. Publishing replaces
those characters and nothing else, so everything that is not translated comes
out byte for byte as it went in.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from translate.errors import InputError
from translate.patterns import BLANK

#: What a catalog name cannot hold: control characters, line and paragraph
#: separators, and the lone surrogates that stand for bytes that are not UTF-8.
#: What a catalog name may not hold: line breaks, control characters, bytes that are not UTF-8.
UNNAMEABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_SPACE_RUN = re.compile(r"[ \t\n\r\f\v]+")


def article_slug(path: Path) -> str:
    """An article's catalog name: its file name before the first dot (``a/story.en.md`` -> ``story``).

    Raises:
        InputError: the name starts with a dot (``.md``, ``..md``, ``.draft.md``),
            so nothing names the article's catalogs, or the slug holds a line
            break, a control character or bytes that are not UTF-8, which
            catalog headers and ``#:`` lines cannot hold.
    """
    slug = path.name.split(".", 1)[0]
    if not slug:
        raise InputError(
            "has nothing before its first dot to name its catalogs",
            path=path,
            hint="rename it, e.g. to story.md: the file name before the first dot names the article's catalogs",
        )
    odd = UNNAMEABLE.search(slug)
    if odd is not None:
        what = "a byte that is not UTF-8" if "\ud800" <= odd.group() <= "\udfff" else "a line break or control character"
        raise InputError(
            f"has {what} in its name, which cannot name its catalogs",
            path=path,
            hint="rename it: catalog file names and headers take printable UTF-8 text",
        )
    return slug


def normalize_space(text: str) -> str:
    """Collapse runs of ASCII white space (line breaks of wrapped text) into one space.

    Other spaces (no-break, zero-width) are kept: they are deliberate.
    """
    return _SPACE_RUN.sub(" ", text).strip(" ")


class BlockKind(StrEnum):
    """What a block of text is in its article; shown to translators as a ``#.`` comment."""

    TITLE = "title"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list item"
    CAPTION = "caption"
    QUOTE = "quote"
    TABLE_CELL = "table cell"
    FRONT_MATTER = "front matter"
    ATTRIBUTE = "attribute"
    BYLINE = "byline"
    DATE = "date"  # a date in a byline: published with Babel, never in a catalog


class Slot(StrEnum):
    """How translated text is written back into the source.

    ``RAW``: the text goes in as it is (plain text, Markdown, HTML element content);
    a block that was one line stays one line.
    ``YAML``: the block's piece is a whole YAML scalar (or TOML basic string); a
    translation is written as a double-quoted string, valid in both.
    ``HTML_ATTRIBUTE``: the piece is an attribute value (between its quotes, if
    any); a translation is HTML-escaped.
    ``TAG_ATTRIBUTE``: the piece is a quoted string attribute of a Liquid
    include or Hugo shortcode; its quote character becomes an HTML entity (the
    value ends up in HTML) and line breaks become spaces.
    """

    RAW = "raw"
    YAML = "yaml"
    HTML_ATTRIBUTE = "html-attribute"
    TAG_ATTRIBUTE = "tag-attribute"


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range ``[start, end)`` of character offsets."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span {self.start}..{self.end}")

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Block:
    """One translatable unit of an article: a paragraph, heading, list item, attribute...

    Attributes:
        kind: what the block is.
        text: the text a translator sees. For ``Slot.RAW`` it is the source
            characters of ``pieces`` joined with ``"\\n"``; for the other slots
            it is the decoded value (YAML scalar, unescaped attribute).
        pieces: where the text lies in ``Article.source``. Several pieces when
            a container prefix (a Markdown ``> `` or list indent) sits between
            lines; exactly one for non-raw slots.
        slot: how a translation is written back.
        context: gettext ``msgctxt``, only for text that needs a translation
            of its own (a front-matter key, say); never a position.
        comment: an extra note for translators (``alt`` of ``<img>``...).
        protected: ranges of ``text`` in which no sentence may end (inline
            code, links, URLs, tags).
        sentences: ranges of ``text``, one per sentence; filled by segmentation.
    """

    kind: BlockKind
    text: str
    pieces: tuple[Span, ...]
    slot: Slot = Slot.RAW
    context: str | None = None
    comment: str | None = None
    protected: tuple[Span, ...] = ()
    sentences: tuple[Span, ...] = ()

    def source_offset(self, offset: int) -> int:
        """Map an offset in ``text`` to an offset in the article source."""
        if self.slot is not Slot.RAW:
            return self.pieces[0].start
        base = 0
        for piece in self.pieces:
            length = len(piece)
            if offset <= base + length:
                return piece.start + (offset - base)
            base += length + 1
        return self.pieces[-1].end


@dataclass(frozen=True)
class Segment:
    """One sentence of an article: the unit of translation.

    Attributes:
        msgid: the sentence as translators see it (white space of wrapped
            lines collapsed), the key of its catalog entry.
        block: index of its block in ``Article.blocks``.
        span: where the sentence lies in the block's text.
        line: 1-based source line where it starts.
    """

    msgid: str
    block: int
    span: Span
    line: int


class MarkerSyntax(StrEnum):
    """How a language value is written where a :class:`LanguageMarker` points.

    ``PLAIN``: as it is. ``YAML``: a plain scalar, or a double-quoted one when
    YAML would read it as something else (``no``, ``on``, ``a: b``).
    ``TOML``: the inside of a basic string (the template holds the quotes).
    ``HTML``: an attribute value, HTML-escaped.
    """

    PLAIN = "plain"
    YAML = "yaml"
    TOML = "toml"
    HTML = "html"


@dataclass(frozen=True)
class LanguageMarker:
    """Where the article states its language, and how to state another one.

    Publishing replaces ``span`` of the source (an empty span inserts) with
    ``template.format(lang=value)`` and each span of ``also`` with the value
    alone, where the value is :meth:`value` encoded for ``syntax``.

    Attributes:
        span: the value that states the language, or where to insert a statement.
        template: what goes in place of ``span``; ``{lang}`` stands for the value.
        syntax: how the value is encoded.
        written: the value as the source states it (``en``, ``english``);
            empty when the statement is inserted.
        values: the site's own value for a target language, by normalised
            code (``(("km", "khmer"),)``).
        also: further values that state the same language (``xml:lang``
            next to ``lang``).
    """

    span: Span
    template: str
    syntax: MarkerSyntax = MarkerSyntax.PLAIN
    written: str = ""
    values: tuple[tuple[str, str], ...] = ()
    also: tuple[Span, ...] = ()

    def value(self, lang: str) -> str:
        """The value that states ``lang`` (a BCP-47 code) in this article.

        A configured value for the code (or its base language: ``km`` for
        ``km-KH``) wins; else, when the source states its language by English
        name (``english``, ``English``), the target's English name written the
        same way (``khmer``, ``Khmer``); else the code.
        """
        from translate.languages import language_tag, name_like

        wanted = language_tag(lang)
        configured = dict(self.values)
        for key in (wanted, wanted.split("-")[0]):
            if key in configured:
                return configured[key]
        return name_like(self.written, lang) or lang


@dataclass(frozen=True)
class Parsed:
    """What a format reader returns: the blocks and the language marker."""

    blocks: tuple[Block, ...]
    marker: LanguageMarker | None = None


@dataclass(frozen=True)
class Article:
    """A source article: decoded text plus the translatable blocks in it.

    Attributes:
        path: the file it was read from.
        format: the reader that parsed it (``text``, ``markdown``, ``html``).
        source: the decoded text with line ends normalised to ``"\\n"`` when
            the file used CRLF or CR throughout.
        blocks: translatable blocks in source order.
        marker: where the language is stated, if the format has a place for it.
        encoding: the file's encoding, used again when publishing.
        bom: whether the file started with a byte-order mark.
        newline: ``"\\r\\n"`` when the file used CRLF throughout, ``"\\r"`` when it
            used CR alone throughout (old Mac files), else ``"\\n"``.
        catalog: the catalog name chosen for it when its file name alone does not
            name it (see :mod:`translate.catalog.names`); ``None``: the file name.
    """

    path: Path
    format: str
    source: str
    blocks: tuple[Block, ...]
    marker: LanguageMarker | None = None
    encoding: str = "utf-8"
    bom: bool = False
    newline: str = "\n"
    catalog: str | None = None

    @property
    def slug(self) -> str:
        """The article's catalog name: its file name without language and extension
        (``a/story.en.md`` -> ``story``, see :func:`article_slug`) unless :attr:`catalog`
        says otherwise (``post/angkor/index.md`` -> ``post-angkor``)."""
        return self.catalog or article_slug(self.path)

    @cached_property
    def line_starts(self) -> tuple[int, ...]:
        starts = [0]
        find = self.source.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        return tuple(starts)

    def line_of(self, offset: int) -> int:
        """1-based line number of a source offset."""
        return bisect.bisect_right(self.line_starts, offset)

    def segments(self) -> Iterator[Segment]:
        """The article's sentences in source order.

        Dates of bylines are not sentences, nor is text that shows nothing
        (white space, zero-width and format characters only).
        """
        for index, block in enumerate(self.blocks):
            if block.kind is BlockKind.DATE:
                continue
            for span in block.sentences:
                msgid = normalize_space(block.text[span.start : span.end])
                if not BLANK.fullmatch(msgid):
                    line = self.line_of(block.source_offset(span.start))
                    yield Segment(msgid=msgid, block=index, span=span, line=line)
