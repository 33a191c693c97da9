"""Quality checks of a sync: counts per catalog, without checking machine output twice.

Machine suggestions were checked when they were written (their failures are
recorded on the entry as ``# mt_check:``); only text a person wrote or edited
is checked again here.
"""

from __future__ import annotations

import polib

from translate.catalog.stats import is_translated
from translate.checks import Severity, checks, run_checks
from translate.mt.pretranslate import machine_text_untouched

_MT_CHECK = "mt_check:"


def recorded_checks(entry: polib.POEntry) -> list[str]:
    """The check names recorded on a machine suggestion (``# mt_check:numbers,urls``)."""
    for line in (entry.tcomment or "").splitlines():
        line = line.strip()
        if line.startswith(_MT_CHECK):
            return [name.strip() for name in line[len(_MT_CHECK) :].split(",") if name.strip()]
    return []


def check_counts(catalog: polib.POFile, lang: str) -> tuple[int, int]:
    """Errors and warnings of the quality checks over the translated entries of a catalog."""
    registry = checks()
    errors = warnings = 0
    for entry in catalog:
        if entry.obsolete or entry.msgid_plural or not entry.msgid or not is_translated(entry):
            continue
        if "fuzzy" in entry.flags and machine_text_untouched(entry):
            severities = [registry[name].severity for name in recorded_checks(entry) if name in registry]
        else:
            severities = [failure.severity for failure in run_checks(entry.msgid, entry.msgstr, lang)]
        errors += sum(s is Severity.ERROR for s in severities)
        warnings += sum(s is not Severity.ERROR for s in severities)
    return errors, warnings
