"""Publish a localized article: the source's skeleton with the catalog's translations.

:func:`translate_blocks` looks every sentence up in the catalog and says, per
block, what text goes out and how far it was reviewed; :func:`localize` writes
that text back into the source skeleton, and the bilingual editions
(:mod:`translate.editions`) lay it out next to the English.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import polib

from translate.article import Article, Block, BlockKind, Segment, Span
from translate.catalog.stats import is_translated
from translate.checks import Failure, error_failures, ignored_checks
from translate.errors import FailedCheckError, PublishError, UnsafeTranslation
from translate.languages import Language
from translate.layout import Layout, LayoutKind
from translate.render import render
from translate.safety import Syntax, UnsafeMarkup, becomes_value, carry_back, open_raw_text, syntax_of
from translate.safety.markdown_markup import carry_document_links, references_of
from translate.textfile import encode

log = logging.getLogger(__name__)

class Untranslated(StrEnum):
    """What to do with a sentence that has no usable translation."""

    SOURCE = "source"  # keep the English sentence
    OMIT = "omit"  # leave it out
    FAIL = "fail"  # refuse to publish


class Review(StrEnum):
    """Review state of one sentence's translation in the catalog."""

    REVIEWED = "reviewed"  # translated, no fuzzy flag
    UNREVIEWED = "unreviewed"  # translated but fuzzy (machine output, edited source)
    MISSING = "missing"  # no translation


@dataclass(frozen=True)
class PublishOptions:
    """How to publish.

    Attributes:
        untranslated: policy for sentences without a usable translation.
        include_fuzzy: use fuzzy (unreviewed) translations too.
        label: state the review state in the output (see :mod:`translate.labels`).
        labels: label templates overriding the defaults, by language code.
        khmer_digits: write Khmer digits in labels and dates; ``None``: only for ``km``.
        metadata: add static-site metadata (see :func:`translate.metadata.add_metadata`).
        localize_dates: write the dates of bylines in the target language
            (only when the article is published translated, see :func:`date_texts`).
        strict: refuse to publish an article with a translation that fails an
            error-level check, instead of publishing that sentence as if it
            had no translation.
        checks: run the error-level checks on the translations published (on
            by default; off only shows a catalog's text as it is, for tests of
            what the editions do with any text).
        layout: where localized articles go and what their site generator
            needs in them (see :mod:`translate.layout`).
    """

    untranslated: Untranslated = Untranslated.SOURCE
    include_fuzzy: bool = False
    label: bool = False
    labels: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    khmer_digits: bool | None = None
    metadata: bool = False
    localize_dates: bool = True
    strict: bool = False
    checks: bool = True
    layout: Layout = field(default_factory=Layout)


@dataclass(frozen=True)
class Withheld:
    """A translation kept out of a published article because it fails error-level checks.

    Attributes:
        catalog: the catalog file (``None`` for a catalog not read from a file).
        line: the entry's line in the catalog.
        msgid: the English sentence (published in its place, or per the ``untranslated`` policy).
        failures: what the checks found.
    """

    catalog: str | None
    line: int | None
    msgid: str
    failures: tuple[Failure, ...]

    def __str__(self) -> str:
        where = f"{self.catalog}:{self.line}: " if self.catalog else ""
        return where + "; ".join(f"{f.check}: {f.message}" for f in self.failures)


@dataclass(frozen=True)
class SentenceText:
    """One sentence of a block as published.

    Attributes:
        span: where the sentence lies in its block's text.
        source: the source characters of the sentence.
        text: what is published in its place (``None``: left out).
        review: the review state of its catalog entry.
    """

    span: Span
    source: str
    text: str | None
    review: Review


@dataclass(frozen=True)
class BlockText:
    """One block with its published sentences and the block's resulting text.

    A byline's date (``BlockKind.DATE``) has no sentences and its source text;
    :func:`date_texts` says how it is published.
    """

    index: int
    block: Block
    sentences: tuple[SentenceText, ...]
    text: str

    @property
    def reviewed(self) -> bool:
        """Every sentence of the block has a reviewed translation."""
        return all(s.review is Review.REVIEWED for s in self.sentences)


