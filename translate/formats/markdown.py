"""Reader for Markdown articles (Jekyll, Hugo): front matter plus CommonMark with GFM tables.

markdown-it-py finds the block structure (its tokens carry line ranges) in a
copy of the source where template tags are opaque (see
:mod:`translate.formats.markdown_feed`: a Liquid tag or shortcode is one unit
even over blank and indented lines, as Jekyll and Hugo read it); each block's
content lines are then found on those lines, so every block knows its exact
characters. A paragraph is split into runs of lines (see
:mod:`translate.formats.markdown_runs`): lines holding only images or
template tags (``{% include figure.html caption="..." %}``,
``{{< figure ... >}}``) are not prose; their image alt texts and configured tag
attributes become blocks of their own, and the prose lines around them form
paragraphs.

Decisions:
    * The first level-1 heading outside lists and quotes is the TITLE when the
      front matter has no ``title`` key; other headings are HEADING.
    * GFM table cells are TABLE_CELL blocks (header cells included).
    * A tag attribute's kind comes from its name (see
      :func:`translate.formats.tags.attribute_kind`): ``caption`` is a
      CAPTION, ``quote`` a QUOTE, ``headline`` a HEADING, ``alt`` an
      ATTRIBUTE...; the translator comment names the attribute and the tag.
    * A trailing heading ID or attribute list (``## Votes {#votes}``,
      ``## Votes {: .lead}``) stays out of the heading's text.
    * A paragraph wholly in emphasis (``*Photo: Reuters*``) right after an
      image, or after a figure include or shortcode, is a CAPTION.
    * An image alone on its lines gives an ATTRIBUTE block for its alt text.
    * A one-line paragraph such as ``*By Jane Doe | 25 November 2026*`` is a
      BYLINE; its date is a DATE block (see :mod:`translate.bylines`).
    * TOML and JSON front matter: see :mod:`translate.formats.frontmatter`.

Left untouched: fenced and indented code, HTML blocks, link reference
definitions, thematic breaks, front-matter keys not configured, Liquid and
shortcode tags (except configured attributes of includes, plugin tags and
shortcodes standing on lines of their own),
multi-line ``{% highlight %}``/``{% raw %}``/``{% comment %}`` regions and
code-like shortcodes (``{{< highlight >}}`` ... ``{{< /highlight >}}``),
``$$`` math blocks, and any text with no letters once markup is removed.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from translate.article import Block, BlockKind, Parsed, Slot, Span, normalize_space
from translate.bylines import is_byline_text, split_byline
from translate.config import ReadOptions
from translate.formats import frontmatter
from translate.formats.markdown_feed import feed
from translate.formats.markdown_inline import Inline, InlineKind, has_letters, markup_free, protected, scan, shift
from translate.formats.markdown_runs import line_starts, runs
from translate.formats.tags import attribute_kind, attributes

logger = logging.getLogger(__name__)

_CELL_SPLIT = re.compile(r"\\.|\|")
_ATX_MARKER = re.compile(r"#+")
_HEADING_ATTRIBUTES = re.compile(r"[ \t]+\{[#:.][^{}\n]*\}[ \t]*$")
_FIGURE_NAME = re.compile(r"(?i)figure|image|img|photo|picture")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?!\s)(?:(?!\1).)+(?<!\s)\1", re.DOTALL)
_CONTAINERS = {"blockquote_open": BlockKind.QUOTE, "list_item_open": BlockKind.LIST_ITEM}
_KEEPS_IMAGE_STATE = ("paragraph_open", "paragraph_close", "inline")


@cache
def _parser() -> MarkdownIt:
    """CommonMark with GFM tables, block structure only (inline parsing is done here)."""
    return MarkdownIt("commonmark").enable("table").disable("inline")


def parse(source: str, options: ReadOptions, path: str) -> Parsed:
    """Read a Markdown article.

    Args:
        source: the decoded text, with ``"\\n"`` line ends.
        options: which front-matter keys and tag attributes are translated.
        path: the file name, for error messages.

    Returns:
        The translatable blocks in source order, and the language marker
        (None without YAML or TOML front matter).

    Raises:
        InputError: the front matter is malformed.
    """
    front = frontmatter.read(source, options, path)
    body = _Reader(source, options, front)
    return Parsed(blocks=front.blocks + body.read(), marker=front.marker)


class _Reader:
    """Walks markdown-it's block tokens and collects the blocks of the body."""

    def __init__(self, source: str, options: ReadOptions, front: frontmatter.FrontMatter) -> None:
        self.source = source
        self.options = options
        # Same length as the source, line by line.
        self.lines = source.replace("\r", " ").replace("\0", "\ufffd").split("\n")
        self.starts: list[int] = []
        offset = 0
        for line in self.lines:
            self.starts.append(offset)
            offset += len(line) + 1
        # What markdown-it reads: template tags opaque, hidden regions empty.
        self.fed = feed(self.lines, front.line_count)
        self.title_pending = not front.has_title
        self.after_image = False
        self.containers: list[BlockKind] = []
        self.references: dict[str, object] = {}
        self.blocks: list[Block] = []

    def read(self) -> tuple[Block, ...]:
        """Blocks of the body, in source order."""
        env: dict[str, dict[str, object]] = {}
        tokens = _parser().parse("\n".join(self.fed), env)
        self.references = env.get("references", {})
        for index, token in enumerate(tokens):
            if token.type not in _KEEPS_IMAGE_STATE:
                self.after_image = False
            if token.type in _CONTAINERS:
                self.containers.append(_CONTAINERS[token.type])
            elif token.type in ("blockquote_close", "list_item_close"):
                self.containers.pop()
            elif token.type == "heading_open":
                self._heading(token, tokens[index + 1])
            elif token.type == "paragraph_open":
                self._paragraph(token, tokens[index + 1])
            elif token.type == "tr_open":
                self._row(token, _row_contents(tokens, index + 1))
        return tuple(self.blocks)

    # -- locating text ---------------------------------------------------

    def _locate(self, content: str, first: int, atx: bool = False) -> list[Span] | None:
        """Source spans of each content line (prefix and surrounding whitespace left out).

        ``content`` comes from the lines markdown-it read, so it is found on
        those. Inside a template tag that runs over several lines, white space
        around a line is left out too, and a line with nothing else gives no
        span (the tag reads the same without it).
        """
        pieces = []
        for number, part in enumerate(content.split("\n")):
            core = part.strip()
            index = first + number
            if not core or index >= len(self.fed):
                return None
            line = self.fed[index]
            if atx:
                hashes = _ATX_MARKER.search(line)
                after = hashes.end() if hashes else 0
                start = line.find(core, after)
                if start < 0 or line[after:start].strip():
                    return None
            else:
                trimmed = line.rstrip()
                if not trimmed.endswith(core):
                    return None
                start = len(trimmed) - len(core)
            source_line = self.lines[index]
            begin, end = min(start, len(source_line)), min(start + len(core), len(source_line))
            while begin < end and source_line[begin].isspace():
                begin += 1
            while end > begin and source_line[end - 1].isspace():
                end -= 1
            if begin < end:
                pieces.append(Span(self.starts[index] + begin, self.starts[index] + end))
        return pieces or None

    def _text(self, pieces: list[Span]) -> str:
        return "\n".join(self.source[piece.start : piece.end] for piece in pieces)

    def _unlocated(self, token: Token) -> None:
        line = token.map[0] + 1 if token.map else "?"
        logger.warning("line %s: cannot find the text of this %s in the source; left untranslated", line, token.type)

    # -- block kinds ------------------------------------------------------

    def _heading(self, opening: Token, inline: Token) -> None:
        if not inline.content.strip() or opening.map is None:
            return
        atx = opening.markup.startswith("#")
        pieces = self._locate(inline.content, opening.map[0], atx=atx)
        if pieces is None:
            self._unlocated(opening)
            return
        pieces = _without_attribute_list(self.source, pieces)
        text = self._text(pieces)
        inlines = scan(text, self.references)
        if not has_letters(markup_free(text, inlines)):
            return
        kind = BlockKind.HEADING
        if opening.tag == "h1" and self.title_pending and not self.containers:
            kind = BlockKind.TITLE
            self.title_pending = False
        self.blocks.append(Block(kind, text, tuple(pieces), protected=protected(inlines)))

    def _paragraph(self, opening: Token, inline: Token) -> None:
        if opening.map is None:
            return
        pieces = self._locate(inline.content, opening.map[0])
        if pieces is None:
            self._unlocated(opening)
            return
        text = self._text(pieces)
        inlines = scan(text, self.references)
        inline_starts = [inline.span.start for inline in inlines]
        starts = line_starts(text)
        for run in runs(text, inlines, starts):
            within = inlines[bisect.bisect_left(inline_starts, run.start) : bisect.bisect_left(inline_starts, run.end)]
            if run.prose:
                self._prose(pieces[run.first : run.last + 1], shift(within, run.start, run.end))
            else:
                self._figures(_Lines(text, pieces, starts), within)

    def _prose(self, pieces: list[Span], inlines: list[Inline]) -> None:
        """A paragraph, list item, quote or caption made of prose lines."""
        text = self._text(pieces)
        after_image, self.after_image = self.after_image, False
        if not has_letters(markup_free(text, inlines)):
            return
        kind = self.containers[-1] if self.containers else BlockKind.PARAGRAPH
        if after_image and _emphasised(text):
            kind = BlockKind.CAPTION
        block = Block(kind, text, tuple(pieces), protected=protected(inlines))
        if kind is BlockKind.PARAGRAPH and len(pieces) == 1 and is_byline_text(text):
            self.blocks.extend(split_byline(block, self.source, "markdown"))
            return
        self.blocks.append(block)

    def _figures(self, lines: _Lines, inlines: list[Inline]) -> None:
        """Alt texts of images and configured attributes of tags on a run of non-prose lines."""
        self.after_image = False
        for inline in inlines:
            if inline.kind is InlineKind.IMAGE and inline.label is not None:
                self.after_image = True
                self._add_value(lines, inline.label, BlockKind.ATTRIBUTE, "alt text of an image")
            elif inline.kind is InlineKind.TEMPLATE and inline.tag is not None:
                tag = inline.tag
                if _FIGURE_NAME.search(tag.label):
                    self.after_image = True
                for attribute in attributes(lines.text, tag):
                    if attribute.name not in self.options.tag_attributes or attribute.escaped:
                        continue
                    comment = f"{attribute.name} of {tag.label}"
                    self._add_value(lines, attribute.value, attribute_kind(attribute.name), comment, Slot.TAG_ATTRIBUTE)

    def _add_value(self, lines: _Lines, span: Span, kind: BlockKind, comment: str, slot: Slot = Slot.RAW) -> None:
        """A one-piece block for ``span`` of a paragraph's text.

        An alt text must not cross lines; a tag attribute may (its value is
        then the source characters, indentation of later lines included).
        """
        value = lines.text[span.start : span.end]
        inlines = scan(value, self.references)
        if not has_letters(markup_free(value, inlines)):
            return
        piece = Span(lines.source_offset(span.start), lines.source_offset(span.end))
        if "\n" in value:
            source_value = self.source[piece.start : piece.end]
            if slot is not Slot.TAG_ATTRIBUTE or normalize_space(source_value) != normalize_space(value):
                return
            value, inlines = source_value, scan(source_value, self.references)
        self.blocks.append(Block(kind, value, (piece,), slot=slot, comment=comment, protected=protected(inlines)))

    def _row(self, opening: Token, contents: list[str]) -> None:
        """TABLE_CELL blocks for the cells of one table row."""
        if opening.map is None:
            return
        index = opening.map[0]
        fed = self.fed[index]
        for content, piece in zip(contents, _cells(fed, self.starts[index])):
            if not content.strip():
                continue
            text = self.source[piece.start : piece.end]
            seen = fed[piece.start - self.starts[index] : piece.end - self.starts[index]]
            if seen.replace("\\|", "|") != content.strip():
                logger.warning("line %d: cannot find a table cell in the source; left untranslated", index + 1)
                continue
            inlines = scan(text, self.references)
            if has_letters(markup_free(text, inlines)):
                self.blocks.append(Block(BlockKind.TABLE_CELL, text, (piece,), protected=protected(inlines)))


