"""Find the terms of a set of articles, to build or review a glossary.

A term is a name, title or institution: a run of capitalised words, possibly
joined by ``of``, ``for``, ``and``, ``the`` (``Ministry of Justice``,
``Chin Malin``, ``National Assembly``), or an acronym (``ADHOC``, ``CSOs``); a
leading ``The`` is dropped, and a single capitalised word that only ever starts
a sentence is not a term. Terms already in the glossary are always reported.
Each term comes with the catalog translations of the sentences it occurs in,
reviewed ones first, so that a translator can see how it has been translated
so far and pick the approved form.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polib

from translate.article import Article
from translate.catalog.stats import is_translated
from translate.glossary import Term, find_terms

_WORD = r"[A-Z][\w’'-]*[\w]|[A-Z]"
_CONNECTOR = r"(?:of|for|the|de|du|la)"
_PHRASE = re.compile(rf"(?<![\w’'-])(?:{_WORD})(?:\s+(?:{_CONNECTOR}\s+)*(?:{_WORD}))*")
_ACRONYM = re.compile(r"^[A-Z]{2,}s?$")
_LEADING = re.compile(r"^(?:The|A|An)\s+")
_POSSESSIVE = re.compile(r"[’']s?$")
_CALENDAR = frozenset(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
    + ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
)
_TRAILING_CONNECTOR = re.compile(rf"(?:\s+{_CONNECTOR})+$")
_INVISIBLE = re.compile("[ \u200b]")
_MARKUP = re.compile(r"\]\([^)]*\)|<[^<>]+>|`[^`]*`|\{\{.*?\}\}|\{%.*?%\}|https?://\S+|[*_]{1,2}")


@dataclass(frozen=True)
class TermTranslation:
    """A catalog translation of a sentence that contains a term.

    Attributes:
        slug: the article (catalog name).
        msgid: the English sentence.
        msgstr: its translation.
        reviewed: whether a person reviewed it (translated and not fuzzy).
    """

    slug: str
    msgid: str
    msgstr: str
    reviewed: bool


@dataclass(frozen=True)
class TermUse:
    """A term found in the articles.

    Attributes:
        source: the term as most often written.
        count: occurrences in all the articles' sentences.
        articles: the articles (slugs) it occurs in.
        approved: its glossary entry, if it has one.
        translations: translations of the sentences it occurs in (reviewed first).
        uses_approved: how many of those translations contain the approved target.
    """

    source: str
    count: int
    articles: tuple[str, ...]
    approved: Term | None = None
    translations: tuple[TermTranslation, ...] = ()
    uses_approved: int = 0


def candidate_terms(sentence: str) -> list[str]:
    """Names, titles, institutions and acronyms written in one English sentence."""
    text = _MARKUP.sub(" ", sentence)
    found = []
    for match in _PHRASE.finditer(text):
        words = match.group().split()
        at_start = not text[: match.start()].strip(" “\"'‘(")
        if at_start and not _ACRONYM.match(words[0]):
            words = words[1:]  # the capital of the sentence's first word says nothing
            while words and re.fullmatch(_CONNECTOR, words[0]):
                words = words[1:]
        phrase = _POSSESSIVE.sub("", _TRAILING_CONNECTOR.sub("", _LEADING.sub("", " ".join(words))))
        if not phrase or phrase in _CALENDAR or phrase == "I":
            continue
        found.append(phrase)
    return found


def collect_terms(
    articles: Mapping[str, Article],
    catalogs: Mapping[str, polib.POFile | None],
    glossary: Sequence[Term] = (),
    *,
    min_count: int = 1,
) -> list[TermUse]:
    """The terms of ``articles`` (by slug) with their translations in ``catalogs`` (by slug).

    Args:
        glossary: approved terms for the language of ``catalogs`` (longest first);
            they are reported whenever they occur, whatever ``min_count``.
        min_count: leave out other terms found fewer times than this.

    Returns:
        Terms in decreasing number of occurrences, then alphabetically.
    """
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    where: dict[str, set[str]] = defaultdict(set)
    sentences: dict[str, set[tuple[str, str]]] = defaultdict(set)
    approved = {term.source.casefold(): term for term in glossary}
    for slug, article in articles.items():
        for segment in article.segments():
            found = [o.text for o in find_terms(segment.msgid, glossary)] + candidate_terms(segment.msgid)
            for text in dict.fromkeys(found):
                key = text.casefold()
                counts[key] += 1
                spellings[key][text] += 1
                where[key].add(slug)
                sentences[key].add((slug, segment.msgid))
    translated = {slug: _translated_entries(catalog) for slug, catalog in catalogs.items()}
    uses = []
    for key, count in counts.items():
        term = approved.get(key)
        if term is None and count < min_count:
            continue
        translations = sorted(_translations(sentences[key], translated), key=lambda t: (not t.reviewed, t.slug, t.msgid))
        used = sum(_uses(term, t.msgstr) for t in translations) if term else 0
        source = spellings[key].most_common(1)[0][0]
        uses.append(TermUse(source, count, tuple(sorted(where[key])), term, tuple(translations), used))
    # A term inside a longer one found as often (``Phnom`` in ``Phnom Penh``) adds nothing.
    longer = [u for u in uses if " " in u.source]
    uses = [u for u in uses if u.approved or not any(u.source != v.source and u.count <= v.count and re.search(rf"(?<!\w){re.escape(u.source)}(?!\w)", v.source) for v in longer)]
    return sorted(uses, key=lambda u: (-u.count, u.source.casefold()))


def _uses(term: Term, msgstr: str) -> bool:
    """Whether a translation contains the approved form of a term (spaces and ZWSP ignored)."""
    wanted = term.source.casefold() if term.keep else term.target
    text = msgstr.casefold() if term.keep else msgstr
    return _INVISIBLE.sub("", wanted) in _INVISIBLE.sub("", text)


def _translations(found: set[tuple[str, str]], translated: Mapping[str, Mapping[str, polib.POEntry]]) -> list[TermTranslation]:
    result = []
    for slug, msgid in found:
        entry = translated.get(slug, {}).get(msgid)
        if entry is not None:
            result.append(TermTranslation(slug, msgid, entry.msgstr, "fuzzy" not in entry.flags))
    return result


def _translated_entries(catalog: polib.POFile | None) -> dict[str, polib.POEntry]:
    """The translated entries of a catalog by msgid."""
    index: dict[str, polib.POEntry] = {}
    for entry in catalog or ():
        if not entry.obsolete and is_translated(entry):
            index.setdefault(entry.msgid, entry)
    return index
