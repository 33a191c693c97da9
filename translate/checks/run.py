"""Run the checks over catalogs: the library side of ``translate check``.

Each entry's ``#, ignore-<check>`` flags (see :func:`translate.checks.ignored_checks`)
are honoured: a silenced failure is reported as suppressed, not as a failure,
and an ``ignore-`` flag that names no check is reported as a warning (a typo
silences nothing).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polib

from translate.catalog.owner import check_owner
from translate.catalog.paths import catalog_path, find_catalogs
from translate.catalog.stats import is_translated
from translate.catalog.store import read_catalog
from translate.checks import Failure, Severity, ignored_checks, run_checks, split_ignored, unknown_ignore_flags
from translate.checks.glossary import check_glossary
from translate.errors import InputError, OwnershipError
from translate.glossary import Term

log = logging.getLogger(__name__)

#: The name failures of unknown ``ignore-`` flags are reported under.
FLAGS = "flags"


@dataclass(frozen=True)
class EntryReport:
    """The failures of one catalog entry.

    Attributes:
        path: the catalog.
        line: the entry's line in the catalog (where it starts: its first comment, as polib counts).
        msgid: the English text.
        msgctxt: the entry's context, if any.
        fuzzy: whether the entry is fuzzy (machine output or not yet reviewed).
        failures: what the checks found.
        suppressed: what they found that the entry's ``ignore-`` flags silence.
    """

    path: Path
    line: int
    msgid: str
    msgctxt: str | None
    fuzzy: bool
    failures: tuple[Failure, ...]
    suppressed: tuple[Failure, ...] = ()


@dataclass(frozen=True)
class CheckReport:
    """What ``translate check`` found.

    Attributes:
        catalogs: the catalogs checked.
        entries: the translated entries checked.
        reports: entries with failures or suppressed failures, in catalog order.
        refused: catalogs not checked because they belong to another article.
    """

    catalogs: tuple[Path, ...]
    entries: int
    reports: tuple[EntryReport, ...]
    refused: tuple[OwnershipError, ...] = ()

    def count(self, severity: Severity) -> int:
        """How many failures of that severity were found (suppressed ones left out)."""
        return sum(failure.severity is severity for report in self.reports for failure in report.failures)

    @property
    def suppressed(self) -> int:
        """How many failures the entries' ``ignore-`` flags silenced."""
        return sum(len(report.suppressed) for report in self.reports)

    @property
    def has_errors(self) -> bool:
        """Whether any error (not just warnings) was found."""
        return self.count(Severity.ERROR) > 0


def check_catalog(catalog: polib.POFile, path: Path, lang: str, glossary: Sequence[Term] = ()) -> tuple[int, list[EntryReport]]:
    """Check every translated entry (fuzzy or reviewed) of one catalog.

    Args:
        glossary: terms whose translation is checked too (the ``glossary`` check).

    Returns:
        The number of entries checked, and the reports of those that failed.
    """
    checked = 0
    reports = []
    for entry in catalog:
        if entry.obsolete or entry.msgid_plural or not entry.msgid or not is_translated(entry):
            continue
        checked += 1
        found = run_checks(entry.msgid, entry.msgstr, lang)
        if glossary:
            term_failure = check_glossary(entry.msgid, entry.msgstr, lang, glossary)
            found += (term_failure,) if term_failure else ()
        failures, suppressed = split_ignored(found, ignored_checks(entry.flags, entry.tcomment))
        failures += tuple(
            Failure(FLAGS, Severity.WARNING, f"'{flag}' names no check: it silences nothing (translate check --list names them)")
            for flag in unknown_ignore_flags(entry.flags, entry.tcomment)
        )
        if failures or suppressed:
            reports.append(EntryReport(path, entry.linenum, entry.msgid, entry.msgctxt, "fuzzy" in entry.flags, failures, suppressed))
    return checked, reports


def check_catalogs(
    locales: Path,
    slugs: Sequence[str] = (),
    langs: Iterable[str] = (),
    glossary: Sequence[Term] = (),
    articles: Mapping[str, Path] | None = None,
    files: Sequence[tuple[str, Path]] = (),
) -> CheckReport:
    """Check catalogs under ``locales``, and catalog files named directly.

    Args:
        locales: the catalog tree.
        slugs: the articles (catalog names) to check; all catalogs when empty
            (and no ``files`` are given).
        langs: gettext language names to check; all when empty.
        glossary: terms to check (see :mod:`translate.glossary`); each applies to its own language.
        articles: catalog name -> article file, for the catalogs named by an
            article: one that belongs to another article is refused, not checked.
        files: ``(language, path)`` of catalog files checked as given (see :func:`catalog_files`).

    Raises:
        CatalogError: a catalog cannot be read or parsed.
    """
    wanted = set(langs)
    if slugs:
        languages = sorted(wanted) or sorted({lang for lang, _ in find_catalogs(locales)})
        targets = [(lang, catalog_path(locales, slug, lang)) for slug in slugs for lang in languages]
    elif files:
        targets = []
    else:
        targets = [(lang, path) for lang, path in find_catalogs(locales) if not wanted or lang in wanted]
    targets += [target for target in files if target not in targets]
    checked_paths = []
    entries = 0
    reports: list[EntryReport] = []
    refused: list[OwnershipError] = []
    for lang, path in targets:
        catalog, _ = read_catalog(path)
        if catalog is None:
            log.info("%s: no catalog, skipped", path)
            continue
        article = (articles or {}).get(path.stem)
        if article is not None:
            try:
                check_owner(catalog, path, article, locales)
            except OwnershipError as error:
                refused.append(error)
                continue
        checked_paths.append(path)
        checked, found = check_catalog(catalog, path, lang, glossary)
        entries += checked
        reports.extend(found)
    return CheckReport(tuple(checked_paths), entries, tuple(reports), tuple(refused))


def catalog_language(catalog: polib.POFile, path: Path) -> str | None:
    """The gettext language of a catalog: its ``Language`` header, else its folder (``km/LC_MESSAGES/x.po``)."""
    header = catalog.metadata.get("Language", "").strip()
    if header:
        return header
    return path.parent.parent.name if path.parent.name == "LC_MESSAGES" else None


def catalog_files(paths: Sequence[Path]) -> list[tuple[str, Path]]:
    """The language of each catalog file named directly (``locales/km/LC_MESSAGES/story.po``, ``story.km.po``).

    Raises:
        InputError: a file does not exist, or its language cannot be told.
        CatalogError: it cannot be read or parsed.
    """
    found = []
    for path in paths:
        catalog, _ = read_catalog(path)
        if catalog is None:
            raise InputError("no such catalog", path=path, hint="check the path, or name the article (translate check story.md) to check its catalogs")
        lang = catalog_language(catalog, path)
        if lang is None:
            raise InputError("has no Language header, so its language is not known", path=path, hint='add "Language: km\\n" to its header')
        found.append((lang, path))
    return found


def unmatched(locales: Path, slugs: Sequence[str], langs: Iterable[str]) -> list[str]:
    """The catalog names for which no catalog exists under ``locales`` (in ``langs``, or in any language)."""
    wanted = set(langs)
    present = {path.stem for lang, path in find_catalogs(locales) if not wanted or lang in wanted}
    return [slug for slug in slugs if slug not in present]
