"""Publish a localized article: the source's skeleton with the catalog's translations."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import polib

from translate.article import Article, Block, Span
from translate.catalog.stats import is_translated
from translate.errors import PublishError
from translate.languages import Language
from translate.render import render
from translate.textfile import encode


class Untranslated(StrEnum):
    """What to do with a sentence that has no usable translation."""

    SOURCE = "source"  # keep the English sentence
    OMIT = "omit"  # leave it out
    FAIL = "fail"  # refuse to publish


@dataclass(frozen=True)
class PublishOptions:
    """How to publish.

    Attributes:
        untranslated: policy for sentences without a usable translation.
        include_fuzzy: use fuzzy (unreviewed) translations too.
    """

    untranslated: Untranslated = Untranslated.SOURCE
    include_fuzzy: bool = False


@dataclass(frozen=True)
class Localized:
    """A published article's text and what went into it."""

    text: str
    data: bytes
    sentences: int
    translated: int
    missing: tuple[str, ...] = field(default=())


def output_path(article: Article, lang: Language, out_dir: Path) -> Path:
    """``<out_dir>/<slug>.<lang>.<ext>``, e.g. ``out/story.km.md``."""
    return out_dir / f"{article.slug}.{lang.code}{article.path.suffix}"


def _usable(entry: polib.POEntry | None, options: PublishOptions) -> bool:
    if entry is None or entry.obsolete or not is_translated(entry):
        return False
    return options.include_fuzzy or "fuzzy" not in entry.flags


def _join_gap(gap: str, lang: Language) -> str:
    """White space between two sentences, as the target language writes it."""
    if lang.sentence_joiner == "" and gap.strip(" ") == "":
        return ""
    return gap


def localize(article: Article, catalog: polib.POFile, lang: Language, options: PublishOptions | None = None) -> Localized:
    """Fill an article's sentences from a catalog.

    A sentence whose translation equals its msgid keeps its exact source text,
    so that publishing a catalog of identical translations reproduces the
    source byte for byte (except the language marker).

    Raises:
        PublishError: with ``Untranslated.FAIL``, when a sentence has no usable translation.
    """
    options = options or PublishOptions()
    lookup = {(e.msgctxt, e.msgid): e for e in catalog if not e.obsolete}
    sentences: dict[int, list[tuple[Span, str | None]]] = {}
    missing: list[str] = []
    total = done = 0
    for segment in article.segments():
        block = article.blocks[segment.block]
        original = block.text[segment.span.start : segment.span.end]
        entry = lookup.get((block.context, segment.msgid))
        total += 1
        text: str | None = original
        if _usable(entry, options):
            assert entry is not None
            done += 1
            if entry.msgstr != entry.msgid:
                text = entry.msgstr
        elif options.untranslated is Untranslated.OMIT:
            text = None
        elif options.untranslated is Untranslated.FAIL:
            missing.append(f"line {segment.line}: {segment.msgid[:60]}")
        sentences.setdefault(segment.block, []).append((segment.span, text))
    if missing:
        raise PublishError(
            f"{len(missing)} sentence(s) have no reviewed {lang.english_name} translation, the first at {missing[0]}",
            path=article.path,
            hint="translate them, pass --include-fuzzy, or choose --untranslated=source|omit",
        )
    new_texts = {
        id(block): _block_text(block, sentences[index], lang)
        for index, block in enumerate(article.blocks)
        if index in sentences
    }
    rendered = render(article.source, article.blocks, lambda b: new_texts.get(id(b)), marker=article.marker, lang=lang.code)
    data = encode(rendered, encoding=article.encoding, bom=article.bom, newline=article.newline)
    return Localized(text=rendered, data=data, sentences=total, translated=done)


def _block_text(block: Block, sentences: list[tuple[Span, str | None]], lang: Language) -> str:
    """A block's text with its sentences replaced; ``None`` sentences are left out."""
    text = block.text
    out = [text[: sentences[0][0].start]]
    previous_end = sentences[0][0].start
    first = True
    for span, translated in sentences:
        gap = text[previous_end : span.start]
        previous_end = span.end
        if translated is None:
            continue
        if not first:
            out.append(_join_gap(gap, lang))
        out.append(translated)
        first = False
    out.append(text[sentences[-1][0].end :])
    return "".join(out)
