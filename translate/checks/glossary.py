"""The glossary check: terms of the English must be translated as the glossary says.

The glossary itself (CSV or TBX) is read by :mod:`translate.glossary`. A term
found in the English (whole word or phrase, ignoring case) requires its
approved target verbatim in the translation (ZWSP and spaces ignored); a
do-not-translate term requires the English term as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from translate.checks import Failure, Severity
from translate.glossary import Term, find_terms

NAME = "glossary"
_INVISIBLE = re.compile("[ \u200b]")


def check_glossary(source: str, target: str, lang: str, terms: Sequence[Term]) -> Failure | None:
    """A failure naming the glossary terms of ``source`` whose translation is missing from ``target``."""
    flat = _INVISIBLE.sub("", target)
    applicable = sorted((t for t in terms if t.applies_to(lang)), key=lambda t: -len(t.source))
    missing = []
    for occurrence in find_terms(source, applicable):
        wanted = occurrence.term.translation(occurrence.text)
        if _INVISIBLE.sub("", wanted) not in flat:
            missing.append(f"{occurrence.text} → {wanted}")
    if not missing:
        return None
    return Failure(NAME, Severity.WARNING, "glossary term not used: " + "; ".join(dict.fromkeys(missing)))
