"""Markdown and template markup in a translation: links, images, autolinks, template tags.

What a translation of Markdown text may bring back, besides the HTML its
source sentence had (:mod:`translate.safety.html_markup`):

- template tags (Liquid ``{{ }}``/``{% %}``, Hugo shortcodes, kramdown
  attribute lists ``{: }``) only as the source wrote them; any other opener
  gets its ``{`` written ``&#123;``, which Markdown and HTML show as ``{``
  and no template engine reads (Jekyll runs Liquid before Markdown, even in
  code spans);
- links and autolinks to a URL of the source sentence, or to a safe URL
  (relative, ``http``, ``https``, ``mailto``) once decoded as CommonMark
  renderers decode it (backslash escapes, character references); images
  only from the source's URLs (an image is a request). Anything else gets
  its opening bracket escaped (``\\[``), so it reads as the text it is;
- a link reference definition (``[label]: url`` at the start of a line)
  only as the source wrote it.

Code spans get no special treatment: renderers disagree about where one ends
(an escaped tag can free a backquote), so HTML and links inside them are
checked like anywhere else. At worst a tag a translator added inside code
shows as ``&lt;b>``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from markdown_it.common.utils import normalizeReference

from translate.article import Span, normalize_space
from translate.formats.markdown_inline import Inline, InlineKind, scan
from translate.formats.tags import TagKind, find_tags
from translate.safety.html_markup import carry_html, markup_of
from translate.safety.urls import is_safe_url, markdown_url

_OPENER = re.compile(r"\{(?=[{%:])")
_DEFINITION = re.compile(r"(?m)^ {0,3}(\[(?:[^\[\]\\\n]|\\.)+\]:)")
_DESTINATION = re.compile(r"<(?:[^<>\n\\]|\\.)*>|\S*")


@dataclass(frozen=True)
class MarkdownMarkup:
    """What a Markdown source sentence has beyond HTML.

    Attributes:
        templates: its template tags as written (and with white space collapsed).
        urls: the decoded URLs of its links, images and autolinks.
        definitions: the link reference definition openers (``[label]:``) it has.
    """

    templates: frozenset[str]
    urls: frozenset[str]
    definitions: frozenset[str]


def references_of(document: str) -> dict[str, str]:
    """Link reference definitions of a Markdown document: normalised label -> decoded URL.

    Every definition counts, whatever its URL (markdown-it would drop a
    ``javascript:`` one; kramdown and others keep it).
    """
    from markdown_it import MarkdownIt
    from mdurl import decode

    parser = MarkdownIt("commonmark")
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    env: dict = {}
    parser.parse(document, env)
    return {label: markdown_url(decode(found.get("href", ""))) for label, found in env.get("references", {}).items()}


def escape_templates(source: str, translation: str, *, attribute_lists: bool = True) -> tuple[str, list[str]]:
    """The translation with template tags its source has not made inert.

    Args:
        attribute_lists: kramdown attribute lists (``{: .class}``) of the
            source may come back too; a new page takes none (they set any
            attribute, ``onclick`` included, on the element before them).
    """
    allowed = {
        written
        for tag in find_tags(source)
        if attribute_lists or tag.kind is not TagKind.KRAMDOWN
        for written in _forms(source[tag.span.start : tag.span.end])
    }
    kept = [tag.span for tag in find_tags(translation) if tag.kind is TagKind.MATH or translation[tag.span.start : tag.span.end] in allowed or normalize_space(translation[tag.span.start : tag.span.end]) in allowed]
    out: list[str] = []
    escaped: list[str] = []
    position = 0
    for match in _OPENER.finditer(translation):
        start = match.start()
        if any(span.start <= start < span.end for span in kept):
            continue
        out.append(translation[position:start])
        out.append("&#123;")
        escaped.append(translation[start : start + 2])
        position = start + 1
    out.append(translation[position:])
    return "".join(out), escaped


def _forms(written: str) -> tuple[str, str]:
    return written, normalize_space(written)


def link_url(text: str, inline: Inline, references: Mapping[str, str]) -> str | None:
    """The decoded URL of a link, image or autolink found by :func:`scan`."""
    if inline.kind is InlineKind.AUTOLINK:
        return markdown_url(text[inline.span.start : inline.span.end])
    if inline.label is None:
        return None
    tail = text[inline.label.end + 1 : inline.span.end]
    label = text[inline.label.start : inline.label.end]
    if tail.startswith("("):
        match = _DESTINATION.match(tail[1:-1].strip())
        return markdown_url(match.group() if match else "")
    if tail.startswith("[") and len(tail) > 2:
        label = tail[1:-1]
    return references.get(normalizeReference(label))


def markdown_markup(source: str, references: Mapping[str, str]) -> MarkdownMarkup:
    """The Markdown markup of a source sentence."""
    urls = set()
    for inline in scan(source, references):
        if inline.kind in (InlineKind.LINK, InlineKind.IMAGE, InlineKind.AUTOLINK):
            url = link_url(source, inline, references)
            if url is not None:
                urls.add(url)
    templates = frozenset(form for tag in find_tags(source) for form in _forms(source[tag.span.start : tag.span.end]))
    definitions = frozenset(match.group(1) for match in _DEFINITION.finditer(source))
    return MarkdownMarkup(templates, frozenset(urls), definitions)


def masked_text(text: str, spans: list[Span]) -> str:
    """``text`` with ``spans`` overwritten by letters (same length), hidden from the HTML tokenizer."""
    parts: list[str] = []
    position = 0
    for span in sorted(spans):
        if span.end <= position:
            continue
        start = max(span.start, position)
        parts.append(text[position:start])
        parts.append("x" * (span.end - start))
        position = span.end
    parts.append(text[position:])
    return "".join(parts)


def template_spans(text: str) -> list[Span]:
    """Where template tags lie: not HTML, whatever characters they hold."""
    return [tag.span for tag in find_tags(text)]


def _unsafe_links(text: str, allowed: MarkdownMarkup, references: Mapping[str, str], strict: bool = False) -> dict[int, tuple[int, str]]:
    """Edits that make inert each link, image, autolink and definition the source has not.

    Code spans are not trusted to hide a link (renderers disagree about
    where they end): backquotes are ignored while looking for links.
    """
    edits: dict[int, tuple[int, str]] = {}
    for inline in scan(text.replace("`", "'"), references):
        if inline.kind not in (InlineKind.LINK, InlineKind.IMAGE, InlineKind.AUTOLINK):
            continue
        url = link_url(text, inline, references)
        if url is None or url in allowed.urls or (not strict and inline.kind is InlineKind.LINK and is_safe_url(url)):
            continue
        start = inline.span.start
        if inline.kind is InlineKind.AUTOLINK:
            edits[start] = (start + 1, "&lt;")
        else:
            bracket = start + (1 if inline.kind is InlineKind.IMAGE else 0)
            edits[bracket] = (bracket, "\\")
    for match in _DEFINITION.finditer(text):
        if match.group(1) not in allowed.definitions:
            edits[match.start(1)] = (match.start(1), "\\")
    return edits


def _apply(text: str, edits: dict[int, tuple[int, str]]) -> str:
    out: list[str] = []
    position = 0
    for start in sorted(edits):
        end, replacement = edits[start]
        out.append(text[position:start])
        out.append(replacement)
        position = end
    out.append(text[position:])
    return "".join(out)


def carry_markdown(
    source: str, translation: str, references: Mapping[str, str], inside: str | None = None, *, strict: bool = False
) -> tuple[str, list[str]]:
    """The translation of a Markdown sentence with markup its source has not made inert.

    Template tags first, then HTML (everywhere, code spans included: a tag
    the source has not is escaped even there, so that safety does not hang on
    where a renderer ends a code span), then links until none is left that
    the source has not: escaping one bracket can make another pair up.

    Args:
        inside: the raw-text element the sentence starts in (see
            :func:`translate.safety.html_markup.open_raw_text`).
        strict: links only to the source's URLs (plain-text values).

    Returns:
        The safe translation and the markup that was escaped.

    Raises:
        UnsafeMarkup: see :func:`translate.safety.html_markup.carry_html`.
    """
    text, escaped = escape_templates(source, translation)
    html_allowed = markup_of(source, masked_text(source, template_spans(source)), inside)
    text, found = carry_html(html_allowed, text, masked_text(text, template_spans(text)), inside)
    escaped.extend(found)
    text, found = carry_markdown_links(text, markdown_markup(source, references), references, strict=strict)
    escaped.extend(found)
    return text, escaped


def carry_markdown_links(text: str, allowed: MarkdownMarkup, references: Mapping[str, str], *, strict: bool = False) -> tuple[str, list[str]]:
    """``text`` with every link, image, autolink and definition ``allowed`` has not made inert.

    Repeated until none is left: escaping one bracket can make another pair up
    (``[a [b](javascript:x)](y)``). ``strict``: links only to ``allowed.urls``.
    """
    escaped: list[str] = []
    while edits := _unsafe_links(text, allowed, references, strict):
        escaped.extend(text[start : start + 40] for start in edits)
        text = _apply(text, edits)
    return text, escaped


def carry_document_links(source: str, published: str, references: Mapping[str, str]) -> tuple[str, list[str]]:
    """A published Markdown document with links its source document has not made inert.

    Each sentence was checked on its own; this checks them where they stand.
    A translated image description is written between the source's ``![``
    and ``](url)``, where a ``]`` it brings would close the image early and
    turn what follows into its URL. Links to the source document's URLs and
    to safe URLs stay, so a document whose translations keep to the rule
    comes out unchanged.
    """
    document = markdown_markup(source, references)
    allowed = MarkdownMarkup(frozenset(), document.urls, document.definitions)
    return carry_markdown_links(published, allowed, references)
