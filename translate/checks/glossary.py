"""The glossary check: terms of the English that must be translated as the glossary says.

A glossary is a CSV file with a header row naming at least ``source`` and
``target`` (and optionally ``lang``, to hold several languages in one file)::

    source,target,lang
    National Assembly,រដ្ឋសភា,km
    Phnom Penh,ភ្នំពេញ,km

A term is found in the English as a whole word or phrase, ignoring case; the
translation must then contain its target term verbatim (ZWSP and spaces ignored).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.checks import Failure, Severity
from translate.checks.standard import base_language
from translate.errors import ConfigError

NAME = "glossary"
_INVISIBLE = re.compile("[ \u200b]")


@dataclass(frozen=True)
class Term:
    """One glossary entry.

    Attributes:
        source: the English term.
        target: its required translation.
        lang: the language it applies to (empty: every language).
    """

    source: str
    target: str
    lang: str = ""


def read_glossary(path: Path) -> tuple[Term, ...]:
    """The terms of a glossary CSV file.

    Raises:
        ConfigError: the file cannot be read or lacks a ``source`` or ``target`` column.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            columns = set(reader.fieldnames or ())
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ConfigError(f"cannot read the glossary: {error}", path=path) from error
    if not {"source", "target"} <= columns:
        raise ConfigError("the glossary needs a header row with source and target columns", path=path, line=1, hint="e.g. source,target,lang")
    return tuple(Term(row["source"].strip(), row["target"].strip(), (row.get("lang") or "").strip()) for row in rows if row["source"] and row["target"])


def check_glossary(source: str, target: str, lang: str, terms: Sequence[Term]) -> Failure | None:
    """A failure naming the glossary terms of ``source`` whose translation is missing from ``target``."""
    flat = _INVISIBLE.sub("", target)
    missing = []
    for term in terms:
        if term.lang and base_language(term.lang) != base_language(lang) and term.lang != lang:
            continue
        if re.search(rf"(?<!\w){re.escape(term.source)}(?!\w)", source, re.IGNORECASE) and _INVISIBLE.sub("", term.target) not in flat:
            missing.append(f"{term.source} → {term.target}")
    if not missing:
        return None
    return Failure(NAME, Severity.WARNING, "glossary term not used: " + "; ".join(missing))
