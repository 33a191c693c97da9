"""Score the choice of content on whole pages: how much of a catalog is the article, what it lost.

A reference names the article's own text on a page: one block per line (the
headline, standfirst, byline, captions, paragraphs, the page ``<title>`` and
description), as a reader sees it, without markup. Lines starting with ``#``
are comments; ``# include: SELECTOR, ...`` and ``# exclude: SELECTOR, ...``
name the selectors documented for the page's layout.

The score of an article read from the page compares its catalog entries (one
per distinct sentence, as :func:`translate.catalog.template.build_template`
makes them) with the reference:

* an entry is article text when its visible text (tags dropped, character
  references decoded, white space collapsed) is a reference line or one of
  its sentences, or a part of a line at least ``LONG`` characters long (a
  short text such as "Labour" could be any word of the article);
* a reference sentence (the segmenter's sentences of each line) is missed
  when no entry's visible text is it or holds it (if it is that long).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.article import Article
from translate.formats.html_main import LONG, visible
from translate.segment import split_sentences


@dataclass(frozen=True)
class Reference:
    """The article's own text on a page, and the selectors documented for its layout."""

    lines: tuple[str, ...]
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @property
    def sentences(self) -> tuple[str, ...]:
        """The reference's sentences that hold a letter, in order, without repeats."""
        found: dict[str, None] = {}
        for line in self.lines:
            for span in split_sentences(line):
                sentence = visible(line[span.start : span.end])
                if any(character.isalpha() for character in sentence):
                    found.setdefault(sentence)
        return tuple(found)


@dataclass(frozen=True)
class PageScore:
    """How the catalog entries of one page compare with its reference.

    Attributes:
        entries: distinct catalog entries (context and msgid).
        article: entries that are article text.
        sentences: sentences of the reference.
        missed: reference sentences that no entry holds.
        furniture: entries that are not article text (their visible text).
    """

    entries: int
    article: int
    sentences: int
    missed: tuple[str, ...]
    furniture: tuple[str, ...]

    @property
    def share(self) -> float:
        """The share of entries that are article text (1.0 for a page without entries)."""
        return self.article / self.entries if self.entries else 1.0


def read_reference(path: Path) -> Reference:
    """Read a reference file (see the module documentation)."""
    lines: list[str] = []
    selectors: dict[str, tuple[str, ...]] = {"include": (), "exclude": ()}
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("#"):
            key, _, value = raw[1:].partition(":")
            if key.strip() in selectors and value.strip():
                selectors[key.strip()] = tuple(part.strip() for part in value.split(",") if part.strip())
            continue
        if raw.strip():
            lines.append(visible(raw))
    return Reference(tuple(lines), selectors["include"], selectors["exclude"])


def score_page(article: Article, reference: Reference) -> PageScore:
    """Compare the catalog entries of ``article`` with ``reference``."""
    entries: dict[tuple[str | None, str], str] = {}
    for segment in article.segments():
        key = (article.blocks[segment.block].context, segment.msgid)
        entries.setdefault(key, visible(segment.msgid))
    texts = list(entries.values())
    sentences = reference.sentences
    known = set(sentences) | set(reference.lines)
    furniture = tuple(text for text in texts if text not in known and not _within(text, reference.lines))
    missed = tuple(sentence for sentence in sentences if sentence not in texts and not any(_within(sentence, [text]) for text in texts))
    return PageScore(len(texts), len(texts) - len(furniture), len(sentences), missed, furniture)


def _within(text: str, lines: Sequence[str]) -> bool:
    """Whether ``text`` is a long part of one of ``lines`` (a short one, "Labour", could be any word)."""
    return len(text) >= LONG and any(text in line for line in lines)
