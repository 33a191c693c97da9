"""Markup on new pages: only harmless inline markup of the source itself, in HTML and Markdown.

Translations reach the editions already checked against their source sentence
(:mod:`translate.safety`). The bilingual editions and the Markdown edition
converted from plain text or HTML are pages the article never was, so they
also hold the source itself to an allow-list: the inline elements of
:data:`SAFE_TAGS` with their listed attributes, that the source sentence
used, and links with a safe URL. Everything else is dropped (tags) or
escaped (text).

HTML goes through nh3 (Ammonia). Markdown keeps its syntax: raw HTML in it
is held to the same allow-list with the tokenizer of
:mod:`translate.safety.html_markup`, links and images to safe URLs, template
tags to the source's; plain text (and the text of HTML converted to
Markdown) is escaped so Markdown shows it as written.
"""

from __future__ import annotations

import html
import re

from translate.article import Span
from translate.formats.markdown_inline import InlineKind, scan
from translate.safety.html_markup import Piece, Shape, pieces, plain_tag
from translate.safety.markdown_markup import MarkdownMarkup, carry_markdown_links, escape_templates, markdown_markup, masked_text, template_spans
from translate.safety.urls import SRCSET_ATTRIBUTES, URL_ATTRIBUTES, html_url, is_safe_url, markdown_url, scheme

#: Inline elements that may come back at all, and their attributes.
SAFE_TAGS: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title", "hreflang"}),
    "abbr": frozenset({"title"}),
    "b": frozenset(),
    "bdi": frozenset(),
    "br": frozenset(),
    "cite": frozenset(),
    "code": frozenset(),
    "em": frozenset(),
    "i": frozenset(),
    "mark": frozenset(),
    "q": frozenset(),
    "s": frozenset(),
    "small": frozenset(),
    "span": frozenset({"lang", "title"}),
    "strong": frozenset(),
    "sub": frozenset(),
    "sup": frozenset(),
    "u": frozenset(),
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<])")
_MARKDOWN_TEXT_SPECIALS = re.compile(r"([\\`*_\[\]])")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_TEMPLATE_OPENER = re.compile(r"\{(?=[{%:])")
_LINE_START = re.compile(r"^(\s*)([#>+=|-]|\d{1,9}(?=[.)]))")


def markup_of(fragment: str) -> dict[str, set[str]]:
    """Tag names and attribute names used in an HTML fragment (tags in raw text included)."""
    tags: dict[str, set[str]] = {}
    for piece in pieces(fragment):
        if piece.tag is not None and not piece.tag.end_tag:
            tags.setdefault(piece.tag.name, set()).update(a.name for a in piece.tag.attributes)
    return tags


def allowed_markup(source_fragment: str) -> dict[str, set[str]]:
    """The markup a fragment may contain: what the source had, within :data:`SAFE_TAGS`."""
    return {tag: set(attrs) & SAFE_TAGS[tag] for tag, attrs in markup_of(source_fragment).items() if tag in SAFE_TAGS}


def clean(fragment: str, allowed: dict[str, set[str]]) -> str:
    """``fragment`` with every tag and attribute outside ``allowed`` removed (their text escaped)."""
    import nh3

    attributes: dict[str, set[str]] = {tag: attrs for tag, attrs in allowed.items() if attrs}
    attributes["*"] = set()  # no attribute on every tag (nh3 would allow lang and title)
    return nh3.clean(
        fragment,
        tags=set(allowed),
        attributes=attributes,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
        clean_content_tags={"script", "style"},
    )


def source_html(text: str, fmt: str) -> str:
    """HTML of a source fragment in format ``fmt`` (``html``, ``markdown``, ``text`` or a decoded value)."""
    if fmt == "html":
        return text
    if fmt == "markdown":
        from markdown_it import MarkdownIt

        return MarkdownIt("commonmark", {"html": False}).renderInline(text)
    return html.escape(text, quote=False)


def safe_pair(source: str, translation: str, fmt: str) -> tuple[str, str]:
    """Safe HTML for a source fragment and its translation.

    Both are converted from ``fmt`` and cleaned; the translation may only use
    tags and attributes that the source fragment used.
    """
    source_markup = source_html(source, fmt)
    allowed = allowed_markup(source_markup) if fmt in ("html", "markdown") else {}
    if fmt not in ("html", "markdown"):
        return source_markup, source_html(translation, fmt)
    return clean(source_markup, allowed), clean(source_html(translation, fmt), allowed)


def inert_templates(fragment: str) -> str:
    """An HTML fragment with every template opener (``{{``, ``{%``, ``{:``) written ``&#123;…``.

    A page put on a Jekyll or Hugo site must not run Liquid or shortcodes
    from the article's text; browsers show ``&#123;`` as ``{`` in text and
    attribute values alike.
    """
    return _TEMPLATE_OPENER.sub("&#123;", fragment)


def escape_text(text: str) -> str:
    """Plain text written so that Markdown shows it as it is (one line), and no template engine reads it."""
    line = " ".join(text.split())
    line = _INLINE_SPECIALS.sub(r"\\\1", line)
    line = _ENTITY_LIKE.sub(r"\\&", line)
    line = _TEMPLATE_OPENER.sub("&#123;", line)
    return escape_line_start(line)


