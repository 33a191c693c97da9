"""What the HTML reader knows about elements: which hold blocks, which are never
translated, which are void, and which open and close one another implicitly.

The tables follow the WHATWG HTML standard's content categories and its
tree-construction rules, reduced to what finding translatable text needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from translate.article import BlockKind
from translate.formats.html_tokens import Tag

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
HEAD_ELEMENTS = frozenset(
    {"base", "link", "meta", "noscript", "script", "style", "template", "title"}
)

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


_TABLE_STOPS = frozenset({"table", "html", "template"})
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
SCOPE_BOUNDARIES = frozenset(
    {"applet", "caption", "html", "marquee", "object", "table", "td", "template", "th"}
)


def is_translate_no(tag: Tag) -> bool:
    """Whether the tag opts out of translation (``translate="no"`` or class ``notranslate``)."""
    translate = tag.attribute("translate")
    if translate is not None and translate.value.strip().lower() == "no":
        return True
    classes = tag.attribute("class")
    return classes is not None and "notranslate" in classes.value.split()
