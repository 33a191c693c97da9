"""Turn block text into safe HTML: escape everything, let back only the source's own inline markup."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

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


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: dict[str, set[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.setdefault(tag, set()).update(name for name, _ in attrs)

    handle_startendtag = handle_starttag


def markup_of(fragment: str) -> dict[str, set[str]]:
    """Tag names and attribute names used in an HTML fragment."""
    collector = _TagCollector()
    collector.feed(fragment)
    collector.close()
    return collector.tags


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


_UNSAFE_LINK = re.compile(r"(\]\(\s*<?|\]:\s*<?|<)\s*(?:javascript|data|vbscript)\s*:", re.IGNORECASE)


def safe_markdown(source: str, text: str, fmt: str) -> str:
    """``text`` (from a block of format ``fmt``) made safe to put into a Markdown page.

    Raw HTML keeps only the tags and attributes that ``source`` used (HTML
    articles come out as cleaned HTML, which Markdown passes through); plain
    text has its ``<`` and ``&`` escaped; links and autolinks to
    ``javascript:``, ``data:`` or ``vbscript:`` URLs are made inert.
    """
    if fmt == "html":
        return clean(text, allowed_markup(source))
    if fmt == "markdown":
        if "<" in text:
            text = clean(text, allowed_markup(source)).replace("&gt;", ">").replace("&amp;", "&")
        return _UNSAFE_LINK.sub(lambda m: m.group(1) + "unsafe-", text)
    return text.replace("&", "&amp;").replace("<", "&lt;")
