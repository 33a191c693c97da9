"""Template tags inside Markdown: Liquid (Jekyll), Hugo shortcodes, kramdown attribute lists.

Static-site generators expand these before (or instead of) Markdown, so their
contents are never prose: a reader protects them whole, whatever their layout
(a tag may run over several lines, blank lines and tab-indented lines
included), and takes only the configured string attributes
(``caption="..."``) of includes, plugin tags and shortcodes as text to
translate. All scanning here is linear in the length of the text: every
search for a closing delimiter remembers its answer, so a text full of
unclosed ``{{`` cannot make the scan quadratic.

A construct that runs over several lines is only accepted when nothing in it
suggests a missing closing delimiter: a Liquid tag may not contain another
``{%``, an output tag or shortcode no ``{{`` or ``{%`` (Liquid and Hugo never
nest them; ``{% include {{ page.file }} %}`` is fine), and none a code fence
line. Otherwise an unclosed ``{% include`` would swallow every paragraph up
to the next ``%}``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from translate.article import BlockKind, Span
from translate.patterns import Finder

#: Liquid tags whose body, up to ``{% end<name> %}``, is code or a comment.
LIQUID_CODE_TAGS = ("raw", "comment", "highlight", "codeblock")

#: Hugo shortcodes whose body, up to ``{{< /<name> >}}``, is code or markup.
SHORTCODE_CODE_NAMES = ("highlight", "code", "raw", "mermaid", "math", "katex", "chart")

#: Liquid tags whose ``key="value"`` parameters may hold prose.
LIQUID_INCLUDE_TAGS = ("include", "include_relative", "include_cached")

#: Liquid's own tags (and Jekyll's built-in ones): their parameters are never
#: prose. Any other tag (a plugin's ``{% figure %}``, ``{% pullquote %}``) is
#: read like an include: its configured ``name="value"`` parameters are text.
LIQUID_BUILTIN_TAGS = frozenset(
    (
        "assign", "capture", "case", "when", "else", "elsif", "if", "unless", "for", "break", "continue",
        "cycle", "tablerow", "increment", "decrement", "echo", "liquid", "render", "layout", "block",
        "link", "post_url", "highlight", "raw", "comment", "codeblock", "seo", "feed_meta", "doc", "with",
    )
)

_OPENERS = re.compile(r"\{\{[<%]?|\{%|\{:|\$\$")
_TEMPLATE_OPENER = re.compile(r"\{[{%]")
_LIQUID_OPENER = re.compile(r"\{%")
_NEWLINE = re.compile(r"\n")
_FENCE_LINE = re.compile(r"\n[ \t>]*(?:```|~~~)")
_CLOSERS = {"{{<": ">}}", "{{%": "%}}", "{{": "}}", "{%": "%}", "{:": "}", "$$": "$$"}
_LIQUID_NAME = re.compile(r"\{%-?\s*(\w+)(?:\s+(\{\{[^{}%]*\}\}|[^\s%]+))?")
_SHORTCODE_NAME = re.compile(r"\{\{([<%])\s*+(/?)\s*+([\w./-]+)")
_ATTRIBUTE = re.compile(
    r"""(?<![\w-])([A-Za-z_][\w-]*+)\s*+=\s*+"""
    r"""(?:"([^"\\]*+(?:\\.[^"\\]*+)*+)"|'([^'\\]*+(?:\\.[^'\\]*+)*+)'|`([^`]*+)`)""",
    re.DOTALL,
)
_LINE_PREFIX = r"[ \t>]*"


_CAPTION_NAME = re.compile(r"(?i)caption|cutline|legend")
_QUOTE_NAME = re.compile(r"(?i)quot")
_HEADLINE_NAME = re.compile(r"(?i)headline|hedline|^hed$|^dek$|subtitle")


class TagKind(StrEnum):
    """What kind of template construct a :class:`Tag` is."""

    LIQUID_OUTPUT = "liquid output"
    LIQUID_TAG = "liquid tag"
    SHORTCODE = "shortcode"
    KRAMDOWN = "kramdown attribute list"
    MATH = "math"


@dataclass(frozen=True)
class Tag:
    """One template construct found in a text.

    Attributes:
        kind: Liquid output ``{{ }}``, Liquid tag ``{% %}``, shortcode...
        span: where it lies in the scanned text; for Liquid ``raw``,
            ``comment`` and ``highlight`` it runs to the end tag.
        name: the tag or shortcode name (``include``, ``figure``); empty
            for output tags, attribute lists and math.
        label: how translators are told where an attribute comes from,
            ``{% include figure.html %}`` or ``{{< figure >}}``.
    """

    kind: TagKind
    span: Span
    name: str = ""
    label: str = ""


@dataclass(frozen=True)
class Attribute:
    """A quoted ``name="value"`` parameter of a tag.

    Attributes:
        name: the parameter name.
        value: the characters between the quotes, in the scanned text.
        escaped: whether the value contains a backslash escape (then it is
            not offered for translation, since its text differs from the source).
    """

    name: str
    value: Span
    escaped: bool


def find_tags(text: str) -> list[Tag]:
    """Every template construct of ``text``, in order and not overlapping."""
    finders: dict[str, Finder] = {}
    newline = Finder(text, _NEWLINE)
    nested = {"{%": Finder(text, _LIQUID_OPENER), "{{": Finder(text, _TEMPLATE_OPENER)}
    fence = Finder(text, _FENCE_LINE)
    tags: list[Tag] = []
    position = 0
    while (opener := _OPENERS.search(text, position)) is not None:
        start = opener.start()
        closer = opener.group()
        finder = finders.setdefault(closer, Finder(text, re.compile(re.escape(_CLOSERS[closer]))))
        closing = finder.next(opener.end())
        if closing is None or not _plausible(closer, opener.end(), closing.start(), newline, nested, fence):
            position = start + 1
            continue
        tag = _make_tag(text, closer, Span(start, closing.end()), finders)
        tags.append(tag)
        position = tag.span.end
    return tags


def _plausible(opener: str, inside: int, closing: int, newline: Finder, nested: dict[str, Finder], fence: Finder) -> bool:
    """Whether a construct from ``inside`` to ``closing`` is really closed there.

    One line is always accepted. Over several lines, a kramdown attribute
    list never is; a Liquid tag is unless it holds another ``{%``, an output
    tag or shortcode unless it holds a ``{{`` or ``{%``, and neither if it
    holds a code fence line (signs of an unclosed opener).
    """
    line_end = newline.next(inside)
    if line_end is None or line_end.start() >= closing or opener == "$$":
        return True
    if opener == "{:":
        return False
    for finder in (nested["{%" if opener == "{%" else "{{"], fence):
        found = finder.next(inside)
        if found is not None and found.start() < closing:
            return False
    return True


def _make_tag(text: str, opener: str, span: Span, finders: dict[str, Finder]) -> Tag:
    """Name and label a construct; extend code-like Liquid tags to their end tag."""
    if opener == "{%":
        match = _LIQUID_NAME.match(text, span.start, span.end)
        name = match.group(1) if match else ""
        if name in LIQUID_CODE_TAGS:
            key = "end" + name
            end_tag = re.compile(r"\{%-?\s*" + key + r"\s*-?%\}")
            closing = finders.setdefault(key, Finder(text, end_tag)).next(span.end)
            if closing is not None:
                span = Span(span.start, closing.end())
        target = match.group(2) if match and match.group(2) else ""
        label = f"{{% {name} {target} %}}" if name in LIQUID_INCLUDE_TAGS else f"{{% {name} %}}"
        return Tag(TagKind.LIQUID_TAG, span, name, label)
    if opener in ("{{<", "{{%"):
        match = _SHORTCODE_NAME.match(text, span.start, span.end)
        if match is None:
            return Tag(TagKind.SHORTCODE, span)
        delimiter, closing_slash, name = match.groups()
        mirror = ">" if delimiter == "<" else "%"
        return Tag(TagKind.SHORTCODE, span, closing_slash + name, f"{{{{{delimiter} {name} {mirror}}}}}")
    kinds = {"{{": TagKind.LIQUID_OUTPUT, "{:": TagKind.KRAMDOWN, "$$": TagKind.MATH}
    return Tag(kinds[opener], span)


def has_attributes(tag: Tag) -> bool:
    """Whether ``tag`` takes ``name="value"`` parameters that may hold prose.

    Includes, plugin tags (any Liquid tag that is not one of Liquid's or
    Jekyll's own, nor an ``end...`` tag) and opening shortcodes do.
    """
    if tag.kind is TagKind.LIQUID_TAG:
        if tag.name in LIQUID_INCLUDE_TAGS:
            return True
        return bool(tag.name) and tag.name not in LIQUID_BUILTIN_TAGS and not tag.name.startswith("end")
    return tag.kind is TagKind.SHORTCODE and bool(tag.name) and not tag.name.startswith("/")


def attributes(text: str, tag: Tag) -> list[Attribute]:
    """The quoted parameters of an include, plugin tag or shortcode, in order; none for other tags."""
    if not has_attributes(tag):
        return []
    found = []
    for match in _ATTRIBUTE.finditer(text, tag.span.start, tag.span.end):
        group = next(index for index in (2, 3, 4) if match.group(index) is not None)
        value = Span(match.start(group), match.end(group))
        escaped = group != 4 and "\\" in match.group(group)
        found.append(Attribute(match.group(1), value, escaped))
    return found


def attribute_kind(name: str) -> BlockKind:
    """The kind of block a prose attribute makes, from its name.

    ``caption``, ``cutline``, ``legend`` (and names containing them, such as
    ``photo_caption``) are captions; ``quote``, ``quotation`` are quotes;
    ``headline``, ``hedline``, ``hed``, ``dek``, ``subtitle`` are headings;
    anything else (``alt``, ``title``, ``description``...) is an attribute.
    """
    if _CAPTION_NAME.search(name):
        return BlockKind.CAPTION
    if _QUOTE_NAME.search(name):
        return BlockKind.QUOTE
    if _HEADLINE_NAME.search(name):
        return BlockKind.HEADING
    return BlockKind.ATTRIBUTE


def code_regions(lines: Sequence[str]) -> list[range]:
    """Line ranges of multi-line code-like regions, opening and closing lines included.

    A region opens on a line that starts (after indentation or ``>``) with
    ``{% highlight %}``, ``{% raw %}``, ``{% comment %}`` or a code-like
    shortcode such as ``{{< highlight go >}}``, and closes on the first later
    line holding its end tag. An opener without an end tag opens nothing.
    """
    openers = [
        re.compile(_LINE_PREFIX + r"\{%-?\s*(" + "|".join(LIQUID_CODE_TAGS) + r")\b"),
        re.compile(_LINE_PREFIX + r"\{\{[<%]\s*(" + "|".join(SHORTCODE_CODE_NAMES) + r")\b"),
    ]
    regions: list[range] = []
    no_end_after: dict[str, int] = {}
    index = 0
    while index < len(lines):
        end = _region_end(lines, index, openers, no_end_after)
        if end is None:
            index += 1
            continue
        regions.append(range(index, end + 1))
        index = end + 1
    return regions


def _region_end(
    lines: Sequence[str], index: int, openers: list[re.Pattern[str]], no_end_after: dict[str, int]
) -> int | None:
    """The closing line of a region opening at ``index``, if one opens there."""
    for number, opener in enumerate(openers):
        match = opener.match(lines[index])
        if match is None:
            continue
        name = match.group(1)
        key = f"{number}:{name}"
        if key in no_end_after and no_end_after[key] <= index:
            return None
        if number == 0:
            closer = re.compile(r"\{%-?\s*end" + name + r"\s*-?%\}")
        else:
            closer = re.compile(r"\{\{[<%]\s*/\s*" + name + r"\s*[>%]\}\}")
        if closer.search(lines[index], match.end()):
            return None  # opens and closes on one line: an inline construct
        for later in range(index + 1, len(lines)):
            if closer.search(lines[later]):
                return later
        no_end_after[key] = index
        return None
    return None
