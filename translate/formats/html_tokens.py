"""Split HTML source into tokens that know their exact character offsets.

A small tokenizer after the WHATWG HTML standard's tokenization states: text,
start and end tags (with the offsets of each attribute value), comments and
other markup (doctype, CDATA, processing instructions, bogus comments), and the
raw text of elements such as ``<script>`` and ``<title>`` whose content is not
markup. Every character of the source belongs to exactly one token, so the
tokens can be laid back end to end to give the source again.

The standard library's ``html.parser`` reports where a token starts but neither
where an end tag ends nor where an attribute value lies, and its handling of
raw text changes between Python releases; exact offsets need a tokenizer of
our own. Everything here is linear in the length of the source.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.entities import html5 as _HTML5_ENTITIES

from translate.article import Span

#: HTML's whitespace characters (the standard's "ASCII whitespace").
WHITESPACE = " \t\n\r\f"

#: Elements whose content is raw text: no tags, no character references.
RAW_TEXT_ELEMENTS = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "noscript"})

#: Elements whose content is text with character references but no tags.
ESCAPABLE_RAW_TEXT_ELEMENTS = frozenset({"title", "textarea"})

_TAG_NAME = re.compile(r"[A-Za-z][^\t\n\f\r />]*")
_ATTRIBUTE = re.compile(
    r"[\t\n\f\r /]*"
    r"(?:(?P<name>[^\t\n\f\r />][^\t\n\f\r /=>]*)"
    r"(?:[\t\n\f\r ]*=[\t\n\f\r ]*"
    r"(?:\"(?P<double>[^\"]*)\"|'(?P<single>[^']*)'|(?P<bare>[^\t\n\f\r >\"'][^\t\n\f\r >]*)|))?)?"
)
_RAW_TEXT_CLOSE = {
    name: re.compile(r"</" + name + r"[\t\n\f\r />]", re.IGNORECASE)
    for name in RAW_TEXT_ELEMENTS | ESCAPABLE_RAW_TEXT_ELEMENTS
}
_COMMENT_END = re.compile(r"--!?>")
_CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9A-Fa-f]+;?|[A-Za-z][A-Za-z0-9]*;?)")


@dataclass(frozen=True)
class Attribute:
    """One attribute of a tag.

    Attributes:
        name: the attribute name, lowercased.
        value: the raw value as written (character references not decoded);
            ``""`` for an attribute without a value.
        value_span: where the value lies in the source: between its quotes,
            or the value characters themselves when unquoted; ``None`` for an
            attribute without ``=``.
        quoted: whether the value is enclosed in quotes.
    """

    name: str
    value: str
    value_span: Span | None
    quoted: bool


@dataclass(frozen=True)
class Tag:
    """A start or end tag, from its ``<`` to its ``>`` inclusive.

    Attributes:
        name: the tag name, lowercased.
        span: where the whole tag lies in the source.
        end_tag: whether it is an end tag (``</p>``).
        attributes: attributes in source order, duplicates included.
        self_closing: whether the tag ends with ``/>``.
    """

    name: str
    span: Span
    end_tag: bool = False
    attributes: tuple[Attribute, ...] = ()
    self_closing: bool = False

    def attribute(self, name: str) -> Attribute | None:
        """The first attribute called ``name`` (lowercase), as browsers use it."""
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        return None


@dataclass(frozen=True)
class Text:
    """Character data: text between tags, or the content of a raw-text element."""

    span: Span


@dataclass(frozen=True)
class Markup:
    """Markup that is neither text nor a tag: a comment, doctype, CDATA section,
    processing instruction, stray ``</>`` or a tag left unterminated at the end."""

    span: Span


Token = Tag | Text | Markup


def character_references(source: str, span: Span) -> Iterator[Span]:
    """Yield the character references (``&amp;``, ``&#160;``...) within ``span`` of ``source``.

    A named reference counts when it ends with ``;`` or is one of the legacy
    names that browsers accept without it (``&amp``, ``&copy``...).
    """
    for match in _CHARACTER_REFERENCE.finditer(source, span.start, span.end):
        reference = match.group()
        if reference.endswith(";") or reference[1] == "#" or reference[1:] in _HTML5_ENTITIES:
            yield Span(match.start(), match.end())


def _never_foreign() -> bool:
    return False


def tokenize(source: str, in_foreign: Callable[[], bool] = _never_foreign) -> Iterator[Token]:
    """Yield the tokens of ``source`` in order; together they cover every character.

    Args:
        source: the HTML text.
        in_foreign: tells whether the tree built from the tokens so far has
            SVG or MathML content open. As in the standard, the tree decides:
            there ``<style>`` holds markup and ``<![CDATA[`` opens a CDATA
            section. It is asked after the consumer has handled the last token.
    """
    position = 0
    length = len(source)
    while position < length:
        text_end, token = _next_markup(source, position, in_foreign())
        if text_end > position:
            yield Text(Span(position, text_end))
        if token is None:
            return
        yield token
        position = token.span.end
        if isinstance(token, Tag) and not token.end_tag and not in_foreign():
            raw_end = _raw_text_end(source, token.name, position)
            if raw_end > position:
                yield Text(Span(position, raw_end))
                position = raw_end


def _raw_text_end(source: str, name: str, start: int) -> int:
    """Where the raw text of an element opened just before ``start`` ends."""
    if name == "plaintext":
        return len(source)
    if name not in RAW_TEXT_ELEMENTS and name not in ESCAPABLE_RAW_TEXT_ELEMENTS:
        return start
    match = _RAW_TEXT_CLOSE[name].search(source, start)
    return match.start() if match else len(source)


def _next_markup(source: str, start: int, foreign: bool) -> tuple[int, Token | None]:
    """Find the first markup token at or after ``start``.

    Returns where the text before it ends and the token (``None`` when the
    rest of the source is text). A ``<`` that starts no markup is text.
    """
    position = start
    while True:
        lt = source.find("<", position)
        if lt == -1:
            return len(source), None
        token = _markup_at(source, lt, foreign)
        if token is not None:
            return lt, token
        position = lt + 1


def _markup_at(source: str, lt: int, foreign: bool) -> Token | None:
    """The markup token that starts with the ``<`` at ``lt``, or ``None`` for a literal ``<``."""
    following = source[lt + 1 : lt + 2]
    if following == "!":
        return _declaration(source, lt, foreign)
    if following == "?":
        return Markup(Span(lt, _after(source, ">", lt + 2)))
    if following == "/":
        return _end_tag(source, lt)
    if following.isascii() and following.isalpha():
        return _tag(source, lt, lt + 1, end_tag=False)
    return None


def _declaration(source: str, lt: int, foreign: bool) -> Markup:
    """A comment, CDATA section (in foreign content) or doctype/bogus comment at ``lt``."""
    if source.startswith("<!--", lt):
        body = lt + 4
        if source.startswith(">", body):
            return Markup(Span(lt, body + 1))
        if source.startswith("->", body):
            return Markup(Span(lt, body + 2))
        match = _COMMENT_END.search(source, body)
        return Markup(Span(lt, match.end() if match else len(source)))
    if foreign and source.startswith("<![CDATA[", lt):
        return Markup(Span(lt, _after(source, "]]>", lt + 9)))
    return Markup(Span(lt, _after(source, ">", lt + 2)))


def _end_tag(source: str, lt: int) -> Token:
    """The end tag, ``</>`` or bogus comment that starts with ``</`` at ``lt``."""
    following = source[lt + 2 : lt + 3]
    if following == ">":
        return Markup(Span(lt, lt + 3))
    if following.isascii() and following.isalpha():
        return _tag(source, lt, lt + 2, end_tag=True)
    return Markup(Span(lt, _after(source, ">", lt + 2)))


def _tag(source: str, lt: int, name_start: int, *, end_tag: bool) -> Token:
    """Read the tag whose name starts at ``name_start``; unterminated tags become Markup."""
    name_match = _TAG_NAME.match(source, name_start)
    assert name_match is not None  # the caller checked for a letter
    position = name_match.end()
    attributes: list[Attribute] = []
    length = len(source)
    bare_value_end = -1
    while True:
        match = _ATTRIBUTE.match(source, position)
        assert match is not None  # every part of the pattern is optional
        if match.group("name") is not None:
            attributes.append(_attribute(match))
        if match.group("bare") is not None:
            bare_value_end = match.end("bare")
        position = match.end()
        if position >= length:
            return Markup(Span(lt, length))
        if source[position] == ">":
            break
    return Tag(
        name=name_match.group().lower(),
        span=Span(lt, position + 1),
        end_tag=end_tag,
        attributes=tuple(attributes),
        # In <a href=x/> the slash belongs to the unquoted value.
        self_closing=source[position - 1] == "/" and bare_value_end != position,
    )


def _attribute(match: re.Match[str]) -> Attribute:
    """Build an Attribute from a match of ``_ATTRIBUTE``."""
    name = match.group("name").lower()
    for group, quoted in (("double", True), ("single", True), ("bare", False)):
        value = match.group(group)
        if value is not None:
            return Attribute(name, value, Span(match.start(group), match.end(group)), quoted)
    if match.group().rstrip(WHITESPACE).endswith("="):
        end = match.end()
        return Attribute(name, "", Span(end, end), quoted=False)
    return Attribute(name, "", None, quoted=False)


def _after(source: str, needle: str, start: int) -> int:
    """The offset just past the first ``needle`` at or after ``start``, else the end."""
    found = source.find(needle, start)
    return len(source) if found == -1 else found + len(needle)
