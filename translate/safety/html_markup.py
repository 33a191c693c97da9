"""HTML markup in a translation: what its source sentence had comes back, the rest is text.

The translation is split with the same tokenizer the HTML reader uses
(:mod:`translate.formats.html_tokens`, after the WHATWG tokenization states,
so a tag is a tag exactly where a browser sees one). Each tag, comment or
raw-text element (``<style>…</style>``, ``<title>…</title>`` and the like,
taken whole with its content) is then

- kept as written when the source sentence has it character for character;
- written again in a plain form (``<a href="…">``) when it has the name and
  the attribute names of one of the source's tags, and every attribute value
  is the source's, except text meant for readers (``title``, ``alt``…) and a
  link's ``href`` pointing to a safe URL (see :mod:`translate.safety.urls`);
- otherwise escaped (its ``<`` becomes ``&lt;``), so readers see what the
  translator typed and the browser sees text.

Text between tags is never changed: the tokenizer says where markup starts,
and everything else is text to a browser too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from translate.article import Span, normalize_space
from translate.formats.html_tokens import ESCAPABLE_RAW_TEXT_ELEMENTS, RAW_TEXT_ELEMENTS, Markup, Tag, Text, tokenize
from translate.safety.urls import LINK_ATTRIBUTES, browser_url, is_safe_url

#: Elements whose content is not markup: taken whole, with their content and end tag.
WHOLE_ELEMENTS = RAW_TEXT_ELEMENTS | ESCAPABLE_RAW_TEXT_ELEMENTS | {"plaintext"}

#: Attributes whose value is text for readers: a translation may change it.
TEXT_ATTRIBUTES = frozenset({"title", "alt", "aria-label", "aria-description", "placeholder", "label", "abbr"})


class UnsafeMarkup(ValueError):
    """A translation cannot be made safe by escaping; ``markup`` is what it added."""

    def __init__(self, message: str, markup: str) -> None:
        super().__init__(message)
        self.markup = markup


@dataclass(frozen=True)
class Shape:
    """A start tag of the source: its name and attribute values (decoded), in order."""

    name: str
    attributes: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class HtmlMarkup:
    """The markup of a source fragment.

    Attributes:
        raw: every tag, comment and whole raw-text element as written (also
            with its white space collapsed, as msgids show it).
        shapes: the start tags, by element name.
        names: the names of all elements that have a start or end tag.
    """

    raw: frozenset[str]
    shapes: dict[str, tuple[Shape, ...]]
    names: frozenset[str]


@dataclass(frozen=True)
class Piece:
    """One markup item of a text: a tag, a comment or a whole raw-text element.

    Attributes:
        span: where it lies in the text.
        tag: the tag, for a tag or a whole element (its start tag).
        whole: a raw-text element taken with its content and end tag.
        closed: for a whole element, whether its end tag is in the text.
        leading: the text up to the end tag of the raw-text element it starts in.
    """

    span: Span
    tag: Tag | None = None
    whole: bool = False
    closed: bool = False
    leading: bool = False


def pieces(text: str, masked: str | None = None, inside: str | None = None) -> Iterator[Piece]:
    """The markup items of ``text`` in order.

    Args:
        text: the fragment.
        masked: ``text`` with regions that are not HTML (Markdown code spans,
            template tags) overwritten by letters of the same length.
        inside: the raw-text element (``style``...) the text starts in: what
            comes before its end tag is one leading piece.
    """
    scanned = masked if masked is not None else text
    offset = 0
    if inside is not None:
        found = re.compile(r"</" + re.escape(inside) + r"[\t\n\f\r />]", re.IGNORECASE).search(scanned)
        close = scanned.find(">", found.end() - 1) if found else -1
        offset = len(scanned) if close == -1 else close + 1
        yield Piece(Span(0, offset), leading=True)
    tokens = [_shift(token, offset) for token in tokenize(scanned[offset:])]
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if isinstance(token, Text):
            continue
        if isinstance(token, Markup):
            yield Piece(token.span)
            continue
        if token.end_tag or token.name not in WHOLE_ELEMENTS:
            yield Piece(token.span, token)
            continue
        end = token.span.end
        if index < len(tokens) and isinstance(tokens[index], Text):
            end = tokens[index].span.end
            index += 1
        closed = index < len(tokens) and isinstance(tokens[index], Tag) and tokens[index].end_tag and tokens[index].name == token.name  # type: ignore[union-attr]
        if closed:
            end = tokens[index].span.end
            index += 1
        yield Piece(Span(token.span.start, end), token, whole=True, closed=closed)


def _shift(token: Tag | Text | Markup, offset: int) -> Tag | Text | Markup:
    if not offset:
        return token
    span = Span(token.span.start + offset, token.span.end + offset)
    if isinstance(token, Tag):
        return Tag(token.name, span, token.end_tag, token.attributes, token.self_closing)
    return type(token)(span)


def open_raw_text(text: str) -> str | None:
    """The raw-text element (``style``, ``script``...) that ``text`` leaves open, if any.

    Title and textarea do not count: character references work in them, so
    an escaped ``<`` is text there as everywhere else.
    """
    left_open = None
    for piece in pieces(text):
        if piece.whole and piece.tag is not None:
            left_open = None if piece.closed or piece.tag.name in ESCAPABLE_RAW_TEXT_ELEMENTS else piece.tag.name
    return left_open


def markup_of(source: str, masked: str | None = None, inside: str | None = None) -> HtmlMarkup:
    """The markup a source fragment has (see :func:`pieces` for the arguments)."""
    raw: set[str] = set()
    shapes: dict[str, list[Shape]] = {}
    names: set[str] = set()
    for piece in pieces(source, masked, inside):
        written = source[piece.span.start : piece.span.end]
        raw.update((written, normalize_space(written)))
        if piece.tag is None:
            continue
        names.add(piece.tag.name)
        if not piece.tag.end_tag and not piece.whole:
            shapes.setdefault(piece.tag.name, []).append(_shape(piece.tag))
    return HtmlMarkup(frozenset(raw), {name: tuple(found) for name, found in shapes.items()}, frozenset(names))


def _shape(tag: Tag) -> Shape:
    return Shape(tag.name, tuple((a.name, html.unescape(a.value) if a.value_span is not None else None) for a in tag.attributes))


def escape(markup: str) -> str:
    """Markup made text: every ``<`` written as ``&lt;``."""
    return markup.replace("<", "&lt;")


def carry_tag(tag: Tag, written: str, source: HtmlMarkup) -> str | None:
    """A translation's tag as it may be published, ``None`` when its source has no such tag."""
    if written in source.raw or normalize_space(written) in source.raw:
        return written
    if tag.end_tag:
        return f"</{tag.name}>" if tag.name in source.names else None
    for shape in source.shapes.get(tag.name, ()):
        if _fits(_shape(tag), shape):
            return plain_tag(_shape(tag), tag.self_closing)
    return None


