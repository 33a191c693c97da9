"""Inline Markdown constructs inside a block: code spans, links, images, HTML, template tags.

Sentences must not end inside any of them, and a block made only of them is
not prose. The scan follows CommonMark's precedence (code spans and angle
brackets before links; a link cannot contain another link) closely enough
for that purpose, and is linear in the length of the text: the next closing
backtick run is found through an index, and every regular expression is
anchored at a candidate position and made of possessive parts that stop at
the next delimiter.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Container
from dataclasses import dataclass
from enum import StrEnum

from markdown_it.common.utils import normalizeReference

from translate.article import Span
from translate.formats.tags import Tag, find_tags
from translate.patterns import Finder

_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_SPECIAL = re.compile(r"[\\`<!\[\]]")
_BACKTICKS = re.compile(r"`+")
_INLINE_TAIL = re.compile(
    r"""\(\s*+"""
    r"""(?:<[^<>\n\\]*+(?:\\.[^<>\n\\]*+)*+>"""
    r"""|(?:[^\s()\\]++|\\.|\((?:[^\s()\\]++|\\.)*+\))*+)"""
    r"""(?:\s++(?:"[^"\\]*+(?:\\.[^"\\]*+)*+"|'[^'\\]*+(?:\\.[^'\\]*+)*+'|\([^()\\]*+(?:\\.[^()\\]*+)*+\)))?+"""
    r"""\s*+\)""",
    re.DOTALL,
)
_REFERENCE_TAIL = re.compile(r"\[([^\[\]\\]*+(?:\\.[^\[\]\\]*+)*+)\]", re.DOTALL)
_AUTOLINK = re.compile(
    r"<[A-Za-z][A-Za-z0-9+.-]{1,31}+:[^\s<>]*+>"
    r"|<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]++@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>"
)
_HTML_TAG = re.compile(
    r"""<[A-Za-z][A-Za-z0-9-]*+"""
    r"""(?:\s++[A-Za-z_:][A-Za-z0-9_.:-]*+(?:\s*+=\s*+(?:[^\s"'=<>`]++|'[^']*+'|"[^"]*+"))?+)*+"""
    r"""\s*+/?>"""
    r"""|</[A-Za-z][A-Za-z0-9-]*+\s*+>"""
)
_HTML_SPECIAL = (("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>"), ("<!", ">"))
_URL = re.compile(r"(?<![\w+.-])(?:[A-Za-z][\w+.-]*+://|www\.)\S++")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_LABEL_MAX = 999


class InlineKind(StrEnum):
    """What an inline construct is."""

    CODE = "code"
    LINK = "link"
    IMAGE = "image"
    AUTOLINK = "autolink"
    HTML = "html"
    TEMPLATE = "template"
    FOOTNOTE = "footnote"


@dataclass(frozen=True)
class Inline:
    """One inline construct of a block's text.

    Attributes:
        kind: code span, link, image, template tag...
        span: the whole construct, in the scanned text.
        label: the link text or image alt text (between the brackets).
        tag: the template tag, for ``TEMPLATE``.
    """

    kind: InlineKind
    span: Span
    label: Span | None = None
    tag: Tag | None = None


@dataclass(frozen=True)
class _Opener:
    """An unmatched ``[`` or ``![``."""

    position: int
    image: bool


def scan(text: str, references: Container[str] = ()) -> list[Inline]:
    """All inline constructs of ``text``, ordered by start (outer before inner).

    Args:
        text: the text of a block.
        references: normalised labels of the document's link reference
            definitions (``[text][ref]`` and ``[ref]`` are links only then).
    """
    tags = find_tags(text)
    found = [Inline(InlineKind.TEMPLATE, tag.span, tag=tag) for tag in tags]
    found.extend(_Scanner(_mask(text, tags), references).run())
    found.sort(key=lambda inline: (inline.span.start, -inline.span.end))
    return found


def _mask(text: str, tags: list[Tag]) -> str:
    """``text`` with every template tag overwritten by neutral letters of the same length."""
    parts: list[str] = []
    position = 0
    for tag in tags:
        parts.append(text[position : tag.span.start])
        parts.append("x" * len(tag.span))
        position = tag.span.end
    parts.append(text[position:])
    return "".join(parts)


class _Scanner:
    """One left-to-right pass over a text whose template tags are masked."""

    def __init__(self, text: str, references: Container[str]) -> None:
        self.text = text
        self.references = references
        self.found: list[Inline] = []
        self.openers: list[_Opener] = []
        self.inactive_before = -1
        self.finders: dict[str, Finder] = {}
        self.runs: dict[int, list[int]] = {}
        for match in _BACKTICKS.finditer(text):
            self.runs.setdefault(len(match.group()), []).append(match.start())

    def run(self) -> list[Inline]:
        """Scan the whole text and return the constructs found."""
        text = self.text
        position = 0
        while (special := _SPECIAL.search(text, position)) is not None:
            start = special.start()
            char = text[start]
            if char == "\\":
                position = start + 2 if text[start + 1 : start + 2] in _ASCII_PUNCTUATION else start + 1
            elif char == "`":
                position = self._code(start)
            elif char == "<":
                position = self._angle(start)
            elif char == "!":
                if text.startswith("![", start):
                    self.openers.append(_Opener(start, image=True))
                    position = start + 2
                else:
                    position = start + 1
            elif char == "[":
                self.openers.append(_Opener(start, image=False))
                position = start + 1
            else:
                position = self._close_bracket(start)
        return self.found

    def _code(self, start: int) -> int:
        """A code span opening at ``start``, or a literal backtick run."""
        length = len(_BACKTICKS.match(self.text, start).group())  # type: ignore[union-attr]
        after = start + length
        starts = self.runs.get(length, [])
        index = bisect.bisect_left(starts, after)
        if index == len(starts):
            return after
        end = starts[index] + length
        self.found.append(Inline(InlineKind.CODE, Span(start, end)))
        return end

    def _angle(self, start: int) -> int:
        """An autolink, HTML tag or comment opening at ``start``."""
        text = self.text
        match = _AUTOLINK.match(text, start)
        if match is not None:
            self.found.append(Inline(InlineKind.AUTOLINK, Span(start, match.end())))
            return match.end()
        for opening, closing in _HTML_SPECIAL:
            if text.startswith(opening, start):
                finder = self.finders.setdefault(closing, Finder(text, re.compile(re.escape(closing))))
                found = finder.next(start + len(opening))
                if found is None:
                    return start + 1
                self.found.append(Inline(InlineKind.HTML, Span(start, found.end())))
                return found.end()
        match = _HTML_TAG.match(text, start)
        if match is None:
            return start + 1
        self.found.append(Inline(InlineKind.HTML, Span(start, match.end())))
        return match.end()

    def _close_bracket(self, start: int) -> int:
        """A ``]``: close the innermost opener as a link, image or footnote if it is one."""
        if not self.openers:
            return start + 1
        opener = self.openers.pop()
        if not opener.image and opener.position < self.inactive_before:
            return start + 1
        label = Span(opener.position + (2 if opener.image else 1), start)
        label_text = self.text[label.start : label.end]
        if not opener.image and _is_footnote(label_text):
            self.found.append(Inline(InlineKind.FOOTNOTE, Span(opener.position, start + 1)))
            return start + 1
        end = self._link_end(start + 1, label_text)
        if end is None:
            return start + 1
        kind = InlineKind.IMAGE if opener.image else InlineKind.LINK
        self.found.append(Inline(kind, Span(opener.position, end), label=label))
        if not opener.image:
            self.inactive_before = opener.position
        return end

    def _link_end(self, after: int, label: str) -> int | None:
        """Where a link whose text ends just before ``after`` ends, or None if it is no link."""
        match = _INLINE_TAIL.match(self.text, after)
        if match is not None:
            return match.end()
        match = _REFERENCE_TAIL.match(self.text, after)
        if match is not None and len(match.group(1)) <= _LABEL_MAX:
            reference = match.group(1) or label
            return match.end() if self._defined(reference) else None
        return after if self._defined(label) else None

    def _defined(self, label: str) -> bool:
        """Whether ``label`` names a link reference definition of the document."""
        return 0 < len(label) <= _LABEL_MAX and normalizeReference(label) in self.references


def _is_footnote(label: str) -> bool:
    """Whether a bracketed label is a footnote reference such as ``^1`` or ``^note``."""
    return len(label) > 1 and label[0] == "^" and not any(char.isspace() for char in label)


def protected(inlines: list[Inline]) -> tuple[Span, ...]:
    """The outermost construct spans, sorted: where no sentence may end."""
    spans: list[Span] = []
    reach = -1
    for inline in sorted(inlines, key=lambda item: (item.span.start, -item.span.end)):
        if inline.span.start >= reach:
            spans.append(inline.span)
            reach = inline.span.end
    return tuple(spans)


def shift(inlines: list[Inline], start: int, end: int) -> list[Inline]:
    """The constructs lying within ``[start, end)``, moved so that ``start`` becomes 0."""
    moved = []
    for inline in inlines:
        if inline.span.start >= start and inline.span.end <= end:
            label = inline.label and Span(inline.label.start - start, inline.label.end - start)
            span = Span(inline.span.start - start, inline.span.end - start)
            moved.append(Inline(inline.kind, span, label, inline.tag))
    return moved


def markup_free(text: str, inlines: list[Inline]) -> str:
    """``text`` with markup blanked out (same length): what is left is what readers read.

    Code, images, HTML, template tags, footnote marks, link destinations, bare
    URLs and character references become spaces; the text of links stays.
    """
    removed: list[Span] = []
    for inline in inlines:
        if inline.kind is InlineKind.LINK and inline.label is not None:
            removed.append(Span(inline.span.start, inline.label.start))
            removed.append(Span(inline.label.end, inline.span.end))
        else:
            removed.append(inline.span)
    removed.sort()
    parts: list[str] = []
    position = 0
    for span in removed:
        if span.start > position:
            parts.append(text[position : span.start])
            position = span.start
        if span.end > position:
            parts.append(" " * (span.end - position))
            position = span.end
    parts.append(text[position:])
    kept = "".join(parts)
    kept = _URL.sub(lambda match: " " * len(match.group()), kept)
    return _ENTITY.sub(lambda match: " " * len(match.group()), kept)


def has_letters(text: str) -> bool:
    """Whether ``text`` contains a letter of any script."""
    return any(char.isalpha() for char in text)