@dataclass(frozen=True)
class Translated:
    """An article's blocks as they are published in one language."""

    article: Article
    lang: Language
    blocks: tuple[BlockText, ...]
    withheld: tuple[Withheld, ...] = ()

    @property
    def sentences(self) -> int:
        return sum(len(b.sentences) for b in self.blocks)

    @property
    def reviewed(self) -> int:
        return sum(1 for b in self.blocks for s in b.sentences if s.review is Review.REVIEWED)

    @property
    def changed(self) -> bool:
        """Whether any sentence is published other than as its source text."""
        return any(s.text != s.source for b in self.blocks for s in b.sentences)

    def used(self, include_fuzzy: bool) -> int:
        """Sentences published with a translation: reviewed ones, and fuzzy ones when allowed."""
        return sum(1 for b in self.blocks for s in b.sentences if s.review is Review.REVIEWED or (include_fuzzy and s.review is Review.UNREVIEWED))


@dataclass(frozen=True)
class Localized:
    """A published article's text and what went into it."""

    text: str
    data: bytes
    sentences: int
    translated: int
    missing: tuple[str, ...] = field(default=())
    reviewed: int = 0


def output_path(article: Article, lang: Language, out_dir: Path, layout: Layout | None = None) -> Path:
    """Where the localized article goes: ``<out_dir>/<slug>.<lang>.<ext>`` (``out/story.km.md``) in the
    ``flat`` layout, else as ``layout`` says (see :mod:`translate.layout`).

    Raises:
        InputError, WriteError: the layout cannot place the article (see :meth:`Layout.localized_path`).
    """
    return (layout or Layout()).localized_path(article.path, article.slug, lang.code, out_dir)


def _review(entry: polib.POEntry | None) -> Review:
    if entry is None or entry.obsolete or not is_translated(entry):
        return Review.MISSING
    return Review.UNREVIEWED if "fuzzy" in entry.flags else Review.REVIEWED


def _join_gap(gap: str, lang: Language, translated: bool = True) -> str:
    """White space between two sentences, as the target language writes it.

    ``translated``: both sentences are published translated; between an
    English sentence and another the source's space stays.
    """
    if translated and lang.sentence_joiner == "" and gap.strip(" ") == "":
        return ""
    return gap


def translate_blocks(article: Article, catalog: polib.POFile, lang: Language, options: PublishOptions | None = None) -> Translated:
    """Look up every sentence of an article in a catalog.

    A sentence whose translation equals its msgid keeps its exact source
    text. A translation that fails an error-level check
    (:func:`translate.checks.error_failures`: a control character, conflict
    markers, an empty text, a changed number...) is withheld: the sentence is
    published as if it had no translation, and listed in
    ``Translated.withheld``; the entry's ``#, ignore-<check>`` flags silence
    their checks here too. Any other translation goes through
    :func:`translate.safety.carry_back`, so it carries back only the markup
    its source sentence had, whatever edition is made of it.

    Raises:
        PublishError: with ``Untranslated.FAIL``, when a sentence has no usable
            translation; when a translation is refused (markup in a plain-text
            value), naming the catalog and the entry's line.
        FailedCheckError: with ``options.strict``, when a translation fails an error-level check.
    """
    options = options or PublishOptions()
    lookup = {(e.msgctxt, e.msgid): e for e in catalog if not e.obsolete}
    references = references_of(article.source) if article.format == "markdown" else {}
    sentences: dict[int, list[SentenceText]] = {}
    missing: list[str] = []
    withheld: dict[tuple[str | None, str], Withheld] = {}
    for segment in article.segments():
        block = article.blocks[segment.block]
        original = block.text[segment.span.start : segment.span.end]
        entry = lookup.get((block.context, segment.msgid))
        review = _review(entry)
        text: str | None = original
        usable = review is Review.REVIEWED or (review is Review.UNREVIEWED and options.include_fuzzy)
        if usable and entry is not None and entry.msgstr != entry.msgid:
            # every error-level check runs on every translation published (cached in the process, see
            # checks.all_failures): the names recorded when machine text was written are not trusted,
            # since the checks of another version may differ
            failures = error_failures(entry.msgid, entry.msgstr, lang.code, ignored_checks(entry.flags, entry.tcomment)) if options.checks else ()
            if failures:
                withheld.setdefault((entry.msgctxt, entry.msgid), Withheld(getattr(catalog, "fpath", None), entry.linenum, entry.msgid, failures))
                review, usable = Review.MISSING, False
            else:
                text = _safe(entry, segment, block, article, catalog, references)
        if not usable and options.untranslated is Untranslated.OMIT:
            text = None
        elif not usable and options.untranslated is Untranslated.FAIL:
            missing.append(f"line {segment.line}: {segment.msgid[:60]}")
        sentences.setdefault(segment.block, []).append(SentenceText(segment.span, original, text, review))
    if withheld and options.strict:
        first = next(iter(withheld.values()))
        raise FailedCheckError(
            f"{len(withheld)} {lang.english_name} translation(s) of {article.path} fail error-level checks, the first here: {first.failures[0].check}: {first.failures[0].message}",
            path=first.catalog or article.path,
            line=first.line if first.catalog else None,
            hint="fix them in the catalog (translate check lists them), or publish without --strict to keep the English in their place",
        )
    if missing:
        raise PublishError(
            f"{len(missing)} sentence(s) have no reviewed {lang.english_name} translation, the first at {missing[0]}",
            path=article.path,
            hint="translate them, pass --include-fuzzy, or choose --untranslated=source|omit",
        )
    blocks = tuple(
        BlockText(index, block, tuple(sentences[index]), _block_text(block, sentences[index], lang))
        if index in sentences
        else BlockText(index, block, (), block.text)  # a byline's date: see date_texts
        for index, block in enumerate(article.blocks)
        if index in sentences or block.kind is BlockKind.DATE
    )
    return Translated(article, lang, blocks, tuple(withheld.values()))