def escape_line_start(line: str) -> str:
    """A backslash before a ``#``, ``>``, ``-``... or ``1.`` that would start a block construct."""
    match = _LINE_START.match(line)
    if match:
        marker = match.group(2)
        if marker[0].isdigit():
            return line[: match.end()] + "\\" + line[match.end() :]
        return line[: match.start(2)] + "\\" + line[match.start(2) :]
    return line


def html_to_markdown(fragment: str, source: str) -> str:
    """An HTML fragment as Markdown: the source's safe inline tags kept, its text escaped for Markdown.

    Tags pass through as raw HTML (CommonMark and kramdown keep inline HTML);
    the text between them has Markdown's specials escaped, so that
    ``[x](javascript:...)`` written as text stays text. Character references
    stay as they are: Markdown decodes them to literal characters.
    """
    cleaned = clean(fragment, allowed_markup(source))
    out: list[str] = []
    position = 0
    for piece in pieces(cleaned):
        out.append(markdown_text(cleaned[position : piece.span.start]))
        out.append(cleaned[piece.span.start : piece.span.end])
        position = piece.span.end
    out.append(markdown_text(cleaned[position:]))
    return escape_line_start("".join(out))


def markdown_text(text: str) -> str:
    """Text between HTML tags, written so that Markdown shows it as it is and no template engine reads it."""
    return _TEMPLATE_OPENER.sub("&#123;", _MARKDOWN_TEXT_SPECIALS.sub(r"\\\1", text))


def _page_tag(piece: Piece, allowed: dict[str, set[str]]) -> str:
    """A tag of Markdown's raw HTML on a new page: written plainly within the allow-list, else dropped."""
    tag = piece.tag
    if tag is None or piece.whole or piece.leading or tag.name not in allowed:
        return ""
    if tag.end_tag:
        return f"</{tag.name}>"
    kept: list[tuple[str, str | None]] = []
    for attribute in tag.attributes:
        if attribute.name not in allowed[tag.name] or any(name == attribute.name for name, _ in kept):
            continue
        value = html.unescape(attribute.value) if attribute.value_span is not None else None
        if attribute.name in URL_ATTRIBUTES and not is_safe_url(html_url(attribute.value)):
            continue
        if attribute.name in SRCSET_ATTRIBUTES:
            continue
        kept.append((attribute.name, value))
    return plain_tag(Shape(tag.name, tuple(kept)), tag.self_closing)


def _safe_autolinks(text: str) -> list[Span]:
    """Autolinks (``<https://…>``, ``<desk@example.com>``) to http, https or mailto: Markdown, not HTML."""
    found = []
    for inline in scan(text):
        if inline.kind is InlineKind.AUTOLINK:
            url = markdown_url(text[inline.span.start : inline.span.end])
            if scheme(url) in URL_SCHEMES or (scheme(url) is None and "@" in url):
                found.append(inline.span)
    return found


def page_markdown(source: str, text: str) -> str:
    """Markdown text (a source block or its translation) as a new page may show it.

    Template tags only as the source wrote them (kramdown attribute lists
    not at all); raw HTML within :data:`SAFE_TAGS` and the source's own tags
    and attributes, anything else dropped; links and autolinks to safe URLs
    only, images only from safe URLs the source has.
    """
    text, _ = escape_templates(source, text, attribute_lists=False)
    allowed = allowed_markup(masked_text(source, template_spans(source)))
    masked = masked_text(text, template_spans(text) + _safe_autolinks(text))
    out: list[str] = []
    position = 0
    for piece in pieces(text, masked):
        out.append(text[position : piece.span.start])
        out.append(_page_tag(piece, allowed))
        position = piece.span.end
    out.append(text[position:])
    source_markup = markdown_markup(source, {})
    safe_urls = MarkdownMarkup(source_markup.templates, frozenset(u for u in source_markup.urls if is_safe_url(u)), frozenset())
    return carry_markdown_links("".join(out), safe_urls, {})[0]


def safe_markdown(source: str, text: str, fmt: str) -> str:
    """``text`` (from a block of format ``fmt``) as Markdown a new page may hold.

    HTML comes out as Markdown with the source's safe inline tags
    (:func:`html_to_markdown`), Markdown held to the page's allow-list
    (:func:`page_markdown`), plain text escaped (:func:`escape_text`).
    """
    if fmt == "html":
        return html_to_markdown(text, source)
    if fmt == "markdown":
        return page_markdown(source, text)
    return escape_text(text)


def plain_value(text: str) -> str:
    """Text for a front-matter value of a new page: without tags, template tags or Markdown links.

    Themes print such values in titles, ``<meta>`` tags and lists, often
    unescaped and sometimes through Markdown, so nothing in them may read as
    markup. Removing a tag can make its neighbours form a new one
    (``<<b>img …>``): the removal is repeated until nothing changes.
    """
    from translate.formats.tags import find_tags

    while True:
        kept: list[str] = []
        position = 0
        spans = sorted([piece.span for piece in pieces(text)] + [tag.span for tag in find_tags(text)])
        for span in spans:
            if span.start >= position:
                kept.append(text[position : span.start])
                position = span.end
        kept.append(text[position:])
        cleaned = _TEMPLATE_OPENER.sub("{ ", "".join(kept)).replace("](", "] (")
        cleaned = " ".join(cleaned.split())
        if cleaned == text:
            return cleaned
        text = cleaned
