"""Checks on text a translation must carry over unchanged: format placeholders and acronyms.

``placeholders`` compares printf conversions and brace fields
(:data:`translate.patterns.FORMAT_PLACEHOLDER`: ``%1$s``, ``%-5.2f``,
``{0:.2f}``, ``{name}``): a site template fills them in, so one dropped or
changed breaks the page; it is an error. ``acronyms`` is a warning: a Khmer
translation may write an acronym in Khmer (``អាស៊ាន`` for ASEAN, ``អ.ស.ប``
for UN), which is the translator's choice (a glossary can require one form),
but an acronym written in Latin letters must be the English one, not
misspelt or recased.
"""

from __future__ import annotations

import functools
import re
from collections import Counter

from translate.checks import Severity, register
from translate.patterns import FORMAT_PLACEHOLDER, HTML_TAG, TEMPLATE_TAG, URL

_CODE_SPAN = re.compile(r"`[^`\n]+`")
#: An acronym: two or more capitals (``UN``, ``ASEAN``, ``COVID`` of COVID-19) or dotted initials (``U.S.``).
ACRONYM = re.compile(r"(?<![\w.])(?:(?:[A-Z]\.){2,}|[A-Z]{2,}+(?![a-z]))")
_LATIN_WORD = re.compile(r"(?<![\w.])(?:(?:[A-Za-z]\.){2,}|[A-Za-z]{2,})")


def placeholders_in(text: str) -> Counter[str]:
    """The format placeholders of a text, counted (in code spans, URLs and tags they are not placeholders)."""
    return Counter(dict(_placeholders_in(text)))


@functools.lru_cache(maxsize=1024)  # every check of an entry looks at the same two texts
def _placeholders_in(text: str) -> tuple[tuple[str, int], ...]:
    for pattern in (TEMPLATE_TAG, HTML_TAG, _CODE_SPAN, URL):
        text = pattern.sub(" ", text)
    return tuple(Counter(FORMAT_PLACEHOLDER.findall(text)).items())


@register(
    "placeholders",
    Severity.ERROR,
    aliases=("python-format", "c-format", "python-brace-format", "percent-placeholders", "printf", "pythonbraceformat"),
)
def placeholders(source: str, target: str, lang: str) -> str | None:
    """Format placeholders differ: printf (``%s``, ``%1$d``, ``%.2f``) and brace (``{0}``, ``{name}``, ``{0:>5}``) fields."""
    found, wanted = placeholders_in(target), placeholders_in(source)
    missing, extra = wanted - found, found - wanted
    if not missing and not extra:
        return None
    parts = []
    if missing:
        parts.append("missing " + " ".join(sorted(missing.elements())))
    if extra:
        parts.append("extra " + " ".join(sorted(extra.elements())))
    return "placeholders differ: " + "; ".join(parts)


def _bare(acronym: str) -> str:
    """``US`` for ``U.S.``."""
    return acronym.replace(".", "")


def _distance(a: str, b: str) -> int:
    """Levenshtein distance of two short strings."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def _altered(acronym: str, word: str) -> bool:
    """Whether ``word`` is ``acronym`` misspelt: letters swapped, one changed, added or dropped."""
    if word == acronym or len(acronym) < 3 or len(word) < 2:
        return False
    return sorted(word) == sorted(acronym) or _distance(word, acronym) == 1


@register("acronyms", Severity.WARNING)
def acronyms(source: str, target: str, lang: str) -> str | None:
    """An acronym of the English written in Latin letters but not as in the English (``Asean``, ``ASAEN`` for ASEAN).

    Kept (``ASEAN``, ``US`` for ``U.S.``) or written in the target script
    (``អាស៊ាន``) passes.
    """
    source_words = {_bare(word) for word in _LATIN_WORD.findall(source)}
    kept = {_bare(word) for word in _LATIN_WORD.findall(target)}
    changes = []
    for acronym in dict.fromkeys(_bare(found) for found in ACRONYM.findall(source)):
        if acronym in kept:
            continue
        for word in sorted(kept - source_words):
            if word.upper() == acronym:
                changes.append(f"{acronym} → {word} (case changed)")
            elif word.isupper() and _altered(acronym, word):
                changes.append(f"{acronym} → {word}")
    return "acronym changed: " + "; ".join(dict.fromkeys(changes)) if changes else None