def _fits(tag: Shape, source: Shape) -> bool:
    """Whether a start tag has the source tag's attributes with values it may have."""
    names = [name for name, _ in tag.attributes]
    if len(set(names)) != len(names) or sorted(names) != sorted(name for name, _ in source.attributes):
        return False
    values = dict(source.attributes)
    for name, value in tag.attributes:
        if value == values[name] or name in TEXT_ATTRIBUTES:
            continue
        if name in LINK_ATTRIBUTES and value is not None and is_safe_url(browser_url(value)):
            continue
        return False
    return True


def plain_tag(shape: Shape, self_closing: bool = False) -> str:
    """A start tag written plainly: lowercase names, double-quoted escaped values."""
    parts = [shape.name]
    for name, value in shape.attributes:
        parts.append(name if value is None else f'{name}="{html.escape(value, quote=True)}"')
    return "<" + " ".join(parts) + (" />" if self_closing else ">")


def carry_html(allowed: HtmlMarkup, translation: str, masked: str | None = None, inside: str | None = None) -> tuple[str, list[str]]:
    """The translation with markup its source has not escaped.

    Args:
        allowed: the source sentence's markup (:func:`markup_of`).
        translation: its translation.
        masked: the translation with regions that are not HTML masked (see
            :func:`pieces`); offsets are the same as in the translation.
        inside: the raw-text element the sentence starts in (see :func:`open_raw_text`).

    Returns:
        The safe translation and the markup that was escaped.

    Raises:
        UnsafeMarkup: the translation starts inside a raw-text element (its
            source sentence does) and changes what comes before the end tag:
            escaping cannot help there.
    """
    out: list[str] = []
    escaped: list[str] = []
    position = 0
    for piece in pieces(translation, masked, inside):
        written = translation[piece.span.start : piece.span.end]
        if piece.tag is not None and not piece.whole:
            kept = carry_tag(piece.tag, written, allowed)
        else:
            kept = written if written in allowed.raw or normalize_space(written) in allowed.raw else None
            if kept is None and piece.leading:
                raise UnsafeMarkup(f"changes the content of the <{inside}> element the sentence starts in", written)
        out.append(translation[position : piece.span.start])
        if kept is None:
            escaped.append(written)
            kept = escape(written)
        out.append(kept)
        position = piece.span.end
    out.append(translation[position:])
    return "".join(out), escaped
