"""Bilingual editions: the English and its translation, block by block.

:func:`pairs` builds the block pairs from :func:`translate.publish.translate_blocks`;
:mod:`translate.editions.html` and :mod:`translate.editions.markdown` lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from translate.article import Article, BlockKind
from translate.errors import ConfigError
from translate.languages import Language
from translate.layout import LayoutKind
from translate.publish import BlockText, PublishOptions, Translated


class Edition(StrEnum):
    """What ``publish`` writes."""

    LOCALIZED = "localized"  # the source format, in the target language
    BILINGUAL = "bilingual"  # English and target language side by side


class EditionFormat(StrEnum):
    """Format of an edition: bilingual HTML or Markdown; a localized article converted to Markdown."""

    HTML = "html"
    MARKDOWN = "md"


@dataclass(frozen=True)
class EditionInfo:
    """What a bilingual page says besides the blocks.

    Attributes:
        title: the English title (the first title block).
        label: the review label, or ``None`` for none.
        date: the article's date written for the target language, if known.
        alternates: ``(hreflang, href)`` of the single-language editions.
        highlight_unreviewed: mark sentences nobody reviewed.
        source_lang: the source language code.
        dates: the byline dates as published, ``(block index, text)``.
    """

    title: str
    label: str | None = None
    date: str | None = None
    date_iso: str | None = None
    alternates: tuple[tuple[str, str], ...] = ()
    highlight_unreviewed: bool = False
    source_lang: str = "en"
    dates: tuple[tuple[int, str], ...] = ()


def pairs(translated: Translated) -> tuple[BlockText, ...]:
    """The blocks that go into a bilingual edition (attribute values such as ``alt`` stay out)."""
    return tuple(b for b in translated.blocks if b.block.kind is not BlockKind.ATTRIBUTE)


def title_of(article: Article) -> str:
    """The article's title: a title block or a ``title`` front-matter key, else its slug."""
    for block in article.blocks:
        if block.kind is BlockKind.TITLE or (block.kind is BlockKind.FRONT_MATTER and block.context == "title"):
            return block.text
    return article.slug


def bilingual_path(article: Article, lang: Language, out_dir: Path, fmt: EditionFormat, source_lang: str = "en") -> Path:
    """``<out_dir>/<slug>.<source>-<lang>.<ext>``, e.g. ``out/story.en-km.html``."""
    return out_dir / f"{article.slug}.{source_lang}-{lang.code}.{fmt.value}"


def render_edition(translated: Translated, fmt: EditionFormat, info: EditionInfo) -> str:
    """The bilingual edition's text."""
    if fmt is EditionFormat.HTML:
        from translate.editions.html import render_html

        return render_html(translated, info)
    from translate.editions.markdown import render_markdown

    return render_markdown(translated, info)


def edition_info(article: Article, translated: Translated, options: PublishOptions, *, highlight_unreviewed: bool = False) -> EditionInfo:
    """Title, review label, localized date and alternate links of an article's bilingual edition."""
    from translate.labels import review_label
    from translate.metadata import article_date, format_date
    from translate.publish import date_texts
    from translate.safety.urls import relative_href

    lang = translated.lang
    label = review_label(lang, translated.reviewed, translated.sentences, options.labels, khmer_digits=options.khmer_digits)
    when = article_date(article)
    alternates = (("en", relative_href(article.path.name)), (lang.code, relative_href(f"{article.slug}.{lang.code}{article.path.suffix}")))
    return EditionInfo(
        title=title_of(article),
        label=label,
        date=format_date(when, lang, options.khmer_digits) if when else None,
        date_iso=when.isoformat() if when else None,
        alternates=alternates,
        highlight_unreviewed=highlight_unreviewed,
        dates=tuple(date_texts(translated, options).items()),
    )


#: The editions ``translate run`` can write, by the name its ``--editions`` option takes.
EDITION_NAMES: dict[str, tuple[Edition, EditionFormat | None]] = {
    "localized": (Edition.LOCALIZED, None),
    "localized-md": (Edition.LOCALIZED, EditionFormat.MARKDOWN),
    "bilingual-html": (Edition.BILINGUAL, EditionFormat.HTML),
    "bilingual-md": (Edition.BILINGUAL, EditionFormat.MARKDOWN),
}


def parse_editions(text: str) -> tuple[tuple[Edition, EditionFormat | None], ...]:
    """``localized,localized-md,bilingual-html`` as (edition, format) pairs, in order, without repeats.

    Raises:
        ConfigError: a name is not one of :data:`EDITION_NAMES`.
    """
    chosen: list[tuple[Edition, EditionFormat | None]] = []
    for name in (part.strip() for part in text.split(",")):
        if name not in EDITION_NAMES:
            raise ConfigError(f"unknown edition {name!r}", hint="choose from " + ", ".join(EDITION_NAMES))
        if EDITION_NAMES[name] not in chosen:
            chosen.append(EDITION_NAMES[name])
    return tuple(chosen)


def translated_title(translated: Translated) -> str:
    """The article's title as published in the target language (markup removed)."""
    from translate.editions.localized_markdown import plain

    for block_text in translated.blocks:
        block = block_text.block
        if block.kind is BlockKind.TITLE or (block.kind is BlockKind.FRONT_MATTER and block.context == "title"):
            return plain(block_text.text, translated.article.format if block.slot.value == "raw" else "text")
    return title_of(translated.article)


def localized_markdown_edition(translated: Translated, options: PublishOptions) -> str:
    """A plain-text or HTML article as a localized Markdown page (see :mod:`translate.editions.localized_markdown`).

    It always states its review state, as the bilingual editions do. Its
    front matter follows ``options.layout``: a ``translationKey`` except in
    the Hugo layouts (Hugo pairs editions by path), and in the ``jekyll``
    layout the URL Jekyll gives the English page.

    Raises:
        InputError: the article is outside the layout's source root.
    """
    from translate.editions.localized_markdown import render_localized_markdown
    from translate.labels import review_label
    from translate.metadata import article_date, format_date
    from translate.publish import date_texts

    lang = translated.lang
    when = article_date(translated.article)
    info = EditionInfo(
        title=translated_title(translated),
        label=review_label(lang, translated.reviewed, translated.sentences, options.labels, khmer_digits=options.khmer_digits),
        date=format_date(when, lang, options.khmer_digits) if when else None,
        date_iso=when.isoformat() if when else None,
    )
    layout = options.layout
    permalink = None
    if layout.kind is LayoutKind.JEKYLL:
        from translate.layout import is_jekyll_document, jekyll_permalink, site_permalink

        relative = layout.relative(translated.article.path)
        if not is_jekyll_document(relative):
            permalink = jekyll_permalink(relative, site_permalink(layout.root))
    key = None if layout.hugo else translated.article.slug
    return render_localized_markdown(translated, info, date_texts(translated, options), translation_key=key, permalink=permalink)
