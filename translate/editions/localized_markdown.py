"""The localized Markdown edition of a plain-text or HTML article, for Hugo and Jekyll.

``<slug>.<lang>.md`` (Hugo's file-name convention for translations) with a
YAML front matter (``title``, ``lang``, ``translationKey`` shared by every
edition of the article, ``date`` and ``date_display`` when the article's
date is known, ``translation_status``) and the article's blocks in the
target language: the title as a ``#`` heading, headings as ``##``, list
items as ``-``, quotes as ``>``, captions in emphasis (``*...*``, the way
a caption follows an image in Markdown), a byline and its dates on one line.
A heading that repeats the title word for word (a news page printing its
title twice) is left out.

Plain text is escaped for Markdown (``*``, ``_``, backquotes, brackets,
``<``, and ``#``, ``>``, ``-``, ``1.`` at the start of a line) so that it
reads as the same text; HTML is converted to Markdown (links, emphasis,
code, tables, code blocks, text kept out of translation: see
:mod:`translate.editions.html_markdown`), keeping only the inline markup
its source sentence had (cleaned with nh3).

Markdown articles are not converted: their localized edition is the source
with the translations filled in (:func:`translate.publish.localize`).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from translate.article import Article, Block, BlockKind, Slot
from translate.editions.html_markdown import Insert
from translate.editions import EditionInfo
from translate.editions.markdown import front_matter
from translate.editions.sanitize import escape_line_start, escape_text, plain_value
from translate.languages import Language
from translate.publish import Translated

_PREFIX = {BlockKind.TITLE: "# ", BlockKind.HEADING: "## ", BlockKind.QUOTE: "> ", BlockKind.LIST_ITEM: "- "}
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<])")
_BLOCK_TAG = re.compile(r"(?i)</?(?:p|div|h[1-6]|li|ul|ol|section|article|header|footer|figure|figcaption|blockquote|table|tr|td|th|br)\b")
_TAG = re.compile(r"<[^<>]*>")
_SPACE = re.compile(r"\s+")
_ON_ONE_LINE = (BlockKind.BYLINE, BlockKind.DATE)


def localized_markdown_path(article: Article, lang: Language, out_dir: Path) -> Path:
    """``<out_dir>/<slug>.<lang>.md``, e.g. ``out/story.km.md``."""
    return out_dir / f"{article.slug}.{lang.code}.md"


def plain(text: str, fmt: str) -> str:
    """Text without markup (for the front matter's ``title``; see :func:`translate.editions.sanitize.plain_value`)."""
    if fmt == "html":
        text = html.unescape(_TAG.sub("", text))
    return plain_value(text)


def _inline(block: Block, text: str, fmt: str) -> str:
    """A block's published text as one line of Markdown (HTML: links, emphasis and code as Markdown)."""
    if fmt == "html" and block.slot is Slot.RAW:
        from translate.editions.html_markdown import inline_markdown

        return escape_line_start(inline_markdown(text, block.text))
    return escape_text(text if block.slot is Slot.RAW or fmt != "html" else html.unescape(text))


def _gap(between: str, fmt: str) -> str | None:
    """What stands between two parts of one byline line, as Markdown; ``None`` when they are not on one line."""
    if fmt == "html":
        if _BLOCK_TAG.search(between):
            return None
        between = html.unescape(_TAG.sub("", between))
    elif "\n" in between:
        return None
    core = _SPACE.sub(" ", between).strip()
    if not core:
        return " "
    lead = " " if between[:1].isspace() else ""
    trail = " " if between[-1:].isspace() else ""
    return lead + _INLINE_SPECIALS.sub(r"\\\1", core) + trail


def render_localized_markdown(
    translated: Translated, info: EditionInfo, dates: dict[int, str], *, translation_key: str | None = None, permalink: str | None = None
) -> str:
    """The whole localized Markdown document.

    Args:
        translated: the article's blocks in the target language.
        info: the translated ``title``, review ``label`` and date of the article.
        dates: the byline dates as published, by block index (see :func:`translate.publish.date_texts`).
        translation_key: the front matter's ``translationKey`` (``None``: none).
        permalink: the front matter's ``permalink`` (``None``: none).
    """
    article = translated.article
    fmt = article.format
    published = {b.index: b.text for b in translated.blocks}
    front = front_matter(info, translated.lang.code, translation_key, bilingual=False, permalink=permalink)
    chunks: list[str] = []
    previous: Block | None = None  # the last block written
    title_seen: str | None = None
    inserts = _inserts(translated, dates) if fmt == "html" else []
    absorbed = {index for insert in inserts for index in insert.blocks}
    titled = any(block.kind is BlockKind.TITLE for block in article.blocks)  # inserts go after the title
    for index, block in enumerate(article.blocks):
        while inserts and inserts[0].start < block.pieces[0].start and (title_seen is not None or not titled):
            chunks.append(inserts.pop(0).markdown)
            previous = None
        if block.kind in (BlockKind.ATTRIBUTE, BlockKind.FRONT_MATTER) or index in absorbed:
            continue
        text = dates.get(index, block.text) if block.kind is BlockKind.DATE else published.get(index)
        if not text or not text.strip():
            continue
        line = _inline(block, text, fmt)
        if block.kind is BlockKind.TITLE:
            title_seen = title_seen or plain(text, fmt)
        elif block.kind is BlockKind.HEADING and title_seen is not None and plain(text, fmt) == title_seen:
            continue
        if previous is not None and block.kind in _ON_ONE_LINE and previous.kind in _ON_ONE_LINE:
            gap = _gap(article.source[previous.pieces[-1].end : block.pieces[0].start], fmt)
            if gap is not None:
                chunks[-1] += gap + line
                previous = block
                continue
        if block.kind is BlockKind.CAPTION:
            line = f"*{line}*"
        line = _PREFIX.get(block.kind, "") + line
        if previous is not None and block.kind is BlockKind.LIST_ITEM and previous.kind is BlockKind.LIST_ITEM:
            chunks[-1] += "\n" + line
        else:
            chunks.append(line)
        previous = block
    chunks.extend(insert.markdown for insert in inserts)
    if title_seen is None:
        chunks.insert(0, "# " + escape_text(info.title))
    return "\n".join(front) + "\n\n" + "\n\n".join(chunk for chunk in chunks if chunk) + "\n"


def _inserts(translated: Translated, dates: dict[int, str]) -> list[Insert]:
    """Tables, code blocks and untranslated text of an HTML article (see :mod:`translate.editions.html_markdown`)."""
    from translate.editions.html_markdown import structure

    article = translated.article
    published = {b.index: b.text for b in translated.blocks}
    lines = {}
    for index, block in enumerate(article.blocks):
        text = dates.get(index, block.text) if block.kind is BlockKind.DATE else published.get(index)
        if text and text.strip():
            lines[index] = _inline(block, text, article.format)
    return structure(article, lines)
