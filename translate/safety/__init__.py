"""What a translation may carry into a published file: the one rule every edition follows.

A translation may bring back only the markup its source sentence had: the same
tags with the same attributes, the same template tags, links to the source's
URLs or to safe ones (relative, ``http``, ``https``, ``mailto``, judged after
decoding as browsers and Markdown renderers decode). :func:`carry_back` applies
it to one sentence, for the syntax its text is written in:

========================  ===================================================
syntax                    what happens to markup the source has not
========================  ===================================================
``HTML``                  escaped: readers see it as text (HTML articles)
``MARKDOWN``              escaped: ``&lt;``, ``\\[``, ``&#123;`` (Markdown
                          articles, Liquid/shortcode string arguments)
``VALUE``                 refused: a front-matter or attribute value (``alt``,
                          ``<meta content>``) is plain text; a theme may print
                          it unescaped, a template engine reads it wherever it is
``TEXT``                  nothing to do: a plain-text file is not rendered
                          (editions made from it escape every character)
========================  ===================================================

A sentence whose text becomes a front-matter value in some edition (a
title) is also checked as a ``VALUE``, with its markup stripped as the
edition strips it. A translation equal to its source comes back unchanged.

:func:`translate.publish.translate_blocks` calls this for every translated
sentence and turns a refusal into a one-line error naming the catalog and
the entry's line. New pages (bilingual editions, Markdown converted from
text and HTML) additionally keep only harmless inline markup of the source
itself (:mod:`translate.editions.sanitize`).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from translate.article import Block, BlockKind, Slot, normalize_space
from translate.safety.html_markup import UnsafeMarkup, carry_html, markup_of, open_raw_text
from translate.safety.markdown_markup import carry_markdown, escape_templates, masked_text, template_spans

__all__ = ["Carried", "Syntax", "UnsafeMarkup", "becomes_value", "carry_back", "open_raw_text", "plain_text", "refuse_markup", "syntax_of"]


class Syntax(StrEnum):
    """How a block's text is read where it is published."""

    TEXT = "text"
    HTML = "html"
    MARKDOWN = "markdown"
    VALUE = "value"


@dataclass(frozen=True)
class Carried:
    """A translation as it may be published.

    Attributes:
        text: the safe text.
        escaped: the markup that was made text (empty when nothing was).
    """

    text: str
    escaped: tuple[str, ...] = ()


def syntax_of(block: Block, article_format: str) -> Syntax:
    """The syntax of a block's text: by its slot, else by its article's format."""
    if block.slot in (Slot.YAML, Slot.HTML_ATTRIBUTE):
        return Syntax.VALUE
    if block.slot is Slot.TAG_ATTRIBUTE or article_format == "markdown":
        return Syntax.MARKDOWN
    return Syntax.HTML if article_format == "html" else Syntax.TEXT


def becomes_value(block: Block, article_format: str) -> bool:
    """Whether a block's text is, or becomes in some edition, a plain-text value.

    Front-matter and attribute values are; so is the title of a plain-text or
    HTML article, which the converted Markdown edition writes as ``title:``.
    """
    if block.slot in (Slot.YAML, Slot.HTML_ATTRIBUTE):
        return True
    return block.kind is BlockKind.TITLE and article_format != "markdown"


def plain_text(text: str, syntax: Syntax) -> str:
    """Text as an edition writes it into a front-matter value: HTML tags stripped and decoded."""
    if syntax is Syntax.HTML:
        from translate.formats.html_tokens import Text, tokenize

        text = html.unescape("".join(text[t.span.start : t.span.end] for t in tokenize(text) if isinstance(t, Text)))
    return " ".join(text.split())


def refuse_markup(source: str, translation: str) -> str:
    """A plain-text value's translation, if it has no markup its source value has not.

    Markup is read the most permissive way a theme might print the value:
    as HTML, as Markdown, through a template engine (Jekyll runs Liquid over
    a whole HTML page, attribute values included).

    Raises:
        UnsafeMarkup: the translation adds markup.
    """
    carried, escaped = carry_markdown(source, translation, {}, strict=True)
    if escaped:
        raise UnsafeMarkup("adds markup to plain text (a title or front-matter value)", escaped[0])
    return carried


def carry_back(
    source: str,
    translation: str,
    syntax: Syntax,
    *,
    value: bool = False,
    references: Mapping[str, str] | None = None,
    inside: str | None = None,
) -> Carried:
    """A sentence's translation as it may be published.

    Args:
        source: the source sentence (its characters in the article).
        translation: the translation from the catalog.
        syntax: how the text is read where it is published.
        value: the text also becomes a front-matter value (see :func:`becomes_value`).
        references: a Markdown article's link reference definitions
            (:func:`translate.safety.markdown_markup.references_of`).
        inside: the raw-text element (``style``...) the sentence starts in,
            left open by the text before it in its block (:func:`open_raw_text`):
            what comes before its end tag must stay as the source wrote it.

    Raises:
        UnsafeMarkup: a value whose translation adds markup, or a sentence
            whose markup cannot be made inert by escaping.
    """
    if translation in (source, normalize_space(source)):
        return Carried(translation)
    escaped: list[str] = []
    text = translation
    if syntax is Syntax.HTML:
        text, escaped = escape_templates(source, translation)
        allowed = markup_of(source, masked_text(source, template_spans(source)), inside)
        text, found = carry_html(allowed, text, masked_text(text, template_spans(text)), inside)
        escaped.extend(found)
    elif syntax is Syntax.MARKDOWN:
        text, escaped = carry_markdown(source, translation, references or {}, inside)
    elif syntax is Syntax.VALUE:
        text = refuse_markup(source, translation)
    if value and syntax is not Syntax.VALUE:
        refuse_markup(plain_text(source, syntax), plain_text(text, syntax))
    return Carried(text, tuple(dict.fromkeys(escaped)))
