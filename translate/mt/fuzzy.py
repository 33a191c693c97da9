"""Fuzzy matches from the translation memory: reviewed translations of similar English sentences.

For a sentence the memory has no reviewed translation of, the closest
reviewed ones (by default at least 75 % similar) are offered to the translator
as notes beside the machine suggestion, the way Poedit and Weblate show
translation-memory matches; they never become the msgstr.

Similarity is the normalized Indel similarity of the two sentences
(``2 * characters kept in order / all characters``, RapidFuzz's
``fuzz.ratio``), in percent, computed bit-parallel. Scoring every stored
sentence would take seconds a query with 100,000 of them, so an index of
words narrows the field first: the query's rarest words (at most
:data:`RARE_WORDS`) name the stored sentences that share them; of those
sharing the most, whose length allows the threshold at all, the
:data:`SCORED` with the most words in common in the same order are scored. Build time, speed and how often the index
finds what scoring everything would find are measured by
``benchmarks/tm_fuzzy.py`` (see ``benchmarks/README.md``).
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from translate.catalog.provenance import Match

#: Least similarity (percent) of a match that is offered.
THRESHOLD = 75
#: Matches offered per sentence, best first.
LIMIT = 3
#: How many of the query's rarest words pick candidates.
RARE_WORDS = 8
#: How many candidates (most rare words shared) are ranked by the words they share in order.
CANDIDATES = 60
#: How many of those (most words shared) are scored character by character.
SCORED = 10

_WORD = re.compile(r"\w+")


def _lcs_masks(masks: dict[str, int], length: int, other: Iterable[str]) -> int:
    """Length of the longest common subsequence of a sequence (as its symbols' position masks) and ``other``.

    Bit-parallel (Allison and Dix 1986, Hyyrö 2004): one step of integer
    arithmetic per symbol of ``other``.
    """
    full = (1 << length) - 1
    row = full
    for symbol in other:
        matched = row & masks.get(symbol, 0)
        row = ((row + matched) | (row - matched)) & full
    return length - row.bit_count()


def _lcs(a: str, b: str) -> int:
    """Length of the longest common subsequence of two strings."""
    masks: dict[str, int] = {}
    for position, char in enumerate(a):
        masks[char] = masks.get(char, 0) | (1 << position)
    return _lcs_masks(masks, len(a), b)


def similarity(a: str, b: str) -> float:
    """Normalized Indel similarity of two strings: ``2 * LCS / (len(a) + len(b))`` (0-1).

    Characters kept in order over all characters, the measure of
    RapidFuzz's ``fuzz.ratio`` and close to difflib's ratio.
    """
    if not a and not b:
        return 1.0
    return 2 * _lcs(a, b) / (len(a) + len(b))


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


@dataclass(frozen=True)
class Entry:
    """A reviewed translation in the index."""

    source: str
    target: str


class FuzzyIndex:
    """Reviewed translations of one language pair, indexed for fuzzy lookup.

    Args:
        pairs: ``(English, translation)`` pairs; a repeated English sentence keeps its last translation.
        threshold: least similarity in percent.
        limit: matches per query.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]], *, threshold: int = THRESHOLD, limit: int = LIMIT) -> None:
        self.threshold = threshold
        self.limit = limit
        latest = dict(pairs)
        self.entries = [Entry(source, target) for source, target in latest.items()]
        self._lengths = array("I", (len(e.source) for e in self.entries))
        postings: dict[str, array[int]] = {}
        for number, entry in enumerate(self.entries):
            for word in _words(entry.source):
                found = postings.get(word)
                if found is None:
                    postings[word] = found = array("I")
                found.append(number)
        self._postings = postings

    def __len__(self) -> int:
        return len(self.entries)

    def _length_allows(self, a: int, b: int) -> bool:
        # the similarity is at most 2 * min / (a + b)
        return 200 * min(a, b) >= self.threshold * (a + b)

    def candidates(self, query: str) -> list[int]:
        """Numbers of the stored sentences worth scoring for ``query``, most likely first.

        Those sharing the most of the query's rarest words, of a length that
        allows the threshold, ranked by how many words they have in common in
        the same order (the similarity of the word sequences).
        """
        query_words = _WORD.findall(query.lower())
        words = sorted((w for w in set(query_words) if w in self._postings), key=lambda w: len(self._postings[w]))
        counts: Counter[int] = Counter()
        for word in words[:RARE_WORDS]:
            counts.update(self._postings[word])
        size = len(query)
        picked = [n for n, _ in counts.most_common(CANDIDATES) if self._length_allows(size, self._lengths[n])]
        masks: dict[str, int] = {}
        for position, word in enumerate(query_words):
            masks[word] = masks.get(word, 0) | (1 << position)

        def in_order(number: int) -> float:
            other = _WORD.findall(self.entries[number].source.lower())
            return _lcs_masks(masks, len(query_words), other) / (len(query_words) + len(other) or 1)

        return sorted(picked, key=lambda n: (-in_order(n), abs(self._lengths[n] - size), n))

    def _score(self, query: str, numbers: Iterable[int]) -> tuple[Match, ...]:
        found: list[tuple[float, str, Match]] = []
        for number in numbers:
            entry = self.entries[number]
            if entry.source == query or not self._length_allows(len(query), len(entry.source)):
                continue
            score = similarity(query, entry.source)
            if score * 100 >= self.threshold:
                found.append((score, entry.source, Match(int(score * 100), entry.source, entry.target)))
        found.sort(key=lambda item: (-item[0], item[1]))
        return tuple(match for _, _, match in found[: self.limit])

    def lookup(self, query: str) -> tuple[Match, ...]:
        """The closest reviewed translations of ``query`` (at least ``threshold`` %), best first; never ``query`` itself."""
        return self._score(query, self.candidates(query)[:SCORED])

    def lookup_all(self, query: str) -> tuple[Match, ...]:
        """As :meth:`lookup`, scoring every stored sentence (slow: for measuring the index)."""
        return self._score(query, range(len(self.entries)))
