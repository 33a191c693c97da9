"""Update a language's catalog from a new template, as ``msgmerge --previous`` does.

* A sentence that is still in the article keeps its translation, flags and
  translator comments, wherever it moved; its references, extracted
  comments and format flags (``no-python-format``…) come from the new
  template, as with ``msgmerge`` (so a ``python-format`` that ``pybabel
  update`` guessed for ``60% occupancy`` goes).
* A new sentence close to an old translated one (an edit) gets the old
  translation, the ``fuzzy`` flag and the old text as ``#| msgid``.
* Any other new sentence is added untranslated.
* Old translated entries used by nothing become obsolete (``#~``); obsolete
  entries that come back are revived. Untranslated leftovers are dropped.

No translation is ever lost: it stays in an active, fuzzy or obsolete entry.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

import polib

from translate.catalog.template import new_catalog

#: Similarity (difflib ratio) from which an old translation is offered as a
#: fuzzy match; msgmerge uses the same threshold.
FUZZY_THRESHOLD = 0.6

Key = tuple[str | None, str]


def is_format_flag(flag: str) -> bool:
    """Whether a flag says which format a string is (``c-format``, ``no-python-format``…): the template's to decide."""
    return flag.endswith("-format")


def key_of(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


@dataclass(frozen=True)
class MergeReport:
    """What an update did, in entry counts."""

    kept: int
    fuzzy: int
    added: int
    obsoleted: int
    revived: int


def _similarity(a: str, b: str) -> float:
    shorter, longer = sorted((len(a), len(b)))
    if not longer or 2 * shorter / (shorter + longer) < FUZZY_THRESHOLD:
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < FUZZY_THRESHOLD or matcher.quick_ratio() < FUZZY_THRESHOLD:
        return 0.0
    return matcher.ratio()


def _best_match(entry: polib.POEntry, candidates: Iterable[polib.POEntry]) -> polib.POEntry | None:
    best, best_score = None, FUZZY_THRESHOLD
    for candidate in candidates:
        score = _similarity(entry.msgid, candidate.msgid)
        if candidate.msgctxt != entry.msgctxt:
            score -= 0.05
        if score >= best_score and (best is None or score > best_score):
            best, best_score = candidate, score
    return best


def _carry_over(new: polib.POEntry, old: polib.POEntry) -> polib.POEntry:
    """``new`` (from the template) with the translation, flags and translator comment of ``old``."""
    merged = copy.copy(new)
    merged.occurrences = list(new.occurrences)
    merged.msgstr = old.msgstr
    merged.msgstr_plural = dict(old.msgstr_plural)
    merged.flags = [f for f in old.flags if not is_format_flag(f)] + [f for f in new.flags if is_format_flag(f)]
    merged.tcomment = old.tcomment
    merged.previous_msgid = old.previous_msgid
    merged.previous_msgctxt = old.previous_msgctxt
    merged.obsolete = False
    return merged


def _fuzzy_from(new: polib.POEntry, old: polib.POEntry) -> polib.POEntry:
    merged = _carry_over(new, old)
    if "fuzzy" not in merged.flags:
        merged.flags.insert(0, "fuzzy")
    merged.previous_msgid = old.msgid
    merged.previous_msgctxt = old.msgctxt if old.msgctxt != new.msgctxt else None
    return merged


def _obsolete(old: polib.POEntry) -> polib.POEntry:
    entry = copy.copy(old)
    entry.obsolete = True
    entry.occurrences = []
    return entry


def merge(old: polib.POFile | None, template: polib.POFile) -> tuple[polib.POFile, MergeReport]:
    """Merge a new template into an old catalog; returns the new catalog and what changed.

    The new catalog's header is the old one's (the caller sets language fields).
    """
    result = new_catalog()
    old_entries = list(old) if old is not None else []
    if old is not None:
        result.metadata = dict(old.metadata)
        result.header = old.header
        result.metadata_is_fuzzy = old.metadata_is_fuzzy
    active = {key_of(e): e for e in old_entries if not e.obsolete}
    obsolete = {key_of(e): e for e in old_entries if e.obsolete}
    used: set[int] = set()
    kept = fuzzy = added = revived = 0
    pending: list[tuple[int, polib.POEntry]] = []
    merged: list[polib.POEntry | None] = []
    for entry in template:
        key = key_of(entry)
        match = active.get(key)
        if match is None and key in obsolete:
            match = obsolete[key]
            revived += 1
        elif match is not None:
            kept += 1
        if match is not None:
            used.add(id(match))
            merged.append(_carry_over(entry, match))
        else:
            pending.append((len(merged), entry))
            merged.append(None)
    candidates = [e for e in old_entries if id(e) not in used and e.msgstr]
    for index, entry in pending:
        match = _best_match(entry, candidates)
        if match is not None:
            used.add(id(match))
            merged[index] = _fuzzy_from(entry, match)
            fuzzy += 1
        else:
            merged[index] = copy.copy(entry)
            added += 1
    for entry in merged:
        assert entry is not None
        result.append(entry)
    obsoleted = 0
    for entry in old_entries:
        if id(entry) in used:
            continue
        if entry.obsolete:
            result.append(entry)
        elif entry.msgstr or entry.tcomment:
            result.append(_obsolete(entry))
            obsoleted += 1
    return result, MergeReport(kept=kept, fuzzy=fuzzy, added=added, obsoleted=obsoleted, revived=revived)
