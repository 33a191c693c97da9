"""Export and import: catalogs as XLIFF, the translation memory as TMX.

Library entry points behind ``translate xliff export|import`` and
``translate memory export|import`` (re-exported by :mod:`translate.api`).
Rendering and parsing are pure (:mod:`.xliff2`, :mod:`.xliff12`, :mod:`.tmx`);
this module reads and writes the files.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import polib

from translate.catalog.paths import catalog_path, find_catalogs
from translate.catalog.provenance import Record, Records, read_records
from translate.catalog.store import read_catalog, write_atomic
from translate.catalog.tracked import update_tracked
from translate.errors import TranslateError
from translate.exchange import tmx, xliff2, xliff12, xmlio
from translate.exchange.catalog_units import apply_units, catalog_units, match_units
from translate.exchange.units import ENGLISH, Bundle, CatalogImport, CatalogUnits, ExchangeError
from translate.languages import Language, language
from translate.mt.memory import ReviewedRecord, TranslationMemory, default_memory_path

log = logging.getLogger(__name__)


class XliffVersion(StrEnum):
    """The XLIFF versions written."""

    V2_0 = "2.0"
    V1_2 = "1.2"


@dataclass(frozen=True)
class XliffExport:
    """What :func:`export_xliff` wrote: the file, its catalogs and units, and catalogs that could not be read."""

    output: Path
    catalogs: tuple[Path, ...]
    units: int
    errors: tuple[TranslateError, ...] = ()


def _slug(name: str | Path) -> str:
    return Path(name).name.split(".", 1)[0]


def xliff_bundle(locales: Path, lang: Language, articles: Sequence[str | Path] = ()) -> tuple[Bundle, tuple[Path, ...], tuple[TranslateError, ...]]:
    """The catalogs of ``articles`` (their file names' slugs; every catalog of ``lang`` when empty) as a bundle.

    Returns:
        The bundle, the catalogs in it, and errors for catalogs missing or unreadable.
    """
    if articles:
        by_slug: dict[str, str | Path] = {}
        for article in articles:
            by_slug.setdefault(_slug(article), article)
        pairs = [(catalog_path(locales, slug, lang.gettext), article) for slug, article in by_slug.items()]
    else:
        pairs = [(path, path) for gettext_lang, path in find_catalogs(locales) if gettext_lang == lang.gettext]
    files: list[CatalogUnits] = []
    read: list[Path] = []
    errors: list[TranslateError] = []
    for path, article in pairs:
        try:
            catalog, _ = read_catalog(path)
            if catalog is None:
                raise ExchangeError(f"has no {lang.english_name} catalog ({path})", path=article, hint=f"run: translate extract {article} --to {lang.code}")
            records = read_records(path)
        except TranslateError as error:
            errors.append(error)
            continue
        original = path.relative_to(locales).as_posix() if path.is_relative_to(locales) else path.name
        files.append(catalog_units(catalog, original, records))
        read.append(path)
    return Bundle(ENGLISH, lang.code, tuple(files)), tuple(read), tuple(errors)


def render_xliff(bundle: Bundle, version: XliffVersion = XliffVersion.V2_0) -> bytes:
    """The XLIFF document of a bundle."""
    return (xliff2 if version is XliffVersion.V2_0 else xliff12).render(bundle)


def export_xliff(
    locales: Path, lang: Language, output: Path, articles: Sequence[str | Path] = (), version: XliffVersion = XliffVersion.V2_0
) -> XliffExport:
    """Write the catalogs of ``articles`` in ``lang`` (all when empty) to one XLIFF file.

    The file is written even when some catalogs are missing (they are in ``errors``).
    """
    bundle, read, errors = xliff_bundle(locales, lang, articles)
    if bundle.files:
        write_atomic(output, render_xliff(bundle, version))
    return XliffExport(output, read, sum(len(f.units) for f in bundle.files), errors)


def read_xliff(path: Path) -> Bundle:
    """Parse an XLIFF 1.x or 2.0 file.

    Raises:
        ExchangeError: it cannot be read, is not XLIFF, or holds no catalog.
    """
    doc = xmlio.read(path)
    if doc.root.tag == f"{{{xliff2.NS}}}xliff" or doc.root.get("version", "").startswith("2."):
        bundle = xliff2.parse(doc)
    else:
        bundle = xliff12.parse(doc)
    if not bundle.files:
        raise doc.error(doc.root, "holds no <file>", "export it again from its tool")
    return bundle


def _target_language(bundle: Bundle, path: Path) -> Language:
    if bundle.source_lang and bundle.source_lang.replace("_", "-").split("-")[0].lower() != ENGLISH:
        raise ExchangeError(f"is translated from {bundle.source_lang!r}; catalogs are translated from English", path=path, line=1)
    if not bundle.target_lang:
        raise ExchangeError("states no target language", path=path, line=1, hint="set trgLang (XLIFF 2) or target-language (XLIFF 1.2)")
    try:
        return language(bundle.target_lang)
    except TranslateError as error:
        raise ExchangeError(f"has an unknown target language {bundle.target_lang!r}", path=path, line=1, hint=error.hint) from error


def import_xliff(path: Path, locales: Path) -> list[CatalogImport]:
    """Apply an XLIFF file (1.x or 2.0) to the catalogs it was made from.

    Every ``<file>`` is matched to ``<locales>/<lang>/LC_MESSAGES/<slug>.po``
    (``slug`` from its ``original``) and every unit to an entry before anything
    is written. Each catalog is then updated safely (see
    :func:`translate.catalog.store.update_catalog`); a unit whose translation
    would replace a translator's is reported as a conflict and left out.

    Raises:
        ExchangeError: the file cannot be read, is for another source
            language, for a catalog that does not exist, or holds a unit for
            English the catalog does not have (with the unit's line). Nothing
            is written then.
    """
    bundle = read_xliff(path)
    lang = _target_language(bundle, path)
    plan: list[tuple[Path, CatalogUnits]] = []
    for file in bundle.files:
        po_path = catalog_path(locales, file.slug, lang.gettext)
        catalog, _ = read_catalog(po_path)
        if catalog is None:
            raise ExchangeError(
                f"is for {po_path}, which does not exist",
                path=path,
                line=file.line,
                hint=f"import it where that catalog is (--locales), or run translate extract for {file.slug!r} first",
            )
        match_units(catalog, file, str(path), str(po_path))
        plan.append((po_path, file))
    return [_import_catalog(path, po_path, file) for po_path, file in plan]


def _import_catalog(xliff: Path, po_path: Path, file: CatalogUnits) -> CatalogImport:
    reports: list[CatalogImport] = []

    def change(current: polib.POFile | None, records: Records) -> tuple[polib.POFile, list[Record]]:
        if current is None:
            raise ExchangeError(f"{po_path} was deleted during the import", path=xliff, line=file.line)
        updated, report, approved = apply_units(current, match_units(current, file, str(xliff), str(po_path)), str(po_path), records)
        reports.append(report)
        return updated, approved

    outcome = update_tracked(po_path, change).update
    report = reports[-1]
    log.info("%s: %d translations from %s, %d conflicts", po_path, report.translated, xliff, len(report.conflicts))
    return CatalogImport(report.catalog, report.translated, report.reviewed, report.unchanged, report.conflicts, outcome.written)


# Translation memory


@dataclass(frozen=True)
class TmxExport:
    """What :func:`export_tmx` wrote."""

    output: Path
    reviewed: int
    machine: int


def memory_units(memory: TranslationMemory, *, tgt: str | None = None, machine: bool = False) -> list[tmx.TmxUnit]:
    """The memory's records as TMX units: reviewed translations, and machine output when asked."""
    units = [
        tmx.TmxUnit(r.source, r.target, r.src, r.tgt, origin=r.origin, changed=r.updated)
        for r in memory.reviewed_records(tgt=tgt)
    ]
    if machine:
        units += [
            tmx.TmxUnit(
                r.key.source, r.target, r.key.src, r.key.tgt,
                machine=f"{r.key.model}@{r.key.revision}", settings=r.key.settings, issues=",".join(r.issues), changed=r.created,
            )
            for r in memory.machine_records(tgt=tgt)
        ]
    return units


def export_tmx(memory: TranslationMemory, output: Path, *, tgt: str | None = None, machine: bool = False, now: datetime | None = None) -> TmxExport:
    """Write the memory (one target language, or all) as TMX 1.4; machine output only with ``machine``."""
    units = memory_units(memory, tgt=tgt, machine=machine)
    write_atomic(output, tmx.render(units, created=now or datetime.now(UTC)))
    machine_count = sum(unit.machine is not None for unit in units)
    return TmxExport(output, len(units) - machine_count, machine_count)


@dataclass(frozen=True)
class TmxImport:
    """What :func:`import_tmx` did.

    Attributes:
        reviewed: translations stored as reviewed, by target language.
        machine: units marked as machine output, left out.
        incomplete: units without an English segment or a translation, left out.
        other_languages: segments in languages other than the one asked for, left out.
    """

    path: Path
    reviewed: dict[str, int] = field(default_factory=dict)
    machine: int = 0
    incomplete: int = 0
    other_languages: int = 0


def _memory_language(tag: str, wanted: Language | None, tmx_path: Path, line: int | None) -> str | None:
    """The memory's code for a TMX language tag; ``None`` when it is not the language asked for."""
    try:
        found = language(tag)
    except TranslateError as error:
        raise ExchangeError(f"has a segment in an unknown language {tag!r}", path=tmx_path, line=line, hint=error.hint) from error
    if wanted is None:
        return found.code
    same = found.code == wanted.code or ("-" not in wanted.code and found.code.split("-")[0] == wanted.code)
    return wanted.code if same else None


def import_tmx(path: Path, memory: TranslationMemory, *, lang: Language | None = None) -> TmxImport:
    """Put the translations of a TMX file into the memory as reviewed translations.

    Args:
        lang: take only segments in this language (``km`` takes ``km-KH`` too,
            stored as ``km``); default: every language, under its own tag.

    Raises:
        ExchangeError: the file cannot be read or is not TMX (nothing is stored then).
    """
    content = tmx.parse(xmlio.read(path))
    origin = f"tmx:{path.name}"
    records: list[ReviewedRecord] = []
    counts: dict[str, int] = {}
    skipped = 0
    for unit in content.units:
        tgt = _memory_language(unit.tgt, lang, path, unit.line)
        if tgt is None:
            skipped += 1
            continue
        records.append(ReviewedRecord(unit.source, ENGLISH, tgt, unit.target, unit.origin or origin, unit.changed))
        counts[tgt] = counts.get(tgt, 0) + 1
    memory.put_reviewed(records)
    return TmxImport(path, counts, content.machine, content.incomplete, skipped)



def export_memory(output: Path, *, memory: Path | None = None, lang: Language | None = None, machine: bool = False) -> TmxExport:
    """Write a translation-memory file (default: :func:`~translate.mt.memory.default_memory_path`) as TMX 1.4.

    Raises:
        MemoryStoreError: the memory cannot be opened.
    """
    with TranslationMemory(memory or default_memory_path(), readonly=True) as store:
        return export_tmx(store, output, tgt=lang.code if lang else None, machine=machine)


def import_memory(path: Path, *, memory: Path | None = None, lang: Language | None = None) -> TmxImport:
    """Put a TMX file's translations into a translation-memory file as reviewed translations (see :func:`import_tmx`)."""
    with TranslationMemory(memory or default_memory_path()) as store:
        return import_tmx(path, store, lang=lang)
