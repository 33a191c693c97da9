"""The bilingual Markdown edition: each English block followed by its translation.

For static sites (Jekyll, Hugo): YAML front matter with the title, language,
a translation key linking the editions and the review label; blocks keep
their Markdown kind (``#`` for the title, ``##`` for headings, ``>`` for quotes).
"""

from __future__ import annotations

import json

from translate.article import BlockKind, Slot
from translate.editions import EditionInfo, pairs
from translate.editions.sanitize import plain_value, safe_markdown
from translate.publish import BlockText, Translated

_PREFIX = {BlockKind.TITLE: "# ", BlockKind.HEADING: "## ", BlockKind.QUOTE: "> ", BlockKind.LIST_ITEM: "- "}


def _line(block_text: BlockText, text: str) -> str:
    kind = block_text.block.kind
    prefix = _PREFIX.get(kind, "")
    if kind is BlockKind.FRONT_MATTER and block_text.block.context == "title":
        prefix = "# "
    return prefix + " ".join(text.split("\n")).strip()


def _q(value: str) -> str:
    """A YAML string (a JSON string is one)."""
    return json.dumps(value, ensure_ascii=False)


def front_matter(info: EditionInfo, lang: str, slug: str | None, *, bilingual: bool, permalink: str | None = None) -> list[str]:
    """YAML front matter lines of a Markdown edition (Hugo/Jekyll keys), ``---`` included.

    Args:
        slug: the ``translationKey`` (``None``: none, where Hugo pairs the editions by their paths).
        permalink: the page's URL (a Jekyll page's translation keeps the English one).
    """
    front = ["---", f"title: {_q(plain_value(info.title))}", f"lang: {_q(lang)}"]
    if bilingual:
        front.append(f"languages: [{_q(info.source_lang)}, {_q(lang)}]")
    if slug is not None:
        front.append(f"translationKey: {_q(slug)}")
    if permalink is not None:
        front.append(f"permalink: {_q(permalink)}")
    if info.date_iso:
        front.append(f"date: {_q(info.date_iso)}")
    if info.date:
        front.append(f"date_display: {_q(info.date)}")
    if info.label is not None:
        front.append(f"translation_status: {_q(info.label)}")
    front.append("---")
    return front


def _markdown(source: str, text: str, fmt: str) -> str:
    """A block's text as Markdown: HTML converted (links, emphasis, code), other formats held to the page's allow-list."""
    if fmt == "html":
        from translate.editions.html_markdown import inline_markdown
        from translate.editions.sanitize import escape_line_start

        return escape_line_start(inline_markdown(text, source))
    return safe_markdown(source, text, fmt)


def render_markdown(translated: Translated, info: EditionInfo) -> str:
    """The whole bilingual Markdown document."""
    front = front_matter(info, translated.lang.code, translated.article.slug, bilingual=True)
    body: list[str] = []
    for block_text in pairs(translated):
        source = block_text.block.text
        fmt = translated.article.format if block_text.block.slot is Slot.RAW else "text"
        body.append(_line(block_text, _markdown(source, source, fmt)))
        if block_text.block.kind is BlockKind.DATE:
            published = dict(info.dates).get(block_text.index)
            if published is not None:
                body.append(_line(block_text, _markdown(source, published, fmt)))
        elif block_text.text.strip() and block_text.text != source:
            body.append(_line(block_text, _markdown(source, block_text.text, fmt)))
    return "\n".join(front) + "\n\n" + "\n\n".join(body) + "\n"
