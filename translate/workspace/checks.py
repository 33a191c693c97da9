"""Quality checks of a sync: counts per catalog, without checking machine output twice.

Machine suggestions were checked when they were written (their failures are
recorded with their provenance, :mod:`translate.catalog.provenance`); only
text a person wrote or edited is checked again here.
"""

from __future__ import annotations

import polib

from translate.catalog.provenance import Records
from translate.catalog.stats import is_translated
from translate.checks import Severity, checks, ignored_checks, run_checks
from translate.mt.pretranslate import machine_text_untouched, recorded_checks


def check_counts(catalog: polib.POFile, lang: str, records: Records | None = None) -> tuple[int, int]:
    """Errors and warnings of the quality checks over the translated entries of a catalog (``ignore-`` flags honoured; ``records``: its provenance)."""
    registry = checks()
    errors = warnings = 0
    for entry in catalog:
        if entry.obsolete or entry.msgid_plural or not entry.msgid or not is_translated(entry):
            continue
        ignored = ignored_checks(entry.flags, entry.tcomment)
        if "fuzzy" in entry.flags and machine_text_untouched(entry, records):
            severities = [registry[name].severity for name in recorded_checks(entry, records) if name in registry and name not in ignored]
        else:
            severities = [failure.severity for failure in run_checks(entry.msgid, entry.msgstr, lang, skip=ignored)]
        errors += sum(s is Severity.ERROR for s in severities)
        warnings += sum(s is not Severity.ERROR for s in severities)
    return errors, warnings
