"""What the HTML reader knows about elements: which hold blocks, which are never
translated, which are void, which open and close one another implicitly, and
which attribute values are blocks of their own.

The tables follow the WHATWG HTML standard's content categories and its
tree-construction rules, reduced to what finding translatable text needs.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from translate.article import Block, BlockKind, LanguageMarker, MarkerSyntax, Slot, Span
from translate.formats.html_tokens import Attribute, Tag

#: Elements without content or end tag.
VOID_ELEMENTS = frozenset(
    {
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr",
        "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
    }
)  # fmt: skip

#: Elements that are not inline: each starts and ends a run of inline text, so
#: their direct text and the text of their children are separate blocks.
BLOCK_ELEMENTS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "button", "caption",
        "center", "col", "colgroup", "datalist", "dd", "details", "dialog", "dir",
        "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup",
        "hr", "html", "label", "legend", "li", "listing", "main", "menu", "nav",
        "ol", "optgroup", "option", "p", "pre", "search", "section", "select",
        "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul",
        # Not prose: their content (or they themselves) must not join a sentence.
        "base", "iframe", "link", "meta", "noembed", "noframes", "noscript", "object",
        "plaintext", "script", "style", "template", "textarea", "xmp",
    }
)  # fmt: skip

#: Elements whose content is never translated. Block-level ones are skipped
#: whole; inline ones stay inside the sentence around them, protected.
NEVER_TRANSLATED = frozenset(
    {
        "script", "style", "pre", "listing", "xmp", "plaintext", "textarea",
        "template", "svg", "math", "noscript", "noembed", "noframes", "iframe",
        "object", "code", "kbd", "samp", "var",
    }
)  # fmt: skip

#: Elements whose own attributes are never translated (they are not shown).
HIDDEN_ELEMENTS = frozenset({"base", "link", "meta", "script", "style", "template"})

#: Inline elements that are line-break opportunities rather than content: they
#: do not start or end a block's text.
BREAKS = frozenset({"br", "wbr"})

#: The kind of text each element holds; others take their parent's kind, and
#: text outside all of these is a paragraph.
KINDS = {
    "title": BlockKind.TITLE,
    **{f"h{level}": BlockKind.HEADING for level in range(1, 7)},
    "li": BlockKind.LIST_ITEM,
    "dt": BlockKind.LIST_ITEM,
    "dd": BlockKind.LIST_ITEM,
    "blockquote": BlockKind.QUOTE,
    "figcaption": BlockKind.CAPTION,
    "caption": BlockKind.CAPTION,
    "legend": BlockKind.CAPTION,
    "td": BlockKind.TABLE_CELL,
    "th": BlockKind.TABLE_CELL,
}

#: ``<meta>`` names (or ``property`` values) whose ``content`` is translated.
META_NAMES = frozenset(
    {
        "description", "og:title", "og:description", "og:image:alt",
        "twitter:title", "twitter:description", "twitter:image:alt",
    }
)  # fmt: skip

#: Elements that may stay in ``<head>``; any other start tag ends the head.
HEAD_ELEMENTS = frozenset({"base", "link", "meta", "noscript", "script", "style", "template", "title"})

#: Start tags that close an open ``<p>`` (the standard's list, plus list items).
CLOSES_P = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "details", "dialog",
        "dir", "div", "dl", "dd", "dt", "fieldset", "figcaption", "figure", "footer",
        "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li",
        "listing", "main", "menu", "nav", "ol", "p", "plaintext", "pre", "search",
        "section", "summary", "table", "ul", "xmp",
    }
)  # fmt: skip

#: Elements that start SVG or MathML content.
FOREIGN_ELEMENTS = frozenset({"svg", "math"})

#: SVG and MathML elements whose children are HTML again.
INTEGRATION_POINTS = frozenset({"foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext", "annotation-xml"})

#: HTML start tags that end SVG or MathML content left open.
FOREIGN_BREAKOUT = frozenset(
    {
        "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl",
        "dt", "em", "embed", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i",
        "img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s",
        "small", "span", "strike", "strong", "sub", "sup", "table", "tt", "u", "ul", "var",
    }
)  # fmt: skip

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@dataclass(frozen=True)
class Closing:
    """Which open elements a start tag closes, and where the search stops.

    Attributes:
        closes: the open elements that the new one ends implicitly (``<li>``
            ends an open ``<li>``).
        stops: elements at which the search down the stack of open elements
            gives up (a ``<li>`` in a nested list does not end the outer
            list's item).
    """

    closes: frozenset[str]
    stops: frozenset[str]


#: Elements that bound the search for an open table part (the standard's table scope).
TABLE_SCOPE = frozenset({"table", "html", "template"})
TABLE_PARTS = frozenset({"caption", "table", "tbody", "td", "tfoot", "th", "thead", "tr"})
_TABLE_STOPS = TABLE_SCOPE
_LIST_STOPS = frozenset(
    {"ul", "ol", "menu", "dir", "dl", "table", "td", "th", "blockquote", "section",
     "article", "aside", "nav", "figure", "html", "body", "template", "details"}
)  # fmt: skip

#: Implied end tags, after the standard's tree-construction rules.
IMPLIED_CLOSINGS = {
    "li": Closing(frozenset({"li"}), _LIST_STOPS),
    "dt": Closing(frozenset({"dt", "dd"}), _LIST_STOPS),
    "dd": Closing(frozenset({"dt", "dd"}), _LIST_STOPS),
    "td": Closing(frozenset({"td", "th"}), _TABLE_STOPS | {"tr"}),
    "th": Closing(frozenset({"td", "th"}), _TABLE_STOPS | {"tr"}),
    "tr": Closing(frozenset({"tr", "td", "th", "caption"}), _TABLE_STOPS | {"thead", "tbody", "tfoot"}),
    "thead": Closing(frozenset({"thead", "tbody", "tfoot", "tr", "td", "th", "caption"}), _TABLE_STOPS),
    "tbody": Closing(frozenset({"thead", "tbody", "tfoot", "tr", "td", "th", "caption"}), _TABLE_STOPS),
    "tfoot": Closing(frozenset({"thead", "tbody", "tfoot", "tr", "td", "th", "caption"}), _TABLE_STOPS),
    "option": Closing(frozenset({"option"}), frozenset({"select", "datalist", "optgroup"})),
    "optgroup": Closing(frozenset({"option", "optgroup"}), frozenset({"select", "datalist"})),
}

#: Elements that bound the search for the element an end tag closes.
SCOPE_BOUNDARIES = frozenset({"applet", "caption", "html", "marquee", "object", "table", "td", "template", "th"})


@dataclass(frozen=True)
class Element:
    """An open element and what it means for the content inside it.

    Attributes:
        name: the tag name.
        block: whether it is block-level (its content is cut off from the
            text around it).
        kind: the kind of text inside it.
        owner: the innermost block-level element it is in (or itself).
        skipped: its content is never translated and not part of any block.
        protect_from: inside an inline element that is never translated, the
            offset where the outermost such element starts.
        foreign: it is an SVG or MathML element.
    """

    name: str
    block: bool
    kind: BlockKind
    owner: str
    skipped: bool = False
    protect_from: int | None = None
    foreign: bool = False

    @property
    def holds_foreign(self) -> bool:
        """Whether its children are SVG or MathML elements."""
        return self.foreign and self.name not in INTEGRATION_POINTS


#: What stands for the document itself, below every open element.
ROOT = Element(name="", block=True, kind=BlockKind.PARAGRAPH, owner="")


def open_element(tag: Tag, parent: Element) -> Element:
    """What the element that ``tag`` starts inside ``parent`` means for its content."""
    name = tag.name
    block = name in BLOCK_ELEMENTS and not parent.holds_foreign
    never = name in NEVER_TRANSLATED or is_translate_no(tag)
    if block:
        protect_from = None
    elif parent.protect_from is not None:
        protect_from = parent.protect_from
    else:
        protect_from = tag.span.start if never else None
    return Element(
        name=name,
        block=block,
        kind=KINDS.get(name, parent.kind),
        owner=name if block else parent.owner,
        skipped=parent.skipped or (block and (never or parent.protect_from is not None)),
        protect_from=protect_from,
        foreign=parent.holds_foreign or name in FOREIGN_ELEMENTS,
    )


def is_translate_no(tag: Tag) -> bool:
    """Whether the tag opts out of translation (``translate="no"`` or class ``notranslate``)."""
    translate = tag.attribute("translate")
    if translate is not None and translate.value.strip().lower() == "no":
        return True
    classes = tag.attribute("class")
    return classes is not None and "notranslate" in classes.value.split()


def has_letters(text: str) -> bool:
    """Whether ``text`` holds a letter or digit of any script."""
    return any(character.isalnum() for character in text)


def attribute_block(attribute: Attribute, comment: str) -> list[Block]:
    """The block for an attribute value, or none when it holds no letters or digits."""
    if attribute.value_span is None:
        return []
    text = html.unescape(attribute.value)
    if not has_letters(text):
        return []
    return [
        Block(
            kind=BlockKind.ATTRIBUTE,
            text=text,
            pieces=(attribute.value_span,),
            slot=Slot.HTML_ATTRIBUTE,
            comment=comment,
        )
    ]


def meta_block(tag: Tag) -> list[Block]:
    """The block for the ``content`` of a description or Open Graph ``<meta>``."""
    content = tag.attribute("content")
    if content is None:
        return []
    for key in ("name", "property"):
        attribute = tag.attribute(key)
        if attribute is not None and attribute.value.strip().lower() in META_NAMES:
            return attribute_block(content, f'content of <meta {key}="{attribute.value.strip()}">')
    return []


def language_marker(tag: Tag) -> LanguageMarker:
    """Where ``<html>`` states the language, or where to insert ``lang``.

    An ``xml:lang`` (XHTML) is changed together with ``lang``.
    """
    xml_lang = tag.attribute("xml:lang")
    also = (xml_lang.value_span,) if xml_lang is not None and xml_lang.value_span is not None else ()
    lang = tag.attribute("lang")
    if lang is not None and lang.value_span is not None:
        return LanguageMarker(lang.value_span, "{lang}", MarkerSyntax.HTML, also=also)
    after_name = tag.span.start + len("<html")
    return LanguageMarker(Span(after_name, after_name), ' lang="{lang}"', MarkerSyntax.HTML, also=also)


#: ``class``/``itemprop`` words and ``rel`` values that mark a byline or its date.
#: A word ends at anything but a letter or digit, so that BEM and CSS-module
#: names (``live__byline``, ``Byline_root__x1``) count too.
_BYLINE_WORDS = re.compile(r"(?i)(?<![A-Za-z0-9])(byline|author|dateline|date|entry-date|published|updated|posted-on|timestamp|datePublished|dateModified|dateCreated)(?![A-Za-z0-9])")


def marks_byline(tag: Tag) -> bool:
    """Whether a start tag's ``class``, ``itemprop`` or ``rel`` marks a byline or its date."""
    for name in ("class", "itemprop", "rel"):
        attribute = tag.attribute(name)
        if attribute is not None and _BYLINE_WORDS.search(attribute.value):
            return True
    return False


def relative_spans(spans: list[Span], start: int, end: int) -> tuple[Span, ...]:
    """Clip source spans to ``[start, end)``, shift them to block offsets and merge overlaps."""
    merged: list[Span] = []
    for span in sorted(spans):
        low, high = max(span.start, start) - start, min(span.end, end) - start
        if low >= high:
            continue
        if merged and low < merged[-1].end:
            merged[-1] = Span(merged[-1].start, max(high, merged[-1].end))
        else:
            merged.append(Span(low, high))
    return tuple(merged)