@dataclass(frozen=True)
class _Lines:
    """A paragraph's text with the source span and text offset of each of its lines."""

    text: str
    pieces: list[Span]
    starts: list[int]

    def source_offset(self, offset: int) -> int:
        """The source offset of an offset in ``text``."""
        line = bisect.bisect_right(self.starts, offset) - 1
        return self.pieces[line].start + offset - self.starts[line]


def _row_contents(tokens: list[Token], index: int) -> list[str]:
    """The cell contents of the table row whose tokens start at ``index``."""
    contents = []
    while index < len(tokens) and tokens[index].type != "tr_close":
        if tokens[index].type == "inline":
            contents.append(tokens[index].content)
        index += 1
    return contents


def _without_attribute_list(source: str, pieces: list[Span]) -> list[Span]:
    """A heading's pieces with a trailing ``{#id}`` or ``{: .class}`` left out of the last one."""
    last = pieces[-1]
    found = _HEADING_ATTRIBUTES.search(source, last.start, last.end)
    if found is None or found.start() == last.start:
        return pieces
    return [*pieces[:-1], Span(last.start, found.start())]


def _emphasised(text: str) -> bool:
    """Whether the whole of ``text`` is one emphasis: ``*Photo: Reuters*``."""
    return _EMPHASIS.fullmatch(text) is not None


def _cells(line: str, line_start: int) -> list[Span]:
    """Source spans of the cells of a table row line (pipes escaped with ``\\`` stay in cells)."""
    bounds = [-1] + [match.start() for match in _CELL_SPLIT.finditer(line) if match.group() == "|"] + [len(line)]
    segments = [(bounds[index] + 1, bounds[index + 1]) for index in range(len(bounds) - 1)]
    if len(segments) > 1 and not line[segments[0][0] : segments[0][1]].strip(" \t>"):
        segments = segments[1:]
    if len(segments) > 1 and not line[segments[-1][0] : segments[-1][1]].strip():
        segments = segments[:-1]
    cells = []
    for number, (start, end) in enumerate(segments):
        segment = line[start:end]
        stripped = segment.lstrip(" \t>" if number == 0 else None)
        lead = start + len(segment) - len(stripped)
        cells.append(Span(line_start + lead, line_start + lead + len(stripped.rstrip())))
    return cells
