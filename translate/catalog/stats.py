"""Counts of a catalog's entries by review state."""

from __future__ import annotations

from dataclasses import dataclass

import polib


@dataclass(frozen=True)
class CatalogStats:
    """Entry counts of one catalog.

    ``translated`` counts reviewed entries (a translation and no ``fuzzy``
    flag); machine or edited-source suggestions are ``fuzzy``.
    """

    entries: int
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int

    @property
    def reviewed_percent(self) -> float:
        return 100.0 * self.translated / self.entries if self.entries else 100.0


def is_translated(entry: polib.POEntry) -> bool:
    """Whether an entry has a translation (in every plural form)."""
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def catalog_stats(po: polib.POFile) -> CatalogStats:
    """Count the entries of a catalog by state."""
    entries = translated = fuzzy = untranslated = obsolete = 0
    for entry in po:
        if entry.obsolete:
            obsolete += 1
            continue
        entries += 1
        if not is_translated(entry):
            untranslated += 1
        elif "fuzzy" in entry.flags:
            fuzzy += 1
        else:
            translated += 1
    return CatalogStats(entries, translated, fuzzy, untranslated, obsolete)