def _safe(entry: polib.POEntry, segment: Segment, block: Block, article: Article, catalog: polib.POFile, references: dict[str, str]) -> str:
    """An entry's translation as it may be published (see :mod:`translate.safety`).

    Raises:
        UnsafeTranslation: the translation is refused, naming the catalog and the entry's line.
    """
    where = getattr(catalog, "fpath", None) or article.path
    source = block.text[segment.span.start : segment.span.end]
    syntax = syntax_of(block, article.format)
    inside = open_raw_text(block.text[: segment.span.start]) if syntax in (Syntax.HTML, Syntax.MARKDOWN) and segment.span.start else None
    try:
        carried = carry_back(source, entry.msgstr, syntax, value=becomes_value(block, article.format), references=references, inside=inside)
    except UnsafeMarkup as error:
        raise UnsafeTranslation(
            f"the translation of {entry.msgid[:50]!r} {error}: {error.markup[:60]!r}",
            path=where,
            line=msgstr_line(where, entry),
            hint="remove the markup from the msgstr, or write it as in the msgid",
        ) from error
    if carried.escaped:
        log.warning("%s:%s: markup its source has not, published as text: %s", where, entry.linenum, ", ".join(m[:60] for m in carried.escaped))
    return carried.text


def msgstr_line(path: str | Path, entry: polib.POEntry) -> int:
    """The line of an entry's ``msgstr`` in its catalog (polib knows where the entry starts)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return entry.linenum
    for number in range(max(entry.linenum - 1, 0), len(lines)):
        if lines[number].startswith("msgstr"):
            return number + 1
    return entry.linenum


def localize(
    article: Article,
    catalog: polib.POFile,
    lang: Language,
    options: PublishOptions | None = None,
    translated: Translated | None = None,
    *,
    target: Path | None = None,
) -> Localized:
    """Fill an article's sentences from a catalog.

    A sentence whose translation equals its msgid keeps its exact source text,
    so that publishing a catalog of identical translations reproduces the
    source byte for byte (except the language marker, and the review label
    when ``options.label`` is set).

    Args:
        translated: the result of :func:`translate_blocks` with the same
            arguments, when the caller has it already.
        target: the file it will be written to (links between the editions
            are made relative to it; default: beside the article).

    Raises:
        PublishError: with ``Untranslated.FAIL``, when a sentence has no
            usable translation; when a translation is refused (see :mod:`translate.safety`).
    """
    options = options or PublishOptions()
    translated = translated or translate_blocks(article, catalog, lang, options)
    new_texts = {id(b.block): b.text for b in translated.blocks}
    new_texts.update((id(article.blocks[index]), text) for index, text in date_texts(translated, options).items())
    rendered = render(article.source, article.blocks, lambda b: new_texts.get(id(b)), marker=article.marker, lang=lang.code)
    if article.format == "markdown" and translated.changed:
        rendered, escaped = carry_document_links(article.source, rendered, references_of(article.source))
        if escaped:
            log.warning("%s: links its source has not, published as text: %s", article.path, ", ".join(m[:60] for m in escaped))
    if options.metadata:
        from translate.metadata import add_metadata

        rendered = add_metadata(rendered, article, lang, options.khmer_digits, layout=options.layout, target=target)
    if options.layout.kind is LayoutKind.JEKYLL and article.format == "markdown":
        from translate.metadata import add_permalink

        rendered = add_permalink(rendered, article, options.layout)
    if options.label:
        from translate.labels import review_label

        label = review_label(lang, translated.reviewed, translated.sentences, options.labels, khmer_digits=options.khmer_digits)
        rendered = add_label(rendered, article.format, label, lang)
    try:
        data = encode(rendered, encoding=article.encoding, bom=article.bom, newline=article.newline)
    except UnicodeEncodeError:
        # A latin-1 article cannot hold Khmer: the localized file is UTF-8 instead.
        log.warning("%s: %s cannot hold the %s text; writing UTF-8", article.path, article.encoding, lang.english_name)
        data = encode(rendered, encoding="utf-8", bom=article.bom, newline=article.newline)
    return Localized(text=rendered, data=data, sentences=translated.sentences, translated=translated.used(options.include_fuzzy), reviewed=translated.reviewed)


def date_texts(translated: Translated, options: PublishOptions | None = None) -> dict[int, str]:
    """The dates of an article's bylines written for the target language, by block index.

    Dates follow the article: they are written in the target language only
    when some sentence is published translated, so that an article published
    with its English text (identity catalogs, nothing translated yet) keeps
    its English dates byte for byte. In HTML the text is escaped.
    """
    import html

    from translate.metadata import byline_dates, format_byline_date

    options = options or PublishOptions()
    if not options.localize_dates or not translated.changed:
        return {}
    article = translated.article
    texts = {}
    for index, value in byline_dates(article):
        text = format_byline_date(value, translated.lang, options.khmer_digits)
        texts[index] = html.escape(text, quote=False) if article.format == "html" else text
    return texts


_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def add_label(text: str, fmt: str, label: str, lang: Language) -> str:
    """Put a review label into a published article.

    Markdown: a ``translation_status`` front-matter key (a front matter is
    added when there is none); HTML: a visible ``<p class="translation-status">``
    right after ``<body>``; plain text: the first line.
    """
    import html

    if fmt == "markdown":
        quoted = json.dumps(label, ensure_ascii=False)
        for fence, line in (("---", f"translation_status: {quoted}\n"), ("+++", f"translation_status = {quoted}\n")):
            if text.startswith(fence + "\n"):
                closing = text.find(f"\n{fence}", len(fence))
                if closing != -1:
                    return text[: closing + 1] + line + text[closing + 1 :]
        return f"---\ntranslation_status: {quoted}\n---\n\n{text}"
    if fmt == "html":
        note = f'<p class="translation-status" lang="{html.escape(lang.code)}">{html.escape(label)}</p>'
        match = _BODY.search(text)
        if match is None:
            return note + "\n" + text
        return text[: match.end()] + "\n" + note + text[match.end() :]
    return f"{label}\n\n{text}"


def _block_text(block: Block, sentences: list[SentenceText], lang: Language) -> str:
    """A block's text with its sentences replaced; ``None`` sentences are left out."""
    text = block.text
    out = [text[: sentences[0].span.start]]
    previous_end = sentences[0].span.start
    first = True
    previous_translated = False
    for sentence in sentences:
        gap = text[previous_end : sentence.span.start]
        previous_end = sentence.span.end
        if sentence.text is None:
            continue
        translated = sentence.text != sentence.source
        if not first:
            out.append(_join_gap(gap, lang, previous_translated and translated))
        out.append(sentence.text)
        first = False
        previous_translated = translated
    out.append(text[sentences[-1].span.end :])
    return "".join(out)
